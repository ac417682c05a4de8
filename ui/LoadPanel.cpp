#include "LoadPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "AppSettings.h"
#include "DatasetController.h"
#include "DatasetDrop.h"
#include "JobTracker.h"
#include "MovieFilterProxyModel.h"
#include "MovieTableModel.h"
#include "SummaryCard.h"
#include "TableCopy.h"
#include "data/Dataset.h"
#include "load/DatasetSummary.h"
#include "load/ImportDialog.h"

namespace lens::ui {
namespace {

QLabel* sectionHeading(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

}  // namespace

LoadPanel::LoadPanel(DatasetController* controller, RecentDatasets* recent, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      recent_(recent),
      movieJobs_(std::make_unique<JobTracker>()) {
    setAcceptDrops(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addWidget(createHeader());
    createStatusArea(layout);  // hidden rows take no space and no spacing

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createRecentColumn());

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(8, 0, 0, 0);
    rightLayout->setSpacing(10);
    rightLayout->addWidget(createSummaryCards(right, cards_));
    rightLayout->addWidget(createMovieArea(), 1);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({230, 1000});
    layout->addWidget(splitter, 1);

    connect(controller_, &DatasetController::loadStarted, this, &LoadPanel::onLoadStarted);
    connect(controller_, &DatasetController::loadProgress, this, &LoadPanel::onLoadProgress);
    connect(controller_, &DatasetController::datasetChanged, this, &LoadPanel::onDatasetChanged);
    connect(controller_, &DatasetController::loadFailed, this, &LoadPanel::onLoadFailed);
    connect(controller_, &DatasetController::loadCancelled, this, &LoadPanel::onLoadCancelled);
    connect(recent_, &RecentDatasets::changed, this, &LoadPanel::refreshRecentList);
    refreshRecentList();
    if (controller_->dataset()) onDatasetChanged(controller_->dataset());
}

LoadPanel::~LoadPanel() = default;

QWidget* LoadPanel::createHeader() {
    auto* header = new QWidget(this);
    auto* layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    auto* titles = new QVBoxLayout;
    titles->setSpacing(2);
    titleLabel_ = new QLabel(tr("No dataset loaded"), header);
    titleLabel_->setObjectName(QStringLiteral("datasetTitle"));
    QFont titleFont = titleLabel_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    titleLabel_->setFont(titleFont);
    sourceLabel_ =
        new QLabel(tr("Open a MovieLens release (folder or .zip) or the demo dataset."), header);
    sourceLabel_->setForegroundRole(QPalette::PlaceholderText);
    sourceLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    noteLabel_ = new QLabel(header);
    noteLabel_->setObjectName(QStringLiteral("loadNote"));
    noteLabel_->setWordWrap(true);
    noteLabel_->setVisible(false);
    titles->addWidget(titleLabel_);
    titles->addWidget(sourceLabel_);
    titles->addWidget(noteLabel_);
    layout->addLayout(titles, 1);

    openFolderButton_ =
        new QPushButton(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Open folder…"), header);
    openFolderButton_->setToolTip(
        tr("Open a MovieLens release folder (ml-100k, ml-1m, ml-10m, ml-20m/25m/32m, ml-latest, "
           "ml-latest-small) (Ctrl+O)"));
    openZipButton_ =
        new QPushButton(style()->standardIcon(QStyle::SP_FileIcon), tr("Open zip…"), header);
    openZipButton_->setToolTip(
        tr("Open a release straight from its .zip as GroupLens ships it, "
           "without extracting it (Ctrl+Shift+O)"));
    downloadButton_ = new QPushButton(tr("Download…"), header);
    downloadButton_->setObjectName(QStringLiteral("downloadButton"));
    downloadButton_->setToolTip(
        tr("Download a MovieLens release (ml-latest-small is 1 MB) from GroupLens, check it and "
           "open it (Ctrl+D)"));
    connect(downloadButton_, &QPushButton::clicked, this, &LoadPanel::downloadRequested);
    importButton_ = new QPushButton(tr("Import your own data…"), header);
    importButton_->setObjectName(QStringLiteral("importButton"));
    importButton_->setToolTip(
        tr("Open your own interaction file (CSV or TSV: user, item, optional rating and time; "
           "any ids, any rating scale or none), map its columns and add an items file and load "
           "filters (Ctrl+I)"));
    connect(importButton_, &QPushButton::clicked, this, &LoadPanel::chooseImportFile);
    demoButton_ = new QPushButton(tr("Open demo dataset"), header);
    demoButton_->setToolTip(
        tr("Generate the built-in synthetic dataset (about 100,000 ratings with planted genre "
           "structure "
           "and franchises) in memory"));
    lenientCheck_ = new QCheckBox(tr("Skip malformed lines"), header);
    lenientCheck_->setToolTip(
        tr("Lenient mode: skip and count malformed lines instead of stopping at "
           "the first one. Applies to the next load."));
    lenientCheck_->setChecked(controller_->lenient());

    connect(openFolderButton_, &QPushButton::clicked, this, &LoadPanel::chooseFolder);
    connect(openZipButton_, &QPushButton::clicked, this, &LoadPanel::chooseZip);
    connect(demoButton_, &QPushButton::clicked, this, &LoadPanel::openDemo);
    connect(lenientCheck_, &QCheckBox::toggled, this, [this](bool on) {
        controller_->setLenient(on);
        settings::setLenientLoading(on);
    });

    auto* buttons = new QVBoxLayout;
    auto* buttonRow = new QHBoxLayout;
    buttonRow->setSpacing(8);
    buttonRow->addWidget(openFolderButton_);
    buttonRow->addWidget(openZipButton_);
    buttonRow->addWidget(importButton_);
    buttonRow->addWidget(downloadButton_);
    buttonRow->addWidget(demoButton_);
    buttons->addLayout(buttonRow);
    buttons->addWidget(lenientCheck_, 0, Qt::AlignRight);
    layout->addLayout(buttons);
    return header;
}

void LoadPanel::createStatusArea(QBoxLayout* layout) {
    QWidget* area = this;
    progressRow_ = new QWidget(area);
    progressRow_->setObjectName(QStringLiteral("progressRow"));
    auto* progressLayout = new QHBoxLayout(progressRow_);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLabel_ = new QLabel(progressRow_);
    progressLabel_->setMinimumWidth(260);
    progressBar_ = new QProgressBar(progressRow_);
    progressBar_->setRange(0, 1000);
    progressBar_->setToolTip(tr("Loading runs in the background; the window stays usable"));
    cancelButton_ = new QPushButton(tr("Cancel"), progressRow_);
    cancelButton_->setObjectName(QStringLiteral("cancelButton"));
    cancelButton_->setToolTip(tr("Stop loading; the current dataset stays open (Esc)"));
    cancelButton_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancelButton_, &QPushButton::clicked, controller_, &DatasetController::cancel);
    progressLayout->addWidget(progressLabel_);
    progressLayout->addWidget(progressBar_, 1);
    progressLayout->addWidget(cancelButton_);
    progressRow_->setVisible(false);

    errorBox_ = new QFrame(area);
    errorBox_->setObjectName(QStringLiteral("errorBox"));
    // A tinted red frame: the text keeps the palette's colour, so it reads on light and dark
    // themes.
    errorBox_->setStyleSheet(
        QStringLiteral("QFrame#errorBox { border: 1px solid #d9534f; border-radius: 6px; "
                       "background: rgba(217, 83, 79, 40); }"));
    auto* errorLayout = new QHBoxLayout(errorBox_);
    errorLayout->setContentsMargins(10, 8, 10, 8);
    auto* icon = new QLabel(errorBox_);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(24, 24));
    errorLabel_ = new QLabel(errorBox_);
    errorLabel_->setObjectName(QStringLiteral("errorText"));
    errorLabel_->setWordWrap(true);
    errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    errorLabel_->setToolTip(
        tr("The file and line where loading stopped, and what was wrong there"));
    auto* dismiss = new QToolButton(errorBox_);
    dismiss->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Hide this message"));
    connect(dismiss, &QToolButton::clicked, errorBox_, &QWidget::hide);
    retryLenientButton_ = new QPushButton(tr("Retry, skipping malformed lines"), errorBox_);
    retryLenientButton_->setObjectName(QStringLiteral("retryLenientButton"));
    retryLenientButton_->setToolTip(
        tr("Turn on \"Skip malformed lines\" and load the same release again: bad lines are "
           "skipped and counted, the first ones listed"));
    connect(retryLenientButton_, &QPushButton::clicked, this, [this] {
        const QString path = controller_->failedPath();
        if (path.isEmpty()) return;
        lenientCheck_->setChecked(true);  // also sets the controller and the saved setting
        controller_->openPath(path, controller_->failedOptions());
    });
    errorLayout->addWidget(icon, 0, Qt::AlignTop);
    errorLayout->addWidget(errorLabel_, 1);
    errorLayout->addWidget(retryLenientButton_, 0, Qt::AlignTop);
    errorLayout->addWidget(dismiss, 0, Qt::AlignTop);
    errorBox_->setVisible(false);

    layout->addWidget(progressRow_);
    layout->addWidget(errorBox_);
}

QWidget* LoadPanel::createRecentColumn() {
    auto* column = new QWidget(this);
    column->setMinimumWidth(180);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 8, 0);
    layout->setSpacing(6);

