#pragma once
// The Compare stage's two tables, read from one lens::Comparison.
//
// ComparisonTableModel: one row per metric (accuracy metrics first, then the beyond-accuracy
// ones), one column per model after the metric's name and direction; a cell reads
// "mean [lower, upper]" with the bootstrap CI, the best model of a row in bold. The numbers are
// also there as doubles (EstimateRole, LowerRole, UpperRole) for tests and charts.
//
// PairsTableModel: one row per pair of models and metric: mean difference a - b with its paired
// t CI, p of the paired t-test, of the Wilcoxon signed-rank test and Holm-adjusted, and a mark
// when the Holm-adjusted p is below 0.05 (* < 0.05, ** < 0.01, *** < 0.001) naming the better
// model. ValueRole holds each numeric cell as a double.
#include <QAbstractTableModel>
#include <memory>
#include <string>
#include <vector>

#include "eval/ModelComparison.h"

namespace lens::ui {

// A metric's name for people: "NDCG@10 (full)", "RMSE", "novelty (bits)".
QString metricLabel(const std::string& metric, int cutoff = 10);
// "0.8512" with a precision that suits the metric; "-" for NaN.
QString formatMetric(double value);
QString formatP(double p);  // "<1e-4", "0.0123", "-"

class ComparisonTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { MetricColumn, DirectionColumn, FirstModelColumn };
    static constexpr int EstimateRole = Qt::UserRole + 1;
    static constexpr int LowerRole = Qt::UserRole + 2;
    static constexpr int UpperRole = Qt::UserRole + 3;
    static constexpr int MetricKeyRole = Qt::UserRole + 4;  // the engine's metric name

    explicit ComparisonTableModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const Comparison> comparison);  // null clears
    std::string metricAt(int row) const;
    int rowOf(const std::string& metric) const;  // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    int bestModel(int row) const;  // -1 when no model has a finite value
    std::shared_ptr<const Comparison> comparison_;
    std::vector<std::string> metrics_;
    // cells_[row][model]: the estimate (list-set figures such as coverage have NaN bounds);
    // n == 0 where the model has no such metric.
    std::vector<std::vector<BootstrapCI>> cells_;
};

class PairsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        MetricColumn,
        PairColumn,
        UsersColumn,
        DifferenceColumn,
        CiColumn,
        PtColumn,
        PWilcoxonColumn,
        PHolmColumn,
        SignificanceColumn,
        ColumnCount
    };
    static constexpr int ValueRole = Qt::UserRole + 1;  // CiColumn: the lower bound
    static constexpr double kAlpha = 0.05;

    explicit PairsTableModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const Comparison> comparison);
    const PairResult* pair(int row) const;
    static QString significanceMark(const PairResult& pair);  // "" when not significant

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Comparison> comparison_;
};

}  // namespace lens::ui
