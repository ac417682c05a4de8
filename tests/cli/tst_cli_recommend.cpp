// `lens-atlas recommend` end to end: a model trained and saved with `lens-atlas train --save` on a
// synthetic release written by the test, then top-N lists for a persona file, a preset (whose
// MovieLens ids are mostly absent from the synthetic release: reported as missing) and an
// existing user; JSON keys and constraints (N, minimum ratings, rated movies excluded, genres,
// because ids among the persona's movies); exit codes for bad usage and bad data (a corrupt or
// invalid persona file -> 3 naming the file). On ml-latest-small (when present) the Lord of the
// Rings fan gets no Lord of the Rings film back and a Fantasy/Adventure-heavy list.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include "TestData.h"
#include "data/Genre.h"
#include "io/DatasetLoader.h"

class TestCliRecommend : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_, model_, personaFile_;
    QList<qint64> personaIds_;

    using Result = lens::test::CliRun;
    Result run(const QString& command, const QStringList& args) {
        return lens::test::runLensAtlas(QStringList{command} + args, 180'000,
                                        lens::test::passiveOpenMpEnvironment());
    }
    QString writeFile(const QString& name, const QByteArray& bytes) {
        const QString path = dir_.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) return {};
        f.write(bytes);
        return path;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 20000);
        model_ = dir_.filePath("als.lmodel");
        const Result r = run("train", {release_, "--model", "als", "--k", "8", "--iterations", "5",
                                       "--save", model_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFile::exists(model_));
        // A persona of three well-rated synthetic movies.
        const lens::Dataset d = lens::loadDataset(release_.toStdString());
        std::vector<std::uint32_t> byCount(d.movieCount());
        for (std::uint32_t i = 0; i < byCount.size(); ++i) byCount[i] = i;
        std::sort(byCount.begin(), byCount.end(),
                  [&](auto a, auto b) { return d.byMovie.rowSize(a) > d.byMovie.rowSize(b); });
        for (int j = 0; j < 3; ++j) personaIds_ << d.movieIds[byCount[static_cast<std::size_t>(j)]];
        const QByteArray json = QStringLiteral(
                                    R"({"version": 1, "personas": [{"name": "Synthetic fan",
            "movies": [{"movie_id": %1, "rating": 5}, {"movie_id": %2, "rating": 4.5},
                       {"movie_id": %3, "rating": 5}, {"movie_id": 99999999, "rating": 3,
                        "title": "Not in any release"}]}]})")
                                    .arg(personaIds_[0])
                                    .arg(personaIds_[1])
                                    .arg(personaIds_[2])
                                    .toUtf8();
        personaFile_ = writeFile("personas.json", json);
        QVERIFY(!personaFile_.isEmpty());
    }

    void personaFileJson() {
        const Result r =
            run("recommend", {release_, "--model", model_, "--persona-file", personaFile_, "--n",
                              "7", "--min-ratings", "20", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["persona"].toString(), QString("Synthetic fan"));
        QCOMPARE(o["model"].toString(), QString("als"));
        QCOMPARE(o["scoring"].toString(), QString("variant"));
        const QJsonArray items = o["items"].toArray();
        QCOMPARE(items.size(), 7);
        QSet<qint64> persona(personaIds_.begin(), personaIds_.end());
        double previous = 1e30;
        for (int i = 0; i < items.size(); ++i) {
            const QJsonObject it = items[i].toObject();
            for (const char* key : {"rank", "movie_id", "title", "year", "genres", "score",
                                    "predicted_rating", "ratings_count", "because"})
                QVERIFY2(it.contains(key), key);
            QCOMPARE(it["rank"].toInt(), i + 1);
            QVERIFY(!persona.contains(it["movie_id"].toInteger()));  // rated movies excluded
            QVERIFY(it["ratings_count"].toInt() >= 20);
            QVERIFY(!it["title"].toString().isEmpty());
            QVERIFY(it["genres"].isArray());
            const double p = it["predicted_rating"].toDouble();
            QVERIFY(p >= 0.5 && p <= 5.0);
            QVERIFY(it["score"].toDouble() <= previous);
            previous = it["score"].toDouble();
            for (const auto& b : it["because"].toArray()) QVERIFY(persona.contains(b.toInteger()));
        }
        const QJsonArray missing = o["missing"].toArray();
        QCOMPARE(missing.size(), 1);
        QCOMPARE(missing[0].toObject()["movie_id"].toInteger(), qint64(99999999));
        QCOMPARE(missing[0].toObject()["title"].toString(), QString("Not in any release"));
    }

    void genresAndUser() {
        const Result r =
            run("recommend", {release_, "--model", model_, "--user", "1", "--min-ratings", "0",
                              "--include-genres", "Comedy|Drama", "--exclude-genres", "Horror",
                              "--scoring", "predicted", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["user_id"].toInteger(), qint64(1));
        const QJsonArray items = o["items"].toArray();
        QCOMPARE(items.size(), 10);
        const QSet<qint64> used = [&] {
            QSet<qint64> s;
            for (const auto& v : o["used"].toArray()) s.insert(v.toInteger());
            return s;
        }();
        QVERIFY(!used.isEmpty());
        for (const auto& v : items) {
            const QJsonObject it = v.toObject();
            QStringList genres;
            for (const auto& g : it["genres"].toArray()) genres << g.toString();
            QVERIFY(genres.contains("Comedy") || genres.contains("Drama"));
            QVERIFY(!genres.contains("Horror"));
            QVERIFY(!used.contains(it["movie_id"].toInteger()));
        }
    }

    void presetWithMissingMoviesText() {
        // The synthetic release holds movie 1 but not 3114 or 78499.
        const Result r = run("recommend", {release_, "--model", model_, "--persona",
                                           "Toy Story fan", "--min-ratings", "0"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("Toy Story 2 (1999) [3114]"));
        QVERIFY(r.err.contains("Toy Story 3 (2010) [78499]"));
        QVERIFY(r.out.contains("Top 10 for Toy Story fan"));
        QVERIFY(r.out.contains(" 1. "));
        QVERIFY(r.out.contains("10. "));
    }

    void badPersonaFileIsBadData_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << QByteArray("{\n \"personas\": [\n {\"name\": \"x\",,}]}")
                                << "bad.json:3: invalid JSON";
        QTest::newRow("rating") << QByteArray(R"({"personas": [{"name": "x", "movies": )"
                                              R"([{"movie_id": 1, "rating": 7}]}]})")
                                << "rating 7 is not a half star in 0.5-5";
        QTest::newRow("no movies")
            << QByteArray(R"({"personas": [{"name": "x", "movies": []}]})") << "'x' has no movies";
    }

    void badPersonaFileIsBadData() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = writeFile("bad.json", content);
        const Result r =
            run("recommend", {release_, "--model", model_, "--persona-file", file, "--json"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QVERIFY(r.err.contains("bad.json"));
        QVERIFY(r.out.isEmpty());
    }

    void usageAndDataErrors() {
        QCOMPARE(run("recommend", {release_, "--model", model_}).exitCode, 2);  // no persona
        QCOMPARE(run("recommend", {release_, "--persona", "Toy Story fan"}).exitCode, 2);
        QCOMPARE(run("recommend", {release_, "--model", model_, "--persona", "Nobody"}).exitCode,
                 2);
        QCOMPARE(
            run("recommend", {release_, "--model", model_, "--user", "1", "--n", "0"}).exitCode, 2);
        QCOMPARE(run("recommend",
                     {release_, "--model", model_, "--user", "1", "--include-genres", "Noir-ish"})
                     .exitCode,
                 2);
        QCOMPARE(run("recommend", {release_, "--model", model_, "--user", "123456789"}).exitCode,
                 2);
        const QString garbage = writeFile("garbage.lmodel", "not a model");
        const Result r = run("recommend", {release_, "--model", garbage, "--user", "1"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("garbage.lmodel"));
    }

    void lordOfTheRingsOnMlLatestSmall() {
        LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        const QString model = dir_.filePath("small-als.lmodel");
        const Result t =
            run("train", {path, "--model", "als", "--iterations", "8", "--save", model});
        QVERIFY2(t.exitCode == 0, t.err.constData());
        const Result r = run(
            "recommend", {path, "--model", model, "--persona", "Lord of the Rings fan", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonArray items = o["items"].toArray();
        QCOMPARE(items.size(), 10);
        QVERIFY(o["missing"].toArray().isEmpty());
        int fantasyOrAdventure = 0;
        for (const auto& v : items) {
            const QJsonObject it = v.toObject();
            QVERIFY(!QSet<qint64>({4993, 5952, 7153}).contains(it["movie_id"].toInteger()));
            QVERIFY(it["ratings_count"].toInt() >= 100);
            QStringList genres;
            for (const auto& g : it["genres"].toArray()) genres << g.toString();
            fantasyOrAdventure += genres.contains("Fantasy") || genres.contains("Adventure");
            for (const auto& b : it["because"].toArray())
                QVERIFY(QSet<qint64>({4993, 5952, 7153}).contains(b.toInteger()));
        }
        qInfo("LOTR fan via the command line: %d of 10 Fantasy or Adventure", fantasyOrAdventure);
        QVERIFY(fantasyOrAdventure >= 5);
        // The presets answer to their slug and short alias too, as in `report --personas`.
        for (const char* alias : {"lotr", "lord-of-the-rings-fan", "LORD OF THE RINGS FAN"}) {
            const Result a =
                run("recommend", {path, "--model", model, "--persona", alias, "--json"});
            QVERIFY2(a.exitCode == 0, a.err.constData());
            QCOMPARE(QJsonDocument::fromJson(a.out).object()["items"], o["items"]);
        }
    }

    // `demo` (the built-in synthetic dataset) works as PATH in train and recommend alike.
    void demoDataset() {
        const QString model = dir_.filePath("demo-als.lmodel");
        const Result t =
            run("train", {"demo", "--model", "als", "--iterations", "3", "--save", model});
        QVERIFY2(t.exitCode == 0, t.err.constData());
        const Result r = run("recommend", {"demo", "--model", model, "--user", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["dataset"].toString(), QStringLiteral("synthetic-42"));
        QCOMPARE(o["items"].toArray().size(), 10);
    }
};

QTEST_GUILESS_MAIN(TestCliRecommend)
#include "tst_cli_recommend.moc"
