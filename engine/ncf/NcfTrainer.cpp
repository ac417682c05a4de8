#include "ncf/NcfTrainer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

#include <omp.h>

#include "util/FasterOfTwo.h"
#include "util/HugePages.h"
#include "util/Prefetch.h"
#include "util/Random.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {
constexpr int kNcfValidationNegatives = 100;
constexpr int kStopPollBatches = 16;
constexpr std::size_t kShuffleAhead = 56, kShuffleRing = 64;  // ring > look-ahead
// Touched embedding columns: taken by the threads this many at a time, and prefetched this far
// ahead of the one being stepped (on large tables each column is a cache miss).
constexpr std::ptrdiff_t kColumnsPerTask = 32, kColumnsAhead = 8;
// Waits for another chunk's passes between yields of the core (a busy machine may have taken
// the other thread off its core for a time slice).
constexpr unsigned kSpinsBeforeYield = 4096;

// A movie the user did not rate in training, uniform over the catalogue (rejection);
// returns items when every movie is rated.
std::uint32_t drawUnrated(Pcg32& rng, const SparseRatings& byUser, std::uint32_t user,
                          std::uint32_t items) {
    if (byUser.rowSize(user) >= items) return items;
    for (;;) {
        const std::uint32_t j = rng.below(items);
        if (!byUser.contains(user, j)) return j;
    }
}
}  // namespace

NcfTrainer::NcfTrainer(const NcfConfig& config, const TrainData& data, NcfParameters<float>& params)
    : config_(config), data_(data), params_(params), mu_(data.globalMean) {
    config_.shape.validate();
    // The packed samples' bounds (far above MovieLens: 87,585 movies and 32 M ratings in ML-32M).
    if (data.itemCount() >= kPositiveBit || data.trainCount() > UINT32_MAX)
        throw std::length_error("NCF trains on at most 2^31 movies and 2^32 ratings");
    // Validation cases, chosen once from the seed.
    resizeHuge(isValidation_, data.trainCount());
    if (config_.validationFraction > 0.0 && !config_.callerValidation) {
        Pcg32 rng(deriveSeed(config_.seed, 7));
        const auto& m = data.byUser;
        for (std::uint32_t u = 0; u < m.rows(); ++u) {
            for (std::uint64_t e = m.offsets[u]; e < m.offsets[u + 1]; ++e) {
                if (rng.uniform() < config_.validationFraction) {
                    isValidation_[e] = 1;
                    validationCases_.push_back({u, m.index[e], m.values[e]});
                }
            }
        }
        if (config_.objective == NcfObjective::Implicit) {
            const auto items = static_cast<std::uint32_t>(data.itemCount());
            validationNegatives_.resize(validationCases_.size() * kNcfValidationNegatives);
            for (std::size_t c = 0; c < validationCases_.size(); ++c) {
                Pcg32 caseRng(deriveSeed(deriveSeed(config_.seed, 8), c));
                for (int k = 0; k < kNcfValidationNegatives; ++k)
                    validationNegatives_[c * kNcfValidationNegatives + k] = std::min(
                        drawUnrated(caseRng, m, validationCases_[c].user, items), items - 1);
            }
        }
    }
    userSlot_.assign(data.userCount(), -1);
    itemSlot_.assign(data.itemCount(), -1);
}

void NcfTrainer::initialiseParameters() {
    params_.initialise(config_.shape, data_.userCount(), data_.itemCount(), config_.seed);
    resetOptimizer();
}

void NcfTrainer::resetOptimizer() {
    optimizer_.reset(config_.optimizer, params_);
    grads_.resizeLike(params_);
}

