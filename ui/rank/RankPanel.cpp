#include "RankPanel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <unordered_map>

#include "AppSettings.h"
#include "DatasetController.h"
#include "TableCopy.h"
#include "charts/ChartFigure.h"
#include "data/Dataset.h"
#include "data/Genre.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "rank/PersonaEditor.h"
#include "rank/RankListFigure.h"
#include "rank/RankingQualityView.h"

namespace lens::ui {

namespace {

constexpr int kRecomputeDelayMs = 60;

QString genreText(GenreMask mask) {
    QStringList names;
    for (const auto name : genreNamesOf(mask))
        names << QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
    return names.isEmpty() ? QObject::tr("(no genres)") : names.join(QStringLiteral(", "));
}

QString scoringDescription(RankScoring scoring, double w) {
    switch (scoring) {
        case RankScoring::StudyVariant:
            return QObject::tr("score p·q + %1·b_i (study variant)")
                .arg(QLocale().toString(w, 'g', 3));
        case RankScoring::PredictedRating:
            return QObject::tr("score = predicted rating");
        case RankScoring::RawScore:
            return QObject::tr("score = raw model output");
    }
    return {};
}

}  // namespace

// A model with the ranker built for it on one dataset (the ranker refers to both).
struct RankPanel::RankerSlot {
    QString id;
    QString label;
    std::shared_ptr<const Recommender> model;
    std::shared_ptr<const Dataset> dataset;
    std::unique_ptr<TopNRanker> ranker;
    QString error;
};

RankPanel::RankPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent)
    : QWidget(parent), controller_(controller), models_(models) {
    auto* outer = new QHBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    outer->addWidget(splitter);

    auto* personaBox = new QGroupBox(tr("Persona"), splitter);
    auto* personaLayout = new QVBoxLayout(personaBox);
    persona_ = new PersonaEditor(personaBox);
    personaLayout->addWidget(persona_);
    splitter->addWidget(personaBox);

    tabs_ = new QTabWidget(splitter);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);

    // --- Top-N tab -------------------------------------------------------------------------
    auto* listTab = new QWidget(tabs_);
    auto* listLayout = new QVBoxLayout(listTab);

    auto* filters = new QHBoxLayout;
    minRatings_ = new QSpinBox(listTab);
    minRatings_->setRange(0, 1'000'000);
    minRatings_->setValue(100);
    minRatings_->setToolTip(
        tr("Only movies with at least this many ratings (100 as in the study) "
           "can be recommended"));
    excludeRated_ = new QCheckBox(tr("Exclude rated"), listTab);
    excludeRated_->setChecked(true);
    excludeRated_->setToolTip(tr("Leave out the movies the persona rated (on by default)"));
    count_ = new QSpinBox(listTab);
    count_->setRange(1, 100);
    count_->setValue(10);
    count_->setToolTip(tr("Length N of the list"));
    // Push buttons: their size hint makes room for the menu arrow (a tool button's arrow
    // covered the end of its text).
    includeButton_ = new QPushButton(listTab);
    includeButton_->setToolTip(tr("Keep only movies with at least one of the checked genres"));
    excludeButton_ = new QPushButton(listTab);
    excludeButton_->setToolTip(tr("Leave out movies with any of the checked genres"));
    auto* includeMenu = new QMenu(includeButton_);
    auto* excludeMenu = new QMenu(excludeButton_);
    for (int g = 0; g < kGenreCount; ++g) {
        const QString name =
            QString::fromUtf8(kGenreNames[g].data(), static_cast<qsizetype>(kGenreNames[g].size()));
        QAction* inc = includeMenu->addAction(name);
        inc->setCheckable(true);
        QAction* exc = excludeMenu->addAction(name);
        exc->setCheckable(true);
        includeActions_.append(inc);
        excludeActions_.append(exc);
        connect(inc, &QAction::toggled, this, [this, g](bool on) {
            includeGenres_ = on ? (includeGenres_ | (1U << g)) : (includeGenres_ & ~(1U << g));
            updateGenreButtons();
            refresh();
        });
        connect(exc, &QAction::toggled, this, [this, g](bool on) {
            excludeGenres_ = on ? (excludeGenres_ | (1U << g)) : (excludeGenres_ & ~(1U << g));
            updateGenreButtons();
            refresh();
        });
    }
    includeButton_->setMenu(includeMenu);
    excludeButton_->setMenu(excludeMenu);
    filters->addWidget(new QLabel(tr("Min. ratings:"), listTab));
    filters->addWidget(minRatings_);
    filters->addWidget(excludeRated_);
    filters->addWidget(new QLabel(tr("N:"), listTab));
    filters->addWidget(count_);
    filters->addWidget(includeButton_);
    filters->addWidget(excludeButton_);
    filters->addStretch(1);
    listLayout->addLayout(filters);

    auto* scoringRow = new QHBoxLayout;
    scoring_ = new QComboBox(listTab);
    scoring_->addItem(tr("Study variant: p·q + w·b_i"),
                      static_cast<int>(RankScoring::StudyVariant));
    scoring_->addItem(tr("Predicted rating"), static_cast<int>(RankScoring::PredictedRating));
    scoring_->addItem(tr("Raw model score"), static_cast<int>(RankScoring::RawScore));
    scoring_->setToolTip(
        tr("How movies are ranked. Predicted rating (mu + b_u + b_i + p·q) lets "
           "globally loved movies fill a small persona's list; the study's variant "
           "p·q + w·b_i keeps only a little of the movie bias"));
    biasWeight_ = new QDoubleSpinBox(listTab);
    biasWeight_->setRange(0.0, 5.0);
    biasWeight_->setDecimals(3);
    biasWeight_->setSingleStep(0.01);
    biasWeight_->setValue(0.05);
    biasWeight_->setToolTip(
        tr("Weight w of the movie bias b_i in the study variant (0.05 in the "
           "study)"));
    compare_ = new QComboBox(listTab);
    compare_->setToolTip(
        tr("Show a second model's list for the same persona side by side; movies "
           "in both lists are highlighted"));
    compare_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    scoringRow->addWidget(new QLabel(tr("Scoring:"), listTab));
    scoringRow->addWidget(scoring_);
    scoringRow->addWidget(new QLabel(tr("w:"), listTab));
    scoringRow->addWidget(biasWeight_);
    scoringRow->addSpacing(12);
    scoringRow->addWidget(new QLabel(tr("Compare with:"), listTab));
    scoringRow->addWidget(compare_, 1);

    exportCsvAction_ = new QAction(tr("Export CSV…"), this);
    exportCsvAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    exportCsvAction_->setToolTip(tr("Save the list as CSV (Ctrl+E)"));
    exportPngAction_ = new QAction(tr("Export image…"), this);
    exportPngAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    exportPngAction_->setToolTip(tr("Save the list as a PNG, SVG or PDF figure (Ctrl+Shift+E)"));
    focusSearchAction_ = new QAction(tr("Search movies"), this);
    focusSearchAction_->setShortcut(QKeySequence::Find);
    focusSearchAction_->setToolTip(tr("Search a movie to add to the persona (Ctrl+F)"));
    refreshAction_ = new QAction(tr("Recompute"), this);
    refreshAction_->setShortcut(QKeySequence::Refresh);
    refreshAction_->setToolTip(tr("Recompute the lists now (F5)"));
    for (QAction* a : {exportCsvAction_, exportPngAction_, focusSearchAction_, refreshAction_}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    for (QAction* a : {exportCsvAction_, exportPngAction_}) {
        auto* button = new QToolButton(listTab);
        button->setDefaultAction(a);
        scoringRow->addWidget(button);
    }
    listLayout->addLayout(scoringRow);

    statusLabel_ = new QLabel(listTab);
    statusLabel_->setWordWrap(true);
    statusLabel_->setToolTip(tr("What the list was computed from"));
    listLayout->addWidget(statusLabel_);

    auto* lists = new QSplitter(Qt::Horizontal, listTab);
    top_ = new TopNTableModel(this);
    compareTop_ = new TopNTableModel(this);
    auto makeTable = [this, lists](TopNTableModel* model, QLabel*& title) {
        auto* box = new QWidget(lists);
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        title = new QLabel(box);
        title->setWordWrap(true);
        layout->addWidget(title);
        auto* view = new QTableView(box);
        view->setModel(model);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        // Several rows can be selected for copying (Ctrl+A, Shift+click); the explanation follows
        // the current row.
        view->setSelectionMode(QAbstractItemView::ExtendedSelection);
        view->verticalHeader()->hide();
        view->setWordWrap(false);
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        // The title takes the width the number columns leave (elided when narrow), so every
        // column stays visible without a horizontal scroll bar.
        view->horizontalHeader()->setSectionResizeMode(TopNTableModel::TitleColumn,
                                                       QHeaderView::Stretch);
        view->setTextElideMode(Qt::ElideRight);
        view->horizontalHeader()->setSectionResizeMode(TopNTableModel::GenresColumn,
                                                       QHeaderView::Interactive);
        view->horizontalHeader()->resizeSection(TopNTableModel::GenresColumn, 150);
        view->setToolTip(
            tr("Hover a row to see which of the persona's movies it comes from; Ctrl+C copies the "
               "selected rows with their column titles"));
        enableTableCopy(view);
        layout->addWidget(view);
        lists->addWidget(box);
        return std::pair{box, view};
    };
    topView_ = makeTable(top_, activeTitle_).second;
    std::tie(compareBox_, compareView_) = makeTable(compareTop_, compareTitle_);
    compareBox_->hide();
    explanation_ = new QTextBrowser(lists);
    explanation_->setToolTip(
        tr("Why the selected movie is recommended: the persona's rated "
           "movies that contributed most"));
    explanation_->setPlaceholderText(tr("Select a row to see why it is recommended."));
    lists->addWidget(explanation_);
    lists->setStretchFactor(0, 3);
    lists->setStretchFactor(1, 3);
    lists->setStretchFactor(2, 1);
    // Start with most of the width for the lists, so every column fits at 1280 px; the
    // explanation pane still gets about a sixth (the splitter scales these proportions).
    lists->setSizes({5000, 5000, 1000});
    listLayout->addWidget(lists, 1);

    overlapLabel_ = new QLabel(listTab);
    overlapLabel_->setToolTip(tr("Movies in both lists (highlighted in both tables)"));
    overlapLabel_->hide();
    listLayout->addWidget(overlapLabel_);
    tabs_->addTab(listTab, tr("Top-N"));

    // --- Ranking quality tab ---------------------------------------------------------------
    quality_ = new RankingQualityView(tabs_);
    tabs_->addTab(quality_, tr("Ranking quality"));
    tabs_->setTabToolTip(0, tr("The persona's personalised list"));
    tabs_->setTabToolTip(1, tr("Precision, recall, NDCG, MAP, HR and coverage of the active "
                               "model on its test split"));

    listFigure_ = std::make_unique<RankListFigure>(top_);

    recomputeTimer_ = new QTimer(this);
    recomputeTimer_->setSingleShot(true);
    recomputeTimer_->setInterval(kRecomputeDelayMs);
    connect(recomputeTimer_, &QTimer::timeout, this, &RankPanel::recomputeNow);

    connect(persona_, &PersonaEditor::personaEdited, this, &RankPanel::refresh);
    connect(minRatings_, &QSpinBox::valueChanged, this, &RankPanel::refresh);
    connect(count_, &QSpinBox::valueChanged, this, &RankPanel::refresh);
    connect(excludeRated_, &QCheckBox::toggled, this, &RankPanel::refresh);
    connect(scoring_, &QComboBox::currentIndexChanged, this, [this] {
        biasWeight_->setEnabled(scoring_->currentData().toInt() ==
                                static_cast<int>(RankScoring::StudyVariant));
        refresh();
    });
    connect(biasWeight_, &QDoubleSpinBox::valueChanged, this, &RankPanel::refresh);
    connect(compare_, &QComboBox::currentIndexChanged, this, &RankPanel::refresh);
    connect(exportCsvAction_, &QAction::triggered, this, &RankPanel::exportCsvWithDialog);
    connect(exportPngAction_, &QAction::triggered, this, &RankPanel::exportPngWithDialog);
    connect(focusSearchAction_, &QAction::triggered, this, [this] {
        tabs_->setCurrentIndex(0);
        persona_->focusSearch();
    });
    connect(refreshAction_, &QAction::triggered, this, &RankPanel::recomputeNow);
    connect(topView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) explainsComparison_ = false;
                showExplanation(top_, current.row());
            });
    connect(compareView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) explainsComparison_ = true;
                showExplanation(compareTop_, current.row());
            });

    if (controller_)
        connect(controller_, &DatasetController::datasetChanged, this,
                &RankPanel::onDatasetChanged);
    if (models_) {
        connect(models_, &ModelLibrary::activeChanged, this, &RankPanel::onActiveChanged);
        connect(models_, &ModelLibrary::entriesChanged, this, [this] {
            rebuildComparisonCombo();
            refresh();
        });
    }
    updateGenreButtons();
    onDatasetChanged();
    onActiveChanged();
}

