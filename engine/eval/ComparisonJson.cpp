#include "eval/ComparisonJson.h"

#include <cmath>

namespace lens {

namespace {

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json estimate(const BootstrapCI& ci) {
    return {{"value", number(ci.estimate)},
            {"ci_low", number(ci.lower)},
            {"ci_high", number(ci.upper)}};
}

nlohmann::json estimates(const std::vector<MetricEstimate>& metrics) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& m : metrics) out[m.metric] = estimate(m.ci);
    return out;
}

}  // namespace

nlohmann::json comparisonToJson(const Comparison& c) {
    nlohmann::json out;
    out["dataset"] = c.datasetName;
    out["split"] = c.split;
    out["cutoff"] = c.cutoff;
    out["bootstrap"] = {{"resamples", c.resamples}, {"confidence", c.confidence}, {"seed", c.seed}};
    out["users"] = {{"with_tests", c.usersWithTests}, {"scored", c.usersScored}};
    out["models"] = nlohmann::json::array();
    out["segments"] = nlohmann::json::array();
    out["beyond_accuracy"] = nlohmann::json::array();
    for (const auto& m : c.models) {
        out["models"].push_back({{"model", m.name},
                                 {"kind", m.kind},
                                 {"display_name", m.displayName},
                                 {"predicts_ratings", m.predictsRatings},
                                 {"users", m.users},
                                 {"metrics", estimates(m.metrics)},
                                 {"per_user_source", m.perUserStored() ? "stored" : "computed"},
                                 {"per_user_stored_columns", m.storedColumns},
                                 {"per_user_reason", m.perUserNote}});
        for (const auto& s : m.segments) {
            nlohmann::json row = estimate(s.ci);
            row["model"] = m.name;
            row["dimension"] = s.dimension;
            row["segment"] = s.segment;
            row["metric"] = s.metric;
            row["units"] = s.units;
            out["segments"].push_back(row);
        }
        if (!m.beyond.perUser.empty())
            out["beyond_accuracy"].push_back({{"model", m.name},
                                              {"coverage", number(m.beyond.coverage)},
                                              {"exposure_gini", number(m.beyond.exposureGini)},
                                              {"distinct_items", m.beyond.distinctItems},
                                              {"catalogue", m.beyond.catalogueSize},
                                              {"metrics", estimates(m.beyond.perUser)}});
    }
    out["pairs"] = nlohmann::json::array();
    for (const auto& p : c.pairs)
        out["pairs"].push_back({{"a", p.a},
                                {"b", p.b},
                                {"metric", p.metric},
                                {"n", p.n},
                                {"mean_difference", number(p.meanDifference)},
                                {"ci_low", number(p.ciLower)},
                                {"ci_high", number(p.ciUpper)},
                                {"p_t", number(p.pT)},
                                {"p_wilcoxon", number(p.pWilcoxon)},
                                {"p_holm", number(p.pHolm)},
                                {"cohens_dz", number(p.cohensDz)},
                                {"rank_biserial", number(p.rankBiserial)},
                                {"better", std::isnan(p.meanDifference) || p.meanDifference == 0
                                               ? nlohmann::json(nullptr)
                                               : nlohmann::json(p.aBetter() ? p.a : p.b)}});
    out["protocol_disagreements"] = nlohmann::json::array();
    for (const auto& d : c.disagreements)
        out["protocol_disagreements"].push_back({{"a", d.a},
                                                 {"b", d.b},
                                                 {"sampled_metric", d.sampledMetric},
                                                 {"full_metric", d.fullMetric},
                                                 {"sampled_difference", d.sampledDifference},
                                                 {"full_difference", d.fullDifference}});
    return out;
}

}  // namespace lens
