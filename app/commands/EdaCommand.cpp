// `lens-atlas eda PATH [--json] [--out DIR]`: the exploratory statistics of a release (stage 1
// of the study): power-law fits, inequality, rating histograms, ratings per year, genres, tags.
// Text summary by default, the full report as JSON with --json. --out DIR writes the report's
// files into DIR (see outputWriters()): eda.json and every Explore chart as PNG (300 dpi) and
// SVG, rendered offscreen (the command runs under a QApplication: needsGui).
// Exit 0 ok, 2 usage, 3 bad data (file:line on stderr).
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QString>
#include <QTextStream>
#include <cmath>
#include <functional>
#include <vector>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "charts/ChartFigure.h"
#include "charts/Figure.h"
#include "explore/ExploreFigures.h"
#include "io/DatasetLoader.h"
#include "stats/Eda.h"
#include "util/Errors.h"

namespace {

constexpr const char* kEdaUsage = "eda PATH [--json] [--out DIR] [--min-ratings N] [--lenient]";

int edaUsageError(const QString& message) {
    return lens::app::usageError(message, kEdaUsage);
}

// Non-finite numbers (an invalid fit) become null, never NaN text.
QJsonValue number(double v) {
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}
QJsonValue count(std::uint64_t v) {
    return QJsonValue(static_cast<double>(v));
}

QJsonArray points(const std::vector<lens::XY>& xy) {
    QJsonArray out;
    for (const auto& p : xy) out.append(QJsonArray{number(p.x), number(p.y)});
    return out;
}

template <typename T>
QJsonArray numbers(const std::vector<T>& v) {
    QJsonArray out;
    for (const auto& x : v) out.append(number(static_cast<double>(x)));
    return out;
}

QJsonObject degreeJson(const lens::DegreeStats& d) {
    const lens::PowerLawFit& f = d.fit;
    QJsonObject o{
        {"count", count(d.entities)},
        {"zero_count", count(d.zeroCount)},
        {"ratings", number(d.total)},
        {"min", count(d.min)},
        {"median", number(d.median)},
        {"max", count(d.max)},
        {"mean", number(d.mean)},
        {"single_rating", count(d.singleCount)},
        {"gini", number(d.gini)},
        {"top1_share", number(d.top1Share)},
        {"top10_share", number(d.top10Share)},
        {"fit_valid", f.valid},
        {"alpha", number(f.alpha)},
        {"alpha_se", number(f.alphaStdErr)},
        {"alpha_se_method", "discrete Fisher information: 1/sqrt(n_tail * Var(ln X))"},
        {"alpha_se_approx", number(f.alphaStdErrApprox)},
        {"xmin", f.valid ? count(f.xmin) : QJsonValue()},
        {"ks", number(f.ks)},
        {"n_tail", count(f.nTail)},
        {"xmin_candidates", count(f.candidatesTried)},
        {"log_likelihood", number(f.logLikelihood)},
    };
    QJsonArray empty;
    for (bool e : d.pdf.empty) empty.append(e);
    o["curves"] = QJsonObject{
        {"pdf", QJsonObject{{"edges", numbers(d.pdf.edges)},
                            {"centres", numbers(d.pdf.centres)},
                            {"counts", numbers(d.pdf.counts)},
                            {"density", numbers(d.pdf.density)},
                            {"empty", empty}}},
        {"pdf_fit", points(d.pdfFit)},
        {"ccdf", points(d.ccdf)},
        {"ccdf_fit", points(d.ccdfFit)},
        {"rank_frequency", points(d.rankFrequency)},
        {"lorenz", points(d.lorenz)},
    };
    return o;
}

// A histogram bin's rating as the report spells it: "4.0" on half stars, else "7", "2.25".
QString ratingKey(const lens::EdaReport& r, std::size_t index) {
    const double value = r.ratingHistogram.ratingOf(index);
    return r.scale.isHalfStars() ? QString::number(value, 'f', 1) : QString::number(value, 'g', 6);
}

QJsonObject reportJson(const lens::EdaReport& r) {
    QJsonObject histogram;
    for (std::size_t i = 0; i < r.ratingHistogram.counts.size(); ++i)
        histogram[ratingKey(r, i)] = count(r.ratingHistogram.counts[i]);
    QJsonObject years;
    for (const auto& y : r.ratingsPerYear) years[QString::number(y.year)] = count(y.ratings);
    QJsonArray genres;
    for (const auto& g : r.genres)
        genres.append(QJsonObject{{"name", QString::fromStdString(g.name)},
                                  {"movies", count(g.movies)},
                                  {"ratings", count(g.ratings)},
                                  {"mean_rating", number(g.meanRating)}});
    QJsonArray topTags;
    for (const auto& t : r.tags.top)
        topTags.append(
            QJsonObject{{"tag", QString::fromStdString(t.text)}, {"count", count(t.count)}});
    const auto& mm = r.movieMeans;
    return QJsonObject{
        {"dataset", QString::fromStdString(r.datasetName)},
        {"n_users", count(r.users)},
        {"n_movies", count(r.movies)},
        {"n_ratings", count(r.ratings)},
        {"density", number(r.density)},
        {"sparsity", number(r.sparsity)},
        {"first_timestamp", count(r.firstTimestamp)},
        {"last_timestamp", count(r.lastTimestamp)},
        {"users", degreeJson(r.userDegrees)},
        {"movies", degreeJson(r.movieDegrees)},
        {"rating_histogram", histogram},
        // Implicit feedback has no ratings: an empty histogram, null mean and median.
        {"rating_mean", r.ratingHistogram.implicit ? QJsonValue() : number(r.ratingHistogram.mean)},
        {"rating_median",
         r.ratingHistogram.implicit ? QJsonValue() : number(r.ratingHistogram.median)},
        {"movie_mean_histogram", QJsonObject{{"min_ratings", count(mm.minRatings)},
                                             {"movies", count(mm.moviesCounted)},
                                             {"mean_of_means", number(mm.meanOfMeans)},
                                             {"edges", numbers(mm.edges)},
                                             {"counts", numbers(mm.counts)}}},
        {"ratings_per_year", years},
        {"genres", genres},
        {"movies_without_genre", count(r.moviesWithoutGenre)},
        {"ratings_without_genre", count(r.ratingsWithoutGenre)},
        {"tags", QJsonObject{{"total", count(r.tags.total)},
                             {"distinct", count(r.tags.distinct)},
                             {"tagged_movies", count(r.tags.taggedMovies)},
                             {"tagging_users", count(r.tags.taggingUsers)},
                             {"top", topTags}}},
        {"compute_seconds", number(r.seconds)},
    };
}

QString fitLine(const lens::DegreeStats& d) {
    const lens::PowerLawFit& f = d.fit;
    if (!f.valid) return QStringLiteral("power law: not fitted (fewer than two distinct values)");
    return QStringLiteral("power law: alpha = %1 +- %2, x_min = %3, KS = %4, tail n = %5 of %6")
        .arg(f.alpha, 0, 'f', 3)
        .arg(f.alphaStdErr, 0, 'f', 3)
        .arg(f.xmin)
        .arg(f.ks, 0, 'f', 4)
        .arg(f.nTail)
        .arg(f.n);
}

void printDegrees(QTextStream& out, const char* title, const lens::DegreeStats& d,
                  const char* singleWhat) {
    out << title << ": " << d.entities << " with ratings";
    if (d.zeroCount) out << " (+" << d.zeroCount << " without)";
    out << "; ratings each min " << d.min << ", median " << d.median << ", mean "
        << QString::number(d.mean, 'f', 1) << ", max " << d.max << '\n'
        << "  " << fitLine(d) << '\n'
        << "  Gini " << QString::number(d.gini, 'f', 3) << "; top 1 % hold "
        << QString::number(100 * d.top1Share, 'f', 1) << " % of ratings, top 10 % hold "
        << QString::number(100 * d.top10Share, 'f', 1) << " %; " << singleWhat << ": "
        << d.singleCount << '\n';
}

void printSummary(const lens::EdaReport& r) {
    QTextStream out(stdout);
    out << r.datasetName.c_str() << ": " << r.users << " users, " << r.movies << " movies, "
        << r.ratings << " ratings; density " << QString::number(r.density, 'g', 4) << " (sparsity "
        << QString::number(100 * r.sparsity, 'f', 3) << " %)\n";
    printDegrees(out, "Ratings per user", r.userDegrees, "users with a single rating");
    printDegrees(out, "Ratings per movie", r.movieDegrees, "movies with a single rating");
    const auto& h = r.ratingHistogram;
    if (h.implicit)
        out << "Ratings: none (implicit feedback: interactions without ratings)\n";
    else
        out << "Ratings: mean " << QString::number(h.mean, 'f', 4) << ", median " << h.median
            << '\n';
    std::uint64_t peak = 1;
    for (auto c : h.counts) peak = std::max(peak, c);
    int keyWidth = 0;  // "4.5" on half stars; "10" next to "9" on a 1..10 scale
    for (std::size_t i = 0; i < h.counts.size(); ++i)
        keyWidth = std::max(keyWidth, static_cast<int>(ratingKey(r, i).size()));
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        if (h.counts[i] == 0 && (i % 2 == 0) && r.scale.isHalfStars())
            continue;  // releases without half stars
        const double share =
            h.total ? 100.0 * static_cast<double>(h.counts[i]) / static_cast<double>(h.total) : 0.0;
        out << "  " << ratingKey(r, i).rightJustified(keyWidth) << "  "
            << QString::number(h.counts[i]).rightJustified(10) << "  "
            << QString::number(share, 'f', 1).rightJustified(5) << " %  "
            << QString(static_cast<int>(40 * h.counts[i] / peak), QChar('#')) << '\n';
    }
    const auto& mm = r.movieMeans;
    if (mm.implicit)
        out << "Movie means: none (implicit feedback)\n";
    else
        out << "Movie means (movies with >= " << mm.minRatings << " ratings: " << mm.moviesCounted
            << "): mean of means " << QString::number(mm.meanOfMeans, 'f', 3) << '\n';
    if (!r.ratingsPerYear.empty()) {
        out << "Ratings per year:";
        for (const auto& y : r.ratingsPerYear) out << ' ' << y.year << ':' << y.ratings;
        out << '\n';
    }
    out << "Genres (movies / ratings / mean rating):\n";
    for (const auto& g : r.genres)
        out << "  " << QString::fromStdString(g.name).leftJustified(12)
            << QString::number(g.movies).rightJustified(7)
            << QString::number(g.ratings).rightJustified(11) << "  "
            << QString::number(g.meanRating, 'f', 2) << '\n';
    out << "  (no genre)  " << QString::number(r.moviesWithoutGenre).rightJustified(7)
        << QString::number(r.ratingsWithoutGenre).rightJustified(11) << '\n';
    out << "Tags: " << r.tags.total << " total, " << r.tags.distinct << " distinct, on "
        << r.tags.taggedMovies << " movies by " << r.tags.taggingUsers << " users";
    if (!r.tags.top.empty()) {
        out << "; top:";
        for (std::size_t i = 0; i < std::min<std::size_t>(10, r.tags.top.size()); ++i)
            out << (i ? ", " : " ") << QString::fromStdString(r.tags.top[i].text) << " ("
                << r.tags.top[i].count << ')';
    }
    out << "\nComputed in " << QString::number(r.seconds, 'f', 3) << " s\n";
}

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// What `--out DIR` writes: each writer gets the report (and its JSON) and returns the paths it
// wrote, or false with an error. The charts are the Explore panel's (ui/explore/ExploreFigures.h),
// rendered through QtGui: the command's `needsGui` is true.
struct OutputWriter {
    const char* what;
    std::function<bool(const lens::EdaReport&, const QJsonObject&, const QDir&,
                       QStringList* written, QString* error)>
        write;
};

