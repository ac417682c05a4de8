#include "PersonaEditor.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

#include "JobTracker.h"
#include "TableCopy.h"
#include "data/Dataset.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

constexpr int kSearchLimit = 50;
constexpr int kMovieIndexRole = Qt::UserRole + 1;

}  // namespace

PersonaEditor::PersonaEditor(QWidget* parent)
    : QWidget(parent), indexJobs_(std::make_unique<JobTracker>()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* form = new QFormLayout;
    picker_ = new QComboBox(this);
    picker_->setToolTip(
        tr("Start from a preset persona or one loaded from a file; the movies "
           "it rated replace the current list"));
    form->addRow(tr("Persona:"), picker_);

    auto* userRow = new QHBoxLayout;
    userId_ = new QLineEdit(this);
    userId_->setClearButtonEnabled(true);
    userId_->setToolTip(
        tr("Id of an existing user of the dataset, as the data spells it (a number, "
           "or the string id of your own data): all of their ratings become the persona "
           "(Enter)"));
    useUser_ = new QPushButton(tr("Use user"), this);
    useUser_->setToolTip(tr("Replace the persona by all ratings of this user"));
    userRow->addWidget(userId_, 1);
    userRow->addWidget(useUser_);
    form->addRow(tr("Or user id:"), userRow);
    layout->addLayout(form);

    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search movies by title (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    search_->setToolTip(
        tr("Type part of a title: case and accents are ignored (\"amelie\" finds "
           "\"Amélie\"); the most rated movies come first (Ctrl+F)"));
    layout->addWidget(search_);

    results_ = new QListWidget(this);
    results_->setToolTip(
        tr("Matching movies, most rated first: double-click or press Add to "
           "rate one"));
    results_->setMaximumHeight(160);
    layout->addWidget(results_);

    auto* addRow = new QHBoxLayout;
    rating_ = new QDoubleSpinBox(this);
    rating_->setRange(0.5, 5.0);
    rating_->setSingleStep(0.5);
    rating_->setDecimals(1);
    rating_->setValue(5.0);
    rating_->setSuffix(QStringLiteral(" ★"));
    rating_->setToolTip(tr("The star rating the persona gives the movie (0.5 to 5)"));
    add_ = new QPushButton(tr("Add"), this);
    add_->setToolTip(tr("Add the selected movie with this rating (Enter in the list)"));
    addRow->addWidget(new QLabel(tr("Rating:"), this));
    addRow->addWidget(rating_);
    addRow->addStretch(1);
    addRow->addWidget(add_);
    layout->addLayout(addRow);

    rated_ = new PersonaRatingsModel(this);
    ratedView_ = new QTableView(this);
    ratedView_->setModel(rated_);
    ratedView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    ratedView_->horizontalHeader()->setSectionResizeMode(PersonaRatingsModel::TitleColumn,
                                                         QHeaderView::Stretch);
    ratedView_->horizontalHeader()->setSectionResizeMode(PersonaRatingsModel::RatingColumn,
                                                         QHeaderView::ResizeToContents);
    ratedView_->verticalHeader()->hide();
    ratedView_->setToolTip(
        tr("The persona's rated movies: double-click a rating to change it, "
           "Delete removes the selected movies, Ctrl+C copies them"));
    layout->addWidget(ratedView_, 1);

    missing_ = new QLabel(this);
    missing_->setWordWrap(true);
    missing_->setTextFormat(Qt::PlainText);
    missing_->setToolTip(
        tr("Movies of the chosen persona that the loaded release does not "
           "hold; the list uses the others"));
    missing_->hide();
    layout->addWidget(missing_);

    auto* buttons = new QHBoxLayout;
    remove_ = new QPushButton(tr("Remove"), this);
    remove_->setToolTip(tr("Remove the selected movies from the persona (Delete)"));
    save_ = new QPushButton(tr("Save…"), this);
    save_->setToolTip(tr("Save this persona to a JSON file"));
    load_ = new QPushButton(tr("Load…"), this);
    load_->setToolTip(tr("Load personas from a JSON file and pick the first"));
    buttons->addWidget(remove_);
    buttons->addStretch(1);
    buttons->addWidget(load_);
    buttons->addWidget(save_);
    layout->addLayout(buttons);

    auto* removeAction = new QAction(tr("Remove selected"), ratedView_);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    ratedView_->addAction(removeAction);
    enableTableCopy(ratedView_);  // Ctrl+C and a context menu with Copy and Remove selected
    connect(removeAction, &QAction::triggered, this, &PersonaEditor::removeSelectedRatings);

    connect(picker_, &QComboBox::activated, this, &PersonaEditor::pickerActivated);
    connect(useUser_, &QPushButton::clicked, this, &PersonaEditor::applyUserId);
    connect(userId_, &QLineEdit::returnPressed, this, &PersonaEditor::applyUserId);
    connect(search_, &QLineEdit::textChanged, this, &PersonaEditor::updateSearchResults);
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        if (results_->count() > 0 && !results_->currentItem()) results_->setCurrentRow(0);
        addSelectedResult();
    });
    connect(results_, &QListWidget::itemActivated, this, &PersonaEditor::addSelectedResult);
    connect(add_, &QPushButton::clicked, this, &PersonaEditor::addSelectedResult);
    connect(remove_, &QPushButton::clicked, this, &PersonaEditor::removeSelectedRatings);
    connect(save_, &QPushButton::clicked, this, &PersonaEditor::saveWithDialog);
    connect(load_, &QPushButton::clicked, this, &PersonaEditor::loadWithDialog);
    connect(rated_, &PersonaRatingsModel::entriesEdited, this, [this] {
        if (!applying_) {
            name_ = tr("Custom persona");
            missingMovies_.clear();
            setMissing({});
        }
        emit personaEdited();
    });

    try {
        personas_ = PersonaStore::presets();
    } catch (const std::exception& e) {
        qWarning("Rank panel: preset personas unavailable: %s", e.what());
    }
    rebuildPicker();
}

