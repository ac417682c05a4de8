#pragma once
// A QChartView that is also a Figure: what every Qt Charts chart of the app is shown in, so it
// exports and copies like every other figure. paintFigure() lays the chart out at the target size
// before rendering, so never-shown views (the headless report) export correctly too.
// Hover tooltips: setHoverTooltips(true) shows the nearest point's exact values for XY series and
// the bar's value for bar series.
// Dark palettes: on screen the chart's chrome (background, titles, axis labels, grid, legend text)
// follows the window palette: the colours of QChart::ChartThemeDark when the palette is dark, those
// of ChartThemeLight otherwise. Only values still at the other theme's default are swapped, so
// colours a panel set itself (series pens, custom brushes) stay. Exports always use the light
// chrome (white background), whatever the palette.
#include <QChartView>
#include <QString>

#include "charts/Figure.h"

namespace lens::ui {

class ChartFigure : public QChartView, public Figure {
    Q_OBJECT
public:
    // Takes ownership of `chart` (a new, empty QChart when null).
    ChartFigure(QString fileStem, QChart* chart = nullptr, QWidget* parent = nullptr);

    QString figureTitle() const override;  // the chart's title, or the file stem
    QString figureFileStem() const override { return fileStem_; }
    QSize preferredFigureSize() const override { return preferredSize_; }
    void setPreferredFigureSize(QSize size) { preferredSize_ = size; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;

    // Connects hovered() of every series in the chart (call after adding series) to a tooltip
    // with the exact x and y (formatted with `xFormat` / `yFormat` printf-like, "%g" default).
    void enableHoverTooltips(const QString& xLabel = QStringLiteral("x"),
                             const QString& yLabel = QStringLiteral("y"));

    // A message shown in the plot area while it is not empty ("No runs yet"); the owner also
    // hides the axes' numbers then, which mean nothing before there is data.
    void setPlaceholderText(const QString& text);
    QString placeholderText() const { return placeholder_; }

    // True while the chart shows the dark chrome (the palette is dark).
    bool usesDarkChrome() const { return darkChrome_; }

protected:
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    // Swaps the chrome of the chart and its axes to the dark or the light theme's colours.
    void applyChrome(bool dark) const;
    void syncChromeWithPalette();

    QString fileStem_;
    QString placeholder_;
    mutable bool darkChrome_ = false;
    // The chart the chrome was last applied to (a replaced chart comes with the light colours;
    // so do new axes, which carry no "lensDarkChrome" property yet).
    const void* chromeChart_ = nullptr;
    QSize preferredSize_{900, 600};
};

}  // namespace lens::ui