RankPanel::~RankPanel() = default;

std::shared_ptr<const Dataset> RankPanel::currentDataset() const {
    if (controller_ && controller_->dataset()) return controller_->dataset();
    if (models_ && models_->active()) return models_->active()->dataset;
    return nullptr;
}

void RankPanel::onDatasetChanged() {
    const auto dataset = currentDataset();
    if (persona_->dataset() != dataset) persona_->setDataset(dataset);
    active_.reset();
    other_.reset();
    onActiveChanged();
}

void RankPanel::onActiveChanged() {
    const auto dataset = currentDataset();
    if (persona_->dataset() != dataset) persona_->setDataset(dataset);
    const ModelLibrary::Entry* entry = models_ ? models_->active() : nullptr;
    if (entry)
        quality_->setModel(entry->model, dataset, entry->label);
    else
        quality_->setModel(nullptr, nullptr, {});
    quality_->setProvenance(provenance());
    rebuildComparisonCombo();
    refresh();
}

void RankPanel::rebuildComparisonCombo() {
    const QString current = compare_->currentData().toString();
    const QSignalBlocker block(compare_);
    compare_->clear();
    compare_->addItem(tr("(no second list)"), QString());
    compare_->addItem(tr("Popularity (most rated)"), kPopularityComparison);
    if (models_) {
        const QString activeId = models_->activeId();
        const auto dataset = currentDataset();
        const QString datasetName = dataset ? QString::fromStdString(dataset->name) : QString();
        for (const ModelLibrary::Entry& e : models_->entries()) {
            if (e.id == activeId || !e.model) continue;
            // Only models of the loaded dataset can rank its movies.
            if (!datasetName.isEmpty() && !e.datasetName.isEmpty() && e.datasetName != datasetName)
                continue;
            compare_->addItem(e.label, e.id);
        }
    }
    const int index = compare_->findData(current);
    compare_->setCurrentIndex(index < 0 ? 0 : index);
}

