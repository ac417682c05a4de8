#pragma once
// A list that says what it will show while it is empty (QListWidget has no placeholder text): the
// text is drawn in the viewport, word-wrapped, in the palette's placeholder colour.
#include <QListWidget>
#include <QPainter>

namespace lens::ui {

class PlaceholderListWidget : public QListWidget {
public:
    using QListWidget::QListWidget;
    void setPlaceholderText(const QString& text) {
        placeholder_ = text;
        viewport()->update();
    }
    QString placeholderText() const { return placeholder_; }

protected:
    void paintEvent(QPaintEvent* event) override {
        QListWidget::paintEvent(event);
        if (count() > 0 || placeholder_.isEmpty()) return;
        QPainter painter(viewport());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(8, 8, -8, -8),
                         Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, placeholder_);
    }

private:
    QString placeholder_;
};

}  // namespace lens::ui
