#include "models/Recommender.h"

#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "models/RecommenderFactory.h"
#include "models/TrainData.h"

namespace lens {

const char* fitStatusName(FitStatus status) {
    switch (status) {
        case FitStatus::Untrained:
            return "untrained";
        case FitStatus::Completed:
            return "completed";
        case FitStatus::Stopped:
            return "stopped";
    }
    return "unknown";
}

std::string Recommender::hyperparameter(const std::string& key) const {
    for (const auto& h : hyperparameters())
        if (h.key == key) return h.value;
    return {};
}

FitStatus Recommender::fit(const TrainData& data, const FitControl& control) {
    // A rating model on implicit feedback would fit every 1 and predict 1: refused, never a
    // silent meaningless model.
    if (const std::string refusal = ratingModelRefusal(*this, data.scale, data.datasetName);
        !refusal.empty())
        throw std::invalid_argument(refusal);
    history_.clear();
    datasetName_ = data.datasetName;
    split_ = data.split;
    userIds_ = data.userIds;
    movieIds_ = data.movieIds;
    scale_ = data.scale;
    status_ = FitStatus::Untrained;
    auto report = [&](const TrainingSnapshot& s) {
        history_.push_back(s);
        bool goOn = true;
        if (control.observer) goOn = control.observer(s);
        return goOn && !control.stopRequested();
    };
    status_ = doFit(data, control, report);
    return status_;
}

float Recommender::predict(std::uint32_t user, std::uint32_t item) const {
    const float raw = predictRaw(user, item);
    return predictsRatings() ? clip(raw) : raw;
}

void Recommender::scoreItems(std::uint32_t user, std::span<const std::uint32_t> items,
                             std::span<float> out) const {
    for (std::size_t i = 0; i < items.size(); ++i) out[i] = predictRaw(user, items[i]);
}

std::vector<float> Recommender::explain(const FoldedUser&, std::uint32_t) const {
    return {};
}

void Recommender::restoreBookkeeping(FitStatus status, std::vector<TrainingSnapshot> history,
                                     std::string datasetName, SplitSpec split,
                                     std::vector<std::int64_t> userIds,
                                     std::vector<std::int64_t> movieIds) {
    status_ = status;
    history_ = std::move(history);
    datasetName_ = std::move(datasetName);
    split_ = std::move(split);
    userIds_ = std::move(userIds);
    movieIds_ = std::move(movieIds);
}

int parseIntHyperparameter(const std::string& key, const std::string& value, int lo, int hi) {
    int v = 0;
    const auto* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, v);
    if (ec != std::errc() || ptr != end || v < lo || v > hi)
        throw std::invalid_argument(key + ": expected an integer in " + std::to_string(lo) + ".." +
                                    std::to_string(hi) + ", got '" + value + "'");
    return v;
}

double parseRealHyperparameter(const std::string& key, const std::string& value, double lo,
                               double hi) {
    double v = 0;
    std::size_t used = 0;
    bool ok = !value.empty();
    try {
        v = std::stod(value, &used);
    } catch (const std::exception&) {
        ok = false;
    }
    if (!ok || used != value.size() || !(v >= lo && v <= hi))
        throw std::invalid_argument(key + ": expected a number in " + formatReal(lo) + ".." +
                                    formatReal(hi) + ", got '" + value + "'");
    return v;
}

std::uint64_t parseSeedHyperparameter(const std::string& key, const std::string& value) {
    std::uint64_t v = 0;
    const auto* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, v);
    if (ec != std::errc() || ptr != end || value.empty())
        throw std::invalid_argument(key + ": expected a non-negative integer, got '" + value + "'");
    return v;
}

std::string formatReal(double v) {
    char buf[64];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::stod(buf) == v) break;
    }
    return buf;
}

}  // namespace lens
