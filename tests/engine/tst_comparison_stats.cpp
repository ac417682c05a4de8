// Statistics of the Compare stage: bootstrap percentile intervals of per-user means (plain and
// paired), the paired t-test and Wilcoxon signed-rank test against scipy 1.10.1 references,
// Holm's correction against a hand computation, and the honesty of the bootstrap intervals
// (their measured coverage on synthetic data with a known mean).
//
// The reference values were computed once, offline, with scipy 1.10.1 / numpy 1.24.2; each block
// shows the exact call. The vectors are multiples of 1/64 (exact in binary), so the differences
// a - b are the same numbers here and in numpy.
#include <QtTest>

#include <omp.h>

#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

#include "stats/Bootstrap.h"
#include "stats/MultipleTesting.h"
#include "stats/PairedTests.h"
#include "util/Random.h"

using namespace lens;

namespace {

bool relClose(double value, double reference, double rel = 1e-6) {
    if (std::isnan(reference)) return std::isnan(value);
    return std::fabs(value - reference) <= rel * std::max(std::fabs(reference), 1e-300);
}

#define LENS_CLOSE(value, reference)                                     \
    QVERIFY2(relClose((value), (reference)),                             \
             qPrintable(QStringLiteral("%1 = %2, reference %3")          \
                            .arg(QStringLiteral(#value))                 \
                            .arg(static_cast<double>(value), 0, 'g', 17) \
                            .arg(static_cast<double>(reference), 0, 'g', 17)))

std::vector<double> exponentialSample(std::size_t n, std::uint64_t seed) {
    Pcg32 rng(seed);
    std::vector<double> x(n);
    for (double& v : x) v = -std::log1p(-rng.uniform());  // Exp(1): mean 1
    return x;
}

// One scipy reference case: a paired sample and what ttest_rel / wilcoxon say of it.
struct PairedCase {
    std::vector<double> a, b;
    // scipy.stats.ttest_rel(a, b): statistic, pvalue, confidence_interval(0.95); numpy d_z.
    double t, tP, ciLow, ciHigh, dz, mean;
    // scipy.stats.wilcoxon(a, b, method=..., correction=True): statistic, pvalue, zstatistic.
    double wT, wP, wZ;                     // wZ NaN for the exact rows
    double wPNoCorrection = std::nan("");  // method='approx', correction=False
    bool exact = false;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The scipy reference cases (tests/engine/tst_comparison_stats.cpp, computed offline):
//   from scipy import stats; import numpy as np
//   t = stats.ttest_rel(a, b); t.statistic, t.pvalue, t.confidence_interval(0.95)
//   d = a - b; d.mean() / d.std(ddof=1)                               # Cohen's d_z
//   w = stats.wilcoxon(a, b, method='exact' | 'approx', correction=True)
//   stats.wilcoxon(a, b, method='approx', correction=False)           # approx rows
std::vector<PairedCase> scipyCases() {
    std::vector<PairedCase> cases;
    {  // A: n = 10, distinct |d|, no zeros: exact.
        PairedCase c;
        c.a = {4.0, 3.5, 5.0, 2.5, 4.5, 3.0, 3.5, 4.0, 2.0, 5.0};
        c.b = {3.875, 3.75, 4.5, 2.125, 3.25, 2.0, 2.875, 3.125, 2.75, 3.875};
        c.t = 2.4243823716712707, c.tP = 0.03833412472392669;
        c.ciLow = 0.03262059247650495, c.ciHigh = 0.942379407523495;
        c.dz = 0.7666570213642093, c.mean = 0.4875;
        c.wT = 8.0, c.wP = 0.048828125, c.wZ = kNaN, c.exact = true;
        cases.push_back(c);
    }
    {  // B: n = 20, weak effect, exact.
        //   a = [2.0 + (i % 5) * 0.5 for i in range(20)]
        //   b = a - sign_i * (i * 7 % 20 + 1) / 32, sign_i = 1 if (i * 3 % 5) < 3 else -1
        PairedCase c;
        for (int i = 0; i < 20; ++i) {
            c.a.push_back(2.0 + (i % 5) * 0.5);
            const double sign = (i * 3 % 5) < 3 ? 1.0 : -1.0;
            c.b.push_back(c.a.back() - sign * (i * 7 % 20 + 1) / 32.0);
        }
        c.t = 0.9301663677895738, c.tP = 0.36395341992359764;
        c.ciLow = -0.09766882561339518, c.ciHigh = 0.2539188256133952;
        c.dz = 0.2079915228761558, c.mean = 0.078125;
        c.wT = 80.0, c.wP = 0.36827659606933594, c.wZ = kNaN, c.exact = true;
        cases.push_back(c);
    }
    {  // C: n = 30, exact.
        //   a = [3 + ((i*13) % 7)/8 for i in range(30)]
        //   d = [(i+1)/16 * (-1 if (i*7) % 5 < 2 else 1) for i in range(30)]; b = a - d
        PairedCase c;
        for (int i = 0; i < 30; ++i) {
            c.a.push_back(3.0 + ((i * 13) % 7) / 8.0);
            const double d = (i + 1) / 16.0 * ((i * 7) % 5 < 2 ? -1.0 : 1.0);
            c.b.push_back(c.a.back() - d);
        }
        c.t = 1.0829426516649199, c.tP = 0.2877563155943967;
        c.ciLow = -0.19437804840469042, c.ciHigh = 0.6318780484046904;
        c.dz = 0.19771737293377872, c.mean = 0.21875;
        c.wT = 180.0, c.wP = 0.28936620615422726, c.wZ = kNaN, c.exact = true;
        cases.push_back(c);
    }
    {  // D: n = 15 with ties and 3 zeros: the normal approximation (method='approx').
        PairedCase c;
        c.a = {4.0, 3.5, 5.0, 2.5, 4.5, 3.0, 3.5, 4.0, 2.0, 5.0, 1.5, 3.0, 4.5, 2.5, 3.5};
        c.b = {3.5, 3.5, 4.0, 2.0, 4.0, 3.5, 3.0, 4.0, 2.5, 4.0, 1.0, 2.0, 4.5, 2.0, 2.5};
        c.t = 3.0550504633038935, c.tP = 0.008563538081895498;
        c.ciLow = 0.11918150437391584, c.ciHigh = 0.6808184956260842;
        c.dz = 0.7888106377466155, c.mean = 0.4;
        c.wT = 9.0, c.wP = 0.016276057164915494, c.wZ = -2.402665739007336;
        c.wPNoCorrection = 0.014550049247421981;
        cases.push_back(c);
    }
    {  // E: n = 300 quarter stars, many ties, 14 zeros: approx.
        //   a = [((i*7919 + 13) % 21)/4 for i in range(300)]
        //   b = [((i*104729 + 7) % 19)/4 for i in range(300)]
        PairedCase c;
        for (long i = 0; i < 300; ++i) {
            c.a.push_back(static_cast<double>((i * 7919 + 13) % 21) / 4.0);
            c.b.push_back(static_cast<double>((i * 104729 + 7) % 19) / 4.0);
        }
        c.t = 2.0103061092893837, c.tP = 0.04529657945750342;
        c.ciLow = 0.005059102992708092, c.ciHigh = 0.4749408970072919;
        c.dz = 0.1160650773351775, c.mean = 0.24;
        c.wT = 17890.0, c.wP = 0.06012289484913876, c.wZ = -1.8798912926516667;
        c.wPNoCorrection = 0.06007419308361918;
        cases.push_back(c);
    }
    {  // F: n = 120, distinct |d|, no zeros: approx (n > 50).
        //   mags = [(i*37 % 120 + 1)/64 ...]; signs = [1 if (i*11 % 7) < 4 else -1 ...]
        //   a = [2 + (i % 9)/8 ...]; b = a - signs * mags
        PairedCase c;
        for (int i = 0; i < 120; ++i) {
            c.a.push_back(2.0 + (i % 9) / 8.0);
            const double sign = (i * 11 % 7) < 4 ? 1.0 : -1.0;
            c.b.push_back(c.a.back() - sign * (i * 37 % 120 + 1) / 64.0);
        }
        c.t = 1.276098715816913, c.tP = 0.20440566651207934;
        c.ciLow = -0.06982229962714881, c.ciHigh = 0.3229472996271488;
        c.dz = 0.1164913420427163, c.mean = 0.1265625;
        c.wT = 3144.0, c.wP = 0.20356471196641235, c.wZ = -1.2714609478639154;
        c.wPNoCorrection = 0.20309953391413305;
        cases.push_back(c);
    }
    return cases;
}

}  // namespace

class TestComparisonStats : public QObject {
    Q_OBJECT

private slots:
    void bootstrapEmptyAndSingle();
    void bootstrapRejectsBadInput();
    void bootstrapQuantileMatchesNumpy();
    void bootstrapResamplesAreTheDocumentedOnes();
    void bootstrapSameForAnyThreadCount();
    void bootstrapPairedSharesResamples();
    void bootstrapStandardErrorMatchesTheory();
    void bootstrapSpeed();
    void bootstrapCoverage_data();
    void bootstrapCoverage();
    void pairedTTestMatchesScipy();
    void pairedTTestDegenerate();
    void wilcoxonMatchesScipy();
    void wilcoxonMethodChoice();
    void wilcoxonExactTinyByHand();
    void wilcoxonDegenerate();
    void holmMatchesHandComputation();
    void holmEdgeCases();
};

void TestComparisonStats::bootstrapEmptyAndSingle() {
    const BootstrapCI empty = bootstrapMeanCI(std::vector<double>{});
    QCOMPARE(empty.n, std::size_t{0});
    QVERIFY(std::isnan(empty.estimate) && std::isnan(empty.lower) && std::isnan(empty.upper));

    const std::vector<double> one{0.25};
    const BootstrapCI single = bootstrapMeanCI(one);
    QCOMPARE(single.estimate, 0.25);
    QCOMPARE(single.lower, 0.25);
    QCOMPARE(single.upper, 0.25);
    QCOMPARE(single.standardError, 0.0);

    const std::vector<double> constant(50, 3.0);
    const BootstrapCI flat = bootstrapMeanCI(constant);
    QCOMPARE(flat.lower, 3.0);
    QCOMPARE(flat.upper, 3.0);
}

void TestComparisonStats::bootstrapRejectsBadInput() {
    const std::vector<double> bad{1.0, std::nan(""), 2.0};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanCI(bad));
    const std::vector<double> ok{1.0, 2.0, 3.0};
    BootstrapOptions none;
    none.resamples = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanCI(ok, none));
    BootstrapOptions full;
    full.confidence = 1.0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanCI(ok, full));
    const std::vector<double> two{1.0, 2.0};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bootstrapMeanDifferenceCI(ok, two));
}

