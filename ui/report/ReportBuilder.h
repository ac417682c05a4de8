#pragma once
// Turns a computed ReportStudy into the figures and the ReportDocument of a report, on the GUI
// thread (figures are widgets): the Explore charts, the learning curves of every trained model,
// the personas' top-10 tables, the genre map with its cosine heatmap, and the movie map; plus
// metrics.json. The builder owns the figures, so it must outlive ReportDocument::write().
#include <QWidget>
#include <memory>
#include <vector>

#include "report/ReportDocument.h"
#include "report/ReportStudy.h"

namespace lens::ui {

class ChartFigure;

class ReportBuilder {
public:
    ReportBuilder();
    ~ReportBuilder();

    // `sourceDescription`: where the dataset came from (path, or "built-in demo").
    ReportDocument build(const ReportStudy& study, const QString& sourceDescription);

    const std::vector<std::unique_ptr<QWidget>>& figureWidgets() const { return widgets_; }

    // The learning curves of one run: RMSE per iteration for rating models, HR@10 / NDCG@10 or the
    // objective for ranking models.
    static ChartFigure* createLearningCurve(const ReportModelRun& run, const QString& stem);

private:
    std::vector<std::unique_ptr<QWidget>> widgets_;
};

}  // namespace lens::ui
