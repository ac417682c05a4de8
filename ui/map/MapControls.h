#pragma once
// The Map panel's controls: what to project (source of the genre vectors, method, unit norm), the
// t-SNE settings (enabled for t-SNE only) and the Run (F5), Pause/Resume (F6) and Stop (Shift+F5)
// actions, in two rows so the panel fits a 1280 px wide window. They read and write a
// lens::MapConfig, the engine's settings of lens::computeMaps.
#include <QWidget>

#include "projection/MapComputation.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace lens::ui {

class MapControls : public QWidget {
    Q_OBJECT
public:
    explicit MapControls(QWidget* parent = nullptr);

    lens::MapConfig config() const;
    void setConfig(const lens::MapConfig& config);

    // θ is offered only for models with genre factors (hasTheta), or while no model is known; a
    // model without it moves the choice from θ to the centroids.
    void setModel(bool hasModel, bool hasTheta);
    // Enables the actions: Run when a model can be mapped, Pause (named Resume while paused) and
    // Stop while a job runs.
    void setRunState(bool canRun, bool running, bool paused);

    QAction* runAction() const { return runAction_; }
    QAction* pauseAction() const { return pauseAction_; }
    QAction* stopAction() const { return stopAction_; }

private:
    void updateTsneControls();

    QComboBox* sourceCombo_ = nullptr;
    QComboBox* methodCombo_ = nullptr;
    QCheckBox* unitNormCheck_ = nullptr;
    QDoubleSpinBox* perplexitySpin_ = nullptr;
    QSpinBox* iterationsSpin_ = nullptr;
    QDoubleSpinBox* learningRateSpin_ = nullptr;
    QSpinBox* seedSpin_ = nullptr;
    QAction* runAction_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* stopAction_ = nullptr;
};

}  // namespace lens::ui
