// The Recommender contract (as tests/engine/tst_recommender_contract.cpp checks it for the ALS
// models) for the NCF kinds gmf, mlp and neumf, with both objectives: fit and observer
// reports, finite predictions agreeing across predictRaw / scoreItems / scoreAll, save/load
// round trip identical, cancel mid-run leaving a consistent model, determinism whatever the
// thread count, fold-in, item factors. Held-out figures per epoch come from the standard
// evaluation passed through FitControl (eval/ModelEvaluation heldOutEvaluation).
#include <omp.h>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <stop_token>

#include "NcfFixtures.h"
#include "eval/ModelEvaluation.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "ncf/NcfRecommender.h"
#include "util/Errors.h"
#include "util/Random.h"

using namespace lens;

namespace {

constexpr std::uint32_t kUsers = 80, kItems = 50;

// Two communities with ratings: users of group g rate movies of group g high (4-5) and a few
// of the other group low (1-2); one rating per user is held out for the test part.
TrainData communityData() {
    std::vector<RatingTriplet> train, test;
    Pcg32 rng(99);
    for (std::uint32_t u = 0; u < kUsers; ++u) {
        bool heldOut = false;
        for (std::uint32_t i = 0; i < kItems; ++i) {
            const bool same = (u % 2) == (i % 2);
            if (!same && rng.uniform() > 0.2) continue;
            if (same && rng.uniform() > 0.7) continue;
            const float r = same ? 4.0f + 0.5f * static_cast<float>(rng.below(3))
                                 : 1.0f + 0.5f * static_cast<float>(rng.below(3));
            if (!heldOut && same && i > 10) {
                test.push_back({u, i, r});
                heldOut = true;
            } else {
                train.push_back({u, i, r});
            }
        }
    }
    return TrainData::fromTriplets(kUsers, kItems, train, test);
}

std::unique_ptr<NcfRecommender> makeNcf(NcfArchitecture a, const QString& objective,
                                        int epochs = 6) {
    auto m = std::make_unique<NcfRecommender>(a);
    m->setHyperparameter("objective", objective.toStdString());
    m->setHyperparameter("epochs", std::to_string(epochs));
    m->setHyperparameter("batch", "64");
    m->setHyperparameter("lr", "0.01");
    if (a != NcfArchitecture::Gmf) m->setHyperparameter("layers", "16,8,4");
    if (a != NcfArchitecture::Mlp) m->setHyperparameter("factors", "6");
    return m;
}

std::vector<std::uint8_t> payloadOf(const Recommender& m) {
    ModelWriter w;
    m.writePayload(w);
    return w.bytes();
}

double correlation(const std::vector<float>& a, const std::vector<float>& b) {
    double ma = 0, mb = 0;
    for (std::size_t k = 0; k < a.size(); ++k) ma += a[k], mb += b[k];
    ma /= static_cast<double>(a.size());
    mb /= static_cast<double>(b.size());
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        sab += (a[k] - ma) * (b[k] - mb);
        saa += (a[k] - ma) * (a[k] - ma);
        sbb += (b[k] - mb) * (b[k] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

}  // namespace

class TestNcfContract : public QObject {
    Q_OBJECT

private:
    static void addRows() {
        QTest::addColumn<NcfArchitecture>("architecture");
        QTest::addColumn<QString>("objective");
        for (auto a : {NcfArchitecture::Gmf, NcfArchitecture::Mlp, NcfArchitecture::NeuMf})
            for (QString o : {QStringLiteral("implicit"), QStringLiteral("explicit")})
                QTest::newRow(qPrintable(QStringLiteral("%1-%2").arg(ncfArchitectureName(a), o)))
                    << a << o;
    }

private slots:
    void fitReportsEveryEpoch_data() { addRows(); }
    void fitReportsEveryEpoch();
    void predictionsAreFiniteAndConsistent_data() { addRows(); }
    void predictionsAreFiniteAndConsistent();
    void saveLoadRoundTripIsIdentical_data() { addRows(); }
    void saveLoadRoundTripIsIdentical();
    void cancelMidRunLeavesConsistentModel_data() { addRows(); }
    void cancelMidRunLeavesConsistentModel();
    void deterministicWhateverThreads_data() { addRows(); }
    void deterministicWhateverThreads();
    void foldInReproducesTrainedUser_data() { addRows(); }
    void foldInReproducesTrainedUser();
    void hyperparametersRoundTrip_data() { addRows(); }
    void hyperparametersRoundTrip();
    void implicitDefaultEpochsFollowTheDataSize();
};

void TestNcfContract::fitReportsEveryEpoch() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    const TrainData data = communityData();
    auto m = makeNcf(architecture, objective);
    m->setHyperparameter("patience", "0");
    int seen = 0;
    FitControl control;
    control.evaluate = heldOutEvaluation(data);  // test RMSE / MAE or HR@10 / NDCG@10
    control.observer = [&](const TrainingSnapshot& s) {
        ++seen;
        return s.iteration == seen && s.totalIterations == 6;
    };
    QCOMPARE(m->fit(data, control), FitStatus::Completed);
    QCOMPARE(seen, 6);
    QCOMPARE(m->history().size(), std::size_t{6});
    const TrainingSnapshot& last = m->history().back();
    QVERIFY(std::isfinite(last.objective));
    if (objective == "explicit") {
        QVERIFY(m->predictsRatings());
        QVERIFY(TrainingSnapshot::hasMetric(last.testRmse) &&
                TrainingSnapshot::hasMetric(last.trainRmse));
        QVERIFY2(last.testRmse < 1.0, qPrintable(QString::number(last.testRmse)));
    } else {
        QVERIFY(!m->predictsRatings());
        QVERIFY(TrainingSnapshot::hasMetric(last.hr10) && TrainingSnapshot::hasMetric(last.ndcg10));
        // Few candidates per case in this tiny catalogue: the learned structure is checked in
        // predictionsAreFiniteAndConsistent; here the metric is only required to be a rate.
        QVERIFY(last.hr10 >= 0.0 && last.hr10 <= 1.0 && last.ndcg10 <= last.hr10);
    }
    QCOMPARE(m->userCount(), std::size_t{kUsers});
    QCOMPARE(m->itemCount(), std::size_t{kItems});
    const Eigen::MatrixXf items = m->itemFactors();
    QCOMPARE(items.rows(), Eigen::Index{kItems});
    QCOMPARE(items.cols(), Eigen::Index{m->parameters().shape.embeddingSize()});
    QCOMPARE(m->userFactors().rows(), Eigen::Index{kUsers});
}

void TestNcfContract::predictionsAreFiniteAndConsistent() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    const TrainData data = communityData();
    auto m = makeNcf(architecture, objective);
    m->fit(data);
    std::vector<float> all(kItems);
    std::vector<std::uint32_t> some{3, 0, 49, 7};
    std::vector<float> someScores(some.size());
    for (std::uint32_t u = 0; u < kUsers; ++u) {
        m->scoreAll(u, all);
        for (std::uint32_t i = 0; i < kItems; ++i) {
            QVERIFY(std::isfinite(all[i]));
            QCOMPARE(m->predictRaw(u, i), all[i]);
            const float p = m->predict(u, i);
            if (m->predictsRatings())
                QVERIFY(p >= kMinRating && p <= kMaxRating);
            else
                QVERIFY(p >= 0.0f && p <= 1.0f);
        }
        m->scoreItems(u, some, someScores);
        for (std::size_t k = 0; k < some.size(); ++k) QCOMPARE(someScores[k], all[some[k]]);
    }
    // The model learned the communities: in-group movies score above out-group ones on average.
    double same = 0, other = 0;
    for (std::uint32_t u = 0; u < kUsers; ++u)
        for (std::uint32_t i = 0; i < kItems; ++i)
            ((u % 2) == (i % 2) ? same : other) += m->predictRaw(u, i);
    QVERIFY(same > other);
}

