#pragma once
// The computations behind a report, without widgets (so they run in a worker thread): the
// dataset's statistics, the chosen models trained with their defaults on their split, the
// personas' top-10 lists from every model, and the genre and movie maps of the first model with
// factors. ReportBuilder turns a ReportStudy into figures and a ReportDocument on the GUI thread.
//
// Split protocol per model: rating models on the per-user 80/20 holdout, ranking models (an
// implicit objective) on leave-one-out latest, both with the report's seed, so every figure and
// metric of the report is reproducible from the seed.
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "data/Dataset.h"
#include "eval/ModelComparison.h"
#include "eval/ModelEvaluation.h"
#include "models/Recommender.h"
#include "models/TrainData.h"
#include "projection/MapEmbeddings.h"
#include "ranking/TopNRanker.h"
#include "stats/Eda.h"
#include "tuning/TrainingBudget.h"

namespace lens::ui {

struct ReportOptions {
    QStringList models{QStringLiteral("als"), QStringLiteral("neumf")};
    QStringList personas{QStringLiteral("lotr"), QStringLiteral("toy-story")};
    std::uint64_t seed = 42;
    // Training budget per model (tuning/TrainingBudget.h; 0: none): each model's fit stops at
    // the end of the iteration that uses it up (the comparison's retraining too).
    double budgetSeconds = 0.0;
};

struct ReportModelRun {
    std::shared_ptr<Recommender> model;
    QString kind;             // registry name
    QString displayName;      // "Biased MF (ALS)"
    QString hyperparameters;  // "k 32, lambda 0.15, ..."
    SplitSpec split;
    std::size_t trainCount = 0, validationCount = 0, testCount = 0;  // ratings of each part
    ModelEvaluation evaluation;
    FitStatus status = FitStatus::Untrained;
    TrainingStop stop;  // why its fit ended ("stopped: budget of 10m used after epoch 4 of 20")
};

struct ReportPersonaList {
    QString persona;        // display name
    QString model;          // kind of the run
    int runIndex = 0;       // into ReportStudy::runs
    RankResult list;        // the shipped defaults (study's variant, min 100 ratings)
    RankResult popularity;  // most-rated movies under the same filters
    QString missingText;    // movies of the persona the release does not hold
};

struct ReportMap {
    int runIndex = -1;  // the model the maps come from
    GenreMap genres;
    Projection2D movies;  // PCA of every movie vector
};

struct ReportStudy {
    std::shared_ptr<const Dataset> dataset;
    ReportOptions options;
    EdaReport eda;
    std::vector<ReportModelRun> runs;
    std::vector<ReportPersonaList> lists;
    std::optional<ReportMap> map;
    // With two or more models: every model on leave-one-out latest (the report's seed; rating
    // models retrained there with their defaults), scored user by user with bootstrap CIs and
    // paired tests (eval/ModelComparison.h). Large releases score a seeded sample of
    // kComparisonUserSample test users (the comparison says how many).
    std::optional<Comparison> comparison;
    double seconds = 0.0;
};

inline constexpr std::size_t kComparisonUserSample = 10'000;

// Progress of the whole study: fraction 0..1 and what is being done; return false to cancel.
using ReportProgress = std::function<bool(double fraction, const QString& stage)>;

// Resolves a persona name given on the command line: a preset's name (case-insensitive), its
// slug ("toy-story-fan") or a short alias ("lotr", "toy-story"). Empty when unknown.
QString resolvePersonaName(const QString& nameOrAlias);
// Short aliases → preset names, for usage messages.
QStringList personaAliases();

// Runs the study. Throws lens::Cancelled when progress returns false, std::invalid_argument for
// an unknown model or persona, lens::DataError for data problems.
ReportStudy runReportStudy(std::shared_ptr<const Dataset> dataset, const ReportOptions& options,
                           const ReportProgress& progress = {});

}  // namespace lens::ui
