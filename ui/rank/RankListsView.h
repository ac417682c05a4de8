#pragma once
// The Rank stage's lists as the user sees them: a status line (what the list was computed
// from, or why there is none), the active model's list and, when a second list is chosen, the
// other one beside it with the movies of both highlighted and counted below, and the
// explanation pane: why the current row's movie is recommended (the persona's rated movies
// that contributed most).
//
// setLists() shows a new build (RankListBuilder) and keeps the user's place: a movie selected
// before stays selected while it is still listed, otherwise the active list's first row is, so
// the explanation pane always explains something when there is a list.
#include <QString>
#include <QWidget>

class QLabel;
class QTableView;
class QTextBrowser;

namespace lens::ui {

class RankListPane;
class TopNTableModel;
struct RankLists;

class RankListsView : public QWidget {
    Q_OBJECT
public:
    explicit RankListsView(QWidget* parent = nullptr);

    void setLists(const RankLists& lists);

    RankListPane* activePane() const { return active_; }
    RankListPane* comparisonPane() const { return comparison_; }
    TopNTableModel* topModel() const;
    TopNTableModel* comparisonModel() const;
    QTableView* topTable() const;
    QTableView* comparisonTable() const;
    QTextBrowser* explanationView() const { return explanation_; }
    QLabel* statusLabel() const { return status_; }

    // Movies in both lists (0 without a second list).
    int overlapCount() const;
    // "Overlap: 3 of 10 movies are in both lists (highlighted).", or empty without a second
    // list or without an active list.
    QString overlapText() const { return overlapText_; }

private:
    void explain(const RankListPane* pane, int row);  // row < 0: clears the pane

    QLabel* status_ = nullptr;
    RankListPane* active_ = nullptr;
    RankListPane* comparison_ = nullptr;
    QTextBrowser* explanation_ = nullptr;
    QLabel* overlap_ = nullptr;
    QString overlapText_;
    bool explainsComparison_ = false;  // the explanation pane shows a row of the second list
};

}  // namespace lens::ui
