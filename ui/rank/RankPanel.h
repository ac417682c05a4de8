#pragma once
// Stage 4, Rank: personalised top-N lists for personas folded into the trained models.
//
// The panel assembles its parts; each is a class of its own under ui/rank:
// - PersonaEditor (left): who the list is for: presets, search as you type, star ratings, an
//   existing user, save/load.
// - RankControls (above the lists): the filters (minimum number of ratings, default 100 as in
//   the study; exclude the persona's rated movies, on by default; include or exclude genres;
//   N), the scoring (the study's variant v_i = p.q_i + w b_i, w = 0.05 by default, or the
//   predicted rating mu + b_u + b_i + p.q_i, which lets globally loved movies fill a small
//   persona's list) and the second list to compare with.
// - RankListBuilder (no widget): folds the persona into the active model (ModelLibrary::
//   active()) with lens::TopNRanker against the model's fixed item side (no retraining),
//   ranks the catalogue, and does the same for the second model or the popularity baseline;
//   each row explains itself (ALS: exact per-movie contributions of the linear fold-in solve;
//   NCF: nearest rated movie by cosine).
// - RankListsView: the status line, the active list and the second one side by side
//   (RankListPane each; movies in both highlighted and counted) and the explanation pane.
// - RankingQualityView ("Ranking quality" tab): the active model's quality on its test split,
//   evaluated in a background job.
// Export: the list as CSV (QSaveFile) and as a PNG/SVG/PDF figure that paints the table
// (RankListFigure through exportFigure).
//
// Computation: ranking one persona is well under 50 ms even for ML-32M, so lists are
// recomputed on the GUI thread, coalesced by a short timer while the user types or edits;
// recomputeNow() does it at once (tests, the report). The ranker of a model that becomes active
// (a pass over every rating) is built in a background job first; the timer's recompute and F5
// wait for it, recomputeNow() does not. After every recompute personaChanged()
// carries the rated and recommended movie ids for the Map panel's overlays.
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>
#include <optional>

#include "charts/Figure.h"
#include "rank/RankListBuilder.h"
#include "rank/TopNTableModel.h"
#include "ranking/TopNRanker.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QTimer;

namespace lens {
class Dataset;
}  // namespace lens

namespace lens::ui {

class DatasetController;
class JobTracker;
class ModelLibrary;
class PersonaEditor;
class RankControls;
class RankListFigure;
class RankListsView;
class RankingQualityView;

class RankPanel : public QWidget {
    Q_OBJECT
public:
    // Comparison choice for the popularity baseline (setComparison).
    static inline const QString kPopularityComparison = RankListBuilder::kPopularityComparison;

    RankPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent = nullptr);
    ~RankPanel() override;

    // Persona (see PersonaEditor for the full editing API).
    PersonaEditor* personaEditor() const { return persona_; }
    bool selectPersona(const QString& name);  // a preset or loaded persona; false when unknown
    bool useUser(qint64 userId);              // false when the id is unknown

    // Settings of the list (see RankControls).
    lens::RankConfig rankConfig() const;
    void setRankConfig(const lens::RankConfig& config);
    // Another library entry id, kPopularityComparison, or empty for none. False when unknown.
    bool setComparison(const QString& id);
    QString comparison() const;

    // Recomputes both lists now, on this thread, and emits personaChanged.
    void recomputeNow();
    const std::optional<lens::RankResult>& result() const { return lists_.active; }
    // The active model's ranker is being built in the background.
    bool isPreparingRanker() const;
    const std::optional<lens::RankResult>& comparisonResult() const { return lists_.comparison; }
    TopNTableModel* topModel() const;
    TopNTableModel* comparisonModel() const;
    int overlapCount() const;
    // Message shown above the table ("No model is active…", errors, counts).
    QString statusText() const { return lists_.status; }
    QString overlapText() const;

    // Exports of the active model's list; false with *error ("path: reason") on failure.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;

    // Figures for "Save all charts" and the report: the list, the quality chart.
    QList<const Figure*> figures() const;
    const RankListFigure* listFigure() const { return listFigure_.get(); }

    // The parts, and their widgets the tests and the window reach.
    RankControls* controls() const { return controls_; }
    RankListsView* listsView() const { return listsView_; }
    RankingQualityView* qualityView() const { return quality_; }
    QTabWidget* tabs() const { return tabs_; }
    QTableView* topTable() const;
    QTableView* comparisonTable() const;
    QTextBrowser* explanationView() const;
    QCheckBox* excludeRatedToggle() const;
    QSpinBox* minRatingsSpin() const;
    QSpinBox* countSpin() const;
    QComboBox* scoringCombo() const;
    QDoubleSpinBox* biasWeightSpin() const;
    QComboBox* comparisonCombo() const;
    QAction* exportCsvAction() const { return exportCsvAction_; }
    QAction* exportPngAction() const { return exportPngAction_; }
    QAction* focusSearchAction() const { return focusSearchAction_; }

public slots:
    // Schedules a recompute (coalesced).
    void refresh();
    void exportCsvWithDialog();
    void exportPngWithDialog();

signals:
    // After each recompute: the persona's rated movies and the active model's list (release ids).
    void personaChanged(QList<qint64> ratedMovieIds, QList<qint64> topMovieIds);

private:
    QWidget* buildListTab();
    void createActions();
    void connectParts();
    void onDatasetChanged();
    void onActiveChanged();
    void prepareActiveRanker();  // the ranker job, when the builder has none for the active model
    void recomputeWhenReady();   // the timer's recompute: after the ranker job
    void updateComparisonChoices();
    std::shared_ptr<const Dataset> currentDataset() const;
    void updateListFigure();
    Provenance provenance() const;

    DatasetController* controller_;
    ModelLibrary* models_;
    RankListBuilder builder_;
    std::unique_ptr<JobTracker> rankerJobs_;
    RankLists lists_;  // the last recompute's

    PersonaEditor* persona_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    RankControls* controls_ = nullptr;
    RankListsView* listsView_ = nullptr;
    RankingQualityView* quality_ = nullptr;
    std::unique_ptr<RankListFigure> listFigure_;
    QTimer* recomputeTimer_ = nullptr;
    QAction* exportCsvAction_ = nullptr;
    QAction* exportPngAction_ = nullptr;
    QAction* focusSearchAction_ = nullptr;
    QAction* refreshAction_ = nullptr;
};

}  // namespace lens::ui