    layout->addWidget(sectionHeading(tr("Recent datasets"), column));
    recentList_ = new QListWidget(column);
    recentList_->setObjectName(QStringLiteral("recentList"));
    recentList_->setToolTip(
        tr("Datasets opened before: double-click or press Enter to open one again"));
    recentList_->setIconSize(QSize(16, 16));
    recentList_->setTextElideMode(Qt::ElideMiddle);
    connect(recentList_, &QListWidget::itemActivated, this, &LoadPanel::openRecentItem);
    layout->addWidget(recentList_, 1);

    auto* clear = new QPushButton(tr("Clear list"), column);
    clear->setToolTip(tr("Forget the recent datasets (the files stay where they are)"));
    connect(clear, &QPushButton::clicked, recent_, &RecentDatasets::clear);
    layout->addWidget(clear, 0, Qt::AlignLeft);

    auto* hint = new QLabel(
        tr("Tip: drop a release folder, a .zip or a file of your own anywhere on this window to "
           "open it."),
        column);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(hint);
    return column;
}

QWidget* LoadPanel::createMovieArea() {
    auto* area = new QWidget(this);
    auto* layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(6);

    auto* filters = new QHBoxLayout;
    filters->setSpacing(8);
    filters->addWidget(sectionHeading(tr("Movies"), area));
    filters->addSpacing(8);

    searchEdit_ = new QLineEdit(area);
    searchEdit_->setObjectName(QStringLiteral("titleSearch"));
    searchEdit_->setPlaceholderText(tr("Search titles…"));
    searchEdit_->setClearButtonEnabled(true);
    searchEdit_->setToolTip(
        tr("Show movies whose title contains this text (case-insensitive) (Ctrl+F)"));
    auto* findAction = new QAction(tr("Search titles"), searchEdit_);
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findAction, &QAction::triggered, searchEdit_, [this] {
        searchEdit_->setFocus(Qt::ShortcutFocusReason);
        searchEdit_->selectAll();
    });
    addAction(findAction);
    filters->addWidget(searchEdit_, 2);

