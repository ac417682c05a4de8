// `lens-atlas cv PATH --model M [--folds K] [--seed S] [--NAME VALUE ...] [--json]`: k-fold
// cross-validation (tuning/CrossValidation.h): per-user folds, or ml-100k's u1..u5 as they ship
// when the release is ml-100k and K = 5; per-fold figures, then mean and standard deviation.
#include <QTextStream>
#include <cmath>
#include <nlohmann/json.hpp>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "models/RecommenderFactory.h"
#include "tuning/CrossValidation.h"

namespace {

constexpr const char* kCvUsage =
    "cv PATH --model MODEL [--folds K] [--seed S] [--<hyper-parameter> VALUE ...] [--json]";

int cvUsageError(const QString& message) {
    return lens::app::usageError(message, kCvUsage);
}

int runCv(const QStringList& args) {
    QString path;
    bool json = false;
    lens::CrossValidationConfig config;
    QStringList given;
    using lens::app::OptionVerdict;
    const int parsed = lens::app::parseCommandArguments(
        args, kCvUsage, {"--json"}, &given, &path,
        [&](const QString& a, const QString& v, QString&) {
            bool ok = true;
            if (a == "--model") {
                config.modelKind = v.toStdString();
            } else if (a == "--folds") {
                config.folds = v.toInt(&ok);
                ok = ok && config.folds >= 2 && config.folds <= 20;
            } else if (a == "--seed") {
                config.seed = v.toULongLong(&ok);
            } else {  // any other option is a hyper-parameter of the model
                config.settings.emplace_back(QString(a.mid(2)).replace('-', '_').toStdString(),
                                             v.toStdString());
            }
            return ok ? OptionVerdict::Taken : OptionVerdict::BadValue;
        });
    if (parsed != lens::app::kOk) return parsed;
    json = given.contains("--json");
    if (config.modelKind.empty()) return cvUsageError(QStringLiteral("missing --model"));
    if (!lens::findRecommender(config.modelKind))
        return cvUsageError(
            QStringLiteral("unknown model '%1'").arg(QString::fromStdString(config.modelKind)));

    QTextStream out(stdout), err(stderr);  // err: progress lines with --json
    QTextStream& log = json ? err : out;
    auto fmt = [](double v) {
        return std::isnan(v) ? QStringLiteral("-") : QString::number(v, 'f', 4);
    };
    return lens::app::runWithExitCodes(kCvUsage, [&] {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        // Implicit feedback has no ratings for a rating model to fit (a usage error, exit 2).
        if (const std::string refusal = lens::ratingModelRefusal(
                config.modelKind, !lens::findRecommender(config.modelKind)->ranking, dataset.scale,
                dataset.name);
            !refusal.empty())
            throw std::invalid_argument(refusal);
        const lens::CrossValidationResult r =
            lens::crossValidate(dataset, config, [&](const lens::FoldResult& f) {
                const auto& e = f.evaluation;
                log << QStringLiteral("%1: test RMSE %2, MAE %3, HR@10 %4, NDCG@10 %5\n")
                           .arg(QString::fromStdString(f.split), fmt(e.testRmse), fmt(e.testMae),
                                fmt(e.sampledHr10), fmt(e.sampledNdcg10));
                log.flush();
                return true;
            });
        if (json) {
            nlohmann::json o;
            o["model"] = r.modelKind;
            o["dataset"] = dataset.name;
            o["predefined_splits"] = r.predefined;
            o["folds"] = nlohmann::json::array();
            for (const auto& f : r.folds)
                o["folds"].push_back(
                    {{"fold", f.fold},
                     {"split", f.split},
                     {"train_ratings", f.trainRatings},
                     {"test_ratings", f.testRatings},
                     {"test_rmse", lens::app::jsonNumber(f.evaluation.testRmse)},
                     {"test_mae", lens::app::jsonNumber(f.evaluation.testMae)},
                     {"hr10", lens::app::jsonNumber(f.evaluation.sampledHr10)},
                     {"ndcg10", lens::app::jsonNumber(f.evaluation.sampledNdcg10)},
                     {"full_hr10", lens::app::jsonNumber(f.evaluation.fullHr10)},
                     {"full_ndcg10", lens::app::jsonNumber(f.evaluation.fullNdcg10)}});
            o["mean"] = nlohmann::json::object();
            o["sd"] = nlohmann::json::object();
            for (const auto& m : r.summary) {
                o["mean"][m.metric] = lens::app::jsonNumber(m.mean);
                o["sd"][m.metric] = lens::app::jsonNumber(m.sd);
            }
            out << QString::fromStdString(o.dump(2)) << '\n';
        } else {
            for (const auto& m : r.summary)
                out << QStringLiteral("%1 mean %2, sd %3 over %4 folds\n")
                           .arg(QString::fromStdString(m.metric), fmt(m.mean), fmt(m.sd))
                           .arg(m.folds);
        }
        return lens::app::kOk;
    });
}

}  // namespace

LENS_ATLAS_COMMAND("cv", "k-fold cross-validation of a model: per fold, mean and sd", kCvUsage,
                   false, runCv);
