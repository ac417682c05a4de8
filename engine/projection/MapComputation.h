#pragma once
// The Map stage's computation: from a model's vectors to both maps, on any thread, without Qt.
// The Map panel runs it in a worker; `lens-atlas map` runs it directly.
//
// Steps (each a routine of MapEmbeddings):
//   1. genre vectors of the chosen source (theta, plain or rating-weighted centroids of the movie
//      vectors; the Movies source takes the plain centroids for its numbers), their cosine
//      similarity matrix and each genre's nearest genres, all in the full embedding space;
//   2. the genre map: the genre vectors projected to 2D (PCA with explained variance, or t-SNE),
//      except for the Movies source, whose genres sit at the mean position of their movies;
//   3. the movie map: every movie vector projected with the same method and settings.
// The same config therefore gives the same pictures in the panel, the command and the report.
//
// Long work: t-SNE of the movies runs through a TsneControl (the caller's, or one of its own), so
// a caller may pause it (the worker blocks in the observer) and stop it; a stopped t-SNE ends
// with the layout reached so far and the result says so (stoppedEarly). The observer sees the
// genre map once it exists and then every t-SNE report (layouts included, for an animation);
// returning false stops the run like TsneControl::stop(). A stop before the movie projection
// has begun throws lens::Cancelled, since there is no movie map to return yet.
#include <functional>
#include <string>
#include <vector>

#include "data/Genre.h"
#include "projection/EmbeddingMatrix.h"
#include "projection/MapEmbeddings.h"

namespace lens {

class Dataset;
class Recommender;
class TsneControl;

// What the maps are computed from (plain values: safe to hand to a worker).
struct MapInput {
    EmbeddingMatrix movieVectors;        // one row per movie (a model's item factors)
    Eigen::MatrixXf genreFactors;        // theta, a row per genre; empty for most models
    std::vector<GenreMask> movieGenres;  // one mask per movie
    std::vector<float> popularity;       // ratings per movie (weighted centroids); may be empty
    // Names of the genre ids (Dataset::genreVocabulary), copied into GenreMap::genreNames.
    std::vector<std::string> genreNames = defaultGenreVocabulary();

    bool hasGenreFactors() const { return genreFactors.rows() > 0; }
};

// The vectors of `model` with the genres and rating counts of `dataset`, whose movies it must
// have been trained on. Throws std::invalid_argument when the model has no movie vectors or
// their number differs from the dataset's movies.
MapInput mapInputFrom(const Recommender& model, const Dataset& dataset);

struct MapConfig {
    GenreSource source = GenreSource::Theta;
    ProjectionConfig projection;  // method, unit norm and t-SNE settings of both maps
    int nearestGenres = 3;        // nearest genres listed per genre
};

// What the observer sees. Pointers are valid during the call only (copy what you keep).
struct MapProgress {
    enum class Stage { GenreMap, MovieLayout };
    Stage stage = Stage::GenreMap;
    double fraction = 0.0;  // of the whole computation, 0..1
    int iteration = 0;      // t-SNE of the movies: iterations done, of totalIterations
    int totalIterations = 0;
    double klDivergence = 0.0;
    double elapsedSeconds = 0.0;  // since computeMaps began
    // The genre map as far as known: complete after the GenreMap stage; for the Movies source
    // null at that stage and then placed at the current movie layout (no explained variance).
    const GenreMap* genreMap = nullptr;
    const EmbeddingMatrix* movieLayout = nullptr;  // MovieLayout stage: the t-SNE layout so far
};

// Returns false to stop. Called on the thread that runs computeMaps.
using MapObserver = std::function<bool(const MapProgress&)>;

struct MapResult {
    GenreMap genreMap;            // positions, explained variance, similarities and nearest genres
    EmbeddingMatrix movieLayout;  // one 2D point per movie
    std::vector<double> movieExplainedVariance;  // PCA: two axes; t-SNE: empty
    int tsneIterations = 0;                      // t-SNE of the movies: iterations run
    int totalIterations = 0;                     // as configured (0 for PCA)
    double klDivergence = 0.0;                   // of the final t-SNE layout
    bool stoppedEarly = false;                   // t-SNE stopped before its last iteration
    double seconds = 0.0;
};

// ---- Colouring the movie map ---------------------------------------------------------------
// What the colour of a movie on the movie map means. Genre: one genre against the rest (its
// movies drawn on top); the others are continuous values of the movie (MovieValues).
enum class MovieColourMode { Genre, Popularity, MeanRating, Year };

struct MovieColouring {
    MovieColourMode mode = MovieColourMode::Genre;
    int genre = -1;  // Genre mode: the genre id; -1 = the dataset's most frequent genre
};

// "genre:Drama" (a name of the dataset's genre vocabulary, case-insensitive; for MovieLens's
// vocabulary also any release spelling; "genre" alone = the most frequent genre),
// "popularity", "rating" or "year". Throws std::invalid_argument naming the choices for
// anything else. Without a vocabulary: MovieLens's genres.
MovieColouring parseMovieColouring(const std::string& text,
                                   const std::vector<std::string>& vocabulary);
MovieColouring parseMovieColouring(const std::string& text);
// The inverse of parseMovieColouring ("genre:Drama", "genre" for an unresolved genre, ...).
std::string movieColouringName(const MovieColouring& colouring,
                               const std::vector<std::string>& vocabulary);
std::string movieColouringName(const MovieColouring& colouring);

// Per-movie values the movie map can be coloured by, one entry per movie of the dataset.
struct MovieValues {
    std::vector<float> ratingCount;  // popularity: number of ratings
    std::vector<float> meanRating;   // on the dataset's scale; NaN without ratings (or implicit)
    std::vector<float> year;         // release year from the title; NaN where unknown
};
MovieValues movieValues(const Dataset& dataset);

// The genre carried by most movies (ties: the lower id), or -1 when no movie has a genre.
int mostFrequentGenre(const std::vector<GenreMask>& movieGenres);
// `colouring` with an unresolved genre (-1) set to the most frequent genre of `movieGenres`.
MovieColouring resolveMovieColouring(MovieColouring colouring,
                                     const std::vector<GenreMask>& movieGenres);

// Both maps. Throws std::invalid_argument for inputs that cannot be mapped (no movie vectors,
// size mismatches, Theta without genre factors, fewer than two genres with movies) and
// lens::Cancelled as described above. `control` (optional) pauses and stops the t-SNE run.
MapResult computeMaps(const MapInput& input, const MapConfig& config,
                      const MapObserver& observer = {}, TsneControl* control = nullptr);

}  // namespace lens
