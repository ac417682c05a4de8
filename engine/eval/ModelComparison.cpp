#include "eval/ModelComparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "eval/Segments.h"
#include "io/RunHistoryFile.h"
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

// The column groups of computePerUserMetrics, in its column order; a stored group is taken only
// whole (its columns come from one scoring pass over the same candidates).
enum ColumnGroup { kRatingGroup, kSampledGroup, kFullGroup, kGroupCount };
const std::vector<std::string>& groupColumns(int group) {
    static const std::vector<std::string> groups[kGroupCount] = {
        {kUserRmse, kUserMae},
        {kUserHrSampled, kUserNdcgSampled, kUserRrSampled},
        {kUserHrFull, kUserNdcgFull, kUserRecallFull, kUserRrFull}};
    return groups[group];
}

bool groupNeeded(int group, const PerUserOptions& options, bool predictsRatings) {
    switch (group) {
        case kRatingGroup:
            return options.ratingErrors && predictsRatings;
        case kSampledGroup:
            return options.sampled;
        default:
            return options.full;
    }
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// Rows of `stored` for each of `users` (both ascending); empty when one is not stored.
std::vector<std::size_t> storedRows(const PerUserMetrics& stored,
                                    const std::vector<std::uint32_t>& users) {
    std::vector<std::size_t> rows;
    rows.reserve(users.size());
    std::size_t r = 0;
    for (std::uint32_t u : users) {
        while (r < stored.users.size() && stored.users[r] < u) ++r;
        if (r == stored.users.size() || stored.users[r] != u) return {};
        rows.push_back(r);
    }
    return rows;
}

// The per-user metrics of one model: the groups `fit` takes come from the stored file (the rows
// of the comparison's users), the rest from the model; columns in computePerUserMetrics' order.
PerUserMetrics perUserOf(const TrainData& data, const Recommender& model,
                         const SampledNegatives* negatives, const PerUserOptions& options,
                         const StoredPerUser* stored, const StoredPerUserFit& fit) {
    PerUserOptions computeOptions = options;
    if (contains(fit.columns, kUserRmse)) computeOptions.ratingErrors = false;
    if (contains(fit.columns, kUserHrSampled)) computeOptions.sampled = false;
    // The full protocol's per-case hits (popularity segments) and top-N lists (beyond accuracy)
    // are not stored: the catalogue is still scored for them, without the stored columns.
    if (contains(fit.columns, kUserHrFull)) computeOptions.fullColumns = false;
    PerUserMetrics out = computePerUserMetrics(
        data, model, computeOptions.sampled ? negatives : nullptr, computeOptions);
    if (fit.columns.empty() || !stored) return out;
    const std::vector<std::size_t> rows = storedRows(stored->metrics, out.users);
    std::vector<PerUserColumn> columns;
    for (int g = 0; g < kGroupCount; ++g)
        for (const std::string& name : groupColumns(g)) {
            if (contains(fit.columns, name)) {
                const PerUserColumn& from = *stored->metrics.column(name);
                PerUserColumn column{name, std::vector<double>(rows.size())};
                for (std::size_t k = 0; k < rows.size(); ++k)
                    column.values[k] = from.values[rows[k]];
                columns.push_back(std::move(column));
            } else if (const PerUserColumn* computed = out.column(name)) {
                columns.push_back(*computed);
            }
        }
    out.columns = std::move(columns);
    return out;
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

void attachStoredPerUser(ComparedModel& model, const std::filesystem::path& file,
                         const SplitSpec& split) {
    model.stored.reset();
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        model.storedProblem = "per-user metrics file " + file.filename().string() + " is missing";
        return;
    }
    try {
        auto stored = std::make_shared<StoredPerUser>();
        stored->metrics = loadPerUserMetrics(file);
        stored->split = split;
        stored->file = file.filename().string();
        model.stored = std::move(stored);
        model.storedProblem.clear();
    } catch (const std::exception& e) {
        model.storedProblem = e.what();
    }
}

StoredPerUserFit storedPerUserFit(const StoredPerUser& stored, const TrainData& data,
                                  const ComparisonOptions& options, bool predictsRatings) {
    StoredPerUserFit fit;
    const PerUserMetrics& m = stored.metrics;
    const std::string file = stored.file.empty() ? "the stored per-user metrics" : stored.file;
    auto refuse = [&](const std::string& why) {
        fit.reason = file + ": " + why;
        return fit;
    };
    if (m.datasetUsers != data.userCount())
        return refuse("written for " + std::to_string(m.datasetUsers) + " users, the dataset has " +
                      std::to_string(data.userCount()));
    if (stored.split.text() != data.split.text() || stored.split.seed != data.split.seed)
        return refuse("measured on " + stored.split.describe() + ", the comparison is on " +
                      data.split.describe());
    if (m.cutoff != options.perUser.cutoff)
        return refuse("measured at N = " + std::to_string(m.cutoff) +
                      ", the comparison at N = " + std::to_string(options.perUser.cutoff));
    PerUserOptions everyone = options.perUser;
    everyone.maxUsers = 0;
    const std::size_t withTests = perUserSample(data, everyone).size();
    if (m.usersWithTests != withTests)
        return refuse("measured on " + std::to_string(m.usersWithTests) +
                      " test users, the split has " + std::to_string(withTests));
    const std::vector<std::uint32_t> sample = perUserSample(data, options.perUser);
    if (!sample.empty() && storedRows(m, sample).empty())
        return refuse("holds " + std::to_string(m.users.size()) + " users, not every one of the " +
                      std::to_string(sample.size()) + " compared");
    std::vector<std::string> missing;
    for (int g = 0; g < kGroupCount; ++g) {
        if (!groupNeeded(g, options.perUser, predictsRatings)) continue;
        bool whole = true;
        for (const std::string& name : groupColumns(g)) {
            const PerUserColumn* c = m.column(name);
            if (!c || c->values.size() != m.users.size()) {
                whole = false;
                missing.push_back(name);
            }
        }
        if (g == kSampledGroup && whole && stored.sampledNegatives != options.sampledNegatives) {
            whole = false;
            missing.push_back("the sampled protocol with " +
                              std::to_string(options.sampledNegatives) + " negatives");
        }
        auto& into = whole ? fit.columns : fit.computed;
        into.insert(into.end(), groupColumns(g).begin(), groupColumns(g).end());
    }
    if (fit.columns.empty()) {
        fit.computed.clear();
        return refuse(missing.empty() ? std::string("the comparison needs no per-user column")
                                      : "does not hold " + joined(missing));
    }
    if (!missing.empty()) fit.reason = "not stored: " + joined(missing);
    return fit;
}

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

    // What each model takes from its stored per-user metrics; the sampled negatives are drawn
    // only when some model scores the sampled protocol.
    std::vector<StoredPerUserFit> fits(models.size());
    bool sampledToCompute = false;
    for (std::size_t i = 0; i < models.size(); ++i) {
        if (models[i].stored)
            fits[i] = storedPerUserFit(*models[i].stored, data, options,
                                       models[i].model->predictsRatings());
        else
            fits[i].reason = models[i].storedProblem.empty() ? "no stored per-user metrics"
                                                             : models[i].storedProblem;
        sampledToCompute = sampledToCompute || !contains(fits[i].columns, kUserHrSampled);
    }
    std::optional<SampledNegatives> negatives;
    if (options.perUser.sampled && sampledToCompute)
        negatives = sampleNegatives(data, options.sampledNegatives, data.split.seed);

    const double steps = static_cast<double>(models.size()) + 1.0;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const Recommender& model = *models[i].model;
        report(static_cast<double>(i) / steps, "scoring " + models[i].name);
        ModelResult result;
        result.name = models[i].name;
        result.kind = model.kind();
        result.displayName = model.displayName();
        result.predictsRatings = model.predictsRatings();
        result.perUser = perUserOf(data, model, negatives ? &*negatives : nullptr, options.perUser,
                                   models[i].stored.get(), fits[i]);
        result.storedColumns = fits[i].columns;
        result.perUserNote = fits[i].reason;
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
