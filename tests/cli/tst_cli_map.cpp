// `lens-atlas map` end to end: a synthetic release written by the test, a genre-prior ALS and a
// plain ALS trained and saved with `lens-atlas train ... --save`, then the map as JSON (keys, one
// entry per genre with movies, explained variance), the planted related genres among the nearest,
// --out files (PNG + SVG of the three figures, not blank), --colour (what the movie map's colour
// means, in the JSON, the files and their legends) and the exit codes of bad usage and data.
#include <QFile>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include "CliTestSupport.h"

#include "data/Genre.h"
#include "synth/SyntheticGenerator.h"

class TestCliMap : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_, genreModel_, alsModel_;

    using Result = lens::test::CliRun;
    Result run(const QStringList& args) {
        QProcessEnvironment env = lens::test::passiveOpenMpEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        return lens::test::runLensAtlas(args, 180'000, env);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 60000);
        genreModel_ = dir_.filePath("genre.latm");
        alsModel_ = dir_.filePath("als.latm");
        Result r = run({"train", release_, "--model", "als-genre", "--k", "16", "--iterations", "8",
                        "--save", genreModel_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run({"train", release_, "--model", "als", "--k", "8", "--iterations", "3", "--save",
                 alsModel_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void thetaJson() {
        const Result r = run({"map", release_, "--model", genreModel_, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        for (const char* key : {"genres", "explained_variance", "source", "method", "movies"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["source"].toString(), QStringLiteral("theta"));  // default for genre-prior
        QCOMPARE(o["method"].toString(), QStringLiteral("pca"));
        const QJsonArray variance = o["explained_variance"].toArray();
        QCOMPARE(variance.size(), 2);
        QVERIFY(variance[0].toDouble() >= variance[1].toDouble());
        QVERIFY(variance[1].toDouble() > 0.0);
        QVERIFY(variance[0].toDouble() + variance[1].toDouble() <= 1.0 + 1e-9);

        const QJsonArray genres = o["genres"].toArray();
        QVERIFY(genres.size() >= 15 && genres.size() <= lens::kGenreCount);
        QMap<QString, QStringList> nearest;
        for (const QJsonValue& g : genres) {
            const QJsonObject genre = g.toObject();
            for (const char* key : {"name", "x", "y", "movies", "nearest"})
                QVERIFY2(genre.contains(key), key);
            QVERIFY(lens::genreIdFromName(genre["name"].toString().toStdString()).has_value());
            QVERIFY(genre["movies"].toInt() > 0);
            QVERIFY(std::isfinite(genre["x"].toDouble()) && std::isfinite(genre["y"].toDouble()));
            QStringList names;
            for (const QJsonValue& n : genre["nearest"].toArray()) names << n.toString();
            QCOMPARE(names.size(), 3);
            QVERIFY(!names.contains(genre["name"].toString()));
            nearest[genre["name"].toString()] = names;
        }
        // Most planted related pairs are among each other's 3 nearest genres.
        int found = 0, pairs = 0;
        for (const auto& [a, b] : lens::plantedRelatedGenres()) {
            const QString qa = QString::fromStdString(a), qb = QString::fromStdString(b);
            ++pairs;
            found += nearest[qa].contains(qb) || nearest[qb].contains(qa);
        }
        QVERIFY2(4 * found >= 3 * pairs,
                 qPrintable(QStringLiteral("%1 of %2").arg(found).arg(pairs)));
    }

    void centroidsAndMoviesSources_data() {
        QTest::addColumn<QString>("source");
        QTest::newRow("centroids") << "centroids";
        QTest::newRow("centroids-weighted") << "centroids-weighted";
        QTest::newRow("movies") << "movies";
    }

    void centroidsAndMoviesSources() {
        QFETCH(QString, source);
        const Result r = run({"map", release_, "--model", alsModel_, "--source", source, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["source"].toString(), source);
        QVERIFY(o["genres"].toArray().size() >= 15);
        QCOMPARE(o["explained_variance"].toArray().size(), 2);
    }

    void tsneHasNoExplainedVariance() {
        const Result r = run({"map", release_, "--model", genreModel_, "--method", "tsne",
                              "--iterations", "250", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["method"].toString(), QStringLiteral("tsne"));
        QVERIFY(o["explained_variance"].isNull());
        QVERIFY(o["genres"].toArray().size() >= 15);
    }

    void outWritesFigures() {
        const QString out = dir_.filePath("figures");
        const Result r = run({"map", release_, "--model", genreModel_, "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("explained variance"));
        for (const char* stem : {"genre-map", "genre-similarity", "movie-map"}) {
            const QString png = QStringLiteral("%1/%2.png").arg(out, stem);
            const QString svg = QStringLiteral("%1/%2.svg").arg(out, stem);
            QVERIFY2(QFile::exists(png), qPrintable(png));
            QVERIFY2(QFile::exists(svg), qPrintable(svg));
            const QImage image(png);
            QVERIFY(!image.isNull());
            QVERIFY(image.width() > 1000);  // 300 dpi
            // Not blank: many distinct colours (points, labels, heat map cells).
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
            QVERIFY2(colours.size() >= 10, stem);
            QFile file(svg);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            QVERIFY(text.contains("<svg"));
            QVERIFY(text.size() > 5000);
        }
        QFile svg(out + "/genre-map.svg");
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("of variance"));  // axis titles carry the explained variance
        QVERIFY(text.contains("Fantasy"));      // genre labels
    }

    // --out also writes both maps' 2D coordinates as CSV (RFC 4180, read back here by a parser
    // of its own): the genre rows are the JSON's positions, the movie rows every movie of the
    // release once, and a PCA layout is centred (mean x and y ~ 0).
    void outWritesCoordinates() {
        const QString out = dir_.filePath("coordinates");
        Result r = run({"map", release_, "--model", genreModel_, "--out", out, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray genres = QJsonDocument::fromJson(r.out).object()["genres"].toArray();
        const auto rows = [](const QString& path) {
            QFile f(path);
            QList<QStringList> table;
            if (!f.open(QIODevice::ReadOnly)) return table;
            const QString text = QString::fromUtf8(f.readAll());
            QStringList row;
            QString field;
            bool quoted = false;
            for (qsizetype i = 0; i < text.size(); ++i) {
                const QChar c = text[i];
                if (quoted) {
                    if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        ++i;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field += c;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row << field;
                    field.clear();
                } else if (c == '\n') {
                    row << field;
                    table << row;
                    row.clear();
                    field.clear();
                } else {
                    field += c;
                }
            }
            return table;
        };
        const QList<QStringList> genreRows = rows(out + "/genre-map.csv");
        QCOMPARE(genreRows.value(0), (QStringList{"genre", "movies", "x", "y"}));
        QCOMPARE(genreRows.size(), genres.size() + 1);
        for (qsizetype g = 0; g < genres.size(); ++g) {
            const QJsonObject o = genres[g].toObject();
            QCOMPARE(genreRows[g + 1][0], o["name"].toString());
            QCOMPARE(genreRows[g + 1][1].toInt(), o["movies"].toInt());
            QVERIFY(std::abs(genreRows[g + 1][2].toDouble() - o["x"].toDouble()) < 1e-6);
            QVERIFY(std::abs(genreRows[g + 1][3].toDouble() - o["y"].toDouble()) < 1e-6);
        }
        const QList<QStringList> movieRows = rows(out + "/movie-map.csv");
        QCOMPARE(movieRows.value(0), (QStringList{"movie_id", "title", "year", "genres", "ratings",
                                                  "mean_rating", "x", "y"}));
        QSet<QString> releaseIds;
        QFile movies(release_ + "/movies.csv");
        QVERIFY(movies.open(QIODevice::ReadOnly));
        movies.readLine();
        while (!movies.atEnd()) {
            const QString line = QString::fromUtf8(movies.readLine()).trimmed();
            if (!line.isEmpty()) releaseIds.insert(line.section(',', 0, 0));
        }
        QSet<QString> mapIds;
        double sumX = 0, sumY = 0, spread = 0;
        for (qsizetype m = 1; m < movieRows.size(); ++m) {
            QCOMPARE(movieRows[m].size(), qsizetype{8});
            mapIds.insert(movieRows[m][0]);
            sumX += movieRows[m][6].toDouble();
            sumY += movieRows[m][7].toDouble();
            spread += std::abs(movieRows[m][6].toDouble());
        }
        QCOMPARE(movieRows.size() - 1, releaseIds.size());
        QCOMPARE(mapIds, releaseIds);
        QVERIFY(spread > 0);
        QVERIFY2(std::abs(sumX) < 1e-3 * spread && std::abs(sumY) < 1e-3 * spread,
                 qPrintable(QString("%1 %2 of %3").arg(sumX).arg(sumY).arg(spread)));
    }

    void colourOption() {
        // JSON says what the movie map's colour means; the default is the most frequent genre.
        Result r = run({"map", release_, "--model", alsModel_, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QString colour = QJsonDocument::fromJson(r.out).object()["colour"].toString();
        QVERIFY2(colour.startsWith("genre:") && colour.size() > 6, qPrintable(colour));
        r = run({"map", release_, "--model", alsModel_, "--json", "--colour", "genre:comedy"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["colour"].toString(),
                 QStringLiteral("genre:Comedy"));
        r = run({"map", release_, "--model", alsModel_, "--json", "--colour", "year"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["colour"].toString(),
                 QStringLiteral("year"));
        // The movie map files differ by colouring and their legends name it.
        QHash<QString, QByteArray> pngs;
        for (const QString& choice : {QStringLiteral("genre:Drama"), QStringLiteral("popularity"),
                                      QStringLiteral("rating"), QStringLiteral("year")}) {
            const QString out = dir_.filePath("colour-" + QString(choice).replace(':', '-'));
            r = run({"map", release_, "--model", alsModel_, "--colour", choice, "--out", out});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY(r.err.contains("movie map colour: " + choice.toUtf8()));
            QFile svg(out + "/movie-map.svg");
            QVERIFY(svg.open(QIODevice::ReadOnly));
            const QByteArray text = svg.readAll();
            const char* title = choice == "genre:Drama"  ? "Colour: Drama"
                                : choice == "popularity" ? "Colour: popularity"
                                : choice == "rating"     ? "Colour: mean rating"
                                                         : "Colour: release year";
            QVERIFY2(text.contains(title), title);
            QFile png(out + "/movie-map.png");
            QVERIFY(png.open(QIODevice::ReadOnly));
            pngs.insert(choice, png.readAll());
        }
        QCOMPARE(QSet<QByteArray>(pngs.begin(), pngs.end()).size(), 4);
        // Bad choices are usage errors naming the option.
        for (const char* bad : {"genre:Nope", "colourful", "genre:"}) {
            r = run({"map", release_, "--model", alsModel_, "--colour", bad});
            QCOMPARE(r.exitCode, 2);
            QVERIFY(r.err.contains("--colour"));
        }
    }

    void badUsageAndData() {
        QCOMPARE(run({"map", release_}).exitCode, 2);                // no --model
        QCOMPARE(run({"map", "--model", genreModel_}).exitCode, 2);  // no PATH
        QCOMPARE(run({"map", release_, "--model", genreModel_, "--source", "nope"}).exitCode, 2);
        QCOMPARE(run({"map", release_, "--model", genreModel_, "--method", "umap"}).exitCode, 2);
        // theta needs a genre-prior model.
        QCOMPARE(run({"map", release_, "--model", alsModel_, "--source", "theta"}).exitCode, 2);
        // A corrupt model file: bad data, naming the file.
        const QString corrupt = dir_.filePath("corrupt.latm");
        QFile file(corrupt);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("LATLMODL not really a model");
        file.close();
        const Result r = run({"map", release_, "--model", corrupt});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("corrupt.latm"));
        // A model of another release.
        const QString other = dir_.filePath("other");
        lens::SyntheticConfig config;
        config.ratings = 5000;
        config.seed = 7;
        config.tags = false;
        lens::writeSyntheticRelease(config, other.toStdString());
        QCOMPARE(run({"map", other, "--model", genreModel_}).exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestCliMap)
#include "tst_cli_map.moc"
