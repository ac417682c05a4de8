#include "compare/CompareFigures.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMap>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "compare/ComparisonTableModel.h"
#include "eval/Segments.h"

namespace lens::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kBarWidth = 0.8;

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

QValueAxis* valueAxis(const QString& title) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.3g"));
    return axis;
}

void hideLegendEntry(QChart* chart, QAbstractSeries* series) {
    for (QLegendMarker* marker : chart->legend()->markers(series)) marker->setVisible(false);
}

IntervalValue fromCi(const BootstrapCI& ci) {
    return {ci.estimate, ci.lower, ci.upper};
}

IntervalValue metricValue(const ModelResult& m, const std::string& metric) {
    if (const MetricEstimate* e = m.metric(metric)) return fromCi(e->ci);
    for (const MetricEstimate& e : m.beyond.perUser)
        if (e.metric == metric) return fromCi(e.ci);
    return {kNaN, kNaN, kNaN};
}

QStringList modelNames(const Comparison& c) {
    QStringList names;
    for (const ModelResult& m : c.models) names << QString::fromStdString(m.name);
    return names;
}

// Segments of `dimension` named in `order` (those some model has), each model's estimate of
// `metric`. With `withSizes`, a label carries the segment's users ("female (n 273)") and a star
// when they are fewer than kSmallSegmentUnits.
void fillSegments(QChart* chart, const Comparison& c, const QString& title,
                  const std::string& dimension, const std::vector<std::string>& order,
                  const std::string& metric, const QString& yTitle, bool withSizes = false,
                  bool horizontal = false) {
    QStringList categories;
    std::vector<std::string> present;
    for (const std::string& name : order)
        for (const ModelResult& m : c.models) {
            const auto it =
                std::find_if(m.segments.begin(), m.segments.end(), [&](const SegmentEstimate& s) {
                    return s.dimension == dimension && s.segment == name && s.metric == metric;
                });
            if (it == m.segments.end()) continue;
            present.push_back(name);
            // "cold (lightest 10 %)" -> "cold (10 %)": labels must fit under the bars.
            QString label = QString::fromStdString(name)
                                .remove(QStringLiteral("lightest "))
                                .remove(QStringLiteral("heaviest "));
            if (withSizes)
                label = QObject::tr("%1 (n %2)%3")
                            .arg(label)
                            .arg(it->units)
                            .arg(it->units < kSmallSegmentUnits ? QStringLiteral(" *") : QString());
            categories << label;
            break;
        }
    std::vector<std::vector<IntervalValue>> values;
    for (const ModelResult& m : c.models) {
        std::vector<IntervalValue> row(present.size(), IntervalValue{kNaN, kNaN, kNaN});
        for (std::size_t k = 0; k < present.size(); ++k)
            for (const SegmentEstimate& s : m.segments)
                if (s.dimension == dimension && s.segment == present[k] && s.metric == metric)
                    row[k] = fromCi(s.ci);
        values.push_back(std::move(row));
    }
    if (horizontal) {  // the first segment at the top: horizontal bars count from the bottom
        std::reverse(categories.begin(), categories.end());
        for (auto& row : values) std::reverse(row.begin(), row.end());
    }
    fillIntervalBars(chart, title, categories, modelNames(c), values, yTitle, horizontal);
}

std::string segmentMetric(const Comparison& c) {
    return c.models.empty() ? std::string(kUserNdcgFull)
                            : primaryMetric(c.models[0].predictsRatings);
}

}  // namespace

QColor compareModelColour(int model) {
    static const QColor colours[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                     QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b)};
    return colours[static_cast<std::size_t>(model) % std::size(colours)];
}

