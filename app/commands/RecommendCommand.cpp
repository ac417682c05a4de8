// `lens-atlas recommend PATH --model FILE (--persona NAME | --persona-file F | --user ID)
//  [--n 10] [--min-ratings 100] [--scoring variant|predicted|raw] [--bias-weight 0.05]
//  [--include-genres A|B] [--exclude-genres A|B] [--keep-rated] [--json]`:
// a personalised top-N list from a saved model (lens-atlas train --save) for a preset persona,
// a persona from a file (the same JSON format as the presets; --persona picks one when the file
// holds several) or an existing user (its id as the data spells it: a number, or the string of
// data read with string ids). Persona movies missing from the release are reported and
// the rest used. JSON: {dataset, model, persona, scoring, ..., items: [{rank, movie_id, title,
// year, genres, score, predicted_rating, raw_score, ratings_count, mean_rating, because}],
// missing: [{movie_id, title}]}. Exit 0 ok, 2 usage, 3 bad data (dataset, model or persona
// file) with "file[:line]: problem" on stderr.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <tuple>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "data/Genre.h"
#include "io/DatasetLoader.h"
#include "io/PersonaFile.h"
#include "io/PresetPersonas.h"
#include "models/ModelFile.h"
#include "ranking/TopNRanker.h"
#include "util/Errors.h"

