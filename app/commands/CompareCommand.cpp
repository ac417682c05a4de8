// `lens-atlas compare PATH (--models bias,als,... | --runs FILE,...) [--split S] [--seed N]
//  [--bootstrap B] [--max-users N] [--threads T] [--json]`: is model A really better than
// model B? Trains each named model kind with its defaults on one split as `train` does (on the
// training part minus its validation part; or loads saved models
// that share a split), scores every test user (eval/PerUserMetrics.h) and prints each metric's
// mean with a bootstrap CI, every pair's paired t and Wilcoxon tests with Holm's correction,
// segments (activity, popularity and, where the release has a user file, gender, age group and
// occupation), beyond-accuracy figures and the pairs the two ranking protocols order differently
// (eval/ModelComparison.h; JSON keys in eval/ComparisonJson.h and the README).
// Saved runs of the Train stage keep their per-user metrics (<run>.peruser, named by runs.json
// beside the model file): where they fit, those columns are taken as stored, not recomputed,
// and each model says where its per-user metrics came from.
#include <omp.h>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "data/Split.h"
#include "eval/ComparisonJson.h"
#include "eval/ModelComparison.h"
#include "eval/Segments.h"
#include "io/JsonFile.h"
#include "io/RunHistoryFile.h"
#include "models/ImportedFactors.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "tuning/ValidatedTraining.h"
#include "util/Errors.h"

