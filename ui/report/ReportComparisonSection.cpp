#include "report/ReportComparisonSection.h"

#include <QChart>
#include <QJsonDocument>
#include <cmath>

#include "charts/ChartFigure.h"
#include "compare/CompareFigures.h"
#include "eval/ComparisonJson.h"

namespace lens::ui {

namespace {

QString withInterval(const BootstrapCI& ci) {
    return QStringLiteral("%1 [%2, %3]")
        .arg(reportNumber(ci.estimate), reportNumber(ci.lower), reportNumber(ci.upper));
}

QString pValue(double p) {
    if (std::isnan(p)) return QStringLiteral("–");
    return p < 1e-4 ? QStringLiteral("< 0.0001") : QString::number(p, 'f', 4);
}

// The metrics the report's tables show, in order, with their column titles.
struct Shown {
    const char* metric;
    const char* title;
};
constexpr Shown kShownMetrics[] = {{kUserHrSampled, "HR@10 sampled"},
                                   {kUserNdcgSampled, "NDCG@10 sampled"},
                                   {kUserHrFull, "HR@10 full"},
                                   {kUserNdcgFull, "NDCG@10 full"}};

}  // namespace

QJsonObject comparisonJson(const Comparison& comparison) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(comparisonToJson(comparison).dump()))
        .object();
}

ReportSection buildComparisonSection(const ReportStudy& study,
                                     std::vector<std::unique_ptr<QWidget>>& widgets) {
    const Comparison& c = *study.comparison;
    ReportSection section;
    section.title = QObject::tr("Compare: is one model really better?");
    section.html =
        QObject::tr(
            "<p>Every model on the same split (%1), scored on each of %2 test users (of %3). "
            "Each figure is the mean over users with a %4 % bootstrap interval (%5 resamples of "
            "the users, seed %6): the range the mean would cover in most repetitions of the "
            "study with other users. Pairs are tested user by user: the paired t-test asks "
            "whether the mean difference is zero, the Wilcoxon signed-rank test whether "
            "differences of either sign are equally likely (robust to the many zeros of "
            "HR@10); Holm's correction keeps the chance of any false alarm among all pairs of "
            "a metric at 5 %.</p><p>%7</p>")
            .arg(QString::fromStdString(c.split).toHtmlEscaped())
            .arg(c.usersScored)
            .arg(c.usersWithTests)
            .arg(c.confidence * 100, 0, 'f', 0)
            .arg(c.resamples)
            .arg(c.seed)
            .arg(protocolNote(c));

    ReportTable metrics;
    metrics.caption = QObject::tr("Mean over test users [95 % bootstrap interval]");
    metrics.header << QObject::tr("model");
    for (const Shown& s : kShownMetrics) metrics.header << QObject::tr(s.title);
    metrics.header << QObject::tr("novelty (bits)") << QObject::tr("coverage");
    for (const ModelResult& m : c.models) {
        QStringList row{QString::fromStdString(m.displayName)};
        for (const Shown& s : kShownMetrics) {
            const MetricEstimate* e = m.metric(s.metric);
            row << (e ? withInterval(e->ci) : QStringLiteral("–"));
        }
        QString novelty = QStringLiteral("–");
        for (const auto& e : m.beyond.perUser)
            if (e.metric == "novelty") novelty = withInterval(e.ci);
        row << novelty << reportNumber(m.beyond.coverage, 3);
        metrics.rows << row;
    }
    section.tables << metrics;

    ReportTable pairs;
    pairs.caption = QObject::tr("Paired tests (a − b over the users both were scored on)");
    pairs.header = {
        QObject::tr("pair"),       QObject::tr("metric"),       QObject::tr("a − b [95 % CI]"),
        QObject::tr("p (t-test)"), QObject::tr("p (Wilcoxon)"), QObject::tr("p (Holm)")};
    for (const PairResult& p : c.pairs) {
        if (p.metric != kUserNdcgFull && p.metric != kUserHrSampled) continue;
        pairs.rows << QStringList{
            QStringLiteral("%1 − %2").arg(QString::fromStdString(p.a), QString::fromStdString(p.b)),
            QString::fromStdString(p.metric),
            QStringLiteral("%1 [%2, %3]")
                .arg(reportNumber(p.meanDifference), reportNumber(p.ciLower),
                     reportNumber(p.ciUpper)),
            pValue(p.pT),
            pValue(p.pWilcoxon),
            pValue(p.pHolm)};
    }
    section.tables << pairs;

    Provenance provenance;
    provenance.dataset = QString::fromStdString(study.dataset->name);
    provenance.model = QObject::tr("%1 models compared").arg(c.models.size());
    provenance.split = QString::fromStdString(c.split);
    provenance.seed = QString::number(c.seed);
    struct Chart {
        const char* stem;
        void (*fill)(QChart*, const Comparison&);
        QString caption;
    };
    std::vector<Chart> charts = {
        {"compare-protocols", &fillProtocols,
         QObject::tr("HR@10 and NDCG@10 under the sampled protocol (the test movie among 100 "
                     "random unrated movies) and the full catalogue. Sampling makes every model "
                     "look better and can change their order (Krichene and Rendle 2020).")},
        {"compare-activity", &fillActivitySegments,
         QObject::tr("The primary metric per user-activity segment: the lightest 10 % of users "
                     "(cold) and the quartiles of training ratings. Models usually differ most "
                     "for the users with least data.")},
        {"compare-beyond-accuracy", &fillBeyondAccuracy,
         QObject::tr("What the top-10 lists hold beyond hits: novelty (bits of surprise), "
                     "genre diversity within a list, the share of long-tail movies and "
                     "calibration to each user's genre profile (Steck 2018).")}};
    // Releases with a user file (ml-100k, ml-1m): the primary metric by gender, age group and
    // occupation.
    const QString groups =
        QObject::tr(
            " Each bar is the group's mean with its bootstrap interval; n counts the group's "
            "scored "
            "users and a star marks groups of fewer than %1, whose intervals are wide.")
            .arg(kSmallSegmentUnits);
    if (hasSegments(c, demographicDimensionKey(DemographicDimension::Gender)))
        charts.push_back({"compare-gender", &fillGenderSegments,
                          QObject::tr("The primary metric by gender.") + groups});
    if (hasSegments(c, demographicDimensionKey(DemographicDimension::AgeGroup)))
        charts.push_back(
            {"compare-age", &fillAgeSegments,
             QObject::tr("The primary metric by age group (ml-1m's seven groups; ml-100k's ages "
                         "grouped the same way).") +
                 groups});
    if (hasSegments(c, demographicDimensionKey(DemographicDimension::Occupation)))
        charts.push_back(
            {"compare-occupation", &fillOccupationSegments,
             QObject::tr("The primary metric by occupation, largest group first.") + groups});
    for (const Chart& chart : charts) {
        auto* qchart = new QChart;
        chart.fill(qchart, c);
        auto* figure = new ChartFigure(QString::fromLatin1(chart.stem), qchart);
        figure->resize(figure->preferredFigureSize());
        widgets.emplace_back(figure);
        section.figures.append({figure, chart.caption, provenance});
    }
    return section;
}

}  // namespace lens::ui
