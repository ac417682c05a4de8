// The real ml-latest-small release (skipped with a message where absent): the published
// counts, from its folder and from a .zip of it built here (read in memory, not extracted).
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "TestData.h"
#include "io/DatasetLoader.h"
#include "io/ZipWriter.h"

using namespace lens;

class TestMlLatestSmall : public QObject {
    Q_OBJECT
private slots:
    void counts_data() {
        QTest::addColumn<bool>("zipped");
        QTest::newRow("folder") << false;
        QTest::newRow("zip") << true;
    }
    void counts() {
        QFETCH(bool, zipped);
        LENS_REQUIRE_RELEASE(folder, "ml-latest-small");
        QString path = folder;
        QTemporaryDir tmp;
        if (zipped) {
            std::vector<ZipEntryData> entries;
            for (const QString& name : QDir(folder).entryList(QDir::Files)) {
                QFile f(QDir(folder).filePath(name));
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QByteArray bytes = f.readAll();
                entries.push_back(
                    {"ml-latest-small/" + name.toStdString(),
                     std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()))});
            }
            path = tmp.filePath("ml-latest-small.zip");
            writeZipFile(path.toStdString(), entries);
        }
        const Dataset ds = loadDataset(path.toStdString());
        QCOMPARE(ds.name, std::string("ml-latest-small"));
        QCOMPARE(ds.layout, Layout::Csv);
        QCOMPARE(ds.ratingCount(), std::size_t{100'836});
        QCOMPARE(ds.userCount(), std::size_t{610});
        QCOMPARE(ds.movieCount(), std::size_t{9'742});
        QCOMPARE(ds.ratedMovieCount(), std::size_t{9'724});
        QCOMPARE(ds.tags.size(), std::size_t{3'683});
        QCOMPARE(std::round(ds.ratingMean() * 10000) / 10000, 3.5016);
        QCOMPARE(ds.report.skippedLines, std::size_t{0});
        QCOMPARE(ds.report.duplicateRatings, std::size_t{0});
        QCOMPARE(ds.report.unknownMovies, std::size_t{0});
        // Spot checks: Toy Story, the quoted title with doubled quotes, links.
        const auto toyStory = static_cast<std::size_t>(ds.movieIndex(1));
        QCOMPARE(ds.titles[toyStory], std::string("Toy Story (1995)"));
        QCOMPARE(ds.years[toyStory], std::int16_t{1995});
        QCOMPARE(genreListString(ds.genres[toyStory]),
                 std::string("Adventure|Animation|Children|Comedy|Fantasy"));
        QCOMPARE(ds.imdbIds[toyStory], std::int64_t{114709});
        QCOMPARE(ds.byMovie.rowSize(toyStory), std::size_t{215});
        QVERIFY(std::any_of(ds.titles.begin(), ds.titles.end(), [](const std::string& t) {
            return t == "11'09\"01 - September 11 (2002)";
        }));
        // Every rating is a half step in 0.5..5 and CSR and CSC agree.
        QCOMPARE(ds.byMovie.nnz(), ds.byUser.nnz());
        QVERIFY(std::all_of(ds.byUser.halfStars.begin(), ds.byUser.halfStars.end(),
                            [](HalfStars h) { return h >= 1 && h <= 10; }));
    }
};

QTEST_GUILESS_MAIN(TestMlLatestSmall)
#include "tst_ml_latest_small.moc"