void TestComparisonStats::bootstrapQuantileMatchesNumpy() {
    // np.percentile([1, 2, 4, 8, 16], [2.5, 50, 97.5, 0, 100, 30]) (linear, numpy's default)
    // -> [1.1, 4.0, 15.2, 1.0, 16.0, 2.4]
    const std::vector<double> sorted{1, 2, 4, 8, 16};
    LENS_CLOSE(sortedQuantile(sorted, 0.025), 1.1);
    LENS_CLOSE(sortedQuantile(sorted, 0.5), 4.0);
    LENS_CLOSE(sortedQuantile(sorted, 0.975), 15.2);
    LENS_CLOSE(sortedQuantile(sorted, 0.0), 1.0);
    LENS_CLOSE(sortedQuantile(sorted, 1.0), 16.0);
    LENS_CLOSE(sortedQuantile(sorted, 0.3), 2.4);
}

// The header's recipe, re-implemented serially: resample b draws Pcg32(deriveSeed(seed,
// b)).below(n) n times; the interval is the type-7 quantiles of the sorted means.
void TestComparisonStats::bootstrapResamplesAreTheDocumentedOnes() {
    const std::vector<double> x = exponentialSample(37, 5);
    BootstrapOptions options;
    options.resamples = 200;
    options.seed = 99;
    options.keepResampleMeans = true;
    const BootstrapCI ci = bootstrapMeanCI(x, options);
    QCOMPARE(ci.resampleMeans.size(), std::size_t{200});
    std::vector<double> means;
    for (int b = 0; b < 200; ++b) {
        Pcg32 rng(deriveSeed(99, static_cast<std::uint64_t>(b)));
        double sum = 0.0;
        for (std::size_t k = 0; k < x.size(); ++k) sum += x[rng.below(37)];
        means.push_back(sum / 37.0);
        QCOMPARE(ci.resampleMeans[static_cast<std::size_t>(b)], means.back());
    }
    std::sort(means.begin(), means.end());
    // positions (B - 1) p = 199 * 0.025 = 4.975 and 199 * 0.975 = 194.025
    QCOMPARE(ci.lower, means[4] + 0.975 * (means[5] - means[4]));
    QCOMPARE(ci.upper, means[194] + 0.025 * (means[195] - means[194]));
    QCOMPARE(ci.estimate, std::accumulate(x.begin(), x.end(), 0.0) / 37.0);
}

