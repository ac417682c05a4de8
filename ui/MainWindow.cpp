#include "MainWindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "AboutDialog.h"
#include "AppSettings.h"
#include "DatasetController.h"
#include "DatasetDrop.h"
#include "GuideDialog.h"
#include "LensAtlasApp.h"
#include "LoadPanel.h"
#include "Theme.h"
#include "charts/Figure.h"
#include "compare/ComparePanel.h"
#include "data/Dataset.h"
#include "download/DownloadDialog.h"
#include "explore/ExplorePanel.h"
#include "map/MapPanel.h"
#include "models/ModelLibrary.h"
#include "rank/RankPanel.h"
#include "report/ReportDialog.h"
#include "train/TrainPanel.h"

namespace lens::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      controller_(new DatasetController(this)),
      recent_(new RecentDatasets(this)),
      models_(new ModelLibrary(this)) {
    initResources();
    setWindowTitle(tr("Lens Atlas"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lens-atlas.svg")));
    setAcceptDrops(true);
    controller_->setLenient(settings::lenientLoading());

    createNavigation();
    createPanels();
    createMenus();
    createStatusBar();
    connect(controller_, &DatasetController::datasetChanged, this, &MainWindow::onDatasetChanged);

    if (!restoreGeometry(settings::windowGeometry())) resize(1280, 800);
    restoreState(settings::windowState());
    setStage(settings::lastStage());
}

MainWindow::~MainWindow() = default;

// The one place where stages get their panels. Later stages replace their placeholder here.
void MainWindow::createPanels() {
    loadPanel_ = new LoadPanel(controller_, recent_, stages_);
    addStage(LoadStage, loadPanel_);
    explorePanel_ = new ExplorePanel(controller_, stages_);
    addStage(ExploreStage, explorePanel_);
    trainPanel_ = new TrainPanel(controller_, models_, stages_);
    addStage(TrainStage, trainPanel_);
    rankPanel_ = new RankPanel(controller_, models_, stages_);
    addStage(RankStage, rankPanel_);
    mapPanel_ = new MapPanel(controller_, models_, stages_);
    addStage(MapStage, mapPanel_);
    comparePanel_ = new ComparePanel(controller_, models_, trainPanel_->history(), stages_);
    addStage(CompareStage, comparePanel_);
    // The persona of the Rank stage (its rated movies and its top-N) is overlaid on the movie map.
    connect(rankPanel_, &RankPanel::personaChanged, mapPanel_, &MapPanel::setPersonaOverlay);
}

QList<const Figure*> MainWindow::allFigures() const {
    return explorePanel_->figures() + trainPanel_->figures() + rankPanel_->figures() +
           mapPanel_->figures() + comparePanel_->figures();
}

QStringList MainWindow::saveAllChartsTo(const QString& directory, QString* error) const {
    FigureExportOptions options;
    options.dpi = settings::exportDpi();
    return saveAllFigures(allFigures(), directory,
                          {FigureFormat::Png, FigureFormat::Svg, FigureFormat::Pdf}, options,
                          error);
}

void MainWindow::saveAllCharts() {
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Save all charts to a folder"), settings::exportDirectory());
    if (directory.isEmpty()) return;
    QString error;
    const QStringList written = saveAllChartsTo(directory, &error);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Saving charts failed"), error);
        return;
    }
    settings::setExportDirectory(directory);
    statusBar()->showMessage(tr("%n file(s) written to %1", nullptr, written.size())
                                 .arg(QDir::toNativeSeparators(directory)),
                             8000);
}

void MainWindow::exportReport() {
    if (!controller_->dataset()) return;
    auto* dialog = new ReportDialog(controller_->dataset(), controller_->sourcePath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::addStage(Stage stage, QWidget* panel) {
    panels_[stage] = panel;
    stages_->insertWidget(stage, panel);
}

void MainWindow::createNavigation() {
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    navigation_ = new QListWidget(central);
    navigation_->setObjectName(QStringLiteral("stageNavigation"));
    navigation_->setFrameShape(QFrame::NoFrame);
    navigation_->setBackgroundRole(QPalette::AlternateBase);
    navigation_->setAutoFillBackground(true);
    navigation_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    navigation_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    navigation_->setSpacing(2);
    QFont navFont = navigation_->font();
    navFont.setPointSizeF(navFont.pointSizeF() * 1.15);
    navigation_->setFont(navFont);
    static const char* const kStageTips[StageCount] = {
        QT_TR_NOOP("Open a dataset and browse its movies"),
        QT_TR_NOOP("Power laws, rating distributions and sparsity"),
        QT_TR_NOOP("Train recommender models on a split"),
        QT_TR_NOOP("Rank movies for personas"),
        QT_TR_NOOP("Map movie embeddings and genres"),
        QT_TR_NOOP("Is model A really better than model B? Tests with confidence intervals"),
    };
    for (int s = 0; s < StageCount; ++s) {
        auto* item = new QListWidgetItem(QStringLiteral("%1   %2").arg(s + 1).arg(stageName(s)),
                                         navigation_);
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(tr(kStageTips[s])).arg(s + 1));
        item->setSizeHint(QSize(0, navigation_->fontMetrics().height() * 2 + 6));
    }
    navigation_->setFixedWidth(
        navigation_->fontMetrics().horizontalAdvance(QStringLiteral("0   Explore")) + 56);
    connect(navigation_, &QListWidget::currentRowChanged, this, &MainWindow::setStage);

    stages_ = new QStackedWidget(central);
    stages_->setObjectName(QStringLiteral("stages"));
    layout->addWidget(navigation_);
    layout->addWidget(stages_, 1);
    setCentralWidget(central);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openFolder =
        file->addAction(tr("Open &folder…"), loadPanel_, &LoadPanel::chooseFolder);
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    openFolder->setStatusTip(tr("Open a MovieLens release folder"));
    QAction* openZip = file->addAction(tr("Open &zip…"), loadPanel_, &LoadPanel::chooseZip);
    openZip->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openZip->setStatusTip(tr("Open a MovieLens release from its .zip"));
    QAction* importData =
        file->addAction(tr("&Import your own data…"), loadPanel_, &LoadPanel::chooseImportFile);
    importData->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    importData->setStatusTip(
        tr("Open your own interaction file (CSV/TSV), map its columns and load it (Ctrl+I)"));
    QAction* demo = file->addAction(tr("Open &demo dataset"), this, [this] {
        setStage(LoadStage);
        loadPanel_->openDemo();
    });
    demo->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    demo->setStatusTip(tr("Generate the built-in synthetic dataset"));
    for (QAction* a : {openFolder, openZip, importData})
        connect(a, &QAction::triggered, this, [this] { setStage(LoadStage); });
    QAction* download = file->addAction(tr("Do&wnload a release…"), this, [this] {
        auto* dialog = new DownloadDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &DownloadDialog::datasetDownloaded, this, [this](const QString& zip) {
            setStage(LoadStage);
            loadPanel_->openPath(zip);
        });
        dialog->open();
    });
    download->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    download->setStatusTip(tr("Download a MovieLens release from GroupLens and open it"));
    connect(loadPanel_, &LoadPanel::downloadRequested, download, &QAction::trigger);
    file->addSeparator();
    QAction* saveCharts =
        file->addAction(tr("&Save all charts…"), this, &MainWindow::saveAllCharts);
    saveCharts->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
    saveCharts->setStatusTip(
        tr("Write every chart of every stage as PNG, SVG and PDF into a folder (Ctrl+Alt+S)"));
    QAction* report = file->addAction(tr("Export &report…"), this, &MainWindow::exportReport);
    report->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    report->setStatusTip(
        tr("Statistics, models, personas and maps of this dataset as an HTML and "
           "PDF report with every figure (Ctrl+R)"));
    file->addSeparator();
    recentMenu_ = file->addMenu(tr("&Recent datasets"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();  // so the menu is not empty before first shown (and in tests)
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&Stage"));
    stageGroup_ = new QActionGroup(this);
    stageGroup_->setExclusive(true);
    for (int s = 0; s < StageCount; ++s) {
        QAction* a = view->addAction(stageName(s));
        a->setCheckable(true);
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + s)));
        a->setShortcutContext(Qt::WindowShortcut);
        a->setStatusTip(navigation_->item(s)->toolTip());
        stageGroup_->addAction(a);
        connect(a, &QAction::triggered, this, [this, s] { setStage(s); });
        stageActions_[s] = a;
    }

    QMenu* themeMenu = view->addMenu(tr("&Theme"));
    themeMenu->setToolTipsVisible(true);
    auto* themeGroup = new QActionGroup(this);
    for (Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        QAction* a = themeMenu->addAction(themeName(theme));
        a->setCheckable(true);
        a->setChecked(theme == savedTheme());
        a->setStatusTip(tr("Use the %1 colour theme (exported figures stay on white)")
                            .arg(themeName(theme).toLower()));
        themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [theme] {
            applyTheme(theme);
            saveTheme(theme);
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&Guide"), this, &MainWindow::showGuide);
    guide->setShortcut(QKeySequence::HelpContents);
    guide->setStatusTip(tr("Each stage explained for a classroom, with the models' formulas (F1)"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    keys->setStatusTip(tr("Every key of the menus and of each stage, in one table (Ctrl+/)"));
    QAction* about = help->addAction(tr("&About Lens Atlas"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createStatusBar() {
    datasetLabel_ = new QLabel(tr("No dataset"), this);
    datasetLabel_->setObjectName(QStringLiteral("statusDataset"));
    datasetLabel_->setToolTip(tr("The dataset every stage works on"));
    memoryLabel_ = new QLabel(this);
    memoryLabel_->setObjectName(QStringLiteral("statusMemory"));
    memoryLabel_->setToolTip(
        tr("Memory the loaded dataset occupies (ratings indexed by user and by movie, "
           "titles, tags)"));
    statusBar()->addPermanentWidget(datasetLabel_);
    statusBar()->addPermanentWidget(memoryLabel_);
    connect(controller_, &DatasetController::loadFailed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Loading failed: %1").arg(message), 10000);
    });
    connect(controller_, &DatasetController::loadCancelled, this,
            [this] { statusBar()->showMessage(tr("Loading cancelled"), 5000); });
    connect(controller_, &DatasetController::loadStarted, this,
            [this](quint64, const QString& description) {
                statusBar()->showMessage(description + QStringLiteral("…"));
            });
}

QWidget* MainWindow::stagePanel(int stage) const {
    return stage >= 0 && stage < StageCount ? panels_[stage] : nullptr;
}

int MainWindow::currentStage() const {
    return stages_->currentIndex();
}

QString MainWindow::stageName(int stage) {
    switch (stage) {
        case LoadStage:
            return tr("Load");
        case ExploreStage:
            return tr("Explore");
        case TrainStage:
            return tr("Train");
        case RankStage:
            return tr("Rank");
        case MapStage:
            return tr("Map");
        case CompareStage:
            return tr("Compare");
        default:
            return {};
    }
}

void MainWindow::setStage(int stage) {
    if (stage < 0 || stage >= StageCount) stage = LoadStage;
    stages_->setCurrentIndex(stage);
    {
        const QSignalBlocker block(navigation_);
        navigation_->setCurrentRow(stage);
    }
    if (stageActions_[stage]) stageActions_[stage]->setChecked(true);
    settings::setLastStage(stage);
}

void MainWindow::openInitialDataset() {
    const QString last = settings::lastDataset();
    if (!last.isEmpty() && QFileInfo::exists(last))
        loadPanel_->openPath(last);  // an interaction file opens as it was imported
    else
        controller_->openDemo();
}

void MainWindow::showGuide() {
    if (!guide_) {
        guide_ = new GuideDialog(this);
        guide_->setAttribute(Qt::WA_DeleteOnClose, false);
    }
    guide_->showStage(currentStage());
    guide_->show();
    guide_->raise();
}

namespace {

// One table row per (what, keys): from an action's text (or its tool tip when it has none) and
// all its shortcuts; buttons with a shortcut of their own count too.
struct ShortcutRow {
    QString what, keys;
};

QString keysText(const QList<QKeySequence>& keys) {
    QStringList parts;
    for (const QKeySequence& k : keys)
        if (!k.isEmpty()) parts << k.toString(QKeySequence::NativeText);
    return parts.join(QStringLiteral(", "));
}

QString whatText(QString text, const QString& toolTip) {
    text.remove(QLatin1Char('&'));
    if (!text.trimmed().isEmpty()) return text.trimmed();
    // Tool tips often end with the key in parentheses: the table has its own column.
    static const QRegularExpression trailingKey(QStringLiteral("\\s*\\([^()]*\\)\\s*$"));
    QString tip = toolTip;
    tip.remove(trailingKey);
    return tip.trimmed();
}

void collectRows(const QWidget* root, QList<ShortcutRow>& rows) {
    auto add = [&rows](const QString& what, const QString& keys) {
        if (keys.isEmpty() || what.isEmpty()) return;
        for (const ShortcutRow& r : rows)
            if (r.what == what && r.keys == keys) return;
        rows.push_back({what, keys});
    };
    for (const QAction* a : root->findChildren<QAction*>())
        add(whatText(a->text(), a->toolTip()), keysText(a->shortcuts()));
    for (const QAbstractButton* b : root->findChildren<QAbstractButton*>())
        add(whatText(b->text(), b->toolTip()), keysText({b->shortcut()}));
}

QString rowsHtml(const QString& title, const QList<ShortcutRow>& rows) {
    if (rows.isEmpty()) return {};
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing='0' cellpadding='3'>")
                       .arg(title.toHtmlEscaped());
    for (const ShortcutRow& r : rows)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(r.keys.toHtmlEscaped(), r.what.toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

}  // namespace

QString MainWindow::shortcutsHtml() const {
    QList<ShortcutRow> global;
    for (const QAction* menu : menuBar()->actions())
        if (menu->menu()) collectRows(menu->menu(), global);
    QString html = rowsHtml(tr("Everywhere"), global);
    for (int s = 0; s < StageCount; ++s) {
        QList<ShortcutRow> rows;
        collectRows(panels_[static_cast<std::size_t>(s)], rows);
        html += rowsHtml(stageName(s), rows);
    }
    return html;
}

void MainWindow::showShortcuts() {
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto* layout = new QVBoxLayout(dialog);
    auto* text = new QTextBrowser(dialog);
    text->setHtml(shortcutsHtml());
    layout->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(560, 640);
    dialog->show();
}

void MainWindow::showAbout() {
    AboutDialog dialog(this);
    dialog.exec();
}

void MainWindow::onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset) {
    if (!dataset) return;
    const QString source = controller_->sourcePath();
    if (!source.isEmpty()) recent_->add(source);
    settings::setLastDataset(source);  // empty for the demo: the next start regenerates it
    const QString name = QString::fromStdString(dataset->name);
    setWindowTitle(tr("Lens Atlas — %1").arg(name));
    datasetLabel_->setText(
        tr("Dataset: %1 (%2 ratings)")
            .arg(name, QLocale().toString(static_cast<qulonglong>(dataset->ratingCount()))));
    memoryLabel_->setText(
        tr("Memory: %1")
            .arg(QLocale().formattedDataSize(static_cast<qint64>(dataset->memoryBytes()))));
    statusBar()->clearMessage();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    int n = 0;
    for (const QString& path : recent_->paths()) {
        ++n;
        QAction* a = recentMenu_->addAction(
            QStringLiteral("&%1 %2").arg(n).arg(QDir::toNativeSeparators(path)), this,
            [this, path] {
                setStage(LoadStage);
                loadPanel_->openPath(path);
            });
        a->setEnabled(QFileInfo::exists(path));
    }
    if (n == 0) recentMenu_->addAction(tr("(none yet)"))->setEnabled(false);
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear list"), recent_, &RecentDatasets::clear)->setEnabled(n > 0);
}

void MainWindow::saveWindowSettings() {
    settings::setWindowGeometry(saveGeometry());
    settings::setWindowState(saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowSettings();
    trainPanel_->shutdown();    // a run in progress is cancelled and recorded as such
    comparePanel_->shutdown();  // a comparison in progress is cancelled
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!datasetPathFromDrop(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = datasetPathFromDrop(event->mimeData());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    setStage(LoadStage);
    loadPanel_->openPath(path);
}

}  // namespace lens::ui