void NcfTrainer::linkColumns(std::span<const std::uint32_t> ids, std::vector<std::int32_t>& slot,
                             ColumnLinks& links) {
    links.unique.clear();
    links.head.clear();
    links.tail.clear();
    links.next.assign(ids.size(), -1);
    // The ids' slots are at random in a table of every user (or movie): asked for all at once
    // rather than one miss after another (steps 1.5-3 % faster on the ML-20M shape).
    for (std::uint32_t id : ids) __builtin_prefetch(&slot[id]);
    for (std::size_t j = 0; j < ids.size(); ++j) {
        const std::uint32_t id = ids[j];
        const auto sample = static_cast<std::int32_t>(j);
        std::int32_t& k = slot[id];
        if (k < 0) {
            k = static_cast<std::int32_t>(links.unique.size());
            links.unique.push_back(id);
            links.head.push_back(sample);
            links.tail.push_back(sample);
        } else {
            links.next[static_cast<std::size_t>(links.tail[static_cast<std::size_t>(k)])] = sample;
            links.tail[static_cast<std::size_t>(k)] = sample;
        }
    }
    for (std::uint32_t id : links.unique) slot[id] = -1;
}

void NcfTrainer::stepColumn(const TableSide& side, std::size_t k, Eigen::VectorXf& sum) const {
    auto gradient = [&](std::int32_t sample) {
        const auto& work = works_[static_cast<std::size_t>(sample / kChunk)];
        return (work.*side.gradients).col(sample % kChunk);
    };
    const ColumnLinks& links = side.links;
    const std::int32_t first = links.head[k];
    std::int32_t sample = links.next[static_cast<std::size_t>(first)];
    if (sample < 0) {  // one sample: its gradient as it is
        optimizer_.stepColumn(side.table, side.state, side.step, links.unique[k], gradient(first));
        return;
    }
    sum = gradient(first);
    for (; sample >= 0; sample = links.next[static_cast<std::size_t>(sample)])
        sum += gradient(sample);
    optimizer_.stepColumn(side.table, side.state, side.step, links.unique[k], sum);
}

void NcfTrainer::sortColumns(int side, std::ptrdiff_t chunks) {
    const ColumnLinks& links = side == 0 ? userLinks_ : itemLinks_;
    for (std::ptrdiff_t c = 0; c < chunks; ++c) chunkColumns_[c]->own[side].clear();
    mixedColumns_[side].clear();
    for (std::size_t k = 0; k < links.unique.size(); ++k) {
        const std::int32_t first = links.head[k] / kChunk, last = links.tail[k] / kChunk;
        (first == last ? chunkColumns_[first]->own[side] : mixedColumns_[side])
            .push_back(static_cast<std::int32_t>(k));
    }
}

void NcfTrainer::stepColumnList(const TableSide& side, std::span<const std::int32_t> list,
                                Eigen::VectorXf& sum) const {
    auto prefetch = [&](std::size_t at) {
        NcfOptimizer::prefetchColumnState(side.table, side.state,
                                          side.links.unique[static_cast<std::size_t>(list[at])]);
    };
    const std::size_t ahead = kColumnsAhead;
    for (std::size_t at = 0; at < std::min(list.size(), ahead); ++at) prefetch(at);
    for (std::size_t at = 0; at < list.size(); ++at) {
        if (at + ahead < list.size()) prefetch(at + ahead);
        stepColumn(side, static_cast<std::size_t>(list[at]), sum);
    }
}

namespace {
// Block `block` of kColumnsPerTask columns of two lists laid end to end (the users' touched
// columns, then the items'): its side and its columns.
std::ptrdiff_t blocksOf(const std::vector<std::int32_t>& list) {
    const auto perTask = static_cast<std::size_t>(kColumnsPerTask);
    return static_cast<std::ptrdiff_t>((list.size() + perTask - 1) / perTask);
}

std::pair<int, std::span<const std::int32_t>> columnBlock(
    const std::vector<std::int32_t> (&lists)[2], std::ptrdiff_t block) {
    const auto perTask = static_cast<std::size_t>(kColumnsPerTask);
    const std::ptrdiff_t userBlocks = blocksOf(lists[0]);
    const int side = block < userBlocks ? 0 : 1;
    const std::vector<std::int32_t>& list = lists[side];
    const std::size_t from =
        static_cast<std::size_t>(side == 0 ? block : block - userBlocks) * perTask;
    return {side, std::span<const std::int32_t>(list).subspan(
                      from, std::min(perTask, list.size() - from))};
}

std::ptrdiff_t columnBlocks(const std::vector<std::int32_t> (&lists)[2]) {
    return blocksOf(lists[0]) + blocksOf(lists[1]);
}

void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
}  // namespace

