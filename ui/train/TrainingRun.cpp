#include "train/TrainingRun.h"

#include <QJsonDocument>
#include <cmath>
#include <nlohmann/json.hpp>

#include "StdText.h"
#include "eval/MetricKeys.h"
#include "models/RecommenderFactory.h"

namespace lens::ui {

namespace {

QString shortModelName(const QString& kind) {
    if (kind == QLatin1String("bias")) return QStringLiteral("Bias");
    if (kind == QLatin1String("als")) return QStringLiteral("ALS");
    if (kind == QLatin1String("als-genre")) return QStringLiteral("Genre ALS");
    if (kind == QLatin1String("als-implicit")) return QStringLiteral("Implicit ALS");
    if (kind == QLatin1String("gmf")) return QStringLiteral("GMF");
    if (kind == QLatin1String("mlp")) return QStringLiteral("MLP");
    if (kind == QLatin1String("neumf")) return QStringLiteral("NeuMF");
    return kind;
}

}  // namespace

QString runStatusName(RunStatus status) {
    return QString::fromLatin1(lens::runStatusKey(status));
}

std::optional<RunStatus> runStatusFromName(const QString& name) {
    return lens::parseRunStatus(name.toStdString());
}

QString RunSpec::hyperparameterText() const {
    QStringList parts;
    for (const auto& [key, value] : hyperparameters)
        parts << QStringLiteral("%1 %2").arg(key, value);
    return parts.join(QStringLiteral(", "));
}

QString RunSpec::splitText() const {
    return QString::fromStdString(split.describe());
}

bool RunSpec::splitTextShowsSeed() const {
    // SplitSpec::describe() names the seed of the random protocols only.
    const bool describedWithSeed =
        split.kind == SplitKind::PerUserHoldout || split.kind == SplitKind::GlobalRandom;
    return describedWithSeed && split.seed == seed;
}

QString RunSpec::splitAndSeedText() const {
    if (splitTextShowsSeed()) return splitText();
    return QStringLiteral("%1 · model seed %2").arg(splitText()).arg(seed);
}

QString RunSpec::value(const QString& key) const {
    for (const auto& [k, v] : hyperparameters)
        if (k == key) return v;
    return {};
}

QString RunSpec::sweepText() const {
    if (!sweep) return {};
    if (sweep->final)
        return QStringLiteral("sweep %1, best (trial %2/%3) retrained")
            .arg(sweep->number)
            .arg(sweep->trial)
            .arg(sweep->trials);
    return QStringLiteral("sweep %1, trial %2/%3")
        .arg(sweep->number)
        .arg(sweep->trial)
        .arg(sweep->trials);
}

double RunRecord::finalMetric(double TrainingSnapshot::*metric) const {
    return lens::lastFiniteMetric(history, metric);
}

namespace {

// The curve of the history that measures a held-out figure (the full-catalogue figures have
// none: they are computed only for the final model).
double TrainingSnapshot::*curveOf(double HeldOutFigures::*figure) {
    if (figure == &HeldOutFigures::rmse) return &TrainingSnapshot::testRmse;
    if (figure == &HeldOutFigures::mae) return &TrainingSnapshot::testMae;
    if (figure == &HeldOutFigures::hr10) return &TrainingSnapshot::hr10;
    if (figure == &HeldOutFigures::ndcg10) return &TrainingSnapshot::ndcg10;
    return nullptr;
}

}  // namespace

double RunRecord::testFigure(double HeldOutFigures::*figure) const {
    if (finalTest) return (*finalTest).*figure;
    const auto curve = curveOf(figure);
    return curvesOn == EvaluatedPart::Test && curve ? finalMetric(curve) : kNoMetric;
}

double RunRecord::validationFigure(double HeldOutFigures::*figure) const {
    if (finalValidation) return (*finalValidation).*figure;
    const auto curve = curveOf(figure);
    return curvesOn == EvaluatedPart::Validation && curve ? finalMetric(curve) : kNoMetric;
}

double RunRecord::finalTrainRmse() const {
    return std::isfinite(trainRmse) ? trainRmse : finalMetric(&TrainingSnapshot::trainRmse);
}

QString RunRecord::curvePartName() const {
    return QString::fromLatin1(lens::evaluatedPartName(curvesOn));
}

QString RunRecord::label() const {
    QStringList parts;
    QString model = shortModelName(spec.modelKind);
    const QString k = spec.value(QStringLiteral("k")).isEmpty()
                          ? spec.value(QStringLiteral("factors"))
                          : spec.value(QStringLiteral("k"));
    if (!k.isEmpty()) model += QStringLiteral(" k %1").arg(k);
    parts << model << spec.splitAndSeedText();
    const double rmse = testFigure(&HeldOutFigures::rmse);
    const double hr = testFigure(&HeldOutFigures::hr10);
    if (std::isfinite(rmse)) parts << QStringLiteral("test RMSE %1").arg(rmse, 0, 'f', 3);
    if (std::isfinite(hr)) parts << QStringLiteral("HR@10 %1").arg(hr, 0, 'f', 3);
    if (spec.sweep) {
        parts << spec.sweepText();
        // Trials are never tested: their validation figure is what they were chosen by.
        const double v = validationFigure(&HeldOutFigures::rmse);
        const double vhr = validationFigure(&HeldOutFigures::hr10);
        if (!spec.sweep->final && std::isfinite(v))
            parts << QStringLiteral("validation RMSE %1").arg(v, 0, 'f', 3);
        else if (!spec.sweep->final && std::isfinite(vhr))
            parts << QStringLiteral("validation HR@10 %1").arg(vhr, 0, 'f', 3);
    }
    if (status != RunStatus::Completed) parts << runStatusName(status);
    return parts.join(QStringLiteral(" · "));
}

std::unique_ptr<lens::Recommender> RunSpec::createModel() const {
    std::unique_ptr<lens::Recommender> model = lens::createRecommender(modelKind.toStdString());
    // Twice: a later key may move an earlier one's default (NCF's objective moves lr, l2, ...);
    // the second pass sets what then differs.
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& [key, value] : hyperparameters) {
            const std::string k = key.toStdString(), v = value.toStdString();
            if (model->hyperparameter(k) != v) model->setHyperparameter(k, v);
        }
    return model;
}

