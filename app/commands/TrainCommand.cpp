// `lens-atlas train PATH --model NAME [--k K] [--lambda L] [--iterations N] [--split SPEC]
//  [--seed S] [--threads T] [--budget 10m] [--save FILE] [--json] [--<hyper-parameter> VALUE ...]`:
// trains any model of the RecommenderFactory registry on a release, printing one line per
// iteration and the final metrics (JSON with --json; iteration lines then go to stderr).
// The model fits on the split's training part minus a validation part (10 % of each user's
// training ratings; leave-one-out: each user's latest training rating); iteration lines show
// validation figures and the test part is scored once, for the final line.
// Options other than the common ones are matched to the model's hyper-parameter keys
// ("--bias-lambda 0.1" sets bias_lambda), so new model kinds need no change here.
// --budget (90s, 10m, 1h; tuning/TrainingBudget.h) stops training at the end of the iteration
// that uses it up; the output says why training stopped ("stopped: budget of 10m used after
// epoch 4 of 20"; JSON: stop_reason, budget_seconds).
#include <omp.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cmath>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "data/Split.h"
#include "eval/MetricKeys.h"
#include "eval/ModelEvaluation.h"
#include "eval/RankingMetrics.h"
#include "io/DatasetLoader.h"
#include "models/MemoryEstimate.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "tuning/TrainingBudget.h"
#include "tuning/ValidatedTraining.h"
#include "util/Errors.h"

