#pragma once
// A card around one figure in a panel: the figure widget, a caption of two or three sentences
// ("what this shows", for teaching, with the fitted numbers) and, on the figure's top-right
// corner, a tool button with Export PNG/SVG/PDF…, Copy to clipboard; the same actions in the
// figure's context menu.
// The footer of exports comes from the provenance the panel sets (setProvenance).
#include <QWidget>

#include "charts/Figure.h"

class QAction;
class QLabel;
class QToolButton;

namespace lens::ui {

class FigureCard : public QWidget {
    Q_OBJECT
public:
    // `figureWidget` must also implement Figure (ChartFigure, MovieMapView adapter, ...).
    FigureCard(QWidget* figureWidget, Figure* figure, QWidget* parent = nullptr);

    Figure* figure() const { return figure_; }
    QWidget* figureWidget() const { return figureWidget_; }
    void setCaption(const QString& richText);
    QString caption() const;
    void setProvenance(const Provenance& provenance) { provenance_ = provenance; }
    const Provenance& provenance() const { return provenance_; }
    FigureExportOptions exportOptions() const;  // dpi from settings, footer from provenance
    // Where the Export button sits on the figure (top right by default): figures that draw
    // something there themselves (the movie map's legend) move it.
    void setExportButtonCorner(Qt::Corner corner);
    QWidget* exportButton() const;
    // Appends an entry to the export menu and the figure's context menu (the maps add "Export
    // coordinates (CSV)…").
    void addMenuAction(QAction* action);

public slots:
    // Asks for a file name (PNG/SVG/PDF filters, DPI from settings) and exports; errors in a box.
    void exportWithDialog();
    void copyToClipboard();
    // Non-interactive export (tests, Save all): returns false with *error on failure.
    bool exportTo(const QString& path, QString* error = nullptr) const;

signals:
    void exported(const QString& path);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void placeButton();  // the Export button on the figure's top-right corner

    QWidget* figureWidget_;
    Figure* figure_;
    QLabel* caption_;
    QToolButton* menuButton_;
    Qt::Corner buttonCorner_ = Qt::TopRightCorner;
    Provenance provenance_;
};

}  // namespace lens::ui