void PersonaEditor::rebuildPicker(const QString& select) {
    const QSignalBlocker block(picker_);
    picker_->clear();
    picker_->addItem(tr("(choose a persona)"));
    for (const Persona& p : personas_) {
        picker_->addItem(p.preset ? p.name : tr("%1 (file)").arg(p.name), p.name);
        if (!p.description.isEmpty())
            picker_->setItemData(picker_->count() - 1, p.description, Qt::ToolTipRole);
    }
    const int found = select.isEmpty() ? 0 : picker_->findData(select);
    picker_->setCurrentIndex(found < 0 ? 0 : found);
}

void PersonaEditor::applyRatingScale(const RatingScale& scale) {
    rated_->setScale(scale);
    // The spin box follows the scale: half stars 0.5..5 with a star, else the scale's steps.
    const double step = scale.step;
    int decimals = 0;
    while (decimals < 4 && std::abs(step * std::pow(10.0, decimals) -
                                    std::round(step * std::pow(10.0, decimals))) > 1e-6)
        ++decimals;
    rating_->setDecimals(std::max(scale.isHalfStars() ? 1 : 0, decimals));
    rating_->setRange(scale.min, scale.max);
    rating_->setSingleStep(step);
    rating_->setValue(scale.max);
    rating_->setSuffix(scale.isHalfStars() ? QStringLiteral(" ★") : QString());
    rating_->setToolTip(scale.isHalfStars()
                            ? tr("The star rating the persona gives the movie (0.5 to 5)")
                            : tr("The rating the persona gives the movie (%1 to %2)")
                                  .arg(scale.min)
                                  .arg(scale.max));
}

PersonaEditor::~PersonaEditor() = default;

void PersonaEditor::setDataset(std::shared_ptr<const Dataset> dataset) {
    dataset_ = std::move(dataset);
    index_ = MovieSearchIndex();
    if (dataset_) {
        indexJobs_->start(
            [dataset = dataset_](const JobContext&) { return MovieSearchIndex(dataset); },
            [this](MovieSearchIndex built) {
                index_ = std::move(built);
                updateSearchResults();
                emit searchReady();
            });
    } else {
        indexJobs_->cancel();
    }
    applyRatingScale(dataset_ ? dataset_->scale : RatingScale{});
    updateSearchResults();
    // Offer a user that exists (the first one) rather than 0, which most releases lack.
    if (dataset_ && !dataset_->userIds.empty())
        userId_->setText(QString::fromStdString(dataset_->userLabel(0)));
    // Re-resolve the current persona against the new release (ids stay, indices change).
    QList<PersonaEntry> entries = rated_->entries();
    for (const PersonaMovie& m : missingMovies_) entries.append({m.movieId, -1, m.title, m.rating});
    Persona persona;
    persona.name = name_;
    for (const PersonaEntry& e : entries) persona.movies.append({e.movieId, e.rating, e.title});
    if (!persona.movies.isEmpty()) {
        setPersona(persona);
    }
}

