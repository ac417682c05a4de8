// Engine statistics of the Explore panel: Hurwitz zeta, discrete power-law fit (Clauset et al.
// 2009), log-binned PDF, CCDF, Lorenz/Gini, top shares, and computeEda on a tiny hand-made
// dataset and on ml-latest-small.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "TestData.h"
#include "data/DatasetBuilder.h"
#include "io/DatasetLoader.h"
#include "stats/DegreeDistribution.h"
#include "stats/Eda.h"
#include "stats/HurwitzZeta.h"
#include "stats/PowerLawFit.h"
#include "util/Errors.h"
#include "util/Random.h"

using namespace lens;

namespace {

// Draws from P(X = x) = x^-alpha / zeta(alpha, xmin), x >= xmin, by inverting the CCDF
// zeta(alpha, x) / zeta(alpha, xmin): a table for the first values, a bisection beyond.
class DiscretePowerLawSampler {
public:
    DiscretePowerLawSampler(double alpha, std::uint64_t xmin) : alpha_(alpha), xmin_(xmin) {
        zMin_ = hurwitzZeta(alpha, static_cast<double>(xmin));
        for (std::uint64_t k = 0; k < kTable; ++k)
            ccdf_.push_back(hurwitzZeta(alpha, static_cast<double>(xmin + k)) / zMin_);
    }
    // Smallest x with CCDF(x + 1) < u, i.e. P(X > x) < u <= P(X >= x).
    std::uint64_t draw(Pcg32& rng) const {
        double u = rng.uniform();
        while (u <= 0.0) u = rng.uniform();
        if (u > ccdf_.back()) {
            // ccdf_ is decreasing: the last index with ccdf_[k] >= u.
            const auto it = std::lower_bound(ccdf_.begin(), ccdf_.end(), u, std::greater<double>());
            return xmin_ + static_cast<std::uint64_t>(it - ccdf_.begin()) - 1;
        }
        std::uint64_t lo = xmin_ + kTable - 1, hi = lo * 2;  // ccdf(lo) >= u
        while (ccdf(hi) >= u) hi *= 2;
        while (hi - lo > 1) {
            const std::uint64_t mid = lo + (hi - lo) / 2;
            (ccdf(mid) >= u ? lo : hi) = mid;
        }
        return lo;
    }

private:
    double ccdf(std::uint64_t x) const {
        return hurwitzZeta(alpha_, static_cast<double>(x)) / zMin_;
    }
    static constexpr std::uint64_t kTable = 4096;
    double alpha_;
    std::uint64_t xmin_;
    double zMin_;
    std::vector<double> ccdf_;
};

ValueCounts counts(std::initializer_list<std::uint64_t> values) {
    const std::vector<std::uint64_t> v(values);
    return ValueCounts::fromSample(v);
}

}  // namespace

class TestStats : public QObject {
    Q_OBJECT

private slots:
    void hurwitzZeta_data();
    void hurwitzZeta();
    void hurwitzZetaRecurrence();
    void powerLawRecovery_data();
    void powerLawRecovery();
    void powerLawTooFewValues();
    void giniAndLorenz_data();
    void giniAndLorenz();
    void lorenzHandCase();
    void logBinnedPdfHandCase();
    void logBinnedPdfIntegratesToOne();
    void ccdfAndRankFrequency();
    void topShares();
    void medianAndDescribe();
    void yearOfDay();
    void edaTinyDataset();
    void edaCancel();
    void movieMeanRebinning();
    void edaMlLatestSmall();
};

void TestStats::hurwitzZeta_data() {
    QTest::addColumn<double>("s");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    const double pi2over6 = std::numbers::pi * std::numbers::pi / 6.0;
    QTest::newRow("zeta(2)") << 2.0 << 1.0 << pi2over6;
    QTest::newRow("zeta(3)") << 3.0 << 1.0 << 1.2020569031595942854;
    QTest::newRow("zeta(4)") << 4.0 << 1.0 << std::pow(std::numbers::pi, 4) / 90.0;
    QTest::newRow("zeta(2,5)") << 2.0 << 5.0 << pi2over6 - (1.0 + 1.0 / 4 + 1.0 / 9 + 1.0 / 16);
    // zeta(2, 1/2) = (2^2 - 1) zeta(2) = pi^2 / 2.
    QTest::newRow("zeta(2,0.5)") << 2.0 << 0.5 << 3.0 * pi2over6;
    // zeta(1.5) = 2.6123753486854883433.
    QTest::newRow("zeta(1.5)") << 1.5 << 1.0 << 2.6123753486854883433;
}