void fillIntervalBars(QChart* chart, const QString& title, const QStringList& categories,
                      const QStringList& series,
                      const std::vector<std::vector<IntervalValue>>& values, const QString& yTitle,
                      bool horizontal) {
    clearChart(chart);
    chart->setTitle(title);
    QAbstractBarSeries* bars = horizontal
                                   ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)
                                   : static_cast<QAbstractBarSeries*>(new QBarSeries);
    bars->setBarWidth(kBarWidth);
    double low = 0, high = 0;
    auto extend = [&](double v) {
        if (!std::isfinite(v)) return;
        low = std::min(low, v);
        high = std::max(high, v);
    };
    for (int s = 0; s < series.size() && s < static_cast<int>(values.size()); ++s) {
        auto* set = new QBarSet(series[s]);
        set->setColor(compareModelColour(s));
        set->setBorderColor(compareModelColour(s).darker(130));
        for (int k = 0; k < categories.size(); ++k) {
            const double mean = values[s][static_cast<std::size_t>(k)].mean;
            *set << (std::isfinite(mean) ? mean : 0.0);
            extend(mean);
            extend(values[s][static_cast<std::size_t>(k)].lower);
            extend(values[s][static_cast<std::size_t>(k)].upper);
        }
        bars->append(set);
    }
    chart->addSeries(bars);
    auto* xCategories = new QBarCategoryAxis;
    xCategories->append(categories);
    // Qt Charts shortens category labels on a vertical axis to "..." when it thinks space is
    // short; the occupation names are the point of that chart, so they stay whole.
    if (horizontal) xCategories->setTruncateLabels(false);
    auto* y = valueAxis(yTitle);
    const double pad = (high - low) * 0.08;
    y->setRange(low < 0 ? low - pad : 0.0, high > low ? high + pad : 1.0);
    y->applyNiceNumbers();
    // Horizontal bars: categories up the left side, values along the bottom.
    const Qt::Alignment categorySide = horizontal ? Qt::AlignLeft : Qt::AlignBottom;
    chart->addAxis(xCategories, categorySide);
    chart->addAxis(y, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    bars->attachAxis(xCategories);
    bars->attachAxis(y);

    // Whiskers on a hidden numeric axis spanning the category axis' range (-0.5 .. n - 0.5):
    // set s of k in category i is centred at i - W/2 + (s + 1/2) W/k.
    auto* xNumbers = new QValueAxis;
    xNumbers->setRange(-0.5, categories.size() - 0.5);
    xNumbers->setVisible(false);
    chart->addAxis(xNumbers, categorySide);
    const auto point = [horizontal](double along, double value) {
        return horizontal ? QPointF(value, along) : QPointF(along, value);
    };
    const int k = static_cast<int>(std::min<std::size_t>(series.size(), values.size()));
    const double cap = kBarWidth / std::max(1, k) * 0.2;
    for (int s = 0; s < k; ++s)
        for (int i = 0; i < categories.size(); ++i) {
            const IntervalValue& v = values[s][static_cast<std::size_t>(i)];
            if (!std::isfinite(v.lower) || !std::isfinite(v.upper)) continue;
            const double x = i - kBarWidth / 2 + (s + 0.5) * kBarWidth / k;
            auto* whisker = new QLineSeries;
            whisker->setName(QStringLiteral("%1 CI").arg(series[s]));
            *whisker << point(x - cap, v.lower) << point(x + cap, v.lower) << point(x, v.lower)
                     << point(x, v.upper) << point(x - cap, v.upper) << point(x + cap, v.upper);
            QPen pen(QColor(40, 40, 40));
            pen.setWidthF(1.4);
            whisker->setPen(pen);
            chart->addSeries(whisker);
            whisker->attachAxis(xNumbers);
            whisker->attachAxis(y);
            hideLegendEntry(chart, whisker);
        }
    chart->legend()->setVisible(series.size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
}

std::vector<std::pair<double, double>> pairedUserValues(const ModelResult& a, const ModelResult& b,
                                                        const std::string& metric) {
    std::vector<std::pair<double, double>> out;
    const PerUserColumn* ca = a.perUser.column(metric);
    const PerUserColumn* cb = b.perUser.column(metric);
    if (!ca || !cb) return out;
    std::unordered_map<std::uint32_t, double> ofB;
    for (std::size_t k = 0; k < b.perUser.users.size() && k < cb->values.size(); ++k)
        ofB.emplace(b.perUser.users[k], cb->values[k]);
    for (std::size_t k = 0; k < a.perUser.users.size() && k < ca->values.size(); ++k) {
        const auto it = ofB.find(a.perUser.users[k]);
        if (it == ofB.end() || !std::isfinite(ca->values[k]) || !std::isfinite(it->second))
            continue;
        out.emplace_back(ca->values[k], it->second);
    }
    return out;
}

void fillScatter(QChart* chart, const Comparison& c, int a, int b, const std::string& metric) {
    clearChart(chart);
    const int n = static_cast<int>(c.models.size());
    if (a < 0 || b < 0 || a >= n || b >= n) return;
    const ModelResult& ma = c.models[static_cast<std::size_t>(a)];
    const ModelResult& mb = c.models[static_cast<std::size_t>(b)];
    const QString label = metricLabel(metric, c.cutoff);
    chart->setTitle(
        QObject::tr("Per user: %1 of %2 against %3")
            .arg(label, QString::fromStdString(ma.name), QString::fromStdString(mb.name)));
    const auto points = pairedUserValues(ma, mb, metric);
    auto* scatter = new QScatterSeries;
    scatter->setName(QObject::tr("users (%1)").arg(points.size()));
    scatter->setMarkerSize(6);
    QColor fill = compareModelColour(0);
    fill.setAlpha(110);
    scatter->setColor(fill);
    scatter->setBorderColor(Qt::transparent);
    double low = 0, high = 1;
    if (!points.empty()) {
        low = high = points.front().first;
        for (const auto& [x, y] : points) {
            *scatter << QPointF(x, y);
            low = std::min({low, x, y});
            high = std::max({high, x, y});
        }
    }
    if (high <= low) high = low + 1;
    const double pad = (high - low) * 0.04;
    auto* diagonal = new QLineSeries;
    diagonal->setName(QObject::tr("equal (y = x)"));
    diagonal->setPen(QPen(QColor(120, 120, 120), 1.2, Qt::DashLine));
    *diagonal << QPointF(low - pad, low - pad) << QPointF(high + pad, high + pad);
    chart->addSeries(scatter);
    chart->addSeries(diagonal);
    auto* x = valueAxis(QObject::tr("%1, %2").arg(label, QString::fromStdString(ma.name)));
    auto* y = valueAxis(QObject::tr("%1, %2").arg(label, QString::fromStdString(mb.name)));
    x->setRange(low - pad, high + pad);
    y->setRange(low - pad, high + pad);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s :
         {static_cast<QAbstractSeries*>(scatter), static_cast<QAbstractSeries*>(diagonal)}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
}

void fillHistogram(QChart* chart, const Comparison& c, const std::string& metric, int bins) {
    clearChart(chart);
    const QString label = metricLabel(metric, c.cutoff);
    chart->setTitle(QObject::tr("Distribution of per-user %1").arg(label));
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const ModelResult& m : c.models)
        if (const PerUserColumn* col = m.perUser.column(metric))
            for (double v : col->values)
                if (std::isfinite(v)) {
                    low = std::min(low, v);
                    high = std::max(high, v);
                }
    if (!std::isfinite(low)) low = 0, high = 1;
    if (high <= low) high = low + 1;
    const double width = (high - low) / bins;
    auto* series = new QBarSeries;
    series->setBarWidth(0.9);
    for (std::size_t j = 0; j < c.models.size(); ++j) {
        const ModelResult& m = c.models[j];
        std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
        double total = 0;
        if (const PerUserColumn* col = m.perUser.column(metric))
            for (double v : col->values) {
                if (!std::isfinite(v)) continue;
                const int bin = std::clamp(static_cast<int>((v - low) / width), 0, bins - 1);
                counts[static_cast<std::size_t>(bin)] += 1;
                total += 1;
            }
        auto* set = new QBarSet(QString::fromStdString(m.name));
        set->setColor(compareModelColour(static_cast<int>(j)));
        set->setBorderColor(compareModelColour(static_cast<int>(j)).darker(130));
        for (double count : counts) *set << (total > 0 ? 100.0 * count / total : 0.0);
        series->append(set);
    }
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    QStringList edges;
    // Two significant digits: twenty labels must fit under the bars unelided.
    for (int b = 0; b < bins; ++b) edges << QString::number(low + b * width, 'g', 2);
    x->append(edges);
    x->setTitleText(QObject::tr("%1 (bin lower edge)").arg(label));
    auto* y = valueAxis(QObject::tr("users (%)"));
    y->setMin(0);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    y->applyNiceNumbers();
    chart->legend()->setAlignment(Qt::AlignBottom);
}

