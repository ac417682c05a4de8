// Factors trained elsewhere (io/FactorImport.h, models/ImportedFactors.h): the fixture files in
// tests/engine/fixtures/factors were written by make_factor_fixtures.py with numpy and in Spark's
// output layouts, for LoaderFixtures.h's csvRelease() (users 1..3, movies 10..40). Expected
// scores and fold-ins are computed here from the literal factor values, independently of the
// importer; bad files are written by the tests themselves.
#include <Eigen/Dense>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "FixturePath.h"
#include "LoaderFixtures.h"
#include "io/DatasetLoader.h"
#include "io/FactorImport.h"
#include "io/InteractionReader.h"
#include "io/NpyFormat.h"
#include "models/ModelFile.h"
#include "util/Errors.h"

using namespace lens;
using lens::test::engineFixture;
namespace fs = std::filesystem;

namespace {

const std::map<std::int64_t, std::vector<double>> kUserFactors = {
    {1, {0.5, -0.25}}, {2, {1.0, 0.75}}, {3, {-0.5, 0.125}}};
const std::map<std::int64_t, std::vector<double>> kMovieFactors = {
    {10, {0.25, 0.5}}, {20, {-1.0, 0.25}}, {30, {0.75, -0.5}}, {40, {0.0, 1.5}}};

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    return a[0] * b[0] + a[1] * b[1];
}

void writeText(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

}  // namespace