void TestStats::hurwitzZeta() {
    QFETCH(double, s);
    QFETCH(double, q);
    QFETCH(double, expected);
    QVERIFY2(std::abs(lens::hurwitzZeta(s, q) - expected) <= 1e-13 * expected,
             qPrintable(QString::number(lens::hurwitzZeta(s, q), 'g', 17)));
}

void TestStats::hurwitzZetaRecurrence() {
    // zeta(s, q) = q^-s + zeta(s, q + 1), across the switch from direct terms to the expansion
    // and far out in the tail.
    for (double s : {1.01, 1.7, 2.5, 4.0, 9.0})
        for (double q : {1.0, 3.5, 9.0, 9.5, 10.0, 123.0, 65536.0}) {
            const double lhs = lens::hurwitzZeta(s, q);
            const double rhs = std::pow(q, -s) + lens::hurwitzZeta(s, q + 1.0);
            QVERIFY2(std::abs(lhs - rhs) <= 1e-13 * lhs,
                     qPrintable(QString("s=%1 q=%2").arg(s).arg(q)));
        }
    QVERIFY(std::isnan(lens::hurwitzZeta(1.0, 1.0)));
}

void TestStats::powerLawRecovery_data() {
    QTest::addColumn<double>("alpha");
    QTest::addColumn<qulonglong>("xmin");
    QTest::addColumn<double>("bodyShare");  // share of draws uniform on 1..xmin-1
    QTest::addColumn<qulonglong>("xminLow");
    QTest::addColumn<qulonglong>("xminHigh");
    QTest::newRow("alpha 2.5, xmin 1")
        << 2.5 << qulonglong(1) << 0.0 << qulonglong(1) << qulonglong(4);
    QTest::newRow("alpha 2.5, xmin 5, uniform body")
        << 2.5 << qulonglong(5) << 0.3 << qulonglong(4) << qulonglong(10);
    QTest::newRow("alpha 2.0, xmin 1")
        << 2.0 << qulonglong(1) << 0.0 << qulonglong(1) << qulonglong(4);
}