bool RankPanel::setComparison(const QString& id) {
    const int index = compare_->findData(id);
    if (index < 0) return false;
    compare_->setCurrentIndex(index);
    return true;
}

QString RankPanel::comparison() const {
    return compare_->currentData().toString();
}

void RankPanel::rebuildRankers() {
    const auto dataset = currentDataset();
    auto buildSlot = [&dataset](std::unique_ptr<RankerSlot>& slot, const ModelLibrary::Entry* e) {
        if (!e || !e->model || !dataset) {
            slot.reset();
            return;
        }
        if (slot && slot->id == e->id && slot->model == e->model && slot->dataset == dataset) {
            slot->label = e->label;
            return;
        }
        slot = std::make_unique<RankerSlot>();
        slot->id = e->id;
        slot->label = e->label;
        slot->model = e->model;
        slot->dataset = dataset;
        try {
            slot->ranker = std::make_unique<TopNRanker>(*slot->model, *slot->dataset);
        } catch (const std::exception& ex) {
            slot->error = tr("%1 cannot rank the loaded dataset: %2")
                              .arg(e->label, QString::fromUtf8(ex.what()));
        }
    };
    buildSlot(active_, models_ ? models_->active() : nullptr);
    const QString otherId = comparison();
    const ModelLibrary::Entry* other =
        (models_ && !otherId.isEmpty() && otherId != kPopularityComparison) ? models_->find(otherId)
                                                                            : nullptr;
    buildSlot(other_, other);
}

