// Training speed (and, with --accuracy, the full-size accuracy figures) of the NCF models.
//
// 1. NeuMF (factor 8, [64,32,16,8], 4 negatives, Adam) on ml-latest-small (leave-one-out
//    train part) at batch 256 and 1024: samples per second of a whole epoch (best of 2),
//    sampling and shuffling included, with one and with two threads, against the PyTorch CPU
//    reference tests/benchmarks/ncf_torch_reference.py (same architecture, batch, Adam lr
//    0.001, BCE with logits, uniform negatives drawn every epoch; measured the same way) with
//    the same thread count. With two threads our steps run in parallel from that batch size on
//    (NcfConfig::parallelFromBatch), which gives the same model as one thread.
// 2. ML-20M-sized tables (138,493 users, 26,744 movies, popularity-skewed synthetic positives)
//    at batch 1024, one and two threads, against PyTorch with dense Adam and with SparseAdam.
// 3. --accuracy / --accuracy-only: implicit NeuMF 20 epochs on leave-one-out (HR@10 / NDCG@10,
//    NCF protocol and full ranking) and explicit NeuMF on the per-user 80/20 split with seed 42
//    (test RMSE), for each model seed of --seeds; --set KEY=VALUE / --set-explicit KEY=VALUE
//    change a hyper-parameter of the implicit / explicit model (e.g. --set pretrain=on).
//
// Usage: bench_ncf [--data FOLDER] [--accuracy | --accuracy-only] [--seeds 1,2,3]
//                  [--set KEY=VALUE] [--set-explicit KEY=VALUE] [--implicit-only |
//                  --explicit-only] [--verbose] [--no-torch] [--python /usr/bin/python3]
//                  [--positives-20m N]
#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "eval/RankingMetrics.h"
#include "io/DatasetLoader.h"
#include "models/TrainData.h"
#include "ncf/NcfRecommender.h"
#include "ncf/NcfTrainer.h"
#include "util/Random.h"

using namespace lens;
namespace fs = std::filesystem;

namespace {

struct Options {
    fs::path data;
    bool accuracy = false;
    bool speed = true;
    bool verbose = false;
    bool implicit = true, explicit_ = true;
    std::vector<std::uint64_t> seeds{42};
    std::vector<std::pair<std::string, std::string>> implicitSettings, explicitSettings;
    bool torch = true;
    std::string python = "/usr/bin/python3";
    fs::path script = fs::path(__FILE__).parent_path() / "ncf_torch_reference.py";
    std::size_t positives20m = 600000;
};

fs::path defaultDataFolder() {
    for (const char* var : {"LENS_ATLAS_DATA", "LENS_ATLAS_SHARED_DATA"})
        if (const char* v = std::getenv(var); v && *v) return v;
    return fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "shared" / "data";
}

NcfConfig neuMfConfig(int batch, int parallelFromBatch) {
    NcfConfig c;
    c.parallelFromBatch = parallelFromBatch;
    c.shape.architecture = NcfArchitecture::NeuMf;
    c.shape.factors = 8;
    c.shape.layers = {64, 32, 16, 8};
    c.batchSize = batch;
    c.negatives = 4;
    c.optimizer.learningRate = 0.001;
    return c;
}

// Samples per second of one epoch (sampling, shuffling and steps), `epochs` epochs, best one.
// `threads` OpenMP threads; with 2 or more the steps may run in parallel from this batch size on
// (NcfTrainer::train times both ways and runs the faster).
double ourSamplesPerSecond(const TrainData& data, int batch, int epochs, int threads) {
    const int keep = omp_get_max_threads();
    omp_set_num_threads(threads);
    NcfParameters<float> params;
    NcfConfig config = neuMfConfig(batch, threads > 1 ? batch : 0);
    config.epochs = epochs;
    NcfTrainer trainer(config, data, params);
    trainer.initialiseParameters();
    double best = 0.0;
    trainer.train(
        [&](NcfEpochStats& stats) {
            best = std::max(best, static_cast<double>(stats.samples) / stats.seconds);
            return true;
        },
        {});
    omp_set_num_threads(keep);
    return best;
}

fs::path writePairs(const TrainData& data, const std::string& name) {
    const fs::path file =
        fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".u32");
    std::ofstream out(file, std::ios::binary);
    for (std::uint32_t u = 0; u < data.byUser.rows(); ++u)
        for (std::uint32_t i : data.byUser.rowIndex(u)) {
            const std::uint32_t pair[2] = {u, i};
            out.write(reinterpret_cast<const char*>(pair), sizeof pair);
        }
    return file;
}

