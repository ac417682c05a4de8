#include "report/ReportStudy.h"

#include <QElapsedTimer>
#include <stdexcept>

#include "data/Split.h"
#include "io/PresetPersonas.h"
#include "models/RecommenderFactory.h"
#include "rank/PersonaStore.h"
#include "tuning/ValidatedTraining.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

QString describeHyperparameters(const Recommender& model) {
    QStringList parts;
    for (const Hyperparameter& h : model.hyperparameters()) {
        if (h.key == "seed") continue;
        parts << QStringLiteral("%1 %2").arg(QString::fromStdString(h.key),
                                             QString::fromStdString(h.value));
    }
    return parts.join(QStringLiteral(", "));
}

}  // namespace

QStringList personaAliases() {
    QStringList out;
    for (const auto& [alias, name] : presetPersonaAliases())
        out << QStringLiteral("%1 (%2)").arg(QString::fromStdString(alias),
                                             QString::fromStdString(name));
    return out;
}

QString resolvePersonaName(const QString& nameOrAlias) {
    return QString::fromStdString(resolvePresetPersonaName(nameOrAlias.toStdString()));
}

namespace {

// Every run's model on leave-one-out latest (reused when it was trained there), compared.
Comparison compareRuns(const Dataset& dataset, const std::vector<ReportModelRun>& runs,
                       const ReportOptions& options,
                       const std::function<void(double, const QString&)>& report) {
    const SplitSpec loo = SplitSpec::parse("loo", options.seed);
    const Split split = makeSplit(dataset, loo);
    const TrainData data = TrainData::build(dataset, split);
    std::vector<std::shared_ptr<Recommender>> keep;
    std::vector<ComparedModel> models;
    for (const ReportModelRun& run : runs) {
        std::shared_ptr<Recommender> model = run.model;
        if (run.split.kind != SplitKind::LeaveOneOutLatest || run.split.seed != loo.seed) {
            report(0.76, QStringLiteral("comparison: %1 on leave-one-out").arg(run.displayName));
            model = createRecommender(run.kind.toStdString());
            model->setHyperparameter("seed", std::to_string(options.seed));
            ValidatedTrainingOptions training;  // as the run itself was trained
            training.validation = ValidationSpec::forSplit(loo);
            training.rankingModel = findRecommender(run.kind.toStdString())->ranking;
            training.perUser = false;
            training.budget.seconds = options.budgetSeconds;
            trainValidated(*model, dataset, split, training);
        }
        keep.push_back(model);
        models.push_back({run.kind.toStdString(), model.get()});
    }
    ComparisonOptions compareOptions;
    compareOptions.bootstrap.seed = options.seed;
    compareOptions.perUser.seed = options.seed;
    compareOptions.perUser.maxUsers = kComparisonUserSample;
    compareOptions.demographics = dataset.demographics;
    report(0.78, QStringLiteral("comparison: scoring every test user"));
    return compareModels(data, models, compareOptions, [&](double f, const std::string& stage) {
        report(0.78 + 0.02 * f,
               QStringLiteral("comparison: %1").arg(QString::fromStdString(stage)));
        return true;
    });
}

}  // namespace

