// bench_load: how fast an ML-20M-sized ratings.csv loads and is fully indexed (CSR + CSC).
//
//   bench_load [RELEASE_DIR_OR_ZIP] [--runs N] [--threads N] [--pandas-runs N]
//
// Without a path it generates an ML-20M-shaped synthetic release (the generator's ml-20m shape:
// 20,000,263 ratings, 138,493 users, 27,278 movies with ids up to 131,262 as in the real release,
// and its 424k tags) into /tmp/lens-atlas-bench-ml20m-shape once (in a child process, so the
// generator's memory does not count in this process's peak RSS) and reuses it afterwards.
// Prints seconds per run, MB/s of ratings.csv, the peak RSS (VmHWM) and, timed in the same run
// (the file is in the page cache for all), the ratios to `wc -l` of the file and to pandas'
// read_csv of it (/usr/bin/python3; skipped when pandas is missing or with --pandas-runs 0).
// Without --threads the load is timed with all cores and again with one thread, and the
// speed-up is printed; --threads N times N threads only. `wc -l` and the loads take turns run
// after run (best of --runs each), so that a drift of the machine's speed skews no ratio.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <omp.h>

#include "benchmarks/BenchRelease.h"
#include "benchmarks/ProcStatus.h"
#include "io/DatasetLoader.h"

namespace fs = std::filesystem;

namespace {

using lens::bench::procStatusKiB;

double seconds(std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

// Best seconds of pandas.read_csv over `runs` calls in one python process (interpreter start
// and the import not counted); negative when python or pandas is unavailable.
double timePandas(const fs::path& file, int runs) {
    const std::string command =
        "/usr/bin/python3 -c \"import sys, time\n"
        "try:\n import pandas\n"
        "except ImportError:\n print(-1); sys.exit(0)\n"
        "best = 1e9\n"
        "for _ in range(" +
        std::to_string(runs) +
        "):\n"
        " t = time.perf_counter(); pandas.read_csv(sys.argv[1]);"
        " best = min(best, time.perf_counter() - t)\n"
        "print(best)\" '" +
        file.string() + "' 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    double best = -1;
    if (std::fscanf(pipe, "%lf", &best) != 1) best = -1;
    pclose(pipe);
    return best;
}

struct Timing {
    double best = 0, median = 0;
    std::size_t ratings = 0, users = 0, movies = 0, memory = 0;  // of the last load
    // Seconds from one stage text of the loader's progress to the next, of the best run: a stage
    // that does not shrink with threads shows here (it held the speed-up under 1.6x once).
    std::vector<std::pair<std::string, double>> stages;
};

// Times loads of `path` with `threads` threads (0 = all) for both the parser and the builder's
// OpenMP regions, one load per run() call.
class LoadTimer {
public:
    LoadTimer(fs::path path, int threads) : path_(std::move(path)), threads_(threads) {
        options_.threads = threads;
        options_.progress = [this](double, const std::string& stage) {
            if (stages_.empty() || stages_.back().first != stage) {
                if (!stages_.empty()) stages_.back().second = seconds(stageStart_);
                stages_.emplace_back(stage, 0.0);
                stageStart_ = std::chrono::steady_clock::now();
            }
            return true;
        };
    }

    void run() {
        const int previous = omp_get_max_threads();
        if (threads_ > 0) omp_set_num_threads(threads_);
        stages_.clear();
        const auto start = std::chrono::steady_clock::now();
        const lens::Dataset ds = lens::loadDataset(path_, options_);
        times_.push_back(seconds(start));
        omp_set_num_threads(previous);
        if (times_.back() <= *std::min_element(times_.begin(), times_.end()))
            timing_.stages = stages_;
        timing_.ratings = ds.ratingCount();
        timing_.users = ds.userCount();
        timing_.movies = ds.movieCount();
        timing_.memory = ds.memoryBytes();
    }

    Timing result() const {
        Timing timing = timing_;
        if (times_.empty()) return timing;
        std::vector<double> sorted = times_;
        std::sort(sorted.begin(), sorted.end());
        timing.best = sorted.front();
        timing.median = sorted[sorted.size() / 2];
        return timing;
    }

private:
    fs::path path_;
    int threads_;
    lens::LoadOptions options_;
    std::vector<double> times_;
    Timing timing_;
    std::vector<std::pair<std::string, double>> stages_;
    std::chrono::steady_clock::time_point stageStart_;
};

}  // namespace

int main(int argc, char** argv) {
    fs::path path;
    int runs = 3, threads = 0, pandasRuns = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--threads" && i + 1 < argc)
            threads = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--pandas-runs" && i + 1 < argc)
            pandasRuns = std::max(0, std::atoi(argv[++i]));
        else
            path = arg;
    }
    if (path.empty()) {
        path = lens::bench::kMl20mReleasePath;
        if (!lens::bench::ensureMl20mRelease(path)) return 1;
    }
    const fs::path ratingsFile = fs::is_directory(path) ? path / "ratings.csv" : path;
    const double fileMB = fs::is_regular_file(ratingsFile)
                              ? static_cast<double>(fs::file_size(ratingsFile)) / 1e6
                              : 0;