double NcfTrainer::trainStep(std::span<const std::uint32_t> users,
                             std::span<const std::uint32_t> items, std::span<const float> targets) {
    const std::size_t batch = users.size();
    const auto chunks = static_cast<std::ptrdiff_t>((batch + kChunk - 1) / kChunk);
    if (static_cast<std::ptrdiff_t>(works_.size()) < chunks) works_.resize(chunks);
    if (static_cast<std::ptrdiff_t>(chunkGrads_.size()) < chunks) chunkGrads_.resize(chunks);
    while (static_cast<std::ptrdiff_t>(chunkColumns_.size()) < chunks)
        chunkColumns_.push_back(std::make_unique<ChunkColumns>());
    for (std::ptrdiff_t c = 0; c < chunks; ++c) {
        chunkColumns_[c]->done.store(false, std::memory_order_relaxed);
        chunkColumns_[c]->taken.store(0, std::memory_order_relaxed);
    }
    chunkLosses_.assign(static_cast<std::size_t>(chunks), 0.0);
    const double normaliser = static_cast<double>(batch);
    const bool parallel = stepOnThreads_ && chunks >= 2 && config_.parallelFromBatch > 0 &&
                          batch >= static_cast<std::size_t>(config_.parallelFromBatch);
    if (columnSums_.size() < static_cast<std::size_t>(omp_get_max_threads()))
        columnSums_.resize(static_cast<std::size_t>(omp_get_max_threads()));
    const TableSide sides[2] = {
        {userLinks_, params_.userEmbedding, optimizer_.userState(),
         optimizer_.beginTableStep(optimizer_.userState()), &NcfBatchWork<float>::userGradients},
        {itemLinks_, params_.itemEmbedding, optimizer_.itemState(),
         optimizer_.beginTableStep(optimizer_.itemState()), &NcfBatchWork<float>::itemGradients}};
    using Net = NcfNetwork<float>;
    auto passes = [&](std::ptrdiff_t c) {
        const std::size_t begin = static_cast<std::size_t>(c) * kChunk;
        const std::size_t n = std::min<std::size_t>(kChunk, batch - begin);
        auto u = users.subspan(begin, n);
        auto i = items.subspan(begin, n);
        auto& work = works_[c];
        auto& g = chunkGrads_[c];
        if (g.weights.size() != params_.weights.size() ||
            g.outputWeight.size() != params_.outputWeight.size())
            g.resizeLike(params_);
        else
            g.setZero();
        Net::forward(params_, params_.userEmbedding, u, params_.itemEmbedding, i, work);
        chunkLosses_[c] = Net::loss(config_.objective, work, targets.subspan(begin, n), normaliser);
        Net::backward(params_, params_.userEmbedding, u, params_.itemEmbedding, i, work, g);
    };
    // One parallel region per step, without barriers inside. Each table's touched columns are
    // linked to their samples (ids only) and sorted by the chunks their samples fall in; the
    // chunks' passes need none of that, so a thread done with its side goes on to them. As soon
    // as a chunk's passes are done (and both sides sorted), the steps of the columns only its
    // samples touch: the other chunks' passes read none of them. So the thread done first (the
    // chunks cost the same, the threads often do not run alike) steps columns, waiting on memory,
    // while the other still computes. When every chunk is done, the dense update and the columns
    // of samples in several chunks join that pool: whichever thread is free takes the next
    // piece. Every piece of work is the same whichever thread runs it, and each column adds its
    // samples' gradients in batch order, so the result does not depend on the thread count.
    std::atomic<int> sidesSorted{0};
    std::atomic<bool> denseTaken{false};
    std::atomic<std::ptrdiff_t> mixedTaken{0};
#pragma omp parallel if (parallel)
    {
        Eigen::VectorXf& sum = columnSums_[static_cast<std::size_t>(omp_get_thread_num())];
        // Steps the blocks of `lists` not yet taken; true when it took one.
        auto stepBlocks = [&](const std::vector<std::int32_t>(&lists)[2],
                              std::atomic<std::ptrdiff_t>& taken) {
            const std::ptrdiff_t blocks = columnBlocks(lists);
            bool any = false;
            for (std::ptrdiff_t b; (b = taken.fetch_add(1, std::memory_order_relaxed)) < blocks;) {
                const auto [side, list] = columnBlock(lists, b);
                stepColumnList(sides[side], list, sum);
                any = true;
            }
            return any;
        };
#pragma omp for schedule(static, 1) nowait
        for (int side = 0; side < 2; ++side) {
            linkColumns(side == 0 ? users : items, side == 0 ? userSlot_ : itemSlot_,
                        side == 0 ? userLinks_ : itemLinks_);
            sortColumns(side, chunks);
            sidesSorted.fetch_add(1, std::memory_order_release);
        }
#pragma omp for schedule(dynamic, 1) nowait
        for (std::ptrdiff_t c = 0; c < chunks; ++c) {
            passes(c);
            chunkColumns_[c]->done.store(true, std::memory_order_release);
        }
        // The columns of finished chunks, in blocks taken by whichever thread comes; once every
        // chunk is done, the dense update and the mixed columns join them.
        unsigned idle = 0;
        for (bool pending = true; pending;) {
            pending = false;
            bool stepped = false;
            const bool sorted = sidesSorted.load(std::memory_order_acquire) == 2;
            for (std::ptrdiff_t c = 0; c < chunks; ++c) {
                ChunkColumns& cc = *chunkColumns_[c];
                if (!sorted || !cc.done.load(std::memory_order_acquire)) {
                    pending = true;
                    continue;
                }
                stepped |= stepBlocks(cc.own, cc.taken);
            }
            if (!pending) {
                if (!denseTaken.exchange(true, std::memory_order_relaxed)) {
                    grads_.setZero();
                    for (std::ptrdiff_t c = 0; c < chunks; ++c) grads_.add(chunkGrads_[c]);
                    optimizer_.stepDense(params_, grads_);
                }
                stepBlocks(mixedColumns_, mixedTaken);
                continue;
            }
            if (stepped) continue;
            if (++idle % kSpinsBeforeYield == 0)
                std::this_thread::yield();  // the other thread may be off its core
            else
                pause();
        }
    }
    double loss = 0.0;
    for (double l : chunkLosses_) loss += l;
    return loss;
}

