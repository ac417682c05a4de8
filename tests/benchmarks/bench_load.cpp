// bench_load: how fast an ML-20M-sized ratings.csv loads and is fully indexed (CSR + CSC).
//
//   bench_load [RELEASE_DIR_OR_ZIP] [--runs N]
//
// Without a path it generates an ML-20M-shaped synthetic release (20,000,263 ratings, 138,493
// users, 27,278 movies) into /tmp/lens-atlas-bench-ml20m once (in a child process, so the
// generator's memory does not count in this process's peak RSS) and reuses it afterwards.
// Prints seconds per run, MB/s of ratings.csv, the peak RSS (VmHWM) and the ratio to
// `wc -l` of the same file timed in the same run (the file is in the page cache for both).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/DatasetLoader.h"
#include "synth/SyntheticGenerator.h"

namespace fs = std::filesystem;

namespace {

double seconds(std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

long statusKiB(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return -1;
}

// Times `wc -l FILE` through the shell; returns seconds and the line count.
double timeWcL(const fs::path& file, long long& lines) {
    const std::string command = "wc -l < '" + file.string() + "'";
    const auto start = std::chrono::steady_clock::now();
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    lines = -1;
    if (std::fscanf(pipe, "%lld", &lines) != 1) lines = -1;
    pclose(pipe);
    return seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
    fs::path path;
    int runs = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else
            path = arg;
    }
    if (path.empty()) {
        path = "/tmp/lens-atlas-bench-ml20m";
        if (!fs::exists(path / "ratings.csv")) {
            std::printf("generating an ML-20M-sized synthetic release into %s ...\n", path.c_str());
            std::fflush(stdout);
            const auto start = std::chrono::steady_clock::now();
            const pid_t child = fork();
            if (child == 0) {
                lens::SyntheticConfig config;
                config.ratings = 20'000'263;
                config.users = 138'493;
                config.movies = 27'278;
                config.seed = 20;
                config.tags = false;
                try {
                    lens::writeSyntheticRelease(config, path);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "generation failed: %s\n", e.what());
                    _exit(1);
                }
                _exit(0);
            }
            int status = 0;
            waitpid(child, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
            std::printf("generated in %.1f s\n", seconds(start));
        }
    }
    const fs::path ratingsFile = fs::is_directory(path) ? path / "ratings.csv" : path;
    const double fileMB = fs::is_regular_file(ratingsFile)
                              ? static_cast<double>(fs::file_size(ratingsFile)) / 1e6
                              : 0;

    long long wcLines = 0;
    timeWcL(ratingsFile, wcLines);  // warms the page cache
    double wcBest = 1e9;
    for (int r = 0; r < 3; ++r) wcBest = std::min(wcBest, timeWcL(ratingsFile, wcLines));

    std::vector<double> times;
    std::size_t ratings = 0, users = 0, movies = 0, memory = 0;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        try {
            lens::Dataset ds = lens::loadDataset(path);
            times.push_back(seconds(start));
            ratings = ds.ratingCount();
            users = ds.userCount();
            movies = ds.movieCount();
            memory = ds.memoryBytes();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "load failed: %s\n", e.what());
            return 3;
        }
    }
    std::sort(times.begin(), times.end());
    const double best = times.front(), median = times[times.size() / 2];
    std::printf("file            %s (%.1f MB, %lld lines by wc -l)\n", ratingsFile.c_str(), fileMB,
                wcLines);
    std::printf("dataset         %zu ratings, %zu users, %zu movies, %.1f MB in memory\n", ratings,
                users, movies, static_cast<double>(memory) / 1e6);
    std::printf("load+index      best %.3f s, median %.3f s over %d runs (target <= 1.0 s)\n", best,
                median, runs);
    std::printf("throughput      %.0f MB/s (best run)\n", fileMB / best);
    std::printf("peak RSS        %.1f MB (VmHWM; target <= 600 MB)\n",
                static_cast<double>(statusKiB("VmHWM:")) / 1024.0);
    std::printf("wc -l           %.3f s (best of 3)\n", wcBest);
    std::printf("ratio           load / wc -l = %.2f\n", best / wcBest);
    return 0;
}