void TestComparisonStats::bootstrapSameForAnyThreadCount() {
    const std::vector<double> x = exponentialSample(5000, 11);
    const int saved = omp_get_max_threads();
    BootstrapOptions options;
    options.seed = 7;
    options.keepResampleMeans = true;
    omp_set_num_threads(1);
    const BootstrapCI one = bootstrapMeanCI(x, options);
    omp_set_num_threads(2);
    const BootstrapCI two = bootstrapMeanCI(x, options);
    omp_set_num_threads(3);
    const BootstrapCI three = bootstrapMeanCI(x, options);
    omp_set_num_threads(saved);
    QCOMPARE(one.lower, two.lower);
    QCOMPARE(one.upper, two.upper);
    QCOMPARE(one.lower, three.lower);
    QCOMPARE(one.upper, three.upper);
    QVERIFY(one.resampleMeans == two.resampleMeans);
    QVERIFY(one.resampleMeans == three.resampleMeans);
    options.seed = 8;
    const BootstrapCI other = bootstrapMeanCI(x, options);
    QVERIFY(other.resampleMeans != one.resampleMeans);
}

void TestComparisonStats::bootstrapPairedSharesResamples() {
    const std::vector<double> a = exponentialSample(300, 1);
    std::vector<double> b = exponentialSample(300, 2);
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = 0.5 * b[i] + 0.5 * a[i];
    BootstrapOptions options;
    options.keepResampleMeans = true;
    const BootstrapCI ca = bootstrapMeanCI(a, options);
    const BootstrapCI cb = bootstrapMeanCI(b, options);
    const BootstrapCI cd = bootstrapMeanDifferenceCI(a, b, options);
    for (std::size_t r = 0; r < cd.resampleMeans.size(); ++r)
        QVERIFY(std::fabs(cd.resampleMeans[r] - (ca.resampleMeans[r] - cb.resampleMeans[r])) <
                1e-12);
    LENS_CLOSE(cd.estimate, ca.estimate - cb.estimate);
    // Positively correlated pairs: the paired interval is narrower than the unpaired one would be.
    const double unpairedSe = std::hypot(ca.standardError, cb.standardError);
    QVERIFY(cd.standardError < unpairedSe);
}

