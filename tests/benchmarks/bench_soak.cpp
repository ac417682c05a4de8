// bench_soak: leaks and lifetimes over many runs in one process. Each round loads a release
// (ml-latest-small given as PATH, else a 100k-rating synthetic set generated in memory), makes
// the default split, builds the TrainData and trains ALS (k = 32, 20 iterations), cancelling
// from the observer after 3 iterations, as a user pressing Cancel would. 100 rounds by default.
// Every 10 rounds it prints the resident set (VmRSS) and the bytes malloc holds in use
// (mallinfo2: arena + mmapped), then the ratio last / first of both: flat (within a few %)
// means nothing accumulates. The reference measured in the same run is round 10, after
// allocator and OpenMP pools have warmed up.
// Usage: bench_soak [PATH] [--rounds N]
#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "models/AlsModel.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"

using namespace lens;

namespace {

double rssMb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

double heapKib() {
    const struct mallinfo2 m = mallinfo2();
    return static_cast<double>(m.uordblks + m.hblkhd) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path;
    int rounds = 100;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else
            path = argv[i];
    }
    std::printf(
        "soak: %d rounds of load + split + TrainData + ALS cancelled after 3 of 20 "
        "iterations on %s\n",
        rounds, path.empty() ? "synthetic 100k" : path.c_str());
    std::printf("%6s %10s %10s %9s\n", "round", "RSS MB", "heap KiB", "seconds");
    const auto started = std::chrono::steady_clock::now();
    double firstRss = 0, firstHeap = 0, lastRss = 0, lastHeap = 0;
    int stoppedRounds = 0;
    for (int round = 1; round <= rounds; ++round) {
        {
            Dataset dataset;
            if (path.empty()) {
                SyntheticConfig config;
                config.seed = 42 + static_cast<std::uint64_t>(round);
                dataset = generateSyntheticDataset(config);
            } else {
                dataset = loadDataset(path);
            }
            const Split split = makeSplit(dataset, SplitSpec::parse("per-user:0.2"));
            const TrainData data = TrainData::build(dataset, split);
            AlsModel model;
            model.setHyperparameter("k", "32");
            model.setHyperparameter("iterations", "20");
            FitControl control;
            control.observer = [](const TrainingSnapshot& s) { return s.iteration < 3; };
            stoppedRounds += model.fit(data, control) == FitStatus::Stopped;
        }
        if (round % 10 == 0 || round == 1) {
            const double rss = rssMb(), heap = heapKib();
            if (round == 10 || (rounds < 10 && round == 1)) firstRss = rss, firstHeap = heap;
            lastRss = rss;
            lastHeap = heap;
            std::printf(
                "%6d %10.1f %10.1f %9.1f\n", round, rss, heap,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            std::fflush(stdout);
        }
    }
    std::printf("cancelled rounds: %d of %d\n", stoppedRounds, rounds);
    std::printf("RSS last/first (round %d / round 10): %.3f; heap in use last/first: %.3f\n",
                rounds, lastRss / firstRss, lastHeap / firstHeap);
    return stoppedRounds == rounds ? 0 : 1;
}