RankConfig RankPanel::rankConfig() const {
    RankConfig config;
    config.filter.minRatings = static_cast<std::size_t>(minRatings_->value());
    config.filter.excludeRated = excludeRated_->isChecked();
    config.filter.includeGenres = includeGenres_;
    config.filter.excludeGenres = excludeGenres_;
    config.filter.n = count_->value();
    config.scoring = static_cast<RankScoring>(scoring_->currentData().toInt());
    config.biasWeight = biasWeight_->value();
    return config;
}

void RankPanel::setRankConfig(const RankConfig& config) {
    {
        const QSignalBlocker b1(minRatings_), b2(excludeRated_), b3(count_), b4(scoring_),
            b5(biasWeight_);
        minRatings_->setValue(static_cast<int>(
            std::min<std::size_t>(config.filter.minRatings, minRatings_->maximum())));
        excludeRated_->setChecked(config.filter.excludeRated);
        count_->setValue(config.filter.n);
        const int index = scoring_->findData(static_cast<int>(config.scoring));
        if (index >= 0) scoring_->setCurrentIndex(index);
        biasWeight_->setValue(config.biasWeight);
        biasWeight_->setEnabled(config.scoring == RankScoring::StudyVariant);
    }
    includeGenres_ = config.filter.includeGenres;
    excludeGenres_ = config.filter.excludeGenres;
    for (int g = 0; g < kGenreCount; ++g) {
        const QSignalBlocker bi(includeActions_[g]), be(excludeActions_[g]);
        includeActions_[g]->setChecked(hasGenre(includeGenres_, g));
        excludeActions_[g]->setChecked(hasGenre(excludeGenres_, g));
    }
    updateGenreButtons();
    refresh();
}

