// `lens-atlas info PATH [--json] [--lenient]`: what a release folder or zip holds: detected
// layout, counts, density, mean rating, min / median / max ratings per user and per rated
// movie, genres with their movie counts, skipped lines and load time. Text by default, one
// JSON object with --json (keys documented in README). Exit 0 ok, 2 usage, 3 bad data with
// "file:line: problem" on stderr.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <algorithm>
#include <vector>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "data/Genre.h"
#include "io/DatasetLoader.h"

namespace {

struct Spread {
    std::size_t min = 0, max = 0;
    double median = 0;
};

// Min, median (mean of the two middle values for an even count) and max of row sizes; rows
// with no entries are left out when `skipEmpty`.
Spread spreadOfRows(const lens::RatingMatrix& m, bool skipEmpty) {
    std::vector<std::size_t> sizes;
    sizes.reserve(m.rows());
    for (std::size_t r = 0; r < m.rows(); ++r)
        if (!skipEmpty || m.rowSize(r) > 0) sizes.push_back(m.rowSize(r));
    Spread s;
    if (sizes.empty()) return s;
    std::sort(sizes.begin(), sizes.end());
    s.min = sizes.front();
    s.max = sizes.back();
    const std::size_t n = sizes.size();
    s.median = n % 2 ? static_cast<double>(sizes[n / 2])
                     : 0.5 * static_cast<double>(sizes[n / 2 - 1] + sizes[n / 2]);
    return s;
}

QJsonObject spreadJson(const Spread& s) {
    return QJsonObject{{"min", static_cast<qint64>(s.min)},
                       {"median", s.median},
                       {"max", static_cast<qint64>(s.max)}};
}

int infoUsageError(const QString& message) {
    return lens::app::usageError(message, "info PATH [--json] [--lenient]");
}

int runInfo(const QStringList& args) {
    QString path;
    bool json = false, lenient = false;
    for (const QString& a : args) {
        if (a == "--json")
            json = true;
        else if (a == "--lenient")
            lenient = true;
        else if (a.startsWith('-'))
            return infoUsageError(QStringLiteral("unknown option '%1'").arg(a));
        else if (path.isEmpty())
            path = a;
        else
            return infoUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
    }
    if (path.isEmpty())
        return infoUsageError(QStringLiteral("missing PATH (a release folder or .zip)"));

    lens::Dataset ds;
    try {
        lens::LoadOptions options;
        options.lenient = lenient;
        ds = lens::app::loadDatasetArgument(path, options);
    } catch (const lens::DataError& e) {
        QTextStream(stderr) << lens::app::dataErrorText("info", e, !lenient) << '\n';
        return lens::app::kBadData;
    } catch (const std::bad_alloc&) {
        QTextStream(stderr) << path << ": not enough memory to load this dataset\n";
        return lens::app::kFailure;
    }

    const Spread perUser = spreadOfRows(ds.byUser, false);
    const Spread perMovie = spreadOfRows(ds.byMovie, true);
    // Genres of the dataset's vocabulary (MovieLens's 19, or the items file's categories).
    const int genreCount = ds.genreCount();
    std::vector<std::size_t> genreCounts(static_cast<std::size_t>(genreCount), 0);
    std::size_t noGenre = 0;
    for (auto mask : ds.genres) {
        if (!mask) ++noGenre;
        for (int g = 0; g < genreCount; ++g)
            genreCounts[static_cast<std::size_t>(g)] += lens::hasGenre(mask, g);
    }
    // Ratings per stored code; the value of code c is ds.ratingValue(c) (the dataset's scale).
    std::vector<std::size_t> histogram(256, 0);
    for (auto h : ds.byUser.halfStars) ++histogram[h];
    const lens::RatingScale& scale = ds.scale;
    // A rating as the output spells it: "4.5" on half stars, else the shortest form ("7").
    auto ratingText = [&scale](double v) {
        return scale.isHalfStars() ? QString::number(v, 'f', 1) : QString::number(v, 'g', 6);
    };
    const QString scaleText =
        scale.implicit ? QStringLiteral("implicit feedback (no ratings)")
                       : QStringLiteral("%1..%2 in steps of %3")
                             .arg(ratingText(scale.min), ratingText(scale.max),
                                  QString::number(static_cast<double>(scale.step), 'g', 6));
    auto date = [](std::uint32_t t) {
        return QDateTime::fromSecsSinceEpoch(t, Qt::UTC).date().toString(Qt::ISODate);
    };

    if (json) {
        QJsonObject genres;
        for (int g = 0; g < genreCount; ++g)
            genres.insert(QString::fromStdString(ds.genreName(g)),
                          static_cast<qint64>(genreCounts[static_cast<std::size_t>(g)]));
        // Half stars: all ten values; another scale: the values present; implicit: none.
        QJsonObject hist;
        for (int h = 1; h < 256 && !scale.implicit; ++h)
            if (scale.isHalfStars() ? h <= 10 : histogram[static_cast<std::size_t>(h)] > 0)
                hist.insert(ratingText(ds.ratingValue(static_cast<lens::HalfStars>(h))),
                            static_cast<qint64>(histogram[static_cast<std::size_t>(h)]));
        QJsonArray warnings;
        for (const auto& w : ds.report.warnings) warnings.append(QString::fromStdString(w));
        // What each load filter removed, in the order they ran (empty: none applied).
        QJsonArray filters;
        for (const lens::FilterStep& f : ds.filterSteps)
            filters.append(QJsonObject{{"filter", QString::fromStdString(f.filter)},
                                       {"removed_ratings", static_cast<qint64>(f.removedRatings)},
                                       {"removed_users", static_cast<qint64>(f.removedUsers)},
                                       {"removed_movies", static_cast<qint64>(f.removedMovies)}});
        const QJsonObject out{
            {"name", QString::fromStdString(ds.name)},
            {"source", QString::fromStdString(ds.source)},
            {"layout", QString::fromLatin1(lens::layoutName(ds.layout))},
            {"ratings", static_cast<qint64>(ds.ratingCount())},
            {"users", static_cast<qint64>(ds.userCount())},
            {"movies", static_cast<qint64>(ds.movieCount())},
            {"rated_movies", static_cast<qint64>(ds.ratedMovieCount())},
            {"tags", static_cast<qint64>(ds.tags.size())},
            {"density", ds.density()},
            {"rating_mean", scale.implicit ? QJsonValue() : QJsonValue(ds.ratingMean())},
            {"rating_scale", QJsonObject{{"min", scale.min},
                                         {"max", scale.max},
                                         {"step", scale.step},
                                         {"implicit", scale.implicit}}},
            {"rating_histogram", hist},
            {"ratings_per_user", spreadJson(perUser)},
            {"ratings_per_movie", spreadJson(perMovie)},
            {"genres", genres},
            {"movies_without_genre", static_cast<qint64>(noGenre)},
            {"first_rating", ds.ratingCount() ? date(ds.minTimestamp()) : QString()},
            {"last_rating", ds.ratingCount() ? date(ds.maxTimestamp()) : QString()},
            {"skipped_lines", static_cast<qint64>(ds.report.skippedLines)},
            {"duplicate_ratings", static_cast<qint64>(ds.report.duplicateRatings)},
            {"unknown_movies", static_cast<qint64>(ds.report.unknownMovies)},
            {"warnings", warnings},
            {"filters", filters},
            {"load_seconds", ds.report.loadSeconds},
            {"memory_bytes", static_cast<qint64>(ds.memoryBytes())},
        };
        QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Indented);
        return lens::app::kOk;
    }

