// ml-100k's predefined splits are read with the release (io/PredefinedSplits.h) and handed over in
// Dataset::predefinedSplits: makeSplit("ml100k:u1") reads no files (it works after the release's
// files are gone, and for a release loaded from memory); a pair whose files disagree keeps its
// error for the split that needs it while the release and its other splits load. The checks of
// the files themselves are in tst_splits.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <string>

#include "../fuzz/FuzzFixtures.h"
#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "util/Errors.h"

using namespace lens;

namespace {

// The fixture release of the fuzz targets (3 ratings) with u1 (one test rating) and u2 (base and
// test swapped, so the other rating is the test one).
fuzz::Files releaseWithSplits() {
    fuzz::Files files = fuzz::ml100kRelease();
    files["u1.base"] = "196\t242\t3\t881250949\n186\t302\t3\t891717742\n";
    files["u1.test"] = "22\t242\t1\t878887116\n";
    files["u2.base"] = "22\t242\t1\t878887116\n186\t302\t3\t891717742\n";
    files["u2.test"] = "196\t242\t3\t881250949\n";
    return files;
}

std::size_t testCount(const Split& split) {
    std::size_t n = 0;
    for (const auto t : split.isTest) n += t;
    return n;
}

}  // namespace

class TestPredefinedSplits : public QObject {
    Q_OBJECT

private slots:
    void readAtLoadTime() {
        QTemporaryDir dir;
        for (const auto& [name, content] : releaseWithSplits()) {
            QFile f(dir.filePath(QString::fromStdString(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content.data(), qint64(content.size()));
        }
        const Dataset ds = loadDataset(dir.path().toStdString());
        QCOMPARE(ds.predefinedSplits.size(), std::size_t{2});
        QVERIFY(dir.remove());  // the files are gone: the splits come from the dataset
        const Split u1 = makeSplit(ds, SplitSpec::parse("ml100k:u1"));
        QCOMPARE(u1.testCount, std::size_t{1});
        QCOMPARE(testCount(u1), std::size_t{1});
        const std::size_t user = static_cast<std::size_t>(ds.userIndex(22));
        QCOMPARE(u1.isTest[ds.byUser.offsets[user]], std::uint8_t{1});
        QCOMPARE(makeSplit(ds, SplitSpec::parse("ml100k:u2")).testCount, std::size_t{1});
        try {
            makeSplit(ds, SplitSpec::parse("ml100k:u3"));
            QFAIL("no DataError for an absent split");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("has no u3.base and u3.test"), e.what());
        }
    }

    void fromMemory() {
        const Dataset ds = loadDatasetFromMemory(releaseWithSplits(), "ml-100k");
        QCOMPARE(makeSplit(ds, SplitSpec::parse("ml100k:u1")).testCount, std::size_t{1});
        // Releases of other layouts have none.
        const Dataset csv = loadDatasetFromMemory(fuzz::csvRelease(), "csv");
        QVERIFY(csv.predefinedSplits.empty());
        QVERIFY_THROWS_EXCEPTION(DataError, makeSplit(csv, SplitSpec::parse("ml100k:u1")));
    }

    void aBrokenPairFailsOnlyItsSplit() {
        fuzz::Files files = releaseWithSplits();
        files["u2.test"] = "196\t242\t5\t881250949\n";  // another rating than u.data's
        const Dataset ds = loadDatasetFromMemory(files, "ml-100k");
        QCOMPARE(makeSplit(ds, SplitSpec::parse("ml100k:u1")).testCount, std::size_t{1});
        try {
            makeSplit(ds, SplitSpec::parse("ml100k:u2"));
            QFAIL("no DataError for a pair that disagrees");
        } catch (const DataError& e) {
            QVERIFY2(QString::fromStdString(e.file()).endsWith("u2.test") && e.line() == 1 &&
                         QString::fromStdString(e.problem()).contains("differs"),
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestPredefinedSplits)
#include "tst_predefined_splits.moc"