std::size_t NcfTrainer::buildEpochSamples(int epoch) {
    const auto& m = data_.byUser;
    const std::size_t userCount = m.rows();
    const bool implicit = config_.objective == NcfObjective::Implicit;
    const std::size_t perPositive = implicit ? 1 + static_cast<std::size_t>(config_.negatives) : 1;
    std::vector<std::size_t> offsets(userCount + 1, 0);
    for (std::size_t u = 0; u < userCount; ++u) {
        std::size_t positives = 0;
        for (std::uint64_t e = m.offsets[u]; e < m.offsets[u + 1]; ++e)
            positives += !isValidation_[e];
        offsets[u + 1] = offsets[u] + positives * perPositive;
    }
    const std::size_t total = offsets[userCount];
    // The shuffle swaps at random over these (0.8 GB on the ML-20M shape): 2 MB pages, faulted
    // in by every thread.
    if (samples_.capacity() < total) {
        samples_ = {};
        resizeHuge(samples_, total);
    }
    samples_.resize(total);
    const auto itemCount = static_cast<std::uint32_t>(data_.itemCount());
    const std::uint64_t epochSeed =
        deriveSeed(config_.seed, 1000 + static_cast<std::uint64_t>(epoch));
    // The user's rated movies as a bitmap while their negatives are drawn: the same rejection
    // test as drawUnrated (so the same draws), one bit instead of a binary search of the row.
#pragma omp parallel
    {
        std::vector<std::uint64_t> rated(implicit ? (itemCount + 63) / 64 : 0, 0);
        auto isRated = [&rated](std::uint32_t j) { return (rated[j >> 6] >> (j & 63)) & 1; };
#pragma omp for schedule(dynamic, 64)
        for (std::ptrdiff_t su = 0; su < static_cast<std::ptrdiff_t>(userCount); ++su) {
            const auto u = static_cast<std::uint32_t>(su);
            Pcg32 rng(deriveSeed(epochSeed, u));
            const auto row = m.rowIndex(u);
            const bool allRated = row.size() >= itemCount;
            if (implicit)
                for (std::uint32_t j : row) rated[j >> 6] |= std::uint64_t{1} << (j & 63);
            std::size_t at = offsets[u];
            for (std::uint64_t e = m.offsets[u]; e < m.offsets[u + 1]; ++e) {
                if (isValidation_[e]) continue;
                if (!implicit) {
                    samples_[at++] = {u, static_cast<std::uint32_t>(e)};
                    continue;
                }
                samples_[at++] = {u, m.index[e] | kPositiveBit};
                for (int k = 0; k < config_.negatives; ++k) {
                    if (allRated) {  // no movie left unrated: the positive again
                        samples_[at++] = {u, m.index[e] | kPositiveBit};
                        continue;
                    }
                    std::uint32_t j = 0;
                    do {
                        j = rng.below(itemCount);
                    } while (isRated(j));
                    samples_[at++] = {u, j};
                }
            }
            if (implicit)
                for (std::uint32_t j : row) rated[j >> 6] = 0;
        }
    }
    // Fisher-Yates shuffle of the samples. The draws do not depend on the samples, so they are
    // taken kShuffleAhead swaps early and the lines they will swap with are prefetched: the same
    // permutation, without waiting on a cache miss per swap (on the ML-20M shape the plain loop
    // over the samples apart took ~8 s an epoch; packed in 8 bytes, 1.4 s).
    Pcg32 rng(deriveSeed(epochSeed, 0xFFFFFFFFULL + 1));
    std::array<std::size_t, kShuffleRing> ahead{};
    std::size_t drawnTo = total + 1;  // draws are held for k = drawnTo .. (drawn so far)
    auto draw = [&] {
        --drawnTo;
        const std::size_t j =
            rng.below(static_cast<std::uint32_t>(std::min<std::size_t>(drawnTo, UINT32_MAX)));
        ahead[drawnTo % kShuffleRing] = j;
        __builtin_prefetch(&samples_[j], 1);
    };
    for (std::size_t k = total; k > 1; --k) {
        while (drawnTo > 2 && drawnTo + kShuffleAhead > k) draw();
        const std::size_t j = ahead[k % kShuffleRing];
        std::swap(samples_[k - 1], samples_[j]);
    }
    return total;
}

