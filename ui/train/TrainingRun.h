#pragma once
// What one training run of the Train panel is, as plain values: the request (RunSpec: model kind,
// hyper-parameters, split protocol, seed) and the record kept in the run history (RunRecord: the
// request plus status, per-iteration snapshots, duration, saved model file, error text).
//
// The Qt face of the engine's run history entry (engine/io/RunHistoryFile.h: the file format,
// the strict reading of an entry and its messages); toEntry()/fromEntry() convert.
//
// Runs train by the validation protocol (tuning/ValidatedTraining.h): the held-out figures of the
// history are validation figures (curvesOn) and the test part is scored once when the run ends
// (finalTest). testFigure() is that final test figure; for runs recorded before validation, whose
// curves were measured on the test part, it is the last finite value of the curve
// (lens::lastFiniteMetric: ranking metrics may be computed only every few iterations, so "last
// snapshot" would often be NaN).
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

#include "data/Split.h"
#include "io/RunHistoryFile.h"
#include "models/Recommender.h"
#include "tuning/ValidatedTraining.h"

namespace lens::ui {

using RunStatus = lens::RunStatus;

QString runStatusName(RunStatus status);  // "queued", "running", "completed", ...
std::optional<RunStatus> runStatusFromName(const QString& name);

using HyperparameterValues = QList<QPair<QString, QString>>;  // key, value (form order)

struct RunSpec {
    QString modelKind;                     // RecommenderFactory name: "bias", "als", ...
    HyperparameterValues hyperparameters;  // the model's keys except "seed"
    lens::SplitSpec split;                 // split.seed == seed
    quint64 seed = 42;                     // model seed and split seed
    // A sweep's trial or final run (Train > Sweep…, SweepSession): how the runner trains it
    // (TrainingRunner) and what the history shows; absent for ordinary runs.
    std::optional<lens::SweepMembership> sweep;
    // Training budget in seconds (tuning/TrainingBudget.h; 0: none): the fit stops at the end of
    // the iteration that uses it up. Sweep runs ignore it.
    double budgetSeconds = 0.0;

    QString hyperparameterText() const;  // "k 10, lambda 0.1, iterations 20"
    QString splitText() const;           // SplitSpec::describe()
    // True when splitText() already names the model seed: the random splits (per-user holdout,
    // global random) describe themselves with "(seed N)" and N == seed.
    bool splitTextShowsSeed() const;
    // The split and, only where splitText() does not already say it, the model seed:
    // "per-user holdout 20% (seed 42)", "leave-one-out latest per user · model seed 42",
    // "per-user holdout 20% (seed 7) · model seed 42".
    QString splitAndSeedText() const;
    QString value(const QString& key) const;  // "" when absent
    // A fresh model of modelKind with these hyper-parameters (not the seed). A value equal to the
    // model's own at that point is left as its default, so that defaults which follow the data
    // (NCF's epochs on large data) or the objective keep following them: the form sends every
    // value it shows. Throws std::invalid_argument on an unknown kind or a bad value.
    std::unique_ptr<lens::Recommender> createModel() const;
    // "sweep 3, trial 2/12", "sweep 3, best (trial 2/12) retrained"; empty for ordinary runs.
    QString sweepText() const;
};

struct RunRecord {
    QString id;  // unique, sortable: "20261127-032233-1"
    RunSpec spec;
    QString modelDisplayName;  // "Biased MF (ALS)"
    QString datasetName;
    RunStatus status = RunStatus::Queued;
    QDateTime started;  // UTC
    double durationSeconds = 0.0;
    std::vector<lens::TrainingSnapshot> history;
    QString modelFile;  // file name inside the runs folder; empty when no model was saved
    QString message;    // error or note ("stopped after 3 of 20 iterations")
    // Validation (absent in runs recorded before it: curves on the test part, no final figures).
    lens::EvaluatedPart curvesOn = lens::EvaluatedPart::Test;
    std::size_t validationRatings = 0;
    std::optional<lens::HeldOutFigures> finalValidation, finalTest;
    double trainRmse = lens::kNoMetric;  // the final model on the ratings it was fitted on
    QString perUserFile;                 // file name inside the runs folder; empty when none
    // Why the fit ended (completed, budget, request, early stop); absent in older runs.
    std::optional<lens::StopReason> stopReason;

    int finishedIterations() const { return static_cast<int>(history.size()); }
    int totalIterations() const { return history.empty() ? 0 : history.back().totalIterations; }
    // Last finite value of a metric in the history (NaN when none).
    double finalMetric(double lens::TrainingSnapshot::*metric) const;
    // The run's test figure (see above): finalTest's `figure`; without one, the curve's last
    // value when the curves were measured on the test part; NaN otherwise.
    double testFigure(double lens::HeldOutFigures::*figure) const;
    // The final model's validation figure: finalValidation's, else the curve's last value when
    // the curves were on validation; NaN otherwise.
    double validationFigure(double lens::HeldOutFigures::*figure) const;
    double finalTrainRmse() const;  // trainRmse, else the history's last train RMSE
    // "validation" or "test": what the held-out curves show.
    QString curvePartName() const;
    // Short text for lists and the model library: "ALS k 32 · per-user holdout 20% (seed 42) ·
    // test RMSE 0.851" (the seed named once: see RunSpec::splitAndSeedText(); the test figure as
    // testFigure()); a sweep's runs add RunSpec::sweepText() and trials their validation figure.
    QString label() const;

    // The entry of the run history file, and back.
    lens::RunHistoryEntry toEntry() const;
    static RunRecord fromEntry(const lens::RunHistoryEntry& entry);

    QJsonObject toJson() const;  // the entry as the run history file writes it
    // Throws nothing: returns nullopt and sets *error ("field 'status': ...") for a bad record.
    static std::optional<RunRecord> fromJson(const QJsonObject& object, QString* error);
};

// Human "1.2 s", "3 min 04 s".
QString formatDuration(double seconds);

}  // namespace lens::ui
