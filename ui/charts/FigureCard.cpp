#include "charts/FigureCard.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "AppSettings.h"

namespace lens::ui {

FigureCard::FigureCard(QWidget* figureWidget, Figure* figure, QWidget* parent)
    : QWidget(parent),
      figureWidget_(figureWidget),
      figure_(figure),
      caption_(new QLabel(this)),
      menuButton_(new QToolButton(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* exportAction = new QAction(tr("Export…"), this);
    exportAction->setToolTip(
        tr("Save this figure as PNG (at the DPI of the settings), SVG or PDF"));
    connect(exportAction, &QAction::triggered, this, &FigureCard::exportWithDialog);
    auto* copyAction = new QAction(tr("Copy to clipboard"), this);
    copyAction->setToolTip(tr("Copy this figure as an image"));
    connect(copyAction, &QAction::triggered, this, &FigureCard::copyToClipboard);

    auto* menu = new QMenu(menuButton_);
    menu->addAction(exportAction);
    menu->addAction(copyAction);
    menuButton_->setMenu(menu);
    // A click exports; the arrow beside it offers the copy too. (An instant-popup button drew
    // its menu arrow over the end of its text.)
    menuButton_->setDefaultAction(exportAction);
    menuButton_->setPopupMode(QToolButton::MenuButtonPopup);
    menuButton_->setToolTip(tr("Export or copy “%1”").arg(figure_->figureTitle()));
    menuButton_->setAutoRaise(true);
    menuButton_->setCursor(Qt::PointingHandCursor);

    figureWidget_->setParent(this);
    figureWidget_->setContextMenuPolicy(Qt::ActionsContextMenu);
    figureWidget_->addAction(exportAction);
    figureWidget_->addAction(copyAction);

    // The button sits on the figure's top-right corner (placeButton) instead of a row of its
    // own above it: no strip of empty space between the cards, and it reads as the figure's.
    layout->addWidget(figureWidget_, 1);
    figureWidget_->installEventFilter(this);

    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::RichText);
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    caption_->setVisible(false);
    layout->addWidget(caption_);
}

void FigureCard::addMenuAction(QAction* action) {
    menuButton_->menu()->addAction(action);
    figureWidget_->addAction(action);
}

bool FigureCard::eventFilter(QObject* watched, QEvent* event) {
    if (watched == figureWidget_ &&
        (event->type() == QEvent::Resize || event->type() == QEvent::Move ||
         event->type() == QEvent::Show))
        placeButton();
    return QWidget::eventFilter(watched, event);
}

void FigureCard::setExportButtonCorner(Qt::Corner corner) {
    buttonCorner_ = corner;
    placeButton();
}

QWidget* FigureCard::exportButton() const {
    return menuButton_;
}

void FigureCard::placeButton() {
    menuButton_->adjustSize();
    const QRect figure = figureWidget_->geometry();
    const int margin = 6;
    const bool right =
        buttonCorner_ == Qt::TopRightCorner || buttonCorner_ == Qt::BottomRightCorner;
    const bool top = buttonCorner_ == Qt::TopLeftCorner || buttonCorner_ == Qt::TopRightCorner;
    menuButton_->move(
        right ? figure.right() - menuButton_->width() - margin + 1 : figure.left() + margin,
        top ? figure.top() + margin : figure.bottom() - menuButton_->height() - margin + 1);
    menuButton_->raise();
}

void FigureCard::setCaption(const QString& richText) {
    caption_->setText(richText);
    caption_->setVisible(!richText.isEmpty());
}

QString FigureCard::caption() const {
    return caption_->text();
}

FigureExportOptions FigureCard::exportOptions() const {
    FigureExportOptions options;
    options.dpi = settings::exportDpi();
    options.footer = provenance_.text();
    return options;
}

bool FigureCard::exportTo(const QString& path, QString* error) const {
    return exportFigure(*figure_, path, exportOptions(), error);
}

void FigureCard::exportWithDialog() {
    const QString png = tr("PNG image (*.png)"), svg = tr("SVG drawing (*.svg)"),
                  pdf = tr("PDF document (*.pdf)");
    QString selected = png;
    const QString suggested = QDir(settings::exportDirectory())
                                  .filePath(figure_->figureFileStem() + QStringLiteral(".png"));
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export “%1”").arg(figure_->figureTitle()), suggested,
                                     QStringList{png, svg, pdf}.join(";;"), &selected);
    if (path.isEmpty()) return;
    if (!figureFormatForPath(path)) {
        path += selected == svg
                    ? QStringLiteral(".svg")
                    : (selected == pdf ? QStringLiteral(".pdf") : QStringLiteral(".png"));
    }
    QString error;
    if (!exportTo(path, &error)) {
        QMessageBox::warning(this, tr("Export failed"), error);
        return;
    }
    settings::setExportDirectory(QFileInfo(path).absolutePath());
    emit exported(path);
}

void FigureCard::copyToClipboard() {
    FigureExportOptions options = exportOptions();
    options.dpi = 150;
    copyFigureToClipboard(*figure_, options);
}

}  // namespace lens::ui
