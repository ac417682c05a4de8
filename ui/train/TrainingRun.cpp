#include "train/TrainingRun.h"

#include <QJsonArray>
#include <QJsonValue>
#include <cmath>
#include <stdexcept>

#include "models/RecommenderFactory.h"

namespace lens::ui {

namespace {

struct StatusName {
    RunStatus status;
    const char* name;
};
constexpr StatusName kStatusNames[] = {
    {RunStatus::Queued, "queued"},       {RunStatus::Running, "running"},
    {RunStatus::Completed, "completed"}, {RunStatus::Stopped, "stopped"},
    {RunStatus::Cancelled, "cancelled"}, {RunStatus::Failed, "failed"},
};

QJsonValue metricJson(double v) {
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

// Reads a metric: null or absent is NaN; anything else but a number is an error.
bool readMetric(const QJsonObject& o, const char* key, double* out) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        *out = kNoMetric;
        return true;
    }
    if (!v.isDouble()) return false;
    *out = v.toDouble();
    return true;
}

struct SnapshotField {
    const char* key;
    double TrainingSnapshot::*member;
};
constexpr SnapshotField kSnapshotFields[] = {
    {"seconds", &TrainingSnapshot::seconds},
    {"eval_seconds", &TrainingSnapshot::evalSeconds},
    {"elapsed", &TrainingSnapshot::elapsedSeconds},
    {"train_rmse", &TrainingSnapshot::trainRmse},
    {"test_rmse", &TrainingSnapshot::testRmse},
    {"test_mae", &TrainingSnapshot::testMae},
    {"objective", &TrainingSnapshot::objective},
    {"hr10", &TrainingSnapshot::hr10},
    {"ndcg10", &TrainingSnapshot::ndcg10},
};

// A value as errors quote it: at most `limit` characters, so a runaway field of a corrupt
// runs.json keeps the message short (tests/ui/tst_fuzz_regressions_ui: a million-character id).
QString shown(const QString& value, qsizetype limit = 64) {
    return value.size() <= limit ? value : value.left(limit) + QStringLiteral("…");
}

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
    for (const auto& s : kStatusNames)
        if (s.status == status) return QLatin1String(s.name);
    return QStringLiteral("unknown");
}