lens::RunHistoryEntry RunRecord::toEntry() const {
    lens::RunHistoryEntry e;
    e.id = id.toStdString();
    e.modelKind = spec.modelKind.toStdString();
    for (const auto& [key, value] : spec.hyperparameters)
        e.hyperparameters.emplace_back(key.toStdString(), value.toStdString());
    e.split = spec.split;
    e.seed = spec.seed;
    e.modelDisplayName = modelDisplayName.toStdString();
    e.datasetName = datasetName.toStdString();
    e.status = status;
    if (started.isValid())
        e.started = lens::UtcMilliseconds{std::chrono::milliseconds{started.toMSecsSinceEpoch()}};
    e.durationSeconds = durationSeconds;
    e.history = history;
    e.modelFile = modelFile.toStdString();
    e.message = message.toStdString();
    e.curvesOn = curvesOn;
    e.validationRatings = validationRatings;
    e.finalValidation = finalValidation;
    e.finalTest = finalTest;
    e.trainRmse = trainRmse;
    e.perUserFile = perUserFile.toStdString();
    e.sweep = spec.sweep;
    e.budgetSeconds = spec.budgetSeconds;
    e.stopReason = stopReason;
    return e;
}

RunRecord RunRecord::fromEntry(const lens::RunHistoryEntry& e) {
    RunRecord r;
    r.id = text(e.id);
    r.spec.modelKind = text(e.modelKind);
    for (const auto& [key, value] : e.hyperparameters)
        r.spec.hyperparameters.append({text(key), text(value)});
    r.spec.split = e.split;
    r.spec.seed = e.seed;
    r.modelDisplayName = text(e.modelDisplayName);
    r.datasetName = text(e.datasetName);
    r.status = e.status;
    if (e.started)
        r.started = QDateTime::fromMSecsSinceEpoch(e.started->time_since_epoch().count(), Qt::UTC);
    r.durationSeconds = e.durationSeconds;
    r.history = e.history;
    r.modelFile = text(e.modelFile);
    r.message = text(e.message);
    r.curvesOn = e.curvesOn;
    r.validationRatings = e.validationRatings;
    r.finalValidation = e.finalValidation;
    r.finalTest = e.finalTest;
    r.trainRmse = e.trainRmse;
    r.perUserFile = text(e.perUserFile);
    r.spec.sweep = e.sweep;
    r.spec.budgetSeconds = e.budgetSeconds;
    r.stopReason = e.stopReason;
    return r;
}

QJsonObject RunRecord::toJson() const {
    const std::string json = lens::runHistoryEntryToJson(toEntry()).dump();
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::optional<RunRecord> RunRecord::fromJson(const QJsonObject& o, QString* error) {
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    std::string problem;
    const auto entry = lens::runHistoryEntryFromJson(
        nlohmann::json::parse(json.constData(), json.constData() + json.size(), nullptr, false),
        &problem);
    if (!entry) {
        if (error) *error = text(problem);
        return std::nullopt;
    }
    return fromEntry(*entry);
}

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("-");
    if (seconds < 60) return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : 1);
    const int total = static_cast<int>(std::lround(seconds));
    if (total < 3600)
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1 h %2 min")
        .arg(total / 3600)
        .arg((total / 60) % 60, 2, 10, QChar('0'));
}

}  // namespace lens::ui