    long long wcLines = 0;
    lens::bench::timeWcL(ratingsFile, wcLines);  // warms the page cache
    // The references and the loads take turns, run after run, so that all of them see the same
    // moments of a machine whose speed drifts (a VM's here by +-20 % from minute to minute):
    // `wc -l`, a load with all threads, a load with one thread.
    double wcBest = 1e9;
    LoadTimer allTimer(path, threads);
    std::optional<LoadTimer> oneTimer;
    if (threads == 0 && omp_get_max_threads() > 1) oneTimer.emplace(path, 1);
    try {
        for (int r = 0; r < runs; ++r) {
            wcBest = std::min(wcBest, lens::bench::timeWcL(ratingsFile, wcLines));
            allTimer.run();
            if (oneTimer) oneTimer->run();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "load failed: %s\n", e.what());
        return 3;
    }
    const Timing all = allTimer.result();
    const Timing one = oneTimer ? oneTimer->result() : Timing{};
    const double pandas = pandasRuns > 0 ? timePandas(ratingsFile, pandasRuns) : -1;
    const int used = threads > 0 ? threads : omp_get_max_threads();
    std::printf("file            %s (%.1f MB, %lld lines by wc -l)\n", ratingsFile.c_str(), fileMB,
                wcLines);
    std::printf("dataset         %zu ratings, %zu users, %zu movies, %.1f MB in memory\n",
                all.ratings, all.users, all.movies, static_cast<double>(all.memory) / 1e6);
    std::printf("load+index      best %.3f s, median %.3f s over %d runs, %d threads\n", all.best,
                all.median, runs, used);
    if (one.best > 0)
        std::printf("1 thread        best %.3f s, median %.3f s; speed-up %.2fx (target >= 1.6)\n",
                    one.best, one.median, one.best / all.best);
    for (const Timing* t : {&all, &one}) {
        if (t->stages.empty()) continue;
        std::printf("stages, %-8s", t == &all ? "best" : "1 thread");
        for (const auto& [stage, secs] : t->stages)
            if (stage != "done") std::printf(" %s %.3f;", stage.c_str(), secs);
        std::printf("\n");
    }
    std::printf("throughput      %.0f MB/s (best run)\n", fileMB / all.best);
    std::printf("peak RSS        %.1f MB (VmHWM; target <= 600 MB)\n",
                static_cast<double>(procStatusKiB("VmHWM:")) / 1024.0);
    std::printf("wc -l           %.3f s (best of %d, taking turns with the loads)\n", wcBest, runs);
    std::printf("ratio           load / wc -l = %.2f (target <= 4)\n", all.best / wcBest);
    if (pandas > 0)
        std::printf(
            "pandas          read_csv %.3f s (best of %d); pandas / load = %.2f (target >= 6)\n",
            pandas, pandasRuns, pandas / all.best);
    else if (pandasRuns > 0)
        std::printf("pandas          not available (/usr/bin/python3 -c 'import pandas' failed)\n");
    return 0;
}
