#pragma once
// The trials of a hyper-parameter sweep as a table (the Sweep dialog's results): one row per
// trial in the order trained, columns "#", one per swept hyper-parameter, the validation metric
// and the training seconds. Rows arrive one by one while the sweep runs (appendTrial) and are
// replaced by the engine's final list when it finishes (setResult), which also marks the best
// trial (bold, "best" in its tooltip). SortRole gives numbers for a sorting proxy.
#include <QAbstractTableModel>
#include <QStringList>
#include <optional>
#include <vector>

#include "tuning/Sweep.h"

namespace lens::ui {

class SweepTrialModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit SweepTrialModel(QObject* parent = nullptr);

    // Empties the table and sets its columns: the swept keys and the metric's heading
    // ("validation RMSE").
    void reset(const QStringList& keys, const QString& metricHeading);
    void clear();  // no rows, no parameter columns
    void appendTrial(const lens::SweepTrial& trial);
    // The finished sweep: every trial and the best one.
    void setResult(const lens::SweepResult& result);

    const std::vector<lens::SweepTrial>& trials() const { return trials_; }
    std::optional<std::size_t> best() const { return best_; }
    QStringList keys() const { return keys_; }

    // Columns after the parameters'.
    int validationColumn() const { return 1 + static_cast<int>(keys_.size()); }
    int secondsColumn() const { return validationColumn() + 1; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString paramValue(const lens::SweepTrial& trial, const QString& key) const;

    QStringList keys_;
    QString metricHeading_;
    std::vector<lens::SweepTrial> trials_;
    std::optional<std::size_t> best_;
};

}  // namespace lens::ui