void RankPanel::updateGenreButtons() {
    // Two genres by name, more as "first +n" (the whole list in the tooltip), so that the
    // buttons keep their width in the filter row.
    auto shortText = [](GenreMask mask) {
        const auto names = genreNamesOf(mask);
        if (names.size() <= 2) return genreText(mask);
        return QStringLiteral("%1 +%2")
            .arg(QString::fromUtf8(names.front().data(),
                                   static_cast<qsizetype>(names.front().size())))
            .arg(names.size() - 1);
    };
    includeButton_->setText(includeGenres_ ? tr("Only: %1").arg(shortText(includeGenres_))
                                           : tr("Only: any genre"));
    excludeButton_->setText(excludeGenres_ ? tr("Exclude: %1").arg(shortText(excludeGenres_))
                                           : tr("Exclude: none"));
    includeButton_->setToolTip(
        tr("Keep only movies with at least one of the checked genres") +
        (includeGenres_ ? tr(" (now: %1)").arg(genreText(includeGenres_)) : QString()));
    excludeButton_->setToolTip(
        tr("Leave out movies with any of the checked genres") +
        (excludeGenres_ ? tr(" (now: %1)").arg(genreText(excludeGenres_)) : QString()));
}

bool RankPanel::selectPersona(const QString& name) {
    const bool ok = persona_->selectPersona(name);
    if (ok) refresh();
    return ok;
}