namespace {

using lens::app::figureText;

constexpr const char* kCompareUsage =
    "compare PATH (--models bias,als,als-genre,... | --runs FILE,FILE,...) "
    "[--split per-user:0.2|random:0.2|loo|time:T|ml100k:u1] [--seed S] [--bootstrap B] "
    "[--max-users N] [--threads T] [--json]";

int compareUsageError(const QString& message) {
    return lens::app::usageError(message, kCompareUsage);
}

QString pValue(double p) {
    if (std::isnan(p)) return QStringLiteral("-");
    return p < 1e-4 ? QStringLiteral("<1e-4") : QString::number(p, 'f', 4);
}

// A saved model's stored per-user metrics: the run history entry that names the model file in
// runs.json beside it says which file holds them and on which split they were measured.
void attachStored(lens::ComparedModel& model, const QString& modelFile) {
    const QFileInfo info(modelFile);
    const std::filesystem::path index =
        QFile::encodeName(info.dir().filePath(QStringLiteral("runs.json"))).toStdString();
    std::error_code ec;
    if (!std::filesystem::exists(index, ec)) {
        model.storedProblem = "no runs.json beside the model file names its per-user metrics";
        return;
    }
    lens::RunHistoryContents contents;
    try {
        contents = lens::parseRunHistory(lens::readWholeFile(index), "runs.json");
    } catch (const std::exception& e) {
        model.storedProblem = e.what();
        return;
    }
    const std::string name = QFile::encodeName(info.fileName()).toStdString();
    for (const lens::RunHistoryEntry& entry : contents.runs) {
        if (entry.modelFile != name) continue;
        if (entry.perUserFile.empty()) {
            model.storedProblem = "run " + entry.id + " has no per-user metrics file";
            return;
        }
        lens::attachStoredPerUser(model, index.parent_path() / entry.perUserFile, entry.split);
        return;
    }
    model.storedProblem = contents.unusable ? "runs.json: " + *contents.unusable
                                            : "runs.json has no run with the model file " + name;
}

// "stored: rmse, mae; computed: hr_sampled, ... (not stored)" or "computed: <why>".
QString perUserSource(const lens::ModelResult& m) {
    if (!m.perUserStored())
        return QStringLiteral("computed: %1").arg(QString::fromStdString(m.perUserNote));
    QStringList stored, computed;
    for (const auto& column : m.perUser.columns) {
        const bool fromFile = std::find(m.storedColumns.begin(), m.storedColumns.end(),
                                        column.name) != m.storedColumns.end();
        (fromFile ? stored : computed) << QString::fromStdString(column.name);
    }
    QString text = QStringLiteral("stored: %1").arg(stored.join(QStringLiteral(", ")));
    if (!computed.isEmpty())
        text +=
            QStringLiteral("; computed: %1 (not stored)").arg(computed.join(QStringLiteral(", ")));
    return text;
}

void printText(QTextStream& out, const lens::Comparison& c) {
    out << QStringLiteral("%1, %2: %3 of %4 test users scored; %5 bootstrap resamples, %6 % CI\n")
               .arg(QString::fromStdString(c.datasetName), QString::fromStdString(c.split))
               .arg(c.usersScored)
               .arg(c.usersWithTests)
               .arg(c.resamples)
               .arg(c.confidence * 100, 0, 'f', 0);
    for (const auto& m : c.models) {
        out << '\n'
            << QString::fromStdString(m.name) << " (" << QString::fromStdString(m.displayName)
            << ")\n";
        out << QStringLiteral("  per-user metrics %1\n").arg(perUserSource(m));
        for (const auto& e : m.metrics)
            out << QStringLiteral("  %1 %2  [%3, %4]\n")
                       .arg(QString::fromStdString(e.metric).leftJustified(15))
                       .arg(figureText(e.ci.estimate), figureText(e.ci.lower),
                            figureText(e.ci.upper));
        for (const auto& e : m.beyond.perUser)
            out << QStringLiteral("  %1 %2  [%3, %4]\n")
                       .arg(QString::fromStdString(e.metric).leftJustified(15))
                       .arg(figureText(e.ci.estimate), figureText(e.ci.lower),
                            figureText(e.ci.upper));
        if (!m.beyond.perUser.empty())
            out << QStringLiteral("  coverage      %1 (%2 of %3 movies), exposure Gini %4\n")
                       .arg(figureText(m.beyond.coverage))
                       .arg(m.beyond.distinctItems)
                       .arg(m.beyond.catalogueSize)
                       .arg(figureText(m.beyond.exposureGini));
    }
    if (!c.pairs.empty()) {
        out << "\npairs (a - b; paired t CI; p: paired t, Wilcoxon, Holm-adjusted t)\n";
        for (const auto& p : c.pairs)
            out << QStringLiteral("  %1 vs %2  %3 %4 [%5, %6]  p %7 / %8 / %9\n")
                       .arg(QString::fromStdString(p.a), QString::fromStdString(p.b),
                            QString::fromStdString(p.metric).leftJustified(15),
                            figureText(p.meanDifference), figureText(p.ciLower),
                            figureText(p.ciUpper), pValue(p.pT), pValue(p.pWilcoxon),
                            pValue(p.pHolm));
    }
    bool segmentsHeader = false;
    for (const auto& m : c.models)
        for (const auto& s : m.segments) {
            if (!segmentsHeader) {
                out << "\nsegments (mean of the segment's users or test cases [bootstrap CI], "
                       "n; * fewer than "
                    << lens::kSmallSegmentUnits << ")\n";
                segmentsHeader = true;
            }
            out << QStringLiteral("  %1 %2 %3 %4 %5  [%6, %7]  n %8%9\n")
                       .arg(QString::fromStdString(m.name),
                            QString::fromStdString(s.dimension).leftJustified(10),
                            QString::fromStdString(s.segment).leftJustified(22),
                            QString::fromStdString(s.metric).leftJustified(9),
                            figureText(s.ci.estimate), figureText(s.ci.lower),
                            figureText(s.ci.upper))
                       .arg(s.units)
                       .arg(s.units < lens::kSmallSegmentUnits ? QStringLiteral(" *") : QString());
        }
    for (const auto& d : c.disagreements)
        out << QStringLiteral("protocols disagree: %1 vs %2 by %3 %4, by %5 %6\n")
                   .arg(QString::fromStdString(d.a), QString::fromStdString(d.b),
                        QString::fromStdString(d.sampledMetric), figureText(d.sampledDifference),
                        QString::fromStdString(d.fullMetric), figureText(d.fullDifference));
}

int runCompare(const QStringList& args) {
    QString path, splitText;
    QStringList modelNames, runFiles;
    bool json = false;
    int threads = 0;
    std::uint64_t seed = 42;
    lens::ComparisonOptions options;
    QStringList given;
    using lens::app::OptionVerdict;
    const int parsed = lens::app::parseCommandArguments(
        args, kCompareUsage, {"--json"}, &given, &path,
        [&](const QString& a, const QString& v, QString&) {
            bool ok = true;
            if (a == "--models")
                modelNames = v.split(',', Qt::SkipEmptyParts);
            else if (a == "--runs")
                runFiles = v.split(',', Qt::SkipEmptyParts);
            else if (a == "--split")
                splitText = v;
            else if (a == "--seed")
                seed = v.toULongLong(&ok);
            else if (a == "--bootstrap") {
                options.bootstrap.resamples = v.toInt(&ok);
                ok = ok && options.bootstrap.resamples >= 1 &&
                     options.bootstrap.resamples <= 1'000'000;
            } else if (a == "--max-users")
                options.perUser.maxUsers = v.toULongLong(&ok);
            else if (a == "--threads") {
                threads = v.toInt(&ok);
                ok = ok && threads >= 1 && threads <= 1024;
            } else
                return OptionVerdict::Unknown;
            return ok ? OptionVerdict::Taken : OptionVerdict::BadValue;
        });
    if (parsed != lens::app::kOk) return parsed;
    json = given.contains("--json");
    if (modelNames.isEmpty() == runFiles.isEmpty())
        return compareUsageError(QStringLiteral("give either --models or --runs"));
    if (!runFiles.isEmpty() && !splitText.isEmpty())
        return compareUsageError(
            QStringLiteral("--split goes with --models (saved runs keep theirs)"));
    for (const QString& name : modelNames)
        if (!lens::findRecommender(name.toStdString()))
            return compareUsageError(QStringLiteral("unknown model '%1'").arg(name));
    if (threads > 0) omp_set_num_threads(threads);
    options.bootstrap.seed = seed;
    options.perUser.seed = seed;

    QTextStream out(stdout), err(stderr);
    return lens::app::runWithExitCodes(kCompareUsage, [&] {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        // Implicit feedback has no ratings for a rating model to fit (a usage error, exit 2).
        for (const QString& name : modelNames)
            if (const std::string refusal = lens::ratingModelRefusal(
                    name.toStdString(), !lens::findRecommender(name.toStdString())->ranking,
                    dataset.scale, dataset.name);
                !refusal.empty())
                throw std::invalid_argument(refusal);
        std::vector<std::unique_ptr<lens::Recommender>> models;
        std::vector<QString> names;
        std::vector<lens::ComparedModel> compared;  // names and stored per-user metrics
        lens::SplitSpec spec;
        if (!runFiles.isEmpty()) {
            for (const QString& file : runFiles) {
                auto model = lens::loadModel(QFile::encodeName(file).toStdString());
                lens::checkModelMatchesDataset(*model, dataset, file.toStdString());
                // Factors trained elsewhere may have seen every rating: compared only when the
                // import said which split's training part they were fitted on.
                if (const auto* imported = dynamic_cast<const lens::ImportedFactors*>(model.get());
                    imported && !imported->splitKnown())
                    throw lens::DataError(file.toStdString(), 0,
                                          "imported factors with an unknown split cannot be "
                                          "compared on a test part (import them with --split)");
                if (!models.empty() && (model->splitSpec().text() != spec.text() ||
                                        model->splitSpec().seed != spec.seed))
                    throw std::invalid_argument(
                        QStringLiteral("%1 was trained on %2, the first run on %3: runs compare "
                                       "only on the same split and seed")
                            .arg(file, QString::fromStdString(model->splitSpec().describe()),
                                 QString::fromStdString(spec.describe()))
                            .toStdString());
                spec = model->splitSpec();
                names.push_back(QFileInfo(file).completeBaseName());
                lens::ComparedModel entry;
                attachStored(entry, file);
                compared.push_back(std::move(entry));
                models.push_back(std::move(model));
            }
        } else {
            // One split for all: per-user 80/20 when every model predicts ratings, else
            // leave-one-out latest (the ranking protocol).
            bool allRating = true;
            for (const QString& name : modelNames)
                allRating = allRating && !lens::findRecommender(name.toStdString())->ranking;
            if (splitText.isEmpty())
                splitText = allRating ? QStringLiteral("per-user:0.2") : QStringLiteral("loo");
            spec = lens::SplitSpec::parse(splitText.toStdString(), seed);
        }
        const lens::Split split = lens::makeSplit(dataset, spec);
        const lens::TrainData data = lens::TrainData::build(dataset, split);
        options.demographics = dataset.demographics;  // gender, age, occupation segments
        QTextStream& log = json ? err : out;
        for (const QString& name : modelNames) {
            auto model = lens::createRecommender(name.toStdString());
            model->setHyperparameter("seed", std::to_string(seed));
            log << QStringLiteral("training %1 on %2\n")
                       .arg(name, QString::fromStdString(spec.describe()));
            log.flush();
            // Trained as `train` and the Train stage train (tuning/ValidatedTraining.h): on the
            // training part minus its validation part, so a compared model is the run `train`
            // would give for the same model, split and seed.
            lens::ValidatedTrainingOptions training;
            training.validation = lens::ValidationSpec::forSplit(spec);
            training.rankingModel = lens::findRecommender(name.toStdString())->ranking;
            training.perUser = false;  // compareModels computes them on the split
            lens::trainValidated(*model, dataset, split, training);
            names.push_back(name);
            lens::ComparedModel entry;
            entry.storedProblem = "trained by this command";
            compared.push_back(std::move(entry));
            models.push_back(std::move(model));
        }
        for (std::size_t i = 0; i < models.size(); ++i) {
            compared[i].name = names[i].toStdString();
            compared[i].model = models[i].get();
        }
        const lens::Comparison comparison = lens::compareModels(data, compared, options);
        if (json)
            out << QString::fromStdString(lens::comparisonToJson(comparison).dump(2)) << '\n';
        else
            printText(out, comparison);
        return lens::app::kOk;
    });
}

}  // namespace

LENS_ATLAS_COMMAND("compare",
                   "is model A really better than B? metrics with bootstrap CIs, paired tests, "
                   "segments, beyond-accuracy",
                   kCompareUsage, false, runCompare);
