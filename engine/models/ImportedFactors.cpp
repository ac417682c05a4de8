#include "models/ImportedFactors.h"

#include <stdexcept>

#include "models/ModelFile.h"

namespace lens {

std::string ImportedFactors::displayName() const {
    return data_.implicitFeedback ? "Imported factors (implicit feedback)"
                                  : "Imported factors (ratings)";
}

HyperparameterList ImportedFactors::hyperparameters() const {
    HyperparameterList list;
    list.push_back({"feedback",
                    data_.implicitFeedback ? "implicit" : "explicit",
                    "Feedback",
                    "What the factors were trained on: ratings (scores are predicted ratings) or "
                    "implicit feedback (scores rank movies)",
                    kNoMetric,
                    kNoMetric,
                    false,
                    {"explicit", "implicit"}});
    list.push_back({"k",
                    std::to_string(data_.items.cols()),
                    "Factors (k)",
                    "Length of the imported factor vectors",
                    1,
                    4096,
                    true,
                    {}});
    list.push_back({"lambda",
                    formatReal(lambda_),
                    "Fold-in lambda",
                    "Regularisation of the least-squares fold-in of a persona against the "
                    "imported movie factors (use the value the model was trained with)",
                    0.0,
                    1e6,
                    false,
                    {}});
    list.push_back({"alpha",
                    formatReal(alpha_),
                    "Fold-in alpha",
                    "Confidence scale of an implicit persona's movies: c = 1 + alpha * rating",
                    0.0,
                    1e6,
                    false,
                    {}});
    return list;
}

void ImportedFactors::setHyperparameter(const std::string& key, const std::string& value) {
    if (key == "lambda")
        lambda_ = parseRealHyperparameter(key, value, 0.0, 1e6);
    else if (key == "alpha")
        alpha_ = parseRealHyperparameter(key, value, 0.0, 1e6);
    else if (key == "feedback") {
        if (value != "explicit" && value != "implicit")
            throw std::invalid_argument("feedback: expected explicit or implicit, got '" + value +
                                        "'");
        data_.implicitFeedback = value == "implicit";
    } else if (key == "k")
        parseIntHyperparameter(key, value, 1, 4096);  // informational: the payload decides
    else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model " + kind());
}

void ImportedFactors::adopt(ImportedFactorsData data, std::string datasetName,
                            std::vector<std::int64_t> userIds, std::vector<std::int64_t> movieIds) {
    if (data.users.rows() != static_cast<Eigen::Index>(userIds.size()) ||
        data.items.rows() != static_cast<Eigen::Index>(movieIds.size()) ||
        data.users.cols() != data.items.cols())
        throw std::invalid_argument("imported factors do not match the id maps");
    data_ = std::move(data);
    itemGram_ = gramOf(data_.items);
    const SplitSpec split = data_.split.value_or(SplitSpec{});
    restoreBookkeeping(FitStatus::Completed, {}, std::move(datasetName), split, std::move(userIds),
                       std::move(movieIds));
}

FitStatus ImportedFactors::doFit(const TrainData&, const FitControl&,
                                 const std::function<bool(const TrainingSnapshot&)>&) {
    throw std::logic_error(
        "imported factors cannot be trained here (train with the tool that "
        "made them, then import again)");
}

float ImportedFactors::predictRaw(std::uint32_t user, std::uint32_t item) const {
    float s = data_.users.row(user).dot(data_.items.row(item));
    if (hasBiases())
        s += static_cast<float>(data_.globalMean) + data_.itemBias[item] +
             (data_.userBias.size() > 0 ? data_.userBias[user] : 0.0f);
    return s;
}

void ImportedFactors::scoreAll(std::uint32_t user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    o.noalias() = data_.items * data_.users.row(user).transpose();
    if (hasBiases()) {
        o += data_.itemBias;
        o.array() += static_cast<float>(data_.globalMean) +
                     (data_.userBias.size() > 0 ? data_.userBias[user] : 0.0f);
    }
}

FoldedUser ImportedFactors::foldIn(std::span<const FoldInRating> ratings) const {
    FoldedUser f;
    std::vector<std::uint32_t> items;
    std::vector<float> values;
    for (const auto& r : ratings) {
        if (r.item >= data_.items.rows()) continue;
        f.ratings.push_back(r);
        items.push_back(r.item);
        values.push_back(r.rating);
    }
    if (data_.implicitFeedback) {
        ImplicitSolveParams p;
        p.lambda = static_cast<float>(lambda_);
        p.alpha = static_cast<float>(alpha_);
        solveImplicitRow(items, values, data_.items, itemGram_, p, f.factors, &f.contributionBasis);
        return f;
    }
    ExplicitSolveParams p;
    p.lambda = static_cast<float>(lambda_);
    p.biasLambda = static_cast<float>(lambda_);
    p.weighted = false;
    p.solveBias = hasBiases();
    const Eigen::VectorXf noBias = Eigen::VectorXf::Zero(data_.items.rows());
    solveExplicitRow(items, values, data_.items, hasBiases() ? data_.itemBias : noBias,
                     hasBiases() ? static_cast<float>(data_.globalMean) : 0.0f, p, nullptr,
                     f.factors, f.bias, &f.contributionBasis);
    return f;
}

void ImportedFactors::scoreAll(const FoldedUser& user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    if (user.factors.size() != data_.items.cols()) {
        o.setZero();
        return;
    }
    o.noalias() = data_.items * user.factors;
    if (hasBiases() && !data_.implicitFeedback) {
        o += data_.itemBias;
        o.array() += static_cast<float>(data_.globalMean) + user.bias;
    }
}

std::vector<float> ImportedFactors::explain(const FoldedUser& user, std::uint32_t item) const {
    if (item >= data_.items.rows() || user.contributionBasis.cols() == 0) return {};
    // The basis spans [b_u, p_u] ((k+1) rows) when the fold-in solved a bias, else p_u.
    const Eigen::Index k = data_.items.cols();
    Eigen::VectorXf z(user.contributionBasis.rows());
    if (z.size() == k + 1) {
        z[0] = 1.0f;
        z.tail(k) = data_.items.row(item).transpose();
    } else if (z.size() == k) {
        z = data_.items.row(item).transpose();
    } else {
        return {};
    }
    const Eigen::VectorXf c = user.contributionBasis.transpose() * z;
    return {c.data(), c.data() + c.size()};
}

std::vector<float> ImportedFactors::itemBiases() const {
    return {data_.itemBias.data(), data_.itemBias.data() + data_.itemBias.size()};
}

void ImportedFactors::writePayload(ModelWriter& out) const {
    out.string(data_.provenance);
    out.u8(static_cast<std::uint8_t>((data_.implicitFeedback ? 1 : 0) | (data_.split ? 2 : 0)));
    out.f64(data_.globalMean);
    out.matrix(data_.users);
    out.matrix(data_.items);
    out.vector(data_.userBias);
    out.vector(data_.itemBias);
}

void ImportedFactors::readPayload(ModelReader& in) {
    data_.provenance = in.string();
    const std::uint8_t flags = in.u8();
    if (flags > 3) in.fail("corrupt model file (flags)");
    data_.implicitFeedback = (flags & 1) != 0;
    if (flags & 2)
        data_.split = splitSpec();  // the header's split (restored before the payload)
    else
        data_.split.reset();
    data_.globalMean = in.f64();
    data_.users = in.matrix();
    data_.items = in.matrix();
    data_.userBias = in.vector();
    data_.itemBias = in.vector();
    const auto users = static_cast<Eigen::Index>(userCount()),
               items = static_cast<Eigen::Index>(itemCount());
    if (data_.users.rows() != users || data_.items.rows() != items ||
        data_.users.cols() != data_.items.cols() || data_.items.cols() == 0 ||
        (data_.userBias.size() != 0 && data_.userBias.size() != users) ||
        (data_.itemBias.size() != 0 && data_.itemBias.size() != items))
        in.fail("corrupt model file (factor matrix sizes do not match the id maps)");
    itemGram_ = gramOf(data_.items);
}

}  // namespace lens
