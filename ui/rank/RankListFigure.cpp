#include "RankListFigure.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <array>

#include "TopNTableModel.h"

namespace lens::ui {

namespace {

constexpr double kRowHeight = 26.0;
constexpr double kHeaderHeight = 74.0;
constexpr double kMargin = 16.0;

// Relative column widths (rank, title, year, genres, predicted, score, ratings, mean).
constexpr std::array<double, TopNTableModel::ColumnCount> kColumnWeights = {0.5, 4.4, 0.7, 2.6,
                                                                            1.4, 1.0, 1.0, 1.0};

}  // namespace

QString RankListFigure::figureTitle() const {
    return title_.isEmpty() ? QStringLiteral("Top-N recommendations") : title_;
}

QSize RankListFigure::preferredFigureSize() const {
    const int rows = model_ ? model_->rowCount() : 0;
    return {1000, static_cast<int>(kHeaderHeight + (rows + 1) * kRowHeight + 2 * kMargin)};
}

void RankListFigure::paintFigure(QPainter& painter, const QRectF& target) const {
    painter.save();
    painter.fillRect(target, Qt::white);
    const QRectF area = target.adjusted(kMargin, kMargin, -kMargin, -kMargin);

    // Pixel sizes are in the figure's logical units (1/96 inch): point sizes would be scaled a
    // second time by the device's DPI on high-resolution exports.
    QFont titleFont = QGuiApplication::font();
    titleFont.setPixelSize(18);
    titleFont.setBold(true);
    QFont bodyFont = QGuiApplication::font();
    bodyFont.setPixelSize(13);
    QFont headFont = bodyFont;
    headFont.setBold(true);

    painter.setPen(QColor(0x20, 0x20, 0x20));
    painter.setFont(titleFont);
    painter.drawText(
        QRectF(area.left(), area.top(), area.width(), 28), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(titleFont).elidedText(figureTitle(), Qt::ElideRight, area.width()));
    painter.setFont(bodyFont);
    painter.setPen(QColor(0x55, 0x55, 0x55));
    painter.drawText(QRectF(area.left(), area.top() + 30, area.width(), 22),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetricsF(bodyFont).elidedText(subtitle_, Qt::ElideRight, area.width()));

    double weightSum = 0.0;
    for (double w : kColumnWeights) weightSum += w;
    std::array<QRectF, TopNTableModel::ColumnCount> columns;
    double x = area.left();
    for (int c = 0; c < TopNTableModel::ColumnCount; ++c) {
        const double width = area.width() * kColumnWeights[c] / weightSum;
        columns[c] = QRectF(x, 0, width, kRowHeight);
        x += width;
    }
    auto alignmentOf = [](int column) {
        return (column == TopNTableModel::TitleColumn || column == TopNTableModel::GenresColumn)
                   ? Qt::AlignLeft | Qt::AlignVCenter
                   : Qt::AlignRight | Qt::AlignVCenter;
    };

    double y = area.top() + kHeaderHeight - kRowHeight + 4;
    painter.setFont(headFont);
    painter.setPen(QColor(0x20, 0x20, 0x20));
    for (int c = 0; c < TopNTableModel::ColumnCount; ++c) {
        const QString text = model_ ? model_->headerData(c, Qt::Horizontal).toString() : QString();
        painter.drawText(columns[c].translated(0, y).adjusted(4, 0, -4, 0), alignmentOf(c), text);
    }
    y += kRowHeight;
    painter.setPen(QPen(QColor(0x80, 0x80, 0x80), 1.0));
    painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));

    painter.setFont(bodyFont);
    const QFontMetricsF metrics(bodyFont);
    const int rows = model_ ? model_->rowCount() : 0;
    for (int r = 0; r < rows; ++r) {
        const QRectF rowRect(area.left(), y, area.width(), kRowHeight);
        const bool overlap =
            model_->data(model_->index(r, 0), TopNTableModel::OverlapRole).toBool();
        if (overlap)
            painter.fillRect(rowRect, QColor(0xd6, 0xe8, 0xfa));
        else if (r % 2 == 1)
            painter.fillRect(rowRect, QColor(0xf4, 0xf4, 0xf4));
        painter.setPen(QColor(0x20, 0x20, 0x20));
        for (int c = 0; c < TopNTableModel::ColumnCount; ++c) {
            const QRectF cell = columns[c].translated(0, y).adjusted(4, 0, -4, 0);
            painter.drawText(
                cell, alignmentOf(c),
                metrics.elidedText(model_->cellText(r, c), Qt::ElideRight, cell.width()));
        }
        y += kRowHeight;
    }
    if (rows == 0) {
        painter.setPen(QColor(0x77, 0x77, 0x77));
        painter.drawText(QRectF(area.left(), y, area.width(), kRowHeight), Qt::AlignCenter,
                         QObject::tr("No movie passes the filters."));
    }
    painter.restore();
}

}  // namespace lens::ui
