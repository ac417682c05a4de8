// `lens-atlas map PATH --model FILE [--source theta|centroids|centroids-weighted|movies]
//  [--method pca|tsne] [--unit-norm] [--perplexity P] [--iterations N] [--seed S]
//  [--colour genre:NAME|popularity|rating|year] [--json] [--out DIR]`: the Map panel's numbers
//  and pictures for a saved model, headless.
// The genre map (2D position of every genre with movies, its number of movies and nearest genres
// by cosine in the full embedding space), the explained variance of the two PCA axes, and with
// --out the genre map, the genre cosine heat map and the movie map as PNG (300 dpi) and SVG, and
// the 2D coordinates of both maps as genre-map.csv and movie-map.csv (projection/MapCsv.h).
// --colour says what the movie map's colour means, as the Map panel's "Colour by": one genre
// against the rest (default: the dataset's most frequent genre), popularity, mean rating or year.
// The numbers come from the engine (lens::computeMaps, as in the Map panel); the files are painted
// by the map figures the panel's views show (ui/map/MapFigures), without any widget. Text is
// drawn through QtGui, so the command runs under the GUI application (needsGui).
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <memory>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "charts/Figure.h"
#include "io/DatasetLoader.h"
#include "io/JsonFile.h"
#include "map/MapFigures.h"
#include "models/ModelFile.h"
#include "projection/MapComputation.h"
#include "projection/MapCsv.h"
#include "util/Errors.h"

