#include "SummaryCard.h"

#include <QLabel>
#include <QVBoxLayout>

namespace lens::ui {

SummaryCard::SummaryCard(const QString& caption, const QString& toolTip, QWidget* parent)
    : QFrame(parent),
      value_(new QLabel(QStringLiteral("–"), this)),
      caption_(new QLabel(caption, this)) {
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setToolTip(toolTip);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);

    QFont big = value_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    value_->setFont(big);
    value_->setObjectName(QStringLiteral("value"));
    value_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    caption_->setObjectName(QStringLiteral("caption"));
    caption_->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    layout->addWidget(value_);
    layout->addWidget(caption_);
}

void SummaryCard::setValue(const QString& value, const QString& detail) {
    value_->setText(value);
    value_->setToolTip(detail);
}

QString SummaryCard::value() const {
    return value_->text();
}
QString SummaryCard::caption() const {
    return caption_->text();
}

}  // namespace lens::ui
