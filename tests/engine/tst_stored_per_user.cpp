// The Compare stage's use of a run's stored per-user metrics (eval/ModelComparison.h,
// storedPerUserFit): columns of a per-user file that fits are taken as they are (the file here
// holds values no model would produce, so a comparison that recomputed them would show other
// numbers); a file of other data (user count, split seed, cutoff, test users, a missing user of
// the sample), a missing column, or a missing or corrupt file falls back to computing, with the
// reason; a user sample takes the stored rows of the sampled users.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <numeric>

#include "AlsTestSupport.h"
#include "FileBytes.h"
#include "eval/ComparisonJson.h"
#include "eval/ModelComparison.h"
#include "io/RunHistoryFile.h"
#include "models/RecommenderFactory.h"

using namespace lens;

namespace {

const std::vector<std::string> kAllColumns = {kUserRmse,        kUserMae,        kUserHrSampled,
                                              kUserNdcgSampled, kUserRrSampled,  kUserHrFull,
                                              kUserNdcgFull,    kUserRecallFull, kUserRrFull};

// Per-user metrics with every column and the comparison's users, but values no model gives:
// (k * 7 + shift) % 16 / 16, exact in float32.
PerUserMetrics plantedValues(const TrainData& data, const Recommender& model, int shift) {
    const SampledNegatives negatives = sampleNegatives(data, 100, data.split.seed);
    PerUserMetrics m = computePerUserMetrics(data, model, &negatives);
    m.topLists.clear();
    m.fullHitByCase.clear();
    for (PerUserColumn& c : m.columns)
        for (std::size_t k = 0; k < c.values.size(); ++k)
            c.values[k] =
                static_cast<double>((k * 7 + static_cast<std::size_t>(shift)) % 16) / 16.0;
    return m;
}

double mean(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

class TestStoredPerUser : public QObject {
    Q_OBJECT

    TrainData data_ = test::plantedTrainData();
    std::unique_ptr<Recommender> model_, other_;
    QTemporaryDir dir_;

    // A compared model whose stored file holds `metrics` (written for `datasetUsers`), read back
    // as the Compare stage reads it.
    ComparedModel withFile(const std::string& name, const Recommender& model,
                           const PerUserMetrics& metrics, std::size_t datasetUsers,
                           const SplitSpec& split) {
        const std::string file =
            QFile::encodeName(dir_.filePath(QString::fromStdString(name) + ".peruser"))
                .toStdString();
        savePerUserMetrics(file, metrics, datasetUsers);
        ComparedModel c{name, &model};
        attachStoredPerUser(c, file, split);
        return c;
    }

    static ComparisonOptions options() {
        ComparisonOptions o;
        o.bootstrap.resamples = 200;
        return o;
    }

    // Every column of `result` as computePerUserMetrics gives it for the model (recomputed).
    void expectComputed(const ModelResult& result, const Recommender& model,
                        const ComparisonOptions& o) {
        const SampledNegatives negatives = sampleNegatives(data_, 100, data_.split.seed);
        const PerUserMetrics reference = computePerUserMetrics(data_, model, &negatives, o.perUser);
        QCOMPARE(result.perUser.users, reference.users);
        QCOMPARE(result.perUser.columns.size(), reference.columns.size());
        for (const PerUserColumn& c : reference.columns) {
            const PerUserColumn* got = result.perUser.column(c.name);
            QVERIFY2(got, c.name.c_str());
            QVERIFY2(got->values == c.values, c.name.c_str());
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        model_ = createRecommender("bias");
        model_->fit(data_);
        other_ = createRecommender("als");
        other_->setHyperparameter("iterations", "3");
        other_->fit(data_);
    }

    // The stored columns are the comparison's: per-user values, means, and pairs.
    void storedColumnsAreUsedAsGiven() {
        const PerUserMetrics a = plantedValues(data_, *model_, 0);
        const PerUserMetrics b = plantedValues(data_, *other_, 5);
        const Comparison c =
            compareModels(data_,
                          {withFile("a", *model_, a, data_.userCount(), data_.split),
                           withFile("b", *other_, b, data_.userCount(), data_.split)},
                          options());
        QCOMPARE(c.models.size(), std::size_t{2});
        const ModelResult& ra = c.models[0];
        QVERIFY(ra.perUserStored());
        QCOMPARE(ra.storedColumns, kAllColumns);
        QCOMPARE(ra.perUserNote, std::string());
        const nlohmann::json json = comparisonToJson(c)["models"][0];
        QCOMPARE(json["per_user_source"].get<std::string>(), std::string("stored"));
        QCOMPARE(json["per_user_stored_columns"].get<std::vector<std::string>>(), kAllColumns);
        QCOMPARE(ra.perUser.users, a.users);
        for (const PerUserColumn& column : a.columns) {
            QVERIFY2(ra.perUser.column(column.name)->values == column.values, column.name.c_str());
            const MetricEstimate* e = ra.metric(column.name);
            QVERIFY(e);
            QVERIFY2(std::abs(e->ci.estimate - mean(column.values)) < 1e-12, column.name.c_str());
        }
        // The model itself gives other numbers: a recomputation would show them.
        const PerUserMetrics own = computePerUserMetrics(data_, *model_, nullptr);
        QVERIFY(own.column(kUserRmse)->values != a.column(kUserRmse)->values);
        // Pairs are of the stored values.
        const std::vector<double>& va = a.column(kUserNdcgFull)->values;
        const std::vector<double>& vb = b.column(kUserNdcgFull)->values;
        double difference = 0;
        for (std::size_t k = 0; k < va.size(); ++k) difference += va[k] - vb[k];
        difference /= static_cast<double>(va.size());
        bool found = false;
        for (const PairResult& p : c.pairs)
            if (p.metric == kUserNdcgFull) {
                found = true;
                QCOMPARE(p.n, va.size());
                QVERIFY(std::abs(p.meanDifference - difference) < 1e-12);
            }
        QVERIFY(found);
        // What is not stored is still computed: top-N lists and per-case hits.
        QVERIFY(!ra.beyond.perUser.empty());
        QVERIFY(hasSegments(c, kSegmentPopularity));
    }

    // A sample of users takes the stored rows of exactly those users.
    void aUserSampleTakesTheSampledRows() {
        const PerUserMetrics a = plantedValues(data_, *model_, 3);
        ComparisonOptions o = options();
        o.perUser.maxUsers = 40;
        const Comparison c =
            compareModels(data_, {withFile("a", *model_, a, data_.userCount(), data_.split)}, o);
        const ModelResult& r = c.models[0];
        QVERIFY(r.perUserStored());
        QCOMPARE(r.perUser.users, perUserSample(data_, o.perUser));
        QCOMPARE(r.perUser.users.size(), std::size_t{40});
        const PerUserColumn& stored = *a.column(kUserMae);
        for (std::size_t k = 0; k < r.perUser.users.size(); ++k) {
            const auto at = std::lower_bound(a.users.begin(), a.users.end(), r.perUser.users[k]);
            QCOMPARE(r.perUser.column(kUserMae)->values[k],
                     stored.values[static_cast<std::size_t>(at - a.users.begin())]);
        }
    }

    // A column group the file lacks is computed, the others stay stored; the note says which.
    void aMissingColumnIsComputed() {
        PerUserMetrics a = plantedValues(data_, *model_, 1);
        std::erase_if(a.columns, [](const PerUserColumn& c) { return c.name == kUserMae; });
        const Comparison c = compareModels(
            data_, {withFile("a", *model_, a, data_.userCount(), data_.split)}, options());
        const ModelResult& r = c.models[0];
        QVERIFY(r.perUserStored());
        QVERIFY2(r.perUserNote.find("not stored: mae") != std::string::npos, r.perUserNote.c_str());
        QCOMPARE(r.storedColumns,
                 std::vector<std::string>(kAllColumns.begin() + 2, kAllColumns.end()));
        // rmse is computed with mae (a group is taken whole), not taken from the file.
        const PerUserMetrics own = computePerUserMetrics(data_, *model_, nullptr);
        QVERIFY(r.perUser.column(kUserRmse)->values == own.column(kUserRmse)->values);
        QVERIFY(r.perUser.column(kUserMae)->values == own.column(kUserMae)->values);
        QVERIFY(r.perUser.column(kUserHrFull)->values == a.column(kUserHrFull)->values);
        // The columns keep computePerUserMetrics' order.
        std::vector<std::string> names;
        for (const auto& col : r.perUser.columns) names.push_back(col.name);
        QCOMPARE(names, kAllColumns);
    }

    void aFileOfOtherDataFallsBack_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("reason");
        QTest::newRow("user count") << "users"
                                    << "written for 241 users, the dataset has 240";
        QTest::newRow("split seed") << "seed"
                                    << "seed 7";
        QTest::newRow("cutoff") << "cutoff"
                                << "measured at N = 5, the comparison at N = 10";
        QTest::newRow("test users") << "with-tests"
                                    << "test users, the split has";
        QTest::newRow("a sampled user") << "drop-user"
                                        << "not every one of the";
        QTest::newRow("every column") << "no-columns"
                                      << "does not hold rmse, mae, hr_sampled";
        QTest::newRow("no file") << "no-file"
                                 << "is missing";
        QTest::newRow("corrupt") << "corrupt"
                                 << "not a per-user metrics file";
    }
    void aFileOfOtherDataFallsBack() {
        QFETCH(QString, change);
        QFETCH(QString, reason);
        PerUserMetrics a = plantedValues(data_, *model_, 2);
        std::size_t users = data_.userCount();
        SplitSpec split = data_.split;
        if (change == "users") users += 1;
        if (change == "seed") split.seed = 7;
        if (change == "cutoff") a.cutoff = 5;
        if (change == "with-tests") a.usersWithTests += 3;
        if (change == "drop-user") {
            a.users.erase(a.users.begin() + 10);
            for (auto& col : a.columns) col.values.erase(col.values.begin() + 10);
        }
        if (change == "no-columns") a.columns.clear();
        ComparedModel m = withFile("a", *model_, a, users, split);
        if (change == "no-file")
            attachStoredPerUser(m, dir_.filePath("none.peruser").toStdString(), split);
        if (change == "corrupt") {
            test::writeAll(dir_.filePath("bad.peruser"), QByteArray("LAPERUSR junk"));
            attachStoredPerUser(m, dir_.filePath("bad.peruser").toStdString(), split);
        }
        const ComparisonOptions o = options();
        const Comparison c = compareModels(data_, {m}, o);
        const ModelResult& r = c.models[0];
        QVERIFY(!r.perUserStored());
        QVERIFY(r.storedColumns.empty());
        QVERIFY2(QString::fromStdString(r.perUserNote).contains(reason), r.perUserNote.c_str());
        expectComputed(r, *model_, o);
        // The JSON says the same.
        const nlohmann::json json = comparisonToJson(c)["models"][0];
        QCOMPARE(json["per_user_source"].get<std::string>(), std::string("computed"));
        QCOMPARE(json["per_user_reason"].get<std::string>(), r.perUserNote);
    }

    // Another protocol setting: the sampled group is computed when the negatives differ.
    void otherNegativesComputeTheSampledProtocol() {
        const PerUserMetrics a = plantedValues(data_, *model_, 4);
        ComparisonOptions o = options();
        o.sampledNegatives = 50;
        const Comparison c =
            compareModels(data_, {withFile("a", *model_, a, data_.userCount(), data_.split)}, o);
        const ModelResult& r = c.models[0];
        QVERIFY(r.perUserStored());
        QVERIFY(!std::count(r.storedColumns.begin(), r.storedColumns.end(), kUserHrSampled));
        QVERIFY2(r.perUserNote.find("50 negatives") != std::string::npos, r.perUserNote.c_str());
        const SampledNegatives negatives = sampleNegatives(data_, 50, data_.split.seed);
        const PerUserMetrics own = computePerUserMetrics(data_, *model_, &negatives, o.perUser);
        QVERIFY(r.perUser.column(kUserHrSampled)->values == own.column(kUserHrSampled)->values);
        QVERIFY(r.perUser.column(kUserRmse)->values == a.column(kUserRmse)->values);
    }
};

QTEST_GUILESS_MAIN(TestStoredPerUser)
#include "tst_stored_per_user.moc"
