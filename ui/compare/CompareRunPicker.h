#pragma once
// The runs a comparison is made of: every completed run of the Train panel's history that saved
// a model, as a checkable list (latest first). Runs compare only when they are on the loaded
// dataset and on the same split and split seed (so they score the same test users and pair up
// user by user); incompatibility() names the first reason they do not, in words, and the panel
// shows it and disables Compare. By default the two latest compatible runs are ticked. The
// ticked runs come in the list's order, latest first: model A is the newest, B the one before.
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "train/TrainingRun.h"

class QLabel;
class QListWidget;
class QListWidgetItem;

namespace lens::ui {

class RunHistoryModel;

class CompareRunPicker : public QWidget {
    Q_OBJECT
public:
    explicit CompareRunPicker(RunHistoryModel* history, QWidget* parent = nullptr);

    // The dataset the runs must have been trained on (the loaded one's name; empty: none).
    void setDatasetName(const QString& name);
    QString datasetName() const { return datasetName_; }

    // Completed runs with a saved model (latest first) and the ticked ones (list order).
    QStringList listedRuns() const;
    QStringList checkedRuns() const;
    QList<RunRecord> checkedRecords() const;
    void setCheckedRuns(const QStringList& runIds);
    // Ticks the two latest runs that compare with each other (fewer when there are none).
    void checkDefaultRuns();

    // Why `runs` cannot be compared on `datasetName` (empty when they can).
    static QString incompatibility(const QList<RunRecord>& runs, const QString& datasetName);
    QString problem() const;  // incompatibility() of the ticked runs
    // The name of the index-th ticked run in a comparison: "A als", "B bias", ...
    static QString comparedName(int index, const RunRecord& run);
    bool canCompare() const { return problem().isEmpty(); }

    QListWidget* list() const { return list_; }
    QLabel* reasonLabel() const { return reason_; }

signals:
    void selectionChanged();

private:
    void rebuild();
    void updateReason();

    RunHistoryModel* history_;
    QListWidget* list_;
    QLabel* reason_;
    QString datasetName_;
    bool userTouched_ = false;  // the user ticked something: keep their choice on rebuilds
    bool rebuilding_ = false;
};

}  // namespace lens::ui
