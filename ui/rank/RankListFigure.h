#pragma once
// The top-N list as an exportable figure (PNG/SVG/PDF through exportFigure): a title line
// (persona and model), a subtitle (filters and scoring variant) and the table itself painted
// row by row on white, with rows also in the compared model's list tinted. It reads the same
// TopNTableModel the panel shows, so the export always matches the screen.
#include <QString>

#include "charts/Figure.h"

namespace lens::ui {

class TopNTableModel;

class RankListFigure : public Figure {
public:
    explicit RankListFigure(const TopNTableModel* model) : model_(model) {}

    void setTitle(const QString& title) { title_ = title; }
    void setSubtitle(const QString& subtitle) { subtitle_ = subtitle; }

    QString figureTitle() const override;
    QString figureFileStem() const override { return QStringLiteral("top-n-list"); }
    QSize preferredFigureSize() const override;
    void paintFigure(QPainter& painter, const QRectF& target) const override;

private:
    const TopNTableModel* model_;
    QString title_;
    QString subtitle_;
};

}  // namespace lens::ui
