// bench_item_knn: seconds of item-kNN's similarity step (computeItemNeighbours: the four sums
// of every co-rated movie pair, shrunk Pearson-baseline, top `kept` per movie) on a release,
// by default the ML-20M shape written by `lens-atlas generate --shape ml-20m --out DIR`
// (138,493 users, 26,744 rated movies, 20,000,263 ratings), against the #18 target of 60 s on
// 2 cores; plus peak RSS and, timed in the same run, a reference: the same three sparse
// products (E^T E, (E o E)^T B, B^T B with E the residuals and B their pattern) by scipy.sparse
// under /usr/bin/python3 (one thread), over every `--reference-stride`-th block of 512 movies
// (the whole catalogue would take long); both sides print scatter-adds per second (one
// scatter-add: one co-rating user of one pair, sum over movies i of sum over raters u of n_u),
// and the ratio of those rates is the comparison.
// Usage: bench_item_knn [DIR] [--kept N] [--shrinkage S] [--reference-stride K | --no-reference]
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "benchmarks/BenchRelease.h"
#include "benchmarks/ProcStatus.h"
#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "models/BiasBaseline.h"
#include "models/ItemKnnSimilarity.h"
#include "models/TrainData.h"

using namespace lens;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

using lens::bench::procStatusMb;

double cpuSeconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

template <class T>
void writeRaw(const std::filesystem::path& file, const std::vector<T>& v) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(v.data()),
              static_cast<std::streamsize>(v.size() * sizeof(T)));
}

// scipy.sparse on the same residual matrix: the three products for the selected movie blocks.
// Prints "seconds scatter_adds" (the adds of the covered movies), or nothing without scipy.
const char* kReference = R"(import sys, time, numpy as np, scipy.sparse as sp
d, users, items, stride = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ptr = np.fromfile(d + "/ptr.bin", dtype=np.uint64).astype(np.int64)
idx = np.fromfile(d + "/idx.bin", dtype=np.uint32).astype(np.int32)
res = np.fromfile(d + "/res.bin", dtype=np.float32)
E = sp.csr_matrix((res, idx, ptr), shape=(users, items))
B = sp.csr_matrix((np.ones_like(res), idx, ptr), shape=(users, items))
E2 = E.multiply(E).tocsr()
Ec, E2c, Bc = E.tocsc(), E2.tocsc(), B.tocsc()
nu = np.diff(ptr).astype(np.float64)
adds = 0.0
t = time.perf_counter()
for a in range(0, items, 512 * stride):
    cols = slice(a, min(a + 512, items))
    (Ec[:, cols].T @ E)
    (E2c[:, cols].T @ B)
    (Bc[:, cols].T @ B)
    adds += float((Bc[:, cols].T @ nu).sum())
print(time.perf_counter() - t, adds)
)";

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "/tmp/h4/ml20";
    ItemSimilarityOptions options;
    int stride = 8;
    bool reference = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--kept" && i + 1 < argc)
            options.kept = std::stoul(argv[++i]);
        else if (a == "--shrinkage" && i + 1 < argc)
            options.shrinkage = std::stod(argv[++i]);
        else if (a == "--reference-stride" && i + 1 < argc)
            stride = std::max(1, std::stoi(argv[++i]));
        else if (a == "--no-reference")
            reference = false;
        else
            dir = a;
    }
    const auto t0 = Clock::now();
    const std::optional<TrainData> release = lens::bench::loadTrainRelease(dir);
    if (!release) return 1;
    const TrainData& data = *release;
    std::printf("%s: %zu users, %zu movies, %zu train ratings (loaded in %.1f s)\n", dir.c_str(),
                data.userCount(), data.itemCount(), data.trainCount(), since(t0));

    BiasBaseline baseline;
    baseline.fit(data);
    RatingResiduals residuals;
    residuals.byUser.resize(data.byUser.nnz());
    residuals.byItem.resize(data.byItem.nnz());
    const auto& bu = baseline.userBiasVector();
    const auto& bi = baseline.itemBiasVector();
    const auto mu = static_cast<float>(baseline.globalMean());
    for (std::size_t u = 0; u < data.byUser.rows(); ++u)
        for (auto e = data.byUser.offsets[u]; e < data.byUser.offsets[u + 1]; ++e)
            residuals.byUser[e] = data.byUser.values[e] - (mu + bu[u] + bi[data.byUser.index[e]]);
    for (std::size_t i = 0; i < data.byItem.rows(); ++i)
        for (auto e = data.byItem.offsets[i]; e < data.byItem.offsets[i + 1]; ++e)
            residuals.byItem[e] = data.byItem.values[e] - (mu + bu[data.byItem.index[e]] + bi[i]);
    double adds = 0;  // sum over users of n_u^2
    for (std::size_t u = 0; u < data.byUser.rows(); ++u)
        adds += static_cast<double>(data.byUser.rowSize(u)) * data.byUser.rowSize(u);

    const double rssBefore = procStatusMb("VmRSS:");
    const auto t = Clock::now();
    const double cpu0 = cpuSeconds();
    const ItemNeighbours nb = computeItemNeighbours(data, residuals, options);
    const double seconds = since(t), cpu = cpuSeconds() - cpu0;
    std::printf(
        "similarity step: %.1f s wall, %.1f s CPU on %d threads (target <= 60 s on 2 cores: %s); "
        "%.3g scatter-adds, %.0f M/s; kept %zu, shrinkage %g: %zu neighbours (%.0f MB)\n",
        seconds, cpu, omp_get_max_threads(), seconds <= 60 ? "met" : "MISSED", adds,
        adds / seconds / 1e6, options.kept, options.shrinkage, nb.items.size(),
        nb.items.size() * 8.0 / 1e6);
    std::printf("RSS before the step %.0f MB, peak RSS %.0f MB (VmHWM)\n", rssBefore,
                procStatusMb("VmHWM:"));
    if (!reference) return 0;

    const auto folder = std::filesystem::temp_directory_path() / "bench_item_knn";
    std::filesystem::create_directories(folder);
    writeRaw(folder / "ptr.bin", data.byUser.offsets);
    writeRaw(folder / "idx.bin", data.byUser.index);
    writeRaw(folder / "res.bin", residuals.byUser);
    std::ofstream(folder / "reference.py") << kReference;
    const std::string command = "/usr/bin/python3 " + (folder / "reference.py").string() + " " +
                                folder.string() + " " + std::to_string(data.userCount()) + " " +
                                std::to_string(data.itemCount()) + " " + std::to_string(stride) +
                                " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    double refSeconds = -1, refAdds = 0;
    if (pipe) {
        if (std::fscanf(pipe, "%lf %lf", &refSeconds, &refAdds) != 2) refSeconds = -1;
        pclose(pipe);
    }
    std::filesystem::remove_all(folder);
    if (refSeconds <= 0 || refAdds <= 0) {
        std::printf("scipy reference skipped (/usr/bin/python3 with scipy not found or failed)\n");
        return 0;
    }
    const double refRate = refAdds / refSeconds, rate = adds / seconds;
    std::printf(
        "scipy.sparse reference (3 products, 1 thread, every %d-th block of 512 movies): %.1f s "
        "for %.3g scatter-adds, %.0f M/s (whole catalogue ~%.0f s); this step is %.1fx its rate\n",
        stride, refSeconds, refAdds, refRate / 1e6, adds / refRate, rate / refRate);
    return 0;
}
