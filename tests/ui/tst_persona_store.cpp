// PersonaStore, the Qt face of the engine's persona files: the shipped presets load (all seven
// study personas, with the study's two exactly as specified and every preset id present in
// ml-latest-small with its expected title, the same list as the resource file), user personas
// round-trip through an atomically written file, and corrupt or invalid files fail with a
// DataError naming the file and the problem.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "LensAtlasApp.h"
#include "TestData.h"
#include "data/Dataset.h"
#include "io/DatasetLoader.h"
#include "io/PresetPersonas.h"
#include "rank/PersonaStore.h"
#include "util/Errors.h"

using UiPersona = lens::ui::Persona;  // not lens::Persona, the engine's file record
using UiPersonaMovie = lens::ui::PersonaMovie;
using lens::ui::PersonaStore;

namespace {

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const lens::DataError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestPersonaStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void presetsLoad() {
        const QList<UiPersona> presets = PersonaStore::presets();
        QVERIFY(presets.size() >= 7);
        for (const char* name :
             {"Lord of the Rings fan", "Toy Story fan", "Sci-Fi classics fan", "Horror fan",
              "Romance fan", "Family animation fan", "Documentary fan"}) {
            const UiPersona* p = PersonaStore::find(presets, QString::fromLatin1(name));
            QVERIFY2(p, name);
            QVERIFY(p->preset);
            QVERIFY(p->movies.size() >= 3);
            for (const auto& m : p->movies) QVERIFY(!m.title.isEmpty());
        }
        auto ids = [](const UiPersona& p) {
            QList<qint64> out;
            for (const auto& m : p.movies) {
                out << m.movieId;
                if (m.rating != 5.0) return QList<qint64>{};
            }
            return out;
        };
        QCOMPARE(ids(*PersonaStore::find(presets, "Lord of the Rings fan")),
                 (QList<qint64>{4993, 5952, 7153}));
        QCOMPARE(ids(*PersonaStore::find(presets, "toy story FAN")),
                 (QList<qint64>{1, 3114, 78499}));
        QVERIFY(!PersonaStore::find(presets, "Nobody"));
    }

    void presetsAreTheResourceFile() {
        // The engine holds the presets (the command line reads them without Qt); the resource
        // copy must say the same.
        lens::ui::initResources();
        QFile resource(QString::fromLatin1(lens::ui::kPresetPersonaResource));
        QVERIFY(resource.open(QIODevice::ReadOnly));
        const QByteArray bytes = resource.readAll();
        QCOMPARE(QByteArray::fromStdString(std::string(lens::kPresetPersonasJson)).trimmed(),
                 bytes.trimmed());
        QCOMPARE(PersonaStore::parse(bytes, "resource").size(), PersonaStore::presets().size());
    }

    void presetsResolveOnMlLatestSmall() {
        LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        const lens::Dataset d = lens::loadDataset(path.toStdString());
        for (const UiPersona& p : PersonaStore::presets()) {
            const lens::ui::ResolvedPersona r = PersonaStore::resolve(p, d);
            QVERIFY2(r.missing.isEmpty(), qPrintable(p.name + ": " + r.missingText()));
            QCOMPARE(r.ratings.size(), static_cast<std::size_t>(p.movies.size()));
            for (const UiPersonaMovie& m : p.movies) {
                const auto index = d.movieIndex(m.movieId);
                QCOMPARE(QString::fromStdString(d.titles[static_cast<std::size_t>(index)]),
                         m.title);
            }
        }
    }

    void resolveReportsMissingMovies() {
        lens::Dataset d;
        d.movieIds = {1, 2, 3};
        d.rebuildIdMaps();
        UiPersona p;
        p.name = "Mixed";
        p.movies = {{2, 4.5, "Two"}, {3114, 5, "Toy Story 2 (1999)"}, {3, 1, "Three"}};
        const lens::ui::ResolvedPersona r = PersonaStore::resolve(p, d);
        QCOMPARE(r.ratings.size(), std::size_t{2});
        QCOMPARE(r.ratings[0].movieId, std::int64_t{2});
        QCOMPARE(r.ratings[0].rating, 4.5f);
        QCOMPARE(r.missing.size(), 1);
        QCOMPARE(r.missing[0].movieId, qint64(3114));
        QVERIFY(r.missingText().contains("1 of 3 movies missing"));
        QVERIFY(r.missingText().contains("Toy Story 2 (1999) [3114]"));
    }

