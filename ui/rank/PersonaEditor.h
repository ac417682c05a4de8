#pragma once
// The persona side of the Rank panel: who the list is for.
//
// A persona is a handful of movies with star ratings. The editor offers the shipped presets
// (PersonaStore, "Lord of the Rings fan", ...), personas loaded from a file, any existing
// user of the dataset (all of their ratings), and free editing: search movies by title as you
// type (case and accent insensitive, most rated first: MovieSearchIndex, built on a worker as a
// release arrives: 87k titles folded take ~0.2 s), add the chosen
// movie with a star rating 0.5..5, change a rating in the table, remove movies. Movies of a
// preset or file that the loaded release does not hold are listed ("not in this release: …")
// and left out. Save and Load write and read PersonaStore's JSON format.
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "rank/MovieSearchIndex.h"
#include "rank/PersonaRatingsModel.h"
#include "rank/PersonaStore.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;

namespace lens {
class Dataset;
}

namespace lens::ui {

class JobTracker;

class PersonaEditor : public QWidget {
    Q_OBJECT
public:
    explicit PersonaEditor(QWidget* parent = nullptr);
    ~PersonaEditor() override;

    // Starts building the title search of `dataset` on a worker (searchReady() when done; until
    // then the results list says the titles are being indexed, and shows matches once ready).
    void setDataset(std::shared_ptr<const Dataset> dataset);
    bool isSearchReady() const { return index_.dataset() == dataset_.get(); }
    const std::shared_ptr<const Dataset>& dataset() const { return dataset_; }

    // The persona as the engine reads it (movies present in the dataset only).
    std::vector<lens::PersonaRating> ratings() const;
    QList<qint64> ratedMovieIds() const;
    // The preset or file name, "user 42", or "Custom persona" once edited.
    QString personaName() const { return name_; }
    // Ids of the last preset/file movies the release does not hold.
    QList<qint64> missingMovieIds() const;
    QString missingText() const;

    // Personas offered in the picker (presets first, then ones loaded from files).
    QList<Persona> availablePersonas() const { return personas_; }
    bool selectPersona(const QString& name);  // false when unknown
    void setPersona(const Persona& persona);  // resolves it against the dataset
    // All ratings of an existing user (release id); false when the id is unknown.
    bool useUser(qint64 userId);
    // Adds a movie (dense index) or updates its rating.
    void addMovie(int movie, double rating);
    void removeMovie(qint64 movieId);
    void clear();

    // Non-interactive save/load (tests; the buttons call these after a file dialog).
    bool savePersonaTo(const QString& path, const QString& name, QString* error = nullptr) const;
    bool loadPersonasFrom(const QString& path, QString* error = nullptr);

    QLineEdit* searchField() const { return search_; }
    QLineEdit* userField() const { return userId_; }
    QListWidget* searchResults() const { return results_; }
    QDoubleSpinBox* ratingSpin() const { return rating_; }
    QComboBox* personaPicker() const { return picker_; }
    QTableView* ratedTable() const { return ratedView_; }
    PersonaRatingsModel* ratedModel() const { return rated_; }
    QLabel* missingLabel() const { return missing_; }

public slots:
    void focusSearch();
    void addSelectedResult();
    void removeSelectedRatings();
    void saveWithDialog();
    void loadWithDialog();

signals:
    // The persona's ratings changed (any edit, preset, user or file).
    void personaEdited();
    // The title search of the current dataset is built (isSearchReady()).
    void searchReady();

private slots:
    void updateSearchResults();
    void pickerActivated(int index);
    void applyUserId();

private:
    void applyRatingScale(const RatingScale& scale);  // the rating spin box and the table
    void rebuildPicker(const QString& select = {});
    void setMissing(const QList<PersonaMovie>& missing);

    std::shared_ptr<const Dataset> dataset_;
    MovieSearchIndex index_;
    std::unique_ptr<JobTracker> indexJobs_;  // builds index_ for dataset_
    QList<Persona> personas_;
    QList<PersonaMovie> missingMovies_;
    QString name_;
    bool applying_ = false;  // suppresses "edited: now custom" while a persona is being set

    QComboBox* picker_ = nullptr;
    QLineEdit* userId_ = nullptr;
    QPushButton* useUser_ = nullptr;
    QLineEdit* search_ = nullptr;
    QListWidget* results_ = nullptr;
    QDoubleSpinBox* rating_ = nullptr;
    QPushButton* add_ = nullptr;
    QTableView* ratedView_ = nullptr;
    PersonaRatingsModel* rated_ = nullptr;
    QPushButton* remove_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* load_ = nullptr;
    QLabel* missing_ = nullptr;
};

}  // namespace lens::ui
