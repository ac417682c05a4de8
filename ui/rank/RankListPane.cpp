#include "RankListPane.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "TableCopy.h"
#include "rank/TopNTableModel.h"

namespace lens::ui {

RankListPane::RankListPane(QWidget* parent) : QWidget(parent) {
    model_ = new TopNTableModel(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    title_ = new QLabel(this);
    title_->setWordWrap(true);
    layout->addWidget(title_);

    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows can be selected for copying (Ctrl+A, Shift+click); the explanation follows
    // the current row.
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The title takes the width the number columns leave (elided when narrow), so every
    // column stays visible without a horizontal scroll bar.
    header->setSectionResizeMode(TopNTableModel::TitleColumn, QHeaderView::Stretch);
    table_->setTextElideMode(Qt::ElideRight);
    header->setSectionResizeMode(TopNTableModel::GenresColumn, QHeaderView::Interactive);
    header->resizeSection(TopNTableModel::GenresColumn, 150);
    table_->setToolTip(
        tr("Hover a row to see which of the persona's movies it comes from; Ctrl+C copies the "
           "selected rows with their column titles"));
    enableTableCopy(table_);
    layout->addWidget(table_);
}

void RankListPane::setTitle(const QString& richText) {
    title_->setText(richText);
}

qint64 RankListPane::currentMovieId() const {
    const QModelIndex current = table_->currentIndex();
    const RankRow* row = current.isValid() ? model_->row(current.row()) : nullptr;
    return row ? row->movieId : -1;
}

void RankListPane::selectMovie(qint64 movieId, bool firstRowOtherwise) {
    if (model_->rowCount() == 0) return;
    int target = -1;
    if (movieId >= 0)
        for (int r = 0; r < model_->rowCount() && target < 0; ++r)
            if (model_->row(r)->movieId == movieId) target = r;
    if (target < 0 && firstRowOtherwise) target = 0;
    if (target < 0) return;
    table_->selectionModel()->setCurrentIndex(
        model_->index(target, TopNTableModel::TitleColumn),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

}  // namespace lens::ui