void fillActivitySegments(QChart* chart, const Comparison& c) {
    const std::string metric = segmentMetric(c);
    std::vector<std::string> order;
    for (int b = 0; b < kActivityBucketCount; ++b)
        order.push_back(activityBucketName(static_cast<ActivityBucket>(b), 0.10));
    // The cold bucket's name carries the share; take the names the comparison used.
    for (const ModelResult& m : c.models)
        for (const SegmentEstimate& s : m.segments)
            if (s.dimension == kSegmentActivity && s.metric == metric &&
                std::find(order.begin(), order.end(), s.segment) == order.end())
                order.insert(order.begin(), s.segment);
    fillSegments(
        chart, c,
        QObject::tr("%1 by user activity (training ratings)").arg(metricLabel(metric, c.cutoff)),
        kSegmentActivity, order, metric, metricLabel(metric, c.cutoff));
}

void fillDemographicSegments(QChart* chart, const Comparison& c, DemographicDimension dimension) {
    const std::string metric = segmentMetric(c);
    const std::string key = demographicDimensionKey(dimension);
    // The engine's order (fixed for gender and age, largest first for occupation).
    std::vector<std::string> order;
    for (const ModelResult& m : c.models)
        for (const SegmentEstimate& s : m.segments)
            if (s.dimension == key && s.metric == metric &&
                std::find(order.begin(), order.end(), s.segment) == order.end())
                order.push_back(s.segment);
    const QString label = metricLabel(metric, c.cutoff);
    QString title = dimension == DemographicDimension::Gender ? QObject::tr("%1 by gender")
                    : dimension == DemographicDimension::AgeGroup
                        ? QObject::tr("%1 by age group")
                        : QObject::tr("%1 by occupation (largest first)");
    if (order.empty()) title += QObject::tr(" (the release has no user file)");
    // Occupations as horizontal bars: 21 names read in full down the left side.
    fillSegments(chart, c, title.arg(label), key, order, metric, label, true,
                 dimension == DemographicDimension::Occupation);
}

