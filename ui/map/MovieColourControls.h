#pragma once
// What the movie map's colour means, chosen in the Movies tab: one genre against the rest (the
// default, the genre picked from a list of the dataset's genres with their number of movies,
// first the most frequent one), popularity (number of ratings), mean rating or release year.
// Reads and writes a lens::MovieColouring, the same choice as `lens-atlas map --colour`.
#include <QWidget>
#include <vector>

#include "data/Genre.h"
#include "projection/MapComputation.h"

class QComboBox;

namespace lens::ui {

class MovieColourControls : public QWidget {
    Q_OBJECT
public:
    explicit MovieColourControls(QWidget* parent = nullptr);

    // The choice, its genre resolved (-1 only while no genre is listed).
    lens::MovieColouring colouring() const;
    void setColouring(const lens::MovieColouring& colouring);  // emits colouringChanged()
    // Lists the genres that have movies ("Drama (4,361)"). The genre shown stays when it is still
    // listed and was picked by the user; otherwise the most frequent genre is selected.
    // The genre choices: the genres of `vocabulary` (Dataset::genreVocabulary) that movies carry.
    void setGenres(const std::vector<GenreMask>& movieGenres,
                   const std::vector<std::string>& vocabulary);

    QComboBox* modeCombo() const { return modeCombo_; }
    QComboBox* genreCombo() const { return genreCombo_; }

signals:
    void colouringChanged();

private:
    void updateGenreEnabled();

    QComboBox* modeCombo_ = nullptr;
    QComboBox* genreCombo_ = nullptr;
    bool genrePicked_ = false;  // the user chose the genre (kept across datasets)
    bool updating_ = false;
};

}  // namespace lens::ui
