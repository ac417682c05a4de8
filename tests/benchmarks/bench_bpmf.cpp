// bench_bpmf: seconds per BPMF Gibbs sweep against seconds per ALS iteration on the same data in
// the same run (#18's target: BPMF k 32 <= 2x an ALS iteration per sweep on the ML-20M shape,
// 2 cores). The release is the one `lens-atlas generate --shape ml-20m --out DIR` writes
// (138,493 users, 26,744 rated movies, ids to 131,262), split per user 80/20 as `lens-atlas
// train` does. Both models use their shipped defaults except k (32 unless --k) and the count
// of iterations; BPMF with its biases and genre prior. The two fits alternate for --rounds
// rounds so that both see the same machine; each round prints the median sweep and iteration
// (a sweep's time excludes the per-sweep evaluation, as in the Train stage's chart) and their
// ratio, and the last line the median ratio of the rounds, plus the CPU seconds of all threads
// per sweep and iteration (robust when other processes share the machine).
// --avx2 pins the AVX2 kernel of Y^T Y where the processor would use AVX-512 (GramKernel).
// Usage: bench_bpmf [DIR] [--k K] [--sweeps N] [--rounds R] [--avx2]
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "benchmarks/BenchRelease.h"
#include "benchmarks/ProcStatus.h"
#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "models/AlsModel.h"
#include "models/BpmfModel.h"
#include "models/BpmfSampler.h"
#include "models/TrainData.h"

using namespace lens;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

struct Timing {
    double wall = 0.0;  // median seconds per sweep / iteration (fit only)
    double cpu = 0.0;   // median CPU seconds of all threads, fit plus evaluation
};

// Fits `model` and returns the median of the per-iteration seconds it reports (the first
// iteration left out: it allocates) and of the CPU time between reports.
Timing timeFit(Recommender& model, const TrainData& data) {
    std::vector<double> cpu;
    double last = lens::bench::processCpuSeconds();
    FitControl control;
    control.observer = [&](const TrainingSnapshot&) {
        const double now = lens::bench::processCpuSeconds();
        cpu.push_back(now - last);
        last = now;
        return true;
    };
    model.fit(data, control);
    std::vector<double> wall;
    for (const auto& s : model.history()) wall.push_back(s.seconds);
    if (wall.size() > 1) wall.erase(wall.begin());
    if (cpu.size() > 1) cpu.erase(cpu.begin());
    return {median(wall), median(cpu)};
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "/tmp/ml20shape";
    int k = 32, sweeps = 6, rounds = 3;
    bool avx2Pinned = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--k" && i + 1 < argc)
            k = std::stoi(argv[++i]);
        else if (a == "--sweeps" && i + 1 < argc)
            sweeps = std::max(2, std::stoi(argv[++i]));
        else if (a == "--rounds" && i + 1 < argc)
            rounds = std::max(1, std::stoi(argv[++i]));
        else if (a == "--avx2")
            pinGramKernel(GramKernel::Avx2), avx2Pinned = true;
        else
            dir = a;
    }
    const auto t0 = Clock::now();
    const std::optional<TrainData> release = lens::bench::loadTrainRelease(dir);
    if (!release) return 1;
    const TrainData& data = *release;
    std::printf("Y^T Y kernel: %s\n",
                gramKernelAvailable(GramKernel::Avx512) && !avx2Pinned ? "AVX-512" : "AVX2");
    std::printf("%s: %zu users, %zu movies, %zu train ratings (loaded in %.1f s); %d threads\n",
                dir.c_str(), data.userCount(), data.itemCount(), data.trainCount(),
                std::chrono::duration<double>(Clock::now() - t0).count(), omp_get_max_threads());

    std::vector<double> ratios, bpmfCpu, alsCpu;
    for (int round = 1; round <= rounds; ++round) {
        AlsConfig alsConfig;
        alsConfig.factors = k;
        alsConfig.iterations = sweeps;
        alsConfig.reportMetrics = false;
        AlsModel als(alsConfig);
        const Timing a = timeFit(als, data);

        BpmfConfig bpmfConfig;
        bpmfConfig.factors = k;
        bpmfConfig.sweeps = sweeps;
        bpmfConfig.burnIn = sweeps;  // no sample store: the timed work is the sweep itself
        BpmfModel bpmf(bpmfConfig);
        const Timing b = timeFit(bpmf, data);

        ratios.push_back(b.wall / a.wall);
        bpmfCpu.push_back(b.cpu);
        alsCpu.push_back(a.cpu);
        std::printf(
            "round %d: BPMF k %d %.3f s per sweep, ALS k %d %.3f s per iteration: ratio %.2f\n",
            round, k, b.wall, k, a.wall, b.wall / a.wall);
        std::fflush(stdout);
    }
    const double ratio = median(ratios);
    std::printf(
        "median ratio BPMF sweep / ALS iteration: %.2f (target <= 2: %s); CPU of all threads "
        "with evaluation: BPMF %.3f s per sweep, ALS %.3f s per iteration; peak RSS %.0f MB\n",
        ratio, ratio <= 2.0 ? "met" : "MISSED", median(bpmfCpu), median(alsCpu),
        lens::bench::procStatusMb("VmHWM:"));
    return 0;
}
