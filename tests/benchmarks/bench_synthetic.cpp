// bench_synthetic: how long the synthetic generator takes.
//
//   bench_synthetic [RATINGS] [--threads N] [--out DIR]
//
// 1. The default demo (100,000 ratings): generation alone and generation + loading through the
//    CSV loader (what the app does on first start).
// 2. An ML-20M-sized release (RATINGS, default 20,000,263: 138,493 users, 26,744 movies)
//    generated in memory, with the CPU time of the process and the peak RSS. The reference,
//    timed in the same run, is one pass over the generated ratings.csv counting lines (what
//    `wc -l` does), so the ratio says how many "reads of the output" generation costs.
// With --out DIR the ML-20M-sized release is also written there (e.g. for bench_load).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "data/Dataset.h"
#include "synth/SyntheticGenerator.h"

namespace {

double seconds(std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

long peakRssMiB() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    lens::SyntheticConfig big;
    big.ratings = 20'000'263;
    std::string out;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc)
            big.threads = std::atoi(argv[++i]);
        else if (a == "--out" && i + 1 < argc)
            out = argv[++i];
        else if (!a.empty() && a[0] != '-')
            big.ratings = std::strtoull(a.c_str(), nullptr, 10);
        else {
            std::fprintf(stderr, "usage: bench_synthetic [RATINGS] [--threads N] [--out DIR]\n");
            return 2;
        }
    }

    // 1. The default demo, best of 5.
    double genBest = 1e9, loadBest = 1e9;
    std::size_t demoRatings = 0;
    for (int run = 0; run < 5; ++run) {
        auto t = std::chrono::steady_clock::now();
        const auto files = lens::generateSyntheticFiles(lens::SyntheticConfig{});
        genBest = std::min(genBest, seconds(t));
        t = std::chrono::steady_clock::now();
        const lens::Dataset ds = lens::generateSyntheticDataset(lens::SyntheticConfig{});
        loadBest = std::min(loadBest, seconds(t));
        demoRatings = ds.ratingCount();
    }
    std::printf("default demo: %zu ratings, generate %.3f s, generate + load %.3f s (best of 5)\n",
                demoRatings, genBest, loadBest);

    // 2. ML-20M-sized.
    const lens::SyntheticSizes sizes = lens::resolveSyntheticSizes(big);
    const double cpu0 = cpuSeconds();
    auto t = std::chrono::steady_clock::now();
    const auto files = lens::generateSyntheticFiles(big);
    const double wall = seconds(t);
    const double cpu = cpuSeconds() - cpu0;
    const std::string& ratings = files.at("ratings.csv");

    t = std::chrono::steady_clock::now();
    const std::size_t lines =
        static_cast<std::size_t>(std::count(ratings.begin(), ratings.end(), '\n'));
    const double reference = seconds(t);

    std::printf(
        "ML-20M-sized: %zu ratings (%zu lines), %zu users, %zu movies, ratings.csv %.1f MB\n",
        sizes.ratings, lines - 1, sizes.users, sizes.movies, ratings.size() / 1e6);
    std::printf("  generate   %.2f s wall, %.2f s CPU (%.2f cores busy), peak RSS %ld MiB\n", wall,
                cpu, cpu / wall, peakRssMiB());
    std::printf("  reference  %.3f s to count the lines of ratings.csv in memory (%.0f MB/s)\n",
                reference, ratings.size() / 1e6 / reference);
    std::printf("  ratio      generation = %.0fx the line count\n", wall / reference);
    if (!out.empty()) {
        t = std::chrono::steady_clock::now();
        lens::writeSyntheticRelease(big, out);
        std::printf("  written to %s in %.2f s (generated again)\n", out.c_str(), seconds(t));
    }
    return 0;
}