bool RankPanel::useUser(qint64 userId) {
    return persona_->useUser(userId);
}

void RankPanel::refresh() {
    recomputeTimer_->start();
}

QList<RankRow> RankPanel::rowsOf(const RankResult& result, const TopNRanker& ranker,
                                 const std::vector<PersonaRating>& persona) const {
    const Dataset& dataset = ranker.dataset();
    std::unordered_map<std::int64_t, float> ratingOf;
    for (const PersonaRating& r : persona) ratingOf[r.movieId] = r.rating;
    const QString note =
        result.explainedByContributions
            ? tr("Numbers: each movie's exact share of p·q from the fold-in solve.")
            : tr("Numbers: cosine similarity to the recommended movie in the "
                 "model's embedding space (nearest rated movies).");
    QList<RankRow> rows;
    for (const RankedMovie& m : result.items) {
        RankRow row;
        row.rank = m.rank;
        row.movie = static_cast<int>(m.item);
        row.movieId = m.movieId;
        if (m.item < dataset.movieCount()) {
            row.title = QString::fromStdString(dataset.titles[m.item]);
            row.year = dataset.years[m.item];
            row.genres = genreText(dataset.genres[m.item]);
        }
        row.predictedRating = m.predictedRating;
        row.rawScore = m.score;
        row.modelOutput = m.rawScore;
        row.ratingCount = static_cast<int>(m.ratingsCount);
        row.meanRating = m.ratingsCount > 0 ? m.meanRating : std::nan("");
        for (std::size_t j = 0; j < m.because.size(); ++j) {
            RankContribution c;
            c.movieId = m.because[j];
            const std::int64_t index = dataset.movieIndex(c.movieId);
            c.title = index >= 0 ? QString::fromStdString(dataset.titles[index])
                                 : tr("movie %1").arg(c.movieId);
            const auto it = ratingOf.find(c.movieId);
            c.rating = it != ratingOf.end() ? it->second : std::nan("");
            c.contribution = j < m.becauseWeights.size() ? m.becauseWeights[j] : 0.0;
            row.because.append(c);
        }
        row.explanationNote = note;
        rows.append(row);
    }
    return rows;
}

