#pragma once
// The training driver of the NCF networks: builds each epoch's samples, runs mini-batch steps
// (forward, loss, backward, optimiser) and keeps the best epoch on a validation part of the
// training data.
//
// Samples. Implicit: every training positive (u, i) with label 1 plus `negatives` movies j the
// user did not rate, drawn uniformly with label 0, fresh every epoch (stream
// deriveSeed(deriveSeed(seed, epoch), u) per user, so the draw does not depend on the thread
// count). Explicit: every training rating with target r - mu. The samples are shuffled with
// Pcg32 every epoch.
//
// Validation (validationFraction > 0). Each epoch gets one validation figure, explicit: an RMSE
// (lower is better), implicit: an NDCG@10 (higher is better). The parameters of the best epoch
// are kept; `patience` epochs without improvement stop the run early. The figure comes from
// - the caller (callerValidation): onEpoch writes it into NcfEpochStats::validation, e.g. the
//   driver's validation part (NcfRecommender), and every training rating is trained on;
// - else an inner hold-out: that fraction of the training ratings (chosen once from the seed)
//   is left out of the samples; explicit: their RMSE (clipped to 0.5..5), implicit: each ranked
//   against 100 movies the user did not rate (frozen by seed), NDCG@10.
//
// Steps are deterministic whatever the thread count: a batch is cut into fixed chunks of
// kChunk samples whose forward and backward passes run in parallel (OpenMP), and their
// gradients are added in chunk order; each touched embedding column (of either table) adds its
// samples' gradients in batch order and takes its own optimiser step, so the columns are shared
// among the threads, beside one thread's dense update. A column touched only by one chunk's
// samples takes its step as soon as that chunk's passes are done, while other chunks' passes still
// run (they do not read it): on large tables the steps wait on memory, the passes compute.
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "models/TrainData.h"
#include "ncf/NcfNetwork.h"
#include "ncf/NcfOptimizer.h"

namespace lens {

struct NcfConfig {
    NcfShape shape;
    NcfObjective objective = NcfObjective::Implicit;
    NcfOptimizerConfig optimizer;
    int epochs = 20;
    int batchSize = 256;
    int negatives = 4;  // implicit: sampled negatives per positive
    // Step size of epoch e (1-based): lr * learningRateDecay^(e-1); 1 keeps it constant.
    double learningRateDecay = 1.0;
    // Without validation: the returned parameters are the mean of the parameters after each of
    // the last round(averageFraction * epochs) epochs (stochastic weight averaging, Izmailov et
    // al. 2018); 0 keeps the last epoch. The per-epoch reports see the current iterate, the
    // model returned is the mean (a run stopped before the averaging began keeps its last one).
    double averageFraction = 0.0;
    // > 0: keep the best validated epoch (see Validation above); without callerValidation this
    // share of the training ratings is held out for it.
    double validationFraction = 0.0;
    bool callerValidation = false;  // onEpoch supplies the figure; nothing is held out
    int patience = 0;               // epochs without improvement before stopping; 0 = never
    std::uint64_t seed = 42;
    // Batches of at least this many samples may run a step on the OpenMP threads (their chunks'
    // passes, then the touched columns of both tables shared out beside the dense update);
    // smaller ones, and 0, run on one thread. The result is the same either way. A parallel
    // step costs a wake-up and two barriers, which an idle machine repays from batch 256 on
    // (NeuMF on the ML-20M shape, 2 cores: 76.6 s an epoch on one thread, 44.3 s on two), but
    // on a busy machine a thread can wait a time slice at each barrier (at load ~15 the
    // parallel step was 12x slower than one thread). So train() times segments of steps both
    // ways and runs the faster (FasterOfTwo), probing the other now and then.
    int parallelFromBatch = 256;
    bool pretrain = false;  // NeuMF: initialise from a trained GMF and MLP
    double alpha = 0.5;     // NeuMF pre-training: weight of the GMF output layer
};

struct NcfEpochStats {
    int epoch = 0;         // 1-based
    double seconds = 0.0;  // training time of the epoch (sampling included)
    double trainLoss = std::numeric_limits<double>::quiet_NaN();  // mean sample loss
    // RMSE or NDCG@10: the inner hold-out's when onEpoch is called, or what onEpoch writes
    // (callerValidation; NaN counts as an improvement, so without figures the last epoch stays).
    double validation = std::numeric_limits<double>::quiet_NaN();
    bool improved = false;  // best validation so far (set after onEpoch; always without one)
    std::size_t samples = 0;
};

class NcfTrainer {
public:
    static constexpr int kChunk = 128;
    // Steps timed together when train() chooses between the parallel and the one-thread step
    // (~10 ms at batch 256 on the ML-20M shape): the first segment of a run steps on the
    // threads, the second on one thread, then the faster way runs (FasterOfTwo).
    static constexpr std::size_t kSegmentBatches = 64;

    // `params` is trained in place; `data` must outlive the trainer.
    NcfTrainer(const NcfConfig& config, const TrainData& data, NcfParameters<float>& params);

    // Random initial parameters from the seed (skip to train from given parameters, e.g. for
    // NeuMF pre-training), then resetOptimizer().
    void initialiseParameters();
    void resetOptimizer();

    // One optimiser step on a batch; returns the summed sample loss.
    double trainStep(std::span<const std::uint32_t> users, std::span<const std::uint32_t> items,
                     std::span<const float> targets);

