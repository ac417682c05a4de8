// bench_synthetic: how long the synthetic generator takes.
//
//   bench_synthetic [RATINGS] [--threads N] [--out DIR]
//   bench_synthetic ml-20m|ml-25m|ml-32m [--scale F] [--threads N] [--out DIR]
//
// 1. The default demo (100,000 ratings): generation alone and generation + loading through the
//    CSV loader (what the app does on first start).
// 2. An ML-20M-sized release (RATINGS, default 20,000,263: 138,493 users, 26,744 movies)
//    generated in memory, with the CPU time of the process and the peak RSS. The reference,
//    timed in the same run, is one pass over the generated ratings.csv counting lines (what
//    `wc -l` does), so the ratio says how many "reads of the output" generation costs.
// With --out DIR the ML-20M-sized release is also written there (e.g. for bench_load).
//
// With a release shape (`generate --shape`), part 2 instead writes the shaped release to DIR
// (default a folder in /tmp, removed afterwards), times it with its CPU time and peak RSS, runs
// `wc -l` on the ratings.csv it wrote as the reference, and checks the files against the
// published counts: ratings, users 1..N, rated movies, movies and the largest id.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <unistd.h>

#include <filesystem>
#include <vector>

#include "benchmarks/ProcStatus.h"
#include "data/Dataset.h"
#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticShape.h"

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
    const long kib = lens::bench::procStatusKiB("VmHWM:");
    return kib < 0 ? -1 : kib / 1024;
}

// What a written release holds, read back from its files.
struct Counted {
    std::size_t ratings = 0, users = 0, ratedMovies = 0, movies = 0;
    long maxUser = 0, maxMovieId = 0;
};

// Scans ratings.csv (user and movie of every row) and movies.csv (every id).
Counted countRelease(const std::filesystem::path& dir) {
    Counted c;
    std::vector<char> userSeen, movieSeen;
    auto mark = [](std::vector<char>& seen, long id, std::size_t& distinct) {
        if (id < 0) return;
        if (static_cast<std::size_t>(id) >= seen.size()) seen.resize(2 * id + 1, 0);
        if (!seen[id]) seen[id] = 1, ++distinct;
    };
    std::FILE* f = std::fopen((dir / "ratings.csv").c_str(), "rb");
    if (!f) return c;
    std::vector<char> buffer(1 << 22);
    long field[2] = {0, 0};
    int column = 0;
    bool header = true;
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0;)
        for (std::size_t i = 0; i < n; ++i) {
            const char ch = buffer[i];
            if (ch == '\n') {
                if (!header) {
                    ++c.ratings;
                    mark(userSeen, field[0], c.users);
                    mark(movieSeen, field[1], c.ratedMovies);
                    c.maxUser = std::max(c.maxUser, field[0]);
                }
                header = false;
                field[0] = field[1] = 0;
                column = 0;
            } else if (ch == ',') {
                ++column;
            } else if (column < 2 && ch >= '0' && ch <= '9') {
                field[column] = field[column] * 10 + (ch - '0');
            }
        }
    std::fclose(f);
    std::ifstream movies(dir / "movies.csv");
    std::string line;
    std::getline(movies, line);
    while (std::getline(movies, line)) {
        ++c.movies;
        c.maxMovieId = std::max(c.maxMovieId, std::atol(line.c_str()));
    }
    return c;
}

// `wc -l FILE`, timed: the line count and the seconds it took.
std::pair<long, double> wcLines(const std::filesystem::path& file) {
    const auto t = std::chrono::steady_clock::now();
    const std::string command = "wc -l < '" + file.string() + "'";
    std::FILE* p = popen(command.c_str(), "r");
    long lines = -1;
    if (p) {
        if (std::fscanf(p, "%ld", &lines) != 1) lines = -1;
        pclose(p);
    }
    return {lines, seconds(t)};
}

int benchShape(lens::SyntheticConfig config, std::string out) {
    const lens::ReleaseShapeFigures& figures = lens::releaseShapeFigures(config.shape);
    const lens::SyntheticSizes sizes = lens::resolveSyntheticSizes(config);
    const bool keep = !out.empty();
    if (!keep)
        out = "/tmp/bench_synthetic_" + std::string(figures.name) + "_" +
              std::to_string(static_cast<long>(getpid()));
    const double cpu0 = cpuSeconds();
    auto t = std::chrono::steady_clock::now();
    lens::writeSyntheticRelease(config, out);
    const double wall = seconds(t);
    const double cpu = cpuSeconds() - cpu0;
    const std::filesystem::path ratingsFile = std::filesystem::path(out) / "ratings.csv";
    const auto [lines, wc] = wcLines(ratingsFile);
    const double megabytes = static_cast<double>(std::filesystem::file_size(ratingsFile)) / 1e6;

    std::printf(
        "%s shape (scale %g): %zu ratings, %zu users, %zu rated of %zu movies, ids to "
        "%lld, ratings.csv %.1f MB\n",
        std::string(figures.name).c_str(), config.shapeScale, sizes.ratings, sizes.users,
        sizes.ratedMovies, sizes.movies, static_cast<long long>(sizes.maxMovieId), megabytes);
    std::printf("  generate   %.2f s wall, %.2f s CPU (%.2f cores busy), peak RSS %ld MiB\n", wall,
                cpu, cpu / wall, peakRssMiB());
    std::printf("  reference  wc -l ratings.csv: %ld lines in %.3f s (%.0f MB/s)\n", lines, wc,
                megabytes / wc);
    std::printf("  ratio      generation = %.0fx wc -l\n", wall / wc);

    const Counted c = countRelease(out);
    const bool exact = c.ratings == sizes.ratings &&
                       lines == static_cast<long>(sizes.ratings) + 1 && c.users == sizes.users &&
                       c.maxUser == static_cast<long>(sizes.users) &&
                       c.ratedMovies == sizes.ratedMovies && c.movies == sizes.movies &&
                       c.maxMovieId == sizes.maxMovieId;
    std::printf(
        "  files      %zu ratings, %zu users (1..%ld), %zu rated movies, %zu movies, ids to "
        "%ld: %s\n",
        c.ratings, c.users, c.maxUser, c.ratedMovies, c.movies, c.maxMovieId,
        exact ? "exact" : "MISMATCH");
    if (keep) {
        std::printf("  written to %s\n", out.c_str());
    } else {
        std::error_code ec;
        std::filesystem::remove_all(out, ec);
    }
    return exact ? 0 : 1;
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
        else if (a == "--scale" && i + 1 < argc)
            big.shapeScale = std::atof(argv[++i]);
        else if (const auto shape = lens::syntheticShapeFromName(a))
            big.shape = *shape;
        else if (!a.empty() && a[0] >= '0' && a[0] <= '9')
            big.ratings = std::strtoull(a.c_str(), nullptr, 10);
        else {
            std::fprintf(stderr,
                         "usage: bench_synthetic [RATINGS | %s [--scale F]] [--threads N] "
                         "[--out DIR]\n",
                         lens::syntheticShapeNames().c_str());
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

    // 2. A release shape, written to disk and checked; or ML-20M-sized in memory.
    if (big.shape != lens::SyntheticShape::None) return benchShape(big, out);
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
