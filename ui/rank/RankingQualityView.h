#pragma once
// The "Ranking quality" tab of the Rank panel: how good the active model's top-10 lists are on
// its own test split (lens::evaluateRankingQuality):
// - precision, recall, NDCG and MAP at 10 ranking the full catalogue minus each user's
//   training movies ("full ranking");
// - HR@10 and NDCG@10 on the NCF protocol (each test rating against 100 sampled negatives),
//   labelled "NCF protocol (sampled)" because sampled metrics flatter models and can reorder
//   them (Krichene & Rendle 2020);
// - catalogue coverage of everyone's top-10 and the mean popularity (training ratings) of the
//   recommended slots against the catalogue's, with both log-binned PDFs on log-log axes.
// The evaluation rebuilds the model's split (makeSplit with the saved SplitSpec, so the same
// test set) and runs as a JobTracker job with progress and Cancel: each run has a job id, and
// the results of a superseded or cancelled run are dropped; destroying the view stops the
// evaluation and waits for it. setResult() fills the tab synchronously from an already
// computed result (tests, the headless report).
#include <QWidget>
#include <memory>
#include <optional>

#include "ranking/RankingQuality.h"

class QLabel;
class QLayout;
class QProgressBar;
class QPushButton;

namespace lens {
class Dataset;
class Recommender;
}  // namespace lens

namespace lens::ui {

class ChartFigure;
class FigureCard;
class JobTracker;
struct Provenance;

class RankingQualityView : public QWidget {
    Q_OBJECT
public:
    explicit RankingQualityView(QWidget* parent = nullptr);
    ~RankingQualityView() override;  // cancels a running evaluation and waits for it

    // The model evaluated by run(); clears the shown result when it changes.
    void setModel(std::shared_ptr<const Recommender> model, std::shared_ptr<const Dataset> dataset,
                  const QString& modelLabel);
    void setProvenance(const Provenance& provenance);

    bool isRunning() const;
    quint64 activeJobId() const;
    // The evaluation's jobs (progressChanged, busyChanged; waitForAll in tests).
    JobTracker* jobs() const { return jobs_.get(); }
    const std::optional<RankingQuality>& result() const { return result_; }
    // Shows an already computed result (no worker).
    void setResult(const RankingQuality& quality);
    // The metric labels' text by key: precision, recall, ndcg, map, hr_sampled, ndcg_sampled,
    // coverage, popularity (for tests and the report).
    QString metricText(const QString& key) const;

    ChartFigure* popularityFigure() const { return chart_; }
    FigureCard* popularityCard() const { return card_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    // The text shown over the empty chart until a result exists (hidden afterwards).
    QLabel* chartPlaceholder() const { return placeholder_; }

public slots:
    // Starts an evaluation of the current model; returns the job id (0 when there is no model).
    quint64 run();
    void cancel();

signals:
    void started(quint64 jobId);
    void finished(quint64 jobId);  // a result is shown
    void cancelled(quint64 jobId);
    void failed(const QString& message);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QLayout* buildControls();
    QLayout* buildMetricGrid();
    QWidget* buildChart();
    void onProgress(double fraction, const QString& stage);
    void onFinished(quint64 jobId, const RankingQuality& quality);
    void onFailed(const QString& message);
    void clearResult();
    void updateChart();
    void setBusy(bool busy);
    void updatePlaceholder();

    std::shared_ptr<const Recommender> model_;
    std::shared_ptr<const Dataset> dataset_;
    QString modelLabel_;
    std::optional<RankingQuality> result_;
    quint64 lastJob_ = 0;  // the evaluation started last (the only one that can deliver)

    QLabel* title_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* run_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QList<QPair<QString, QLabel*>> metrics_;
    ChartFigure* chart_ = nullptr;
    FigureCard* card_ = nullptr;
    QLabel* placeholder_ = nullptr;
    // Last member: destroyed first, so a running evaluation is stopped and waited for while
    // the widgets its delivery would touch still exist.
    std::unique_ptr<JobTracker> jobs_;
};

}  // namespace lens::ui
