#pragma once
// The Sweep dialog's charts: one small chart per swept hyper-parameter (small multiples), each
// the validation metric of every trial against that parameter's value. A line joins the best
// trial at each value (the metric's profile along that parameter, the others at their best) and
// the best trial overall is a larger red dot. The x axis is logarithmic when the values are all
// positive and span more than a factor of 20 (regularisation swept by decades). Each chart is a
// ChartFigure in a FigureCard, so it exports and copies like every figure, with the sweep's
// provenance in the footer. Charts grow one point per finished trial while the sweep runs.
#include <QList>
#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

#include "charts/Figure.h"
#include "tuning/Sweep.h"

class QAbstractAxis;
class QGridLayout;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace lens::ui {

class ChartFigure;
class FigureCard;

class SweepCharts : public QWidget {
    Q_OBJECT
public:
    struct Axis {
        QString key;                 // "lambda"
        QString label;               // "Factor regularisation (lambda)"
        std::vector<double> values;  // the values to be tried (decide the scale)
    };

    explicit SweepCharts(QWidget* parent = nullptr);

    // New, empty charts for a sweep of these axes by `metricLabel` ("RMSE").
    void start(const QList<Axis>& axes, const QString& metricLabel, bool lowerIsBetter);
    void addTrial(const lens::SweepTrial& trial);
    void setResult(const lens::SweepResult& result);  // every trial, the engine's best
    void clear();                                     // back to the placeholder
    void setProvenance(const Provenance& provenance);

    QList<const Figure*> figures() const;
    QList<ChartFigure*> charts() const;
    QList<FigureCard*> cards() const;
    bool isLogScale(int chart) const;
    // The best trial marked so far (index into the trials shown).
    std::optional<std::size_t> best() const { return best_; }

    // Positive values spanning more than a factor of 20.
    static bool wantsLogScale(const std::vector<double>& values);

private:
    struct Panel {
        Axis axis;
        ChartFigure* chart = nullptr;
        FigureCard* card = nullptr;
        QScatterSeries* trials = nullptr;
        QLineSeries* profile = nullptr;
        QScatterSeries* best = nullptr;
        QAbstractAxis* x = nullptr;
        QValueAxis* y = nullptr;
        bool log = false;
    };
    void redraw();
    void removePanels();
    double xOf(const lens::SweepTrial& trial, const QString& key) const;
    bool better(double a, double b) const;

    QGridLayout* grid_ = nullptr;
    QLabel* placeholder_ = nullptr;
    std::vector<Panel> panels_;
    std::vector<lens::SweepTrial> trials_;
    std::optional<std::size_t> best_;
    QString metricLabel_;
    bool lowerIsBetter_ = true;
    Provenance provenance_;
};

}  // namespace lens::ui
