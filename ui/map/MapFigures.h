#pragma once
// From a computed map (lens::computeMaps) to what the map figures show, in one place, so the Map
// panel's views and the files of `lens-atlas map` say the same: genre names and colours, the genre
// map's discs and axis titles (with the explained variance of PCA), the cosine heat map, the movie
// map's points and their colouring (one genre against the rest, popularity, mean rating or year,
// with the legend title saying which), and the text naming the projection in footers.
//
// MapFigureSet holds the three figures without any widget, for headless export.
#include <QList>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

#include "charts/Figure.h"
#include "map/GenreMapFigure.h"
#include "map/HeatmapFigure.h"
#include "map/MovieMapFigure.h"
#include "projection/MapComputation.h"

namespace lens {
class Dataset;
class Recommender;
}  // namespace lens

namespace lens::ui {

// A genre id's name in a vocabulary (Dataset::genreVocabulary, GenreMap::genreNames): "Action",
// or "genre 7" past its end. The one-argument form names MovieLens's genres (kGenreNames).
QString genreName(const std::vector<std::string>& vocabulary, int genre);
QString genreName(int genre);
QString genreSourceLabel(lens::GenreSource source);  // "Genre vectors θ (genre-prior ALS)"
QStringList genreNames(const lens::GenreMap& map);   // of the listed genres, in order
// "Animation 0.83, Children 0.80, ..." for row r (nearest genres by cosine).
QString nearestGenresText(const lens::GenreMap& map, std::size_t row);

// The genre map's discs (name, position, movies, colour, nearest genres), its axis titles ("PC 1
// (23.4 % of variance)" or "t-SNE 1") and its title.
QList<GenreMapFigure::GenrePoint> genrePoints(const lens::GenreMap& map);
std::pair<QString, QString> genreAxisTitles(const lens::GenreMap& map);
QString genreMapTitle(const lens::GenreMap& map);
// The cosine similarities as a row-major n x n matrix for the heat map.
std::vector<double> genreSimilarityValues(const lens::GenreMap& map);

// The movie map: one category per genre (name and colour), each movie's primary genre, its
// number of ratings (the minimum-ratings filter) and its position.
QList<MovieMapFigure::Category> genreCategories(const std::vector<std::string>& vocabulary);
std::vector<int> primaryGenres(const lens::Dataset& dataset);
std::vector<float> ratingCounts(const lens::Dataset& dataset);
std::vector<QPointF> layoutPoints(const lens::EmbeddingMatrix& layout);

// The movie map's colouring for a choice (its genre -1 = the most frequent genre): the chosen
// genre in chosenGenreColor() as the first category (drawn on top) over "Other genres" in grey,
// or the movies' values (engine lens::movieValues) on the viridis scale over their range
// (popularity on a log scale). The legend title names the choice ("Colour: Drama (most frequent
// genre) vs other genres", "Colour: mean rating").
MovieMapFigure::Colouring movieMapColouring(const lens::MovieColouring& colouring,
                                            const lens::Dataset& dataset,
                                            const lens::MovieValues& values);
MovieMapFigure::Colouring movieMapColouring(const lens::MovieColouring& colouring,
                                            const lens::Dataset& dataset);
QString movieColouringTitle(const lens::MovieColouring& colouring, bool mostFrequentGenre,
                            const std::vector<std::string>& vocabulary);
QColor chosenGenreColor();

// "Genre centroids of movie vectors · t-SNE perplexity 30, 1000 iterations, seed 42".
QString projectionText(const lens::MapConfig& config);
// Dataset, model (with its hyper-parameters when `label` is its display name), split, seed and
// projection of a map, for figure footers.
Provenance mapProvenance(const lens::Dataset* dataset, const lens::Recommender* model,
                         const QString& label, const lens::MapConfig& config);

// The genre map, the genre cosine heat map and the movie map of one result, as figures.
class MapFigureSet {
public:
    MapFigureSet();
    // The movie map coloured by `colouring` (default: the most frequent genre against the rest).
    void show(const lens::MapResult& result, const lens::Dataset& dataset,
              const QString& modelLabel, const lens::MovieColouring& colouring = {});
    QList<const Figure*> figures() const { return {&genreMap_, &heatmap_, &movieMap_}; }

private:
    GenreMapFigure genreMap_;
    HeatmapFigure heatmap_;
    MovieMapFigure movieMap_;
};

}  // namespace lens::ui
