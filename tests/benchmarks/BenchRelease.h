#pragma once
// The ML-20M-shaped synthetic release the load benchmarks share: generated once into `path`
// (in a child process, so the generator's memory does not count in the benchmark's peak RSS)
// and reused afterwards.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "synth/SyntheticGenerator.h"

namespace lens::bench {

// True when `path`/ratings.csv exists or was generated (20,000,263 ratings, 138,493 users,
// 27,278 movies, no tags).
inline bool ensureMl20mRelease(const std::filesystem::path& path) {
    if (std::filesystem::exists(path / "ratings.csv")) return true;
    std::printf("generating an ML-20M-sized synthetic release into %s ...\n", path.c_str());
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child == 0) {
        SyntheticConfig config;
        config.ratings = 20'000'263;
        config.users = 138'493;
        config.movies = 27'278;
        config.seed = 20;
        config.tags = false;
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

}  // namespace lens::bench