// The bootstrap standard error of a mean is close to the plug-in value sqrt(sum (x - xbar)^2 / n) /
// sqrt(n); with B = 4000 resamples its Monte-Carlo error is about 1 / sqrt(2 B) = 1.1 %.
void TestComparisonStats::bootstrapStandardErrorMatchesTheory() {
    const std::vector<double> x = exponentialSample(1000, 3);
    const double n = static_cast<double>(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0.0;
    for (const double v : x) ss += (v - mean) * (v - mean);
    const double plugIn = std::sqrt(ss / n) / std::sqrt(n);
    BootstrapOptions options;
    options.resamples = 4000;
    const BootstrapCI ci = bootstrapMeanCI(x, options);
    QVERIFY2(std::fabs(ci.standardError / plugIn - 1.0) < 0.05,
             qPrintable(
                 QStringLiteral("bootstrap se %1, plug-in %2").arg(ci.standardError).arg(plugIn)));
    // ... and the percentile interval is close to mean -/+ 1.96 se for n = 1000.
    QVERIFY(std::fabs((ci.upper - ci.lower) / (2 * 1.959964 * plugIn) - 1.0) < 0.08);
}

// ML-20M's 138,493 users, one metric, the default 1,000 resamples: at most 2 s on 2 cores.
void TestComparisonStats::bootstrapSpeed() {
    std::vector<double> x = exponentialSample(138493, 17);
    const auto start = std::chrono::steady_clock::now();
    const BootstrapCI ci = bootstrapMeanCI(x);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("bootstrap of 138,493 values x 1,000 resamples on %d threads: %.3f s",
          omp_get_max_threads(), seconds);
    QVERIFY(ci.lower < ci.estimate && ci.estimate < ci.upper);
#if !defined(LENS_ATLAS_SANITIZED) && defined(NDEBUG)
    QVERIFY2(seconds <= 2.0, qPrintable(QStringLiteral("took %1 s").arg(seconds)));
#endif
}

// Honest intervals: over many synthetic data sets with a known mean, the nominal 95 % interval
// contains it about 95 % of the time. Each data set has 200 users and is drawn from its own
// fixed seed; every interval uses 1,000 resamples.
void TestComparisonStats::bootstrapCoverage_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("exponential (skewed), mean 1") << 0;
    QTest::newRow("zero-inflated like NDCG, mean 2/15") << 1;
    QTest::newRow("paired difference, mean 0.25") << 2;
}