NcfTrainer::Sample NcfTrainer::unpack(PackedSample s) const {
    if (config_.objective == NcfObjective::Implicit) return {s.user, s.item(), s.label()};
    return {s.user, data_.byUser.index[s.code],
            data_.byUser.values[s.code] - static_cast<float>(mu_)};
}

NcfTrainer::Sample NcfTrainer::sample(std::size_t k) const {
    return unpack(samples_.at(k));
}

void NcfTrainer::unpackBatch(std::size_t begin, std::size_t n) {
    batchUsers_.resize(n);
    batchItems_.resize(n);
    batchTargets_.resize(n);
    const PackedSample* s = samples_.data() + begin;
    // The next batch's samples are asked for now, to come in during this batch's step: read
    // between steps (the other thread idle), each batch's lines came from memory one by one.
    const std::size_t next = std::min(n, samples_.size() - (begin + n));
    prefetchLinesForRead(s + n, sizeof(PackedSample) * next);
    if (config_.objective == NcfObjective::Implicit) {
        for (std::size_t j = 0; j < n; ++j) {
            batchUsers_[j] = s[j].user;
            batchItems_[j] = s[j].item();
            batchTargets_[j] = s[j].label();
        }
        return;
    }
    // The entries are at random in the ratings: their lines are asked for first.
    for (std::size_t j = 0; j < n; ++j) {
        __builtin_prefetch(&data_.byUser.index[s[j].code]);
        __builtin_prefetch(&data_.byUser.values[s[j].code]);
    }
    for (std::size_t j = 0; j < n; ++j) {
        const Sample x = unpack(s[j]);
        batchUsers_[j] = x.user;
        batchItems_[j] = x.item;
        batchTargets_[j] = x.target;
    }
}