namespace {

using lens::app::figureText;

constexpr const char* kTrainUsage =
    "train PATH --model bias|als|als-genre|als-implicit|ease|item-knn|bpmf|gmf|mlp|neumf [--k K] "
    "[--lambda L] "
    "[--iterations N] [--objective implicit|explicit] [--factors F] [--layers 64,32,16,8] "
    "[--epochs E] [--batch B] [--lr R] [--negatives N] "
    "[--split per-user:0.2|random:0.2|loo|time:T|ml100k:u1] [--seed S] [--threads T] "
    "[--budget 90s|10m|1h] [--save FILE] [--json] [--force]";

int trainUsageError(const QString& message) {
    QTextStream err(stderr);
    lens::app::writeUsageError(err, message, kTrainUsage);
    err << "models:\n";
    for (const auto& d : lens::recommenderRegistry())
        err << "  " << QString::fromStdString(d.name).leftJustified(14)
            << QString::fromStdString(d.description) << '\n';
    return lens::app::kUsage;
}

// A metric as JSON: the engine's rule (eval/MetricKeys.h), null when absent.
QJsonValue metric(double v) {
    const std::optional<double> value = lens::metricJsonValue(v);
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// The key of a history metric in `train --json`: the per-iteration held-out figures are measured
// on the validation part ("validation_rmse", "validation_hr10", ...).
QString historyKey(const char* key) {
    const QString k = QLatin1String(key);
    if (k == QLatin1String("test_rmse")) return QStringLiteral("validation_rmse");
    if (k == QLatin1String("test_mae")) return QStringLiteral("validation_mae");
    if (k == QLatin1String("hr10") || k == QLatin1String("ndcg10"))
        return QStringLiteral("validation_") + k;
    return k;
}

bool hasKey(const lens::Recommender& model, const std::string& key) {
    for (const auto& h : model.hyperparameters())
        if (h.key == key) return true;
    return false;
}

int runTrain(const QStringList& args) {
    QString path, modelName, splitText, saveFile;
    bool json = false, force = false;
    int threads = 0;
    double budgetSeconds = 0.0;
    std::uint64_t seed = 42;
    bool seedGiven = false;
    std::vector<std::pair<std::string, std::string>> settings;  // hyper-parameters, in order
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        QString v;
        if (a == "--json") {
            json = true;
        } else if (a == "--force") {
            force = true;  // train even when the memory estimate exceeds what is available
        } else if (a.startsWith("--")) {
            if (!lens::app::takeOptionValue(args, i, v))
                return trainUsageError(QStringLiteral("%1 needs a value").arg(a));
            if (a == "--model")
                modelName = v;
            else if (a == "--split")
                splitText = v;
            else if (a == "--save")
                saveFile = v;
            else if (a == "--threads") {
                bool ok = false;
                threads = v.toInt(&ok);
                if (!ok || threads < 1 || threads > 1024)
                    return trainUsageError(QStringLiteral("bad --threads '%1'").arg(v));
            } else if (a == "--seed") {
                bool ok = false;
                seed = v.toULongLong(&ok);
                if (!ok) return trainUsageError(QStringLiteral("bad --seed '%1'").arg(v));
                seedGiven = true;
            } else if (a == "--budget") {
                try {
                    budgetSeconds = lens::parseBudget(v.toStdString());
                } catch (const std::invalid_argument& e) {
                    return trainUsageError(QStringLiteral("bad --budget: %1").arg(e.what()));
                }
            } else {
                settings.emplace_back(a.mid(2).replace('-', '_').toStdString(), v.toStdString());
            }
        } else if (path.isEmpty()) {
            path = a;
        } else {
            return trainUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (path.isEmpty()) return trainUsageError(QStringLiteral("missing PATH"));
    if (modelName.isEmpty()) return trainUsageError(QStringLiteral("missing --model"));
    const lens::RecommenderDescriptor* descriptor = lens::findRecommender(modelName.toStdString());
    if (!descriptor) return trainUsageError(QStringLiteral("unknown model '%1'").arg(modelName));

    std::unique_ptr<lens::Recommender> model = descriptor->create();
    if (seedGiven) model->setHyperparameter("seed", std::to_string(seed));
    for (auto [key, value] : settings) {
        // Common spellings across model families: --k / --factors, --iterations / --epochs.
        if (!hasKey(*model, key)) {
            static const std::vector<std::pair<std::string, std::string>> aliases = {
                {"k", "factors"},         {"factors", "k"},         {"iterations", "epochs"},
                {"epochs", "iterations"}, {"iterations", "sweeps"}, {"epochs", "sweeps"}};
            for (const auto& [from, to] : aliases) {
                if (key == from && hasKey(*model, to)) {
                    key = to;
                    break;
                }
            }
        }
        try {
            model->setHyperparameter(key, value);
        } catch (const std::invalid_argument& e) {
            return trainUsageError(QString::fromStdString(e.what()));
        }
    }
    // Without --split, each model gets its own protocol: rating models a per-user 80/20 holdout,
    // ranking models (implicit objective) leave-one-out latest, as in the NCF paper.
    if (splitText.isEmpty())
        splitText =
            model->predictsRatings() ? QStringLiteral("per-user:0.2") : QStringLiteral("loo");
    lens::SplitSpec spec;
    try {
        spec = lens::SplitSpec::parse(splitText.toStdString(), seed);
    } catch (const std::invalid_argument& e) {
        return trainUsageError(QString::fromStdString(e.what()));
    }
    if (threads > 0) omp_set_num_threads(threads);

    QTextStream out(stdout), err(stderr);
    QTextStream& log = json ? err : out;
    try {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        // Implicit feedback has no ratings for a rating model to fit.
        if (const std::string refusal =
                lens::ratingModelRefusal(*model, dataset.scale, dataset.name);
            !refusal.empty())
            return trainUsageError(QString::fromStdString(refusal));
        const lens::Split split = lens::makeSplit(dataset, spec);
        // Memory: warn above 80 % of MemAvailable, refuse above 100 % unless --force.
        if (const auto available = lens::availableMemoryBytes()) {
            const lens::MemoryEstimate need = lens::estimateTrainingMemory(
                *model, lens::TrainingShape::of(dataset, spec, threads));
            const auto verdict = lens::judgeMemory(need.total(), *available);
            if (verdict != lens::MemoryVerdict::Fits) {
                err << QStringLiteral(
                           "lens-atlas train: %1: training needs about %2 but %3 is "
                           "available%4\n")
                           .arg(verdict == lens::MemoryVerdict::Refuse ? "error" : "warning",
                                QString::fromStdString(need.describe()),
                                QString::fromStdString(lens::formatByteSize(*available)),
                                verdict == lens::MemoryVerdict::Refuse && !force
                                    ? "; refusing (use --force to train anyway)"
                                    : "");
                err.flush();
                if (verdict == lens::MemoryVerdict::Refuse && !force) return 1;
            }
        }
        // The model fits on the training part minus a validation part, is scored on validation
        // every iteration and on the test part once, at the end (tuning/ValidatedTraining.h).
        lens::ValidatedTrainingOptions options;
        options.validation = lens::ValidationSpec::forSplit(spec);
        options.rankingModel = descriptor->ranking;
        options.perUser = false;  // the command prints means; the Train stage keeps per-user
        options.budget.seconds = budgetSeconds;
        options.onPrepared = [&](const lens::PartSizes& sizes) {
            log << QStringLiteral("%1 on %2: %3 train / %4 validation / %5 test ratings, %6\n")
                       .arg(QString::fromStdString(model->displayName()),
                            QString::fromStdString(dataset.name))
                       .arg(sizes.fit)
                       .arg(sizes.validation)
                       .arg(sizes.test)
                       .arg(QString::fromStdString(spec.describe()));
            log.flush();
        };
        options.control.observer = [&](const lens::TrainingSnapshot& s) {
            log << QStringLiteral("iteration %1/%2  %3 s")
                       .arg(s.iteration)
                       .arg(s.totalIterations)
                       .arg(s.seconds, 0, 'f', 3);
            if (lens::TrainingSnapshot::hasMetric(s.trainRmse))
                log << "  train RMSE " << figureText(s.trainRmse);
            if (lens::TrainingSnapshot::hasMetric(s.testRmse))
                log << "  validation RMSE " << figureText(s.testRmse);
            if (lens::TrainingSnapshot::hasMetric(s.testMae))
                log << "  MAE " << figureText(s.testMae);
            if (lens::TrainingSnapshot::hasMetric(s.objective))
                log << "  objective " << figureText(s.objective, 2);
            if (lens::TrainingSnapshot::hasMetric(s.hr10))
                log << "  validation HR@10 " << figureText(s.hr10);
            if (lens::TrainingSnapshot::hasMetric(s.ndcg10))
                log << "  NDCG@10 " << figureText(s.ndcg10);
            log << '\n';
            log.flush();
            return true;
        };
        const lens::ValidatedTrainingResult result =
            lens::trainValidated(*model, dataset, split, options);
        const lens::FitStatus status = result.status;

        // The model as it ends up (a model that keeps its best validated epoch is not the last
        // iteration's state), on the test part; ranking metrics for ranking models and
        // leave-one-out splits.
        lens::ModelEvaluation evaluation;
        evaluation.trainRmse = result.trainRmse;
        evaluation.testRmse = result.test.rmse;
        evaluation.testMae = result.test.mae;
        evaluation.sampledHr10 = result.test.hr10;
        evaluation.sampledNdcg10 = result.test.ndcg10;
        evaluation.fullHr10 = result.test.fullHr10;
        evaluation.fullNdcg10 = result.test.fullNdcg10;
        evaluation.secondsPerIteration = result.secondsPerIteration;
        const double trainRmse = evaluation.trainRmse, testRmse = evaluation.testRmse,
                     testMae = evaluation.testMae;
        const double hr = evaluation.sampledHr10, ndcg = evaluation.sampledNdcg10,
                     fullHr = evaluation.fullHr10, fullNdcg = evaluation.fullNdcg10;
        const double secondsPerIteration = evaluation.secondsPerIteration;
        if (!saveFile.isEmpty()) lens::saveModel(*model, saveFile.toStdString());

        const std::string kValue = model->hyperparameter("k").empty()
                                       ? model->hyperparameter("factors")
                                       : model->hyperparameter("k");
        if (json) {
            QJsonObject o;
            o["model"] = QString::fromStdString(model->kind());
            o["dataset"] = QString::fromStdString(dataset.name);
            o["k"] = kValue.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(std::stoi(kValue));
            o["iterations"] = static_cast<int>(model->history().size());
            o["status"] = lens::fitStatusName(status);
            o["stop_reason"] = lens::stopReasonKey(result.stop.reason);
            o["stop_description"] = QString::fromStdString(result.stop.describe());
            o["budget_seconds"] =
                budgetSeconds > 0 ? QJsonValue(budgetSeconds) : QJsonValue(QJsonValue::Null);
            o["split"] = QString::fromStdString(spec.describe());
            o["seed"] = QString::number(model->seed());
            for (const auto& k : lens::kEvaluationMetricKeys)
                o[QLatin1String(k.key)] = metric(evaluation.*k.member);
            o["full_ranking_users"] = static_cast<double>(result.test.fullUsers);
            o["full_ranking_users_total"] = static_cast<double>(result.test.fullUsersTotal);
            o["full_hr10_ci"] =
                QJsonArray{metric(result.test.fullHr10Low), metric(result.test.fullHr10High)};
            o["validation"] = QJsonObject{{"rmse", metric(result.validation.rmse)},
                                          {"mae", metric(result.validation.mae)},
                                          {"hr10", metric(result.validation.hr10)},
                                          {"ndcg10", metric(result.validation.ndcg10)}};
            o["ratings"] = QJsonObject{{"train", static_cast<double>(result.sizes.fit)},
                                       {"validation", static_cast<double>(result.sizes.validation)},
                                       {"test", static_cast<double>(result.sizes.test)}};
            QJsonObject hyper;
            for (const auto& h : model->hyperparameters())
                hyper[QString::fromStdString(h.key)] = QString::fromStdString(h.value);
            o["hyperparameters"] = hyper;
            QJsonArray history;
            for (const auto& s : model->history()) {
                QJsonObject h;
                h["iteration"] = s.iteration;
                h["seconds"] = s.seconds;
                for (const auto& k : lens::kSnapshotMetricKeys)
                    h[historyKey(k.key)] = metric(s.*k.member);
                history.append(h);
            }
            o["history"] = history;
            if (!saveFile.isEmpty()) o["saved"] = saveFile;
            out << QJsonDocument(o).toJson(QJsonDocument::Indented);
        } else {
            if (result.stop.reason != lens::StopReason::Completed)
                out << QString::fromStdString(result.stop.describe()) << '\n';
            if (result.validation.any()) {
                out << QStringLiteral("validation (%1 ratings):").arg(result.sizes.validation);
                if (!std::isnan(result.validation.rmse))
                    out << QStringLiteral(" RMSE %1, MAE %2")
                               .arg(figureText(result.validation.rmse),
                                    figureText(result.validation.mae));
                if (!std::isnan(result.validation.hr10))
                    out << QStringLiteral(" HR@10 %1, NDCG@10 %2 (%3)")
                               .arg(figureText(result.validation.hr10),
                                    figureText(result.validation.ndcg10),
                                    QString(lens::kSampledProtocolLabel));
                out << '\n';
            }
            out << QStringLiteral("%1 (%2): train RMSE %3, test RMSE %4, MAE %5")
                       .arg(QString::fromStdString(model->kind()),
                            QString::fromStdString(lens::fitStatusName(status)),
                            figureText(trainRmse), figureText(testRmse), figureText(testMae));
            if (!std::isnan(hr))
                out << QStringLiteral(", HR@10 %1, NDCG@10 %2 (%3); HR@10 %4, NDCG@10 %5 (%6)")
                           .arg(figureText(hr), figureText(ndcg),
                                QString(lens::kSampledProtocolLabel), figureText(fullHr),
                                figureText(fullNdcg), QString(lens::kFullRankingLabel));
            out << QStringLiteral(", %1 s per iteration\n").arg(figureText(secondsPerIteration, 3));
            if (result.test.fullSampled())
                out << QStringLiteral(
                           "full ranking on a sample of %1 of %2 test users (seed %3): "
                           "HR@10 95 % interval %4-%5\n")
                           .arg(result.test.fullUsers)
                           .arg(result.test.fullUsersTotal)
                           .arg(spec.seed)
                           .arg(figureText(result.test.fullHr10Low),
                                figureText(result.test.fullHr10High));
            if (!saveFile.isEmpty()) out << "saved " << saveFile << '\n';
        }
        return lens::app::kOk;
    } catch (const lens::DataError& e) {
        err << "lens-atlas train: " << e.what() << '\n';
        return lens::app::kBadData;
    } catch (const std::invalid_argument& e) {
        return trainUsageError(QString::fromStdString(e.what()));
    } catch (const std::exception& e) {  // e.g. a catalogue too large for EASE's dense matrix
        err << "lens-atlas train: " << e.what() << '\n';
        return lens::app::kFailure;
    }
}

}  // namespace

LENS_ATLAS_COMMAND("train", "train a rating or ranking model and report its accuracy", kTrainUsage,
                   false, runTrain);