void TestNcfContract::saveLoadRoundTripIsIdentical() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    const TrainData data = communityData();
    auto m = makeNcf(architecture, objective, 3);
    m->fit(data);

    // The payload alone, into a fresh model with the same hyper-parameters and ids.
    auto copy = std::make_unique<NcfRecommender>(architecture);
    for (const auto& h : m->hyperparameters()) copy->setHyperparameter(h.key, h.value);
    copy->restoreBookkeeping(m->status(), m->history(), m->datasetName(), m->splitSpec(),
                             m->userIds(), m->movieIds());
    const auto bytes = payloadOf(*m);
    ModelReader reader(bytes.data(), bytes.size(), "payload");
    copy->readPayload(reader);
    QCOMPARE(reader.remaining(), std::size_t{0});
    QVERIFY(payloadOf(*copy) == bytes);
    for (std::uint32_t u = 0; u < kUsers; u += 7)
        for (std::uint32_t i = 0; i < kItems; ++i)
            QCOMPARE(copy->predictRaw(u, i), m->predictRaw(u, i));

    // A truncated payload fails with a DataError, never a crash.
    ModelReader truncated(bytes.data(), bytes.size() / 2, "half.model");
    auto broken = std::make_unique<NcfRecommender>(architecture);
    for (const auto& h : m->hyperparameters()) broken->setHyperparameter(h.key, h.value);
    broken->restoreBookkeeping(m->status(), {}, "", {}, m->userIds(), m->movieIds());
    QVERIFY_THROWS_EXCEPTION(lens::DataError, broken->readPayload(truncated));

    // Through the one saved-model file format.
    if (!findRecommender(m->kind()))
        QSKIP(qPrintable(
            QStringLiteral("'%1' is not registered in RecommenderFactory.cpp yet (add "
                           "ncfRecommenderDescriptors() there): ModelFile cannot load it")
                .arg(QString::fromStdString(m->kind()))));
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("ncf.model").toStdString();
    saveModel(*m, file);
    const std::unique_ptr<Recommender> loaded = loadModel(file);
    QCOMPARE(loaded->kind(), m->kind());
    QCOMPARE(loaded->status(), m->status());
    QCOMPARE(loaded->history().size(), m->history().size());
    QVERIFY(payloadOf(*loaded) == bytes);
    for (const auto& h : m->hyperparameters()) QCOMPARE(loaded->hyperparameter(h.key), h.value);
    for (std::uint32_t u = 0; u < kUsers; u += 7)
        for (std::uint32_t i = 0; i < kItems; ++i)
            QCOMPARE(loaded->predictRaw(u, i), m->predictRaw(u, i));
}

