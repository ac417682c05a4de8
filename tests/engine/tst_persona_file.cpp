// Persona files in the engine (io/PersonaFile.h, io/PresetPersonas.h): a file written by release
// 0.1.0 (tests/engine/fixtures/personas-0.1.0.json, written by that release's Qt writer: Unicode,
// quotes, half stars, an id of 2^53, a movie without a title) loads with every value and is
// written back byte for byte; files round-trip through an atomic write; the presets and their
// command-line aliases; and bad input of every kind ends in a DataError naming the file (and the
// line of a syntax error, or the persona), never a crash.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <string>

#include "FixturePath.h"
#include "io/JsonFile.h"
#include "io/PersonaFile.h"
#include "io/PresetPersonas.h"
#include "util/Errors.h"

using namespace lens;
using lens::test::engineFixture;

namespace {

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const DataError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::string personaWithMovie(const std::string& movie) {
    return R"({"version": 1, "personas": [{"name": "p", "movies": [)" + movie + "]}]}";
}

QByteArray bytes(const std::string& s) {
    return QByteArray::fromStdString(s);
}

void writeBytes(const std::string& path, const std::string& bytes) {
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes.data(), static_cast<qint64>(bytes.size()));
}

}  // namespace

class TestPersonaFile : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

private slots:
    void loadsFilesOfRelease010() {
        const std::string file = engineFixture("personas-0.1.0.json");
        const std::vector<Persona> personas = readPersonaFile(file);
        QCOMPARE(personas.size(), std::size_t{2});
        const Persona& lotr = personas[0];
        QCOMPARE(lotr.name, std::string("Lord of the Rings fan"));
        QCOMPARE(lotr.description,
                 std::string("The three films, each rated 5 — «quoted» \"text\""));
        QCOMPARE(lotr.movies.size(), std::size_t{3});
        QCOMPARE(lotr.movies[0].movieId, std::int64_t{4993});
        QCOMPARE(lotr.movies[0].rating, 5.0);
        QCOMPARE(lotr.movies[0].title,
                 std::string("Lord of the Rings: The Fellowship of the Ring, The (2001)"));
        QCOMPARE(lotr.movies[1].rating, 4.5);
        QCOMPARE(lotr.movies[2].rating, 0.5);
        QVERIFY(lotr.movies[2].title.empty());
        const Persona& amelie = personas[1];
        QCOMPARE(amelie.name, std::string("Amélie fan ☺"));
        QVERIFY(amelie.description.empty());
        QCOMPARE(amelie.movies[1].movieId, std::int64_t{9007199254740992});  // 2^53
        QCOMPARE(amelie.movies[1].rating, 2.0);

        // What the engine writes for them is what release 0.1.0 wrote.
        QCOMPARE(serializePersonas(personas), readWholeFile(file));
        QVERIFY(findPersona(personas, "AMéLIE FAN ☺"));
        QVERIFY(!findPersona(personas, "Amelie fan"));
        const std::vector<PersonaRating> ratings = personaRatings(lotr);
        QCOMPARE(ratings.size(), std::size_t{3});
        QCOMPARE(ratings[1].movieId, std::int64_t{5952});
        QCOMPARE(ratings[1].rating, 4.5f);
    }

    void roundTripsThroughAnAtomicWrite() {
        QVERIFY(dir_.isValid());
        const std::string file = path("mine.json");
        std::vector<Persona> personas = readPersonaFile(engineFixture("personas-0.1.0.json"));
        personas.push_back({"Third", "", {{50, 3.5, ""}, {60, 1, "Sixty \\ \n tab\t"}}});
        writePersonaFile(file, personas);
        // No temporary file left beside it.
        QCOMPARE(QDir(dir_.path()).entryList(QDir::Files), QStringList{"mine.json"});
        const std::vector<Persona> again = readPersonaFile(file);
        QCOMPARE(again.size(), personas.size());
        for (std::size_t i = 0; i < personas.size(); ++i) {
            QCOMPARE(again[i].name, personas[i].name);
            QCOMPARE(again[i].description, personas[i].description);
            QCOMPARE(again[i].movies.size(), personas[i].movies.size());
            for (std::size_t m = 0; m < personas[i].movies.size(); ++m) {
                QCOMPARE(again[i].movies[m].movieId, personas[i].movies[m].movieId);
                QCOMPARE(again[i].movies[m].rating, personas[i].movies[m].rating);
                QCOMPARE(again[i].movies[m].title, personas[i].movies[m].title);
            }
        }
        // An invalid persona is not written, and the file keeps its old content.
        const std::string before = readWholeFile(file);
        personas.push_back({"Bad", "", {{7, 4.25, ""}}});
        const QString error = errorOf([&] { writePersonaFile(file, personas); });
        QVERIFY2(error.startsWith(QString::fromStdString(file)) &&
                     error.contains("not saved: movies[0]: rating 4.25 is not a half star"),
                 qPrintable(error));
        QCOMPARE(readWholeFile(file), before);
    }

    void presetsAndAliases() {
        const std::vector<Persona>& presets = presetPersonas();
        QCOMPARE(presets.size(), std::size_t{7});
        const Persona* lotr = findPersona(presets, "lord of the rings FAN");
        QVERIFY(lotr);
        QCOMPARE(lotr->movies.size(), std::size_t{3});
        QCOMPARE(lotr->movies[2].movieId, std::int64_t{7153});
        for (const Persona& p : presets) QVERIFY2(personaProblem(p).empty(), p.name.c_str());
        QCOMPARE(resolvePresetPersonaName("lotr"), std::string("Lord of the Rings fan"));
        QCOMPARE(resolvePresetPersonaName("LOTR"), std::string("Lord of the Rings fan"));
        QCOMPARE(resolvePresetPersonaName("toy-story"), std::string("Toy Story fan"));
        QCOMPARE(resolvePresetPersonaName("toy-story-fan"), std::string("Toy Story fan"));
        QCOMPARE(resolvePresetPersonaName("Horror FAN"), std::string("Horror fan"));
        QCOMPARE(resolvePresetPersonaName("sci-fi"), std::string("Sci-Fi classics fan"));
        QVERIFY(resolvePresetPersonaName("nobody").empty());
        QVERIFY(resolvePresetPersonaName("").empty());
        QVERIFY(resolvePresetPersonaName("--").empty());
    }

    void badInput_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\n  \"personas\": [\n    {\"name\": \"a\"")
                                   << "broken.json:3: invalid JSON";
        QTest::newRow("error on line 2")
            << QByteArray("{\"personas\":\n [}]}") << "broken.json:2: invalid JSON";
        QTest::newRow("empty") << QByteArray() << "broken.json:1: invalid JSON";
        QTest::newRow("NUL bytes") << QByteArray("{\"personas\": [\0\0\0]}", 19) << "invalid JSON";
        QTest::newRow("invalid UTF-8")
            << QByteArray("{\"personas\": [{\"name\": \"\xff\xfe\", \"movies\": []}]}")
            << "invalid JSON";
        QTest::newRow("deep nesting") << QByteArray(100000, '[') + QByteArray(100000, ']')
                                      << "broken.json: invalid JSON: nested more than 1024";
        QTest::newRow("NaN") << bytes(personaWithMovie(R"({"movie_id": 1, "rating": NaN})"))
                             << "invalid JSON";
        QTest::newRow("rating 1e400")
            << bytes(personaWithMovie(R"({"movie_id": 1, "rating": 1e400})"))
            << "invalid JSON: number overflow";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << "expected a JSON object";
        QTest::newRow("no personas")
            << QByteArray("{\"version\": 1}") << "missing array \"personas\"";
        QTest::newRow("version") << QByteArray("{\"version\": 9, \"personas\": []}")
                                 << "unsupported persona file version 9 (expected 1)";
        QTest::newRow("version text") << QByteArray("{\"version\": \"1\", \"personas\": []}")
                                      << "unsupported persona file version 1";
        QTest::newRow("persona not an object")
            << QByteArray(R"({"personas": [[]]})") << "personas[0]: expected an object";
        QTest::newRow("no name") << QByteArray(R"({"personas": [{"movies": []}]})")
                                 << "personas[0]: missing string \"name\"";
        QTest::newRow("no movies") << QByteArray(R"({"personas": [{"name": "a"}]})")
                                   << "personas[0] ('a'): missing array \"movies\"";
        QTest::newRow("empty movies")
            << QByteArray(R"({"personas": [{"name": "a", "movies": []}]})")
            << "personas[0]: 'a' has no movies";
        QTest::newRow("blank name") << bytes(R"({"personas": [{"name": " \t ", "movies": []}]})")
                                    << "personas[0]: name is empty";
        QTest::newRow("bad id") << bytes(personaWithMovie(R"({"movie_id": "x", "rating": 5})"))
                                << "personas[0] ('p').movies[0]: \"movie_id\" must be an integer";
        QTest::newRow("fractional id")
            << bytes(personaWithMovie(R"({"movie_id": 1.5, "rating": 5})"))
            << "\"movie_id\" must be an integer";
        QTest::newRow("id 2^53+2")
            << bytes(personaWithMovie(R"({"movie_id": 9007199254740994, "rating": 5})"))
            << "is out of range (at most 2^53)";
        QTest::newRow("id 8.6e63")
            << bytes(personaWithMovie(R"({"movie_id": 8.6e63, "rating": 5})"))
            << "is out of range (at most 2^53)";
        QTest::newRow("id 2^64") << bytes(personaWithMovie(
                                        R"({"movie_id": 18446744073709551616, "rating": 5})"))
                                 << "is out of range (at most 2^53)";
        QTest::newRow("negative id")
            << bytes(personaWithMovie(R"({"movie_id": -4, "rating": 5})"))
            << "personas[0]: movies[0]: movie_id -4 is not a positive integer";
        QTest::newRow("rating as text")
            << bytes(personaWithMovie(R"({"movie_id": 1, "rating": "5"})"))
            << "\"rating\" must be a number";
        QTest::newRow("rating 4.25")
            << bytes(personaWithMovie(R"({"movie_id": 1, "rating": 4.25})"))
            << "rating 4.25 is not a half star in 0.5-5";
        QTest::newRow("rating 0") << bytes(personaWithMovie(R"({"movie_id": 1, "rating": 0})"))
                                  << "rating 0 is not a half star";
        QTest::newRow("duplicate name")
            << QByteArray(
                   R"({"personas": [{"name": "a", "movies": [{"movie_id": 1, "rating": 5}]},)"
                   R"({"name": " A ", "movies": [{"movie_id": 2, "rating": 5}]}]})")
            << "personas[1]: duplicate name 'A'";
        QTest::newRow("duplicate movie")
            << QByteArray(R"({"personas": [{"name": "a", "movies": [{"movie_id": 1, "rating": 5},)"
                          R"({"movie_id": 1, "rating": 4}]}]})")
            << "movies[1]: movie_id 1 appears twice";
        QTest::newRow("million-character name")
            << bytes(R"({"personas": [{"name": ")" + std::string(1000000, 'x') +
                     R"(", "movies": []}]})")
            << "xxx…' has no movies";
        QTest::newRow("million-character bad token")
            << bytes("{\"personas\": " + std::string(1000000, '7') + "x}") << "invalid JSON";
    }

    void badInput() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const std::string file = path("broken.json");
        writeBytes(file, content.toStdString());
        const QString error = errorOf([&] { readPersonaFile(file); });
        QVERIFY2(error.contains(expected), qPrintable(error.left(700)));
        QVERIFY2(error.startsWith(QString::fromStdString(file)), qPrintable(error.left(700)));
        QVERIFY2(error.size() < 600, qPrintable(error.left(700)));
        // The same from memory, named as the caller says.
        const QString again = errorOf(
            [&] { parsePersonas(std::string_view(content.constData(), content.size()), "mem"); });
        QVERIFY2(again.startsWith("mem") &&
                     again.contains(QString(expected).replace("broken.json", "mem")),
                 qPrintable(again.left(700)));
    }

    void unreadableAndUnwritable() {
        const std::string missing = path("nope/absent.json");
        const QString error = errorOf([&] { readPersonaFile(missing); });
        QVERIFY2(error.startsWith(QString::fromStdString(missing)) && error.contains("cannot read"),
                 qPrintable(error));
        const QString folder = errorOf([&] { readPersonaFile(dir_.path().toStdString()); });
        QVERIFY2(folder.contains("cannot read"), qPrintable(folder));
        const QString write = errorOf([&] { writePersonaFile(path("nope/x/y.json"), {}); });
        QVERIFY2(write.contains("cannot write"), qPrintable(write));
    }
};

QTEST_GUILESS_MAIN(TestPersonaFile)
#include "tst_persona_file.moc"
