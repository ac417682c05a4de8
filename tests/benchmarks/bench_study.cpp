// bench_study: the whole study headless on a release of a real release's shape (issue #21),
// through the engine as `lens-atlas report` runs it, printing seconds and peak RSS per stage.
//
//   bench_study ml-20m|ml-25m|ml-32m [--out DIR] [--data DIR] [--budget 10m] [--no-tsne]
//               [--models als,neumf]
//
// Without --data it generates the shape's synthetic release (engine/synth/SyntheticShape.h: the
// real counts and movie-id sparsity) into DIR/<shape> (default DIR /tmp/lens-atlas-bench-study)
// once, in a child process so the generator's memory does not count in this process's peak RSS,
// and reuses it afterwards. Stages, in the report's order:
//   load     loadDataset (CSR + CSC)             reference: `wc -l ratings.csv` (page cache warm)
//   explore  computeEda (the Explore stage)
//   train    each model as report trains it (tuning/ValidatedTraining: fit minus validation,
//            validation curves, the test part scored once): rating models on the per-user 80/20
//            holdout, ranking models on leave-one-out latest; the default ALS is k 32. --budget
//            caps each model's training (tuning/TrainingBudget.h) and the line says where it
//            stopped.
//   map      PCA and t-SNE of the first model with movie vectors (the Map stage)
//   compare  rating models retrained on leave-one-out, every model scored user by user on a
//            seeded sample of 10,000 test users (as the report's comparison)
// Peak RSS is VmHWM of /proc/self/status after each stage (it only grows). The machine may be
// shared: figures are one run's, printed with the load average at the start.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "benchmarks/ProcStatus.h"
#include "data/Split.h"
#include "eval/ModelComparison.h"
#include "io/DatasetLoader.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "projection/MapEmbeddings.h"
#include "stats/Eda.h"
#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticShape.h"
#include "tuning/DurationEstimate.h"
#include "tuning/TrainingBudget.h"
#include "tuning/ValidatedTraining.h"
#include "util/Stopwatch.h"

namespace fs = std::filesystem;

namespace {

using Clock = lens::SteadyClock;
using lens::bench::procStatusKiB;

double peakRssMiB() {
    const long hwm = procStatusKiB("VmHWM:");
    if (hwm >= 0) return hwm / 1024.0;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;  // KiB on Linux
}

void stageLine(const char* stage, double seconds, const std::string& detail) {
    std::printf("%-8s %9.2f s  peak RSS %7.0f MiB  %s\n", stage, seconds, peakRssMiB(),
                detail.c_str());
    std::fflush(stdout);
}

double timeWcL(const fs::path& file) {
    const std::string command = "wc -l < '" + file.string() + "' > /dev/null";
    const auto start = Clock::now();
    if (std::system(command.c_str()) != 0) return -1;
    return lens::secondsSince(start);
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

int usage(const char* why) {
    std::fprintf(
        stderr,
        "bench_study: %s\nusage: bench_study ml-20m|ml-25m|ml-32m [--out DIR] [--data DIR] "
        "[--budget 10m] [--no-tsne] [--models als,neumf]\n",
        why);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage("missing SHAPE");
    const auto shape = lens::syntheticShapeFromName(argv[1]);
    if (!shape) return usage("unknown shape");
    fs::path out = "/tmp/lens-atlas-bench-study", data;
    double budgetSeconds = 0;
    bool tsne = true;
    std::vector<std::string> models{"als", "neumf"};  // the report's defaults
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--out" && hasValue) {
            out = argv[++i];
        } else if (a == "--data" && hasValue) {
            data = argv[++i];
        } else if (a == "--budget" && hasValue) {
            try {
                budgetSeconds = lens::parseBudget(argv[++i]);
            } catch (const std::invalid_argument& e) {
                return usage(e.what());
            }
        } else if (a == "--models" && hasValue) {
            models.clear();
            std::stringstream list(argv[++i]);
            for (std::string m; std::getline(list, m, ',');)
                if (!m.empty()) models.push_back(m);
        } else if (a == "--no-tsne") {
            tsne = false;
        } else {
            return usage(("bad argument " + a).c_str());
        }
    }
    for (const auto& m : models)
        if (!lens::findRecommender(m)) return usage(("unknown model " + m).c_str());