void fillGenderSegments(QChart* chart, const Comparison& c) {
    fillDemographicSegments(chart, c, DemographicDimension::Gender);
}

void fillAgeSegments(QChart* chart, const Comparison& c) {
    fillDemographicSegments(chart, c, DemographicDimension::AgeGroup);
}

void fillOccupationSegments(QChart* chart, const Comparison& c) {
    fillDemographicSegments(chart, c, DemographicDimension::Occupation);
}

void fillPopularityTiers(QChart* chart, const Comparison& c) {
    std::vector<std::string> order;
    for (int t = 0; t < kPopularityTierCount; ++t)
        order.push_back(popularityTierName(static_cast<PopularityTier>(t)));
    fillSegments(chart, c,
                 QObject::tr("%1 by the test movie's popularity tier")
                     .arg(metricLabel(kUserHrFull, c.cutoff)),
                 kSegmentPopularity, order, kUserHrFull, metricLabel(kUserHrFull, c.cutoff));
}

void fillBeyondAccuracy(QChart* chart, const Comparison& c) {
    // Shares in [0, 1] only, so that one axis reads them all (novelty in bits and popularity
    // in ratings are in the metrics table).
    const std::vector<std::string> shares = {"coverage", "exposure_gini", "ild_genre",
                                             "ild_embedding", "long_tail_share"};
    std::vector<std::string> present;
    for (const std::string& name : shares) {
        bool any = false;
        for (const ModelResult& m : c.models) {
            if (name == "coverage" || name == "exposure_gini")
                any = any || m.beyond.catalogueSize > 0;
            else
                any = any || std::isfinite(metricValue(m, name).mean);
        }
        if (any) present.push_back(name);
    }
    // Short labels that fit under the bars (the caption and the table spell them out).
    const QMap<std::string, QString> shortNames = {
        {"coverage", QObject::tr("coverage")},
        {"exposure_gini", QObject::tr("exposure Gini")},
        {"ild_genre", QObject::tr("ILD genres")},
        {"ild_embedding", QObject::tr("ILD embedding")},
        {"long_tail_share", QObject::tr("long-tail share")}};
    QStringList categories;
    for (const std::string& name : present) categories << shortNames.value(name);
    std::vector<std::vector<IntervalValue>> values;
    for (const ModelResult& m : c.models) {
        std::vector<IntervalValue> row;
        for (const std::string& name : present) {
            if (name == "coverage")
                row.push_back({m.beyond.coverage, kNaN, kNaN});
            else if (name == "exposure_gini")
                row.push_back({m.beyond.exposureGini, kNaN, kNaN});
            else
                row.push_back(metricValue(m, name));
        }
        values.push_back(std::move(row));
    }
    fillIntervalBars(chart, QObject::tr("Beyond accuracy: the top-%1 lists").arg(c.cutoff),
                     categories, modelNames(c), values, QObject::tr("share"));
    for (QAbstractAxis* axis : chart->axes(Qt::Vertical))
        if (auto* y = qobject_cast<QValueAxis*>(axis)) {
            y->setRange(0.0, 1.0);  // every bar is a share
            y->setTickCount(6);
        }
}