const std::vector<OutputWriter>& outputWriters() {
    static const std::vector<OutputWriter> writers{
        {"statistics as JSON",
         [](const lens::EdaReport&, const QJsonObject& json, const QDir& dir, QStringList* written,
            QString* error) {
             const QString path = dir.filePath(QStringLiteral("eda.json"));
             if (!writeFileAtomically(path, QJsonDocument(json).toJson(QJsonDocument::Indented),
                                      error))
                 return false;
             written->append(path);
             return true;
         }},
        {"charts as PNG (300 dpi) and SVG",
         [](const lens::EdaReport& report, const QJsonObject&, const QDir& dir,
            QStringList* written, QString* error) {
             const QString name = QString::fromStdString(report.datasetName);
             lens::ui::FigureExportOptions options;
             options.dpi = 300;
             options.footer = lens::ui::exploreProvenance(report, name).text();
             for (const auto& figure : lens::ui::createExploreFigures(report, name)) {
                 for (auto format : {lens::ui::FigureFormat::Png, lens::ui::FigureFormat::Svg}) {
                     const QString path = dir.filePath(figure->figureFileStem() + '.' +
                                                       lens::ui::figureFormatSuffix(format));
                     if (!lens::ui::exportFigure(*figure, path, format, options, error))
                         return false;
                     written->append(path);
                 }
             }
             return true;
         }},
    };
    return writers;
}

