#include "StagePlaceholder.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include "data/Dataset.h"

namespace lens::ui {

StagePlaceholder::StagePlaceholder(const QString& title, const QString& description,
                                   QWidget* parent)
    : QWidget(parent), datasetLabel_(new QLabel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 48, 48, 48);
    layout->setSpacing(16);

    auto* heading = new QLabel(title, this);
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.8);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    auto* text = new QLabel(description, this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setMaximumWidth(720);

    auto* note = new QLabel(tr("This stage is not available yet in this build."), this);
    note->setForegroundRole(QPalette::PlaceholderText);

    datasetLabel_->setForegroundRole(QPalette::PlaceholderText);
    datasetLabel_->setText(tr("No dataset loaded."));

    layout->addStretch(1);
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addWidget(note);
    layout->addWidget(datasetLabel_);
    layout->addStretch(2);
}

void StagePlaceholder::setDataset(std::shared_ptr<const lens::Dataset> dataset) {
    if (!dataset) {
        datasetLabel_->setText(tr("No dataset loaded."));
        return;
    }
    const QLocale locale;
    datasetLabel_->setText(
        tr("It will work on %1: %2 ratings by %3 users of %4 movies.")
            .arg(QString::fromStdString(dataset->name),
                 locale.toString(static_cast<qulonglong>(dataset->ratingCount())),
                 locale.toString(static_cast<qulonglong>(dataset->userCount())),
                 locale.toString(static_cast<qulonglong>(dataset->movieCount()))));
}

}  // namespace lens::ui
