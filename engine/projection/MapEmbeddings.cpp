#include "projection/MapEmbeddings.h"

#include <algorithm>
#include <array>

#include "models/Recommender.h"
#include "projection/GenreCentroids.h"
#include "projection/Pca.h"

namespace lens {
namespace {

constexpr std::array<std::pair<GenreSource, const char*>, 4> kSourceNames = {{
    {GenreSource::Theta, "theta"},
    {GenreSource::Centroids, "centroids"},
    {GenreSource::WeightedCentroids, "centroids-weighted"},
    {GenreSource::Movies, "movies"},
}};

void checkItemSpans(Eigen::Index items, std::span<const GenreMask> movieGenres,
                    std::span<const float> popularity) {
    if (static_cast<Eigen::Index>(movieGenres.size()) != items)
        throw std::invalid_argument("map: " + std::to_string(movieGenres.size()) +
                                    " movie genre masks for a model of " + std::to_string(items) +
                                    " movies");
    if (!popularity.empty() && static_cast<Eigen::Index>(popularity.size()) != items)
        throw std::invalid_argument("map: " + std::to_string(popularity.size()) +
                                    " popularity weights for a model of " + std::to_string(items) +
                                    " movies");
}

std::vector<int> genreMovieCounts(std::span<const GenreMask> movieGenres, int genres) {
    std::vector<int> counts(static_cast<std::size_t>(genres), 0);
    for (GenreMask mask : movieGenres)
        for (int g = 0; g < genres; ++g) counts[static_cast<std::size_t>(g)] += hasGenre(mask, g);
    return counts;
}

}  // namespace

const char* genreSourceName(GenreSource source) {
    for (const auto& [value, name] : kSourceNames)
        if (value == source) return name;
    return "unknown";
}

const char* projectionMethodName(ProjectionMethod method) {
    return method == ProjectionMethod::Pca ? "pca" : "tsne";
}

GenreSource parseGenreSource(const std::string& name) {
    for (const auto& [value, text] : kSourceNames)
        if (name == text) return value;
    throw std::invalid_argument("unknown source '" + name +
                                "' (expected theta, centroids, centroids-weighted or movies)");
}

ProjectionMethod parseProjectionMethod(const std::string& name) {
    if (name == "pca") return ProjectionMethod::Pca;
    if (name == "tsne" || name == "t-sne") return ProjectionMethod::Tsne;
    throw std::invalid_argument("unknown method '" + name + "' (expected pca or tsne)");
}

GenreSource defaultGenreSource(const Recommender& model) {
    return model.genreFactors().rows() > 0 ? GenreSource::Theta : GenreSource::Centroids;
}

Projection2D projectTo2D(const EmbeddingMatrix& rows, const ProjectionConfig& config,
                         const TsneObserver& observer) {
    if (rows.rows() < 2) throw std::invalid_argument("map: at least 2 points are needed");
    Projection2D result;
    if (config.method == ProjectionMethod::Pca) {
        const PcaResult pca = runPca(rows, {2, config.unitNormRows});
        result.layout = EmbeddingMatrix::Zero(rows.rows(), 2);
        result.layout.leftCols(pca.projected.cols()) = pca.projected;
        result.explainedVarianceRatio = pca.explainedVarianceRatio;
        result.explainedVarianceRatio.resize(2, 0.0);
    } else {
        result.tsne =
            runTsne(config.unitNormRows ? unitNormRows(rows) : rows, config.tsne, observer);
        result.layout = result.tsne.layout;
    }
    return result;
}

EmbeddingMatrix movieVectors(const Recommender& model) {
    EmbeddingMatrix vectors = model.itemFactors();
    if (vectors.rows() == 0 || vectors.cols() == 0)
        throw std::invalid_argument("map: the model '" + model.displayName() +
                                    "' has no movie vectors");
    return vectors;
}

GenreVectors genreVectors(const Recommender& model, std::span<const GenreMask> movieGenres,
                          std::span<const float> popularity, GenreSource source) {
    // The model's name in the two messages a user can cause by picking a source.
    if (source == GenreSource::Theta && model.genreFactors().rows() == 0)
        throw std::invalid_argument("map: the model '" + model.displayName() +
                                    "' has no genre vectors (theta); use the centroids");
    if (source != GenreSource::Theta)
        return genreVectors(movieVectors(model), Eigen::MatrixXf(), movieGenres, popularity,
                            source);
    return genreVectors(EmbeddingMatrix(), model.genreFactors(), movieGenres, popularity, source);
}

GenreVectors genreVectors(const EmbeddingMatrix& movies, const Eigen::MatrixXf& theta,
                          std::span<const GenreMask> movieGenres, std::span<const float> popularity,
                          GenreSource source) {
    EmbeddingMatrix all;
    if (source == GenreSource::Theta) {
        if (theta.rows() == 0)
            throw std::invalid_argument("map: no genre vectors (theta); use the centroids");
        if (theta.rows() < genreRowCount(movieGenres) && theta.rows() < kMaxGenreVocabulary) {
            GenreMask beyond = 0;  // genres of the movies that theta has no row for
            for (GenreMask m : movieGenres) beyond |= m >> theta.rows();
            if (beyond)
                throw std::invalid_argument("map: the model's theta has " +
                                            std::to_string(theta.rows()) +
                                            " genre rows, fewer than the dataset's genres");
        }
        all = theta;
    } else {
        if (movies.rows() == 0 || movies.cols() == 0)
            throw std::invalid_argument("map: no movie vectors");
        checkItemSpans(movies.rows(), movieGenres, popularity);
        if (source == GenreSource::WeightedCentroids) {
            if (popularity.empty())
                throw std::invalid_argument("map: weighted centroids need the movies' popularity");
            all = genreCentroids(movies, movieGenres, popularity).centroids;
        } else {
            all = genreCentroids(movies, movieGenres).centroids;
        }
    }
    const std::vector<int> counts = genreMovieCounts(movieGenres, static_cast<int>(all.rows()));
    GenreVectors result;
    for (int g = 0; g < static_cast<int>(all.rows()); ++g)
        if (counts[static_cast<std::size_t>(g)] > 0 && !all.row(g).isZero(0.0F)) {
            result.genres.push_back(g);
            result.movieCount.push_back(counts[static_cast<std::size_t>(g)]);
        }
    result.vectors.resize(static_cast<Eigen::Index>(result.genres.size()), all.cols());
    for (std::size_t r = 0; r < result.genres.size(); ++r)
        result.vectors.row(static_cast<Eigen::Index>(r)) = all.row(result.genres[r]);
    return result;
}

EmbeddingMatrix genrePositionsFromMovieLayout(const EmbeddingMatrix& movieLayout,
                                              std::span<const GenreMask> movieGenres,
                                              const std::vector<int>& genres) {
    const GenreCentroids centres = genreCentroids(movieLayout, movieGenres);
    EmbeddingMatrix positions(static_cast<Eigen::Index>(genres.size()), movieLayout.cols());
    for (std::size_t r = 0; r < genres.size(); ++r)
        positions.row(static_cast<Eigen::Index>(r)) = centres.centroids.row(genres[r]);
    return positions;
}

GenreMap computeGenreMap(const Recommender& model, std::span<const GenreMask> movieGenres,
                         std::span<const float> popularity, const GenreMapConfig& config,
                         const TsneObserver& observer) {
    GenreMap map;
    map.source = config.source;
    map.genreNames = config.genreNames;
    map.genres = genreVectors(model, movieGenres, popularity, config.source);
    if (map.genres.genres.size() < 2)
        throw std::invalid_argument("map: fewer than two genres have movies and vectors");
    map.similarity = cosineSimilarityMatrix(map.genres.vectors);
    map.nearest = nearestRowsByCosine(map.similarity, config.nearest);
    if (config.source == GenreSource::Movies) {
        Projection2D movies = projectTo2D(movieVectors(model), config.projection, observer);
        map.movieLayout = std::move(movies.layout);
        map.explainedVarianceRatio = std::move(movies.explainedVarianceRatio);
        map.layout = genrePositionsFromMovieLayout(map.movieLayout, movieGenres, map.genres.genres);
    } else {
        Projection2D genres = projectTo2D(map.genres.vectors, config.projection, observer);
        map.layout = std::move(genres.layout);
        map.explainedVarianceRatio = std::move(genres.explainedVarianceRatio);
    }
    return map;
}

int primaryGenre(GenreMask mask) {
    for (int g = 0; g < kMaxGenreVocabulary; ++g)
        if (hasGenre(mask, g)) return g;
    return -1;
}

}  // namespace lens