double NcfTrainer::validate() const {
    if (validationCases_.empty()) return std::numeric_limits<double>::quiet_NaN();
    const auto n = static_cast<std::ptrdiff_t>(validationCases_.size());
    std::vector<double> perCase(validationCases_.size(), 0.0);
    const bool implicit = config_.objective == NcfObjective::Implicit;
#pragma omp parallel
    {
        NcfBatchWork<float> work;
        std::vector<std::uint32_t> us, is;
#pragma omp for schedule(static)
        for (std::ptrdiff_t c = 0; c < n; ++c) {
            const Case& vc = validationCases_[c];
            if (implicit) {
                us.assign(kNcfValidationNegatives + 1, vc.user);
                is.assign(1, vc.item);
                is.insert(is.end(), validationNegatives_.begin() + c * kNcfValidationNegatives,
                          validationNegatives_.begin() + (c + 1) * kNcfValidationNegatives);
                NcfNetwork<float>::forward(params_, params_.userEmbedding, us,
                                           params_.itemEmbedding, is, work);
                const float positive = work.logits[0];
                double rank = 0.0;
                for (int k = 1; k <= kNcfValidationNegatives; ++k)
                    rank +=
                        work.logits[k] > positive ? 1.0 : (work.logits[k] == positive ? 0.5 : 0.0);
                perCase[c] = rank < 10.0 ? 1.0 / std::log2(rank + 2.0) : 0.0;
            } else {
                us.assign(1, vc.user);
                is.assign(1, vc.item);
                NcfNetwork<float>::forward(params_, params_.userEmbedding, us,
                                           params_.itemEmbedding, is, work);
                const double predicted = std::clamp(static_cast<double>(work.logits[0]) + mu_,
                                                    static_cast<double>(data_.scale.min),
                                                    static_cast<double>(data_.scale.max));
                perCase[c] = (predicted - vc.rating) * (predicted - vc.rating);
            }
        }
    }
    double sum = 0.0;
    for (double v : perCase) sum += v;
    const double mean = sum / static_cast<double>(n);
    return implicit ? mean : std::sqrt(mean);
}

