#pragma once
// Stage 1, Explore: are user activity and movie popularity scale-free, how unequal are they, and
// how are the ratings distributed? Shows the charts of ExploreFigures.h as FigureCards (figure +
// "what this shows" caption + export menu) in a scrollable two-column grid, under a summary
// strip of the headline numbers (alpha ± se, x_min, KS, Gini, top 1 % / 10 % shares,
// single-rating movies, density and sparsity).
//
// Work: on DatasetController::datasetChanged the panel runs lens::computeEda on the Qt thread
// pool as a job of its JobTracker (JobContext::progress is the engine's cancel check); the
// result is shown only if it is still the current job's (a newer dataset supersedes and stops
// the older job). A busy bar shows while it runs.
// setResult() fills the panel synchronously from an already computed report (tests, report).
//
// The minimum-ratings spin box re-bins the per-movie mean histogram from the per-movie
// summaries kept in the report (lens::movieMeanHistogram): no recomputation, no dataset needed.
// "Save all charts…" (Ctrl+Shift+S) writes every chart as PNG, SVG and PDF into a folder.
#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>
#include <memory>
#include <optional>

#include "JobTracker.h"
#include "charts/Figure.h"
#include "explore/ExploreFigures.h"
#include "stats/Eda.h"

class QAction;
class QGridLayout;
class QLabel;
class QProgressBar;
class QScrollArea;
class QSpinBox;
class QToolButton;

namespace lens {
class Dataset;
}

namespace lens::ui {

class ChartFigure;
class DatasetController;
class FigureCard;

class ExplorePanel : public QWidget {
    Q_OBJECT
public:
    ExplorePanel(DatasetController* controller, QWidget* parent = nullptr);
    ~ExplorePanel() override;  // stops a running job and waits for it

    // Fills the panel from a computed report (synchronously; cancels any running job).
    void setResult(const EdaReport& report, const QString& datasetName);
    bool hasResult() const { return report_.has_value(); }
    const EdaReport* result() const { return report_ ? &*report_ : nullptr; }
    QString datasetName() const { return datasetName_; }

    // Every chart shown, in exploreCharts() order (empty before the first result).
    QList<const Figure*> figures() const;
    FigureCard* card(ExploreChart chart) const { return cards_.value(chart); }
    ChartFigure* chartFigure(ExploreChart chart) const;

    // The summary strip as plain text ("users α = 1.65 ± 0.03 …").
    QString summaryText() const;
    bool isBusy() const { return jobs_.isRunning(); }
    quint64 activeJobId() const { return jobs_.currentJob(); }
    QSpinBox* minRatingsSpinBox() const { return minRatingsSpin_; }
    QAction* saveAllAction() const { return saveAllAction_; }

    // Writes every chart as <dir>/<stem>.png/.svg/.pdf (DPI from the settings). Returns the
    // paths, or an empty list with *error.
    QStringList saveAllCharts(const QString& directory, QString* error = nullptr) const;

public slots:
    // Computes the EDA of `dataset` in a worker; the result replaces what is shown.
    quint64 computeFor(std::shared_ptr<const lens::Dataset> dataset);
    void cancel();
    // Asks for a folder and writes every chart there; errors in a message box.
    void saveAllChartsWithDialog();

signals:
    // After a result (worker or setResult) is on screen.
    void resultsShown(const QString& datasetName);
    void computeFailed(const QString& message);
    void busyChanged(bool busy);

private slots:
    void onMinRatingsChanged(int minRatings);

private:
    void buildCards();
    void updateSummary();
    void onBusyChanged(bool busy);
    void onComputeFailed(const QString& message);
    Provenance provenance() const;

    DatasetController* controller_;
    std::optional<EdaReport> report_;
    QString datasetName_;

    QLabel* headerLabel_ = nullptr;
    QLabel* summaryLabel_ = nullptr;
    QLabel* statusLabel_ = nullptr;
    QProgressBar* busyBar_ = nullptr;
    QSpinBox* minRatingsSpin_ = nullptr;
    QToolButton* saveAllButton_ = nullptr;
    QAction* saveAllAction_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    QWidget* grid_ = nullptr;
    QGridLayout* gridLayout_ = nullptr;
    QMap<ExploreChart, FigureCard*> cards_;
    JobTracker jobs_;  // last: destroyed (stopping and waiting for its worker) first
};

}  // namespace lens::ui
