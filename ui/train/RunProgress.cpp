#include "train/RunProgress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <algorithm>

namespace lens::ui {

RunProgress::RunProgress(QWidget* parent)
    : QWidget(parent), bar_(new QProgressBar), label_(new QLabel(tr("Idle"))) {
    bar_->setRange(0, 1);
    bar_->setValue(0);
    bar_->setToolTip(tr("Finished iterations (epochs) of the running training"));
    label_->setToolTip(
        tr("Iteration, elapsed time and estimated time left "
           "(elapsed / finished iterations x remaining iterations)"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(bar_, 1);
    row->addWidget(label_);
}

void RunProgress::started(const QString& modelName, int plannedIterations) {
    bar_->setRange(0, std::max(1, plannedIterations));
    bar_->setValue(0);
    label_->setText(tr("Preparing %1…").arg(modelName));
}

void RunProgress::advance(const TrainingSnapshot& s) {
    bar_->setRange(0, std::max(1, s.totalIterations));
    bar_->setValue(s.iteration);
    const double eta =
        s.iteration > 0 ? s.elapsedSeconds / s.iteration * (s.totalIterations - s.iteration) : 0.0;
    label_->setText(tr("Iteration %1/%2 · elapsed %3 · ETA %4")
                        .arg(s.iteration)
                        .arg(s.totalIterations)
                        .arg(formatDuration(s.elapsedSeconds), formatDuration(eta)));
}

void RunProgress::finished(RunStatus status, double seconds, const QString& testFigures) {
    if (status == RunStatus::Completed) bar_->setValue(bar_->maximum());
    QString text = tr("%1 (%2)").arg(runStatusName(status), formatDuration(seconds));
    if (!testFigures.isEmpty()) text += QStringLiteral(" · ") + testFigures;
    label_->setText(text);
}

void RunProgress::reset() {
    bar_->setValue(0);
    label_->setText(tr("Idle"));
}

}  // namespace lens::ui
