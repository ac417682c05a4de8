// bench_interactions: the generic interaction reader (io/InteractionReader.h) against the
// MovieLens loader on the same bytes: an ML-20M-shaped ratings.csv and movies.csv, read once as a
// release and once through `--format user=userId,item=movieId,rating=rating,time=timestamp` with
// movies.csv as the items file; and the same file with string user ids ("u123"), which takes the
// interning path. `wc -l` of the file is timed in the same run as the machine's reference.
//
//   bench_interactions [RELEASE_DIR] [--runs N] [--threads N] [--only release|generic|strings]
//
// --only times one reader (for a profiler) and skips the ratios.
//
// Without a path the ML-20M-shaped release of bench_load (/tmp/lens-atlas-bench-ml20m-shape) is
// used (generated when absent). Target (issue #20): generic / MovieLens <= 1.0 on the same bytes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "benchmarks/BenchRelease.h"
#include "io/DatasetLoader.h"
#include "io/JsonFile.h"

namespace fs = std::filesystem;

namespace {

double bestSeconds(int runs, const std::function<std::size_t()>& work, std::size_t& ratings) {
    double best = 1e30;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        ratings = work();
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

// Best of three `wc -l` runs of the file.
double wcSeconds(const fs::path& file) {
    long long lines = 0;
    double best = 1e30;
    for (int r = 0; r < 3; ++r) best = std::min(best, lens::bench::timeWcL(file, lines));
    return best;
}

// ratings.csv with "u<id>" user ids (a file of string ids of the same shape), written once.
fs::path stringIdCopy(const fs::path& ratings) {
    const fs::path out = ratings.parent_path() / "ratings-string-ids.csv";
    if (fs::exists(out)) return out;
    const std::string text = lens::readWholeFile(ratings);
    std::string copy;
    copy.reserve(text.size() + text.size() / 20);
    std::size_t p = 0;
    while (p < text.size()) {
        std::size_t nl = text.find('\n', p);
        if (nl == std::string::npos) nl = text.size();
        if (p > 0) copy += 'u';  // not on the header line
        copy.append(text, p, nl - p);
        copy += '\n';
        p = nl + 1;
    }
    std::ofstream(out, std::ios::binary) << copy;
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path path = lens::bench::kMl20mReleasePath;
    int runs = 3, threads = 0;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--threads" && i + 1 < argc)
            threads = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--only" && i + 1 < argc)
            only = argv[++i];
        else
            path = arg;
    }
    if (!lens::bench::ensureMl20mRelease(path)) return 1;
    const fs::path ratings = path / "ratings.csv";
    const double mb = static_cast<double>(fs::file_size(ratings)) / 1e6;
    const double wc = wcSeconds(ratings);

    lens::LoadOptions release;
    release.threads = threads;
    lens::LoadOptions generic = release;
    generic.format = lens::parseInteractionFormat(
        "user=userId,item=movieId,rating=rating,time=timestamp,sep=comma,header=yes");
    generic.itemsFile = path / "movies.csv";
    generic.itemsFormat = lens::parseItemsFormat("id=movieId,title=title,categories=genres");
    lens::LoadOptions strings = generic;
    const fs::path stringFile = stringIdCopy(ratings);

    std::size_t nRelease = 0, nGeneric = 0, nStrings = 0;
    try {
        if (!only.empty()) {
            const lens::LoadOptions& options = only == "release"   ? release
                                               : only == "generic" ? generic
                                                                   : strings;
            const fs::path input = only == "release"   ? path
                                   : only == "generic" ? ratings
                                                       : stringFile;
            const double t = bestSeconds(
                runs, [&] { return lens::loadDataset(input, options).ratingCount(); }, nRelease);
            std::printf("%s: %.3f s (best of %d), %zu ratings\n", only.c_str(), t, runs, nRelease);
            return 0;
        }
        const double tRelease = bestSeconds(
            runs, [&] { return lens::loadDataset(path, release).ratingCount(); }, nRelease);
        const double tGeneric = bestSeconds(
            runs, [&] { return lens::loadDataset(ratings, generic).ratingCount(); }, nGeneric);
        const double tStrings = bestSeconds(
            runs, [&] { return lens::loadDataset(stringFile, strings).ratingCount(); }, nStrings);
        std::printf("file              %s (%.1f MB), %d threads (0 = all)\n", ratings.c_str(), mb,
                    threads);
        std::printf("MovieLens loader  %.3f s (best of %d), %zu ratings\n", tRelease, runs,
                    nRelease);
        std::printf(
            "generic reader    %.3f s, %zu ratings; generic / MovieLens = %.2f (target <= "
            "1.0)\n",
            tGeneric, nGeneric, tGeneric / tRelease);
        std::printf("string user ids   %.3f s, %zu ratings; / MovieLens = %.2f\n", tStrings,
                    nStrings, tStrings / tRelease);
        std::printf("wc -l             %.3f s; MovieLens / wc = %.2f, generic / wc = %.2f\n", wc,
                    tRelease / wc, tGeneric / wc);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "load failed: %s\n", e.what());
        return 3;
    }
    return nRelease == nGeneric && nGeneric == nStrings ? 0 : 4;
}