void TestComparisonStats::bootstrapCoverage() {
    QFETCH(int, kind);
    constexpr int kDataSets = 1000;
    constexpr std::size_t kUsers = 200;
    int covered = 0;
    for (int s = 0; s < kDataSets; ++s) {
        Pcg32 rng(
            deriveSeed(20240917 + static_cast<std::uint64_t>(kind), static_cast<std::uint64_t>(s)));
        BootstrapOptions options;
        options.seed = static_cast<std::uint64_t>(s);
        BootstrapCI ci;
        double truth = 0.0;
        if (kind == 0) {
            std::vector<double> x(kUsers);
            for (double& v : x) v = -std::log1p(-rng.uniform());
            ci = bootstrapMeanCI(x, options);
            truth = 1.0;
        } else if (kind == 1) {
            // 0 with probability 0.6, else U^2 (mean 1/3): mean 0.4 / 3 = 2/15.
            std::vector<double> x(kUsers);
            for (double& v : x) {
                const double u = rng.uniform(), w = rng.uniform();
                v = u < 0.6 ? 0.0 : w * w;
            }
            ci = bootstrapMeanCI(x, options);
            truth = 2.0 / 15.0;
        } else {
            // a = E + 0.25 + N(0, 0.5^2) noise, b = E with E ~ Exp(1): mean difference 0.25.
            std::vector<double> a(kUsers), b(kUsers);
            for (std::size_t i = 0; i < kUsers; ++i) {
                b[i] = -std::log1p(-rng.uniform());
                a[i] = b[i] + 0.25 + 0.5 * rng.normal();
            }
            ci = bootstrapMeanDifferenceCI(a, b, options);
            truth = 0.25;
        }
        if (ci.contains(truth)) ++covered;
    }
    const double coverage = covered / static_cast<double>(kDataSets);
    qInfo("coverage of the 95 %% percentile interval over %d data sets: %.4f", kDataSets, coverage);
    QVERIFY2(coverage >= 0.92 && coverage <= 0.98, qPrintable(QString::number(coverage)));
}

void TestComparisonStats::pairedTTestMatchesScipy() {
    for (const PairedCase& c : scipyCases()) {
        const PairedTTestResult r = pairedTTest(c.a, c.b);
        QCOMPARE(r.n, c.a.size());
        QCOMPARE(r.df, static_cast<double>(c.a.size() - 1));
        LENS_CLOSE(r.t, c.t);
        LENS_CLOSE(r.pValue, c.tP);
        LENS_CLOSE(r.ciLower, c.ciLow);
        LENS_CLOSE(r.ciUpper, c.ciHigh);
        LENS_CLOSE(r.cohensDz, c.dz);
        LENS_CLOSE(r.meanDifference, c.mean);
        // Swapping the samples flips the signs and keeps p.
        const PairedTTestResult s = pairedTTest(c.b, c.a);
        LENS_CLOSE(s.t, -c.t);
        LENS_CLOSE(s.pValue, c.tP);
        LENS_CLOSE(s.ciLower, -c.ciHigh);
    }
}