    // Builds the samples of `epoch` (1-based) into the trainer's buffers; returns their count.
    std::size_t buildEpochSamples(int epoch);
    struct Sample {
        std::uint32_t user, item;
        float target;
    };
    // Sample k of the last built epoch, in training order.
    Sample sample(std::size_t k) const;
    std::size_t sampleCount() const { return samples_.size(); }

    // The epoch loop. `onEpoch` sees every finished epoch (and with callerValidation writes its
    // validation figure) and returns false to stop; `shouldStop` is polled every few batches.
    // At the end (or stop) the best validated parameters are restored when validation is on.
    // Returns true when all epochs ran (or early stopping ended the run), false when stopped
    // by the caller.
    bool train(const std::function<bool(NcfEpochStats&)>& onEpoch,
               const std::function<bool()>& shouldStop);

    double validate() const;  // the inner hold-out's figure; NaN without its cases
    // Keeps the best validated epoch (the caller's figures or the inner hold-out's).
    bool hasValidation() const { return callerValidation() || !validationCases_.empty(); }
    bool callerValidation() const {
        return config_.callerValidation && config_.validationFraction > 0.0;
    }
    std::size_t heldOutCount() const { return validationCases_.size(); }  // inner hold-out
    int bestEpoch() const { return bestEpoch_; }
    double globalMean() const { return mu_; }

private:
    struct Case {
        std::uint32_t user, item;
        float rating;
    };
    // The distinct ids of a batch's side (first-seen order) and the chain of samples of each:
    // head[k] is the first sample of unique[k], next[j] the next sample with sample j's id (-1
    // at the end). Index work only, done before the step's passes.
    struct ColumnLinks {
        std::vector<std::uint32_t> unique;
        std::vector<std::int32_t> head, tail, next;
    };
    static void linkColumns(std::span<const std::uint32_t> ids, std::vector<std::int32_t>& slot,
                            ColumnLinks& links);
    // One embedding table in a step: its touched columns, parameters, optimiser state and step,
    // and where the batch passes leave its per-sample gradients.
    struct TableSide {
        const ColumnLinks& links;
        Eigen::MatrixXf& table;
        NcfTableState& state;
        NcfOptimizer::TableStep step;
        Eigen::MatrixXf NcfBatchWork<float>::*gradients;
    };
    // The lazy step of distinct column k of a side: its samples' gradients added in batch order
    // (into `sum` when there are several), then one optimiser step.
    void stepColumn(const TableSide& side, std::size_t k, Eigen::VectorXf& sum) const;
    // The steps of a side's distinct columns `list`, each prefetched a few columns ahead.
    void stepColumnList(const TableSide& side, std::span<const std::int32_t> list,
                        Eigen::VectorXf& sum) const;
    // Sorts side's (0 users, 1 items) linked columns: touched by the samples of one chunk only
    // (that chunk's `own`) or of several (mixedColumns_).
    void sortColumns(int side, std::ptrdiff_t chunks);

    // A chunk's own columns in a step, and whether its passes are done (their gradients ready).
    struct ChunkColumns {
        std::vector<std::int32_t> own[2];  // per side, indices into its links' unique
        std::atomic<bool> done{false};
        std::atomic<std::ptrdiff_t> taken{0};  // blocks of own taken by the threads
    };

    NcfConfig config_;
    const TrainData& data_;
    NcfParameters<float>& params_;
    NcfOptimizer optimizer_;
    double mu_ = 0.0;

    std::vector<std::uint8_t> isValidation_;  // per data.byUser entry
    std::vector<Case> validationCases_;
    std::vector<std::uint32_t> validationNegatives_;  // 100 per case (implicit)

    // A sample as the epoch stores it, in 8 bytes: implicit, the item with the label in the top
    // bit; explicit, the rating's entry in data.byUser. The shuffle's random swaps then move
    // 0.8 GB rather than 1.2 GB on the ML-20M shape, and no sample straddles two cache lines
    // (measured: 1.4 s a shuffle instead of 2.3 s).
    static constexpr std::uint32_t kPositiveBit = std::uint32_t{1} << 31;
    struct PackedSample {
        // Left unset when the epoch's buffer is sized: the sampler writes every sample, and
        // zero-filling the buffer first took 1.8 s of one core on the ML-20M shape.
        PackedSample() {}  // NOLINT(modernize-use-equals-default): = default would zero-fill
        PackedSample(std::uint32_t u, std::uint32_t c) : user(u), code(c) {}
        std::uint32_t item() const { return code & ~kPositiveBit; }  // implicit
        float label() const { return (code & kPositiveBit) ? 1.0f : 0.0f; }
        std::uint32_t user, code;
    };
    Sample unpack(PackedSample s) const;
    // Unpacks samples [begin, begin + n) into the batch's users, items and targets.
    void unpackBatch(std::size_t begin, std::size_t n);

    // The epoch's samples, shuffled, and a batch's apart.
    std::vector<PackedSample> samples_;
    std::vector<std::uint32_t> batchUsers_, batchItems_;
    std::vector<float> batchTargets_;

    std::vector<NcfBatchWork<float>> works_;
    std::vector<NcfDenseGradients<float>> chunkGrads_;
    std::vector<double> chunkLosses_;
    NcfDenseGradients<float> grads_;
    std::vector<std::int32_t> userSlot_, itemSlot_;
    ColumnLinks userLinks_, itemLinks_;
    std::vector<std::unique_ptr<ChunkColumns>> chunkColumns_;
    std::vector<std::int32_t> mixedColumns_[2];
    std::vector<Eigen::VectorXf> columnSums_;  // per thread
    bool stepOnThreads_ = true;                // train()'s choice for the next steps
    int bestEpoch_ = 0;
};

}  // namespace lens