void TestNcfContract::cancelMidRunLeavesConsistentModel() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    const TrainData data = communityData();
    // Observer returning false after epoch 2.
    {
        auto m = makeNcf(architecture, objective, 10);
        m->setHyperparameter("patience", "0");
        FitControl control;
        control.observer = [](const TrainingSnapshot& s) { return s.iteration < 2; };
        QCOMPARE(m->fit(data, control), FitStatus::Stopped);
        QCOMPARE(m->status(), FitStatus::Stopped);
        QCOMPARE(m->history().size(), std::size_t{2});
        for (std::uint32_t i = 0; i < kItems; ++i) QVERIFY(std::isfinite(m->predictRaw(1, i)));
    }
    // Stop token requested inside epoch 1 (polled every few batches): no epoch completes.
    {
        auto m = makeNcf(architecture, objective, 10);
        m->setHyperparameter("batch", "8");
        std::stop_source source;
        FitControl control;
        control.stopToken = source.get_token();
        std::atomic<bool> flag{false};
        control.cancelFlag = &flag;
        flag.store(true);  // already cancelled: stops at the first poll
        QCOMPARE(m->fit(data, control), FitStatus::Stopped);
        QVERIFY(m->history().empty());
        for (std::uint32_t i = 0; i < kItems; ++i) QVERIFY(std::isfinite(m->predictRaw(2, i)));
        // A later fit without the flag completes: nothing is left half-done.
        flag.store(false);
        m->setHyperparameter("epochs", "2");
        QCOMPARE(m->fit(data, control), FitStatus::Completed);
    }
}

void TestNcfContract::deterministicWhateverThreads() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    const TrainData data = communityData();
    auto run = [&](int threads, const std::string& seed) {
        const int keep = omp_get_max_threads();
        omp_set_num_threads(threads);
        auto m = makeNcf(architecture, objective, 3);
        m->setHyperparameter("batch", "4096");  // >= 16 chunks: the parallel path
        m->setHyperparameter("seed", seed);
        m->fit(data);
        omp_set_num_threads(keep);
        return payloadOf(*m);
    };
    const auto a = run(2, "7"), b = run(1, "7"), c = run(2, "7"), d = run(2, "8");
    QVERIFY(a == b);
    QVERIFY(a == c);
    QVERIFY(a != d);
}

