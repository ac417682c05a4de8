#include "ncf/NcfTrainer.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <utility>

#include <omp.h>

#include "util/FasterOfTwo.h"
#include "util/HugePages.h"
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

double NcfTrainer::trainStep(std::span<const std::uint32_t> users,
                             std::span<const std::uint32_t> items, std::span<const float> targets) {
    const std::size_t batch = users.size();
    const auto chunks = static_cast<std::ptrdiff_t>((batch + kChunk - 1) / kChunk);
    if (static_cast<std::ptrdiff_t>(works_.size()) < chunks) works_.resize(chunks);
    if (static_cast<std::ptrdiff_t>(chunkGrads_.size()) < chunks) chunkGrads_.resize(chunks);
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
    // One parallel region per step: the chunks' passes beside the linking of each table's
    // touched columns (ids only), then the dense update on one thread while the touched columns
    // of both tables are shared out. Every piece of work is the same whichever thread runs it,
    // so the result does not depend on the thread count.
#pragma omp parallel if (parallel)
    {
#pragma omp for schedule(static, 1)
        for (std::ptrdiff_t c = 0; c < chunks + 2; ++c) {
            if (c >= chunks) {
                if (c == chunks)
                    linkColumns(users, userSlot_, userLinks_);
                else
                    linkColumns(items, itemSlot_, itemLinks_);
                continue;
            }
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
            chunkLosses_[c] =
                Net::loss(config_.objective, work, targets.subspan(begin, n), normaliser);
            Net::backward(params_, params_.userEmbedding, u, params_.itemEmbedding, i, work, g);
        }
#pragma omp single nowait
        {
            grads_.setZero();
            for (std::ptrdiff_t c = 0; c < chunks; ++c) grads_.add(chunkGrads_[c]);
            optimizer_.stepDense(params_, grads_);
        }
        const auto userColumns = static_cast<std::ptrdiff_t>(userLinks_.unique.size());
        const auto columns = userColumns + static_cast<std::ptrdiff_t>(itemLinks_.unique.size());
        Eigen::VectorXf& sum = columnSums_[static_cast<std::size_t>(omp_get_thread_num())];
        // Column `at` of the users' then the items' touched columns: its side and index there.
        auto locate = [&](std::ptrdiff_t at) {
            const bool user = at < userColumns;
            return std::pair{&sides[user ? 0 : 1],
                             static_cast<std::size_t>(user ? at : at - userColumns)};
        };
        auto prefetch = [&](std::ptrdiff_t k) {
            const auto [side, index] = locate(k);
            NcfOptimizer::prefetchColumnState(side->table, side->state, side->links.unique[index]);
        };
        // Tasks of kColumnsPerTask columns, each prefetching its own columns only: prefetching
        // past the task's end loads, into this core's cache, columns the other thread is likely
        // to take (steps ~8 % slower on the ML-20M shape).
        const std::ptrdiff_t tasks = (columns + kColumnsPerTask - 1) / kColumnsPerTask;
#pragma omp for schedule(dynamic, 1)
        for (std::ptrdiff_t task = 0; task < tasks; ++task) {
            const std::ptrdiff_t from = task * kColumnsPerTask;
            const std::ptrdiff_t to = std::min(columns, from + kColumnsPerTask);
            for (std::ptrdiff_t k = from; k < std::min(to, from + kColumnsAhead); ++k) prefetch(k);
            for (std::ptrdiff_t k = from; k < to; ++k) {
                if (k + kColumnsAhead < to) prefetch(k + kColumnsAhead);
                const auto [side, index] = locate(k);
                stepColumn(*side, index, sum);
            }
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
    // The shuffle swaps at random over these (1.2 GB on the ML-20M shape): 2 MB pages.
    if (samples_.capacity() < total) {
        samples_ = {};
        samples_.reserve(total);
        adviseHugePages(samples_.data(), sizeof(Sample) * total);
    }
    samples_.resize(total);
    const auto itemCount = static_cast<std::uint32_t>(data_.itemCount());
    const std::uint64_t epochSeed =
        deriveSeed(config_.seed, 1000 + static_cast<std::uint64_t>(epoch));
    const auto mu = static_cast<float>(mu_);
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
                samples_[at++] = {u, m.index[e], implicit ? 1.0f : m.values[e] - mu};
                if (!implicit) continue;
                for (int k = 0; k < config_.negatives; ++k) {
                    if (allRated) {  // no movie left unrated: the positive again
                        samples_[at++] = {u, m.index[e], 1.0f};
                        continue;
                    }
                    std::uint32_t j = 0;
                    do {
                        j = rng.below(itemCount);
                    } while (isRated(j));
                    samples_[at++] = {u, j, 0.0f};
                }
            }
            if (implicit)
                for (std::uint32_t j : row) rated[j >> 6] = 0;
        }
    }
    // Fisher-Yates shuffle of the samples. The draws do not depend on the samples, so they are
    // taken kShuffleAhead swaps early and the lines they will swap with are prefetched: the same
    // permutation, without waiting on a cache miss per swap (on the ML-20M shape the samples are
    // 1.2 GB and the plain loop took ~8 s an epoch; packed, a swap touches one line, not three).
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
            batchUsers_.resize(n);
            batchItems_.resize(n);
            batchTargets_.resize(n);
            for (std::size_t j = 0; j < n; ++j) {
                const Sample& sample = samples_[begin + j];
                batchUsers_[j] = sample.user;
                batchItems_[j] = sample.item;
                batchTargets_[j] = sample.target;
            }
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
