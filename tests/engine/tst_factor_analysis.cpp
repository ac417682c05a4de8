// FactorAnalysis: most polarising movies (largest factor norm, with the minimum-ratings filter),
// similar movies by cosine, and prediction by release ids, on hand-made factor matrices with
// known answers and on a small trained model whose ids differ from its dense indices.
#include <QtTest>
#include <cmath>

#include "AlsTestSupport.h"
#include "models/AlsModel.h"
#include "models/BiasBaseline.h"
#include "models/FactorAnalysis.h"
#include "models/TrainData.h"

using namespace lens;

namespace {

Eigen::MatrixXf rows(std::initializer_list<std::initializer_list<float>> values) {
    Eigen::MatrixXf m(static_cast<Eigen::Index>(values.size()),
                      static_cast<Eigen::Index>(values.begin()->size()));
    Eigen::Index r = 0;
    for (const auto& row : values) {
        Eigen::Index c = 0;
        for (float v : row) m(r, c++) = v;
        ++r;
    }
    return m;
}

std::vector<std::uint32_t> itemsOf(const std::vector<ScoredMovie>& list) {
    std::vector<std::uint32_t> out;
    for (const auto& s : list) out.push_back(s.item);
    return out;
}

}  // namespace

class TestFactorAnalysis : public QObject {
    Q_OBJECT

private slots:
    void polarisingIsLargestNorm_data() {
        QTest::addColumn<int>("minRatings");
        QTest::addColumn<std::vector<std::uint32_t>>("expected");
        // Norms: 5, 1, 0, 10, 5 (ties by index), 2; counts 10, 10, 10, 2, 10, 4.
        QTest::newRow("no filter") << 0 << std::vector<std::uint32_t>{3, 0, 4, 5};
        QTest::newRow("min 5") << 5 << std::vector<std::uint32_t>{0, 4, 1};
        QTest::newRow("min 11") << 11 << std::vector<std::uint32_t>{};
    }
    void polarisingIsLargestNorm() {
        QFETCH(int, minRatings);
        QFETCH(std::vector<std::uint32_t>, expected);
        const Eigen::MatrixXf f = rows({{3, 4}, {1, 0}, {0, 0}, {6, 8}, {-4, 3}, {0, -2}});
        const std::vector<std::uint32_t> counts = {10, 10, 10, 2, 10, 4};
        const auto top = largestFactorNorms(f, 4, counts, static_cast<std::uint32_t>(minRatings));
        QCOMPARE(itemsOf(top), expected);
        for (const auto& s : top) QCOMPARE(s.score, f.row(s.item).norm());
        // Without counts the filter is off; a zero row is never listed.
        const auto all = largestFactorNorms(f, 100);
        QCOMPARE(all.size(), std::size_t(5));
        QCOMPARE(all.front().score, 10.0f);
    }

    void similarIsCosine() {
        // Row 0 = [1, 0]: cosines 1 (row 1), 0 (row 2), -1 (row 3), 1/sqrt 2 (row 4), row 5 zero.
        const Eigen::MatrixXf f = rows({{1, 0}, {2, 0}, {0, 1}, {-1, 0}, {1, 1}, {0, 0}});
        const auto top = mostSimilarByCosine(f, 0, 3);
        QCOMPARE(itemsOf(top), (std::vector<std::uint32_t>{1, 4, 2}));
        QCOMPARE(top[0].score, 1.0f);
        QVERIFY(std::fabs(top[1].score - std::sqrt(0.5f)) < 1e-6f);
        QVERIFY(std::fabs(top[2].score) < 1e-6f);
        const auto all = mostSimilarByCosine(f, 0, 100);
        QCOMPARE(all.size(), std::size_t(4));  // itself and the zero row left out
        QCOMPARE(all.back().item, 3u);
        QCOMPARE(all.back().score, -1.0f);
        // Filter: row 1 has too few ratings.
        const std::vector<std::uint32_t> counts = {9, 1, 9, 9, 9, 9};
        QCOMPARE(itemsOf(mostSimilarByCosine(f, 0, 2, counts, 5)),
                 (std::vector<std::uint32_t>{4, 2}));
        QVERIFY(mostSimilarByCosine(f, 5, 3).empty());  // a zero query has no direction
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, mostSimilarByCosine(f, 6, 3));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 mostSimilarByCosine(f, 0, 3, std::vector<std::uint32_t>{1, 2}));
    }

    void predictionByReleaseIds() {
        TrainData data = test::plantedTrainData(60, 40, 0.4, 3);
        for (auto& id : data.userIds) id = 1000 + 3 * id;  // ids differ from indices
        for (auto& id : data.movieIds) id = 50 + 7 * id;
        AlsConfig c;
        c.factors = 4;
        c.iterations = 5;
        AlsModel model(c);
        FactorAnalysis before(model);
        QVERIFY(!before.predict(1000, 50).has_value());  // untrained
        model.fit(data);
        FactorAnalysis analysis(model);
        QVERIFY(analysis.hasFactors());
        QCOMPARE(analysis.userIndex(1000 + 3 * 17), std::optional<std::uint32_t>(17));
        QCOMPARE(analysis.movieIndex(50 + 7 * 9), std::optional<std::uint32_t>(9));
        QVERIFY(!analysis.userIndex(1001).has_value());
        const auto p = analysis.predict(1000 + 3 * 17, 50 + 7 * 9);
        QVERIFY(p.has_value());
        QCOMPARE(*p, model.predict(17, 9));
        QVERIFY(*p >= kMinRating && *p <= kMaxRating);
        QVERIFY(!analysis.predict(1000 + 3 * 17, 51).has_value());  // unknown movie
        // The bound helpers agree with the free functions on the model's factors.
        const auto counts = itemRatingCounts(data);
        QCOMPARE(counts[5], static_cast<std::uint32_t>(data.byItem.rowSize(5)));
        QCOMPARE(itemsOf(analysis.mostPolarising(5, counts, 3)),
                 itemsOf(largestFactorNorms(model.itemFactors(), 5, counts, 3)));
        QCOMPARE(itemsOf(analysis.similarMovies(2, 5)),
                 itemsOf(mostSimilarByCosine(model.itemFactors(), 2, 5)));
        // A model without factors answers with empty lists but still predicts.
        BiasBaseline bias;
        bias.fit(data);
        FactorAnalysis biasAnalysis(bias);
        QVERIFY(!biasAnalysis.hasFactors());
        QVERIFY(biasAnalysis.mostPolarising(5).empty());
        QVERIFY(biasAnalysis.similarMovies(0, 5).empty());
        QCOMPARE(*biasAnalysis.predict(1000, 50), bias.predict(0, 0));
    }
};

QTEST_GUILESS_MAIN(TestFactorAnalysis)
#include "tst_factor_analysis.moc"
