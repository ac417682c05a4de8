#include "RankListsView.h"

#include <QItemSelectionModel>
#include <QLabel>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "rank/RankListBuilder.h"
#include "rank/RankListPane.h"
#include "rank/TopNTableModel.h"

namespace lens::ui {

RankListsView::RankListsView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setToolTip(tr("What the list was computed from"));
    layout->addWidget(status_);

    auto* lists = new QSplitter(Qt::Horizontal, this);
    active_ = new RankListPane(lists);
    comparison_ = new RankListPane(lists);
    comparison_->hide();
    explanation_ = new QTextBrowser(lists);
    explanation_->setToolTip(
        tr("Why the selected movie is recommended: the persona's rated "
           "movies that contributed most"));
    explanation_->setPlaceholderText(tr("Select a row to see why it is recommended."));
    lists->addWidget(active_);
    lists->addWidget(comparison_);
    lists->addWidget(explanation_);
    lists->setStretchFactor(0, 3);
    lists->setStretchFactor(1, 3);
    lists->setStretchFactor(2, 1);
    // Start with most of the width for the lists, so every column fits at 1280 px; the
    // explanation pane still gets about a sixth (the splitter scales these proportions).
    lists->setSizes({5000, 5000, 1000});
    layout->addWidget(lists, 1);

    overlap_ = new QLabel(this);
    overlap_->setToolTip(tr("Movies in both lists (highlighted in both tables)"));
    overlap_->hide();
    layout->addWidget(overlap_);

    for (RankListPane* pane : {active_, comparison_})
        connect(pane->table()->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this, pane](const QModelIndex& current) {
                    if (current.isValid()) explainsComparison_ = pane == comparison_;
                    explain(pane, current.row());
                });
}

TopNTableModel* RankListsView::topModel() const {
    return active_->model();
}

TopNTableModel* RankListsView::comparisonModel() const {
    return comparison_->model();
}

QTableView* RankListsView::topTable() const {
    return active_->table();
}

QTableView* RankListsView::comparisonTable() const {
    return comparison_->table();
}

int RankListsView::overlapCount() const {
    return active_->model()->overlapCount();
}

void RankListsView::explain(const RankListPane* pane, int row) {
    if (row < 0)
        explanation_->clear();
    else
        explanation_->setHtml(pane->model()->explanation(row));
}

void RankListsView::setLists(const RankLists& lists) {
    status_->setText(lists.status);

    // The movies selected before: kept selected when they are still in the new lists.
    const qint64 selectedTop = active_->currentMovieId();
    const qint64 selectedCompare = comparison_->currentMovieId();
    const bool explainedComparison = explainsComparison_;

    TopNTableModel* top = active_->model();
    TopNTableModel* other = comparison_->model();
    top->setPredictsRatings(lists.activePredictsRatings);
    top->setRows(lists.activeRows);
    active_->setTitle(lists.activeLabel.isEmpty()
                          ? QString()
                          : tr("<b>%1</b> (active model)").arg(lists.activeLabel.toHtmlEscaped()));
    comparison_->setVisible(lists.comparing());
    if (lists.second == RankLists::Second::Popularity) {
        other->setPredictsRatings(false);
        comparison_->setTitle(tr("<b>Popularity</b>: most rated movies under the same filters"));
    } else if (lists.second == RankLists::Second::Model && !lists.comparisonLabel.isEmpty()) {
        other->setPredictsRatings(lists.comparisonPredictsRatings);
        comparison_->setTitle(tr("<b>%1</b>").arg(lists.comparisonLabel.toHtmlEscaped()));
    }
    other->setRows(lists.comparisonRows);

    QSet<qint64> topIds, otherIds;
    for (const RankRow& r : lists.activeRows) topIds.insert(r.movieId);
    for (const RankRow& r : lists.comparisonRows) otherIds.insert(r.movieId);
    top->setOverlapIds(lists.comparing() ? otherIds : QSet<qint64>());
    other->setOverlapIds(lists.comparing() ? topIds : QSet<qint64>());
    overlapText_.clear();
    if (lists.comparing() && lists.active)
        overlapText_ = tr("Overlap: %1 of %2 movies are in both lists (highlighted).")
                           .arg(overlapCount())
                           .arg(std::max(top->rowCount(), other->rowCount()));
    overlap_->setVisible(!overlapText_.isEmpty());
    overlap_->setText(overlapText_);

    // The explanation pane always explains something when there is a list: the previously
    // selected movie when it is still listed, otherwise the first row of the active list.
    explanation_->clear();
    comparison_->selectMovie(selectedCompare, false);
    active_->selectMovie(selectedTop, true);
    const QModelIndex otherCurrent = comparison_->table()->currentIndex();
    const QModelIndex topCurrent = active_->table()->currentIndex();
    if (explainedComparison && otherCurrent.isValid())
        explain(comparison_, otherCurrent.row());
    else if (topCurrent.isValid())
        explain(active_, topCurrent.row());
    explainsComparison_ = explainedComparison && otherCurrent.isValid();
}

}  // namespace lens::ui
