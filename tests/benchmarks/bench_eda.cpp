// bench_eda: computeEda on an ML-20M-sized dataset (20,000,263 ratings from the synthetic
// generator). Prints the median of 3 runs, the time of each stage, and the ratio to two
// references measured in the same run on the same data: one pass summing every half-star byte
// (memory bandwidth) and one std::sort of a copy of the rating timestamps. Target: <= 1.0 s.
// Process CPU time is printed beside wall time: on a shared machine it is the steadier figure.
//
// Usage: bench_eda [--ratings N] [--direct]. --direct skips the synthetic generator (slow: it
// writes and parses CSV) and builds a power-law dataset of the same size with buildDataset.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "data/DatasetBuilder.h"
#include "stats/Eda.h"
#include "synth/SyntheticGenerator.h"
#include "util/Random.h"

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double cpuSeconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// ML-20M's shape without the generator: 138,493 users with power-law activity (x_min 20,
// alpha 2.3, at most 9,254 ratings), 26,744 movies drawn with Zipf popularity (exponent 1.0) and
// no repeats per user, ratings from a 3-4 star biased marginal, timestamps 1995-2015, 465k tags.
lens::Dataset directPowerLawDataset(std::size_t ratings) {
    // ML-20M's 138,493 users and 26,744 movies, scaled with the number of ratings.
    const double scale = static_cast<double>(ratings) / 20'000'263.0;
    const auto kUsers = static_cast<std::uint32_t>(std::max(100.0, 138'493 * scale));
    const auto kMovies = static_cast<std::uint32_t>(std::max(100.0, 26'744 * scale));
    const std::uint32_t kMaxDegree = std::min<std::uint32_t>(9'254, kMovies / 2);
    ratings = std::min<std::size_t>(ratings, std::size_t{kUsers} * kMaxDegree);
    lens::Pcg32 rng(2015);
    std::vector<double> degree(kUsers);
    double sum = 0.0;
    for (auto& d : degree) {
        d = std::min<double>(kMaxDegree, 20.0 * std::pow(1.0 - rng.uniform(), -1.0 / 1.3));
        sum += d;
    }
    std::vector<std::uint32_t> deg(kUsers);
    std::size_t total = 0;
    for (std::size_t u = 0; u < kUsers; ++u) {
        deg[u] = static_cast<std::uint32_t>(
            std::clamp(degree[u] * static_cast<double>(ratings) / sum, 20.0, double(kMaxDegree)));
        total += deg[u];
    }
    for (std::size_t u = 0; total != ratings; u = (u + 1) % kUsers) {  // exact total
        if (total < ratings && deg[u] < kMaxDegree)
            ++deg[u], ++total;
        else if (total > ratings && deg[u] > 20)
            --deg[u], --total;
    }
    std::vector<double> cdf(kMovies);
    double acc = 0.0;
    for (std::size_t m = 0; m < kMovies; ++m) cdf[m] = acc += 1.0 / static_cast<double>(m + 1);
    for (auto& c : cdf) c /= acc;
    const double marginal[10] = {0.011, 0.033, 0.016, 0.072, 0.044,
                                 0.214, 0.105, 0.278, 0.077, 0.15};
    lens::RawRatings raw;
    raw.reserve(ratings);
    std::vector<std::uint32_t> seenBy(kMovies, UINT32_MAX);
    for (std::uint32_t u = 0; u < kUsers; ++u) {
        for (std::uint32_t k = 0; k < deg[u]; ++k) {
            std::size_t m;
            do {
                m = static_cast<std::size_t>(
                    std::lower_bound(cdf.begin(), cdf.end(), rng.uniform()) - cdf.begin());
                m = std::min<std::size_t>(m, kMovies - 1);
            } while (seenBy[m] == u);
            seenBy[m] = u;
            double r = rng.uniform();
            int h = 0;
            while (h < 9 && r >= marginal[h]) r -= marginal[h++];
            raw.push(u + 1, static_cast<std::int64_t>(m + 1), static_cast<lens::HalfStars>(h + 1),
                     789'000'000U + rng.below(661'000'000U));
        }
    }
    std::vector<lens::RawMovie> movies(kMovies);
    for (std::size_t m = 0; m < kMovies; ++m)
        movies[m] = {static_cast<std::int64_t>(m + 1), "Movie " + std::to_string(m + 1) + " (2000)",
                     static_cast<lens::GenreMask>(1U << (m % lens::kGenreCount))};
    std::vector<lens::RawTag> tags(465'000);
    for (auto& t : tags)
        t = {1 + rng.below(kUsers), 1 + rng.below(kMovies),
             "tag" + std::to_string(static_cast<int>(std::pow(40'000.0, rng.uniform()))),
             1'200'000'000};
    lens::Dataset ds = lens::buildDataset(std::move(raw), std::move(movies), std::move(tags));
    ds.name = "direct-power-law";
    return ds;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t ratings = 20'000'263;
    bool direct = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--direct") {
            direct = true;
        } else if (a == "--ratings" && i + 1 < argc) {
            ratings = std::stoull(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: bench_eda [--ratings N] [--direct]\n");
            return 2;
        }
    }
    std::printf("bench_eda: %zu ratings, %d OpenMP threads, dataset from %s\n", ratings,
                omp_get_max_threads(),
                direct ? "buildDataset (direct power law)" : "the synthetic generator");
    std::fflush(stdout);

    auto t0 = Clock::now();
    lens::Dataset ds;
    if (direct) {
        ds = directPowerLawDataset(ratings);
    } else {
        lens::SyntheticConfig config;
        config.ratings = ratings;
        ds = lens::generateSyntheticDataset(config);
    }
    std::printf("dataset: %s, %zu users, %zu movies, %zu ratings, %zu tags (made in %.1f s)\n",
                ds.name.c_str(), ds.userCount(), ds.movieCount(), ds.ratingCount(), ds.tags.size(),
                secondsSince(t0));

    // Reference 1: one pass over every half-star byte (median of 9).
    std::vector<double> sumTimes;
    std::uint64_t checksum = 0;
    for (int rep = 0; rep < 9; ++rep) {
        t0 = Clock::now();
        std::uint64_t sum = 0;
        for (lens::HalfStars h : ds.byUser.halfStars) sum += h;
        sumTimes.push_back(secondsSince(t0));
        checksum += sum;
    }
    const double byteSum = median(sumTimes);
    // Reference 2: std::sort of a copy of the timestamps (median of 3).
    std::vector<double> sortTimes;
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<std::uint32_t> copy = ds.timestamps;
        t0 = Clock::now();
        std::sort(copy.begin(), copy.end());
        sortTimes.push_back(secondsSince(t0));
        checksum += copy[copy.size() / 2];
    }
    const double sortRef = median(sortTimes);

    std::vector<double> times, cpuTimes;
    std::map<std::string, std::vector<double>> stageTimes;
    lens::EdaReport report;
    for (int rep = 0; rep < 3; ++rep) {
        std::string lastStage;
        auto lastTime = Clock::now();
        t0 = lastTime;
        const double cpu0 = cpuSeconds();
        report = lens::computeEda(ds, {}, [&](double, const std::string& stage) {
            const auto now = Clock::now();
            if (!lastStage.empty())
                stageTimes[lastStage].push_back(
                    std::chrono::duration<double>(now - lastTime).count());
            lastStage = stage;
            lastTime = now;
            return true;
        });
        times.push_back(secondsSince(t0));
        cpuTimes.push_back(cpuSeconds() - cpu0);
    }
    const double eda = median(times);

    std::printf("\nstage times (median of 3):\n");
    for (const auto& [stage, t] : stageTimes)
        std::printf("  %-24s %8.4f s\n", stage.c_str(), median(t));
    std::printf("\nreference: sum of %zu half-star bytes  %.4f s\n", ds.byUser.halfStars.size(),
                byteSum);
    std::printf("reference: std::sort of %zu timestamps %.4f s\n", ds.timestamps.size(), sortRef);
    std::printf("computeEda (median of 3)               %.4f s   (runs: %.4f %.4f %.4f)\n", eda,
                times[0], times[1], times[2]);
    std::printf("computeEda process CPU time (median)   %.4f s (all threads)\n", median(cpuTimes));
    std::printf("ratio to byte sum: %.1fx; ratio to sort: %.3fx\n", eda / byteSum, eda / sortRef);
    std::printf("target: <= 1.0 s -> %s\n", eda <= 1.0 ? "met" : "NOT met");

    const auto& u = report.userDegrees;
    const auto& m = report.movieDegrees;
    std::printf(
        "\nusers:  alpha %.3f +- %.3f, xmin %llu, KS %.4f, n_tail %llu (%zu candidates), gini "
        "%.3f\n",
        u.fit.alpha, u.fit.alphaStdErr, static_cast<unsigned long long>(u.fit.xmin), u.fit.ks,
        static_cast<unsigned long long>(u.fit.nTail), u.fit.candidatesTried, u.gini);
    std::printf(
        "movies: alpha %.3f +- %.3f, xmin %llu, KS %.4f, n_tail %llu (%zu candidates), gini %.3f\n",
        m.fit.alpha, m.fit.alphaStdErr, static_cast<unsigned long long>(m.fit.xmin), m.fit.ks,
        static_cast<unsigned long long>(m.fit.nTail), m.fit.candidatesTried, m.gini);
    std::printf("rating mean %.4f, (checksum %llu)\n", report.ratingHistogram.mean,
                static_cast<unsigned long long>(checksum % 1000));
    return 0;
}