    void roundTrip() {
        QVERIFY(dir_.isValid());
        const QString file = dir_.filePath("personas.json");
        PersonaStore store(file);
        store.load();  // no file yet: presets only
        QVERIFY(store.userPersonas().isEmpty());
        QVERIFY(store.all().size() >= 7);
        UiPersona p;
        p.name = "Night owl";
        p.description = "Ünïcödé and \"quotes\"";
        p.movies = {{1, 0.5, "Toy Story (1995)"}, {296, 4.5, ""}, {2571, 5, "Matrix, The (1999)"}};
        store.upsert(p);
        UiPersona q;
        q.name = "Second";
        q.movies = {{50, 3.5, ""}};
        store.upsert(q);
        q.movies << UiPersonaMovie{60, 2.0, ""};
        store.upsert(q);  // replaces by name
        QCOMPARE(store.userPersonas().size(), 2);
        store.save();
        QVERIFY(QFile::exists(file));
        // No temporary file left beside it.
        QCOMPARE(QDir(dir_.path()).entryList(QDir::Files), QStringList{"personas.json"});

        PersonaStore reloaded(file);
        reloaded.load();
        QCOMPARE(reloaded.userPersonas().size(), 2);
        const UiPersona& a = reloaded.userPersonas()[0];
        QCOMPARE(a.name, p.name);
        QCOMPARE(a.description, p.description);
        QVERIFY(!a.preset);
        QCOMPARE(a.movies.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(a.movies[i].movieId, p.movies[i].movieId);
            QCOMPARE(a.movies[i].rating, p.movies[i].rating);
            QCOMPARE(a.movies[i].title, p.movies[i].title);
        }
        QCOMPARE(reloaded.userPersonas()[1].movies.size(), 2);
        QVERIFY(reloaded.remove("second"));
        QVERIFY(!reloaded.remove("second"));
        reloaded.save();
        QCOMPARE(PersonaStore::readFile(file).size(), 1);
    }

    void upsertValidates() {
        PersonaStore store(dir_.filePath("v.json"));
        store.load();
        UiPersona p;
        p.name = "Lord of the Rings fan";
        p.movies = {{1, 5, ""}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.upsert(p));  // a preset's name
        p.name = "  ";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.upsert(p));
        p.name = "ok";
        p.movies = {{1, 5.25, ""}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.upsert(p));
        p.movies = {{1, 5, ""}, {1, 4, ""}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.upsert(p));
        p.movies.clear();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.upsert(p));
        QVERIFY(store.userPersonas().isEmpty());
    }

    void corruptFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\n  \"personas\": [\n    {\"name\": \"a\"")
                                   << "broken.json:3: invalid JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << "expected a JSON object";
        QTest::newRow("no personas")
            << QByteArray("{\"version\": 1}") << "missing array \"personas\"";
        QTest::newRow("version") << QByteArray("{\"version\": 9, \"personas\": []}")
                                 << "unsupported persona file version 9";
        QTest::newRow("no name") << QByteArray(R"({"personas": [{"movies": []}]})")
                                 << "personas[0]: missing string \"name\"";
        QTest::newRow("bad id")
            << QByteArray(
                   R"({"personas": [{"name": "a", "movies": [{"movie_id": "x", "rating": 5}]}]})")
            << "personas[0] ('a').movies[0]: \"movie_id\" must be an integer";
        QTest::newRow("negative id")
            << QByteArray(
                   R"({"personas": [{"name": "a", "movies": [{"movie_id": -4, "rating": 5}]}]})")
            << "movie_id -4 is not a positive integer";
        QTest::newRow("duplicate name")
            << QByteArray(
                   R"({"personas": [{"name": "a", "movies": [{"movie_id": 1, "rating": 5}]},)"
                   R"({"name": "A", "movies": [{"movie_id": 2, "rating": 5}]}]})")
            << "personas[1]: duplicate name 'A'";
        QTest::newRow("duplicate movie")
            << QByteArray(R"({"personas": [{"name": "a", "movies": [{"movie_id": 1, "rating": 5},)"
                          R"({"movie_id": 1, "rating": 4}]}]})")
            << "movie_id 1 appears twice";
    }

    void corruptFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = dir_.filePath("broken.json");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QString error = errorOf([&] { PersonaStore::readFile(file); });
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(file), qPrintable(error));
        PersonaStore store(file);
        QVERIFY_THROWS_EXCEPTION(lens::DataError, store.load());
    }

    void unreadableFile() {
        const QString missing = dir_.filePath("nope/absent.json");
        const QString error = errorOf([&] { PersonaStore::readFile(missing); });
        QVERIFY2(error.startsWith(missing) && error.contains("cannot read"), qPrintable(error));
        const QString error2 =
            errorOf([&] { PersonaStore::writeFile(dir_.filePath("nope/x/y.json"), {}); });
        QVERIFY2(error2.contains("cannot write"), qPrintable(error2));
    }
};

QTEST_MAIN(TestPersonaStore)
#include "tst_persona_store.moc"