namespace {

constexpr const char* kRecommendUsage =
    "recommend PATH --model FILE (--persona NAME | --persona-file F | --user ID) [--n 10] "
    "[--min-ratings 100] [--scoring variant|predicted|raw] [--bias-weight 0.05] "
    "[--include-genres A|B] [--exclude-genres A|B] [--keep-rated] [--json]";

int recommendUsageError(const QString& message) {
    return lens::app::usageError(message, kRecommendUsage);
}

int dataError(const QString& message) {
    QTextStream(stderr) << "lens-atlas recommend: " << message << '\n';
    return lens::app::kBadData;
}

QString personaNames(const std::vector<lens::Persona>& personas) {
    QStringList names;
    for (const auto& p : personas)
        names << QLatin1Char('"') + QString::fromStdString(p.name) + QLatin1Char('"');
    return names.join(QStringLiteral(", "));
}

// "A|B" against the dataset's genre vocabulary (case-insensitive; MovieLens's genres also in
// any release spelling, "Children's").
bool parseGenres(const QString& text, const lens::Dataset& dataset, lens::GenreMask& mask,
                 QString& bad) {
    const bool movieLens = dataset.genreVocabulary == lens::defaultGenreVocabulary();
    for (const QString& name : text.split(QLatin1Char('|'), Qt::SkipEmptyParts)) {
        int id = -1;
        for (int g = 0; g < dataset.genreCount() && id < 0; ++g)
            if (QString::fromStdString(dataset.genreName(g))
                    .compare(name.trimmed(), Qt::CaseInsensitive) == 0)
                id = g;
        if (id < 0 && movieLens)
            id = lens::genreIdFromName(name.trimmed().toStdString()).value_or(-1);
        if (id < 0) {
            bad = name;
            return false;
        }
        mask |= lens::GenreMask{1} << id;
    }
    return true;
}

QJsonArray genreArray(const lens::Dataset& dataset, lens::GenreMask mask) {
    QJsonArray a;
    for (int g = 0; g < dataset.genreCount(); ++g)
        if (lens::hasGenre(mask, g)) a.append(QString::fromStdString(dataset.genreName(g)));
    return a;
}

int runRecommend(const QStringList& args) {
    QString path, modelFile, personaName, personaFile, userText;
    bool json = false;
    lens::RankConfig config;
    QString includeGenres, excludeGenres;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a == "--keep-rated") {
            config.filter.excludeRated = false;
            continue;
        }
        if (!a.startsWith("--")) {
            if (!path.isEmpty())
                return recommendUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
            path = a;
            continue;
        }
        QString v;
        if (!lens::app::takeOptionValue(args, i, v))
            return recommendUsageError(QStringLiteral("%1 needs a value").arg(a));
        bool ok = true;
        if (a == "--model") {
            modelFile = v;
        } else if (a == "--persona") {
            personaName = v;
        } else if (a == "--persona-file") {
            personaFile = v;
        } else if (a == "--user") {
            userText = v;
        } else if (a == "--n") {
            config.filter.n = v.toInt(&ok);
            if (!ok || config.filter.n < 1 || config.filter.n > 100000)
                return recommendUsageError(QStringLiteral("bad --n '%1' (1..100000)").arg(v));
        } else if (a == "--min-ratings") {
            const qlonglong m = v.toLongLong(&ok);
            if (!ok || m < 0)
                return recommendUsageError(QStringLiteral("bad --min-ratings '%1'").arg(v));
            config.filter.minRatings = static_cast<std::size_t>(m);
        } else if (a == "--bias-weight") {
            config.biasWeight = v.toDouble(&ok);
            if (!ok || !std::isfinite(config.biasWeight))
                return recommendUsageError(QStringLiteral("bad --bias-weight '%1'").arg(v));
        } else if (a == "--scoring") {
            try {
                config.scoring = lens::parseRankScoring(v.toStdString());
            } catch (const std::invalid_argument& e) {
                return recommendUsageError(QString::fromStdString(e.what()));
            }
        } else if (a == "--include-genres" || a == "--exclude-genres") {
            // Checked against the dataset's genres once it is loaded.
            (a == "--include-genres" ? includeGenres : excludeGenres) = v;
        } else {
            return recommendUsageError(QStringLiteral("unknown option '%1'").arg(a));
        }
    }
    if (path.isEmpty()) return recommendUsageError(QStringLiteral("missing PATH"));
    if (modelFile.isEmpty()) return recommendUsageError(QStringLiteral("missing --model FILE"));
    const int sources = (!personaName.isEmpty() && personaFile.isEmpty()) + !personaFile.isEmpty() +
                        !userText.isEmpty();
    if (sources != 1)
        return recommendUsageError(
            QStringLiteral("give exactly one of --persona NAME, --persona-file F, --user ID"));
    qint64 userId = 0;
    bool userIsNumber = false;  // else a string id, looked up in the dataset's keys
    if (!userText.isEmpty()) userId = userText.toLongLong(&userIsNumber);

    // The persona first: a bad persona file is reported before the slow loads.
    lens::Persona persona;
    if (userText.isEmpty()) {
        std::vector<lens::Persona> personas;
        try {
            personas = personaFile.isEmpty()
                           ? lens::presetPersonas()
                           : lens::readPersonaFile(QFile::encodeName(personaFile).toStdString());
        } catch (const lens::DataError& e) {
            return dataError(QString::fromStdString(e.what()));
        }
        if (personas.empty())
            return dataError(QStringLiteral("%1: holds no personas").arg(personaFile));
        if (personaName.isEmpty()) {
            if (personas.size() > 1)
                return recommendUsageError(
                    QStringLiteral("%1 holds %2 personas; pick one with --persona "
                                   "NAME (%3)")
                        .arg(personaFile)
                        .arg(personas.size())
                        .arg(personaNames(personas)));
            persona = personas.front();
        } else if (const lens::Persona* p = lens::findPersona(
                       personas, personaFile.isEmpty()
                                     ? lens::resolvePresetPersonaName(personaName.toStdString())
                                     : personaName.toStdString())) {
            // Presets also answer to their slug and short alias ("lotr"), as in `report`.
            persona = *p;
        } else {
            return recommendUsageError(QStringLiteral("no persona '%1' (known: %2)")
                                           .arg(personaName, personaNames(personas)));
        }
    }

    QTextStream out(stdout), err(stderr);
    try {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        const std::unique_ptr<lens::Recommender> model = lens::loadModel(modelFile.toStdString());
        lens::checkModelMatchesDataset(*model, dataset, modelFile.toStdString());
        const lens::TopNRanker ranker(*model, dataset);
        for (const auto& [text, mask, option] :
             {std::tuple{includeGenres, &config.filter.includeGenres, "--include-genres"},
              std::tuple{excludeGenres, &config.filter.excludeGenres, "--exclude-genres"}}) {
            QString bad;
            if (!parseGenres(text, dataset, *mask, bad))
                return recommendUsageError(
                    QStringLiteral("unknown genre '%1' in %2 (%3 has: %4)")
                        .arg(bad, QString::fromLatin1(option), QString::fromStdString(dataset.name),
                             QString::fromStdString(dataset.genreListOf(~lens::GenreMask{0}))
                                 .replace(QLatin1Char('|'), QStringLiteral(", "))));
        }

        std::vector<lens::PersonaRating> ratings;
        QString label;
        if (!userText.isEmpty()) {
            // --user names the user as the data spells it (a string key in data with string ids).
            if (!userIsNumber && dataset.userKeys.empty())
                return recommendUsageError(QStringLiteral("bad --user '%1'").arg(userText));
            const std::int64_t userIndex = dataset.userIndexOfLabel(userText.toStdString());
            if (userIndex < 0)
                return recommendUsageError(QStringLiteral("user %1 is not in %2")
                                               .arg(userText)
                                               .arg(QString::fromStdString(dataset.name)));
            userId = dataset.userIds[static_cast<std::size_t>(userIndex)];
            ratings = ranker.personaOfUser(userId);
            label = QStringLiteral("user %1").arg(userText);
        } else {
            ratings = lens::personaRatings(persona);
            label = QString::fromStdString(persona.name);
        }
        const lens::RankResult result = ranker.rankPersona(ratings, config);
        auto titleOf = [&](qint64 movieId) {
            const std::int64_t m = dataset.movieIndex(movieId);
            if (m >= 0) return QString::fromStdString(dataset.titles[static_cast<std::size_t>(m)]);
            for (const auto& pm : persona.movies)
                if (pm.movieId == movieId) return QString::fromStdString(pm.title);
            return QString();
        };
        if (result.used.empty())
            return dataError(QStringLiteral("%1: none of the persona's %2 movies is in %3")
                                 .arg(personaFile.isEmpty() ? label : personaFile)
                                 .arg(ratings.size())
                                 .arg(QString::fromStdString(dataset.name)));

        if (json) {
            QJsonObject o;
            o["dataset"] = QString::fromStdString(dataset.name);
            o["model"] = QString::fromStdString(model->kind());
            o["model_file"] = modelFile;
            o["persona"] = label;
            if (!userText.isEmpty()) o["user_id"] = userId;
            o["scoring"] = lens::rankScoringName(config.scoring);
            o["bias_weight"] = config.biasWeight;
            o["n"] = config.filter.n;
            o["min_ratings"] = static_cast<qint64>(config.filter.minRatings);
            o["exclude_rated"] = config.filter.excludeRated;
            o["include_genres"] = genreArray(dataset, config.filter.includeGenres);
            o["exclude_genres"] = genreArray(dataset, config.filter.excludeGenres);
            o["candidates"] = static_cast<qint64>(result.candidates);
            o["explanation"] = result.explainedByContributions ? "contributions" : "nearest";
            QJsonArray used;
            for (const auto& r : result.used)
                used.append(static_cast<qint64>(dataset.movieIds[r.item]));
            o["used"] = used;
            QJsonArray items;
            for (const auto& r : result.items) {
                QJsonObject item;
                item["rank"] = r.rank;
                item["movie_id"] = static_cast<qint64>(r.movieId);
                item["title"] = QString::fromStdString(dataset.titles[r.item]);
                item["year"] = dataset.years[r.item] ? QJsonValue(dataset.years[r.item])
                                                     : QJsonValue(QJsonValue::Null);
                item["genres"] = genreArray(dataset, dataset.genres[r.item]);
                item["score"] = static_cast<double>(r.score);
                item["raw_score"] = static_cast<double>(r.rawScore);
                item["predicted_rating"] = std::isnan(r.predictedRating)
                                               ? QJsonValue(QJsonValue::Null)
                                               : QJsonValue(static_cast<double>(r.predictedRating));
                item["ratings_count"] = static_cast<qint64>(r.ratingsCount);
                item["mean_rating"] = r.meanRating;
                QJsonArray because;
                for (auto id : r.because) because.append(static_cast<qint64>(id));
                item["because"] = because;
                items.append(item);
            }
            o["items"] = items;
            QJsonArray missing;
            for (auto id : result.missing)
                missing.append(
                    QJsonObject{{"movie_id", static_cast<qint64>(id)}, {"title", titleOf(id)}});
            o["missing"] = missing;
            out << QJsonDocument(o).toJson(QJsonDocument::Indented);
        } else {
            out << QStringLiteral("Top %1 for %2 (%3, %4 scoring, at least %5 ratings)\n")
                       .arg(config.filter.n)
                       .arg(label, QString::fromStdString(model->displayName()),
                            QString::fromLatin1(lens::rankScoringName(config.scoring)))
                       .arg(config.filter.minRatings);
            for (auto id : result.missing)
                err << "missing from " << QString::fromStdString(dataset.name) << ": "
                    << titleOf(id) << " [" << id << "]\n";
            for (const auto& r : result.items) {
                QStringList because;
                for (auto id : r.because) because << titleOf(id);
                out << QStringLiteral("%1. %2  [%3]  score %4")
                           .arg(r.rank, 2)
                           .arg(QString::fromStdString(dataset.titles[r.item]),
                                QString::fromStdString(dataset.genreListOf(dataset.genres[r.item])))
                           .arg(r.score, 0, 'f', 3);
                if (!std::isnan(r.predictedRating))
                    out << QStringLiteral("  predicted %1").arg(r.predictedRating, 0, 'f', 2);
                out << QStringLiteral("  %1 ratings, mean %2")
                           .arg(r.ratingsCount)
                           .arg(r.meanRating, 0, 'f', 2);
                if (!because.isEmpty()) out << "  because: " << because.join(QStringLiteral("; "));
                out << '\n';
            }
        }
        return lens::app::kOk;
    } catch (const lens::DataError& e) {
        return dataError(QString::fromStdString(e.what()));
    } catch (const std::invalid_argument& e) {
        return recommendUsageError(QString::fromStdString(e.what()));
    }
}

}  // namespace

LENS_ATLAS_COMMAND("recommend",
                   "personalised top-N movies for a persona or a user from a saved model",
                   kRecommendUsage, false, runRecommend);
