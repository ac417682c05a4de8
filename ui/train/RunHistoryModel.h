#pragma once
// The Train panel's run history as a table, one row per run. The columns a user compares come
// first (started, model, test RMSE, HR@10, NDCG@10: the test part scored once when the run
// ended, see RunRecord::testFigure(); status), then what the run was (hyper-parameters; split
// with the model seed, see RunSpec::splitAndSeedText()) and the rest (final train RMSE,
// iterations, duration, and the final model's validation RMSE and HR@10, and the sweep a run
// belongs to: its trial, or its best retrained, see SweepSession). The Hyper-parameters
// cell's tooltip holds its full text (the column is narrower than long settings). The history is
// persisted across sessions in a folder of the application data location:
//     <folder>/runs.json        {"format": "lens-atlas-runs", "version": 1, "runs": [...]}
//     <folder>/<run id>.lamodel  trained models (engine ModelFile, written by the runner)
//     <folder>/<run id>.peruser  per-user test metrics (engine/io/RunHistoryFile.h)
// The index is read and written by the engine (engine/io/RunHistoryFile.h: the format, its
// forgiving reading and atomic writing) and rewritten after each change. Loading is forgiving: a
// corrupt entry is skipped with a message naming it, an unreadable index is set aside as
// runs.json.corrupt (never overwritten silently) and the history starts empty. Runs that were
// queued or running when the app ended (crash) come back as "cancelled".
#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <vector>

#include "train/TrainingRun.h"

namespace lens::ui {

class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StartedColumn,
        ModelColumn,
        TestRmseColumn,
        Hr10Column,
        Ndcg10Column,
        StatusColumn,
        HyperparametersColumn,
        SplitColumn,  // the split and, where its text lacks it, "model seed N"
        TrainRmseColumn,
        IterationsColumn,
        DurationColumn,
        ValidationRmseColumn,
        ValidationHr10Column,
        SweepColumn,  // "sweep 3, trial 2/12" (RunSpec::sweepText()); empty for other runs
        ColumnCount
    };
    static constexpr int RunIdRole = Qt::UserRole + 1;
    static constexpr int SortRole = Qt::UserRole + 2;  // numbers as numbers

    explicit RunHistoryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const RunRecord& record(int row) const { return runs_[static_cast<std::size_t>(row)]; }
    const RunRecord* find(const QString& runId) const;
    int rowOf(const QString& runId) const;  // -1 when absent
    const std::vector<RunRecord>& runs() const { return runs_; }

    void addRun(RunRecord record);            // appends a row
    void updateRun(const RunRecord& record);  // replaces the row with the same id
    void removeRun(const QString& runId);
    // Appends a snapshot to a run's history (live training) and refreshes its row.
    void appendSnapshot(const QString& runId, const lens::TrainingSnapshot& snapshot);

    // Persistence. The folder is created on save. load() replaces the rows and returns the
    // problems found (empty when all was well).
    void setFolder(const QString& folder) { folder_ = folder; }
    QString folder() const { return folder_; }
    QString indexPath() const;
    QStringList load();
    bool save(QString* error = nullptr) const;

private:
    void emitRowChanged(int row);
    QString folder_;
    std::vector<RunRecord> runs_;
};

}  // namespace lens::ui