// Runs the PyTorch reference; returns samples/s or a negative value (message printed).
double torchSamplesPerSecond(const Options& o, const fs::path& pairs, const TrainData& data,
                             int batch, int threads, std::size_t maxSamples, bool sparse,
                             int epochs = 1) {
    if (!o.torch) return -1.0;
    if (!fs::exists(o.script) || !fs::exists(o.python)) {
        std::printf("  (PyTorch reference skipped: %s or %s not found)\n", o.script.c_str(),
                    o.python.c_str());
        return -1.0;
    }
    std::string cmd =
        o.python + " " + o.script.string() + " --pairs " + pairs.string() + " --users " +
        std::to_string(data.userCount()) + " --items " + std::to_string(data.itemCount()) +
        " --batch " + std::to_string(batch) + " --threads " + std::to_string(threads) +
        (maxSamples ? " --max-samples " + std::to_string(maxSamples) : std::string()) +
        (sparse ? " --sparse" : "") + " --epochs " + std::to_string(epochs) + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return -1.0;
    char line[512];
    double value = -1.0;
    std::string all;
    while (std::fgets(line, sizeof line, pipe)) {
        all += line;
        double v = 0;
        if (std::sscanf(line, "samples_per_second %lf", &v) == 1) value = v;
    }
    const int rc = ::pclose(pipe);
    if (value < 0) {
        std::printf("  (PyTorch reference skipped: %s)\n",
                    all.find("torch_unavailable") != std::string::npos
                        ? "torch is not installed"
                        : ("exit " + std::to_string(rc) + ": " + all.substr(0, 300)).c_str());
    }
    return value;
}

void printRatio(const char* what, double ours, double torch) {
    if (torch > 0)
        std::printf("  %-44s ours %10.0f  torch %10.0f  ratio %.2fx\n", what, ours, torch,
                    ours / torch);
    else
        std::printf("  %-44s ours %10.0f  torch          -\n", what, ours);
}

TrainData ml20mSizedData(std::size_t positives) {
    // 138,493 users x 26,744 movies with a popularity skew like MovieLens (a few movies take
    // most ratings): item = floor(items * x^3), x uniform.
    const std::size_t users = 138493, items = 26744;
    std::vector<RatingTriplet> train;
    train.reserve(positives);
    Pcg32 rng(2024);
    for (std::size_t k = 0; k < positives; ++k) {
        const auto u = rng.below(static_cast<std::uint32_t>(users));
        const double x = rng.uniform();
        const auto i = static_cast<std::uint32_t>(static_cast<double>(items) * x * x * x);
        train.push_back({u, i, 4.0f});
    }
    TrainData d = TrainData::fromTriplets(users, items, train, {});
    d.datasetName = "ml-20m-sized synthetic";
    return d;
}

using Settings = std::vector<std::pair<std::string, std::string>>;

// Implicit NeuMF, 20 epochs, leave-one-out latest: returns {HR@10, NDCG@10} on the NCF protocol.
std::pair<double, double> runImplicit(const TrainData& data, std::uint64_t seed,
                                      const Settings& settings, bool verbose) {
    NcfRecommender model(NcfArchitecture::NeuMf);
    model.setHyperparameter("epochs", "20");
    model.setHyperparameter("seed", std::to_string(seed));
    for (const auto& [k, v] : settings) model.setHyperparameter(k, v);
    const auto t0 = std::chrono::steady_clock::now();
    FitControl control;
    control.evaluate = heldOutEvaluation(data);  // per-epoch HR@10 / NDCG@10, timed as before
    control.observer = [verbose](const TrainingSnapshot& s) {
        if (verbose)
            std::printf("    implicit epoch %2d  %.2f s  loss %.4f  HR@10 %.4f  NDCG@10 %.4f\n",
                        s.iteration, s.seconds, s.objective, s.hr10, s.ndcg10);
        return true;
    };
    model.fit(data, control);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const RankingResult sampled = evaluateSampled(data, sampleNegatives(data, 100, 42), model, 10);
    const RankingResult full = evaluateFullRanking(data, model, 10);
    std::printf(
        "  implicit NeuMF seed %llu (pretrain %s, best epoch %d, %.1f s): %s HR@10 %.4f "
        "NDCG@10 %.4f; %s HR@10 %.4f NDCG@10 %.4f\n",
        static_cast<unsigned long long>(seed), model.hyperparameter("pretrain").c_str(),
        model.bestEpoch(), seconds, sampled.protocol.c_str(), sampled.hitRate, sampled.ndcg,
        full.protocol.c_str(), full.hitRate, full.ndcg);
    std::fflush(stdout);
    return {sampled.hitRate, sampled.ndcg};
}