bool NcfTrainer::train(const std::function<bool(NcfEpochStats&)>& onEpoch,
                       const std::function<bool()>& shouldStop) {
    const bool implicit = config_.objective == NcfObjective::Implicit;
    NcfParameters<float> best, average;
    int averaged = 0;
    const int averageEpochs = static_cast<int>(
        std::lround(std::clamp(config_.averageFraction, 0.0, 1.0) * config_.epochs));
    const int averageFrom = config_.epochs - averageEpochs + 1;
    double bestValue = std::numeric_limits<double>::quiet_NaN();
    int sinceBest = 0;
    bestEpoch_ = 0;
    bool stopped = false;
    const std::size_t batchSize = static_cast<std::size_t>(std::max(1, config_.batchSize));
    // Way 0: steps on the threads, way 1: on one thread (chosen by timing; the same model).
    const bool eitherWay = omp_get_max_threads() > 1 && config_.parallelFromBatch > 0 &&
                           batchSize > static_cast<std::size_t>(kChunk) &&
                           batchSize >= static_cast<std::size_t>(config_.parallelFromBatch);
    FasterOfTwo stepWay;
    for (int epoch = 1; epoch <= config_.epochs && !stopped; ++epoch) {
        const auto t0 = std::chrono::steady_clock::now();
        optimizer_.setLearningRate(config_.optimizer.learningRate *
                                   std::pow(config_.learningRateDecay, epoch - 1));
        NcfEpochStats stats;
        stats.epoch = epoch;
        stats.samples = buildEpochSamples(epoch);
        double lossSum = 0.0;
        std::size_t done = 0, batches = 0, segmentFrom = 0;
        int way = 0;
        auto segmentStart = SteadyClock::now();
        for (std::size_t begin = 0; begin < stats.samples; begin += batchSize, ++batches) {
            if (batches % kStopPollBatches == 0 && shouldStop && shouldStop()) {
                stopped = true;
                break;
            }
            if (eitherWay && batches % kSegmentBatches == 0) {
                if (batches > 0)
                    stepWay.record(
                        way, secondsSince(segmentStart) / static_cast<double>(done - segmentFrom));
                way = stepWay.next();
                stepOnThreads_ = way == 0;
                segmentStart = SteadyClock::now();
                segmentFrom = done;
            }
            const std::size_t n = std::min(batchSize, stats.samples - begin);
            unpackBatch(begin, n);
            lossSum += trainStep(batchUsers_, batchItems_, batchTargets_);
            done += n;
        }
        if (stopped) break;
        stats.seconds = secondsSince(t0);
        stats.trainLoss = done ? lossSum / static_cast<double>(done) : 0.0;
        stats.validation = validate();  // NaN with callerValidation: onEpoch writes it
        if (onEpoch && !onEpoch(stats)) stopped = true;
        if (std::isnan(stats.validation)) {
            stats.improved = true;
        } else {
            stats.improved = std::isnan(bestValue) || (implicit ? stats.validation > bestValue
                                                                : stats.validation < bestValue);
        }
        if (stats.improved) {
            bestValue = stats.validation;
            bestEpoch_ = epoch;
            sinceBest = 0;
            if (hasValidation()) best = params_;
        } else {
            ++sinceBest;
        }
        if (!hasValidation() && averageEpochs > 1 && epoch >= averageFrom) {
            ++averaged;
            if (averaged == 1) {
                average = params_;
            } else {
                const float w = 1.0f / static_cast<float>(averaged);
                average.userEmbedding += w * (params_.userEmbedding - average.userEmbedding);
                average.itemEmbedding += w * (params_.itemEmbedding - average.itemEmbedding);
                for (std::size_t l = 0; l < average.weights.size(); ++l) {
                    average.weights[l] += w * (params_.weights[l] - average.weights[l]);
                    average.biases[l] += w * (params_.biases[l] - average.biases[l]);
                }
                average.outputWeight += w * (params_.outputWeight - average.outputWeight);
                average.outputBias += w * (params_.outputBias - average.outputBias);
            }
        }
        if (config_.patience > 0 && sinceBest >= config_.patience) break;
    }
    stepOnThreads_ = true;
    if (hasValidation() && bestEpoch_ > 0) params_ = std::move(best);
    if (averaged > 1) params_ = std::move(average);
    return !stopped;
}

}  // namespace lens
