#pragma once
// How much memory training a model on a dataset will take, estimated before anything is
// allocated, and how much the machine has (MemAvailable of /proc/meminfo), so that the command
// line and the Train panel can warn (above 80 % of what is available) or refuse (above 100 %)
// instead of being killed by the kernel halfway through a run.
//
// The estimate adds up the large allocations of a fit (bytes, float32 = 4, index = 4):
//   TrainData      train ratings twice (CSR by user + CSC by item: 4-byte index + 4-byte value),
//                  test triplets (12 bytes), offsets (8 bytes per row, both sides), id maps
//                  (8 bytes per user and movie), genre masks; plus the Split's flag per rating.
//   ALS family     factors (users + items) k floats and biases; per thread a gathered factor
//                  block of the longest row (n_max (k + 1) floats) and (k + 1)^2 systems;
//                  genre prior: item-genre matrix (items x 19), prior means (items x k);
//                  implicit: the k x k Gram matrix.
//   NCF            embedding tables (users + items) x (GMF factors + MLP half-width) and the
//                  tower weights; Adam keeps two moments of every parameter plus a step count
//                  per embedding column; the epoch's samples (positives x (1 + negatives) x
//                  user, item, target); validation flags, cases and 100 sampled negatives per
//                  implicit validation case, and 100 per test rating for the per-epoch
//                  sampled HR@10 / NDCG@10; a best-epoch copy of the parameters when validating;
//                  NeuMF pre-training holds a second network with its optimiser state.
//   EASE           one dense n x n float matrix (n = rated movies: G, then its Cholesky factor,
//                  P and B in place), per thread a 128-column block of the inverse (n x 128)
//                  and a score vector, the training rows as columns (4 bytes per train rating).
//                  Quadratic in n: ML-32M's 84k movies would need 28 GB; EaseModel::fit refuses
//                  more than 40,000 rated movies.
//   item-kNN       biases, the training rows (movie + rating per train rating), the kept
//                  neighbours (n x kept x 8 bytes, n = rated movies); while the similarities are
//                  computed, the residuals (4 bytes per train rating, twice), per thread 28 bytes
//                  per movie (pair sums, touched list, candidates) and a second copy of the
//                  neighbours before they are packed.
//   BPMF           every kept sample's factors (sweeps - burn-in samples of (users + items) k
//                  floats, plus the user hyper-parameters) and the current draw; the running
//                  prediction sums of the training ratings (4 bytes each, twice during burn-in);
//                  per thread a gathered block of the longest row and the k x k system.
// The Dataset itself is already loaded and is not counted. Small per-batch scratch (below a
// few MB) is left out; tests/engine/tst_memory_estimate.cpp checks the sum against the
// measured RSS growth of real fits (within a factor 0.5-2).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lens {

class Dataset;
class Recommender;
struct SplitSpec;

// The sizes the estimate depends on.
struct TrainingShape {
    std::size_t users = 0;
    std::size_t items = 0;
    std::size_t ratedItems = 0;     // movies with at least one rating (0: take `items`)
    std::size_t ratings = 0;        // train + test
    double testFraction = 0.2;      // share of ratings held out
    std::size_t maxRowRatings = 0;  // most ratings of one user or one movie
    int threads = 1;                // OpenMP threads of the fit

    // From a loaded dataset; testFraction from the split (0.2 for splits without a fraction),
    // threads 0 = omp_get_max_threads().
    static TrainingShape of(const Dataset& dataset, const SplitSpec& split, int threads = 0);
};

struct MemoryEstimate {
    std::uint64_t trainDataBytes = 0;  // TrainData + Split
    std::uint64_t parameterBytes = 0;  // factors, biases, embeddings, weights (+ best copy)
    std::uint64_t optimizerBytes = 0;  // Adam moments and step counts
    std::uint64_t workspaceBytes = 0;  // per-thread blocks, epoch samples, validation data

    std::uint64_t total() const {
        return trainDataBytes + parameterBytes + optimizerBytes + workspaceBytes;
    }
    // "412.3 MiB (train data 380.1 MiB, parameters 20.4 MiB, optimiser 0 B, workspace 11.8 MiB)"
    std::string describe() const;
};

// Uses the model's kind() and current hyper-parameters ("k", "factors", "layers",
// "negatives", "validation", "optimizer", "pretrain"); unknown kinds count the TrainData only.
MemoryEstimate estimateTrainingMemory(const Recommender& model, const TrainingShape& shape);

// MemAvailable of /proc/meminfo in bytes; nullopt where it cannot be read (not Linux). The
// environment variable LENS_ATLAS_AVAILABLE_MEMORY (bytes) caps it, to rehearse a small machine
// (the command-line tests use it).
std::optional<std::uint64_t> availableMemoryBytes();
// The parser behind it (exposed for tests): the "MemAvailable: N kB" line of a meminfo text.
std::optional<std::uint64_t> parseMemAvailable(std::string_view meminfo);

enum class MemoryVerdict { Fits, Warn, Refuse };
// Warn above 80 % of the available bytes, refuse above 100 %.
MemoryVerdict judgeMemory(std::uint64_t needed, std::uint64_t available);

// "1.5 GiB", "312.0 MiB", "640 B".
std::string formatByteSize(std::uint64_t bytes);

}  // namespace lens