double runExplicit(const TrainData& data, std::uint64_t seed, const Settings& settings,
                   bool verbose) {
    NcfRecommender model(NcfArchitecture::NeuMf);
    model.setHyperparameter("objective", "explicit");
    model.setHyperparameter("seed", std::to_string(seed));
    for (const auto& [k, v] : settings) model.setHyperparameter(k, v);
    FitControl control;
    control.evaluate = heldOutEvaluation(data);  // per-epoch test RMSE
    control.observer = [verbose](const TrainingSnapshot& s) {
        if (verbose)
            std::printf("    explicit epoch %2d  %.2f s  train RMSE %.4f  test RMSE %.4f\n",
                        s.iteration, s.seconds, s.trainRmse, s.testRmse);
        return true;
    };
    model.fit(data, control);
    const RatingErrors e = ratingErrors(
        data.test, [&](std::uint32_t u, std::uint32_t i) { return model.predictRaw(u, i); }, true);
    std::printf(
        "  explicit NeuMF seed %llu: test RMSE %.4f MAE %.4f at best validated epoch %d of %zu\n",
        static_cast<unsigned long long>(seed), e.rmse, e.mae, model.bestEpoch(),
        model.history().size());
    std::fflush(stdout);
    return e.rmse;
}

void runAccuracy(const Dataset& dataset, const std::vector<std::uint64_t>& seeds,
                 const Settings& implicitSettings, const Settings& explicitSettings, bool implicit,
                 bool explicit_, bool verbose) {
    std::printf(
        "\nAccuracy on %s (seeds of the model; the splits and the sampled negatives "
        "use seed 42)\n",
        dataset.name.c_str());
    if (implicit) {
        SplitSpec spec;
        spec.kind = SplitKind::LeaveOneOutLatest;
        const TrainData data = TrainData::build(dataset, makeSplit(dataset, spec));
        double minHr = 1, minNdcg = 1, sumHr = 0, sumNdcg = 0;
        for (std::uint64_t seed : seeds) {
            const auto [hr, ndcg] = runImplicit(data, seed, implicitSettings, verbose);
            minHr = std::min(minHr, hr);
            minNdcg = std::min(minNdcg, ndcg);
            sumHr += hr;
            sumNdcg += ndcg;
        }
        const auto n = static_cast<double>(seeds.size());
        std::printf(
            "  implicit NeuMF over %zu seeds: HR@10 mean %.4f min %.4f; NDCG@10 mean %.4f min "
            "%.4f  (targets >= 0.72 / 0.46)\n",
            seeds.size(), sumHr / n, minHr, sumNdcg / n, minNdcg);
    }
    if (explicit_) {
        SplitSpec spec;
        spec.kind = SplitKind::PerUserHoldout;
        spec.fraction = 0.2;
        spec.seed = 42;
        const TrainData data = TrainData::build(dataset, makeSplit(dataset, spec));
        double worst = 0, sum = 0;
        for (std::uint64_t seed : seeds) {
            const double rmse = runExplicit(data, seed, explicitSettings, verbose);
            worst = std::max(worst, rmse);
            sum += rmse;
        }
        std::printf(
            "  explicit NeuMF over %zu seeds: test RMSE mean %.4f worst %.4f  (target <= 0.860)\n",
            seeds.size(), sum / static_cast<double>(seeds.size()), worst);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    o.data = defaultDataFolder();
    for (int k = 1; k < argc; ++k) {
        const std::string a = argv[k];
        if (a == "--data" && k + 1 < argc)
            o.data = argv[++k];
        else if (a == "--accuracy")
            o.accuracy = true;
        else if (a == "--accuracy-only")
            o.accuracy = true, o.speed = false;
        else if (a == "--verbose")
            o.verbose = true;
        else if (a == "--implicit-only")
            o.explicit_ = false;
        else if (a == "--explicit-only")
            o.implicit = false;
        else if (a == "--seeds" && k + 1 < argc) {
            o.seeds.clear();
            std::string list = argv[++k];
            for (std::size_t at = 0; at <= list.size();) {
                const std::size_t comma = std::min(list.find(',', at), list.size());
                o.seeds.push_back(std::stoull(list.substr(at, comma - at)));
                at = comma + 1;
            }
        } else if ((a == "--set" || a == "--set-explicit") && k + 1 < argc) {
            const std::string kv = argv[++k];
            const std::size_t eq = kv.find('=');
            if (eq == std::string::npos) {
                std::fprintf(stderr, "bench_ncf: %s expects KEY=VALUE\n", a.c_str());
                return 2;
            }
            (a == "--set" ? o.implicitSettings : o.explicitSettings)
                .emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        } else if (a == "--no-torch")
            o.torch = false;
        else if (a == "--python" && k + 1 < argc)
            o.python = argv[++k];
        else if (a == "--positives-20m" && k + 1 < argc)
            o.positives20m = std::stoul(argv[++k]);
        else {
            std::fprintf(stderr,
                         "usage: bench_ncf [--data FOLDER] [--accuracy | --accuracy-only] "
                         "[--seeds 1,2,3] [--set KEY=VALUE] [--set-explicit KEY=VALUE] "
                         "[--implicit-only | --explicit-only] [--verbose] [--no-torch] "
                         "[--python P] [--positives-20m N]\n");
            return 2;
        }
    }
    const int threads = omp_get_max_threads();
    std::printf(
        "bench_ncf: NeuMF factor 8, layers 64,32,16,8, 4 negatives, Adam; %d OpenMP threads\n",
        threads);

    fs::path release = o.data / "ml-latest-small";
    if (!fs::exists(release)) release = o.data;
    try {
        const Dataset dataset = loadDataset(release);
        SplitSpec spec;
        spec.kind = SplitKind::LeaveOneOutLatest;
        const TrainData data = TrainData::build(dataset, makeSplit(dataset, spec));
        if (o.speed) {
            std::printf(
                "\n%s: %zu users, %zu movies, %zu train positives (leave-one-out), samples/s "
                "(best of 2 epochs each, sampling and shuffling included)\n",
                dataset.name.c_str(), data.userCount(), data.itemCount(), data.trainCount());
            const fs::path pairs = writePairs(data, "ncf-small");
            for (int batch : {256, 1024}) {
                const double ours1 = ourSamplesPerSecond(data, batch, 2, 1);
                const double torch1 = torchSamplesPerSecond(o, pairs, data, batch, 1, 0, false, 2);
                printRatio(("batch " + std::to_string(batch) + ", one thread each").c_str(), ours1,
                           torch1);
                if (threads > 1) {
                    const double ours2 = ourSamplesPerSecond(data, batch, 2, 2);
                    const double torch2 =
                        torchSamplesPerSecond(o, pairs, data, batch, 2, 0, false, 2);
                    printRatio(("batch " + std::to_string(batch) + ", two threads each").c_str(),
                               ours2, torch2);
                    std::printf("  %-44s %.2fx\n", "ours, two threads / one thread", ours2 / ours1);
                }
            }
            fs::remove(pairs);
        }
        if (o.accuracy)
            runAccuracy(dataset, o.seeds, o.implicitSettings, o.explicitSettings, o.implicit,
                        o.explicit_, o.verbose);
    } catch (const std::exception& e) {
        std::printf("(ml-latest-small part skipped: %s)\n", e.what());
    }

    if (!o.speed) return 0;
    const TrainData big = ml20mSizedData(o.positives20m);
    std::printf(
        "\nML-20M-sized tables: %zu users, %zu movies, %zu synthetic positives, batch 1024, "
        "samples/s\n",
        big.userCount(), big.itemCount(), big.trainCount());
    const fs::path pairs = writePairs(big, "ncf-20m");
    const double ours = ourSamplesPerSecond(big, 1024, 1, 1);
    std::printf("  ours, one thread: %.0f samples/s (target >= 250000)\n", ours);
    if (threads > 1) {
        const double ours2 = ourSamplesPerSecond(big, 1024, 1, 2);
        std::printf("  ours, two threads: %.0f samples/s (%.2fx one thread)\n", ours2,
                    ours2 / ours);
    }
    const double dense = torchSamplesPerSecond(o, pairs, big, 1024, threads, 100000, false);
    printRatio("vs PyTorch dense Adam", ours, dense);
    const double sparse = torchSamplesPerSecond(o, pairs, big, 1024, threads, 400000, true);
    printRatio("vs PyTorch SparseAdam", ours, sparse);
    fs::remove(pairs);
    return 0;
}