std::vector<lens::PersonaRating> PersonaEditor::ratings() const {
    std::vector<lens::PersonaRating> out;
    for (const PersonaEntry& e : rated_->entries())
        if (e.movie >= 0) out.push_back({e.movieId, static_cast<float>(e.rating)});
    return out;
}

QList<qint64> PersonaEditor::ratedMovieIds() const {
    QList<qint64> ids;
    for (const PersonaEntry& e : rated_->entries())
        if (e.movie >= 0) ids.append(e.movieId);
    return ids;
}

QList<qint64> PersonaEditor::missingMovieIds() const {
    QList<qint64> ids;
    for (const PersonaMovie& m : missingMovies_) ids.append(m.movieId);
    return ids;
}

QString PersonaEditor::missingText() const {
    return missing_->isHidden() ? QString() : missing_->text();
}

void PersonaEditor::setMissing(const QList<PersonaMovie>& missing) {
    missingMovies_ = missing;
    if (missing.isEmpty()) {
        missing_->clear();
        missing_->hide();
        return;
    }
    QStringList names;
    for (const PersonaMovie& m : missing)
        names << (m.title.isEmpty() ? tr("movie %1").arg(m.movieId)
                                    : QStringLiteral("%1 [%2]").arg(m.title).arg(m.movieId));
    missing_->setText(tr("Not in this release: %1").arg(names.join(QStringLiteral("; "))));
    missing_->show();
}

void PersonaEditor::setPersona(const Persona& persona) {
    QList<PersonaEntry> entries;
    QList<PersonaMovie> missing;
    for (const PersonaMovie& m : persona.movies) {
        const std::int64_t movie = dataset_ ? dataset_->movieIndex(m.movieId) : -1;
        if (movie < 0) {
            missing.append(m);
            continue;
        }
        entries.append({m.movieId, static_cast<int>(movie),
                        QString::fromStdString(dataset_->titles[movie]), m.rating});
    }
    applying_ = true;
    name_ = persona.name;
    setMissing(missing);
    rated_->setEntries(entries);  // emits personaEdited
    applying_ = false;
}

bool PersonaEditor::selectPersona(const QString& name) {
    const Persona* persona = PersonaStore::find(personas_, name);
    if (!persona) return false;
    const int index = picker_->findData(persona->name);
    if (index >= 0) picker_->setCurrentIndex(index);
    setPersona(*persona);
    return true;
}

void PersonaEditor::pickerActivated(int index) {
    const QString name = picker_->itemData(index).toString();
    if (!name.isEmpty()) selectPersona(name);
}

bool PersonaEditor::useUser(qint64 userId) {
    if (!dataset_) return false;
    const std::int64_t user = dataset_->userIndex(userId);
    if (user < 0 || static_cast<std::size_t>(user) >= dataset_->byUser.rows()) return false;
    QList<PersonaEntry> entries;
    const auto movies = dataset_->byUser.rowIndex(user);
    const auto stars = dataset_->byUser.rowHalfStars(user);
    for (std::size_t j = 0; j < movies.size(); ++j)
        entries.append({dataset_->movieIds[movies[j]], static_cast<int>(movies[j]),
                        QString::fromStdString(dataset_->titles[movies[j]]),
                        dataset_->ratingValue(stars[j])});
    applying_ = true;
    const QString label =
        QString::fromStdString(dataset_->userLabel(static_cast<std::size_t>(user)));
    name_ = tr("User %1").arg(label);
    setMissing({});
    {
        const QSignalBlocker block(picker_);
        picker_->setCurrentIndex(0);
    }
    userId_->setText(label);
    rated_->setEntries(entries);
    applying_ = false;
    return true;
}

void PersonaEditor::applyUserId() {
    const QString text = userId_->text().trimmed();
    const std::int64_t user = dataset_ ? dataset_->userIndexOfLabel(text.toStdString()) : -1;
    if (user < 0 || !useUser(dataset_->userIds[static_cast<std::size_t>(user)]))
        QMessageBox::information(this, tr("Unknown user"),
                                 tr("The dataset has no user with id '%1'.").arg(text));
}

