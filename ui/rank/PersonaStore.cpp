#include "rank/PersonaStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>
#include <QSet>
#include <cmath>
#include <stdexcept>

#include "LensAtlasApp.h"
#include "data/Dataset.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

[[noreturn]] void fail(const QString& file, std::size_t line, const QString& problem) {
    throw lens::DataError(file.toStdString(), line, problem.toStdString());
}

std::size_t lineOfOffset(const QByteArray& bytes, int offset) {
    std::size_t line = 1;
    for (int i = 0; i < offset && i < bytes.size(); ++i)
        if (bytes[i] == '\n') ++line;
    return line;
}

// JSON numbers are doubles: integers beyond 2^53 are not exact, and a cast of a larger value
// to qint64 is undefined (found by tests/fuzz/fuzz_personas: "movie_id": 8.6e63).
constexpr double kMaxExactJsonInteger = 9007199254740992.0;  // 2^53

// A name as errors quote it: at most 80 characters, so a runaway name keeps messages short.
QString quotedName(const QString& name) {
    constexpr qsizetype kMax = 80;
    return name.size() <= kMax ? name : name.left(kMax) + QStringLiteral("…");
}

bool isHalfStar(double r) {
    return r >= 0.5 && r <= 5.0 && std::fabs(r * 2.0 - std::round(r * 2.0)) < 1e-9;
}

// Checks a persona as the user or the file gives it; returns the problem or an empty string.
QString validationProblem(const Persona& p) {
    if (p.name.trimmed().isEmpty()) return QStringLiteral("name is empty");
    if (p.movies.isEmpty()) return QStringLiteral("'%1' has no movies").arg(quotedName(p.name));
    QSet<qint64> seen;
    for (int m = 0; m < p.movies.size(); ++m) {
        const PersonaMovie& movie = p.movies[m];
        if (movie.movieId <= 0)
            return QStringLiteral("movies[%1]: movie_id %2 is not a positive integer")
                .arg(m)
                .arg(movie.movieId);
        if (!isHalfStar(movie.rating))
            return QStringLiteral("movies[%1]: rating %2 is not a half star in 0.5-5")
                .arg(m)
                .arg(movie.rating);
        if (seen.contains(movie.movieId))
            return QStringLiteral("movies[%1]: movie_id %2 appears twice")
                .arg(m)
                .arg(movie.movieId);
        seen.insert(movie.movieId);
    }
    return {};
}

}  // namespace

QString ResolvedPersona::missingText() const {
    if (missing.isEmpty()) return {};
    QStringList names;
    for (const auto& m : missing)
        names << (m.title.isEmpty() ? QStringLiteral("[%1]").arg(m.movieId)
                                    : QStringLiteral("%1 [%2]").arg(m.title).arg(m.movieId));
    const qsizetype total = missing.size() + static_cast<qsizetype>(ratings.size());
    return QStringLiteral("%1 of %2 movies missing from this release: %3")
        .arg(missing.size())
        .arg(total)
        .arg(names.join(QStringLiteral(", ")));
}

QList<Persona> PersonaStore::parse(const QByteArray& json, const QString& fileName) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        fail(fileName, lineOfOffset(json, error.offset),
             QStringLiteral("invalid JSON: %1").arg(error.errorString()));
    if (!doc.isObject()) fail(fileName, 0, QStringLiteral("expected a JSON object at the top"));
    const QJsonObject root = doc.object();
    if (root.contains("version") && root.value("version").toInt(-1) != 1)
        fail(fileName, 0,
             QStringLiteral("unsupported persona file version %1 (expected 1)")
                 .arg(quotedName(root.value("version").toVariant().toString())));
    if (!root.value("personas").isArray())
        fail(fileName, 0, QStringLiteral("missing array \"personas\""));
    const QJsonArray array = root.value("personas").toArray();
    QList<Persona> personas;
    QSet<QString> names;
    for (int i = 0; i < array.size(); ++i) {
        const QString where = QStringLiteral("personas[%1]").arg(i);
        if (!array[i].isObject()) fail(fileName, 0, where + QStringLiteral(": expected an object"));
        const QJsonObject o = array[i].toObject();
        Persona p;
        if (!o.value("name").isString())
            fail(fileName, 0, where + QStringLiteral(": missing string \"name\""));
        p.name = o.value("name").toString().trimmed();
        p.description = o.value("description").toString();
        if (!o.value("movies").isArray())
            fail(fileName, 0,
                 where +
                     QStringLiteral(" ('%1'): missing array \"movies\"").arg(quotedName(p.name)));
        const QJsonArray movies = o.value("movies").toArray();
        for (int m = 0; m < movies.size(); ++m) {
            const QString at =
                QStringLiteral("%1 ('%2').movies[%3]").arg(where, quotedName(p.name)).arg(m);
            if (!movies[m].isObject())
                fail(fileName, 0, at + QStringLiteral(": expected an object"));
            const QJsonObject mo = movies[m].toObject();
            const QJsonValue id = mo.value("movie_id"), rating = mo.value("rating");
            const double idValue = id.toDouble();
            if (!id.isDouble() || idValue != std::floor(idValue))
                fail(fileName, 0, at + QStringLiteral(": \"movie_id\" must be an integer"));
            if (std::fabs(idValue) > kMaxExactJsonInteger)
                fail(fileName, 0,
                     at + QStringLiteral(": \"movie_id\" %1 is out of range (at most 2^53)")
                              .arg(idValue, 0, 'g', 17));
            if (!rating.isDouble())
                fail(fileName, 0, at + QStringLiteral(": \"rating\" must be a number"));
            PersonaMovie movie;
            movie.movieId = static_cast<qint64>(id.toDouble());
            movie.rating = rating.toDouble();
            movie.title = mo.value("title").toString();
            p.movies << movie;
        }
        if (const QString problem = validationProblem(p); !problem.isEmpty())
            fail(fileName, 0, where + QStringLiteral(": ") + problem);
        if (names.contains(p.name.toCaseFolded()))
            fail(fileName, 0,
                 where + QStringLiteral(": duplicate name '%1'").arg(quotedName(p.name)));
        names.insert(p.name.toCaseFolded());
        personas << p;
    }
    return personas;
}

