#pragma once
// Stage 4, Rank: personalised top-N lists for personas folded into the trained models.
//
// Left, the persona (PersonaEditor: presets, search as you type, star ratings, an existing
// user, save/load). Centre, the top-N list of the active model (ModelLibrary::active()) for
// that persona: lens::TopNRanker folds the persona in against the model's fixed item side
// (no retraining), scores every movie, applies the filters (minimum number of ratings,
// default 100 as in the study; exclude the persona's rated movies, on by default; include or
// exclude genres; N) and ranks by the chosen scoring: the study's variant
// v_i = p.q_i + w b_i (w = 0.05, the default) or the predicted rating mu + b_u + b_i + p.q_i,
// which lets globally loved movies fill a small persona's list. Each row explains itself (tooltip
// and side panel): the persona's rated movies with the largest share of the score (ALS: exact
// per-movie contributions of the linear fold-in solve; NCF: nearest rated movie by cosine).
// A second model (another library entry, or the popularity baseline) can be shown side by side
// for the same persona; movies in both lists are highlighted and counted.
// The "Ranking quality" tab evaluates the active model on its test split in a worker
// (RankingQualityView). Export: the list as CSV (QSaveFile) and as a PNG/SVG/PDF figure that
// paints the table (RankListFigure through exportFigure).
//
// Computation: ranking one persona is a fold-in solve plus one pass over the catalogue (well
// under 50 ms even for ML-20M), so lists are recomputed on the GUI thread, coalesced by a short
// timer while the user types or edits; recomputeNow() does it at once (tests, the report).
// After every recompute personaChanged() carries the rated and recommended movie ids for the
// Map panel's overlays.
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>
#include <optional>

#include "charts/Figure.h"
#include "rank/TopNTableModel.h"
#include "ranking/TopNRanker.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QTimer;
class QPushButton;
class QToolButton;

namespace lens {
class Dataset;
class Recommender;
}  // namespace lens

namespace lens::ui {

class DatasetController;
class ModelLibrary;
class PersonaEditor;
class RankListFigure;
class RankingQualityView;

class RankPanel : public QWidget {
    Q_OBJECT
public:
    // Comparison choice for the popularity baseline (setComparison).
    static inline const QString kPopularityComparison = QStringLiteral("@popularity");

    RankPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent = nullptr);
    ~RankPanel() override;

    // Persona (see PersonaEditor for the full editing API).
    PersonaEditor* personaEditor() const { return persona_; }
    bool selectPersona(const QString& name);  // a preset or loaded persona; false when unknown
    bool useUser(qint64 userId);              // false when the id is unknown

    // Settings of the list.
    lens::RankConfig rankConfig() const;
    void setRankConfig(const lens::RankConfig& config);
    // Another library entry id, kPopularityComparison, or empty for none. False when unknown.
    bool setComparison(const QString& id);
    QString comparison() const;

    // Recomputes both lists now, on this thread, and emits personaChanged.
    void recomputeNow();
    const std::optional<lens::RankResult>& result() const { return result_; }
    const std::optional<lens::RankResult>& comparisonResult() const { return comparisonResult_; }
    TopNTableModel* topModel() const { return top_; }
    TopNTableModel* comparisonModel() const { return compareTop_; }
    int overlapCount() const;
    // Message shown above the table ("No model is active…", errors, counts).
    QString statusText() const;
    QString overlapText() const;

    // Exports of the active model's list; false with *error ("path: reason") on failure.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;

    // Figures for "Save all charts" and the report: the list, the quality chart.
    QList<const Figure*> figures() const;
    const RankListFigure* listFigure() const { return listFigure_.get(); }
    RankingQualityView* qualityView() const { return quality_; }
    QTabWidget* tabs() const { return tabs_; }
    QTableView* topTable() const { return topView_; }
    QTableView* comparisonTable() const { return compareView_; }
    QTextBrowser* explanationView() const { return explanation_; }
    QCheckBox* excludeRatedToggle() const { return excludeRated_; }
    QSpinBox* minRatingsSpin() const { return minRatings_; }
    QSpinBox* countSpin() const { return count_; }
    QComboBox* scoringCombo() const { return scoring_; }
    QDoubleSpinBox* biasWeightSpin() const { return biasWeight_; }
    QComboBox* comparisonCombo() const { return compare_; }
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
    struct RankerSlot;
    void onDatasetChanged();
    void onActiveChanged();
    void rebuildComparisonCombo();
    void rebuildRankers();
    std::shared_ptr<const Dataset> currentDataset() const;
    void showExplanation(const TopNTableModel* model, int row);
    // The release id of the movie in `view`'s current row, or -1.
    static qint64 selectedMovieId(const QTableView* view);
    // Makes the row of `movieId` current and selected; when it is not listed, row 0 if
    // `firstRowOtherwise` (else nothing).
    static void selectMovie(QTableView* view, qint64 movieId, bool firstRowOtherwise);
    void updateGenreButtons();
    void updateListFigure();
    Provenance provenance() const;
    QList<RankRow> rowsOf(const lens::RankResult& result, const lens::TopNRanker& ranker,
                          const std::vector<lens::PersonaRating>& persona) const;

    DatasetController* controller_;
    ModelLibrary* models_;
    std::unique_ptr<RankerSlot> active_;
    std::unique_ptr<RankerSlot> other_;
    std::optional<lens::RankResult> result_;
    std::optional<lens::RankResult> comparisonResult_;
    QString status_;
    lens::GenreMask includeGenres_ = 0;
    lens::GenreMask excludeGenres_ = 0;
    bool explainsComparison_ = false;  // the explanation pane shows a row of the second list

    PersonaEditor* persona_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QLabel* statusLabel_ = nullptr;
    QLabel* overlapLabel_ = nullptr;
    QSpinBox* minRatings_ = nullptr;
    QCheckBox* excludeRated_ = nullptr;
    QSpinBox* count_ = nullptr;
    QComboBox* scoring_ = nullptr;
    QDoubleSpinBox* biasWeight_ = nullptr;
    QPushButton* includeButton_ = nullptr;
    QPushButton* excludeButton_ = nullptr;
    QList<QAction*> includeActions_;
    QList<QAction*> excludeActions_;
    QComboBox* compare_ = nullptr;
    QTableView* topView_ = nullptr;
    QTableView* compareView_ = nullptr;
    QWidget* compareBox_ = nullptr;
    QLabel* compareTitle_ = nullptr;
    QLabel* activeTitle_ = nullptr;
    QTextBrowser* explanation_ = nullptr;
    TopNTableModel* top_ = nullptr;
    TopNTableModel* compareTop_ = nullptr;
    std::unique_ptr<RankListFigure> listFigure_;
    RankingQualityView* quality_ = nullptr;
    QTimer* recomputeTimer_ = nullptr;
    QAction* exportCsvAction_ = nullptr;
    QAction* exportPngAction_ = nullptr;
    QAction* focusSearchAction_ = nullptr;
    QAction* refreshAction_ = nullptr;
};

}  // namespace lens::ui
