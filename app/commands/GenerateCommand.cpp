// `lens-atlas generate --out DIR [--ratings N] [--seed S] [--users U] [--movies M] [--no-tags]`
// or `lens-atlas generate --out DIR --shape ml-20m|ml-25m|ml-32m [--scale F] [--seed S]
// [--no-tags]`: writes the synthetic demo release (MovieLens CSV layout: ratings.csv,
// movies.csv, tags.csv) into DIR and prints what it wrote. A shape gives the real release's
// counts and movie-id sparsity (engine/synth/SyntheticShape.h), --scale a fraction of it. Exit 0
// ok, 1 when the files cannot be written, 2 usage (missing --out, unknown option or shape, a
// value that is not a number, a size that cannot be made, a shape with --ratings, --users or
// --movies, --scale without a shape).
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <filesystem>
#include <stdexcept>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticShape.h"
#include "util/Errors.h"

namespace {

const char* kGenerateUsage =
    "generate --out DIR [--ratings N] [--seed S] [--users U] [--movies M] [--no-tags] "
    "[--shape ml-20m|ml-25m|ml-32m [--scale F]]";

int generateUsageError(const QString& message) {
    return lens::app::usageError(message, kGenerateUsage);
}

QString shapeName(lens::SyntheticShape shape) {
    const std::string_view name = lens::releaseShapeFigures(shape).name;
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

// Counts lines after the header.
qint64 recordsIn(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    qint64 lines = 0;
    while (!f.atEnd()) {
        const QByteArray chunk = f.read(1 << 20);
        lines += chunk.count('\n');
    }
    return lines - 1;
}

int runGenerate(const QStringList& args) {
    lens::SyntheticConfig config;
    QString out;
    QStringList sizeOptions;  // --ratings, --users, --movies as given: a shape fixes them
    bool scaleGiven = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a == "--no-tags") {
            config.tags = false;
            continue;
        }
        if (a == "--help" || a == "-h") {
            QTextStream(stdout) << "usage: lens-atlas " << kGenerateUsage << "\n";
            return lens::app::kOk;
        }
        const bool takesValue = a == "--out" || a == "--ratings" || a == "--seed" ||
                                a == "--users" || a == "--movies" || a == "--shape" ||
                                a == "--scale";
        if (!takesValue) return generateUsageError(QStringLiteral("unknown argument '%1'").arg(a));
        QString value;
        if (!lens::app::takeOptionValue(args, i, value))
            return generateUsageError(QStringLiteral("%1 needs a value").arg(a));
        if (a == "--out") {
            out = value;
            continue;
        }
        if (a == "--shape") {
            const auto shape = lens::syntheticShapeFromName(value.toStdString());
            if (!shape)
                return generateUsageError(
                    QStringLiteral("unknown shape '%1' (shapes: %2)")
                        .arg(value, QString::fromStdString(lens::syntheticShapeNames())));
            config.shape = *shape;
            continue;
        }
        if (a == "--scale") {
            bool ok = false;
            config.shapeScale = value.toDouble(&ok);
            if (!ok || !(config.shapeScale > 0.0 && config.shapeScale <= 1.0))
                return generateUsageError(
                    QStringLiteral("--scale '%1' is not a fraction in (0, 1]").arg(value));
            scaleGiven = true;
            continue;
        }
        bool ok = false;
        const qulonglong number = value.toULongLong(&ok);
        if (!ok)
            return generateUsageError(
                QStringLiteral("%1 '%2' is not a non-negative integer").arg(a, value));
        if (a == "--ratings") config.ratings = number;
        if (a == "--seed") config.seed = number;
        if (a == "--users") config.users = number;
        if (a == "--movies") config.movies = number;
        if (a != "--seed" && !sizeOptions.contains(a)) sizeOptions << a;
    }
    if (out.isEmpty()) return generateUsageError(QStringLiteral("missing --out DIR"));
    const bool shaped = config.shape != lens::SyntheticShape::None;
    if (shaped && !sizeOptions.isEmpty())
        return generateUsageError(
            QStringLiteral("--shape %1 fixes the counts; drop %2 (or use --scale F)")
                .arg(shapeName(config.shape), sizeOptions.join(QStringLiteral(", "))));
    if (scaleGiven && !shaped) return generateUsageError(QStringLiteral("--scale needs --shape"));
    lens::SyntheticSizes sizes;
    try {
        sizes = lens::resolveSyntheticSizes(config);
    } catch (const std::invalid_argument& e) {
        return generateUsageError(QString::fromStdString(e.what()));
    }

    QElapsedTimer timer;
    timer.start();
    const std::filesystem::path dir(out.toStdString());
    try {
        lens::writeSyntheticRelease(config, dir);
    } catch (const lens::DataError& e) {
        QTextStream(stderr) << "lens-atlas generate: " << e.what() << "\n";
        return lens::app::kFailure;
    }
    const double seconds = timer.elapsed() / 1000.0;

    QTextStream o(stdout);
    o << "synthetic release (seed " << config.seed << ") written in "
      << QString::number(seconds, 'f', 2) << " s:\n";
    auto line = [&](const char* name, qint64 records, const char* what) {
        const QString path = QString::fromStdString((dir / name).string());
        o << "  " << path << "  " << records << ' ' << what << "  " << QFileInfo(path).size()
          << " bytes\n";
    };
    line("ratings.csv", static_cast<qint64>(sizes.ratings), "ratings");
    line("movies.csv", static_cast<qint64>(sizes.movies), "movies");
    if (config.tags)
        line("tags.csv", recordsIn(QString::fromStdString((dir / "tags.csv").string())), "tags");
    o << "  " << static_cast<qint64>(sizes.users) << " users\n";
    if (shaped) {
        o << "  shape " << shapeName(config.shape) << " (scale " << config.shapeScale
          << "): " << static_cast<qint64>(sizes.ratedMovies) << " rated movies, movie ids up to "
          << static_cast<qint64>(sizes.maxMovieId) << "\n";
    }
    return lens::app::kOk;
}

}  // namespace

LENS_ATLAS_COMMAND("generate",
                   "write the synthetic demo release (MovieLens CSV layout) to a folder",
                   kGenerateUsage, false, runGenerate);
