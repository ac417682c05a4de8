#include "models/GenrePriorAls.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <bit>
#include <stdexcept>

#include "models/ModelFile.h"
#include "models/TrainData.h"

namespace lens {

HyperparameterList GenrePriorAls::hyperparameters() const {
    HyperparameterList list = AlsModel::hyperparameters();
    list.push_back({"theta_lambda",
                    formatReal(thetaLambda_),
                    "Genre vector regularisation",
                    "Penalty on the genre vectors theta (relative to the movies' prior weight).",
                    0,
                    1e6,
                    false,
                    {}});
    return list;
}

void GenrePriorAls::setHyperparameter(const std::string& key, const std::string& value) {
    if (key == "theta_lambda")
        thetaLambda_ = parseRealHyperparameter(key, value, 0, 1e6);
    else
        AlsModel::setHyperparameter(key, value);
}

Eigen::MatrixXf GenrePriorAls::genreMatrix(const std::vector<GenreMask>& genres, int genreCount) {
    // 0 genres (data without categories): no columns, every prior mean 0 (plain biased MF).
    if (genreCount < 0 || genreCount > kMaxGenreVocabulary)
        throw std::invalid_argument("genre matrix: " + std::to_string(genreCount) +
                                    " genres (expected 0.." + std::to_string(kMaxGenreVocabulary) +
                                    ")");
    const GenreMask known =
        genreCount == kMaxGenreVocabulary ? ~GenreMask{0} : (GenreMask{1} << genreCount) - 1;
    Eigen::MatrixXf f = Eigen::MatrixXf::Zero(static_cast<Eigen::Index>(genres.size()), genreCount);
    for (std::size_t i = 0; i < genres.size(); ++i) {
        const int n = std::popcount(genres[i] & known);
        if (!n) continue;
        for (int g = 0; g < genreCount; ++g)
            if (hasGenre(genres[i], g))
                f(static_cast<Eigen::Index>(i), g) = 1.0f / static_cast<float>(n);
    }
    return f;
}

void GenrePriorAls::prepareFit(const TrainData& data) {
    genreMatrix_ = genreMatrix(data.genres, data.genreCount);
    theta_ = Eigen::MatrixXf::Zero(data.genreCount, config_.factors);
    priorMean_ = FactorMatrix::Zero(static_cast<Eigen::Index>(data.itemCount()), config_.factors);
}

void GenrePriorAls::updatePrior(const TrainData& data) {
    // Weighted ridge regression of the rated movies' factors on their genre rows, in double.
    const Eigen::Index items = genreMatrix_.rows();
    const Eigen::Index genres = genreMatrix_.cols();
    Eigen::MatrixXd ftf = Eigen::MatrixXd::Zero(genres, genres);
    Eigen::MatrixXd ftq = Eigen::MatrixXd::Zero(genres, config_.factors);
    for (Eigen::Index i = 0; i < items; ++i) {
        const std::size_t n = data.byItem.rowSize(static_cast<std::size_t>(i));
        if (n == 0) continue;
        const double w = config_.weightedLambda ? static_cast<double>(n) : 1.0;
        const Eigen::VectorXd fi = genreMatrix_.row(i).transpose().cast<double>();
        if (fi.isZero()) continue;
        ftf.noalias() += w * fi * fi.transpose();
        ftq.noalias() += w * fi * itemFactors_.row(i).cast<double>();
    }
    const double ridge = config_.lambda > 0 ? thetaLambda_ / config_.lambda : thetaLambda_;
    ftf.diagonal().array() += ridge + 1e-9;
    theta_ = ftf.llt().solve(ftq).cast<float>();
    priorMean_.noalias() = genreMatrix_ * theta_;
}

double GenrePriorAls::priorObjective(const TrainData& data) const {
    double s = 0.0;
    for (Eigen::Index i = 0; i < itemFactors_.rows(); ++i) {
        const double w = config_.weightedLambda
                             ? static_cast<double>(data.byItem.rowSize(static_cast<std::size_t>(i)))
                             : 1.0;
        s += w * config_.lambda *
             static_cast<double>((itemFactors_.row(i) - priorMean_.row(i)).squaredNorm());
    }
    return s + thetaLambda_ * static_cast<double>(theta_.squaredNorm());
}

void GenrePriorAls::writePayload(ModelWriter& out) const {
    AlsModel::writePayload(out);
    out.matrix(theta_);
}

void GenrePriorAls::readPayload(ModelReader& in) {
    AlsModel::readPayload(in);
    theta_ = in.matrix();
    // One row per genre of the training vocabulary (MovieLens: 19; a user's data: up to 32).
    if (theta_.rows() > kMaxGenreVocabulary || theta_.cols() != config_.factors)
        in.fail("corrupt model file (genre matrix theta has the wrong size)");
}

}  // namespace lens