void TestComparisonStats::pairedTTestDegenerate() {
    const std::vector<double> a{1.0, 2.0, 3.0}, b{1.0, 2.0, 3.0}, c{0.5, 1.5, 2.5};
    const PairedTTestResult same = pairedTTest(a, b);  // scipy: t = nan, p = nan
    QVERIFY(std::isnan(same.t) && std::isnan(same.pValue));
    QCOMPARE(same.meanDifference, 0.0);
    const PairedTTestResult shifted = pairedTTest(a, c);  // scipy: t = inf, p = 0
    QVERIFY(std::isinf(shifted.t) && shifted.t > 0);
    QCOMPARE(shifted.pValue, 0.0);
    const std::vector<double> one{1.0}, other{0.0};
    const PairedTTestResult single = pairedTTest(one, other);
    QCOMPARE(single.meanDifference, 1.0);
    QVERIFY(std::isnan(single.pValue));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pairedTTest(a, one));
}

void TestComparisonStats::wilcoxonMatchesScipy() {
    for (const PairedCase& c : scipyCases()) {
        const WilcoxonResult r = wilcoxonSignedRank(c.a, c.b);
        QCOMPARE(r.exact, c.exact);
        LENS_CLOSE(r.statistic, c.wT);
        LENS_CLOSE(r.pValue, c.wP);
        LENS_CLOSE(r.rPlus + r.rMinus, r.n * (r.n + 1) / 2.0);
        if (!c.exact) {
            LENS_CLOSE(r.z, c.wZ);
            const WilcoxonResult raw = wilcoxonSignedRank(c.a, c.b, WilcoxonMethod::Approx,
                                                          /*continuityCorrection=*/false);
            LENS_CLOSE(raw.pValue, c.wPNoCorrection);
        }
        const WilcoxonResult swapped = wilcoxonSignedRank(c.b, c.a);
        LENS_CLOSE(swapped.pValue, c.wP);
        LENS_CLOSE(swapped.rankBiserial, -r.rankBiserial);
    }
}

void TestComparisonStats::wilcoxonMethodChoice() {
    const std::vector<PairedCase> cases = scipyCases();
    // Case A (n = 10, exact under Auto) through the approximation:
    //   stats.wilcoxon(a, b, method='approx', correction=True) -> p = 0.052787000632224565,
    //   z = -1.936659327462977.
    const WilcoxonResult approx =
        wilcoxonSignedRank(cases[0].a, cases[0].b, WilcoxonMethod::Approx);
    QVERIFY(!approx.exact);
    LENS_CLOSE(approx.pValue, 0.052787000632224565);
    LENS_CLOSE(approx.z, -1.936659327462977);
    // Exact requested for data with zeros and ties falls back to the approximation (as scipy).
    const WilcoxonResult fallback =
        wilcoxonSignedRank(cases[3].a, cases[3].b, WilcoxonMethod::Exact);
    QVERIFY(!fallback.exact);
    QCOMPARE(fallback.zeros, std::size_t{3});
    QCOMPARE(fallback.n, std::size_t{12});
    QVERIFY(fallback.ties);
    LENS_CLOSE(fallback.pValue, cases[3].wP);
    // F (n = 120, no ties) exactly on request: stats.wilcoxon(a, b, method='exact')
    //   -> p = 0.20435196825957766 (Auto approximates it: n > 50).
    const WilcoxonResult exactLarge =
        wilcoxonSignedRank(cases[5].a, cases[5].b, WilcoxonMethod::Exact);
    QVERIFY(exactLarge.exact);
    LENS_CLOSE(exactLarge.pValue, 0.20435196825957766);
    QVERIFY(std::isnan(exactLarge.z));
    // Beyond kWilcoxonExactLimit pairs Exact approximates too.
    std::vector<double> many(kWilcoxonExactLimit + 1), none(kWilcoxonExactLimit + 1, 0.0);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = (i % 3 == 0 ? -1.0 : 1.0) * (i + 1.0);
    QVERIFY(!wilcoxonSignedRank(many, none, WilcoxonMethod::Exact).exact);
}

