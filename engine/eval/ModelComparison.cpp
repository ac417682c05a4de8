#include "eval/ModelComparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "eval/Segments.h"
#include "models/Recommender.h"
#include "stats/MultipleTesting.h"
#include "stats/PairedTests.h"
#include "util/Errors.h"

namespace lens {

namespace {

// The defined (non-NaN) values of a column, for a bootstrap of its mean.
std::vector<double> defined(std::span<const double> values) {
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        if (!std::isnan(v)) out.push_back(v);
    return out;
}

// Values of two models' columns over the users both were scored on (ascending user order).
void alignByUser(const PerUserMetrics& a, const PerUserColumn& ca, const PerUserMetrics& b,
                 const PerUserColumn& cb, std::vector<double>& outA, std::vector<double>& outB) {
    outA.clear();
    outB.clear();
    std::size_t i = 0, j = 0;
    while (i < a.users.size() && j < b.users.size()) {
        if (a.users[i] < b.users[j]) {
            ++i;
        } else if (b.users[j] < a.users[i]) {
            ++j;
        } else {
            if (!std::isnan(ca.values[i]) && !std::isnan(cb.values[j])) {
                outA.push_back(ca.values[i]);
                outB.push_back(cb.values[j]);
            }
            ++i;
            ++j;
        }
    }
}

std::vector<std::uint64_t> rowSizes(const SparseRatings& m) {
    std::vector<std::uint64_t> out(m.rows());
    for (std::size_t r = 0; r < m.rows(); ++r) out[r] = m.rowSize(r);
    return out;
}

void addSegments(ModelResult& result, const TrainData& data, const ActivitySegments& activity,
                 const PopularityTiers& tiers, const std::vector<DemographicSegments>& demographics,
                 const ComparisonOptions& options) {
    const std::string primary = primaryMetric(result.predictsRatings);
    if (const PerUserColumn* column = result.perUser.column(primary)) {
        std::vector<std::uint8_t> segmentOf(result.perUser.users.size());
        for (std::size_t k = 0; k < segmentOf.size(); ++k)
            segmentOf[k] = activity.bucketOf[result.perUser.users[k]];
        const auto means =
            segmentMeans(column->values, segmentOf, kActivityBucketCount, options.bootstrap);
        for (const auto& m : means)
            result.segments.push_back(
                {activityBucketName(static_cast<ActivityBucket>(m.segment), options.coldFraction),
                 primary, m.units, m.ci, kSegmentActivity});
        // Users by gender, age group and occupation (scored users the file does not list are in
        // no segment).
        for (const DemographicSegments& seg : demographics) {
            for (std::size_t k = 0; k < segmentOf.size(); ++k)
                segmentOf[k] = seg.segmentOf[result.perUser.users[k]];
            const auto groups = segmentMeans(column->values, segmentOf,
                                             static_cast<int>(seg.names.size()), options.bootstrap);
            for (const auto& m : groups)
                result.segments.push_back({seg.names[static_cast<std::size_t>(m.segment)], primary,
                                           m.units, m.ci, demographicDimensionKey(seg.dimension)});
        }
    }
    if (!result.perUser.fullHitByCase.empty()) {
        std::vector<std::uint8_t> tierOf(data.test.size());
        for (std::size_t c = 0; c < data.test.size(); ++c)
            tierOf[c] = std::isnan(result.perUser.fullHitByCase[c])
                            ? static_cast<std::uint8_t>(kPopularityTierCount)
                            : tiers.tierOf[data.test[c].item];
        const auto means = segmentMeans(result.perUser.fullHitByCase, tierOf, kPopularityTierCount,
                                        options.bootstrap);
        for (const auto& m : means)
            result.segments.push_back({popularityTierName(static_cast<PopularityTier>(m.segment)),
                                       kUserHrFull, m.units, m.ci, kSegmentPopularity});
    }
}

void addBeyondAccuracy(ModelResult& result, const TrainData& data, const Recommender& model,
                       const std::vector<std::uint64_t>& popularity,
                       const ComparisonOptions& options) {
    if (result.perUser.topLists.empty()) return;
    std::vector<std::vector<std::uint32_t>> lists(data.userCount());
    for (std::size_t k = 0; k < result.perUser.users.size(); ++k)
        lists[result.perUser.users[k]] = result.perUser.topLists[k];
    const Eigen::MatrixXf factors = model.itemFactors();
    BeyondAccuracyInput input;
    input.lists = lists;
    input.popularity = popularity;
    input.genres = data.genres;
    input.histories = {data.byUser.offsets, data.byUser.index};
    input.itemFactors =
        factors.rows() == static_cast<Eigen::Index>(data.itemCount()) && factors.cols() > 0
            ? &factors
            : nullptr;
    input.headShare = options.headShare;
    const BeyondAccuracyResult r = beyondAccuracy(input);
    result.beyond.coverage = r.coverage;
    result.beyond.exposureGini = r.exposureGini;
    result.beyond.distinctItems = r.distinctItems;
    result.beyond.catalogueSize = r.catalogueSize;
    auto add = [&](const char* name, const std::vector<double>& perUser) {
        std::vector<double> values = defined(perUser);
        if (values.empty()) return;
        result.beyond.perUser.push_back({name, bootstrapMeanCI(values, options.bootstrap)});
    };
    add("novelty", r.perUserNovelty);
    add("ild_genre", r.perUserIldGenre);
    add("ild_embedding", r.perUserIldEmbedding);
    add("popularity", r.perUserAveragePopularity);
    add("long_tail_share", r.perUserLongTailShare);
    add("calibration_kl", r.perUserCalibrationKl);
}

}  // namespace

const MetricEstimate* ModelResult::metric(const std::string& name) const {
    for (const auto& m : metrics)
        if (m.metric == name) return &m;
    return nullptr;
}

bool hasSegments(const Comparison& comparison, const std::string& dimension) {
    for (const ModelResult& m : comparison.models)
        for (const SegmentEstimate& s : m.segments)
            if (s.dimension == dimension) return true;
    return false;
}

bool hasDemographicSegments(const Comparison& comparison) {
    for (int d = 0; d < kDemographicDimensionCount; ++d)
        if (hasSegments(comparison, demographicDimensionKey(static_cast<DemographicDimension>(d))))
            return true;
    return false;
}

bool lowerIsBetter(const std::string& metric) {
    return metric == kUserRmse || metric == kUserMae;
}

std::string primaryMetric(bool predictsRatings) {
    return predictsRatings ? kUserRmse : kUserNdcgFull;
}

bool PairResult::aBetter() const {
    return lowerIsBetter(metric) ? meanDifference < 0 : meanDifference > 0;
}

Comparison compareModels(const TrainData& data, const std::vector<ComparedModel>& models,
                         const ComparisonOptions& options,
                         const std::function<bool(double, const std::string&)>& progress) {
    if (models.empty()) throw std::invalid_argument("compare: no model to compare");
    for (const auto& m : models) {
        if (!m.model) throw std::invalid_argument("compare: " + m.name + " is not trained");
        if (m.model->userCount() != data.userCount() || m.model->itemCount() != data.itemCount())
            throw std::invalid_argument("compare: " + m.name +
                                        " was trained on data of another shape");
    }
    auto report = [&](double fraction, const std::string& stage) {
        if (progress && !progress(fraction, stage)) throw Cancelled();
    };
    Comparison out;
    out.datasetName = data.datasetName;
    out.split = data.split.describe();
    out.cutoff = options.perUser.cutoff;
    out.resamples = options.bootstrap.resamples;
    out.confidence = options.bootstrap.confidence;
    out.seed = options.bootstrap.seed;

    const SampledNegatives negatives =
        sampleNegatives(data, options.sampledNegatives, data.split.seed);
    const std::vector<std::uint64_t> userActivity = rowSizes(data.byUser);
    const std::vector<std::uint64_t> popularity = rowSizes(data.byItem);
    const ActivitySegments activity = activitySegments(userActivity, options.coldFraction);
    const PopularityTiers tiers = popularityTiers(popularity, options.headShare, options.tailShare);
    std::vector<DemographicSegments> demographics;
    if (!options.demographics.empty()) {
        if (options.demographics.userCount() != data.userCount())
            throw std::invalid_argument(
                "compare: demographics of " + std::to_string(options.demographics.userCount()) +
                " users for data of " + std::to_string(data.userCount()) + " users");
        for (int d = 0; d < kDemographicDimensionCount; ++d)
            demographics.push_back(
                demographicSegments(options.demographics, static_cast<DemographicDimension>(d)));
    }

    const double steps = static_cast<double>(models.size()) + 1.0;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const Recommender& model = *models[i].model;
        report(static_cast<double>(i) / steps, "scoring " + models[i].name);
        ModelResult result;
        result.name = models[i].name;
        result.kind = model.kind();
        result.displayName = model.displayName();
        result.predictsRatings = model.predictsRatings();
        result.perUser = computePerUserMetrics(data, model, &negatives, options.perUser);
        result.users = result.perUser.users.size();
        out.usersWithTests = result.perUser.usersWithTests;
        out.usersScored = std::max(out.usersScored, result.users);
        for (const auto& column : result.perUser.columns)
            result.metrics.push_back(
                {column.name, bootstrapMeanCI(defined(column.values), options.bootstrap)});
        addSegments(result, data, activity, tiers, demographics, options);
        addBeyondAccuracy(result, data, model, popularity, options);
        out.models.push_back(std::move(result));
    }

