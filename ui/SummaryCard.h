#pragma once
// A "card": a framed big number with a caption under it (e.g. "100,836" over "ratings"), used
// for the dataset summary. Colours come from the palette so it reads on light and dark themes.
#include <QFrame>

class QLabel;

namespace lens::ui {

class SummaryCard : public QFrame {
    Q_OBJECT
public:
    SummaryCard(const QString& caption, const QString& toolTip, QWidget* parent = nullptr);

    void setValue(const QString& value, const QString& detail = {});
    QString value() const;
    QString caption() const;

private:
    QLabel* value_;
    QLabel* caption_;
};

}  // namespace lens::ui
