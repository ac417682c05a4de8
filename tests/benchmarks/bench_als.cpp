// bench_als: seconds per ALS iteration (both half-sweeps) on an ML-20M-sized rating set at
// k = 10, 32 and 64, against the float32 matrix-product peak of this machine measured in the
// same run, plus peak RSS.
//
// Data: by default a random power-law set built with lens::buildDataset (138,493 users,
// 26,744 movies, 20,000,263 ratings before duplicate removal; user activity and movie
// popularity follow power laws, every user >= 20 ratings); --synthetic uses the synthetic
// MovieLens generator instead (slower to build, same size).
// Flops: the exact Cholesky formulation counts, per rating and half-sweep, the lower triangle
// of the augmented (k+1) Gram update ((k+1)(k+2) flops), and per row (k+1)^3/3 for the
// factorisation plus 2 (k+1)^2 for the solves: ~45.7 GFLOP per iteration at k = 32.
// Variants: the default solver (S = 3 warm-started conjugate-gradient steps, the shipped
// AlsConfig) at every k, and the exact Cholesky solver at the --cholesky list (default 32).
// Each variant prints wall seconds per iteration (median and best), CPU seconds of all threads
// per iteration (robust when other processes share the machine) and the ratio to the peak.
// --half-sweeps also times the user and movie half-sweeps alone.
// Usage: bench_als [--synthetic] [--iterations N] [--k 10,32,64] [--cg S] [--cholesky 32]
//                  [--no-cholesky] [--half-sweeps]
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchmarks/ProcStatus.h"
#include "data/DatasetBuilder.h"
#include "models/AlsModel.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"
#include "util/Random.h"

using namespace lens;
using Clock = std::chrono::steady_clock;

namespace {

using lens::bench::procStatusMb;

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}
void resetPeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

// Float32 GEMM peak: one 2048^3 product per thread at once (Eigen itself is single-threaded
// here: EIGEN_DONT_PARALLELIZE), best of 3.
double gemmPeakGflops() {
    const int n = 2048;
    double best = 0;
    for (int rep = 0; rep < 3; ++rep) {
        double seconds = 0;
        int threads = 1;
#pragma omp parallel
        {
            Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n),
                            c(n, n);
#pragma omp barrier
#pragma omp single
            { threads = omp_get_num_threads(); }
            const auto t0 = Clock::now();
#pragma omp barrier
            c.noalias() = a * b;
#pragma omp barrier
#pragma omp master
            { seconds = std::chrono::duration<double>(Clock::now() - t0).count(); }
            if (c(0, 0) == 12345.f) std::printf(" ");
        }
        best = std::max(best, 2.0 * n * n * double(n) * threads / seconds / 1e9);
    }
    return best;
}

// Power-law weights w_i = (i + 1)^-exponent, as a cumulative table.
std::vector<double> cumulativePowerLaw(std::size_t n, double exponent) {
    std::vector<double> c(n);
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) c[i] = (s += std::pow(double(i + 1), -exponent));
    for (auto& v : c) v /= s;
    return c;
}

Dataset powerLawDataset(std::size_t users, std::size_t movies, std::size_t ratings,
                        std::uint64_t seed) {
    // User activity: 20 + a power-law share of the remaining ratings.
    const auto userCdf = cumulativePowerLaw(users, 0.6);
    std::vector<std::size_t> perUser(users, 20);
    const std::size_t extra = ratings - 20 * users;
    double prev = 0;
    std::size_t assigned = 20 * users;
    for (std::size_t u = 0; u < users; ++u) {
        const auto add = static_cast<std::size_t>((userCdf[u] - prev) * double(extra));
        perUser[u] += std::min(add, movies / 2);
        assigned += perUser[u] - 20;
        prev = userCdf[u];
    }
    for (std::size_t u = 0; assigned < ratings; u = (u + 1) % users, ++assigned) ++perUser[u];
    const auto movieCdf = cumulativePowerLaw(movies, 0.9);
    RawRatings raw;
    raw.reserve(ratings);
    std::vector<std::uint8_t> seen(movies, 0);
    std::vector<std::uint32_t> chosen;
    for (std::size_t u = 0; u < users; ++u) {
        Pcg32 rng(deriveSeed(seed, u));
        chosen.clear();
        while (chosen.size() < perUser[u]) {
            const double x = rng.uniform();
            auto m = static_cast<std::uint32_t>(
                std::lower_bound(movieCdf.begin(), movieCdf.end(), x) - movieCdf.begin());
            if (m >= movies) m = static_cast<std::uint32_t>(movies - 1);
            if (seen[m]) m = rng.below(static_cast<std::uint32_t>(movies));  // spread the tail
            if (seen[m]) continue;
            seen[m] = 1;
            chosen.push_back(m);
        }
        for (auto m : chosen) {
            seen[m] = 0;
            raw.push(static_cast<std::int64_t>(u + 1), static_cast<std::int64_t>(m + 1),
                     static_cast<HalfStars>(1 + rng.below(10)),
                     1000000000U + rng.below(100000000U));
        }
    }
    std::vector<RawMovie> list(movies);
    for (std::size_t m = 0; m < movies; ++m)
        list[m] = {static_cast<std::int64_t>(m + 1), "Movie " + std::to_string(m + 1),
                   GenreMask{1} << (m % kGenreCount)};
    return buildDataset(std::move(raw), std::move(list));
}

double choleskyGflop(const TrainData& d, int k) {
    const double kk = k + 1.0;
    double rows = double(d.userCount() + d.itemCount());
    return (2.0 * double(d.trainCount()) * kk * (kk + 1.0) +
            rows * (kk * kk * kk / 3.0 + 2.0 * kk * kk)) /
           1e9;
}

}  // namespace

