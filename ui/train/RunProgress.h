#pragma once
// The running training's progress row: a bar of finished iterations (epochs) and a label with
// the iteration, the elapsed time and the time left (ETA = elapsed / finished iterations x
// remaining iterations); "Idle" between runs, the status, duration and test figure (scored once,
// when the run ends) after one.
#include <QWidget>

#include "models/Recommender.h"
#include "train/TrainingRun.h"

class QLabel;
class QProgressBar;

namespace lens::ui {

class RunProgress : public QWidget {
    Q_OBJECT
public:
    explicit RunProgress(QWidget* parent = nullptr);

    QProgressBar* bar() const { return bar_; }
    QLabel* label() const { return label_; }

    void started(const QString& modelName, int plannedIterations);  // "Preparing ALS…"
    void advance(const lens::TrainingSnapshot& snapshot);
    // A completed run fills the bar; `testFigures` ("test RMSE 0.8600") follows the status.
    void finished(RunStatus status, double seconds, const QString& testFigures = {});
    void reset();  // "Idle"

private:
    QProgressBar* bar_;
    QLabel* label_;
};

}  // namespace lens::ui
