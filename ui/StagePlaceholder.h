#pragma once
// Stand-in for a stage whose panel is not built yet: the stage's name, what it will show, and
// the dataset it will work on. Replaced by the real panel in MainWindow::createPanels().
#include <QWidget>
#include <memory>

class QLabel;

namespace lens {
class Dataset;
}

namespace lens::ui {

class StagePlaceholder : public QWidget {
    Q_OBJECT
public:
    StagePlaceholder(const QString& title, const QString& description, QWidget* parent = nullptr);

public slots:
    void setDataset(std::shared_ptr<const lens::Dataset> dataset);

private:
    QLabel* datasetLabel_;
};

}  // namespace lens::ui
