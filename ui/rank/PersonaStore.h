#pragma once
// Personas of the Rank panel in Qt types: the presets shipped with the application and the
// user's own personas in a JSON file of the same format. A thin layer over the engine's persona
// files (engine/io/PersonaFile.h: the format, validation and its errors; engine/io/
// PresetPersonas.h: the presets), which the command line and the fuzz targets use directly.
// Reading throws lens::DataError "file:line: what is wrong"; writing is atomic (temp file +
// rename), so a crash never leaves half a file. Names are looked up case-insensitively (Unicode
// here; ASCII letters in the engine's duplicate check).
#include <QList>
#include <QString>
#include <vector>

#include "ranking/TopNRanker.h"

namespace lens {
class Dataset;
}

namespace lens::ui {

// The presets as a resource file (tests/fuzz/make_fuzz_seeds writes it into the seed corpus).
// The application reads the engine's list (lens::presetPersonas()), which holds the same text.
inline constexpr const char* kPresetPersonaResource = ":/personas/personas.json";

struct PersonaMovie {
    qint64 movieId = 0;
    double rating = 5.0;  // 0.5..5, half stars
    QString title;        // expected title; may be empty in user files
};

struct Persona {
    QString name;
    QString description;
    QList<PersonaMovie> movies;
    bool preset = false;  // true: a shipped preset (read-only in the panel)
};

// A persona matched against a loaded release.
struct ResolvedPersona {
    std::vector<lens::PersonaRating> ratings;  // the movies present in the dataset
    QList<PersonaMovie> missing;               // movies the release does not hold
    QString missingText() const;  // "2 of 3 movies missing: Toy Story 3 (2010) [78499], ..."
};

class PersonaStore {
public:
    // Parses and validates a document; `fileName` names the source in errors.
    // Throws lens::DataError.
    static QList<Persona> parse(const QByteArray& json, const QString& fileName);
    static QByteArray serialize(const QList<Persona>& personas);

    // The shipped presets (marked preset = true), from lens::presetPersonas().
    static QList<Persona> presets();
    // Reads a user persona file; throws lens::DataError naming the file (unreadable, bad JSON
    // with line, invalid content).
    static QList<Persona> readFile(const QString& path);
    // Writes atomically (temp file + rename); throws lens::DataError naming the file on failure.
    static void writeFile(const QString& path, const QList<Persona>& personas);

    // By exact name, then case-insensitively; null when absent.
    static const Persona* find(const QList<Persona>& personas, const QString& name);

    static ResolvedPersona resolve(const Persona& persona, const lens::Dataset& dataset);
    static std::vector<lens::PersonaRating> toRatings(const Persona& persona);  // no check

    // A store instance: presets plus the user's personas in `userFile` (may not exist yet).
    PersonaStore() = default;
    explicit PersonaStore(QString userFile) : userFile_(std::move(userFile)) {}
    void load();        // presets + user file (absent file: no user personas); throws DataError
    void save() const;  // writes the user personas to userFile(); throws DataError
    QList<Persona> all() const { return presets_ + user_; }
    const QList<Persona>& presetPersonas() const { return presets_; }
    const QList<Persona>& userPersonas() const { return user_; }
    // Adds or replaces a user persona by name; throws std::invalid_argument for an empty name,
    // a preset's name, or a persona failing validation.
    void upsert(const Persona& persona);
    bool remove(const QString& name);  // user personas only; false when absent
    const QString& userFile() const { return userFile_; }
    void setUserFile(const QString& file) { userFile_ = file; }

private:
    QString userFile_;
    QList<Persona> presets_;
    QList<Persona> user_;
};

}  // namespace lens::ui