namespace {

constexpr const char* kMapUsage =
    "map PATH --model FILE [--source theta|centroids|centroids-weighted|movies] [--method "
    "pca|tsne] "
    "[--unit-norm] [--perplexity P] [--iterations N] [--seed S] "
    "[--colour genre:NAME|popularity|rating|year] [--json] [--out DIR]";

int mapUsageError(const QString& message) {
    return lens::app::usageError(message, kMapUsage);
}

// A genre id's name in the map's vocabulary (the dataset's genres).
QString genreName(const lens::GenreMap& map, int genre) {
    return lens::ui::genreName(map.genreNames, genre);
}

QJsonObject mapJson(const lens::GenreMap& map, const lens::MapConfig& config,
                    const lens::MovieColouring& colouring, const lens::Recommender& model,
                    const lens::Dataset& dataset) {
    QJsonArray genres;
    const auto& ids = map.genres.genres;
    for (std::size_t r = 0; r < ids.size(); ++r) {
        QJsonArray nearest, similarities;
        for (const lens::CosineNeighbour& n : map.nearest[r]) {
            nearest.append(genreName(map, ids[static_cast<std::size_t>(n.index)]));
            similarities.append(static_cast<double>(n.similarity));
        }
        genres.append(QJsonObject{
            {"name", genreName(map, ids[r])},
            {"x", static_cast<double>(map.layout(static_cast<Eigen::Index>(r), 0))},
            {"y", static_cast<double>(map.layout(static_cast<Eigen::Index>(r), 1))},
            {"movies", map.genres.movieCount[r]},
            {"nearest", nearest},
            {"nearest_similarity", similarities},
        });
    }
    QJsonArray variance;
    for (double v : map.explainedVarianceRatio) variance.append(v);
    return QJsonObject{
        {"dataset", QString::fromStdString(dataset.name)},
        {"model", QString::fromStdString(model.kind())},
        {"source", QString::fromLatin1(lens::genreSourceName(map.source))},
        {"method", QString::fromLatin1(lens::projectionMethodName(config.projection.method))},
        {"unit_norm", config.projection.unitNormRows},
        // What the movie map's colour means (genre resolved: "genre:Drama").
        {"colour",
         QString::fromStdString(lens::movieColouringName(colouring, dataset.genreVocabulary))},
        {"movies", static_cast<qint64>(model.itemCount())},
        // t-SNE has no explained variance: null.
        {"explained_variance", variance.isEmpty() ? QJsonValue(QJsonValue::Null) : variance},
        {"genres", genres},
    };
}

int runMap(const QStringList& args) {
    QString path, modelFile, outDir;
    bool json = false;
    lens::MapConfig config;
    lens::MovieColouring colouring;
    QString colourText;  // --colour as given (a genre is resolved in the dataset's vocabulary)
    lens::TsneConfig& tsne = config.projection.tsne;
    bool sourceGiven = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        QString v;
        bool ok = true;
        if (a == "--json") {
            json = true;
        } else if (a == "--unit-norm") {
            config.projection.unitNormRows = true;
        } else if (a.startsWith("--")) {
            if (!lens::app::takeOptionValue(args, i, v))
                return mapUsageError(QStringLiteral("%1 needs a value").arg(a));
            try {
                if (a == "--model") {
                    modelFile = v;
                } else if (a == "--out") {
                    outDir = v;
                } else if (a == "--source") {
                    config.source = lens::parseGenreSource(v.toStdString());
                    sourceGiven = true;
                } else if (a == "--colour" || a == "--color") {
                    // Syntax now (MovieLens's genres); the genre again once the dataset's
                    // vocabulary is known.
                    colourText = v;
                    if (!v.startsWith(QStringLiteral("genre:"), Qt::CaseInsensitive))
                        colouring = lens::parseMovieColouring(v.toStdString());
                } else if (a == "--method") {
                    config.projection.method = lens::parseProjectionMethod(v.toStdString());
                } else if (a == "--perplexity") {
                    tsne.perplexity = v.toDouble(&ok);
                    ok = ok && tsne.perplexity >= 2.0 && tsne.perplexity <= 100.0;
                } else if (a == "--iterations") {
                    tsne.iterations = v.toInt(&ok);
                    ok = ok && tsne.iterations >= 50 && tsne.iterations <= 10000;
                } else if (a == "--seed") {
                    tsne.seed = v.toULongLong(&ok);
                    ok = ok && tsne.seed <= 1'000'000'000ULL;
                } else {
                    return mapUsageError(QStringLiteral("unknown option %1").arg(a));
                }
            } catch (const std::invalid_argument& e) {
                return mapUsageError(QString::fromStdString(e.what()));
            }
            if (!ok) return mapUsageError(QStringLiteral("bad %1 '%2'").arg(a, v));
        } else if (path.isEmpty()) {
            path = a;
        } else {
            return mapUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (path.isEmpty()) return mapUsageError(QStringLiteral("missing PATH"));
    if (modelFile.isEmpty()) return mapUsageError(QStringLiteral("missing --model FILE"));

    QTextStream err(stderr);
    std::shared_ptr<const lens::Dataset> dataset;
    std::shared_ptr<const lens::Recommender> model;
    try {
        model = lens::loadModel(modelFile.toStdString());
        dataset = std::make_shared<const lens::Dataset>(lens::app::loadDatasetArgument(path));
        lens::checkModelMatchesDataset(*model, *dataset, modelFile.toStdString());
    } catch (const lens::DataError& e) {
        err << "lens-atlas map: " << e.what() << '\n';
        return lens::app::kBadData;
    } catch (const std::exception& e) {
        err << "lens-atlas map: " << e.what() << '\n';
        return lens::app::kBadData;
    }
    if (model->itemFactors().rows() == 0) {
        err << "lens-atlas map: " << modelFile << ": the model '"
            << QString::fromStdString(model->displayName()) << "' has no movie vectors to map\n";
        return lens::app::kBadData;
    }
    if (!colourText.isEmpty()) {
        try {
            colouring =
                lens::parseMovieColouring(colourText.toStdString(), dataset->genreVocabulary);
        } catch (const std::invalid_argument& e) {
            return mapUsageError(QString::fromStdString(e.what()));
        }
    }
    const bool hasTheta = model->genreFactors().rows() > 0;
    if (!sourceGiven) config.source = lens::defaultGenreSource(*model);
    if (config.source == lens::GenreSource::Theta && !hasTheta)
        return mapUsageError(QStringLiteral("--source theta needs a genre-prior model (als-genre); "
                                            "%1 has no genre vectors, use --source centroids")
                                 .arg(QString::fromStdString(model->kind())));

    lens::MapResult result;
    try {
        result = lens::computeMaps(lens::mapInputFrom(*model, *dataset), config);
    } catch (const std::exception& e) {
        err << "lens-atlas map: " << e.what() << '\n';
        return lens::app::kBadData;
    }
    const lens::GenreMap& map = result.genreMap;
    colouring = lens::resolveMovieColouring(colouring, dataset->genres);
    if (json) {
        QTextStream(stdout) << QJsonDocument(mapJson(map, config, colouring, *model, *dataset))
                                   .toJson(QJsonDocument::Indented);
    } else {
        QTextStream out(stdout);
        out << QStringLiteral("%1 on %2: genre map from %3, %4\n")
                   .arg(QString::fromStdString(model->displayName()),
                        QString::fromStdString(dataset->name),
                        QString::fromLatin1(lens::genreSourceName(map.source)),
                        QString::fromLatin1(lens::projectionMethodName(config.projection.method)));
        if (map.explainedVarianceRatio.size() >= 2)
            out << QStringLiteral("explained variance: PC1 %1 %, PC2 %2 %\n")
                       .arg(100.0 * map.explainedVarianceRatio[0], 0, 'f', 1)
                       .arg(100.0 * map.explainedVarianceRatio[1], 0, 'f', 1);
        for (std::size_t r = 0; r < map.genres.genres.size(); ++r) {
            QStringList nearest;
            for (const lens::CosineNeighbour& n : map.nearest[r])
                nearest << QStringLiteral("%1 (%2)")
                               .arg(genreName(map,
                                              map.genres.genres[static_cast<std::size_t>(n.index)]))
                               .arg(n.similarity, 0, 'f', 2);
            out << QStringLiteral("%1 %2 %3  %4 movies  nearest: %5\n")
                       .arg(genreName(map, map.genres.genres[r]).leftJustified(12))
                       .arg(map.layout(static_cast<Eigen::Index>(r), 0), 9, 'f', 3)
                       .arg(map.layout(static_cast<Eigen::Index>(r), 1), 9, 'f', 3)
                       .arg(map.genres.movieCount[r], 6)
                       .arg(nearest.join(QStringLiteral(", ")));
        }
    }

    if (!outDir.isEmpty()) {
        const QString label = QString::fromStdString(model->displayName());
        lens::ui::MapFigureSet figures;
        figures.show(result, *dataset, label, colouring);
        lens::ui::FigureExportOptions options;
        options.dpi = 300;
        options.footer = lens::ui::mapProvenance(dataset.get(), model.get(), label, config).text();
        QString error;
        const QStringList written = lens::ui::saveAllFigures(
            figures.figures(), outDir, {lens::ui::FigureFormat::Png, lens::ui::FigureFormat::Svg},
            options, &error);
        if (written.size() != 2 * figures.figures().size()) {
            err << "lens-atlas map: " << error << '\n';
            return lens::app::kFailure;
        }
        QStringList all = written;
        try {
            for (const auto& [name, csv] :
                 {std::pair{QStringLiteral("genre-map.csv"),
                            lens::genreMapCsv(map, dataset->genreVocabulary)},
                  std::pair{QStringLiteral("movie-map.csv"),
                            lens::movieMapCsv(result.movieLayout, *dataset)}}) {
                const QString file = QDir(outDir).filePath(name);
                lens::writeFileAtomically(QFile::encodeName(file).toStdString(), csv,
                                          "coordinates");
                all << file;
            }
        } catch (const std::exception& e) {
            err << "lens-atlas map: " << e.what() << '\n';
            return lens::app::kFailure;
        }
        for (const QString& f : all) err << "wrote " << QDir::toNativeSeparators(f) << '\n';
        err << "movie map colour: "
            << QString::fromStdString(lens::movieColouringName(colouring, dataset->genreVocabulary))
            << '\n';
    }
    return lens::app::kOk;
}

}  // namespace

LENS_ATLAS_COMMAND("map", "genre and movie maps (PCA / t-SNE) of a trained model", kMapUsage, true,
                   runMap);
