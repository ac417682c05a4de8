#pragma once
// The Train panel's two live charts, side by side: accuracy per iteration (train and validation
// RMSE, dashed and solid; HR@10 and NDCG@10 on validation for ranking models; runs recorded
// before validation show their test curves, so labelled; the test figure of each finished run
// is in the caption) and the objective per iteration (with
// an optional log scale), each in a FigureCard with a caption and the run's provenance for
// exports. They show the runs chosen in the run history, read from RunHistoryModel (several runs
// overlay, one colour per run, legends "#2 validation RMSE"); the running run grows one point per
// snapshot.
#include <QHash>
#include <QList>
#include <QStringList>
#include <QWidget>

#include "charts/Figure.h"
#include "models/Recommender.h"
#include "train/TrainingRun.h"

class QAction;
class QLineSeries;

namespace lens::ui {

class ChartFigure;
class FigureCard;
class RunHistoryModel;

class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    // `logScaleAction` (checkable, not owned) gets a button under the objective chart.
    TrainingCharts(RunHistoryModel* history, QAction* logScaleAction, QWidget* parent = nullptr);

    QList<const Figure*> figures() const;  // accuracy, objective
    ChartFigure* accuracyChart() const { return accuracyChart_; }
    ChartFigure* objectiveChart() const { return objectiveChart_; }
    FigureCard* accuracyCard() const { return accuracyCard_; }
    FigureCard* objectiveCard() const { return objectiveCard_; }

    // Shows these runs' curves (from the history; ids not in it are left out).
    void showRuns(const QStringList& runIds);
    QStringList shownRuns() const { return shownRuns_; }
    void setLogScale(bool on);
    bool logScale() const { return logScale_; }
    // A running run's new iteration: one more point on its curves, if shown.
    void appendSnapshot(const QString& runId, const lens::TrainingSnapshot& snapshot);
    // The run's record changed as a whole (finished): redraw it, if shown.
    void refreshRun(const QString& runId);

    // Ranking models (and implicit objectives) are judged by HR@10 / NDCG@10, not RMSE.
    static bool isRankingRun(const RunRecord& record);

private:
    struct RunSeries {
        QLineSeries* trainRmse = nullptr;
        QLineSeries* testRmse = nullptr;
        QLineSeries* hr10 = nullptr;
        QLineSeries* ndcg10 = nullptr;
        QLineSeries* objective = nullptr;
    };
    void rebuildCharts();
    void appendPoint(const RunSeries& series, const lens::TrainingSnapshot& s);
    void updateAxes();
    void updateCardTexts();

    RunHistoryModel* history_;
    QAction* logScaleAction_;
    ChartFigure* accuracyChart_ = nullptr;
    ChartFigure* objectiveChart_ = nullptr;
    FigureCard* accuracyCard_ = nullptr;
    FigureCard* objectiveCard_ = nullptr;
    QStringList shownRuns_;
    QHash<QString, RunSeries> series_;
    bool logScale_ = false;
};

}  // namespace lens::ui
