#include "map/MapFigures.h"

#include <QLocale>
#include <QObject>
#include <cmath>
#include <limits>

#include "data/Dataset.h"
#include "models/Recommender.h"

namespace lens::ui {

QString genreName(const std::vector<std::string>& vocabulary, int genre) {
    if (genre < 0 || genre >= static_cast<int>(vocabulary.size()))
        return QObject::tr("genre %1").arg(genre);
    return QString::fromStdString(vocabulary[static_cast<std::size_t>(genre)]);
}

QString genreName(int genre) {
    const auto name = kGenreNames[static_cast<std::size_t>(genre)];
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

QString genreSourceLabel(GenreSource source) {
    switch (source) {
        case GenreSource::Theta:
            return QObject::tr("Genre vectors θ (genre-prior ALS)");
        case GenreSource::Centroids:
            return QObject::tr("Genre centroids of movie vectors");
        case GenreSource::WeightedCentroids:
            return QObject::tr("Genre centroids weighted by ratings");
        case GenreSource::Movies:
            return QObject::tr("Movie map (genres at their movies' mean)");
    }
    return {};
}

QStringList genreNames(const GenreMap& map) {
    QStringList names;
    for (int g : map.genres.genres) names << genreName(map.genreNames, g);
    return names;
}

QString nearestGenresText(const GenreMap& map, std::size_t row) {
    const QLocale locale;
    QStringList nearest;
    for (const CosineNeighbour& n : map.nearest[row])
        nearest << QStringLiteral("%1 %2").arg(
            genreName(map.genreNames, map.genres.genres[static_cast<std::size_t>(n.index)]),
            locale.toString(n.similarity, 'f', 2));
    return nearest.join(QStringLiteral(", "));
}

QList<GenreMapFigure::GenrePoint> genrePoints(const GenreMap& map) {
    QList<GenreMapFigure::GenrePoint> points;
    const auto& ids = map.genres.genres;
    for (std::size_t r = 0; r < ids.size(); ++r) {
        GenreMapFigure::GenrePoint point;
        point.name = genreName(map.genreNames, ids[r]);
        point.position = QPointF(map.layout(static_cast<Eigen::Index>(r), 0),
                                 map.layout(static_cast<Eigen::Index>(r), 1));
        point.movies = map.genres.movieCount[r];
        point.color = MovieMapFigure::defaultCategoryColor(ids[r]);
        point.details = QObject::tr("nearest: %1").arg(nearestGenresText(map, r));
        points << point;
    }
    return points;
}

std::pair<QString, QString> genreAxisTitles(const GenreMap& map) {
    if (map.explainedVarianceRatio.size() < 2)
        return {QObject::tr("t-SNE 1"), QObject::tr("t-SNE 2")};
    const QLocale locale;
    return {QObject::tr("PC 1 (%1 % of variance)")
                .arg(locale.toString(100.0 * map.explainedVarianceRatio[0], 'f', 1)),
            QObject::tr("PC 2 (%1 % of variance)")
                .arg(locale.toString(100.0 * map.explainedVarianceRatio[1], 'f', 1))};
}

QString genreMapTitle(const GenreMap& map) {
    return QObject::tr("Genre map: %1").arg(genreSourceLabel(map.source));
}

std::vector<double> genreSimilarityValues(const GenreMap& map) {
    const std::size_t n = map.genres.genres.size();
    std::vector<double> values(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            values[i * n + j] =
                map.similarity(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    return values;
}

QList<MovieMapFigure::Category> genreCategories(const std::vector<std::string>& vocabulary) {
    QList<MovieMapFigure::Category> categories;
    for (int g = 0; g < static_cast<int>(vocabulary.size()); ++g)
        categories.append({genreName(vocabulary, g), MovieMapFigure::defaultCategoryColor(g)});
    return categories;
}

std::vector<int> primaryGenres(const Dataset& dataset) {
    std::vector<int> categories(dataset.movieCount());
    for (std::size_t i = 0; i < categories.size(); ++i)
        categories[i] = primaryGenre(dataset.genres[i]);
    return categories;
}

std::vector<float> ratingCounts(const Dataset& dataset) {
    std::vector<float> counts(dataset.movieCount());
    for (std::size_t i = 0; i < counts.size(); ++i)
        counts[i] = static_cast<float>(dataset.byMovie.rowSize(i));
    return counts;
}

std::vector<QPointF> layoutPoints(const EmbeddingMatrix& layout) {
    std::vector<QPointF> points(static_cast<std::size_t>(layout.rows()));
    for (Eigen::Index i = 0; i < layout.rows(); ++i)
        points[static_cast<std::size_t>(i)] = QPointF(layout(i, 0), layout(i, 1));
    return points;
}

QColor chosenGenreColor() {
    return {0x1f, 0x5f, 0xcc};
}

QString movieColouringTitle(const MovieColouring& colouring, bool mostFrequentGenre,
                            const std::vector<std::string>& vocabulary) {
    switch (colouring.mode) {
        case MovieColourMode::Popularity:
            return QObject::tr("Colour: popularity (number of ratings, log scale)");
        case MovieColourMode::MeanRating:
            return QObject::tr("Colour: mean rating");
        case MovieColourMode::Year:
            return QObject::tr("Colour: release year");
        case MovieColourMode::Genre:
            break;
    }
    if (colouring.genre < 0) return QObject::tr("Colour: no genre");
    return mostFrequentGenre ? QObject::tr("Colour: %1 (most frequent genre) vs other genres")
                                   .arg(genreName(vocabulary, colouring.genre))
                             : QObject::tr("Colour: %1 vs other genres")
                                   .arg(genreName(vocabulary, colouring.genre));
}

MovieMapFigure::Colouring movieMapColouring(const MovieColouring& choice, const Dataset& dataset,
                                            const MovieValues& values) {
    const int mostFrequent = mostFrequentGenre(dataset.genres);
    const MovieColouring colouring = resolveMovieColouring(choice, dataset.genres);
    MovieMapFigure::Colouring result;
    result.title =
        movieColouringTitle(colouring, colouring.genre == mostFrequent, dataset.genreVocabulary);
    const std::size_t n = dataset.movieCount();
    if (colouring.mode == MovieColourMode::Genre) {
        const int genre = colouring.genre;
        result.categories = {
            {genre >= 0 ? genreName(dataset.genreVocabulary, genre) : QObject::tr("No genre"),
             chosenGenreColor()},
            {QObject::tr("Other genres"), QColor(), true}};
        result.pointCategories.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            result.pointCategories[i] = genre >= 0 && hasGenre(dataset.genres[i], genre) ? 0 : 1;
        return result;
    }
    result.pointCategories.assign(n, -1);
    MovieMapFigure::ValueScale& scale = result.scale;
    switch (colouring.mode) {
        case MovieColourMode::Popularity:
            result.values = values.ratingCount;
            scale.logarithmic = true;
            break;
        case MovieColourMode::MeanRating:
            result.values = values.meanRating;
            scale.decimals = 1;
            scale.missingLabel = QObject::tr("no ratings");
            break;
        default:
            result.values = values.year;
            scale.missingLabel = QObject::tr("year unknown");
            break;
    }
    result.values.resize(n, std::numeric_limits<float>::quiet_NaN());
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const float v : result.values) {
        if (std::isnan(v) || (scale.logarithmic && v <= 0.0F)) continue;
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
    }
    if (lo > hi) lo = hi = scale.logarithmic ? 1.0 : 0.0;
    scale.minimum = lo;
    scale.maximum = hi;
    return result;
}

MovieMapFigure::Colouring movieMapColouring(const MovieColouring& colouring,
                                            const Dataset& dataset) {
    return movieMapColouring(colouring, dataset, movieValues(dataset));
}

QString projectionText(const MapConfig& config) {
    QString text = genreSourceLabel(config.source) + QStringLiteral(" · ");
    const TsneConfig& tsne = config.projection.tsne;
    if (config.projection.method == ProjectionMethod::Pca) {
        text += QObject::tr("PCA");
    } else {
        text += QObject::tr("t-SNE perplexity %1, %2 iterations, seed %3")
                    .arg(tsne.perplexity)
                    .arg(tsne.iterations)
                    .arg(tsne.seed);
        if (tsne.learningRate > 0.0)
            text += QObject::tr(", learning rate %1").arg(tsne.learningRate);
    }
    if (config.projection.unitNormRows) text += QObject::tr(", unit-norm vectors");
    return text;
}

Provenance mapProvenance(const Dataset* dataset, const Recommender* model, const QString& label,
                         const MapConfig& config) {
    Provenance p;
    if (dataset)
        p.dataset = QObject::tr("%1 (%2 ratings)")
                        .arg(QString::fromStdString(dataset->name),
                             QLocale().toString(static_cast<qulonglong>(dataset->ratingCount())));
    if (model) {
        QStringList hyper;
        for (const Hyperparameter& h : model->hyperparameters())
            if (h.key != "seed")
                hyper << QStringLiteral("%1 %2").arg(QString::fromStdString(h.key),
                                                     QString::fromStdString(h.value));
        p.model = label == QString::fromStdString(model->displayName())
                      ? QStringLiteral("%1: %2").arg(label, hyper.join(QStringLiteral(", ")))
                      : label;
        p.split = QString::fromStdString(model->splitSpec().describe());
        p.seed = QString::number(model->seed());
    }
    p.extra = projectionText(config);
    return p;
}

MapFigureSet::MapFigureSet() {
    heatmap_.setFigureTitle(QObject::tr("Genre cosine similarity"));
    heatmap_.setFigureFileStem(QStringLiteral("genre-similarity"));
    movieMap_.setCategories(genreCategories(defaultGenreVocabulary()));
}

void MapFigureSet::show(const MapResult& result, const Dataset& dataset, const QString& modelLabel,
                        const MovieColouring& colouring) {
    const GenreMap& map = result.genreMap;
    genreMap_.setGenres(genrePoints(map));
    const auto [x, y] = genreAxisTitles(map);
    genreMap_.setAxisTitles(x, y);
    genreMap_.setFigureTitle(genreMapTitle(map));
    heatmap_.setMatrix(genreNames(map), genreSimilarityValues(map));
    movieMap_.setCategories(genreCategories(dataset.genreVocabulary));
    movieMap_.setPoints(layoutPoints(result.movieLayout), primaryGenres(dataset));
    movieMap_.setColouring(movieMapColouring(colouring, dataset));
    movieMap_.setPointWeights(ratingCounts(dataset));
    movieMap_.setFigureTitle(QObject::tr("Movie map: %1").arg(modelLabel));
}

}  // namespace lens::ui