void TestNcfContract::foldInReproducesTrainedUser() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    const TrainData data = communityData();
    auto m = makeNcf(architecture, objective, 15);
    m->fit(data);
    double sumCorrelation = 0;
    int users = 0;
    for (std::uint32_t u = 0; u < kUsers; u += 9, ++users) {
        std::vector<FoldInRating> ratings;
        const auto idx = data.byUser.rowIndex(u);
        const auto val = data.byUser.rowValues(u);
        for (std::size_t k = 0; k < idx.size(); ++k) ratings.push_back({idx[k], val[k]});
        ratings.push_back({kItems + 5, 3.0f});  // out of range: dropped
        const FoldedUser folded = m->foldIn(ratings);
        QCOMPARE(folded.ratings.size(), idx.size());
        QCOMPARE(folded.factors.size(), Eigen::Index{m->parameters().shape.embeddingSize()});
        std::vector<float> trained(kItems), refolded(kItems);
        m->scoreAll(u, trained);
        m->scoreAll(folded, refolded);
        for (float s : refolded) QVERIFY(std::isfinite(s));
        sumCorrelation += correlation(trained, refolded);
        // Deterministic.
        QVERIFY(m->foldIn(ratings).factors == folded.factors);
    }
    const double mean = sumCorrelation / users;
    QVERIFY2(mean > 0.8, qPrintable(QStringLiteral("mean score correlation %1").arg(mean)));
}

void TestNcfContract::hyperparametersRoundTrip() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, objective);
    auto m = makeNcf(architecture, objective);
    m->setHyperparameter("l2", "0.0001");
    m->setHyperparameter("optimizer", "sgd");
    auto copy = std::make_unique<NcfRecommender>(architecture);
    for (const auto& h : m->hyperparameters()) copy->setHyperparameter(h.key, h.value);
    const auto a = m->hyperparameters(), b = copy->hyperparameters();
    QCOMPARE(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        QCOMPARE(a[k].key, b[k].key);
        QCOMPARE(a[k].value, b[k].value);
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m->setHyperparameter("lr", "-1"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m->setHyperparameter("epochs", "0"));
}

// The implicit models' default epochs shrink on large data (about 160 M passes over training
// ratings in all, 4 to 20 epochs); a set "epochs" and the explicit objective keep theirs; a fit
// runs and records the epochs iterationsFor names.
void TestNcfContract::implicitDefaultEpochsFollowTheDataSize() {
    const std::vector<std::pair<std::size_t, int>> expected = {
        {100'836, 20},   {8'000'000, 20}, {9'900'000, 16}, {19'723'277, 8},
        {24'662'000, 6}, {31'598'000, 5}, {200'000'000, 4}};
    for (const auto& [ratings, epochs] : expected)
        QCOMPARE(NcfRecommender::defaultImplicitEpochs(ratings), epochs);
    NcfRecommender neumf(NcfArchitecture::NeuMf);
    QCOMPARE(neumf.iterations(), 20);
    QCOMPARE(neumf.iterationsFor(19'723'277), 8);
    QCOMPARE(neumf.iterationsFor(100'836), 20);
    neumf.setHyperparameter("objective", "explicit");
    QCOMPARE(neumf.iterationsFor(19'723'277), 20);
    neumf.setHyperparameter("objective", "implicit");
    neumf.setHyperparameter("epochs", "12");
    QCOMPARE(neumf.iterationsFor(19'723'277), 12);
    QCOMPARE(neumf.iterationsFor(100'836), 12);

    // A fit with the default epochs on small data runs all 20 and says so.
    auto fresh = std::make_unique<NcfRecommender>(NcfArchitecture::Gmf);
    fresh->setHyperparameter("factors", "6");
    fresh->setHyperparameter("batch", "64");
    const TrainData data = communityData();
    QCOMPARE(fresh->iterationsFor(data.trainCount()), 20);
    int last = 0, total = 0;
    FitControl control;
    control.observer = [&](const TrainingSnapshot& s) {
        last = s.iteration;
        total = s.totalIterations;
        return true;
    };
    QCOMPARE(fresh->fit(data, control), FitStatus::Completed);
    QCOMPARE(last, 20);
    QCOMPARE(total, 20);
    QCOMPARE(fresh->config().epochs, 20);
    QVERIFY(fresh->hyperparameter("epochs") == "20");
}

QTEST_GUILESS_MAIN(TestNcfContract)
#include "tst_ncf_contract.moc"
