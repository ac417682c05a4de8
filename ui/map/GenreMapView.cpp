#include "map/GenreMapView.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <cmath>

namespace lens::ui {

GenreMapView::GenreMapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAccessibleName(tr("Genre map"));
}

void GenreMapView::setGenres(QList<GenrePoint> genres) {
    figure_.setGenres(std::move(genres));
    hovered_ = -1;
    update();
}

void GenreMapView::setAxisTitles(const QString& x, const QString& y) {
    figure_.setAxisTitles(x, y);
    update();
}

void GenreMapView::setFigureTitle(const QString& title) {
    figure_.setFigureTitle(title);
    update();
}

void GenreMapView::setHighlightedGenre(int index) {
    figure_.setHighlightedGenre(index);
    update();
}

GenreMapFigure::Layout GenreMapView::widgetLayout() const {
    return figure_.layoutFor(QRectF(rect()), font(), false);
}

QPointF GenreMapView::mapToWidget(const QPointF& data) const {
    return widgetLayout().map(data);
}

double GenreMapView::radiusOf(int index) const {
    if (index < 0 || index >= pointCount()) return 0.0;
    return widgetLayout().radius(figure_.genres()[index].movies);
}

QRectF GenreMapView::plotRect() const {
    return widgetLayout().plot;
}

int GenreMapView::genreAt(const QPointF& widgetPosition) const {
    const GenreMapFigure::Layout layout = widgetLayout();
    const QList<GenrePoint> genres = figure_.genres();
    int best = -1;
    double bestDistance = 0.0;
    for (int i = 0; i < pointCount(); ++i) {
        const QPointF d = layout.map(genres[i].position) - widgetPosition;
        const double distance = std::hypot(d.x(), d.y());
        const double reach = std::max(layout.radius(genres[i].movies), 5.0);
        if (distance <= reach && (best < 0 || distance < bestDistance)) {
            best = i;
            bestDistance = distance;
        }
    }
    return best;
}

void GenreMapView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    figure_.paintMap(painter, QRectF(rect()), palette(), false, hovered_);
}

void GenreMapView::paintFigure(QPainter& painter, const QRectF& target) const {
    figure_.paintFigure(painter, target, font(), palette());
}

void GenreMapView::mouseMoveEvent(QMouseEvent* event) {
    const int index = genreAt(event->position());
    if (index != hovered_) {
        hovered_ = index;
        update();
    }
}

void GenreMapView::mousePressEvent(QMouseEvent* event) {
    const int index = genreAt(event->position());
    if (event->button() == Qt::LeftButton && index >= 0) {
        setHighlightedGenre(index);
        emit genreClicked(index);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

bool GenreMapView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = genreAt(help->pos());
        if (index >= 0) {
            const GenrePoint genre = figure_.genres()[index];
            const QLocale locale;
            QString text = QStringLiteral("<b>%1</b><br>%2 movies<br>(%3, %4)")
                               .arg(genre.name.toHtmlEscaped(), locale.toString(genre.movies),
                                    locale.toString(genre.position.x(), 'f', 3),
                                    locale.toString(genre.position.y(), 'f', 3));
            if (!genre.details.isEmpty()) text += QStringLiteral("<br>") + genre.details;
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace lens::ui