std::optional<RunStatus> runStatusFromName(const QString& name) {
    for (const auto& s : kStatusNames)
        if (name == QLatin1String(s.name)) return s.status;
    return std::nullopt;
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

double RunRecord::finalMetric(double TrainingSnapshot::*metric) const {
    for (auto it = history.rbegin(); it != history.rend(); ++it)
        if (std::isfinite((*it).*metric)) return (*it).*metric;
    return kNoMetric;
}

QString RunRecord::label() const {
    QStringList parts;
    QString model = shortModelName(spec.modelKind);
    const QString k = spec.value(QStringLiteral("k")).isEmpty()
                          ? spec.value(QStringLiteral("factors"))
                          : spec.value(QStringLiteral("k"));
    if (!k.isEmpty()) model += QStringLiteral(" k %1").arg(k);
    parts << model << spec.splitAndSeedText();
    const double rmse = finalMetric(&TrainingSnapshot::testRmse);
    const double hr = finalMetric(&TrainingSnapshot::hr10);
    if (std::isfinite(rmse)) parts << QStringLiteral("test RMSE %1").arg(rmse, 0, 'f', 3);
    if (std::isfinite(hr)) parts << QStringLiteral("HR@10 %1").arg(hr, 0, 'f', 3);
    if (status != RunStatus::Completed) parts << runStatusName(status);
    return parts.join(QStringLiteral(" · "));
}

QJsonObject RunRecord::toJson() const {
    QJsonObject o;
    o["id"] = id;
    o["model"] = spec.modelKind;
    o["model_display_name"] = modelDisplayName;
    QJsonArray hyper;
    for (const auto& [key, value] : spec.hyperparameters) hyper.append(QJsonArray{key, value});
    o["hyperparameters"] = hyper;
    o["split"] = QString::fromStdString(spec.split.text());
    o["seed"] = QString::number(spec.seed);
    o["dataset"] = datasetName;
    o["status"] = runStatusName(status);
    o["started"] = started.toString(Qt::ISODateWithMs);
    o["duration_seconds"] = durationSeconds;
    o["model_file"] = modelFile;
    o["message"] = message;
    QJsonArray h;
    for (const auto& s : history) {
        QJsonObject so;
        so["iteration"] = s.iteration;
        so["total"] = s.totalIterations;
        for (const auto& f : kSnapshotFields) so[QLatin1String(f.key)] = metricJson(s.*f.member);
        h.append(so);
    }
    o["history"] = h;
    return o;
}

std::optional<RunRecord> RunRecord::fromJson(const QJsonObject& o, QString* error) {
    auto fail = [&](const QString& problem) -> std::optional<RunRecord> {
        if (error) *error = problem;
        return std::nullopt;
    };
    auto string = [&](const char* key, QString* out) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString()) return false;
        *out = v.toString();
        return true;
    };
    RunRecord r;
    QString statusText, splitText, seedText, startedText;
    if (!string("id", &r.id) || r.id.isEmpty()) return fail(QStringLiteral("field 'id' missing"));
    if (!string("model", &r.spec.modelKind))
        return fail(QStringLiteral("run %1: field 'model' missing").arg(shown(r.id)));
    if (!findRecommender(r.spec.modelKind.toStdString()))
        return fail(
            QStringLiteral("run %1: unknown model '%2'").arg(shown(r.id), shown(r.spec.modelKind)));
    string("model_display_name", &r.modelDisplayName);
    if (r.modelDisplayName.isEmpty())
        r.modelDisplayName =
            QString::fromStdString(findRecommender(r.spec.modelKind.toStdString())->displayName);
    if (!string("status", &statusText) || !runStatusFromName(statusText))
        return fail(QStringLiteral("run %1: field 'status' missing or unknown").arg(shown(r.id)));
    r.status = *runStatusFromName(statusText);
    if (!string("seed", &seedText))
        return fail(QStringLiteral("run %1: field 'seed' missing").arg(shown(r.id)));
    bool ok = false;
    r.spec.seed = seedText.toULongLong(&ok);
    if (!ok) return fail(QStringLiteral("run %1: bad seed '%2'").arg(shown(r.id), shown(seedText)));
    if (!string("split", &splitText))
        return fail(QStringLiteral("run %1: field 'split' missing").arg(shown(r.id)));
    try {
        r.spec.split = SplitSpec::parse(splitText.toStdString(), r.spec.seed);
    } catch (const std::exception& e) {
        return fail(QStringLiteral("run %1: field 'split': %2")
                        .arg(shown(r.id), shown(QString::fromUtf8(e.what()), 300)));
    }
    const QJsonValue hyper = o.value(QLatin1String("hyperparameters"));
    if (!hyper.isArray())
        return fail(QStringLiteral("run %1: field 'hyperparameters' missing").arg(shown(r.id)));
    for (const QJsonValue& pair : hyper.toArray()) {
        const QJsonArray a = pair.toArray();
        if (a.size() != 2 || !a[0].isString() || !a[1].isString())
            return fail(QStringLiteral("run %1: bad hyper-parameter entry").arg(shown(r.id)));
        r.spec.hyperparameters.append({a[0].toString(), a[1].toString()});
    }
    string("dataset", &r.datasetName);
    if (string("started", &startedText))
        r.started = QDateTime::fromString(startedText, Qt::ISODateWithMs);
    const QJsonValue duration = o.value(QLatin1String("duration_seconds"));
    if (!duration.isDouble() || !(duration.toDouble() >= 0))
        return fail(QStringLiteral("run %1: field 'duration_seconds' missing or negative")
                        .arg(shown(r.id)));
    r.durationSeconds = duration.toDouble();
    string("model_file", &r.modelFile);
    string("message", &r.message);
    if (r.modelFile.contains('/') || r.modelFile.contains('\\') || r.modelFile.startsWith('.'))
        return fail(QStringLiteral("run %1: model file '%2' is not a plain file name")
                        .arg(shown(r.id), shown(r.modelFile)));
    const QJsonValue history = o.value(QLatin1String("history"));
    if (!history.isArray())
        return fail(QStringLiteral("run %1: field 'history' missing").arg(shown(r.id)));
    for (const QJsonValue& v : history.toArray()) {
        const QJsonObject so = v.toObject();
        TrainingSnapshot s;
        if (!so.value("iteration").isDouble() || !so.value("total").isDouble())
            return fail(QStringLiteral("run %1: history entry without iteration").arg(shown(r.id)));
        s.iteration = so.value("iteration").toInt();
        s.totalIterations = so.value("total").toInt();
        for (const auto& f : kSnapshotFields)
            if (!readMetric(so, f.key, &(s.*f.member)))
                return fail(QStringLiteral("run %1: history field '%2' is not a number")
                                .arg(shown(r.id), QLatin1String(f.key)));
        r.history.push_back(s);
    }
    return r;
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