// n = 4, d = (1, 2, -3, 4): R+ = 7, R- = 3, T = 3. Of the 16 sign patterns, R+ <= 3 for
// {}, {1}, {2}, {3}, {1,2} (5 of 16) so p = 2 * 5/16 = 0.625.
void TestComparisonStats::wilcoxonExactTinyByHand() {
    const std::vector<double> a{1, 2, -3, 4}, zero(4, 0.0);
    const WilcoxonResult r = wilcoxonSignedRank(a, zero);
    QVERIFY(r.exact);
    QCOMPARE(r.rPlus, 7.0);
    QCOMPARE(r.rMinus, 3.0);
    QCOMPARE(r.statistic, 3.0);
    QCOMPARE(r.pValue, 0.625);
    QCOMPARE(r.rankBiserial, 0.4);
    // All positive, n = 5: p = 2 / 32 (stats.wilcoxon([1,2,3,4,5], [.5,1,1.5,2,2.5]) -> 0.0625).
    const std::vector<double> x{1, 2, 3, 4, 5}, y{0.5, 1, 1.5, 2, 2.5};
    QCOMPARE(wilcoxonSignedRank(x, y).pValue, 0.0625);
}

void TestComparisonStats::wilcoxonDegenerate() {
    const std::vector<double> a{1.0, 2.0}, b{1.0, 2.0};
    const WilcoxonResult r = wilcoxonSignedRank(a, b);
    QCOMPARE(r.n, std::size_t{0});
    QCOMPARE(r.zeros, std::size_t{2});
    QVERIFY(std::isnan(r.pValue));
    const std::vector<double> bad{1.0, INFINITY};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, wilcoxonSignedRank(a, bad));
}

// Hand computation (python, scipy has no Holm):
//   def holm(p):
//       o = np.argsort(p, kind='stable'); run = 0; adj = np.empty(len(p))
//       for k, i in enumerate(o): run = max(run, min(1, (len(p) - k) * p[i])); adj[i] = run
void TestComparisonStats::holmMatchesHandComputation() {
    const std::vector<std::pair<std::vector<double>, std::vector<double>>> rows = {
        {{0.01, 0.04, 0.03, 0.005}, {0.03, 0.06, 0.06, 0.02}},
        {{0.2, 0.001, 0.04, 0.04, 0.5, 0.013}, {0.4, 0.006, 0.16, 0.16, 0.5, 0.065}},
        {{0.3, 0.6}, {0.6, 0.6}},
    };
    for (const auto& [p, expected] : rows) {
        const std::vector<double> adj = holmAdjust(p);
        QCOMPARE(adj.size(), expected.size());
        for (std::size_t i = 0; i < adj.size(); ++i) LENS_CLOSE(adj[i], expected[i]);
    }
    const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
    const std::vector<double> bonf = bonferroniAdjust(p);
    LENS_CLOSE(bonf[0], 0.04);
    LENS_CLOSE(bonf[1], 0.16);
    LENS_CLOSE(bonf[3], 0.02);
}

void TestComparisonStats::holmEdgeCases() {
    QVERIFY(holmAdjust(std::vector<double>{}).empty());
    // NaN stays NaN and does not count: m = 2 here.
    const std::vector<double> p{0.02, std::nan(""), 0.04};
    const std::vector<double> adj = holmAdjust(p);
    LENS_CLOSE(adj[0], 0.04);
    QVERIFY(std::isnan(adj[1]));
    LENS_CLOSE(adj[2], 0.04);
    // Capped at 1.
    const std::vector<double> big{0.6, 0.7, 0.9};
    for (const double v : holmAdjust(big)) QCOMPARE(v, 1.0);
    const std::vector<double> bad{0.5, 1.5};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, holmAdjust(bad));
}

QTEST_GUILESS_MAIN(TestComparisonStats)
#include "tst_comparison_stats.moc"
