#pragma once
// One model's top-N list in the Rank stage: a title line over a table of its TopNTableModel.
// Rows are selected whole, several at a time for copying (Ctrl+C: TSV and HTML with the column
// titles); the current row is the one the explanation pane explains.
#include <QWidget>

class QLabel;
class QTableView;

namespace lens::ui {

class TopNTableModel;

class RankListPane : public QWidget {
    Q_OBJECT
public:
    explicit RankListPane(QWidget* parent = nullptr);

    TopNTableModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    void setTitle(const QString& richText);

    // The release id of the movie in the current row, or -1.
    qint64 currentMovieId() const;
    // Makes the row of `movieId` current and selected; when it is not listed, row 0 if
    // `firstRowOtherwise` (else nothing).
    void selectMovie(qint64 movieId, bool firstRowOtherwise);

private:
    TopNTableModel* model_ = nullptr;
    QLabel* title_ = nullptr;
    QTableView* table_ = nullptr;
};

}  // namespace lens::ui