    double load1 = 0, load5 = 0, load15 = 0;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf %lf %lf", &load1, &load5, &load15) != 3) load1 = -1;
        std::fclose(f);
    }
    std::printf("bench_study %s: %ld cores online, load average %.2f %.2f %.2f\n", argv[1],
                sysconf(_SC_NPROCESSORS_ONLN), load1, load5, load15);

    if (data.empty()) {
        data = out / argv[1];
        if (!fs::exists(data / "ratings.csv")) {
            std::printf("generating the %s shape into %s ...\n", argv[1], data.c_str());
            std::fflush(stdout);
            const auto start = Clock::now();
            const pid_t child = fork();
            if (child == 0) {
                try {
                    lens::SyntheticConfig config;
                    config.shape = *shape;
                    fs::create_directories(data);
                    lens::writeSyntheticRelease(config, data);
                    _exit(0);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "bench_study: %s\n", e.what());
                    _exit(1);
                }
            }
            int status = 0;
            waitpid(child, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
            std::printf("generated in %.1f s (not counted below)\n", lens::secondsSince(start));
        }
    }

    const auto studyStart = Clock::now();
    try {
        // Load, with `wc -l` of the same (page-cached) file as the reference.
        const double wc = timeWcL(data / "ratings.csv");
        auto t = Clock::now();
        const lens::Dataset dataset = lens::loadDataset(data);
        const double loadSeconds = lens::secondsSince(t);
        stageLine("load", loadSeconds,
                  std::to_string(dataset.ratingCount()) + " ratings, " +
                      std::to_string(dataset.userCount()) + " users, " +
                      std::to_string(dataset.movieCount()) + " movies; wc -l " + fmt("%.3f s", wc) +
                      ", ratio " + fmt("%.1fx", loadSeconds / wc));

        const lens::DurationEstimate estimate = lens::estimateStudyDuration(
            {dataset.ratingCount(), dataset.userCount(), dataset.movieCount()}, models,
            budgetSeconds);
        std::printf("estimate of report's duration: %s\n", estimate.describe().c_str());
        t = Clock::now();
        const lens::EdaReport eda = lens::computeEda(dataset);
        stageLine("explore", lens::secondsSince(t), "statistics of the Explore stage");

        // Train as the report does.
        const std::uint64_t seed = 42;
        std::vector<std::unique_ptr<lens::Recommender>> trained;
        std::vector<lens::SplitSpec> splits;
        double trainTotal = 0;
        for (const auto& kind : models) {
            const lens::RecommenderDescriptor* d = lens::findRecommender(kind);
            auto model = d->create();
            model->setHyperparameter("seed", std::to_string(seed));
            const lens::SplitSpec spec =
                lens::SplitSpec::parse(model->predictsRatings() ? "per-user:0.2" : "loo", seed);
            t = Clock::now();
            const lens::Split split = lens::makeSplit(dataset, spec);
            lens::ValidatedTrainingOptions options;
            options.validation = lens::ValidationSpec::forSplit(spec);
            options.rankingModel = d->ranking;
            options.perUser = false;
            options.budget.seconds = budgetSeconds;
            const lens::ValidatedTrainingResult r =
                lens::trainValidated(*model, dataset, split, options);
            const double seconds = lens::secondsSince(t);
            trainTotal += seconds;
            std::string detail = model->displayName() + " (" + spec.describe() +
                                 "): " + r.stop.describe() + ", " +
                                 fmt("%.2f s per iteration", r.secondsPerIteration);
            if (std::isfinite(r.test.rmse)) detail += ", test RMSE " + fmt("%.4f", r.test.rmse);
            if (std::isfinite(r.test.hr10)) detail += ", HR@10 " + fmt("%.4f", r.test.hr10);
            stageLine("train", seconds, detail);
            trained.push_back(std::move(model));
            splits.push_back(spec);
        }

        // Maps of the first model with movie vectors.
        for (const auto& model : trained) {
            if (model->itemFactors().size() == 0) continue;
            const lens::EmbeddingMatrix vectors = lens::movieVectors(*model);
            t = Clock::now();
            lens::ProjectionConfig pca;
            pca.method = lens::ProjectionMethod::Pca;
            lens::projectTo2D(vectors, pca);
            stageLine(
                "map", lens::secondsSince(t),
                "PCA of " + std::to_string(vectors.rows()) + " movie vectors of " + model->kind());
            if (tsne) {
                t = Clock::now();
                lens::ProjectionConfig config;
                config.method = lens::ProjectionMethod::Tsne;
                lens::projectTo2D(vectors, config);
                stageLine("map", lens::secondsSince(t),
                          "t-SNE of " + std::to_string(vectors.rows()) + " movie vectors");
            }
            break;
        }

        // Compare on leave-one-out latest, as the report's comparison.
        if (trained.size() >= 2) {
            t = Clock::now();
            const lens::SplitSpec loo = lens::SplitSpec::parse("loo", seed);
            const lens::Split split = lens::makeSplit(dataset, loo);
            std::vector<std::unique_ptr<lens::Recommender>> retrained;
            std::vector<lens::ComparedModel> compared;
            for (std::size_t m = 0; m < trained.size(); ++m) {
                const lens::Recommender* model = trained[m].get();
                if (splits[m].kind != lens::SplitKind::LeaveOneOutLatest) {
                    auto again = lens::createRecommender(trained[m]->kind());
                    again->setHyperparameter("seed", std::to_string(seed));
                    lens::ValidatedTrainingOptions options;
                    options.validation = lens::ValidationSpec::forSplit(loo);
                    options.rankingModel = lens::findRecommender(again->kind())->ranking;
                    options.perUser = false;
                    options.budget.seconds = budgetSeconds;
                    lens::trainValidated(*again, dataset, split, options);
                    model = again.get();
                    retrained.push_back(std::move(again));
                }
                compared.push_back({trained[m]->kind(), model});
            }
            const double retrain = lens::secondsSince(t);
            const lens::TrainData full = lens::TrainData::build(dataset, split);
            lens::ComparisonOptions options;
            options.bootstrap.seed = seed;
            options.perUser.seed = seed;
            options.perUser.maxUsers = 10'000;  // the report's kComparisonUserSample
            options.demographics = dataset.demographics;
            lens::compareModels(full, compared, options);
            stageLine("compare", lens::secondsSince(t),
                      std::to_string(compared.size()) + " models on leave-one-out (retraining " +
                          fmt("%.1f s", retrain) + "), 10,000 sampled test users");
        }
        std::printf(
            "total    %9.2f s (wc -l included; training %.1f s); peak RSS %.0f MiB; report's "
            "estimate %s (the report also renders figures and evaluates twice more)\n",
            lens::secondsSince(studyStart), trainTotal, peakRssMiB(),
            lens::formatEstimateSeconds(estimate.total()).c_str());
        (void)eda;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_study: %s\n", e.what());
        return 1;
    }
    return 0;
}
