#include "models/MemoryEstimate.h"

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "data/Dataset.h"
#include "data/Genre.h"
#include "data/Split.h"
#include "models/Recommender.h"

namespace lens {

namespace {

constexpr std::uint64_t kFloat = 4;
constexpr std::uint64_t kIndex = 4;
constexpr std::uint64_t kGenres = 19;
constexpr std::uint64_t kValidationNegatives = 100;  // NcfTrainer's sampled negatives per case

std::uint64_t intOf(const Recommender& model, const std::string& key, std::uint64_t fallback) {
    const std::string text = model.hyperparameter(key);
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && ptr == text.data() + text.size() ? v : fallback;
}

double realOf(const Recommender& model, const std::string& key, double fallback) {
    const std::string text = model.hyperparameter(key);
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return end && *end == '\0' ? v : fallback;
}

std::vector<std::uint64_t> layersOf(const Recommender& model) {
    std::vector<std::uint64_t> layers;
    std::stringstream in(model.hyperparameter("layers"));
    std::string part;
    while (std::getline(in, part, ',')) {
        std::uint64_t v = 0;
        if (std::from_chars(part.data(), part.data() + part.size(), v).ec == std::errc())
            layers.push_back(v);
    }
    if (layers.empty()) layers = {64, 32, 16, 8};
    return layers;
}

void addAls(const Recommender& model, const TrainingShape& s, MemoryEstimate& e) {
    const std::uint64_t k = intOf(model, "k", 32);
    const std::uint64_t rows = s.users + s.items;
    e.parameterBytes += rows * (k + 1) * kFloat;  // factors and biases
    // Per thread: gathered block Y_u (n_max x (k+1)), targets, Gram, system, LLT, vectors.
    const std::uint64_t perThread =
        s.maxRowRatings * (k + 2) * kFloat + 4 * (k + 1) * (k + 1) * kFloat + 8 * (k + 1) * kFloat;
    e.workspaceBytes += static_cast<std::uint64_t>(std::max(1, s.threads)) * perThread;
    const std::string kind = model.kind();
    if (kind == "als-genre")
        e.workspaceBytes +=
            s.items * kGenres * kFloat + s.items * k * kFloat + kGenres * k * kFloat;
    if (kind == "als-implicit") e.workspaceBytes += 2 * k * k * kFloat;
}

void addNcf(const Recommender& model, const TrainingShape& s, double trainRatings,
            double testRatings, MemoryEstimate& e) {
    const std::string kind = model.kind();
    const bool gmf = kind != "mlp", mlp = kind != "gmf";
    const std::uint64_t factors = intOf(model, "factors", 8);
    const std::vector<std::uint64_t> layers = layersOf(model);
    const std::uint64_t embedding = (gmf ? factors : 0) + (mlp ? layers.front() / 2 : 0);
    std::uint64_t tower = 0;
    if (mlp)
        for (std::size_t l = 0; l + 1 < layers.size(); ++l)
            tower += layers[l] * layers[l + 1] + layers[l + 1];
    tower += (gmf ? factors : 0) + (mlp ? layers.back() : 0) + 1;  // output layer
    const std::uint64_t rows = s.users + s.items;
    const std::uint64_t params = (rows * embedding + tower) * kFloat;
    const bool adam = model.hyperparameter("optimizer") != "sgd";
    const double validation = std::clamp(realOf(model, "validation", 0.0), 0.0, 1.0);
    const bool implicit = model.hyperparameter("objective") != "explicit";
    const std::uint64_t negatives = implicit ? intOf(model, "negatives", 4) : 0;

    e.parameterBytes += params + tower * kFloat;               // + dense gradients
    if (validation > 0) e.parameterBytes += params;            // best-epoch copy
    if (adam) e.optimizerBytes += 2 * params + rows * kIndex;  // moments + steps per column
    const double trained = trainRatings * (1.0 - validation);
    const double cases = trainRatings * validation;
    e.workspaceBytes += static_cast<std::uint64_t>(trained * static_cast<double>(1 + negatives) *
                                                   (2 * kIndex + kFloat));  // epoch samples
    e.workspaceBytes += static_cast<std::uint64_t>(trainRatings);           // validation flags
    e.workspaceBytes += static_cast<std::uint64_t>(cases * 12.0);           // validation cases
    if (implicit)
        e.workspaceBytes +=
            static_cast<std::uint64_t>(cases * static_cast<double>(kValidationNegatives * kIndex));
    e.workspaceBytes += rows * kIndex;  // column slots
    // Implicit models are evaluated every epoch on 100 sampled negatives per test rating when
    // the caller passes the standard per-iteration evaluation (eval/ModelEvaluation
    // heldOutEvaluation, as the app's drivers do; sampleNegatives: items and a count per case).
    if (implicit)
        e.workspaceBytes += static_cast<std::uint64_t>(
            testRatings * static_cast<double>(kValidationNegatives * kIndex + kIndex));
    if (kind == "neumf" && model.hyperparameter("pretrain") == "on") {
        // The GMF and MLP parts are trained first, each with its own optimiser state.
        e.parameterBytes += params;
        if (adam) e.optimizerBytes += 2 * params;
    }
}

void addEase(const TrainingShape& s, double trainRatings, MemoryEstimate& e) {
    const std::uint64_t n = s.ratedItems > 0 ? s.ratedItems : s.items;
    // The Gram matrix, inverted in place (LAPACK's workspace is OpenBLAS's fixed buffers) and
    // turned into the weights; the training rows as columns; while the Gram matrix is counted,
    // each rating's place in its user's row and a cursor per item; the diagonal of the inverse.
    e.parameterBytes += n * n * kFloat + static_cast<std::uint64_t>(trainRatings) * kIndex +
                        (s.users + 1) * 8 + n * kIndex + s.items * kIndex;
    e.workspaceBytes +=
        static_cast<std::uint64_t>(trainRatings) * kIndex + s.items * 8 + n * kFloat;
}

void addItemKnn(const Recommender& model, const TrainingShape& s, double trainRatings,
                MemoryEstimate& e) {
    const std::uint64_t n = s.ratedItems > 0 ? s.ratedItems : s.items;
    const std::uint64_t threads = static_cast<std::uint64_t>(std::max(1, s.threads));
    const auto train = static_cast<std::uint64_t>(trainRatings);
    const std::uint64_t kept = std::min<std::uint64_t>(intOf(model, "kept", 1000), n ? n - 1 : 0);
    const std::uint64_t neighbours = n * kept * (kIndex + kFloat);       // movie + similarity
    e.parameterBytes += (s.users + s.items) * kFloat +                   // b_u, b_i
                        train * (kIndex + kFloat) + (s.users + 1) * 8 +  // training rows
                        neighbours + (s.items + 1) * 8;
    // The residuals of both orientations; per thread the pair sums (16 bytes), touched list and
    // candidates of one row per movie; the per-movie lists before they are packed (one more
    // copy of the neighbours at the peak, plus a vector header per movie).
    e.workspaceBytes +=
        2 * train * kFloat + threads * s.items * (16 + kIndex + 8) + neighbours + s.items * 24;
}

void addBpmf(const Recommender& model, const TrainingShape& s, double trainRatings,
             MemoryEstimate& e) {
    const std::uint64_t k = intOf(model, "k", 20) + (model.hyperparameter("biases") == "on");
    const std::uint64_t sweeps = intOf(model, "sweeps", 150), burnIn = intOf(model, "burn_in", 20);
    const std::uint64_t thin = std::max<std::uint64_t>(1, intOf(model, "thin", 1));
    const std::uint64_t samples = sweeps >= burnIn + thin ? (sweeps - burnIn) / thin : 1;
    const std::uint64_t rows = s.users + s.items;
    // Every sample's factors and user hyper-parameters, plus the current draw.
    e.parameterBytes += (samples + 1) * (rows * k + k * k + k) * kFloat;
    // The running prediction sums of the training ratings (and the burn-in's scratch copy);
    // per thread a gathered block of the longest row and the k x k system.
    const auto train = static_cast<std::uint64_t>(trainRatings);
    e.workspaceBytes +=
        2 * train * kFloat + static_cast<std::uint64_t>(std::max(1, s.threads)) *
                                 (s.maxRowRatings * (k + 1) * kFloat + 4 * k * k * kFloat);
}

}  // namespace

TrainingShape TrainingShape::of(const Dataset& dataset, const SplitSpec& split, int threads) {
    TrainingShape s;
    s.users = dataset.userCount();
    s.items = dataset.movieCount();
    s.ratings = dataset.ratingCount();
    for (std::size_t m = 0; m < dataset.byMovie.rows(); ++m)
        s.ratedItems += dataset.byMovie.rowSize(m) > 0 ? 1 : 0;
    s.testFraction =
        (split.kind == SplitKind::PerUserHoldout || split.kind == SplitKind::GlobalRandom)
            ? split.fraction
            : 0.2;
    for (const RatingMatrix* m : {&dataset.byUser, &dataset.byMovie})
        for (std::size_t r = 0; r < m->rows(); ++r)
            s.maxRowRatings = std::max<std::size_t>(s.maxRowRatings, m->rowSize(r));
    s.threads = threads > 0 ? threads : omp_get_max_threads();
    return s;
}

MemoryEstimate estimateTrainingMemory(const Recommender& model, const TrainingShape& s) {
    MemoryEstimate e;
    const double ratings = static_cast<double>(s.ratings);
    const double test = ratings * std::clamp(s.testFraction, 0.0, 1.0);
    const double train = ratings - test;
    e.trainDataBytes = static_cast<std::uint64_t>(train * 2 * (kIndex + kFloat) + test * 12.0) +
                       (s.users + s.items + 2) * 8 +  // CSR and CSC offsets
                       (s.users + s.items) * 8 +      // id maps
                       s.items * sizeof(GenreMask) +  // genres
                       s.ratings;                     // Split::isTest
    const std::string kind = model.kind();
    if (kind == "als" || kind == "als-genre" || kind == "als-implicit")
        addAls(model, s, e);
    else if (kind == "gmf" || kind == "mlp" || kind == "neumf")
        addNcf(model, s, train, test, e);
    else if (kind == "ease")
        addEase(s, train, e);
    else if (kind == "item-knn")
        addItemKnn(model, s, train, e);
    else if (kind == "bpmf")
        addBpmf(model, s, train, e);
    else if (kind == "bias")
        e.parameterBytes += (s.users + s.items) * kFloat;
    return e;
}

std::string formatByteSize(std::uint64_t bytes) {
    char buf[32];
    const double b = static_cast<double>(bytes);
    if (bytes >= (std::uint64_t{1} << 30))
        std::snprintf(buf, sizeof buf, "%.1f GiB", b / (1024.0 * 1024.0 * 1024.0));
    else if (bytes >= (std::uint64_t{1} << 20))
        std::snprintf(buf, sizeof buf, "%.1f MiB", b / (1024.0 * 1024.0));
    else if (bytes >= 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    return buf;
}

std::string MemoryEstimate::describe() const {
    return formatByteSize(total()) + " (train data " + formatByteSize(trainDataBytes) +
           ", parameters " + formatByteSize(parameterBytes) + ", optimiser " +
           formatByteSize(optimizerBytes) + ", workspace " + formatByteSize(workspaceBytes) + ")";
}

std::optional<std::uint64_t> parseMemAvailable(std::string_view meminfo) {
    const std::string_view key = "MemAvailable:";
    const std::size_t at = meminfo.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view rest = meminfo.substr(at + key.size());
    const std::size_t digits = rest.find_first_not_of(' ');
    if (digits == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(digits);
    std::uint64_t kib = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
    if (ec != std::errc() || std::string_view(ptr, 3) != " kB") return std::nullopt;
    return kib * 1024;
}

std::optional<std::uint64_t> availableMemoryBytes() {
    std::optional<std::uint64_t> available;
    if (std::ifstream in("/proc/meminfo"); in) {
        std::stringstream text;
        text << in.rdbuf();
        available = parseMemAvailable(text.str());
    }
    if (const char* cap = std::getenv("LENS_ATLAS_AVAILABLE_MEMORY")) {
        std::uint64_t bytes = 0;
        const std::string_view text(cap);
        if (std::from_chars(text.data(), text.data() + text.size(), bytes).ec == std::errc())
            available = available ? std::min(*available, bytes) : bytes;
    }
    return available;
}

MemoryVerdict judgeMemory(std::uint64_t needed, std::uint64_t available) {
    if (needed > available) return MemoryVerdict::Refuse;
    if (static_cast<double>(needed) > 0.8 * static_cast<double>(available))
        return MemoryVerdict::Warn;
    return MemoryVerdict::Fits;
}

}  // namespace lens
