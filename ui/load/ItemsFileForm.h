#pragma once
// The import dialog's optional items file: its path (typed or browsed), its separator and header,
// which columns hold the item id, the title and the categories, and the separator between
// categories inside their field. Categories play the role of genres (io/InteractionReader.h).
// Choosing a file sniffs it like the interaction file and guesses the columns from the header
// names ("id", "movieId", "title", "genres", "categories") or their order.
#include <QGroupBox>
#include <QString>
#include <string>
#include <vector>

#include "io/InteractionFormat.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace lens::ui {

class ItemsFileForm : public QGroupBox {
    Q_OBJECT
public:
    explicit ItemsFileForm(QWidget* parent = nullptr);

    // Empty: no items file.
    QString path() const;
    // The mapping the widgets show (columns by header name when the file has a header).
    ItemsFormat format() const;
    // Why the items file cannot be used as chosen; empty when it can (or when there is none).
    QString problem() const;

    // Shows `path` under `format` (a remembered choice); an empty path clears the form.
    void setItems(const QString& path, const ItemsFormat& format);

    QLineEdit* pathEdit() const { return pathEdit_; }
    QComboBox* idCombo() const { return idCombo_; }
    QComboBox* titleCombo() const { return titleCombo_; }
    QComboBox* categoriesCombo() const { return categoriesCombo_; }
    QComboBox* separatorCombo() const { return separatorCombo_; }
    QComboBox* headerCombo() const { return headerCombo_; }
    QLineEdit* categorySeparatorEdit() const { return categorySeparatorEdit_; }

signals:
    void changed();

private:
    void browse();
    // Reads the file again under the separator and header chosen; `keep` keeps the mapping
    // (resolved against the new columns), otherwise it is guessed.
    void resniff(const ItemsFormat* keep = nullptr);

    QLineEdit* pathEdit_;
    QPushButton* browseButton_;
    QComboBox* separatorCombo_;
    QComboBox* headerCombo_;
    QComboBox* idCombo_;
    QComboBox* titleCombo_;
    QComboBox* categoriesCombo_;
    QLineEdit* categorySeparatorEdit_;
    QLabel* statusLabel_;

    QString readError_;
    char separator_ = ',';  // what the last sniff used
    bool header_ = false;
    std::vector<std::string> names_;
};

}  // namespace lens::ui
