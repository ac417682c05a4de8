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

constexpr const char* kUsage =
    "cv PATH --model MODEL [--folds K] [--seed S] [--<hyper-parameter> VALUE ...] [--json]";

int usageError(const QString& message) {
    return lens::app::usageError(message, kUsage);
}

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

int runCv(const QStringList& args) {
    QString path;
    bool json = false;
    lens::CrossValidationConfig config;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        QString v;
        if (a == "--json") {
            json = true;
        } else if (a.startsWith("--")) {
            if (!lens::app::takeOptionValue(args, i, v))
                return usageError(QStringLiteral("%1 needs a value").arg(a));
            bool ok = true;
            if (a == "--model") {
                config.modelKind = v.toStdString();
            } else if (a == "--folds") {
                config.folds = v.toInt(&ok);
                ok = ok && config.folds >= 2 && config.folds <= 20;
            } else if (a == "--seed") {
                config.seed = v.toULongLong(&ok);
            } else {
                config.settings.emplace_back(a.mid(2).replace('-', '_').toStdString(),
                                             v.toStdString());
            }
            if (!ok) return usageError(QStringLiteral("bad %1 '%2'").arg(a, v));
        } else if (path.isEmpty()) {
            path = a;
        } else {
            return usageError(QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (path.isEmpty()) return usageError(QStringLiteral("missing PATH"));
    if (config.modelKind.empty()) return usageError(QStringLiteral("missing --model"));
    if (!lens::findRecommender(config.modelKind))
        return usageError(
            QStringLiteral("unknown model '%1'").arg(QString::fromStdString(config.modelKind)));

    QTextStream out(stdout), err(stderr);
    QTextStream& log = json ? err : out;
    auto fmt = [](double v) {
        return std::isnan(v) ? QStringLiteral("-") : QString::number(v, 'f', 4);
    };
    try {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
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
                o["folds"].push_back({{"fold", f.fold},
                                      {"split", f.split},
                                      {"train_ratings", f.trainRatings},
                                      {"test_ratings", f.testRatings},
                                      {"test_rmse", number(f.evaluation.testRmse)},
                                      {"test_mae", number(f.evaluation.testMae)},
                                      {"hr10", number(f.evaluation.sampledHr10)},
                                      {"ndcg10", number(f.evaluation.sampledNdcg10)},
                                      {"full_hr10", number(f.evaluation.fullHr10)},
                                      {"full_ndcg10", number(f.evaluation.fullNdcg10)}});
            o["mean"] = nlohmann::json::object();
            o["sd"] = nlohmann::json::object();
            for (const auto& m : r.summary) {
                o["mean"][m.metric] = number(m.mean);
                o["sd"][m.metric] = number(m.sd);
            }
            out << QString::fromStdString(o.dump(2)) << '\n';
        } else {
            for (const auto& m : r.summary)
                out << QStringLiteral("%1 mean %2, sd %3 over %4 folds\n")
                           .arg(QString::fromStdString(m.metric), fmt(m.mean), fmt(m.sd))
                           .arg(m.folds);
        }
        return lens::app::kOk;
    } catch (const lens::DataError& e) {
        err << "lens-atlas cv: " << e.what() << '\n';
        return lens::app::kBadData;
    } catch (const std::invalid_argument& e) {
        return usageError(QString::fromStdString(e.what()));
    } catch (const std::exception& e) {
        err << "lens-atlas cv: " << e.what() << '\n';
        return lens::app::kFailure;
    }
}

}  // namespace

LENS_ATLAS_COMMAND("cv", "k-fold cross-validation of a model: per fold, mean and sd", kUsage, false,
                   runCv);
