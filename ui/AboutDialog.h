#pragma once
// Help > About: the application and library versions, and the citation and licence note that
// GroupLens asks users of the MovieLens datasets to show (Harper & Konstan 2015).
#include <QDialog>

namespace lens::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The rich text shown (also used by tests and the report).
    static QString aboutText();
};

}  // namespace lens::ui
