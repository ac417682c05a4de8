#pragma once
// Stage 1, Explore: are user activity and movie popularity scale-free, how unequal are they, and
// how are the ratings distributed? Shows the charts of ExploreFigures.h as FigureCards (figure +
// "what this shows" caption + export menu) in a scrollable two-column grid, under a summary
// strip of the headline numbers (alpha ± se, x_min, KS, Gini, top 1 % / 10 % shares,
// single-rating movies, density and sparsity).
//
// Work: on DatasetController::datasetChanged the panel runs lens::computeEda on the Qt thread
// pool (QtConcurrent::run) as a job with an id and a std::atomic<bool> cancel flag; the result
// comes back through a QFutureWatcher and is shown only if its id is still the current job (a
// newer dataset supersedes and cancels the older job). A busy bar shows while it runs.
// setResult() fills the panel synchronously from an already computed report (tests, report).
//
// The minimum-ratings spin box re-bins the per-movie mean histogram from the per-movie
// summaries kept in the report (lens::movieMeanHistogram): no recomputation, no dataset needed.
// "Save all charts…" (Ctrl+Shift+S) writes every chart as PNG, SVG and PDF into a folder.
#include <QFutureWatcher>
#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>

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
    ~ExplorePanel() override;  // cancels a running job and waits for it

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
    bool isBusy() const { return activeJob_ != 0; }
    quint64 activeJobId() const { return activeJob_; }
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
    struct Outcome {
        std::shared_ptr<EdaReport> report;
        QString error;
        bool cancelled = false;
    };

    void buildCards();
    void updateSummary();
    void setBusy(quint64 jobId);
    void onJobFinished(quint64 jobId, QFutureWatcher<Outcome>* watcher);
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

    quint64 nextJob_ = 1;
    quint64 activeJob_ = 0;
    std::shared_ptr<std::atomic<bool>> activeCancel_;
    QList<QFutureWatcher<Outcome>*> running_;
};

}  // namespace lens::ui