    QTextStream out(stdout);
    out << "name           " << QString::fromStdString(ds.name) << "\n"
        << "layout         " << lens::layoutName(ds.layout) << "\n"
        << "ratings        " << ds.ratingCount() << "\n"
        << "users          " << ds.userCount() << "\n"
        << "movies         " << ds.movieCount() << " (" << ds.ratedMovieCount() << " rated)\n"
        << "tags           " << ds.tags.size() << "\n"
        << "density        " << QString::number(ds.density() * 100, 'f', 3) << " %\n"
        << "rating scale   " << scaleText << "\n"
        << "rating mean    "
        << (scale.implicit ? QStringLiteral("-") : QString::number(ds.ratingMean(), 'f', 4)) << "\n"
        << "per user       min " << perUser.min << ", median " << perUser.median << ", max "
        << perUser.max << "\n"
        << "per movie      min " << perMovie.min << ", median " << perMovie.median << ", max "
        << perMovie.max << " (rated movies)\n";
    if (ds.ratingCount())
        out << "dates          " << date(ds.minTimestamp()) << " .. " << date(ds.maxTimestamp())
            << "\n";
    out << "genres        ";
    for (int g = 0; g < genreCount; ++g)
        if (genreCounts[static_cast<std::size_t>(g)])
            out << ' ' << QString::fromStdString(ds.genreName(g)) << ' '
                << genreCounts[static_cast<std::size_t>(g)];
    out << " (none: " << noGenre << ")\n";
    for (const lens::FilterStep& f : ds.filterSteps)
        out << "filter         " << QString::fromStdString(f.filter) << ": removed "
            << f.removedRatings << " ratings, " << f.removedUsers << " users, " << f.removedMovies
            << " movies\n";
    out << "skipped lines  " << ds.report.skippedLines << "\n"
        << "duplicates     " << ds.report.duplicateRatings << "\n"
        << "load seconds   " << QString::number(ds.report.loadSeconds, 'f', 3) << "\n"
        << "memory         " << QString::number(static_cast<double>(ds.memoryBytes()) / 1e6, 'f', 1)
        << " MB\n";
    for (const auto& w : ds.report.warnings)
        out << "warning        " << QString::fromStdString(w) << "\n";
    return lens::app::kOk;
}

}  // namespace

LENS_ATLAS_COMMAND("info", "layout, counts, density and spreads of a release folder or zip",
                   "info PATH [--json] [--lenient]", false, runInfo);
