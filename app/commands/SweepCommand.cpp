// `lens-atlas sweep PATH --model M --grid NAME=V1,V2,... [--grid ...] [--random N]
//  [--split S] [--seed N] [--metric rmse|hr10|ndcg10|full_hr10|full_ndcg10] [--json]`:
// hyper-parameter search on the validation part of a split (tuning/Sweep.h). Each trial trains
// on the training part minus validation and is scored on validation; the best configuration is
// retrained on the whole training part and tested once.
#include <QTextStream>
#include <cmath>
#include <nlohmann/json.hpp>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "models/RecommenderFactory.h"
#include "tuning/Sweep.h"

namespace {

constexpr const char* kSweepUsage =
    "sweep PATH --model MODEL --grid NAME=V1,V2,... [--grid NAME=...] [--random N] "
    "[--split per-user:0.2|random:0.2|loo|time:T|ml100k:u1] [--seed S] "
    "[--metric rmse|hr10|ndcg10|full_hr10|full_ndcg10] [--json]";

int sweepUsageError(const QString& message) {
    return lens::app::usageError(message, kSweepUsage);
}

nlohmann::json params(const std::vector<std::pair<std::string, std::string>>& p) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [key, value] : p) o[key] = value;
    return o;
}

QString paramText(const std::vector<std::pair<std::string, std::string>>& p) {
    QStringList parts;
    for (const auto& [key, value] : p)
        parts << QStringLiteral("%1=%2").arg(QString::fromStdString(key),
                                             QString::fromStdString(value));
    return parts.join(QStringLiteral(", "));
}

int runSweepCommand(const QStringList& args) {
    QString path, splitText;
    bool json = false;
    lens::SweepConfig config;
    QStringList given;
    using lens::app::OptionVerdict;
    const int parsed = lens::app::parseCommandArguments(
        args, kSweepUsage, {"--json"}, &given, &path,
        [&](const QString& a, const QString& v, QString& message) {
            bool ok = true;
            if (a == "--model") {
                config.modelKind = v.toStdString();
            } else if (a == "--grid") {
                const int eq = v.indexOf('=');
                if (eq <= 0 || eq == v.size() - 1) {
                    message = QStringLiteral("--grid takes NAME=V1,V2,... (got '%1')").arg(v);
                    return OptionVerdict::BadValue;
                }
                lens::SweepAxis axis;
                axis.key = v.left(eq).replace('-', '_').toStdString();
                for (const QString& value : v.mid(eq + 1).split(',', Qt::SkipEmptyParts))
                    axis.values.push_back(value.trimmed().toStdString());
                config.axes.push_back(axis);
            } else if (a == "--random") {
                config.randomTrials = v.toInt(&ok);
                ok = ok && config.randomTrials >= 1;
            } else if (a == "--split") {
                splitText = v;
            } else if (a == "--seed") {
                config.seed = v.toULongLong(&ok);
            } else if (a == "--metric") {
                config.metric = v.toStdString();
            } else {
                return OptionVerdict::Unknown;
            }
            return ok ? OptionVerdict::Taken : OptionVerdict::BadValue;
        });
    if (parsed != lens::app::kOk) return parsed;
    json = given.contains("--json");
    if (config.modelKind.empty()) return sweepUsageError(QStringLiteral("missing --model"));
    const lens::RecommenderDescriptor* descriptor = lens::findRecommender(config.modelKind);
    if (!descriptor)
        return sweepUsageError(
            QStringLiteral("unknown model '%1'").arg(QString::fromStdString(config.modelKind)));
    if (config.axes.empty()) return sweepUsageError(QStringLiteral("missing --grid"));
    if (splitText.isEmpty())
        splitText = descriptor->ranking ? QStringLiteral("loo") : QStringLiteral("per-user:0.2");

    if (config.metric.empty()) config.metric = descriptor->ranking ? "ndcg10" : "rmse";

    QTextStream out(stdout), err(stderr);
    QTextStream& log = json ? err : out;
    return lens::app::runWithExitCodes(kSweepUsage, [&] {
        const lens::SplitSpec spec = lens::SplitSpec::parse(splitText.toStdString(), config.seed);
        lens::sweepTrials(config);  // usage errors before loading
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        // Implicit feedback has no ratings for a rating model to fit (a usage error, exit 2).
        if (const std::string refusal = lens::ratingModelRefusal(
                config.modelKind, !descriptor->ranking, dataset.scale, dataset.name);
            !refusal.empty())
            throw std::invalid_argument(refusal);
        const lens::SweepResult r =
            lens::runSweep(dataset, spec, config,
                           [&](std::size_t t, std::size_t total, const lens::SweepTrial& trial) {
                               log << QStringLiteral("trial %1/%2  %3  validation %4 %5  (%6 s)\n")
                                          .arg(t + 1)
                                          .arg(total)
                                          .arg(paramText(trial.params))
                                          .arg(QString::fromStdString(config.metric))
                                          .arg(trial.validation, 0, 'f', 4)
                                          .arg(trial.seconds, 0, 'f', 2);
                               log.flush();
                               return true;
                           });
        const lens::SweepTrial& best = r.trials[r.best];
        if (json) {
            nlohmann::json o;
            o["model"] = r.modelKind;
            o["dataset"] = dataset.name;
            o["split"] = spec.describe();
            o["metric"] = r.metric;
            o["lower_is_better"] = r.lowerIsBetter;
            o["grid_size"] = r.gridSize;
            o["validation_ratings"] = r.validationRatings;
            o["trials"] = nlohmann::json::array();
            for (const auto& t : r.trials)
                o["trials"].push_back({{"params", params(t.params)},
                                       {"validation", lens::app::jsonNumber(t.validation)},
                                       {"seconds", t.seconds}});
            o["best"] = {{"params", params(best.params)},
                         {"validation", lens::app::jsonNumber(r.bestValidation)},
                         {"test", lens::app::jsonNumber(r.bestTest)}};
            out << QString::fromStdString(o.dump(2)) << '\n';
        } else {
            out << QStringLiteral(
                       "best of %1 trials by validation %2: %3\n  validation %4, test "
                       "%5 (retrained on training + validation, tested once)\n")
                       .arg(r.trials.size())
                       .arg(QString::fromStdString(r.metric), paramText(best.params))
                       .arg(r.bestValidation, 0, 'f', 4)
                       .arg(r.bestTest, 0, 'f', 4);
        }
        return lens::app::kOk;
    });
}

}  // namespace

LENS_ATLAS_COMMAND("sweep",
                   "grid or random search of hyper-parameters on a validation part; the best "
                   "retrained and tested once",
                   kSweepUsage, false, runSweepCommand);