void RankPanel::recomputeNow() {
    recomputeTimer_->stop();
    rebuildRankers();
    const std::vector<PersonaRating> persona = persona_->ratings();
    const RankConfig config = rankConfig();
    const QLocale locale;
    result_.reset();
    comparisonResult_.reset();
    QList<RankRow> rows, compareRows;
    const QString compareId = comparison();

    if (!active_) {
        status_ = models_ && models_->active()
                      ? tr("No dataset is loaded.")
                      : tr("No model is active: train one in the Train stage (or open a saved "
                           "model) to rank movies for a persona.");
    } else if (!active_->ranker) {
        status_ = active_->error;
    } else if (persona.empty()) {
        status_ = tr("Pick a persona, an existing user, or add rated movies to get a list.");
    } else {
        try {
            result_ = active_->ranker->rankPersona(persona, config);
            rows = rowsOf(*result_, *active_->ranker, persona);
            status_ =
                tr("<b>%1</b> for <b>%2</b> (%3 rated movies): %4 of %5 movies pass the "
                   "filters; %6.")
                    .arg(active_->label.toHtmlEscaped(), persona_->personaName().toHtmlEscaped())
                    .arg(result_->used.size())
                    .arg(locale.toString(qulonglong(result_->candidates)),
                         locale.toString(qulonglong(active_->dataset->movieCount())),
                         scoringDescription(config.scoring, config.biasWeight));
            if (compareId == kPopularityComparison) {
                comparisonResult_ = active_->ranker->popularity(persona, config.filter);
                compareRows = rowsOf(*comparisonResult_, *active_->ranker, persona);
            } else if (other_ && other_->ranker) {
                comparisonResult_ = other_->ranker->rankPersona(persona, config);
                compareRows = rowsOf(*comparisonResult_, *other_->ranker, persona);
            } else if (other_) {
                status_ += QStringLiteral("<br>") + other_->error.toHtmlEscaped();
            }
        } catch (const std::exception& e) {
            result_.reset();
            comparisonResult_.reset();
            rows.clear();
            compareRows.clear();
            status_ = tr("Could not rank: %1").arg(QString::fromUtf8(e.what()).toHtmlEscaped());
        }
    }
    statusLabel_->setText(status_);

    // The movies selected before: kept selected when they are still in the new lists.
    const qint64 selectedTop = selectedMovieId(topView_);
    const qint64 selectedCompare = selectedMovieId(compareView_);
    const bool explainedComparison = explainsComparison_;

    top_->setPredictsRatings(active_ && active_->model ? active_->model->predictsRatings() : true);
    top_->setRows(rows);
    const bool comparing = !compareId.isEmpty();
    compareBox_->setVisible(comparing);
    if (compareId == kPopularityComparison) {
        compareTop_->setPredictsRatings(false);
        compareTitle_->setText(tr("<b>Popularity</b>: most rated movies under the same filters"));
    } else if (other_) {
        compareTop_->setPredictsRatings(other_->model->predictsRatings());
        compareTitle_->setText(tr("<b>%1</b>").arg(other_->label.toHtmlEscaped()));
    }
    compareTop_->setRows(compareRows);
    activeTitle_->setText(
        active_ ? tr("<b>%1</b> (active model)").arg(active_->label.toHtmlEscaped()) : QString());

    QSet<qint64> topIds, compareIds;
    for (const RankRow& r : rows) topIds.insert(r.movieId);
    for (const RankRow& r : compareRows) compareIds.insert(r.movieId);
    top_->setOverlapIds(comparing ? compareIds : QSet<qint64>());
    compareTop_->setOverlapIds(comparing ? topIds : QSet<qint64>());
    overlapLabel_->setVisible(comparing && result_.has_value());
    overlapLabel_->setText(overlapText());

    // The explanation pane always explains something when there is a list: the previously
    // selected movie when it is still listed, otherwise the first row of the active list.
    explanation_->clear();
    selectMovie(compareView_, selectedCompare, false);
    selectMovie(topView_, selectedTop, true);
    if (explainedComparison && compareView_->currentIndex().isValid())
        showExplanation(compareTop_, compareView_->currentIndex().row());
    else if (topView_->currentIndex().isValid())
        showExplanation(top_, topView_->currentIndex().row());
    explainsComparison_ = explainedComparison && compareView_->currentIndex().isValid();
    updateListFigure();
    emit personaChanged(persona_->ratedMovieIds(), top_->movieIds());
}

int RankPanel::overlapCount() const {
    return top_->overlapCount();
}

QString RankPanel::overlapText() const {
    if (comparison().isEmpty() || !result_) return {};
    const int shared = overlapCount();
    const int size = std::max(top_->rowCount(), compareTop_->rowCount());
    return tr("Overlap: %1 of %2 movies are in both lists (highlighted).").arg(shared).arg(size);
}

QString RankPanel::statusText() const {
    return status_;
}

qint64 RankPanel::selectedMovieId(const QTableView* view) {
    const auto* model = qobject_cast<const TopNTableModel*>(view->model());
    const QModelIndex current = view->currentIndex();
    const RankRow* row = model && current.isValid() ? model->row(current.row()) : nullptr;
    return row ? row->movieId : -1;
}

