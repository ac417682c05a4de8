#include "rank/PersonaStore.h"

#include <QFile>
#include <stdexcept>

#include "StdText.h"
#include "data/Dataset.h"
#include "io/PersonaFile.h"
#include "io/PresetPersonas.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

lens::Persona toEngine(const Persona& p) {
    lens::Persona out{p.name.toStdString(), p.description.toStdString(), {}};
    out.movies.reserve(static_cast<std::size_t>(p.movies.size()));
    for (const PersonaMovie& m : p.movies)
        out.movies.push_back({m.movieId, m.rating, m.title.toStdString()});
    return out;
}

std::vector<lens::Persona> toEngine(const QList<Persona>& personas) {
    std::vector<lens::Persona> out;
    out.reserve(static_cast<std::size_t>(personas.size()));
    for (const Persona& p : personas) out.push_back(toEngine(p));
    return out;
}

QList<Persona> fromEngine(const std::vector<lens::Persona>& personas, bool preset = false) {
    QList<Persona> out;
    out.reserve(static_cast<qsizetype>(personas.size()));
    for (const lens::Persona& p : personas) {
        Persona q{text(p.name), text(p.description), {}, preset};
        q.movies.reserve(static_cast<qsizetype>(p.movies.size()));
        for (const lens::PersonaMovie& m : p.movies)
            q.movies << PersonaMovie{m.movieId, m.rating, text(m.title)};
        out << q;
    }
    return out;
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
    return fromEngine(lens::parsePersonas(std::string_view(json.constData(), json.size()),
                                          fileName.toStdString()));
}

QByteArray PersonaStore::serialize(const QList<Persona>& personas) {
    return QByteArray::fromStdString(lens::serializePersonas(toEngine(personas)));
}

QList<Persona> PersonaStore::presets() {
    return fromEngine(lens::presetPersonas(), /*preset=*/true);
}

QList<Persona> PersonaStore::readFile(const QString& path) {
    return fromEngine(lens::readPersonaFile(QFile::encodeName(path).toStdString()));
}

void PersonaStore::writeFile(const QString& path, const QList<Persona>& personas) {
    lens::writePersonaFile(QFile::encodeName(path).toStdString(), toEngine(personas));
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
    return lens::personaRatings(toEngine(persona));
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
    if (const std::string problem = lens::personaProblem(toEngine(p)); !problem.empty())
        throw std::invalid_argument(problem);
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
