#include "load/DatasetSummary.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLocale>
#include <QObject>
#include <QWidget>
#include <cmath>

#include "SummaryCard.h"
#include "data/Dataset.h"
#include "io/InteractionReader.h"

namespace lens::ui {
namespace {

QString summaryTr(const char* text) {
    return QObject::tr(text);
}

QString summaryCount(std::size_t n) {
    return QLocale().toString(static_cast<qulonglong>(n));
}

QString countText(std::size_t n, const char* one, const char* many) {
    return summaryTr(n == 1 ? one : many).arg(summaryCount(n));
}

}  // namespace

QWidget* createSummaryCards(QWidget* parent, QMap<QString, SummaryCard*>& cards) {
    auto* box = new QWidget(parent);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(10);
    struct Spec {
        const char* key;
        QString caption;
        QString tip;
    };
    const Spec specs[] = {
        {"ratings", summaryTr("ratings"),
         summaryTr(
             "Number of (user, item, rating) triples after loading (and after any load filter)")},
        {"users", summaryTr("users"), summaryTr("Users with at least one rating or tag")},
        {"movies", summaryTr("movies"),
         summaryTr(
             "Movies (items) in the movies or items file (rated or not) plus rated unknown ones")},
        {"density", summaryTr("density"),
         summaryTr("Ratings / (users × movies): the share of the matrix that is filled")},
        {"mean", summaryTr("mean rating"),
         summaryTr("Mean of all ratings, on the dataset's rating scale (shown below the mean); "
                   "implicit feedback has no ratings")},
        {"dates", summaryTr("date range"),
         summaryTr("Years of the first and the last rating (UTC)")},
        {"tags", summaryTr("tags"), summaryTr("Free-text tags users applied to movies")},
        {"skipped", summaryTr("skipped lines"),
         summaryTr("Malformed lines skipped in lenient mode (0 in strict mode)")},
        {"seconds", summaryTr("load time"),
         summaryTr("Wall time to read, parse and index the dataset")},
        {"memory", summaryTr("memory"), summaryTr("Memory the indexed dataset occupies")},
    };
    constexpr int kColumns = 5;
    int i = 0;
    for (const Spec& spec : specs) {
        auto* card = new SummaryCard(spec.caption, spec.tip, box);
        card->setObjectName(QStringLiteral("card_%1").arg(QLatin1String(spec.key)));
        cards.insert(QLatin1String(spec.key), card);
        grid->addWidget(card, i / kColumns, i % kColumns);
        ++i;
    }
    for (int c = 0; c < kColumns; ++c) grid->setColumnStretch(c, 1);
    return box;
}

QString ratingScaleSummary(const Dataset& d) {
    if (d.scale.implicit)
        return summaryTr("implicit feedback (no ratings): rating models are disabled");
    return QString::fromStdString(ratingScaleText(d.scale));
}

QStringList filterSummary(const Dataset& d) {
    QStringList steps;
    for (const FilterStep& step : d.filterSteps)
        steps << summaryTr("%1 removed %2, %3, %4")
                     .arg(QString::fromStdString(step.filter),
                          countText(step.removedRatings, "%1 rating", "%1 ratings"),
                          countText(step.removedUsers, "%1 user", "%1 users"),
                          countText(step.removedMovies, "%1 item", "%1 items"));
    return steps;
}

void showDatasetSummary(const QMap<QString, SummaryCard*>& cards, const Dataset& d,
                        double jobSeconds) {
    const QLocale locale;
    cards["ratings"]->setValue(summaryCount(d.ratingCount()));
    cards["users"]->setValue(summaryCount(d.userCount()));
    cards["movies"]->setValue(summaryCount(d.movieCount()),
                              summaryTr("%1 of them rated").arg(summaryCount(d.ratedMovieCount())));
    const double density = d.density();
    cards["density"]->setValue(
        locale.toString(density * 100.0, 'f', density >= 0.01 ? 2 : 3) + QStringLiteral(" %"),
        summaryTr("Sparsity %1 %").arg(locale.toString((1.0 - density) * 100.0, 'f', 3)));
    if (d.scale.implicit)
        cards["mean"]->setValue(summaryTr("implicit"),
                                summaryTr("no ratings: rating models are disabled"));
    else
        cards["mean"]->setValue(
            d.ratingCount() ? locale.toString(d.ratingMean(), 'f', 2) : QStringLiteral("–"),
            summaryTr("Exact: %1 · scale %2")
                .arg(locale.toString(d.ratingMean(), 'f', 4), ratingScaleSummary(d)));
    if (d.ratingCount() && d.maxTimestamp() > 0) {
        const QDate first = QDateTime::fromSecsSinceEpoch(d.minTimestamp(), Qt::UTC).date();
        const QDate last = QDateTime::fromSecsSinceEpoch(d.maxTimestamp(), Qt::UTC).date();
        cards["dates"]->setValue(
            first.year() == last.year()
                ? QString::number(first.year())
                : QStringLiteral("%1–%2").arg(first.year()).arg(last.year()),
            QStringLiteral("%1 – %2").arg(first.toString(Qt::ISODate), last.toString(Qt::ISODate)));
    } else {
        cards["dates"]->setValue(QStringLiteral("–"));
    }
    cards["tags"]->setValue(summaryCount(d.tags.size()));
    cards["skipped"]->setValue(
        summaryCount(d.report.skippedLines),
        d.report.warnings.empty() ? QString() : QString::fromStdString(d.report.warnings.front()));
    const double seconds = d.report.loadSeconds > 0.0 ? d.report.loadSeconds : jobSeconds;
    cards["seconds"]->setValue(
        locale.toString(seconds, 'f', seconds < 10 ? 2 : 1) + QStringLiteral(" s"),
        summaryTr("Whole job in the worker: %1 s").arg(locale.toString(jobSeconds, 'f', 3)));
    cards["memory"]->setValue(locale.formattedDataSize(static_cast<qint64>(d.memoryBytes())));
}

QStringList loadNotes(const Dataset& d) {
    QStringList notes;
    if (d.report.skippedLines)
        notes << countText(d.report.skippedLines, "%1 malformed line skipped",
                           "%1 malformed lines skipped");
    if (d.report.duplicateRatings)
        notes << countText(d.report.duplicateRatings, "%1 duplicate rating (the last one kept)",
                           "%1 duplicate ratings (the last of each kept)");
    if (d.report.unknownMovies)
        notes << countText(d.report.unknownMovies, "%1 rated movie missing from the movies file",
                           "%1 rated movies missing from the movies file");
    if (d.report.skippedLines && !d.report.warnings.empty())
        notes << summaryTr("first: %1").arg(QString::fromStdString(d.report.warnings.front()));
    if (d.scale.implicit)
        notes << summaryTr(
            "implicit feedback (no rating column): rating models are disabled, ranking "
            "models apply");
    else if (!d.scale.isHalfStars())
        notes << summaryTr("ratings %1").arg(ratingScaleSummary(d));
    for (const QString& step : filterSummary(d)) notes << summaryTr("filter: %1").arg(step);
    return notes;
}

}  // namespace lens::ui
