#pragma once
// What the load benchmarks share: the ML-20M-shaped synthetic release, generated once into
// `path` (in a child process, so the generator's memory does not count in the benchmark's peak
// RSS) and reused afterwards, and `wc -l` as the machine's reference.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <optional>

#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticShape.h"

namespace lens::bench {

// Where the load benchmarks keep their ML-20M-shaped release.
inline constexpr const char* kMl20mReleasePath = "/tmp/lens-atlas-bench-ml20m-shape";

// True when `path`/ratings.csv exists or was generated: the generator's ML-20M shape (as
// `lens-atlas generate --shape ml-20m`: 20,000,263 ratings, 138,493 users, 26,744 rated of 27,278
// movies with the real release's id sparsity, ids up to 131,262, and its tags).
inline bool ensureMl20mRelease(const std::filesystem::path& path) {
    if (std::filesystem::exists(path / "ratings.csv")) return true;
    std::printf("generating an ML-20M-shaped synthetic release into %s ...\n", path.c_str());
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child == 0) {
        SyntheticConfig config;
        config.shape = SyntheticShape::Ml20m;
        config.seed = 20;
        try {
            writeSyntheticRelease(config, path);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "generation failed: %s\n", e.what());
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
    std::printf("generated in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return true;
}

// Times `wc -l FILE` through the shell; returns seconds and the line count.
inline double timeWcL(const std::filesystem::path& file, long long& lines) {
    const std::string command = "wc -l < '" + file.string() + "'";
    const auto start = std::chrono::steady_clock::now();
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    lines = -1;
    if (std::fscanf(pipe, "%lld", &lines) != 1) lines = -1;
    pclose(pipe);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The training view of the release in `dir` (one written by `lens-atlas generate --shape ml-20m
// --out DIR`), split per user 80/20 as `lens-atlas train` holds out; the loaded Dataset is
// dropped once the view exists. Says what to run and returns nothing when there is no release.
inline std::optional<TrainData> loadTrainRelease(const std::string& dir) {
    if (!std::filesystem::exists(std::filesystem::path(dir) / "ratings.csv")) {
        std::printf(
            "no release at %s: write one with `lens-atlas generate --shape ml-20m --out %s`\n",
            dir.c_str(), dir.c_str());
        return std::nullopt;
    }
    const Dataset dataset = loadDataset(dir);
    SplitSpec spec;  // per-user 0.2
    return TrainData::build(dataset, makeSplit(dataset, spec));
}

}  // namespace lens::bench
