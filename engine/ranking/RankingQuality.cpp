#include "ranking/RankingQuality.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "models/Recommender.h"
#include "stats/ValueCounts.h"

namespace lens {

namespace {

using Clock = std::chrono::steady_clock;

// Progress shared by the scorers running on OpenMP threads: workers count, the master thread
// (the caller's thread) reports, and a false from the observer raises the cancel flag that
// every scorer checks before doing work.
class ProgressGate {
public:
    ProgressGate(const RankingQualityObserver& observer, Clock::time_point start)
        : observer_(observer), start_(start) {}

    void begin(std::string stage, std::size_t total) {
        stage_ = std::move(stage);
        total_ = total;
        done_.store(0);
        lastReported_ = 0;
        report(true);
    }
    bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
    void step() {
        done_.fetch_add(1, std::memory_order_relaxed);
        if (omp_get_thread_num() == 0) report(false);
    }
    void finish() { report(true); }

private:
    void report(bool force) {
        if (!observer_ || cancelled()) return;
        const std::size_t done = done_.load(std::memory_order_relaxed);
        // About 200 reports per stage at most.
        if (!force && done - lastReported_ < std::max<std::size_t>(1, total_ / 200)) return;
        lastReported_ = done;
        RankingQualityProgress p;
        p.stage = stage_;
        p.done = std::min(done, total_);
        p.total = total_;
        p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - start_).count();
        if (!observer_(p)) cancelled_.store(true);
    }

    const RankingQualityObserver& observer_;
    Clock::time_point start_;
    std::string stage_;
    std::size_t total_ = 0;
    std::size_t lastReported_ = 0;
    std::atomic<std::size_t> done_{0};
    std::atomic<bool> cancelled_{false};
};

}  // namespace

RankingQuality evaluateRankingQuality(const Recommender& model, const TrainData& data,
                                      const RankingQualityConfig& config,
                                      const RankingQualityObserver& observer) {
    const auto start = Clock::now();
    RankingQuality q;
    const std::size_t items = data.itemCount(), users = data.userCount();
    const int cutoff = std::max(1, config.cutoff);
    const std::vector<std::uint32_t> catalogue = catalogueItems(data);
    std::vector<std::uint8_t> inCatalogue(items, 0);
    for (std::uint32_t i : catalogue) inCatalogue[i] = 1;
    q.catalogueSize = catalogue.size();

    // Each user's top-N over the catalogue minus their training movies (what a deployed
    // recommender would show), recorded while evaluateTopN scores the users with test movies.
    std::vector<std::vector<std::uint32_t>> lists(users);
    std::vector<std::uint8_t> listed(users, 0);
    auto topNOf = [&](std::uint32_t u, std::span<const float> scores) {
        thread_local std::vector<std::uint32_t> candidates;  // the catalogue's size, reused
        candidates.clear();
        const auto train = data.byUser.rowIndex(u);
        for (std::uint32_t i : catalogue)
            if (!std::binary_search(train.begin(), train.end(), i)) candidates.push_back(i);
        const std::size_t k =
            std::min<std::size_t>(static_cast<std::size_t>(cutoff), candidates.size());
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                          candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                              return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                          });
        // Only the list is kept: a moved-out candidate vector would keep its catalogue-sized
        // buffer for every user (138k users x 27k movies x 4 bytes = 15 GB at ML-20M's size).
        lists[u].assign(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k));
        listed[u] = 1;
    };

    std::vector<std::uint8_t> hasTest(users, 0);
    for (const auto& t : data.test) hasTest[t.user] = 1;
    std::size_t withTest = 0, withTrainOnly = 0;
    for (std::size_t u = 0; u < users; ++u) {
        if (hasTest[u])
            ++withTest;
        else if (data.byUser.rowSize(u) > 0)
            ++withTrainOnly;
    }

    ProgressGate gate(observer, start);
    gate.begin("top-N lists", withTest + withTrainOnly);
    q.topN = evaluateTopN(
        data,
        [&](std::uint32_t u, std::span<float> out) {
            if (gate.cancelled()) {
                std::fill(out.begin(), out.end(), 0.0f);
                return;
            }
            model.scoreAll(u, out);
            topNOf(u, out);
            gate.step();
        },
        cutoff);
    // Users without test movies still get a list (coverage and popularity are about everyone).
    if (!gate.cancelled() && withTrainOnly > 0) {
#pragma omp parallel
        {
            std::vector<float> scores(items);
#pragma omp for schedule(dynamic, 8)
            for (std::size_t u = 0; u < users; ++u) {
                if (hasTest[u] || data.byUser.rowSize(u) == 0 || gate.cancelled()) continue;
                model.scoreAll(static_cast<std::uint32_t>(u), scores);
                topNOf(static_cast<std::uint32_t>(u), scores);
                gate.step();
            }
        }
    }
    gate.finish();

    if (config.sampled && !gate.cancelled() && !data.test.empty()) {
        // Stored, or drawn as each case is scored when the test part is large (sampleNegatives).
        const SampledNegatives negatives =
            sampleNegatives(data, std::max(1, config.negatives), config.seed);
        gate.begin("NCF protocol", data.test.size());
        q.sampled = evaluateSampled(
            data, negatives,
            [&](std::uint32_t u, std::span<const std::uint32_t> candidates, std::span<float> out) {
                if (gate.cancelled()) {
                    std::fill(out.begin(), out.end(), 0.0f);
                    return;
                }
                model.scoreItems(u, candidates, out);
                gate.step();
            },
            cutoff);
        gate.finish();
    } else {
        q.sampled.protocol = kSampledProtocolLabel;
        q.sampled.cutoff = cutoff;
    }
    q.cancelled = gate.cancelled();

    // Coverage and popularity of the lists computed so far.
    q.timesRecommended.assign(items, 0);
    std::vector<std::uint64_t> recommendedPopularity;
    for (std::size_t u = 0; u < users; ++u) {
        if (!listed[u]) continue;
        ++q.usersListed;
        for (std::uint32_t i : lists[u]) {
            ++q.timesRecommended[i];
            recommendedPopularity.push_back(data.byItem.rowSize(i));
        }
    }
    std::vector<std::uint64_t> cataloguePopularity;
    cataloguePopularity.reserve(catalogue.size());
    for (std::uint32_t i : catalogue) cataloguePopularity.push_back(data.byItem.rowSize(i));
    for (std::uint32_t i : catalogue) q.distinctRecommended += q.timesRecommended[i] > 0;
    q.coverage = q.catalogueSize ? static_cast<double>(q.distinctRecommended) /
                                       static_cast<double>(q.catalogueSize)
                                 : 0.0;
    auto mean = [](const std::vector<std::uint64_t>& v) {
        double s = 0;
        for (auto x : v) s += static_cast<double>(x);
        return v.empty() ? 0.0 : s / static_cast<double>(v.size());
    };
    q.meanPopularityRecommended = mean(recommendedPopularity);
    q.meanPopularityCatalogue = mean(cataloguePopularity);
    const int bins = std::max(1, config.binsPerDecade);
    q.popularityRecommended = logBinnedPdf(ValueCounts::fromSample(recommendedPopularity, 1), bins);
    q.popularityCatalogue = logBinnedPdf(ValueCounts::fromSample(cataloguePopularity, 1), bins);
    q.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return q;
}

}  // namespace lens