ReportStudy runReportStudy(std::shared_ptr<const Dataset> dataset, const ReportOptions& options,
                           const ReportProgress& progress) {
    if (!dataset) throw std::invalid_argument("no dataset");
    QElapsedTimer clock;
    clock.start();
    ReportStudy study;
    study.dataset = dataset;
    study.options = options;

    // Resolve everything first, so a typo fails before minutes of training.
    std::vector<const RecommenderDescriptor*> descriptors;
    for (const QString& name : options.models) {
        const RecommenderDescriptor* d = findRecommender(name.trimmed().toStdString());
        if (!d) throw std::invalid_argument("unknown model '" + name.toStdString() + "'");
        descriptors.push_back(d);
    }
    const QList<Persona> presets = PersonaStore::presets();
    QList<Persona> personas;
    for (const QString& alias : options.personas) {
        const QString name = resolvePersonaName(alias);
        const Persona* p = name.isEmpty() ? nullptr : PersonaStore::find(presets, name);
        if (!p) throw std::invalid_argument("unknown persona '" + alias.toStdString() + "'");
        personas << *p;
    }

    // Weights of the stages in the progress bar: statistics 5 %, training 75 %, lists 5 %, maps 15
    // %.
    const auto report = [&](double fraction, const QString& stage) {
        if (progress && !progress(std::clamp(fraction, 0.0, 1.0), stage)) throw Cancelled();
    };
    report(0.0, QStringLiteral("statistics"));
    study.eda = computeEda(*dataset, {}, [&](double f, const std::string&) {
        return !progress || progress(0.05 * f, QStringLiteral("statistics"));
    });
    if (progress && !progress(0.05, QStringLiteral("statistics"))) throw Cancelled();

    const double trainShare = 0.75 / std::max<std::size_t>(1, descriptors.size());
    for (std::size_t m = 0; m < descriptors.size(); ++m) {
        const RecommenderDescriptor* d = descriptors[m];
        ReportModelRun run;
        std::shared_ptr<Recommender> model = d->create();
        model->setHyperparameter("seed", std::to_string(options.seed));
        run.kind = QString::fromStdString(d->name);
        run.displayName = QString::fromStdString(model->displayName());
        run.split =
            SplitSpec::parse(model->predictsRatings() ? "per-user:0.2" : "loo", options.seed);
        const double base = 0.05 + trainShare * static_cast<double>(m);
        const QString stage = QStringLiteral("training %1").arg(run.displayName);
        report(base, stage);
        const Split split = makeSplit(*dataset, run.split);
        // Trained as `train` and the Train stage train (tuning/ValidatedTraining.h): on the
        // training part minus its validation part, the curves on validation, the test part
        // scored when the fit ends.
        ValidatedTrainingOptions training;
        training.validation = ValidationSpec::forSplit(run.split);
        training.rankingModel = d->ranking;
        training.perUser = false;
        training.budget.seconds = options.budgetSeconds;
        bool cancelled = false;
        training.control.observer = [&](const TrainingSnapshot& s) {
            const double f = s.totalIterations > 0 ? double(s.iteration) / s.totalIterations : 0.0;
            if (progress &&
                !progress(base + 0.9 * trainShare * f, QStringLiteral("%1: iteration %2/%3")
                                                           .arg(stage)
                                                           .arg(s.iteration)
                                                           .arg(s.totalIterations)))
                cancelled = true;
            return !cancelled;
        };
        const ValidatedTrainingResult result = trainValidated(*model, *dataset, split, training);
        run.status = result.status;
        run.stop = result.stop;
        // After the fit: defaults that follow the data (NCF's epochs) say what ran.
        run.hyperparameters = describeHyperparameters(*model);
        if (cancelled) throw Cancelled();
        run.trainCount = result.sizes.fit;
        run.validationCount = result.sizes.validation;
        run.testCount = result.sizes.test;
        report(base + 0.9 * trainShare, QStringLiteral("evaluating %1").arg(run.displayName));
        // The report's tables need the full evaluation record of the test part (the same figures
        // the driver's one test scoring gave).
        run.evaluation = evaluateModel(*model, TrainData::build(*dataset, split), d->ranking);
        run.model = std::move(model);
        study.runs.push_back(std::move(run));
    }

    if (study.runs.size() >= 2)
        study.comparison = compareRuns(*dataset, study.runs, options, report);

    report(0.80, QStringLiteral("personas"));
    for (std::size_t r = 0; r < study.runs.size(); ++r) {
        const TopNRanker ranker(*study.runs[r].model, *dataset);
        for (const Persona& persona : personas) {
            const ResolvedPersona resolved = PersonaStore::resolve(persona, *dataset);
            ReportPersonaList list;
            list.persona = persona.name;
            list.model = study.runs[r].kind;
            list.runIndex = static_cast<int>(r);
            list.missingText = resolved.missingText();
            RankConfig config;  // the shipped defaults
            list.list = ranker.rankPersona(resolved.ratings, config);
            list.popularity = ranker.popularity(resolved.ratings, config.filter);
            study.lists.push_back(std::move(list));
        }
    }

    // Maps from the first model with item factors (the bias baseline has none).
    for (std::size_t r = 0; r < study.runs.size(); ++r) {
        const Recommender& model = *study.runs[r].model;
        if (model.itemFactors().size() == 0) continue;
        report(0.85, QStringLiteral("maps of %1").arg(study.runs[r].displayName));
        ReportMap map;
        map.runIndex = static_cast<int>(r);
        std::vector<float> popularity(dataset->movieCount());
        for (std::size_t i = 0; i < popularity.size(); ++i)
            popularity[i] = static_cast<float>(dataset->byMovie.rowSize(i));
        GenreMapConfig config;
        config.source = defaultGenreSource(model);
        config.genreNames = dataset->genreVocabulary;
        map.genres = computeGenreMap(model, dataset->genres, popularity, config);
        ProjectionConfig pca;
        pca.method = ProjectionMethod::Pca;
        map.movies = projectTo2D(movieVectors(model), pca);
        study.map = std::move(map);
        break;
    }
    report(1.0, QStringLiteral("done"));
    study.seconds = clock.elapsed() / 1000.0;
    return study;
}

}  // namespace lens::ui