// Tolerances: alpha within 0.05 of the truth (about 7 standard errors at n = 50,000, leaving
// room for the x_min search); x_min within [xminLow, xminHigh]; KS distance below 0.01
// (~2.2 / sqrt(n_tail)); the true alpha within 4 Fisher standard errors of the fit at the
// true x_min.
void TestStats::powerLawRecovery() {
    QFETCH(double, alpha);
    QFETCH(qulonglong, xmin);
    QFETCH(double, bodyShare);
    QFETCH(qulonglong, xminLow);
    QFETCH(qulonglong, xminHigh);
    const DiscretePowerLawSampler sampler(alpha, xmin);
    Pcg32 rng(20240601 + xmin);
    std::vector<std::uint64_t> sample(50'000);
    for (auto& x : sample)
        x = (bodyShare > 0 && rng.uniform() < bodyShare)
                ? 1 + rng.below(static_cast<std::uint32_t>(xmin - 1))
                : sampler.draw(rng);
    const ValueCounts vc = ValueCounts::fromSample(sample);

    const PowerLawFit fit = fitDiscretePowerLaw(vc);
    qInfo(
        "true alpha %.2f xmin %llu -> alpha %.4f +- %.4f (approx %.4f), xmin %llu, KS %.5f, n_tail "
        "%llu, "
        "%zu candidates",
        alpha, xmin, fit.alpha, fit.alphaStdErr, fit.alphaStdErrApprox,
        (unsigned long long)fit.xmin, fit.ks, (unsigned long long)fit.nTail, fit.candidatesTried);
    QVERIFY(fit.valid);
    QVERIFY2(std::abs(fit.alpha - alpha) < 0.05, qPrintable(QString::number(fit.alpha)));
    QVERIFY2(fit.xmin >= xminLow && fit.xmin <= xminHigh, qPrintable(QString::number(fit.xmin)));
    QVERIFY(fit.ks < 0.01);
    QVERIFY(fit.nTail >= 50 && fit.nTail <= fit.n);
    QCOMPARE(fit.n, qulonglong(50'000));
    QVERIFY(fit.alphaStdErr > 0 && fit.alphaStdErr < 0.05);

    const PowerLawFit atTruth = fitDiscretePowerLawAt(vc, xmin);
    QCOMPARE(atTruth.xmin, std::uint64_t(xmin));
    QVERIFY2(std::abs(atTruth.alpha - alpha) < 4 * atTruth.alphaStdErr,
             qPrintable(QString("%1 +- %2").arg(atTruth.alpha).arg(atTruth.alphaStdErr)));
    // The chosen x_min minimises KS over the candidates, so it cannot lose to the truth.
    QVERIFY(fit.ks <= atTruth.ks + 1e-12);
    // The tail CCDF of the fit starts at 1 and decays.
    QCOMPARE(powerLawTailCcdf(fit, static_cast<double>(fit.xmin)), 1.0);
    QVERIFY(powerLawTailCcdf(fit, 10.0 * static_cast<double>(fit.xmin)) < 0.2);
}

void TestStats::powerLawTooFewValues() {
    QVERIFY(!fitDiscretePowerLaw(counts({})).valid);
    QVERIFY(!fitDiscretePowerLaw(counts({3, 3, 3})).valid);  // one distinct value: alpha undefined
    QVERIFY(!fitDiscretePowerLaw(counts({0, 0, 7})).valid);  // zeros ignored
    const PowerLawFit small = fitDiscretePowerLaw(counts({1, 1, 1, 1, 2, 2, 3, 5}));
    QVERIFY(small.valid);  // fewer than minTail values: the whole sample is the one candidate
    QCOMPARE(small.xmin, std::uint64_t(1));
    QCOMPARE(small.nTail, std::uint64_t(8));
    QVERIFY(small.alpha > 1.0 && small.alpha < 5.0);
}

void TestStats::giniAndLorenz_data() {
    QTest::addColumn<std::vector<std::uint64_t>>("values");
    QTest::addColumn<double>("gini");
    QTest::newRow("equal") << std::vector<std::uint64_t>{5, 5, 5, 5} << 0.0;
    QTest::newRow("single") << std::vector<std::uint64_t>{42} << 0.0;
    // {1,1,1,7}: ascending ranks, sum i x_(i) = 1 + 2 + 3 + 4*7 = 34, sum x = 10, n = 4:
    // G = 2*34/(4*10) - 5/4 = 1.7 - 1.25 = 0.45 (mean absolute difference: 3 pairs differ by 6,
    // 2*3*6 / (2 * 4^2 * 2.5) = 36/80 = 0.45).
    QTest::newRow("1,1,1,7") << std::vector<std::uint64_t>{1, 7, 1, 1} << 0.45;
    // {0,0,0,10}: one holds everything: G = (n-1)/n = 0.75.
    QTest::newRow("0,0,0,10") << std::vector<std::uint64_t>{0, 0, 10, 0} << 0.75;
    // {1,2,3,4}: sum i x_(i) = 1+4+9+16 = 30, sum x = 10: G = 60/40 - 5/4 = 0.25.
    QTest::newRow("1,2,3,4") << std::vector<std::uint64_t>{4, 3, 2, 1} << 0.25;
}

void TestStats::giniAndLorenz() {
    QFETCH(std::vector<std::uint64_t>, values);
    QFETCH(double, gini);
    const ValueCounts vc = ValueCounts::fromSample(values);
    QVERIFY(std::abs(giniCoefficient(vc) - gini) < 1e-12);
    const auto lorenz = lorenzCurve(vc, 11);
    QCOMPARE(lorenz.size(), std::size_t(11));
    QCOMPARE(lorenz.front().x, 0.0);
    QCOMPARE(lorenz.front().y, 0.0);
    QCOMPARE(lorenz.back().x, 1.0);
    QCOMPARE(lorenz.back().y, 1.0);
    for (std::size_t i = 1; i < lorenz.size(); ++i) {
        QVERIFY(lorenz[i].y >= lorenz[i - 1].y);
        QVERIFY(lorenz[i].y <= lorenz[i].x + 1e-12);  // never above the line of equality
    }
}

void TestStats::lorenzHandCase() {
    // {1,1,1,7} at population shares 0, 1/4, 1/2, 3/4, 1: the poorest k hold k/10 for k <= 3.
    const auto lorenz = lorenzCurve(counts({1, 1, 1, 7}), 5);
    const double expected[] = {0.0, 0.1, 0.2, 0.3, 1.0};
    for (int i = 0; i < 5; ++i) QVERIFY(std::abs(lorenz[i].y - expected[i]) < 1e-12);
}

void TestStats::logBinnedPdfHandCase() {
    // One bin per decade from 1: [1,10) holds 1,2,3 (width 9), [10,100) holds 10, [100,1000)
    // holds 100; n = 5.
    const LogBinnedPdf pdf = logBinnedPdf(counts({1, 2, 3, 10, 100}), 1);
    QCOMPARE(pdf.bins(), std::size_t(3));
    QCOMPARE(pdf.edges, (std::vector<double>{1, 10, 100, 1000}));
    QCOMPARE(pdf.counts, (std::vector<std::uint64_t>{3, 1, 1}));
    QVERIFY(std::abs(pdf.density[0] - 3.0 / (5 * 9)) < 1e-15);
    QVERIFY(std::abs(pdf.density[1] - 1.0 / (5 * 90)) < 1e-15);
    QVERIFY(std::abs(pdf.centres[0] - 3.0) < 1e-12);  // sqrt(1 * 9)
    QVERIFY(std::abs(pdf.centres[2] - std::sqrt(100.0 * 999.0)) < 1e-9);

    // A gap leaves an empty bin, flagged.
    const LogBinnedPdf gap = logBinnedPdf(counts({1, 1, 500}), 1);
    QCOMPARE(gap.counts, (std::vector<std::uint64_t>{2, 0, 1}));
    QCOMPARE(gap.empty, (std::vector<bool>{false, true, false}));
    QCOMPARE(gap.density[1], 0.0);
}

void TestStats::logBinnedPdfIntegratesToOne() {
    const DiscretePowerLawSampler sampler(2.2, 3);
    Pcg32 rng(7);
    std::vector<std::uint64_t> sample(20'000);
    for (auto& x : sample) x = sampler.draw(rng);
    const ValueCounts vc = ValueCounts::fromSample(sample);
    for (int perDecade : {1, 5, 10, 20}) {
        const LogBinnedPdf pdf = logBinnedPdf(vc, perDecade);
        double integral = 0.0;
        std::uint64_t total = 0;
        for (std::size_t k = 0; k < pdf.bins(); ++k) {
            integral += pdf.density[k] * pdf.widths[k];
            total += pdf.counts[k];
            QCOMPARE(pdf.widths[k], pdf.edges[k + 1] - pdf.edges[k]);
            QVERIFY(pdf.widths[k] >= 1.0);
            QCOMPARE(bool(pdf.empty[k]), pdf.counts[k] == 0);
            QVERIFY(pdf.centres[k] >= pdf.edges[k] && pdf.centres[k] < pdf.edges[k + 1]);
        }
        QVERIFY2(std::abs(integral - 1.0) < 1e-12, qPrintable(QString::number(integral, 'g', 17)));
        QCOMPARE(total, vc.n);
        QCOMPARE(pdf.edges.front(), 3.0);
        QVERIFY(pdf.edges.back() > static_cast<double>(vc.values.back()));
        // Bins grow geometrically once wider than one integer.
        if (perDecade == 10) QVERIFY(pdf.widths.back() > 10.0);
    }
}

void TestStats::ccdfAndRankFrequency() {
    const ValueCounts vc = counts({1, 1, 2, 3, 3, 3, 9});
    const auto ccdf = ccdfPoints(vc);
    QCOMPARE(ccdf.size(), std::size_t(4));
    QCOMPARE(ccdf.front().x, 1.0);
    QCOMPARE(ccdf.front().y, 1.0);
    QVERIFY(std::abs(ccdf[1].y - 5.0 / 7) < 1e-15);      // P(X >= 2)
    QVERIFY(std::abs(ccdf[2].y - 4.0 / 7) < 1e-15);      // P(X >= 3)
    QVERIFY(std::abs(ccdf.back().y - 1.0 / 7) < 1e-15);  // P(X >= 9)
    for (std::size_t i = 1; i < ccdf.size(); ++i) QVERIFY(ccdf[i].y <= ccdf[i - 1].y);

    const auto zipf = rankFrequency(vc, 100);
    // Descending order 9,3,3,3,2,1,1: every rank 1..7 once.
    const double expected[] = {9, 3, 3, 3, 2, 1, 1};
    QCOMPARE(zipf.size(), std::size_t(7));
    for (int r = 0; r < 7; ++r) {
        QCOMPARE(zipf[r].x, double(r + 1));
        QCOMPARE(zipf[r].y, expected[r]);
    }
    // Many entities: log-spaced ranks, first and last kept, values non-increasing.
    std::vector<std::uint64_t> many(100'000);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = 1 + (i * 7919) % 1000;
    const auto sparse = rankFrequency(ValueCounts::fromSample(many), 20);
    QVERIFY(sparse.size() < 150);
    QCOMPARE(sparse.front().x, 1.0);
    QCOMPARE(sparse.front().y, 1000.0);
    QCOMPARE(sparse.back().x, 100'000.0);
    QCOMPARE(sparse.back().y, 1.0);
    for (std::size_t i = 1; i < sparse.size(); ++i) {
        QVERIFY(sparse[i].x > sparse[i - 1].x);
        QVERIFY(sparse[i].y <= sparse[i - 1].y);
    }
}

void TestStats::topShares() {
    // 1..100, total 5050: the top 1 % is {100}, the top 10 % is 91..100 = 955.
    std::vector<std::uint64_t> v(100);
    std::iota(v.begin(), v.end(), 1);
    const ValueCounts vc = ValueCounts::fromSample(v);
    QVERIFY(std::abs(topShare(vc, 0.01) - 100.0 / 5050) < 1e-15);
    QVERIFY(std::abs(topShare(vc, 0.10) - 955.0 / 5050) < 1e-15);
    // Ten entities 1..10 (total 55): the top 1 % rounds up to one entity, 10 % is one entity.
    const ValueCounts ten = counts({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    QVERIFY(std::abs(topShare(ten, 0.01) - 10.0 / 55) < 1e-15);
    QVERIFY(std::abs(topShare(ten, 0.10) - 10.0 / 55) < 1e-15);
    QVERIFY(std::abs(topShare(ten, 0.25) - 27.0 / 55) < 1e-15);  // ceil(2.5) = 3: 10+9+8
    // Ties split a value group: {5,5,5,5} top 10 % -> one of the fives.
    QVERIFY(std::abs(topShare(counts({5, 5, 5, 5}), 0.10) - 0.25) < 1e-15);
}

void TestStats::medianAndDescribe() {
    QCOMPARE(medianValue(counts({1, 2, 3})), 2.0);
    QCOMPARE(medianValue(counts({1, 2, 3, 10})), 2.5);
    QCOMPARE(medianValue(counts({4, 4, 4, 9})), 4.0);

    const DegreeStats s = describeDegrees({0, 1, 1, 1, 7, 0});
    QCOMPARE(s.zeroCount, std::uint64_t(2));
    QCOMPARE(s.entities, std::uint64_t(4));
    QCOMPARE(s.total, 10.0);
    QCOMPARE(s.singleCount, std::uint64_t(3));
    QCOMPARE(s.min, std::uint64_t(1));
    QCOMPARE(s.max, std::uint64_t(7));
    QCOMPARE(s.median, 1.0);
    QCOMPARE(s.mean, 2.5);
    QVERIFY(std::abs(s.gini - 0.45) < 1e-12);  // zeros left out
    QVERIFY(std::abs(s.top10Share - 0.7) < 1e-12);
}

void TestStats::yearOfDay() {
    QCOMPARE(lens::yearOfDay(0), 1970);
    QCOMPARE(lens::yearOfDay(364), 1970);  // 1970-12-31
    QCOMPARE(lens::yearOfDay(365), 1971);
    QCOMPARE(lens::yearOfDay(10956), 1999);  // 1999-12-31
    QCOMPARE(lens::yearOfDay(10957), 2000);  // 2000-01-01 (946684800 s)
    QCOMPARE(lens::yearOfDay(11016), 2000);  // 2000-02-29
    QCOMPARE(lens::yearOfDay(11322), 2000);  // 2000-12-31 (leap year: 366 days)
    QCOMPARE(lens::yearOfDay(11323), 2001);
    QCOMPARE(lens::yearOfDay(49710), 2106);  // 2^32 - 1 seconds
}

namespace {
// Three users, four movies (one never rated), 2 tags with case variants.
//   user 10: movie 1 -> 4.0 (1999-12-31 23:59:59), movie 2 -> 3.5 (2000-01-01), movie 3 -> 5.0
//   (2000) user 20: movie 1 -> 0.5 (1970-01-01), movie 2 -> 4.0 (2001-06-01) user 30: movie 1
//   -> 4.0 (2001-06-01)
Dataset tinyStatsDataset() {
    RawRatings r;
    r.push(10, 1, 8, 946684799);
    r.push(10, 2, 7, 946684800);
    r.push(10, 3, 10, 960000000);
    r.push(20, 1, 1, 0);
    r.push(20, 2, 8, 991353600);
    r.push(30, 1, 8, 991353600);
    std::vector<RawMovie> movies{{1, "Alpha (1995)", parseGenreList("Action|Comedy")},
                                 {2, "Beta (1996)", parseGenreList("Comedy")},
                                 {3, "Gamma (1997)", 0},
                                 {4, "Delta (1998)", parseGenreList("Drama")}};
    std::vector<RawTag> tags{{10, 1, "Funny", 1}, {20, 1, " funny", 2}, {20, 2, "dark", 3}};
    Dataset ds = buildDataset(std::move(r), std::move(movies), std::move(tags));
    ds.name = "tiny";
    return ds;
}
}  // namespace

void TestStats::edaTinyDataset() {
    const Dataset ds = tinyStatsDataset();
    EdaOptions options;
    options.minRatingsForMovieMean = 2;
    const EdaReport r = computeEda(ds, options);
    QCOMPARE(r.datasetName, std::string("tiny"));
    QCOMPARE(r.users, std::uint64_t(3));
    QCOMPARE(r.movies, std::uint64_t(4));
    QCOMPARE(r.ratings, std::uint64_t(6));
    QVERIFY(std::abs(r.density - 6.0 / 12) < 1e-15);
    QVERIFY(std::abs(r.sparsity - 0.5) < 1e-15);

    // Ratings 4.0, 3.5, 5.0, 0.5, 4.0, 4.0: sum 21, mean 3.5; sorted 0.5 3.5 4 4 4 5 -> median 4.
    const RatingHistogram& h = r.ratingHistogram;
    QCOMPARE(h.total, std::uint64_t(6));
    QCOMPARE(h.counts[0], std::uint64_t(1));  // 0.5
    QCOMPARE(h.counts[6], std::uint64_t(1));  // 3.5
    QCOMPARE(h.counts[7], std::uint64_t(3));  // 4.0
    QCOMPARE(h.counts[9], std::uint64_t(1));  // 5.0
    QCOMPARE(h.mean, 3.5);
    QCOMPARE(h.median, 4.0);

    // Users 3, 2, 1 ratings; movies 3, 2, 1, 0.
    QCOMPARE(r.userDegrees.entities, std::uint64_t(3));
    QCOMPARE(r.userDegrees.singleCount, std::uint64_t(1));
    QCOMPARE(r.movieDegrees.entities, std::uint64_t(3));
    QCOMPARE(r.movieDegrees.zeroCount, std::uint64_t(1));
    QCOMPARE(r.movieDegrees.singleCount, std::uint64_t(1));
    QCOMPARE(r.movieDegrees.max, std::uint64_t(3));
    QCOMPARE(r.movieDegrees.median, 2.0);
    // {1,2,3}: sum i x_(i) = 1+4+9 = 14, sum 6: G = 28/18 - 4/3 = 2/9.
    QVERIFY(std::abs(r.movieDegrees.gini - 2.0 / 9) < 1e-12);

    // Movie means with >= 2 ratings: movie 1 (4+0.5+4)/3 = 2.8333 -> bin [2.75, 3.0);
    // movie 2 (3.5+4)/2 = 3.75 -> bin [3.75, 4.0).
    const MovieMeanHistogram& mm = r.movieMeans;
    QCOMPARE(mm.moviesCounted, std::uint64_t(2));
    QCOMPARE(mm.counts.size(), std::size_t(18));
    QCOMPARE(mm.edges.front(), 0.5);
    QCOMPARE(mm.edges.back(), 5.0);
    QCOMPARE(mm.counts[9], std::uint64_t(1));
    QCOMPARE(mm.counts[13], std::uint64_t(1));
    QCOMPARE(std::accumulate(mm.counts.begin(), mm.counts.end(), std::uint64_t(0)),
             std::uint64_t(2));

    // Years 1970 .. 2001, every year present, zeros in between.
    QCOMPARE(r.ratingsPerYear.front().year, 1970);
    QCOMPARE(r.ratingsPerYear.back().year, 2001);
    QCOMPARE(r.ratingsPerYear.size(), std::size_t(32));
    auto yearCount = [&](int year) {
        return r.ratingsPerYear[static_cast<std::size_t>(year - 1970)].ratings;
    };
    QCOMPARE(yearCount(1970), std::uint64_t(1));
    QCOMPARE(yearCount(1985), std::uint64_t(0));
    QCOMPARE(yearCount(1999), std::uint64_t(1));
    QCOMPARE(yearCount(2000), std::uint64_t(2));
    QCOMPARE(yearCount(2001), std::uint64_t(2));
    QCOMPARE(r.firstTimestamp, 0u);
    QCOMPARE(r.lastTimestamp, 991353600u);

    // Genres: Action {1}: 3 ratings, mean 8.5/3; Comedy {1,2}: 5 ratings; Drama {4}: unrated.
    const auto genre = [&](const char* name) {
        return r.genres[static_cast<std::size_t>(*genreIdFromName(name))];
    };
    QCOMPARE(genre("Action").movies, std::uint64_t(1));
    QCOMPARE(genre("Action").ratings, std::uint64_t(3));
    QVERIFY(std::abs(genre("Action").meanRating - 8.5 / 3) < 1e-12);
    QCOMPARE(genre("Comedy").movies, std::uint64_t(2));
    QCOMPARE(genre("Comedy").ratings, std::uint64_t(5));
    QVERIFY(std::abs(genre("Comedy").meanRating - 16.0 / 5) < 1e-12);
    QCOMPARE(genre("Drama").movies, std::uint64_t(1));
    QCOMPARE(genre("Drama").ratings, std::uint64_t(0));
    QCOMPARE(r.moviesWithoutGenre, std::uint64_t(1));
    QCOMPARE(r.ratingsWithoutGenre, std::uint64_t(1));

    // Tags: "Funny" and " funny" fold into one.
    QCOMPARE(r.tags.total, std::uint64_t(3));
    QCOMPARE(r.tags.distinct, std::uint64_t(2));
    QCOMPARE(r.tags.taggedMovies, std::uint64_t(2));
    QCOMPARE(r.tags.taggingUsers, std::uint64_t(2));
    QCOMPARE(r.tags.top.size(), std::size_t(2));
    QCOMPARE(r.tags.top[0].text, std::string("Funny"));
    QCOMPARE(r.tags.top[0].count, std::uint64_t(2));
}

void TestStats::movieMeanRebinning() {
    // The report keeps every rated movie's (ratings, mean): movie 1 (3, 8.5/3), movie 2
    // (2, 3.75), movie 3 (1, 5.0); movie 4 is unrated and left out.
    const EdaReport r = computeEda(tinyStatsDataset());
    QCOMPARE(r.movieRatingSummaries.size(), std::size_t(3));
    std::vector<std::uint64_t> counts;
    for (const auto& m : r.movieRatingSummaries) counts.push_back(m.ratings);
    std::sort(counts.begin(), counts.end());
    QCOMPARE(counts, (std::vector<std::uint64_t>{1, 2, 3}));

    // Default filter (1): all three; 5.0 falls in the last (closed) bin.
    QCOMPARE(r.movieMeans.minRatings, std::uint64_t(1));
    QCOMPARE(r.movieMeans.moviesCounted, std::uint64_t(3));
    QCOMPARE(r.movieMeans.counts.back(), std::uint64_t(1));
    QVERIFY(std::abs(r.movieMeans.meanOfMeans - (8.5 / 3 + 3.75 + 5.0) / 3) < 1e-12);

    // Re-binning with another filter matches a full recomputation with that filter.
    EdaOptions two;
    two.minRatingsForMovieMean = 2;
    const MovieMeanHistogram viaReport = movieMeanHistogram(r.movieRatingSummaries, 2);
    const MovieMeanHistogram viaEda = computeEda(tinyStatsDataset(), two).movieMeans;
    QCOMPARE(viaReport.counts, viaEda.counts);
    QCOMPARE(viaReport.edges, viaEda.edges);
    QCOMPARE(viaReport.moviesCounted, std::uint64_t(2));
    QCOMPARE(viaReport.meanOfMeans, viaEda.meanOfMeans);

    const MovieMeanHistogram three = movieMeanHistogram(r.movieRatingSummaries, 3);
    QCOMPARE(three.moviesCounted, std::uint64_t(1));
    QCOMPARE(three.counts[9], std::uint64_t(1));  // 2.8333 in [2.75, 3.0)
    QCOMPARE(movieMeanHistogram(r.movieRatingSummaries, 4).moviesCounted, std::uint64_t(0));
    QCOMPARE(movieMeanHistogram(r.movieRatingSummaries, 4).meanOfMeans, 0.0);

    // Hand-made edges: half-star bins, 0.5 in the first, 5.0 in the last, 4.5 in [4.5, 5.0].
    const std::vector<MovieRatingSummary> hand{{1, 0.5}, {1, 5.0}, {1, 4.5}, {1, 4.4999}};
    const MovieMeanHistogram halves = movieMeanHistogram(hand, 0, 0.5);
    QCOMPARE(halves.minRatings, std::uint64_t(1));
    QCOMPARE(halves.counts.size(), std::size_t(9));
    QCOMPARE(halves.counts[0], std::uint64_t(1));
    QCOMPARE(halves.counts[7], std::uint64_t(1));
    QCOMPARE(halves.counts[8], std::uint64_t(2));
}

void TestStats::edaCancel() {
    const Dataset ds = tinyStatsDataset();
    std::vector<std::string> stages;
    const EdaReport full = computeEda(ds, {}, [&](double, const std::string& stage) {
        stages.push_back(stage);
        return true;
    });
    QVERIFY(stages.size() >= 5);
    QCOMPARE(stages.back(), std::string("done"));
    int calls = 0;
    QVERIFY_THROWS_EXCEPTION(
        Cancelled, computeEda(ds, {}, [&](double, const std::string&) { return ++calls < 3; }));
    QCOMPARE(calls, 3);
}

void TestStats::edaMlLatestSmall() {
    LENS_REQUIRE_RELEASE(path, "ml-latest-small");
    const Dataset ds = loadDataset(path.toStdString());
    const EdaReport r = computeEda(ds);
    const RatingHistogram& h = r.ratingHistogram;
    QCOMPARE(h.counts[0], std::uint64_t(1'370));   // 0.5
    QCOMPARE(h.counts[7], std::uint64_t(26'818));  // 4.0
    QCOMPARE(h.counts[9], std::uint64_t(13'211));  // 5.0
    QCOMPARE(h.total, std::uint64_t(100'836));
    QVERIFY2(std::abs(h.mean - 3.5016) < 5e-5, qPrintable(QString::number(h.mean, 'f', 6)));
    QCOMPARE(h.median, 3.5);
    QCOMPARE(r.users, std::uint64_t(610));
    QCOMPARE(r.userDegrees.min, std::uint64_t(20));  // every user of the release has >= 20 ratings
    QCOMPARE(r.movieDegrees.entities, std::uint64_t(9'724));
    QCOMPARE(std::uint64_t(r.movieDegrees.total), std::uint64_t(100'836));

    const PowerLawFit& m = r.movieDegrees.fit;
    const PowerLawFit& u = r.userDegrees.fit;
    qInfo(
        "ml-latest-small movies: alpha %.4f +- %.4f, xmin %llu, KS %.4f, n_tail %llu of %llu; gini "
        "%.4f, "
        "top1 %.4f top10 %.4f, single %llu",
        m.alpha, m.alphaStdErr, (unsigned long long)m.xmin, m.ks, (unsigned long long)m.nTail,
        (unsigned long long)m.n, r.movieDegrees.gini, r.movieDegrees.top1Share,
        r.movieDegrees.top10Share, (unsigned long long)r.movieDegrees.singleCount);
    qInfo(
        "ml-latest-small users: alpha %.4f +- %.4f, xmin %llu, KS %.4f, n_tail %llu of %llu; gini "
        "%.4f, "
        "top1 %.4f top10 %.4f; computed in %.3f s",
        u.alpha, u.alphaStdErr, (unsigned long long)u.xmin, u.ks, (unsigned long long)u.nTail,
        (unsigned long long)u.n, r.userDegrees.gini, r.userDegrees.top1Share,
        r.userDegrees.top10Share, r.seconds);
    // Plausible ranges: movie popularity tails of MovieLens are heavy (alpha ~ 1.5-3.5).
    QVERIFY(m.valid && m.alpha > 1.5 && m.alpha < 3.5);
    QVERIFY(m.ks < 0.1);
    QVERIFY(u.valid && u.alpha > 1.2 && u.alpha < 4.0);
    QVERIFY(r.movieDegrees.gini > 0.5 && r.movieDegrees.gini < 1.0);
    QVERIFY(r.movieDegrees.top10Share > r.movieDegrees.top1Share);
    QVERIFY(r.movieDegrees.singleCount > 1000);
}

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