void RankPanel::selectMovie(QTableView* view, qint64 movieId, bool firstRowOtherwise) {
    const auto* model = qobject_cast<const TopNTableModel*>(view->model());
    if (!model || model->rowCount() == 0) return;
    int target = -1;
    if (movieId >= 0)
        for (int r = 0; r < model->rowCount() && target < 0; ++r)
            if (model->row(r)->movieId == movieId) target = r;
    if (target < 0 && firstRowOtherwise) target = 0;
    if (target < 0) return;
    view->selectionModel()->setCurrentIndex(
        model->index(target, TopNTableModel::TitleColumn),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RankPanel::showExplanation(const TopNTableModel* model, int row) {
    if (row < 0) {
        explanation_->clear();
        return;
    }
    explanation_->setHtml(model->explanation(row));
}

Provenance RankPanel::provenance() const {
    Provenance p;
    const auto dataset = currentDataset();
    if (dataset)
        p.dataset = tr("%1 (%2 ratings)")
                        .arg(QString::fromStdString(dataset->name),
                             QLocale().toString(qulonglong(dataset->ratingCount())));
    const ModelLibrary::Entry* entry = models_ ? models_->active() : nullptr;
    if (entry && entry->model) {
        p.model = entry->label;
        p.split = QString::fromStdString(entry->model->splitSpec().describe());
        p.seed = QString::number(entry->model->seed());
    }
    return p;
}

void RankPanel::updateListFigure() {
    const RankConfig config = rankConfig();
    const QString model = active_ ? active_->label : tr("no model");
    listFigure_->setTitle(
        tr("Top-%1 for %2 — %3")
            .arg(config.filter.n)
            .arg(persona_->personaName().isEmpty() ? tr("no persona") : persona_->personaName(),
                 model));
    QStringList parts;
    parts << scoringDescription(config.scoring, config.biasWeight);
    parts << tr("at least %1 ratings").arg(config.filter.minRatings);
    parts << (config.filter.excludeRated ? tr("rated movies excluded")
                                         : tr("rated movies allowed"));
    if (includeGenres_) parts << tr("only %1").arg(genreText(includeGenres_));
    if (excludeGenres_) parts << tr("no %1").arg(genreText(excludeGenres_));
    if (!comparison().isEmpty() && result_)
        parts << tr("%1 in common with %2 (tinted)")
                     .arg(overlapCount())
                     .arg(comparison() == kPopularityComparison
                              ? tr("the popularity list")
                              : (other_ ? other_->label : tr("the other model")));
    listFigure_->setSubtitle(parts.join(QStringLiteral(" · ")));
}

QList<const Figure*> RankPanel::figures() const {
    return {listFigure_.get(), quality_->popularityFigure()};
}

bool RankPanel::exportCsv(const QString& path, QString* error) const {
    QSaveFile file(path);
    auto fail = [&](const QString& why) {
        if (error) *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), why);
        return false;
    };
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return fail(file.errorString());
    const QByteArray bytes = top_->toCsv().toUtf8();
    if (file.write(bytes) != bytes.size()) return fail(file.errorString());
    if (!file.commit()) return fail(file.errorString());
    return true;
}

bool RankPanel::exportPng(const QString& path, QString* error) const {
    FigureExportOptions options;
    options.dpi = settings::exportDpi();
    options.footer = provenance().text();
    const auto format = figureFormatForPath(path).value_or(FigureFormat::Png);
    return exportFigure(*listFigure_, path, format, options, error);
}

void RankPanel::exportCsvWithDialog() {
    if (!result_) {
        QMessageBox::information(this, tr("Nothing to export"), tr("There is no list yet."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export list as CSV"), QStringLiteral("top-n.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void RankPanel::exportPngWithDialog() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export list as image"), QStringLiteral("top-n.png"),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportPng(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace lens::ui