int main(int argc, char** argv) {
    bool synthetic = false, halfSweeps = false;
    std::vector<int> choleskyKs = {32};
    int iterations = 3, cg = 3;
    std::vector<int> ks = {10, 32, 64};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--synthetic")
            synthetic = true;
        else if (a == "--iterations" && i + 1 < argc)
            iterations = std::atoi(argv[++i]);
        else if (a == "--half-sweeps")
            halfSweeps = true;
        else if (a == "--no-cholesky")
            choleskyKs.clear();
        else if (a == "--cholesky" && i + 1 < argc) {
            choleskyKs.clear();
            std::stringstream s(argv[++i]);
            std::string t;
            while (std::getline(s, t, ',')) choleskyKs.push_back(std::stoi(t));
        } else if (a == "--cg" && i + 1 < argc)
            cg = std::atoi(argv[++i]);
        else if (a == "--k" && i + 1 < argc) {
            ks.clear();
            std::stringstream s(argv[++i]);
            std::string t;
            while (std::getline(s, t, ',')) ks.push_back(std::stoi(t));
        }
    }
    std::printf("threads %d; load average (1, 5, 15 min) at start: %s\n", omp_get_max_threads(),
                loadAverage().c_str());
    const double peak = gemmPeakGflops();
    std::printf("reference: float32 2048^3 GEMM peak %.1f GFLOP/s (all threads, Eigen)\n", peak);

    auto t0 = Clock::now();
    Dataset dataset = synthetic ? generateSyntheticDataset(SyntheticConfig{.ratings = 20'000'263})
                                : powerLawDataset(138'493, 26'744, 20'000'263, 42);
    Split split;
    split.isTest.assign(dataset.ratingCount(),
                        0);  // train on everything: the timed work is the sweeps
    split.trainCount = dataset.ratingCount();
    resetPeakRss();
    const TrainData data = TrainData::build(dataset, split);
    std::printf("data: %s, %zu users, %zu movies, %zu ratings, built in %.1f s; RSS now %.0f MB\n",
                synthetic ? "synthetic generator" : "power-law", data.userCount(), data.itemCount(),
                data.trainCount(), std::chrono::duration<double>(Clock::now() - t0).count(),
                procStatusMb("VmRSS:"));

    struct Variant {
        int k;
        int cgSteps;
    };
    std::vector<Variant> variants;
    for (int k : ks) {
        for (int ck : choleskyKs)
            if (ck == k) variants.push_back({k, 0});
        if (cg > 0) variants.push_back({k, cg});
    }
    for (const auto& v : variants) {
        AlsConfig c;
        c.factors = v.k;
        c.iterations = iterations;
        c.cgSteps = v.cgSteps;
        c.reportMetrics = false;
        AlsModel model(c);
        std::vector<double> cpu;
        FitControl control;
        double last = lens::bench::processCpuSeconds();
        control.observer = [&](const TrainingSnapshot&) {
            const double now = lens::bench::processCpuSeconds();
            cpu.push_back(now - last);
            last = now;
            return true;
        };
        model.fit(data, control);
        std::sort(cpu.begin(), cpu.end());
        std::printf("  cpu %.3f s/iteration (median, all threads)\n", cpu[cpu.size() / 2]);
        std::vector<double> secs;
        for (const auto& s : model.history()) secs.push_back(s.seconds);
        std::sort(secs.begin(), secs.end());
        const double median = secs[secs.size() / 2], best = secs.front();
        const double gflop = choleskyGflop(data, v.k);
        std::printf(
            "k=%-3d %-13s %.3f s/iteration (median of %d, best %.3f); Cholesky-equivalent %.1f "
            "GFLOP "
            "-> %.1f GFLOP/s = %.2f of GEMM peak\n",
            v.k, v.cgSteps ? ("CG " + std::to_string(v.cgSteps) + " steps").c_str() : "Cholesky",
            median, iterations, best, gflop, gflop / median, gflop / median / peak);
    }
    if (halfSweeps) {
        // Each half-sweep timed alone (CPU seconds of all threads, then wall), from a model
        // fitted for one iteration: which side costs what.
        for (int k : ks) {
            AlsConfig c;
            c.factors = k;
            c.iterations = 1;
            c.cgSteps = cg;
            c.reportMetrics = false;
            AlsModel model(c);
            model.fit(data);
            FactorMatrix users = model.userFactorMatrix(), items = model.itemFactorMatrix();
            Eigen::VectorXf ub = model.userBiasVector(), ib = model.itemBiasVector();
            ExplicitSolveParams p;
            p.lambda = float(c.lambda);
            p.biasLambda = float(c.biasLambda);
            p.cgSteps = cg;
            const float mu = float(data.globalMean);
            for (int rep = 0; rep < 2; ++rep) {
                double c0 = lens::bench::processCpuSeconds();
                auto w0 = Clock::now();
                solveExplicitSide(data.byUser, items, ib, mu, p, users, ub);
                const double cu = lens::bench::processCpuSeconds() - c0,
                             wu = std::chrono::duration<double>(Clock::now() - w0).count();
                c0 = lens::bench::processCpuSeconds();
                w0 = Clock::now();
                solveExplicitSide(data.byItem, users, ub, mu, p, items, ib);
                const double ci = lens::bench::processCpuSeconds() - c0,
                             wi = std::chrono::duration<double>(Clock::now() - w0).count();
                std::printf(
                    "k=%-3d cg %d half-sweeps: users %.3f cpu-s %.3f s, movies %.3f cpu-s %.3f s\n",
                    k, cg, cu, wu, ci, wi);
            }
        }
    }
    std::printf("load average at end: %s\n", loadAverage().c_str());
    std::printf("peak RSS since data build (dataset + train data + models): %.0f MB (VmHWM)\n",
                procStatusMb("VmHWM:"));
    return 0;
}