    genreCombo_ = new QComboBox(area);
    genreCombo_->setObjectName(QStringLiteral("genreFilter"));
    genreCombo_->setToolTip(tr("Show only movies of this genre"));
    genreCombo_->addItem(tr("All genres"), -1);  // the genres come with a dataset
    filters->addWidget(genreCombo_);

    auto* minLabel = new QLabel(tr("Min. ratings"), area);
    minRatingsSpin_ = new QSpinBox(area);
    minRatingsSpin_->setObjectName(QStringLiteral("minRatings"));
    minRatingsSpin_->setRange(0, 1'000'000);
    minRatingsSpin_->setSpecialValueText(tr("any"));
    minRatingsSpin_->setToolTip(tr("Show only movies with at least this many ratings"));
    minLabel->setToolTip(minRatingsSpin_->toolTip());
    minLabel->setBuddy(minRatingsSpin_);
    filters->addWidget(minLabel);
    filters->addWidget(minRatingsSpin_);

    shownLabel_ = new QLabel(area);
    shownLabel_->setObjectName(QStringLiteral("shownCount"));
    shownLabel_->setForegroundRole(QPalette::PlaceholderText);
    shownLabel_->setToolTip(tr("Movies shown after filtering, of all movies in the dataset"));
    shownLabel_->setMinimumWidth(150);
    shownLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    filters->addWidget(shownLabel_, 1);
    layout->addLayout(filters);

    movieModel_ = new MovieTableModel(this);
    movieProxy_ = new MovieFilterProxyModel(this);
    movieProxy_->setSourceModel(movieModel_);
    connect(searchEdit_, &QLineEdit::textChanged, movieProxy_,
            &MovieFilterProxyModel::setTitleFilter);
    connect(genreCombo_, &QComboBox::currentIndexChanged, this,
            [this](int i) { movieProxy_->setGenre(genreCombo_->itemData(i).toInt()); });
    connect(minRatingsSpin_, &QSpinBox::valueChanged, movieProxy_,
            &MovieFilterProxyModel::setMinimumRatings);
    connect(movieProxy_, &QAbstractItemModel::rowsInserted, this, &LoadPanel::updateShownCount);
    connect(movieProxy_, &QAbstractItemModel::rowsRemoved, this, &LoadPanel::updateShownCount);
    connect(movieProxy_, &QAbstractItemModel::modelReset, this, &LoadPanel::updateShownCount);
    connect(movieProxy_, &QAbstractItemModel::layoutChanged, this, &LoadPanel::updateShownCount);

