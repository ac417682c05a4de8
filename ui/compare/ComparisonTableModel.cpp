#include "compare/ComparisonTableModel.h"

#include <QFont>
#include <QMap>
#include <cmath>
#include <limits>

namespace lens::ui {

namespace {

bool finite(double v) {
    return std::isfinite(v);
}

}  // namespace

QString metricLabel(const std::string& metric, int cutoff) {
    const QString n = QString::number(cutoff);
    static const QMap<QString, QString> names = {
        {QStringLiteral("rmse"), QStringLiteral("RMSE")},
        {QStringLiteral("mae"), QStringLiteral("MAE")},
        {QStringLiteral("hr_sampled"), QStringLiteral("HR@N (sampled)")},
        {QStringLiteral("ndcg_sampled"), QStringLiteral("NDCG@N (sampled)")},
        {QStringLiteral("rr_sampled"), QStringLiteral("reciprocal rank (sampled)")},
        {QStringLiteral("hr_full"), QStringLiteral("HR@N (full)")},
        {QStringLiteral("ndcg_full"), QStringLiteral("NDCG@N (full)")},
        {QStringLiteral("recall_full"), QStringLiteral("recall@N (full)")},
        {QStringLiteral("rr_full"), QStringLiteral("reciprocal rank (full)")},
        {QStringLiteral("novelty"), QStringLiteral("novelty (bits)")},
        {QStringLiteral("ild_genre"), QStringLiteral("diversity (genres)")},
        {QStringLiteral("ild_embedding"), QStringLiteral("diversity (embedding)")},
        {QStringLiteral("popularity"), QStringLiteral("popularity (ratings)")},
        {QStringLiteral("long_tail_share"), QStringLiteral("long-tail share")},
        {QStringLiteral("calibration_kl"), QStringLiteral("miscalibration (KL)")},
        {QStringLiteral("coverage"), QStringLiteral("catalogue coverage")},
        {QStringLiteral("exposure_gini"), QStringLiteral("exposure Gini")},
    };
    const QString key = QString::fromStdString(metric);
    QString label = names.value(key, key);
    label.replace(QStringLiteral("@N"), QStringLiteral("@") + n);
    return label;
}

QString formatMetric(double value) {
    if (!finite(value)) return QStringLiteral("-");
    const double a = std::abs(value);
    return QString::number(value, 'f', a >= 100 ? 1 : a >= 10 ? 2 : 4);
}

QString formatP(double p) {
    if (!finite(p)) return QStringLiteral("-");
    return p < 1e-4 ? QStringLiteral("<1e-4") : QString::number(p, 'f', 4);
}

// ---------------------------------------------------------------------------------------------

ComparisonTableModel::ComparisonTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ComparisonTableModel::setComparison(std::shared_ptr<const Comparison> comparison) {
    beginResetModel();
    comparison_ = std::move(comparison);
    metrics_.clear();
    cells_.clear();
    if (comparison_) {
        const auto& models = comparison_->models;
        auto addRow = [&](const std::string& metric) {
            for (const auto& m : metrics_)
                if (m == metric) return;
            metrics_.push_back(metric);
        };
        for (const ModelResult& m : models)
            for (const MetricEstimate& e : m.metrics) addRow(e.metric);
        for (const ModelResult& m : models)
            for (const MetricEstimate& e : m.beyond.perUser) addRow(e.metric);
        bool listSet = false;
        for (const ModelResult& m : models) listSet = listSet || m.beyond.catalogueSize > 0;
        if (listSet) {
            addRow("coverage");
            addRow("exposure_gini");
        }
        for (const std::string& metric : metrics_) {
            std::vector<BootstrapCI> row(models.size());
            for (std::size_t j = 0; j < models.size(); ++j) {
                const ModelResult& m = models[j];
                BootstrapCI& cell = row[j];
                cell.estimate = cell.lower = cell.upper = std::numeric_limits<double>::quiet_NaN();
                if (const MetricEstimate* e = m.metric(metric)) {
                    cell = e->ci;
                    continue;
                }
                for (const MetricEstimate& e : m.beyond.perUser)
                    if (e.metric == metric) cell = e.ci;
                if (m.beyond.catalogueSize > 0 &&
                    (metric == "coverage" || metric == "exposure_gini")) {
                    cell.n = m.beyond.catalogueSize;
                    cell.estimate =
                        metric == "coverage" ? m.beyond.coverage : m.beyond.exposureGini;
                }
            }
            cells_.push_back(std::move(row));
        }
    }
    endResetModel();
}

std::string ComparisonTableModel::metricAt(int row) const {
    return row >= 0 && row < static_cast<int>(metrics_.size()) ? metrics_[row] : std::string();
}

int ComparisonTableModel::rowOf(const std::string& metric) const {
    for (std::size_t i = 0; i < metrics_.size(); ++i)
        if (metrics_[i] == metric) return static_cast<int>(i);
    return -1;
}

int ComparisonTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(metrics_.size());
}

int ComparisonTableModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid()) return 0;
    return FirstModelColumn + (comparison_ ? static_cast<int>(comparison_->models.size()) : 0);
}

int ComparisonTableModel::bestModel(int row) const {
    const auto& cells = cells_[static_cast<std::size_t>(row)];
    const bool lower = lowerIsBetter(metrics_[static_cast<std::size_t>(row)]);
    int best = -1;
    for (std::size_t j = 0; j < cells.size(); ++j) {
        const double v = cells[j].estimate;
        if (!finite(v)) continue;
        if (best < 0 || (lower ? v < cells[best].estimate : v > cells[best].estimate))
            best = static_cast<int>(j);
    }
    return best;
}

QVariant ComparisonTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row(), column = index.column();
    const std::string& metric = metrics_[static_cast<std::size_t>(row)];
    const int cutoff = comparison_->cutoff;
    if (role == MetricKeyRole) return QString::fromStdString(metric);
    if (column == MetricColumn) {
        if (role == Qt::DisplayRole) return metricLabel(metric, cutoff);
        if (role == Qt::ToolTipRole) return QString::fromStdString(metric);
        return {};
    }
    if (column == DirectionColumn) {
        const bool rated = metric == "coverage" || metric == "exposure_gini" ||
                           metric == "novelty" || metric == "popularity" ||
                           metric.rfind("ild", 0) == 0 || metric == "long_tail_share";
        if (role == Qt::DisplayRole)
            return rated ? QString() : lowerIsBetter(metric) ? tr("lower") : tr("higher");
        if (role == Qt::ToolTipRole)
            return rated ? tr("A description of the lists, not a score: neither direction is "
                              "better in itself")
                         : tr("Which direction is better");
        return {};
    }
    const int model = column - FirstModelColumn;
    const BootstrapCI& cell =
        cells_[static_cast<std::size_t>(row)][static_cast<std::size_t>(model)];
    switch (role) {
        case Qt::DisplayRole:
            if (!finite(cell.estimate)) return QStringLiteral("-");
            if (!finite(cell.lower)) return formatMetric(cell.estimate);
            return QStringLiteral("%1 [%2, %3]")
                .arg(formatMetric(cell.estimate), formatMetric(cell.lower),
                     formatMetric(cell.upper));
        case EstimateRole:
            return cell.estimate;
        case LowerRole:
            return cell.lower;
        case UpperRole:
            return cell.upper;
        case Qt::TextAlignmentRole:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::FontRole:
            if (bestModel(row) == model && rowCount() > 0) {
                QFont bold;
                bold.setBold(true);
                return bold;
            }
            return {};
        case Qt::ToolTipRole:
            if (!finite(cell.lower))
                return tr("%1 (no interval: a figure of the whole list set, not a mean over users)")
                    .arg(formatMetric(cell.estimate));
            return tr("mean %1 over %2 users; %3 % bootstrap CI [%4, %5] from %6 resamples of "
                      "the users")
                .arg(formatMetric(cell.estimate))
                .arg(cell.n)
                .arg(comparison_->confidence * 100, 0, 'f', 0)
                .arg(formatMetric(cell.lower), formatMetric(cell.upper))
                .arg(cell.resamples);
        default:
            return {};
    }
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    if (section == MetricColumn) return role == Qt::DisplayRole ? tr("Metric") : QVariant();
    if (section == DirectionColumn) return role == Qt::DisplayRole ? tr("Better") : QVariant();
    const ModelResult& m =
        comparison_->models[static_cast<std::size_t>(section - FirstModelColumn)];
    if (role == Qt::DisplayRole)
        return tr("%1 (%2 % CI)")
            .arg(QString::fromStdString(m.name))
            .arg(comparison_->confidence * 100, 0, 'f', 0);
    if (role == Qt::ToolTipRole)
        return tr("%1: %2, %3 users scored")
            .arg(QString::fromStdString(m.name), QString::fromStdString(m.displayName))
            .arg(m.users);
    return {};
}