int runEda(const QStringList& args) {
    QString path, outDir;
    bool json = false, lenient = false;
    lens::EdaOptions options;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--lenient") {
            lenient = true;
        } else if (a == "--out" || a == "--min-ratings") {
            QString value;
            if (!lens::app::takeOptionValue(args, i, value))
                return edaUsageError(QStringLiteral("%1 needs a value").arg(a));
            if (a == "--out") {
                outDir = value;
            } else {
                bool ok = false;
                const qulonglong n = value.toULongLong(&ok);
                if (!ok || n == 0)
                    return edaUsageError(QStringLiteral("--min-ratings needs a positive integer"));
                options.minRatingsForMovieMean = n;
            }
        } else if (a == "-h" || a == "--help") {
            QTextStream(stdout) << "usage: lens-atlas " << kEdaUsage << '\n';
            return lens::app::kOk;
        } else if (a.startsWith('-')) {
            return edaUsageError(QStringLiteral("unknown option '%1'").arg(a));
        } else if (path.isEmpty()) {
            path = a;
        } else {
            return edaUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (path.isEmpty())
        return edaUsageError(QStringLiteral("missing PATH (a release folder or .zip)"));

    lens::EdaReport report;
    try {
        lens::LoadOptions load;
        load.lenient = lenient;
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path, load);
        report = lens::computeEda(dataset, options);
    } catch (const lens::DataError& e) {
        QTextStream(stderr) << lens::app::dataErrorText("eda", e, !lenient) << '\n';
        return lens::app::kBadData;
    } catch (const std::exception& e) {
        QTextStream(stderr) << "lens-atlas eda: " << path << ": " << e.what() << '\n';
        return lens::app::kBadData;
    }

    const QJsonObject document = reportJson(report);
    if (json)
        QTextStream(stdout) << QJsonDocument(document).toJson(QJsonDocument::Indented);
    else
        printSummary(report);

    if (!outDir.isEmpty()) {
        QDir dir(outDir);
        if (!dir.mkpath(QStringLiteral("."))) {
            QTextStream(stderr) << "lens-atlas eda: cannot create folder " << outDir << '\n';
            return lens::app::kFailure;
        }
        QStringList written;
        for (const auto& writer : outputWriters()) {
            QString error;
            if (!writer.write(report, document, dir, &written, &error)) {
                QTextStream(stderr)
                    << "lens-atlas eda: writing " << writer.what << " failed: " << error << '\n';
                return lens::app::kFailure;
            }
        }
        // stdout stays pure JSON with --json: the list of files goes to stderr.
        for (const QString& f : written)
            QTextStream(stderr) << "wrote " << QDir::toNativeSeparators(f) << '\n';
    }
    return lens::app::kOk;
}

}  // namespace

LENS_ATLAS_COMMAND("eda", "power laws, inequality and rating distributions of a release", kEdaUsage,
                   true, runEda);