QByteArray PersonaStore::serialize(const QList<Persona>& personas) {
    QJsonArray array;
    for (const Persona& p : personas) {
        QJsonObject o;
        o["name"] = p.name;
        if (!p.description.isEmpty()) o["description"] = p.description;
        QJsonArray movies;
        for (const PersonaMovie& m : p.movies) {
            QJsonObject mo;
            mo["movie_id"] = m.movieId;
            mo["rating"] = m.rating;
            if (!m.title.isEmpty()) mo["title"] = m.title;
            movies.append(mo);
        }
        o["movies"] = movies;
        array.append(o);
    }
    QJsonObject root;
    root["version"] = 1;
    root["personas"] = array;
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QList<Persona> PersonaStore::presets() {
    initResources();  // the static library's resources are not registered automatically
    QList<Persona> personas = readFile(QString::fromLatin1(kPresetPersonaResource));
    for (Persona& p : personas) p.preset = true;
    return personas;
}

QList<Persona> PersonaStore::readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        fail(path, 0, QStringLiteral("cannot read: %1").arg(file.errorString()));
    return parse(file.readAll(), path);
}

void PersonaStore::writeFile(const QString& path, const QList<Persona>& personas) {
    for (const Persona& p : personas)
        if (const QString problem = validationProblem(p); !problem.isEmpty())
            fail(path, 0, QStringLiteral("not saved: ") + problem);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        fail(path, 0, QStringLiteral("cannot write: %1").arg(file.errorString()));
    const QByteArray bytes = serialize(personas);
    if (file.write(bytes) != bytes.size() || !file.commit())
        fail(path, 0, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

const Persona* PersonaStore::find(const QList<Persona>& personas, const QString& name) {
    for (const Persona& p : personas)
        if (p.name == name) return &p;
    for (const Persona& p : personas)
        if (p.name.compare(name, Qt::CaseInsensitive) == 0) return &p;
    return nullptr;
}

ResolvedPersona PersonaStore::resolve(const Persona& persona, const lens::Dataset& dataset) {
    ResolvedPersona r;
    for (const PersonaMovie& m : persona.movies) {
        if (dataset.movieIndex(m.movieId) < 0)
            r.missing << m;
        else
            r.ratings.push_back({m.movieId, static_cast<float>(m.rating)});
    }
    return r;
}

std::vector<lens::PersonaRating> PersonaStore::toRatings(const Persona& persona) {
    std::vector<lens::PersonaRating> ratings;
    for (const PersonaMovie& m : persona.movies)
        ratings.push_back({m.movieId, static_cast<float>(m.rating)});
    return ratings;
}

void PersonaStore::load() {
    presets_ = presets();
    user_.clear();
    if (!userFile_.isEmpty() && QFile::exists(userFile_)) user_ = readFile(userFile_);
}

void PersonaStore::save() const {
    if (userFile_.isEmpty()) throw std::invalid_argument("no persona file set");
    writeFile(userFile_, user_);
}

void PersonaStore::upsert(const Persona& persona) {
    Persona p = persona;
    p.name = p.name.trimmed();
    p.preset = false;
    if (const QString problem = validationProblem(p); !problem.isEmpty())
        throw std::invalid_argument(problem.toStdString());
    for (const Persona& preset : presets_)
        if (preset.name.compare(p.name, Qt::CaseInsensitive) == 0)
            throw std::invalid_argument("'" + p.name.toStdString() +
                                        "' is the name of a preset persona");
    for (Persona& existing : user_) {
        if (existing.name.compare(p.name, Qt::CaseInsensitive) == 0) {
            existing = p;
            return;
        }
    }
    user_ << p;
}

bool PersonaStore::remove(const QString& name) {
    for (qsizetype i = 0; i < user_.size(); ++i) {
        if (user_[i].name.compare(name, Qt::CaseInsensitive) == 0) {
            user_.removeAt(i);
            return true;
        }
    }
    return false;
}

}  // namespace lens::ui
