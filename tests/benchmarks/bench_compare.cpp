// bench_compare: the Compare stage's speed targets (issue #17).
//  1. Bootstrap of one per-user metric over 138,493 users (ML-20M's test users), 1,000
//     resamples: target <= 2 s on 2 cores. Reference in the same run: numpy drawing the same
//     number of indices and averaging (`/usr/bin/python3`, skipped where numpy is absent).
//  2. `compare` of bias, als, als-genre, als-implicit and neumf on ml-latest-small with 1,000
//     resamples (training included): target <= 90 s. Reference: training alone, so the ratio
//     says what the statistics add. Skipped with a message where the release is absent
//     (LENS_ATLAS_DATA or ../shared/data).
// Usage: bench_compare [--users N] [--resamples B] [--release DIR]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "data/Split.h"
#include "eval/ModelComparison.h"
#include "io/DatasetLoader.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "stats/Bootstrap.h"
#include "util/Random.h"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double numpyReference(std::size_t users, int resamples) {
    const std::string script =
        "import time, numpy as np\n"
        "x = np.random.default_rng(1).random(" +
        std::to_string(users) +
        ")\n"
        "rng = np.random.default_rng(42)\n"
        "t = time.perf_counter()\n"
        "m = [x[rng.integers(0, x.size, x.size)].mean() for _ in range(" +
        std::to_string(resamples) +
        ")]\n"
        "np.percentile(m, [2.5, 97.5])\n"
        "print(time.perf_counter() - t)\n";
    const std::string command = "/usr/bin/python3 -c '" + script + "' 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    double seconds = -1;
    if (std::fscanf(pipe, "%lf", &seconds) != 1) seconds = -1;
    pclose(pipe);
    return seconds;
}

std::string releasePath(const std::string& given) {
    if (!given.empty()) return given;
    for (const char* base : {static_cast<const char*>(std::getenv("LENS_ATLAS_DATA")),
                             "../shared/data", "../../shared/data", "../../../shared/data"}) {
        if (!base) continue;
        const auto p = std::filesystem::path(base) / "ml-latest-small";
        if (std::filesystem::exists(p / "ratings.csv")) return p.string();
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t users = 138'493;
    int resamples = 1000;
    std::string release;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--users") users = std::stoul(argv[i + 1]);
        if (a == "--resamples") resamples = std::stoi(argv[i + 1]);
        if (a == "--release") release = argv[i + 1];
    }

    // 1. Bootstrap of a zero-inflated per-user metric (like NDCG@10: most users 0).
    std::vector<double> values(users);
    lens::Pcg32 rng(7);
    for (auto& v : values) v = rng.uniform() < 0.3 ? rng.uniform() : 0.0;
    lens::BootstrapOptions options;
    options.resamples = resamples;
    double best = 1e9;
    lens::BootstrapCI ci;
    for (int run = 0; run < 3; ++run) {
        const auto t = Clock::now();
        ci = lens::bootstrapMeanCI(values, options);
        best = std::min(best, since(t));
    }
    const double numpy = numpyReference(users, resamples);
    std::printf(
        "bootstrap: %zu users x %d resamples: best of 3 %.3f s (target <= 2 s: %s); "
        "CI [%.5f, %.5f]\n",
        users, resamples, best, best <= 2.0 ? "met" : "MISSED", ci.lower, ci.upper);
    if (numpy > 0)
        std::printf("  numpy reference (same draws, one thread): %.3f s, ratio %.1fx faster\n",
                    numpy, numpy / best);
    else
        std::printf("  numpy reference skipped (/usr/bin/python3 with numpy not found)\n");

    // 2. The five-model comparison on ml-latest-small.
    release = releasePath(release);
    if (release.empty()) {
        std::printf("compare: skipped, ml-latest-small not found (set LENS_ATLAS_DATA)\n");
        return 0;
    }
    const auto t0 = Clock::now();
    const lens::Dataset dataset = lens::loadDataset(release);
    const lens::TrainData data =
        lens::TrainData::build(dataset, lens::makeSplit(dataset, lens::SplitSpec::parse("loo")));
    std::vector<std::unique_ptr<lens::Recommender>> models;
    std::vector<lens::ComparedModel> compared;
    for (const char* kind : {"bias", "als", "als-genre", "als-implicit", "neumf"}) {
        models.push_back(lens::createRecommender(kind));
        models.back()->fit(data);
        compared.push_back({kind, models.back().get()});
    }
    const double training = since(t0);
    const auto t1 = Clock::now();
    lens::ComparisonOptions copts;
    copts.bootstrap.resamples = resamples;
    const lens::Comparison c = lens::compareModels(data, compared, copts);
    const double statistics = since(t1);
    std::printf(
        "compare: 5 models on ml-latest-small (%zu test users): %.1f s total "
        "(target <= 90 s: %s) = load + training %.1f s + scoring and statistics %.1f s "
        "(%.2fx the training)\n",
        c.usersScored, training + statistics, training + statistics <= 90 ? "met" : "MISSED",
        training, statistics, statistics / training);
    return 0;
}