    report(static_cast<double>(models.size()) / steps, "paired tests");
    // Pairs, grouped by metric so that Holm runs over each metric's family of pairs.
    std::map<std::string, std::vector<std::size_t>> byMetric;
    std::vector<double> a, b;
    for (std::size_t i = 0; i < out.models.size(); ++i) {
        for (std::size_t j = i + 1; j < out.models.size(); ++j) {
            const ModelResult& ma = out.models[i];
            const ModelResult& mb = out.models[j];
            for (const auto& ca : ma.perUser.columns) {
                const PerUserColumn* cb = mb.perUser.column(ca.name);
                if (!cb) continue;
                alignByUser(ma.perUser, ca, mb.perUser, *cb, a, b);
                PairResult p;
                p.a = ma.name;
                p.b = mb.name;
                p.metric = ca.name;
                p.n = a.size();
                if (a.size() >= 2) {
                    const PairedTTestResult t = pairedTTest(a, b, options.bootstrap.confidence);
                    const WilcoxonResult w = wilcoxonSignedRank(a, b);
                    p.meanDifference = t.meanDifference;
                    p.ciLower = t.ciLower;
                    p.ciUpper = t.ciUpper;
                    p.pT = t.pValue;
                    p.pWilcoxon = w.n ? w.pValue : 1.0;  // every difference zero: no evidence
                    p.cohensDz = t.cohensDz;
                    p.rankBiserial = w.rankBiserial;
                    if (std::isnan(p.pT)) p.pT = 1.0;  // identical models
                } else {
                    p.meanDifference = p.ciLower = p.ciUpper = kNoMetric;
                    p.pT = p.pWilcoxon = kNoMetric;
                }
                byMetric[p.metric].push_back(out.pairs.size());
                out.pairs.push_back(p);
            }
        }
    }
    for (const auto& [metric, indices] : byMetric) {
        std::vector<double> ps;
        for (std::size_t k : indices) ps.push_back(out.pairs[k].pT);
        const std::vector<double> adjusted = holmAdjust(ps);
        for (std::size_t k = 0; k < indices.size(); ++k) out.pairs[indices[k]].pHolm = adjusted[k];
    }
    // Orders that the two ranking protocols disagree on.
    const std::pair<const char*, const char*> protocolPairs[] = {{kUserHrSampled, kUserHrFull},
                                                                 {kUserNdcgSampled, kUserNdcgFull}};
    for (const auto& [sampledName, fullName] : protocolPairs) {
        for (const auto& ps : out.pairs) {
            if (ps.metric != sampledName) continue;
            for (const auto& pf : out.pairs) {
                if (pf.metric != fullName || pf.a != ps.a || pf.b != ps.b) continue;
                if (std::isnan(ps.meanDifference) || std::isnan(pf.meanDifference)) continue;
                if ((ps.meanDifference > 0 && pf.meanDifference < 0) ||
                    (ps.meanDifference < 0 && pf.meanDifference > 0))
                    out.disagreements.push_back(
                        {ps.a, ps.b, sampledName, fullName, ps.meanDifference, pf.meanDifference});
            }
        }
    }
    report(1.0, "done");
    return out;
}

}  // namespace lens
