#pragma once
// Help > Guide: each stage explained for a classroom, with the models' formulas in rich text
// (resources/help/guide.html). Non-modal, so it can stay open beside the panels.
#include <QDialog>

class QTextBrowser;

namespace lens::ui {

class GuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit GuideDialog(QWidget* parent = nullptr);
    QTextBrowser* browser() const { return browser_; }
    // Scrolls to the section of a stage (0 = Load ... 4 = Map).
    void showStage(int stage);

private:
    QTextBrowser* browser_;
};

}  // namespace lens::ui
