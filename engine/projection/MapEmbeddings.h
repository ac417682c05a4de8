#pragma once
// What the Map panel and `lens-atlas map` draw, computed from a trained model: the genre map (one
// point per genre) with the numbers behind it, and the movie map (one point per movie).
//
// Genre vectors come from one of four sources:
//   Theta             the genre-prior ALS's theta (Recommender::genreFactors), one k-vector per
//   genre Centroids         c_g = mean of the item factors of the movies carrying genre g
//   WeightedCentroids c_g = sum_m w_m v_m / sum_m w_m with w_m = number of ratings (popularity)
//   Movies            the movie vectors themselves are projected; a genre is placed at the mean
//                     2D position of its movies, its full-space vector is the plain centroid
// Only genres with at least one movie are listed (an empty genre has no meaningful vector).
// Similarities and nearest genres are cosines in the full embedding space (CosineNeighbours), never
// distances in 2D, so every visual claim of the map is backed by a number. The 2D layout is PCA
// (optionally after unit-norm scaling of the rows, with the variance explained per axis) or t-SNE.
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/Genre.h"
#include "projection/CosineNeighbours.h"
#include "projection/EmbeddingMatrix.h"
#include "projection/Tsne.h"

namespace lens {

class Recommender;

enum class GenreSource { Theta, Centroids, WeightedCentroids, Movies };
enum class ProjectionMethod { Pca, Tsne };

const char* genreSourceName(
    GenreSource source);  // "theta", "centroids", "centroids-weighted", "movies"
const char* projectionMethodName(ProjectionMethod method);  // "pca", "tsne"
// Parses the names above; throws std::invalid_argument listing the valid names.
GenreSource parseGenreSource(const std::string& name);
ProjectionMethod parseProjectionMethod(const std::string& name);

// The best source a model supports: Theta for models with genre factors, else Centroids.
GenreSource defaultGenreSource(const Recommender& model);

struct ProjectionConfig {
    ProjectionMethod method = ProjectionMethod::Pca;
    bool unitNormRows = false;  // PCA: scale rows to norm 1 first (directions only)
    TsneConfig tsne;
};

// A 2D layout of rows, with the variance explained by the two PCA axes (empty for t-SNE).
struct Projection2D {
    EmbeddingMatrix layout;  // n x 2
    std::vector<double> explainedVarianceRatio;
    TsneResult tsne;  // filled for t-SNE only
};

// PCA or t-SNE (observer only used for t-SNE). Inputs of 2 or more rows; throws
// std::invalid_argument otherwise.
Projection2D projectTo2D(const EmbeddingMatrix& rows, const ProjectionConfig& config,
                         const TsneObserver& observer = {});

// The model's item factors as an EmbeddingMatrix (rows = the model's items); throws
// std::invalid_argument when the model has none (the bias baseline).
EmbeddingMatrix movieVectors(const Recommender& model);

struct GenreVectors {
    std::vector<int> genres;      // genre ids of the rows (genres with at least one movie)
    EmbeddingMatrix vectors;      // one row per listed genre, full embedding space
    std::vector<int> movieCount;  // movies carrying each listed genre
};

// Genre vectors of a model for a source (Movies gives the plain centroids). `movieGenres` and
// `popularity` have one entry per model item (popularity may be empty unless WeightedCentroids).
// Throws std::invalid_argument for Theta on a model without genre factors, for a model without
// item factors, or for size mismatches.
GenreVectors genreVectors(const Recommender& model, std::span<const GenreMask> movieGenres,
                          std::span<const float> popularity, GenreSource source);
// The same from plain vectors: `movies` has one row per movie, `theta` one row per genre of the
// training data's vocabulary (or none: then Theta throws). Genre ids index the dataset's
// vocabulary (Dataset::genreName).
GenreVectors genreVectors(const EmbeddingMatrix& movies, const Eigen::MatrixXf& theta,
                          std::span<const GenreMask> movieGenres, std::span<const float> popularity,
                          GenreSource source);

struct GenreMapConfig {
    GenreSource source = GenreSource::Theta;
    ProjectionConfig projection;
    int nearest = 3;  // nearest genres listed per genre
    // Names of the genre ids (the dataset's Dataset::genreVocabulary; MovieLens's by default),
    // copied into GenreMap::genreNames.
    std::vector<std::string> genreNames = defaultGenreVocabulary();
};

struct GenreMap {
    GenreSource source = GenreSource::Theta;
    GenreVectors genres;
    std::vector<std::string> genreNames;         // name of each genre id (the dataset's vocabulary)
    EmbeddingMatrix layout;                      // one 2D point per listed genre
    std::vector<double> explainedVarianceRatio;  // PCA: two axes; t-SNE: empty
    Eigen::MatrixXf similarity;                  // cosine between listed genres
    std::vector<std::vector<CosineNeighbour>> nearest;  // indices into genres.genres
    EmbeddingMatrix movieLayout;                        // Movies source only: one row per item
};

// Everything of the genre map at once (the Movies source projects every movie, so with t-SNE it
// takes as long as the movie map; the observer sees that run).
GenreMap computeGenreMap(const Recommender& model, std::span<const GenreMask> movieGenres,
                         std::span<const float> popularity, const GenreMapConfig& config,
                         const TsneObserver& observer = {});

// Genres placed at the mean 2D position of their movies (for a movie layout); genres without movies
// are left out, as in GenreVectors (rows follow `genres`).
EmbeddingMatrix genrePositionsFromMovieLayout(const EmbeddingMatrix& movieLayout,
                                              std::span<const GenreMask> movieGenres,
                                              const std::vector<int>& genres);

// Index of the primary genre of a mask (lowest genre id: the order of the dataset's vocabulary),
// -1 if none.
int primaryGenre(GenreMask mask);

}  // namespace lens
