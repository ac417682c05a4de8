#pragma once
// Shared bodies of the fuzz targets of the readers of our own UI files (fuzz_personas,
// fuzz_run_history) and of their replay test (tests/ui/tst_fuzz_regressions_ui): feed bytes to
// the reader exactly as the app does, then check what the app relies on afterwards.
//
// - Personas: PersonaStore::parse (the reader of the shipped presets and of the user's file).
//   Bad bytes must end in a DataError whose message starts with the file name; a document that
//   parses must come back unchanged through serialize -> parse (what the app writes, it reads)
//   and must resolve against a small release.
// - Run history: RunHistoryModel::load on a folder whose runs.json holds the bytes. Problems
//   must name the index file; every loaded row must render (all columns and roles, label());
//   and saving then loading again must give the same runs without problems (a run that loads
//   once is never lost on the next start).
// A broken property throws std::logic_error: libFuzzer reports it as a crash, the test fails.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <stdexcept>
#include <string>

#include "data/Dataset.h"
#include "rank/PersonaStore.h"
#include "train/RunHistoryModel.h"
#include "util/Errors.h"

namespace lens::fuzz {

enum class OwnFileOutcome { Loaded, Rejected };

inline void require(bool condition, const std::string& what) {
    if (!condition) throw std::logic_error(what);
}

// `release` may be null (no resolve check). `message` receives the DataError text when rejected.
inline OwnFileOutcome checkPersonaDocument(const QByteArray& bytes, const lens::Dataset* release,
                                           std::string* message = nullptr) {
    const QString fileName = QStringLiteral("fuzz-personas.json");
    QList<ui::Persona> personas;
    try {
        personas = ui::PersonaStore::parse(bytes, fileName);
    } catch (const lens::DataError& e) {
        const std::string text = e.what();
        require(text.rfind(fileName.toStdString(), 0) == 0 && text.size() < 2000,
                "persona error does not start with the file name or is unbounded: " +
                    text.substr(0, 300));
        if (message) *message = text;
        return OwnFileOutcome::Rejected;
    }
    // What the app writes for these personas, it must read back unchanged.
    const QList<ui::Persona> again =
        ui::PersonaStore::parse(ui::PersonaStore::serialize(personas), fileName);
    require(again.size() == personas.size(), "persona round trip changed the count");
    for (qsizetype i = 0; i < personas.size(); ++i) {
        const ui::Persona &a = personas[i], &b = again[i];
        require(a.name == b.name && a.description == b.description &&
                    a.movies.size() == b.movies.size(),
                "persona round trip changed persona " + std::to_string(i));
        for (qsizetype m = 0; m < a.movies.size(); ++m)
            require(a.movies[m].movieId == b.movies[m].movieId &&
                        a.movies[m].rating == b.movies[m].rating &&
                        a.movies[m].title == b.movies[m].title,
                    "persona round trip changed a movie of persona " + std::to_string(i));
        if (release) {
            const ui::ResolvedPersona resolved = ui::PersonaStore::resolve(a, *release);
            require(resolved.ratings.size() + std::size_t(resolved.missing.size()) ==
                        std::size_t(a.movies.size()),
                    "resolve lost movies");
            (void)resolved.missingText();
        }
        (void)ui::PersonaStore::toRatings(a);
    }
    return OwnFileOutcome::Loaded;
}

// Renders every cell of every row in every role the views ask for.
inline void renderRunHistory(const ui::RunHistoryModel& model) {
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            const QModelIndex index = model.index(row, column);
            for (int role :
                 {int(Qt::DisplayRole), int(ui::RunHistoryModel::SortRole), int(Qt::ToolTipRole),
                  int(Qt::TextAlignmentRole), int(ui::RunHistoryModel::RunIdRole)})
                (void)model.data(index, role);
        }
        (void)model.record(row).label();
    }
}

inline QJsonObject withoutStarted(QJsonObject o) {
    o.remove(QStringLiteral("started"));
    return o;
}

// `folder` is a scratch folder owned by the caller (reused between calls). `problems` receives
// what load() reported.
inline OwnFileOutcome checkRunHistory(const QByteArray& bytes, const QString& folder,
                                      QStringList* problems = nullptr) {
    const QString in = QDir(folder).filePath(QStringLiteral("in"));
    const QString out = QDir(folder).filePath(QStringLiteral("out"));
    QDir().mkpath(in);
    QDir(out).removeRecursively();
    {
        QFile file(QDir(in).filePath(QStringLiteral("runs.json")));
        require(file.open(QIODevice::WriteOnly | QIODevice::Truncate), "cannot write runs.json");
        require(file.write(bytes) == bytes.size(), "cannot write runs.json");
    }
    ui::RunHistoryModel model;
    model.setFolder(in);
    const QStringList found = model.load();
    for (const QString& p : found)
        require(p.startsWith(model.indexPath()) && p.size() < 4000,
                "run history problem does not name the index or is unbounded: " +
                    p.left(300).toStdString());
    if (problems) *problems = found;
    renderRunHistory(model);

    // Save and load again: the same runs, no new problems.
    model.setFolder(out);
    QString error;
    require(model.save(&error), "saving a loaded run history failed: " + error.toStdString());
    ui::RunHistoryModel reloaded;
    reloaded.setFolder(out);
    const QStringList second = reloaded.load();
    require(second.isEmpty(),
            "a saved run history does not load back: " + second.join('\n').left(300).toStdString());
    require(reloaded.runs().size() == model.runs().size(), "run history round trip lost runs");
    for (std::size_t i = 0; i < model.runs().size(); ++i) {
        const ui::RunRecord &a = model.runs()[i], &b = reloaded.runs()[i];
        const lens::SplitSpec &sa = a.spec.split, &sb = b.spec.split;
        require(sa.kind == sb.kind && sa.fraction == sb.fraction && sa.cutoff == sb.cutoff &&
                    sa.predefined == sb.predefined && sa.seed == sb.seed,
                "run history round trip changed the split of run " + a.id.left(100).toStdString());
        require(withoutStarted(a.toJson()) == withoutStarted(b.toJson()) &&
                    a.started == b.started && a.started.isValid() == b.started.isValid(),
                "run history round trip changed run " + a.id.left(100).toStdString());
    }
    return model.runs().empty() ? OwnFileOutcome::Rejected : OwnFileOutcome::Loaded;
}

}  // namespace lens::fuzz