void PersonaEditor::addMovie(int movie, double rating) {
    if (!dataset_ || movie < 0 || static_cast<std::size_t>(movie) >= dataset_->movieCount()) return;
    rated_->addOrUpdate({dataset_->movieIds[movie], movie,
                         QString::fromStdString(dataset_->titles[movie]), rating});
}

void PersonaEditor::removeMovie(qint64 movieId) {
    const auto& entries = rated_->entries();
    for (int r = 0; r < entries.size(); ++r)
        if (entries[r].movieId == movieId) {
            rated_->removeRowsAt({r});
            return;
        }
}

void PersonaEditor::clear() {
    rated_->clear();
}

void PersonaEditor::focusSearch() {
    search_->setFocus(Qt::ShortcutFocusReason);
    search_->selectAll();
}

void PersonaEditor::updateSearchResults() {
    results_->clear();
    if (!isSearchReady()) {
        if (dataset_ && !search_->text().trimmed().isEmpty()) {
            auto* item = new QListWidgetItem(tr("Indexing the titles…"), results_);
            item->setFlags(Qt::NoItemFlags);
        }
        return;
    }
    if (!index_.dataset()) return;
    const QLocale locale;
    for (const int movie : index_.search(search_->text(), kSearchLimit)) {
        auto* item = new QListWidgetItem(
            tr("%1 — %2 ratings")
                .arg(index_.title(movie), locale.toString(index_.ratingCount(movie))),
            results_);
        item->setData(kMovieIndexRole, movie);
    }
    if (results_->count() > 0) results_->setCurrentRow(0);
}

void PersonaEditor::addSelectedResult() {
    const QListWidgetItem* item = results_->currentItem();
    if (!item || !item->data(kMovieIndexRole).isValid()) return;  // none, or "Indexing…"
    addMovie(item->data(kMovieIndexRole).toInt(), rating_->value());
}

void PersonaEditor::removeSelectedRatings() {
    QList<int> rows;
    for (const QModelIndex& index : ratedView_->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && ratedView_->currentIndex().isValid())
        rows << ratedView_->currentIndex().row();
    rated_->removeRowsAt(rows);
}

bool PersonaEditor::savePersonaTo(const QString& path, const QString& name, QString* error) const {
    Persona persona;
    persona.name = name.trimmed().isEmpty() ? tr("My persona") : name.trimmed();
    for (const PersonaEntry& e : rated_->entries())
        persona.movies.append({e.movieId, e.rating, e.title});
    for (const PersonaMovie& m : missingMovies_) persona.movies.append(m);
    try {
        PersonaStore::writeFile(path, {persona});
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

bool PersonaEditor::loadPersonasFrom(const QString& path, QString* error) {
    QList<Persona> loaded;
    try {
        loaded = PersonaStore::readFile(path);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    if (loaded.isEmpty()) {
        if (error) *error = tr("%1: no persona in the file").arg(path);
        return false;
    }
    for (Persona& p : loaded) {
        p.preset = false;
        auto same = std::find_if(personas_.begin(), personas_.end(),
                                 [&](const Persona& o) { return o.name == p.name && !o.preset; });
        if (same != personas_.end())
            *same = p;
        else
            personas_.append(p);
    }
    rebuildPicker(loaded.first().name);
    // A file persona may share a preset's name: pick the loaded one explicitly.
    setPersona(loaded.first());
    return true;
}

void PersonaEditor::saveWithDialog() {
    bool ok = false;
    const QString suggested = name_.isEmpty() ? tr("My persona") : name_;
    const QString name = QInputDialog::getText(this, tr("Save persona"), tr("Persona name:"),
                                               QLineEdit::Normal, suggested, &ok);
    if (!ok) return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save persona"), name + QStringLiteral(".json"), tr("Persona files (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!savePersonaTo(path, name, &error))
        QMessageBox::warning(this, tr("Could not save the persona"), error);
}

void PersonaEditor::loadWithDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load personas"), QString(),
                                                      tr("Persona files (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!loadPersonasFrom(path, &error))
        QMessageBox::warning(this, tr("Could not load personas"), error);
}

}  // namespace lens::ui
