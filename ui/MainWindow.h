#pragma once
// The main window: assembles one panel per stage (Load, Explore, Train, Rank, Map, Compare) behind
// a side bar, and routes the menus, shortcuts (Ctrl+1..Ctrl+6 switch stages), drops and the status
// bar (dataset name, memory used) to them. It holds no stage logic: loading is DatasetController's,
// each stage's view is its panel's. Window geometry, the last stage and the last dataset persist.
#include <QMainWindow>
#include <array>
#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace lens {
class Dataset;
}

namespace lens::ui {

class ComparePanel;
class DatasetController;
class ExplorePanel;
class Figure;
class GuideDialog;
class MapPanel;
class ModelLibrary;
class RankPanel;
class TrainPanel;
class LoadPanel;
class RecentDatasets;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Stage {
        LoadStage,
        ExploreStage,
        TrainStage,
        RankStage,
        MapStage,
        CompareStage,
        StageCount
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    DatasetController* controller() const { return controller_; }
    ModelLibrary* models() const { return models_; }
    ExplorePanel* explorePanel() const { return explorePanel_; }
    TrainPanel* trainPanel() const { return trainPanel_; }
    RankPanel* rankPanel() const { return rankPanel_; }
    MapPanel* mapPanel() const { return mapPanel_; }
    ComparePanel* comparePanel() const { return comparePanel_; }
    // Every chart of every stage, for File > Save all charts.
    QList<const Figure*> allFigures() const;
    // Writes allFigures() as PNG (settings' DPI), SVG and PDF; the paths written.
    QStringList saveAllChartsTo(const QString& directory, QString* error = nullptr) const;
    LoadPanel* loadPanel() const { return loadPanel_; }
    QWidget* stagePanel(int stage) const;
    int currentStage() const;
    static QString stageName(int stage);

    // Opens the dataset of the last session, or the demo on first start (or when it is gone).
    void openInitialDataset();

public slots:
    void setStage(int stage);
    void showAbout();
    void showGuide();      // Help > Guide (F1), opened at the current stage's section
    void saveAllCharts();  // File > Save all charts (asks for a folder)
    void exportReport();   // File > Export report (dialog with progress and Cancel)
    void showShortcuts();  // Help > Keyboard shortcuts (Ctrl+/)

public:
    // Every keyboard shortcut of the window, read from its actions and buttons (menus first,
    // then each stage's own), as an HTML table: the list cannot drift from the keys.
    QString shortcutsHtml() const;

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private slots:
    void onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset);
    void rebuildRecentMenu();

private:
    void createPanels();
    void createNavigation();
    void createMenus();
    void createStatusBar();
    void addStage(Stage stage, QWidget* panel);
    void saveWindowSettings();

    DatasetController* controller_;
    RecentDatasets* recent_;
    ModelLibrary* models_;
    LoadPanel* loadPanel_ = nullptr;
    ExplorePanel* explorePanel_ = nullptr;
    TrainPanel* trainPanel_ = nullptr;
    RankPanel* rankPanel_ = nullptr;
    MapPanel* mapPanel_ = nullptr;
    ComparePanel* comparePanel_ = nullptr;
    QListWidget* navigation_ = nullptr;
    QStackedWidget* stages_ = nullptr;
    std::array<QWidget*, StageCount> panels_{};
    std::array<QAction*, StageCount> stageActions_{};
    QActionGroup* stageGroup_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QLabel* datasetLabel_ = nullptr;
    QLabel* memoryLabel_ = nullptr;
    GuideDialog* guide_ = nullptr;
};

}  // namespace lens::ui