// ---------------------------------------------------------------------------------------------

PairsTableModel::PairsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void PairsTableModel::setComparison(std::shared_ptr<const Comparison> comparison) {
    beginResetModel();
    comparison_ = std::move(comparison);
    endResetModel();
}

const PairResult* PairsTableModel::pair(int row) const {
    if (!comparison_ || row < 0 || row >= static_cast<int>(comparison_->pairs.size()))
        return nullptr;
    return &comparison_->pairs[static_cast<std::size_t>(row)];
}

QString PairsTableModel::significanceMark(const PairResult& p) {
    if (!finite(p.pHolm) || p.pHolm >= kAlpha) return {};
    const QString stars = p.pHolm < 0.001  ? QStringLiteral("***")
                          : p.pHolm < 0.01 ? QStringLiteral("**")
                                           : QStringLiteral("*");
    return tr("%1 %2 better").arg(stars, QString::fromStdString(p.aBetter() ? p.a : p.b));
}

int PairsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !comparison_ ? 0 : static_cast<int>(comparison_->pairs.size());
}

int PairsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PairsTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PairResult& p = *pair(index.row());
    const int cutoff = comparison_->cutoff;
    if (role == ValueRole) {
        switch (index.column()) {
            case UsersColumn:
                return static_cast<qulonglong>(p.n);
            case DifferenceColumn:
                return p.meanDifference;
            case CiColumn:
                return p.ciLower;
            case PtColumn:
                return p.pT;
            case PWilcoxonColumn:
                return p.pWilcoxon;
            case PHolmColumn:
                return p.pHolm;
            default:
                return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case MetricColumn:
                return metricLabel(p.metric, cutoff);
            case PairColumn:
                return QStringLiteral("%1 − %2").arg(QString::fromStdString(p.a),
                                                     QString::fromStdString(p.b));
            case UsersColumn:
                return static_cast<qulonglong>(p.n);
            case DifferenceColumn:
                return formatMetric(p.meanDifference);
            case CiColumn:
                return QStringLiteral("[%1, %2]")
                    .arg(formatMetric(p.ciLower), formatMetric(p.ciUpper));
            case PtColumn:
                return formatP(p.pT);
            case PWilcoxonColumn:
                return formatP(p.pWilcoxon);
            case PHolmColumn:
                return formatP(p.pHolm);
            case SignificanceColumn:
                return significanceMark(p);
            default:
                return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= UsersColumn &&
        index.column() < SignificanceColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return tr("%1 users scored by both. Effect sizes: Cohen's d_z %2, rank-biserial r %3. "
                  "Significant when the Holm-adjusted p is below %4.")
            .arg(p.n)
            .arg(formatMetric(p.cohensDz), formatMetric(p.rankBiserial))
            .arg(kAlpha);
    return {};
}

QVariant PairsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    static const char* const kHeaders[ColumnCount] = {
        QT_TR_NOOP("Metric"),       QT_TR_NOOP("Pair (a − b)"), QT_TR_NOOP("Users"),
        QT_TR_NOOP("Mean diff."),   QT_TR_NOOP("95 % CI"),      QT_TR_NOOP("p (t)"),
        QT_TR_NOOP("p (Wilcoxon)"), QT_TR_NOOP("p (Holm)"),     QT_TR_NOOP("Significant")};
    static const char* const kTips[ColumnCount] = {
        QT_TR_NOOP("The per-user metric compared"),
        QT_TR_NOOP("The difference is model a minus model b, user by user"),
        QT_TR_NOOP("Users scored by both models (the pairs)"),
        QT_TR_NOOP("Mean over users of a − b"),
        QT_TR_NOOP("Paired t confidence interval of the mean difference"),
        QT_TR_NOOP("Paired t-test: is the mean difference zero?"),
        QT_TR_NOOP("Wilcoxon signed-rank test: are the differences symmetric around zero? "
                   "Robust to outliers and to non-normal differences"),
        QT_TR_NOOP("The paired t p-value adjusted by Holm's step-down method over all pairs of "
                   "this metric (controls the family-wise error rate)"),
        QT_TR_NOOP("* p (Holm) < 0.05, ** < 0.01, *** < 0.001, naming the better model")};
    if (role == Qt::DisplayRole) return tr(kHeaders[section]);
    if (role == Qt::ToolTipRole) return tr(kTips[section]);
    return {};
}

}  // namespace lens::ui