class TestFactorImport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    Dataset dataset_;

    // Every dataset pair scored as the literal factors say (absent rows: zero vectors).
    void checkScores(const ImportedFactors& model, bool movie40Present) {
        for (const auto& [uid, u] : kUserFactors)
            for (const auto& [mid, m] : kMovieFactors) {
                const auto ui = static_cast<std::uint32_t>(dataset_.userIndex(uid));
                const auto mi = static_cast<std::uint32_t>(dataset_.movieIndex(mid));
                const double expected = (mid == 40 && !movie40Present) ? 0.0 : dot(u, m);
                QCOMPARE(model.predictRaw(ui, mi), static_cast<float>(expected));
            }
    }

    ImportedFactors importFrom(FactorSource s, const fs::path& p, ImportSummary* summary = nullptr,
                               ImportOptions options = {}) {
        auto model = importFactors(dataset_, s, p, options, summary);
        return std::move(*model);
    }

    // The DataError message of importing `p`, or "" when it imports.
    QString importError(FactorSource s, const fs::path& p) {
        try {
            importFactors(dataset_, s, p, {});
        } catch (const DataError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::Files files = test::csvRelease();
        files.erase("tags.csv");  // user 4 only tags: the factor files know users 1..3
        test::writeFiles(dir_.filePath("release"), files);
        dataset_ = loadDataset(dir_.filePath("release").toStdString());
        QCOMPARE(dataset_.userCount(), std::size_t{3});
        QCOMPARE(dataset_.movieCount(), std::size_t{4});
    }

    void implicitNpzWithShuffledIds() {
        ImportSummary s;
        const ImportedFactors m =
            importFrom(FactorSource::ImplicitNpz, engineFixture("factors/implicit.npz"), &s);
        QVERIFY(m.implicitFeedback());
        QVERIFY(!m.predictsRatings());
        QCOMPARE(s.factors, std::size_t{2});
        QCOMPARE(s.usersWithout + s.itemsWithout, std::size_t{0});
        checkScores(m, true);
        QVERIFY(QString::fromStdString(m.provenance()).startsWith("implicit-npz:"));
    }

    void npzWithoutIdsFloat64FortranOrder() {
        const ImportedFactors m =
            importFrom(FactorSource::ImplicitNpz, engineFixture("factors/implicit-noids.npz"));
        checkScores(m, true);
    }

    void sparkJsonPartFiles() {
        ImportSummary s;
        const ImportedFactors m =
            importFrom(FactorSource::Spark, engineFixture("factors/spark-json"), &s);
        QVERIFY(!m.implicitFeedback());  // Spark's ALS default: ratings
        QVERIFY(m.predictsRatings());
        QCOMPARE(s.userRows, std::size_t{3});
        QCOMPARE(s.itemRows, std::size_t{3});
        QCOMPARE(s.itemsWithout, std::size_t{1});  // movie 40: no row, zero factors
        checkScores(m, false);
    }

    void sparkCsvWithHeaderAndArrayColumn() {
        const ImportedFactors m =
            importFrom(FactorSource::Spark, engineFixture("factors/spark-csv"));
        checkScores(m, true);
    }

    void csvFolderWithCrlf() {
        ImportOptions o;
        o.implicitFeedback = true;
        const ImportedFactors m =
            importFrom(FactorSource::Csv, engineFixture("factors/csv"), nullptr, o);
        QVERIFY(m.implicitFeedback());
        checkScores(m, true);
    }

    void textFactorsOfStringIdsByTheirKeys() {
        // Data with string ids: CSV and Spark files name users and items by those strings (a
        // key that looks like a number too), in any order; an unknown key names file and line.
        const Dataset shop =
            readInteractions("user,item\nbob,7\nalice,x-1\nbob,x-1\ncarol,7\n", "events.csv",
                             parseInteractionFormat("user=user,item=item"), "shop", LoadOptions{});
        QCOMPARE(shop.userKeys, (std::vector<std::string>{"alice", "bob", "carol"}));
        QCOMPARE(shop.movieKeys, (std::vector<std::string>{"7", "x-1"}));
        const fs::path csv = fs::path(dir_.path().toStdString()) / "shop-csv";
        writeText(csv / "user_factors.csv", "id,f1,f2\ncarol,3,0\nalice,1,0\nbob,2,0\n");
        writeText(csv / "item_factors.csv", "id,f1,f2\nx-1,0.5,1\n7,0.25,1\n");
        const auto m = importFactors(shop, FactorSource::Csv, csv, {});
        const auto user = [&](const char* key) {
            return static_cast<std::uint32_t>(shop.userIndexOfLabel(key));
        };
        const auto item = [&](const char* key) {
            return static_cast<std::uint32_t>(shop.movieIndexOfLabel(key));
        };
        QCOMPARE(m->predictRaw(user("carol"), item("x-1")), 1.5f);
        QCOMPARE(m->predictRaw(user("alice"), item("7")), 0.25f);
        QCOMPARE(m->predictRaw(user("bob"), item("x-1")), 1.0f);
        const fs::path spark = fs::path(dir_.path().toStdString()) / "shop-spark";
        writeText(spark / "userFactors" / "part-00000.json",
                  "{\"id\":\"bob\",\"features\":[2,0]}\n{\"id\":\"alice\",\"features\":[1,0]}\n");
        writeText(spark / "itemFactors" / "part-00000.json",
                  "{\"id\":7,\"features\":[0.25,1]}\n{\"id\":\"x-1\",\"features\":[0.5,1]}\n");
        const auto s = importFactors(shop, FactorSource::Spark, spark, {});
        QCOMPARE(s->predictRaw(user("bob"), item("7")), 0.5f);
        QCOMPARE(s->predictRaw(user("carol"), item("7")), 0.0f);  // no row: zero factors
        writeText(csv / "user_factors.csv", "id,f1,f2\nalice,1,0\ndave,2,0\n");
        try {
            importFactors(shop, FactorSource::Csv, csv, {});
            QFAIL("an unknown key was accepted");
        } catch (const DataError& e) {
            QCOMPARE(e.line(), std::size_t{3});
            QVERIFY2(std::string(e.what()).find("'dave'") != std::string::npos, e.what());
        }
    }

    // Explicit fold-in: ridge regression of the ratings on the fixed movie factors,
    // (Q^T Q + lambda I) p = Q^T r, solved here in double.
    void explicitFoldInIsRidgeRegression() {
        ImportOptions o;
        o.lambda = 0.5;
        const ImportedFactors m =
            importFrom(FactorSource::Csv, engineFixture("factors/csv"), nullptr, o);
        const std::vector<std::pair<std::int64_t, double>> ratings = {
            {10, 4.0}, {20, 1.5}, {30, 3.0}};
        std::vector<FoldInRating> in;
        Eigen::Matrix2d a = 0.5 * Eigen::Matrix2d::Identity();
        Eigen::Vector2d b = Eigen::Vector2d::Zero();
        for (const auto& [mid, r] : ratings) {
            in.push_back(
                {static_cast<std::uint32_t>(dataset_.movieIndex(mid)), static_cast<float>(r)});
            const Eigen::Vector2d q(kMovieFactors.at(mid)[0], kMovieFactors.at(mid)[1]);
            a += q * q.transpose();
            b += r * q;
        }
        const Eigen::Vector2d p = a.ldlt().solve(b);
        const FoldedUser f = m.foldIn(in);
        QCOMPARE(f.factors.size(), Eigen::Index{2});
        QVERIFY2(
            std::abs(f.factors[0] - p[0]) < 1e-4 && std::abs(f.factors[1] - p[1]) < 1e-4,
            qPrintable(
                QString("%1 %2 vs %3 %4").arg(f.factors[0]).arg(f.factors[1]).arg(p[0]).arg(p[1])));
        // Explanations: one contribution per rated movie, summing to the score.
        std::vector<float> scores(dataset_.movieCount());
        m.scoreAll(f, scores);
        const auto i40 = static_cast<std::uint32_t>(dataset_.movieIndex(40));
        const std::vector<float> parts = m.explain(f, i40);
        QCOMPARE(parts.size(), ratings.size());
        float sum = 0;
        for (float c : parts) sum += c;
        QVERIFY(std::abs(sum - scores[i40]) < 1e-4f);
        QVERIFY(std::abs(scores[i40] - (1.5 * p[1])) < 1e-4);
    }

    void modelFileRoundTrip() {
        ImportOptions o;
        o.lambda = 2.0;
        const auto m =
            importFactors(dataset_, FactorSource::Spark, engineFixture("factors/spark-json"), o);
        const fs::path file = dir_.filePath("imported.lamodel").toStdString();
        saveModel(*m, file);
        const auto loaded = loadModel(file);
        QCOMPARE(QString::fromStdString(loaded->kind()), QStringLiteral("imported"));
        checkModelMatchesDataset(*loaded, dataset_, file.string());
        const auto* back = dynamic_cast<const ImportedFactors*>(loaded.get());
        QVERIFY(back);
        QCOMPARE(back->provenance(), m->provenance());
        checkScores(*back, false);
        QVERIFY(!back->splitKnown());
        // With the split the factors were trained on: kept, and the model carries it.
        o.split = SplitSpec::parse("loo", 7);
        saveModel(
            *importFactors(dataset_, FactorSource::Spark, engineFixture("factors/spark-json"), o),
            file);
        const auto withSplit = loadModel(file);
        QVERIFY(dynamic_cast<const ImportedFactors&>(*withSplit).splitKnown());
        QCOMPARE(withSplit->splitSpec().describe(), o.split->describe());
        bool lambdaKept = false;
        for (const auto& h : back->hyperparameters())
            if (h.key == "lambda") lambdaKept = h.value == "2";
        QVERIFY(lambdaKept);
    }

    void badFilesNameFileAndLine_data() {
        QTest::addColumn<QString>("userText");
        QTest::addColumn<QString>("itemText");
        QTest::addColumn<QString>("expected");
        const QString items = "id,f1,f2\n10,1,2\n20,1,2\n";
        QTest::newRow("dimension mismatch in a file")
            << "1,1,2\n2,1,2,3\n"
            << items << "user_factors.csv:2: 3 factor values";
        QTest::newRow("dimension mismatch between files")
            << "1,1,2,3\n"
            << items << "movie factors have 2 values, user factors 3";
        QTest::newRow("NaN") << "1,1,nan\n"
                             << items << "user_factors.csv:1: factor 2 is not a finite";
        QTest::newRow("infinite") << "1,1,2\n2,inf,0\n" << items << "user_factors.csv:2: factor 1";
        QTest::newRow("unknown id")
            << "1,1,2\n99,1,2\n"
            << items << "user_factors.csv:2: user id 99 is not in the dataset";
        QTest::newRow("duplicate id")
            << "1,1,2\n2,1,2\n1,0,0\n"
            << items << "user_factors.csv:3: duplicate user id 1 (first at";
        QTest::newRow("not a number") << "1,1,x\n" << items << "user_factors.csv:1: factor 2 'x'";
        QTest::newRow("empty file") << "" << items << "user_factors.csv: no factor rows";
        QTest::newRow("bad id") << "1,1,2\nabc,1,2\n" << items << "user_factors.csv:2: id 'abc'";
    }
    void badFilesNameFileAndLine() {
        QFETCH(QString, userText);
        QFETCH(QString, itemText);
        QFETCH(QString, expected);
        const fs::path folder =
            dir_.filePath(QStringLiteral("bad-%1").arg(QTest::currentDataTag())).toStdString();
        writeText(folder / "user_factors.csv", userText.toStdString());
        writeText(folder / "item_factors.csv", itemText.toStdString());
        const QString error = importError(FactorSource::Csv, folder);
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void badSparkFolders() {
        const fs::path root = dir_.filePath("spark-bad").toStdString();
        fs::create_directories(root / "userFactors");
        fs::create_directories(root / "itemFactors");
        writeText(root / "userFactors" / "_SUCCESS", "");
        QVERIFY2(importError(FactorSource::Spark, root).contains("userFactors: no factor rows"),
                 qPrintable(importError(FactorSource::Spark, root)));
        writeText(root / "userFactors" / "part-0.json",
                  "{\"id\":1,\"features\":[1,2]}\n{\"id\":2,\n");
        QVERIFY2(
            importError(FactorSource::Spark, root).contains("part-0.json:2: not a JSON object"),
            qPrintable(importError(FactorSource::Spark, root)));
        writeText(root / "userFactors" / "part-0.json", "{\"id\":1,\"features\":[1,2]}\n");
        writeText(root / "userFactors" / "part-1.json.gz", "x");
        QVERIFY(importError(FactorSource::Spark, root).contains("compressed or parquet"));
        fs::remove(root / "userFactors" / "part-1.json.gz");
        writeText(root / "itemFactors" / "part-0.json", "{\"id\":10,\"vec\":[1,2]}\n");
        QVERIFY(importError(FactorSource::Spark, root).contains("expected {\"id\""));
        QVERIFY(importError(FactorSource::Spark, root / "missing").contains("no such folder"));
    }

    void badNpzFiles() {
        const fs::path file = dir_.filePath("bad.npz").toStdString();
        // Rows without ids that do not match the dataset's count.
        const std::vector<float> two = {1, 2, 3, 4};
        writeNpz(file, {NpyArray::floats("user_factors", {2, 2}, two.data()),
                        NpyArray::floats("item_factors", {2, 2}, two.data())});
        QVERIFY2(importError(FactorSource::ImplicitNpz, file)
                     .contains("2 user rows without user ids, the dataset has 3"),
                 qPrintable(importError(FactorSource::ImplicitNpz, file)));
        // A NaN, named by array and row.
        std::vector<float> six = {1, 2, 3, 4, 5, std::nanf("")};
        writeNpz(file, {NpyArray::floats("user_factors", {3, 2}, six.data()),
                        NpyArray::floats("item_factors", {2, 2}, two.data())});
        QVERIFY2(importError(FactorSource::ImplicitNpz, file)
                     .contains("user_factors[2, 1] is not a finite"),
                 qPrintable(importError(FactorSource::ImplicitNpz, file)));
        // Ids and rows disagree.
        six.back() = 6;
        writeNpz(file, {NpyArray::floats("user_factors", {3, 2}, six.data()),
                        NpyArray::int64s("user_ids", {1, 2}),
                        NpyArray::floats("item_factors", {2, 2}, two.data())});
        QVERIFY(importError(FactorSource::ImplicitNpz, file)
                    .contains("user_ids has 2 ids, user_factors 3 rows"));
        writeNpz(file, {NpyArray::floats("item_factors", {2, 2}, two.data())});
        QVERIFY(importError(FactorSource::ImplicitNpz, file).contains("no 'user_factors' array"));
    }

    // The .npy reader against hand-made headers (numpy.lib.format's specification).
    void npyHeaders() {
        const std::vector<float> v = {1.5f, -2.0f};
        const std::string good = npyBytes(NpyArray::floats("x", {2}, v.data()));
        const NpyArray back = parseNpy(good, "x", "f");
        QCOMPARE(back.shape, std::vector<std::size_t>{2});
        QCOMPARE(npyAsDoubles(back, "f"), (std::vector<double>{1.5, -2.0}));
        auto fails = [](const std::string& bytes, const char* what) {
            try {
                parseNpy(bytes, "x", "f.npz");
            } catch (const DataError& e) {
                return QString::fromStdString(e.what()).contains(what);
            }
            return false;
        };
        QVERIFY(fails(good.substr(0, good.size() - 1), "the shape needs 8"));
        QVERIFY(fails(good + "abcd", "the shape needs 8"));
        QVERIFY(fails("\x93NUMPX" + good.substr(6), "magic"));
        std::string objects = good;
        objects.replace(objects.find("<f4"), 3, "|O8");
        QVERIFY(fails(objects, "unsupported npy element type '|O8'"));
        std::string bigEndian = good;
        bigEndian.replace(bigEndian.find("<f4"), 3, ">f4");
        QVERIFY(fails(bigEndian, "unsupported"));
        std::string huge = good;
        huge.replace(huge.find("(2,)"), 4, "(9999999999999,)");  // same header length class
        QVERIFY(fails(huge, "the shape needs 39999999999996"));
    }
};

QTEST_GUILESS_MAIN(TestFactorImport)
#include "tst_factor_import.moc"
