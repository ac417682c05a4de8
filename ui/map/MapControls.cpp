#include "map/MapControls.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "map/MapFigures.h"

namespace lens::ui {

MapControls::MapControls(QWidget* parent) : QWidget(parent) {
    sourceCombo_ = new QComboBox(this);
    for (GenreSource source : {GenreSource::Theta, GenreSource::Centroids,
                               GenreSource::WeightedCentroids, GenreSource::Movies})
        sourceCombo_->addItem(genreSourceLabel(source), static_cast<int>(source));
    sourceCombo_->setToolTip(
        tr("Where the genre vectors come from: θ of the genre-prior ALS (one learned vector per "
           "genre), the mean of the movie vectors of each genre (optionally weighted by number of "
           "ratings), or the movie map itself"));
    methodCombo_ = new QComboBox(this);
    methodCombo_->addItem(tr("PCA"), static_cast<int>(ProjectionMethod::Pca));
    methodCombo_->addItem(tr("t-SNE"), static_cast<int>(ProjectionMethod::Tsne));
    methodCombo_->setToolTip(
        tr("PCA: linear, exact, axes carry explained variance. t-SNE: keeps neighbourhoods, "
           "animates while it converges (exact up to 1,000 points, Barnes-Hut up to 10,000, "
           "FFT-accelerated interpolation above)"));
    perplexitySpin_ = new QDoubleSpinBox(this);
    perplexitySpin_->setRange(2.0, 100.0);
    perplexitySpin_->setValue(30.0);
    perplexitySpin_->setToolTip(
        tr("t-SNE perplexity: the effective number of neighbours each point keeps (5-50)"));
    iterationsSpin_ = new QSpinBox(this);
    iterationsSpin_->setRange(50, 10000);
    iterationsSpin_->setSingleStep(250);
    iterationsSpin_->setValue(1000);
    iterationsSpin_->setToolTip(tr("t-SNE gradient-descent iterations"));
    learningRateSpin_ = new QDoubleSpinBox(this);
    learningRateSpin_->setRange(0.0, 10000.0);
    learningRateSpin_->setDecimals(0);
    learningRateSpin_->setSpecialValueText(tr("auto"));
    learningRateSpin_->setToolTip(
        tr("t-SNE learning rate; auto = max(200, points / 12) (Belkina et al. 2019)"));
    seedSpin_ = new QSpinBox(this);
    seedSpin_->setRange(0, 1'000'000'000);
    seedSpin_->setValue(42);
    seedSpin_->setToolTip(tr("t-SNE seed: the same seed gives the same map on every machine"));
    unitNormCheck_ = new QCheckBox(tr("Unit norm"), this);
    unitNormCheck_->setToolTip(
        tr("Scale every vector to length 1 before projecting, so only directions count (as "
           "TensorBoard's projector does)"));

    runAction_ = new QAction(tr("Run"), this);
    runAction_->setShortcut(QKeySequence(Qt::Key_F5));
    runAction_->setToolTip(tr("Compute the maps of the active model with these settings (F5)"));
    pauseAction_ = new QAction(tr("Pause"), this);
    pauseAction_->setShortcut(QKeySequence(Qt::Key_F6));
    pauseAction_->setToolTip(tr("Pause or resume the running t-SNE (F6)"));
    stopAction_ = new QAction(tr("Stop"), this);
    stopAction_->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    stopAction_->setToolTip(tr("Stop t-SNE and keep the map reached so far (Shift+F5)"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    auto addLabelled = [&](const QString& text, QWidget* widget) {
        auto* label = new QLabel(text, this);
        label->setBuddy(widget);
        label->setToolTip(widget->toolTip());
        row->addWidget(label);
        row->addWidget(widget);
    };
    // What to project and the actions, then the t-SNE settings (disabled for PCA).
    addLabelled(tr("&Source"), sourceCombo_);
    addLabelled(tr("&Method"), methodCombo_);
    row->addWidget(unitNormCheck_);
    for (QAction* action : {runAction_, pauseAction_, stopAction_}) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        row->addWidget(button);
    }
    row->addStretch(1);
    layout->addLayout(row);
    row = new QHBoxLayout;
    auto* tsneLabel = new QLabel(tr("t-SNE:"), this);
    tsneLabel->setToolTip(tr("Settings of t-SNE (Method = t-SNE); PCA needs none"));
    row->addWidget(tsneLabel);
    addLabelled(tr("Perplexity"), perplexitySpin_);
    addLabelled(tr("Iterations"), iterationsSpin_);
    addLabelled(tr("Learning rate"), learningRateSpin_);
    addLabelled(tr("Seed"), seedSpin_);
    row->addStretch(1);
    layout->addLayout(row);
    connect(methodCombo_, &QComboBox::currentIndexChanged, this, [this] { updateTsneControls(); });
    updateTsneControls();
    setRunState(false, false, false);
}

MapConfig MapControls::config() const {
    MapConfig config;
    config.source = static_cast<GenreSource>(sourceCombo_->currentData().toInt());
    config.projection.method = static_cast<ProjectionMethod>(methodCombo_->currentData().toInt());
    config.projection.unitNormRows = unitNormCheck_->isChecked();
    config.projection.tsne.perplexity = perplexitySpin_->value();
    config.projection.tsne.iterations = iterationsSpin_->value();
    config.projection.tsne.learningRate = learningRateSpin_->value();
    config.projection.tsne.seed = static_cast<std::uint64_t>(seedSpin_->value());
    return config;
}

void MapControls::setConfig(const MapConfig& config) {
    const int source = sourceCombo_->findData(static_cast<int>(config.source));
    if (source >= 0) sourceCombo_->setCurrentIndex(source);
    methodCombo_->setCurrentIndex(
        methodCombo_->findData(static_cast<int>(config.projection.method)));
    unitNormCheck_->setChecked(config.projection.unitNormRows);
    const TsneConfig& tsne = config.projection.tsne;
    perplexitySpin_->setValue(tsne.perplexity);
    iterationsSpin_->setValue(tsne.iterations);
    learningRateSpin_->setValue(std::max(0.0, tsne.learningRate));
    seedSpin_->setValue(static_cast<int>(std::min<std::uint64_t>(tsne.seed, 1'000'000'000)));
}

void MapControls::setModel(bool hasModel, bool hasTheta) {
    auto* items = qobject_cast<QStandardItemModel*>(sourceCombo_->model());
    const int thetaRow = sourceCombo_->findData(static_cast<int>(GenreSource::Theta));
    if (items && thetaRow >= 0) {
        QStandardItem* item = items->item(thetaRow);
        item->setEnabled(hasTheta || !hasModel);
        item->setToolTip(hasTheta ? QString()
                                  : tr("Only the genre-prior ALS learns one vector per genre"));
    }
    if (hasModel && !hasTheta && sourceCombo_->currentIndex() == thetaRow)
        sourceCombo_->setCurrentIndex(
            sourceCombo_->findData(static_cast<int>(GenreSource::Centroids)));
}

void MapControls::setRunState(bool canRun, bool running, bool paused) {
    runAction_->setEnabled(canRun);
    pauseAction_->setEnabled(running);
    pauseAction_->setText(paused ? tr("Resume") : tr("Pause"));
    stopAction_->setEnabled(running);
}

void MapControls::updateTsneControls() {
    const bool tsne =
        methodCombo_->currentData().toInt() == static_cast<int>(ProjectionMethod::Tsne);
    for (QWidget* w :
         {static_cast<QWidget*>(perplexitySpin_), static_cast<QWidget*>(iterationsSpin_),
          static_cast<QWidget*>(learningRateSpin_), static_cast<QWidget*>(seedSpin_)})
        w->setEnabled(tsne);
}

}  // namespace lens::ui