void fillProtocols(QChart* chart, const Comparison& c) {
    const std::vector<std::pair<std::string, std::string>> pairs = {
        {kUserHrSampled, kUserHrFull},
        {kUserNdcgSampled, kUserNdcgFull},
        {kUserRrSampled, kUserRrFull}};
    std::vector<std::string> present;
    for (const auto& [sampled, full] : pairs) {
        bool both = false;
        for (const ModelResult& m : c.models) both = both || (m.metric(sampled) && m.metric(full));
        if (both) present.insert(present.end(), {sampled, full});
    }
    // Short labels (the title names the cutoff): "HR sampled", "NDCG full", "RR full".
    QStringList categories;
    for (const std::string& name : present) {
        QString label = QString::fromStdString(name).toUpper();
        label.replace(QStringLiteral("_SAMPLED"), QObject::tr(" sampled"));
        label.replace(QStringLiteral("_FULL"), QObject::tr(" full"));
        categories << label;
    }
    std::vector<std::vector<IntervalValue>> values;
    for (const ModelResult& m : c.models) {
        std::vector<IntervalValue> row;
        for (const std::string& name : present) row.push_back(metricValue(m, name));
        values.push_back(std::move(row));
    }
    fillIntervalBars(
        chart, QObject::tr("@%1: sampled (100 negatives) vs full-catalogue ranking").arg(c.cutoff),
        categories, modelNames(c), values, QObject::tr("mean over users"));
}

QStringList perUserMetricNames(const Comparison& c) {
    QStringList names;
    if (c.models.empty()) return names;
    for (const PerUserColumn& column : c.models.front().perUser.columns) {
        bool everywhere = true;
        for (const ModelResult& m : c.models)
            everywhere = everywhere && m.perUser.column(column.name) != nullptr;
        if (everywhere) names << QString::fromStdString(column.name);
    }
    return names;
}

QString protocolNote(const Comparison& c) {
    bool both = false;
    for (const ModelResult& m : c.models)
        both = both || (m.metric(kUserHrSampled) && m.metric(kUserHrFull));
    if (!both || c.models.size() < 2) return {};
    if (c.disagreements.empty())
        return QObject::tr(
            "The sampled and the full-catalogue protocols order every pair of "
            "models the same way.");
    QStringList lines;
    for (const ProtocolDisagreement& d : c.disagreements)
        lines << QObject::tr(
                     "<b>The protocols disagree</b> on %1 vs %2: by %3 the difference "
                     "%1 − %2 is %4, by %5 it is %6.")
                     .arg(QString::fromStdString(d.a), QString::fromStdString(d.b),
                          metricLabel(d.sampledMetric, c.cutoff), formatMetric(d.sampledDifference),
                          metricLabel(d.fullMetric, c.cutoff), formatMetric(d.fullDifference));
    lines << QObject::tr(
        "Trust the full ranking: sampled metrics can reverse the order of "
        "models (Krichene and Rendle 2020).");
    return lines.join(QStringLiteral("<br>"));
}

}  // namespace lens::ui
