#include "projection/MapComputation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "data/Dataset.h"
#include "models/Recommender.h"
#include "projection/TsneControl.h"
#include "util/Errors.h"

namespace lens {

MapInput mapInputFrom(const Recommender& model, const Dataset& dataset) {
    MapInput input;
    input.movieVectors = movieVectors(model);  // throws for a model without vectors
    if (input.movieVectors.rows() != static_cast<Eigen::Index>(dataset.movieCount()))
        throw std::invalid_argument("map: the model '" + model.displayName() + "' has " +
                                    std::to_string(input.movieVectors.rows()) +
                                    " movie vectors, the dataset '" + dataset.name + "' " +
                                    std::to_string(dataset.movieCount()) + " movies");
    input.genreFactors = model.genreFactors();
    input.movieGenres = dataset.genres;
    input.genreNames = dataset.genreVocabulary;
    input.popularity.resize(dataset.movieCount());
    for (std::size_t i = 0; i < dataset.movieCount(); ++i)
        input.popularity[i] = static_cast<float>(dataset.byMovie.rowSize(i));
    return input;
}

namespace {

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

MovieColouring parseMovieColouring(const std::string& text) {
    return parseMovieColouring(text, defaultGenreVocabulary());
}

std::string movieColouringName(const MovieColouring& colouring) {
    return movieColouringName(colouring, defaultGenreVocabulary());
}

MovieColouring parseMovieColouring(const std::string& text,
                                   const std::vector<std::string>& vocabulary) {
    const std::string lower = lowerCase(text);
    const auto bad = [&text](const std::string& why) {
        return std::invalid_argument("--colour: " + why + " '" + text +
                                     "' (genre:NAME, popularity, rating or year)");
    };
    MovieColouring colouring;
    if (lower == "popularity") {
        colouring.mode = MovieColourMode::Popularity;
    } else if (lower == "rating") {
        colouring.mode = MovieColourMode::MeanRating;
    } else if (lower == "year") {
        colouring.mode = MovieColourMode::Year;
    } else if (lower == "genre") {
        colouring.mode = MovieColourMode::Genre;
    } else if (lower.starts_with("genre:")) {
        colouring.mode = MovieColourMode::Genre;
        const std::string name = lower.substr(6);
        for (std::size_t g = 0; g < vocabulary.size(); ++g)
            if (lowerCase(vocabulary[g]) == name) colouring.genre = static_cast<int>(g);
        if (colouring.genre < 0 && vocabulary == defaultGenreVocabulary()) {
            // Other spellings of a release ("Children's").
            const std::optional<int> id = genreIdFromName(text.substr(6));
            if (!id) throw bad("unknown genre");
            colouring.genre = *id;
        }
        if (colouring.genre < 0) throw bad("unknown genre");
    } else {
        throw bad("unknown colouring");
    }
    return colouring;
}

std::string movieColouringName(const MovieColouring& colouring,
                               const std::vector<std::string>& vocabulary) {
    switch (colouring.mode) {
        case MovieColourMode::Popularity:
            return "popularity";
        case MovieColourMode::MeanRating:
            return "rating";
        case MovieColourMode::Year:
            return "year";
        case MovieColourMode::Genre:
            break;
    }
    if (colouring.genre < 0 || colouring.genre >= static_cast<int>(vocabulary.size()))
        return "genre";
    return "genre:" + vocabulary[static_cast<std::size_t>(colouring.genre)];
}

MovieValues movieValues(const Dataset& dataset) {
    constexpr float nan = std::numeric_limits<float>::quiet_NaN();
    const std::size_t n = dataset.movieCount();
    MovieValues values;
    values.ratingCount.resize(n);
    values.meanRating.resize(n, nan);
    values.year.resize(n, nan);
    for (std::size_t i = 0; i < n; ++i) {
        values.ratingCount[i] = static_cast<float>(dataset.byMovie.rowSize(i));
        values.meanRating[i] = static_cast<float>(dataset.movieMeanRating(i));
        if (i < dataset.years.size() && dataset.years[i] > 0)
            values.year[i] = static_cast<float>(dataset.years[i]);
    }
    return values;
}

int mostFrequentGenre(const std::vector<GenreMask>& movieGenres) {
    std::array<std::size_t, kMaxGenreVocabulary> counts{};
    for (const GenreMask mask : movieGenres)
        for (int g = 0; g < kMaxGenreVocabulary; ++g)
            counts[static_cast<std::size_t>(g)] += hasGenre(mask, g);
    const auto most = std::max_element(counts.begin(), counts.end());
    return *most == 0 ? -1 : static_cast<int>(most - counts.begin());
}

MovieColouring resolveMovieColouring(MovieColouring colouring,
                                     const std::vector<GenreMask>& movieGenres) {
    if (colouring.mode == MovieColourMode::Genre && colouring.genre < 0)
        colouring.genre = mostFrequentGenre(movieGenres);
    return colouring;
}

MapResult computeMaps(const MapInput& input, const MapConfig& config, const MapObserver& observer,
                      TsneControl* control) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto elapsed = [&start] {
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    const bool tsne = config.projection.method == ProjectionMethod::Tsne;
    const bool moviesSource = config.source == GenreSource::Movies;

    // 1. Genre vectors and their numbers in the full space (the Movies source: plain centroids).
    MapResult result;
    GenreMap& genres = result.genreMap;
    genres.genreNames = input.genreNames;
    genres.source = config.source;
    genres.genres =
        genreVectors(input.movieVectors, input.genreFactors, input.movieGenres, input.popularity,
                     moviesSource ? GenreSource::Centroids : config.source);
    if (genres.genres.genres.size() < 2)
        throw std::invalid_argument("map: fewer than two genres have movies and vectors");
    genres.similarity = cosineSimilarityMatrix(genres.genres.vectors);
    genres.nearest = nearestRowsByCosine(genres.similarity, config.nearestGenres);

    // 2. The genre map (the Movies source places its genres after step 3).
    if (!moviesSource) {
        Projection2D projected = projectTo2D(genres.genres.vectors, config.projection);
        genres.layout = std::move(projected.layout);
        genres.explainedVarianceRatio = std::move(projected.explainedVarianceRatio);
    }
    if (observer) {
        MapProgress progress;
        progress.stage = MapProgress::Stage::GenreMap;
        progress.fraction = tsne ? 0.0 : 0.5;
        progress.totalIterations = tsne ? config.projection.tsne.iterations : 0;
        progress.elapsedSeconds = elapsed();
        progress.genreMap = moviesSource ? nullptr : &genres;
        if (!observer(progress)) throw Cancelled();
    }

    // 3. The movie map, t-SNE through a TsneControl (the caller's, so it can pause and stop).
    TsneControl ownControl;
    TsneControl& tsneControl = control ? *control : ownControl;
    if (tsneControl.isStopRequested()) throw Cancelled();
    GenreMap provisional;  // Movies source: the genre map at the current movie layout
    if (moviesSource && observer) provisional = genres;
    TsneObserver tsneObserver;  // none when nobody watches: t-SNE then skips its reports
    if (tsne && (observer || control))
        tsneObserver = tsneControl.observer([&](const TsneProgress& step) {
            if (!observer) return;
            MapProgress progress;
            progress.stage = MapProgress::Stage::MovieLayout;
            progress.iteration = step.iteration;
            progress.totalIterations = step.totalIterations;
            progress.fraction = step.totalIterations > 0
                                    ? static_cast<double>(step.iteration) / step.totalIterations
                                    : 0.0;
            progress.klDivergence = step.klDivergence;
            progress.elapsedSeconds = elapsed();
            progress.movieLayout = step.layout;
            progress.genreMap = &genres;
            if (moviesSource) {
                progress.genreMap = nullptr;
                if (step.layout) {
                    provisional.layout = genrePositionsFromMovieLayout(
                        *step.layout, input.movieGenres, provisional.genres.genres);
                    progress.genreMap = &provisional;
                }
            }
            if (!observer(progress)) tsneControl.stop();
        });
    Projection2D movies = projectTo2D(input.movieVectors, config.projection, tsneObserver);
    result.movieLayout = std::move(movies.layout);
    result.movieExplainedVariance = movies.explainedVarianceRatio;
    result.tsneIterations = movies.tsne.iterationsRun;
    result.totalIterations = tsne ? config.projection.tsne.iterations : 0;
    result.klDivergence = movies.tsne.klDivergence;
    result.stoppedEarly = movies.tsne.stoppedEarly;

    if (moviesSource) {
        genres.layout = genrePositionsFromMovieLayout(result.movieLayout, input.movieGenres,
                                                      genres.genres.genres);
        genres.explainedVarianceRatio = result.movieExplainedVariance;
        genres.movieLayout = result.movieLayout;
    }
    result.seconds = elapsed();
    return result;
}

}  // namespace lens