    movieTable_ = new QTableView(area);
    movieTable_->setObjectName(QStringLiteral("movieTable"));
    movieTable_->setModel(movieProxy_);
    movieTable_->setToolTip(
        tr("Click a column header to sort; numbers sort numerically. Ctrl+C copies the selected "
           "rows"));
    movieTable_->setSortingEnabled(true);
    movieTable_->sortByColumn(MovieTableModel::RatingCountColumn, Qt::DescendingOrder);
    movieTable_->setAlternatingRowColors(true);
    movieTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    enableTableCopy(movieTable_);
    movieTable_->setWordWrap(false);
    movieTable_->verticalHeader()->setVisible(false);
    movieTable_->verticalHeader()->setDefaultSectionSize(movieTable_->fontMetrics().height() + 8);
    QHeaderView* header = movieTable_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(MovieTableModel::TitleColumn, QHeaderView::Stretch);
    header->setHighlightSections(false);
    const int digit = movieTable_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(MovieTableModel::IdColumn, digit * 9);
    header->resizeSection(MovieTableModel::YearColumn, digit * 7);
    header->resizeSection(MovieTableModel::GenresColumn, digit * 40);
    header->resizeSection(MovieTableModel::RatingCountColumn, digit * 10);
    header->resizeSection(MovieTableModel::MeanRatingColumn, digit * 9);
    layout->addWidget(movieTable_, 1);
    updateShownCount();
    return area;
}

bool LoadPanel::isErrorShown() const {
    return !errorBox_->isHidden();
}
QString LoadPanel::errorText() const {
    return errorLabel_->text();
}
bool LoadPanel::isProgressShown() const {
    return !progressRow_->isHidden();
}

void LoadPanel::chooseFolder() {
    const QString start = recent_->paths().isEmpty()
                              ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation)
                              : QFileInfo(recent_->paths().front()).absolutePath();
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Open a MovieLens release folder"), start);
    if (!dir.isEmpty()) openPath(dir);
}

void LoadPanel::chooseZip() {
    const QString start = recent_->paths().isEmpty()
                              ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation)
                              : QFileInfo(recent_->paths().front()).absolutePath();
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open a MovieLens release .zip"), start,
                                     tr("Zip archives (*.zip);;All files (*)"));
    if (!file.isEmpty()) openPath(file);
}

void LoadPanel::openDemo() {
    controller_->openDemo();
}

void LoadPanel::chooseImportFile() {
    const QString start = recent_->paths().isEmpty()
                              ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation)
                              : QFileInfo(recent_->paths().front()).absolutePath();
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Import your own interaction file"), start,
                                     tr("Delimited text (*.csv *.tsv *.txt *.dat);;All files (*)"));
    if (!file.isEmpty()) importFile(file);
}

ImportDialog* LoadPanel::importFile(const QString& path) {
    auto* dialog = new ImportDialog(path, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        controller_->openPath(dialog->path(), dialog->choice().loadOptions());
    });
    dialog->open();
    return dialog;
}

void LoadPanel::openPath(const QString& path) {
    // A single file that is not a zip is a user's own interaction file: read it as remembered,
    // or ask how.
    const QFileInfo info(path);
    if (info.isFile() && info.suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) != 0) {
        if (const auto remembered = importmemory::recall(path))
            controller_->openPath(path, remembered->loadOptions());
        else
            importFile(path);
        return;
    }
    controller_->openPath(path);
}

void LoadPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (!datasetPathFromDrop(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void LoadPanel::dropEvent(QDropEvent* event) {
    const QString path = datasetPathFromDrop(event->mimeData());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    openPath(path);
}

void LoadPanel::onLoadStarted(quint64, const QString& description) {
    errorBox_->hide();
    progressLabel_->setText(description + QStringLiteral("…"));
    progressBar_->setRange(0, 0);  // busy until the first real fraction arrives
    progressRow_->show();
}

void LoadPanel::onLoadProgress(double fraction, const QString& stage) {
    if (fraction > 0.0 && progressBar_->maximum() == 0) progressBar_->setRange(0, 1000);
    if (progressBar_->maximum() > 0)
        progressBar_->setValue(static_cast<int>(std::lround(fraction * 1000.0)));
    if (!stage.isEmpty()) progressBar_->setFormat(stage + QStringLiteral(" · %p%"));
}

void LoadPanel::onLoadFailed(const QString& message) {
    progressRow_->hide();
    showError(message);
    // Strict mode stopped at a bad line of a release on disk: offer the lenient load.
    retryLenientButton_->setVisible(!controller_->lenient() &&
                                    !controller_->failedPath().isEmpty());
}

void LoadPanel::onLoadCancelled() {
    progressRow_->hide();
    progressBar_->setFormat(QStringLiteral("%p%"));
}

void LoadPanel::showError(const QString& message) {
    errorLabel_->setText(
        tr("<b>Could not load the dataset.</b><br>%1").arg(message.toHtmlEscaped()));
    errorBox_->show();
}

void LoadPanel::onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset) {
    progressRow_->hide();
    progressBar_->setFormat(QStringLiteral("%p%"));
    errorBox_->hide();
    movieModel_->setDataset(nullptr);  // the new release's movies come from the job below
    if (!dataset) {
        movieJobs_->cancel();
        return;
    }
    movieJobs_->start(
        [dataset, sortKey = movieModel_->sortKey()](const JobContext&) {
            return MovieTableModel::columnsOf(*dataset, sortKey);
        },
        [this, dataset](MovieTableModel::Columns columns) {
            movieModel_->setDataset(dataset, std::move(columns));
            emit moviesShown();
        });
    const Dataset& d = *dataset;

    titleLabel_->setText(QString::fromStdString(d.name));
    const QString source = controller_->sourcePath();
    // The demo says what it is and where real data comes from: its titles are invented.
    sourceLabel_->setText(
        source.isEmpty()
            ? tr("Built-in synthetic demo, generated in memory: invented titles with planted "
                 "genre structure. For real data, Download… ml-latest-small (Ctrl+D) or open a "
                 "release. Next stage: Explore (Ctrl+2).")
            : tr("%1 · layout %2")
                  .arg(QDir::toNativeSeparators(source), QLatin1String(layoutName(d.layout))));
    sourceLabel_->setWordWrap(source.isEmpty());

    showDatasetSummary(cards_, d, controller_->lastLoadSeconds());
    const QStringList notes = loadNotes(d);
    refreshGenreFilter(d);
    noteLabel_->setText(notes.join(QStringLiteral(" · ")));
    noteLabel_->setToolTip(QString::fromStdString([&] {
        std::string all;
        for (const auto& w : d.report.warnings) all += w + "\n";
        return all;
    }()));
    noteLabel_->setVisible(!notes.isEmpty());
    updateShownCount();
}

void LoadPanel::refreshGenreFilter(const Dataset& d) {
    // The dataset's own vocabulary: MovieLens's genres, or an items file's categories. The
    // chosen genre stays chosen when the new dataset has a genre of that name.
    const QString chosen = genreCombo_->currentIndex() > 0 ? genreCombo_->currentText() : QString();
    const QSignalBlocker block(genreCombo_);
    genreCombo_->clear();
    genreCombo_->addItem(tr("All genres"), -1);
    for (int g = 0; g < d.genreCount(); ++g)
        genreCombo_->addItem(QString::fromStdString(d.genreName(g)), g);
    genreCombo_->setCurrentIndex(std::max(0, genreCombo_->findText(chosen)));
    movieProxy_->setGenre(genreCombo_->currentData().toInt());
}

void LoadPanel::refreshRecentList() {
    recentList_->clear();
    const QIcon folderIcon = style()->standardIcon(QStyle::SP_DirIcon);
    const QIcon fileIcon = style()->standardIcon(QStyle::SP_FileIcon);
    for (const QString& path : recent_->paths()) {
        const QFileInfo info(path);
        auto* item =
            new QListWidgetItem(info.isDir() ? folderIcon : fileIcon, info.fileName(), recentList_);
        item->setData(Qt::UserRole, path);
        if (info.exists()) {
            item->setToolTip(QDir::toNativeSeparators(path));
        } else {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setToolTip(tr("%1 (no longer exists)").arg(QDir::toNativeSeparators(path)));
        }
    }
    if (recent_->paths().isEmpty()) {
        auto* item = new QListWidgetItem(tr("(none yet)"), recentList_);
        item->setFlags(Qt::NoItemFlags);
    }
}

void LoadPanel::openRecentItem(QListWidgetItem* item) {
    const QString path = item ? item->data(Qt::UserRole).toString() : QString();
    if (!path.isEmpty()) openPath(path);
}

void LoadPanel::updateShownCount() {
    const QLocale locale;
    shownLabel_->setText(tr("%1 of %2 movies")
                             .arg(locale.toString(movieProxy_->rowCount()),
                                  locale.toString(movieModel_->rowCount())));
}

}  // namespace lens::ui
