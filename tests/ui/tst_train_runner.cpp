// TrainingRunner and SavedModelLoader on their JobTrackers, without a panel: a run delivers its
// snapshots and outcome; stop() still delivers the partial model ("stopped"); a new dataset
// cancels the running job, whose late snapshots and outcome never arrive and whose model is not
// saved; shutdown() cancels, clears the queue and waits for the worker; a saved model is checked
// against the dataset given with the load, and a new dataset during a load supersedes it.
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/Recommender.h"
#include "models/RecommenderFactory.h"
#include "synth/SyntheticGenerator.h"
#include "train/SavedModelLoader.h"
#include "train/TrainingRunner.h"

using namespace lens;
using namespace lens::ui;

namespace {

RunSpec alsSpec(int iterations, int k) {
    RunSpec spec;
    spec.modelKind = QStringLiteral("als");
    spec.hyperparameters = {{QStringLiteral("k"), QString::number(k)},
                            {QStringLiteral("iterations"), QString::number(iterations)},
                            {QStringLiteral("cg_steps"), QStringLiteral("0")}};
    spec.seed = 42;
    spec.split = SplitSpec::parse("per-user:0.2", spec.seed);
    return spec;
}

std::shared_ptr<const Dataset> synthetic(std::size_t ratings, std::uint64_t seed) {
    SyntheticConfig config;
    config.ratings = ratings;
    config.tags = false;
    config.seed = seed;
    return std::make_shared<const Dataset>(generateSyntheticDataset(config));
}

TrainingRunner::Outcome outcomeAt(const QSignalSpy& spy, int i) {
    return spy.at(i).at(0).value<TrainingRunner::Outcome>();
}

}  // namespace

class TstTrainRunner : public QObject {
    Q_OBJECT
    QTemporaryDir models_;
    std::shared_ptr<const Dataset> dataset_, other_;

private slots:
    void initTestCase() {
        QVERIFY(models_.isValid());
        dataset_ = synthetic(40'000, 42);
        other_ = synthetic(20'000, 7);
    }

    // A spec carries every value the form shows; values equal to the model's own stay defaults
    // (NeuMF's epochs then follow the data), others are set, whatever their order.
    void specLeavesDefaultsFollowing() {
        RunSpec spec;
        spec.modelKind = QStringLiteral("neumf");
        auto form = createRecommender("neumf");
        for (const auto& h : form->hyperparameters())
            if (h.key != "seed")
                spec.hyperparameters.append(
                    {QString::fromStdString(h.key), QString::fromStdString(h.value)});
        QCOMPARE(spec.value(QStringLiteral("epochs")), QStringLiteral("20"));
        auto model = spec.createModel();
        QCOMPARE(model->iterationsFor(19'723'277), 8);  // the default, not "20 set"
        // A changed value is set; a value that only the later objective makes non-default is set
        // too (lr 0.003 is the implicit default, explicit's is 0.001).
        spec.hyperparameters = {{QStringLiteral("lr"), QStringLiteral("0.003")},
                                {QStringLiteral("epochs"), QStringLiteral("12")},
                                {QStringLiteral("objective"), QStringLiteral("explicit")}};
        model = spec.createModel();
        QCOMPARE(model->hyperparameter("objective"), std::string("explicit"));
        QCOMPARE(model->hyperparameter("lr"), std::string("0.003"));  // explicit default: 0.001
        QCOMPARE(model->iterationsFor(19'723'277), 12);
    }

    void runDeliversSnapshotsAndOutcome() {
        TrainingRunner runner;
        QCOMPARE(runner.enqueue(QStringLiteral("none"), alsSpec(3, 8)), quint64(0));  // no data
        runner.setDataset(dataset_);
        runner.setModelDirectory(models_.path());
        QSignalSpy snapshots(&runner, &TrainingRunner::snapshotReady);
        QSignalSpy finished(&runner, &TrainingRunner::jobFinished);
        QSignalSpy idle(&runner, &TrainingRunner::idle);
        const quint64 id = runner.enqueue(QStringLiteral("run-a"), alsSpec(3, 8));
        QVERIFY(id > 0);
        QVERIFY(runner.isRunning());
        QCOMPARE(runner.currentJobId(), id);
        QVERIFY(finished.wait(30000));
        const auto outcome = outcomeAt(finished, 0);
        QCOMPARE(outcome.jobId, id);
        QCOMPARE(outcome.status, RunStatus::Completed);
        QVERIFY(outcome.model);
        QCOMPARE(static_cast<int>(outcome.history.size()), 3);
        QCOMPARE(snapshots.count(), 3);
        QCOMPARE(snapshots.last().at(0).toULongLong(), id);
        QVERIFY(QFile::exists(outcome.modelPath));
        QVERIFY(!runner.isRunning());
        QVERIFY(idle.count() >= 1);
    }

    void stopStillDeliversThePartialModel() {
        TrainingRunner runner;
        runner.setDataset(dataset_);
        QSignalSpy snapshots(&runner, &TrainingRunner::snapshotReady);
        QSignalSpy finished(&runner, &TrainingRunner::jobFinished);
        runner.enqueue(QStringLiteral("long"), alsSpec(1000, 48));
        QVERIFY(snapshots.wait(30000));
        runner.stop();
        QVERIFY(finished.wait(30000));
        const auto outcome = outcomeAt(finished, 0);
        QCOMPARE(outcome.status, RunStatus::Stopped);
        QVERIFY(outcome.model);
        QCOMPARE(outcome.model->status(), FitStatus::Stopped);
        QVERIFY(outcome.history.size() >= 1 && outcome.history.size() < 1000);
        QCOMPARE(snapshots.count(), static_cast<int>(outcome.history.size()));
    }

    // The runner's one worker takes the next job only after the cancelled one has returned, so
    // anything the cancelled job sent would arrive before the next job's outcome.
    void newDatasetCancelsAndDrops() {
        TrainingRunner runner;
        runner.setDataset(dataset_);
        runner.setModelDirectory(models_.path());
        QSignalSpy snapshots(&runner, &TrainingRunner::snapshotReady);
        QSignalSpy finished(&runner, &TrainingRunner::jobFinished);
        QSignalSpy cleared(&runner, &TrainingRunner::queueCleared);
        const quint64 cancelled = runner.enqueue(QStringLiteral("cancelled"), alsSpec(1000, 48));
        runner.enqueue(QStringLiteral("queued"), alsSpec(3, 8));
        QVERIFY(snapshots.wait(30000));
        runner.setDataset(other_);
        QVERIFY(!runner.isRunning());
        QCOMPARE(cleared.count(), 1);
        QCOMPARE(cleared.first().at(0).toStringList(), QStringList{QStringLiteral("queued")});
        const int seen = snapshots.count();
        const quint64 next = runner.enqueue(QStringLiteral("next"), alsSpec(2, 8));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(outcomeAt(finished, 0).jobId, next);
        for (int i = seen; i < snapshots.count(); ++i)
            QCOMPARE(snapshots.at(i).at(0).toULongLong(), next);
        QVERIFY(cancelled != next);
        QVERIFY(!QFile::exists(QDir(models_.path()).filePath(QStringLiteral("cancelled.lamodel"))));
    }

    void shutdownCancelsAndWaits() {
        TrainingRunner runner;
        runner.setDataset(dataset_);
        QSignalSpy snapshots(&runner, &TrainingRunner::snapshotReady);
        QSignalSpy finished(&runner, &TrainingRunner::jobFinished);
        runner.enqueue(QStringLiteral("long"), alsSpec(1000, 48));
        runner.enqueue(QStringLiteral("queued"), alsSpec(3, 8));
        QVERIFY(snapshots.wait(30000));
        QVERIFY(runner.shutdown(-1));  // waits until the worker has returned
        QVERIFY(!runner.isRunning());
        QVERIFY(runner.queuedRunIds().isEmpty());
        QCOMPARE(runner.enqueue(QStringLiteral("after"), alsSpec(3, 8)), quint64(0));
        QCoreApplication::processEvents();  // the worker's last posts, if any, are dropped
        QCOMPARE(finished.count(), 0);
    }

    void loaderPairsWithTheCheckedDataset() {
        // A model to load: train and save one.
        TrainingRunner runner;
        runner.setDataset(dataset_);
        runner.setModelDirectory(models_.path());
        QSignalSpy finished(&runner, &TrainingRunner::jobFinished);
        runner.enqueue(QStringLiteral("saved"), alsSpec(2, 8));
        QVERIFY(finished.wait(30000));
        const QString path = outcomeAt(finished, 0).modelPath;
        QVERIFY(QFile::exists(path));

        SavedModelLoader loader;
        QSignalSpy loaded(&loader, &SavedModelLoader::finished);
        const QList<SavedModelLoader::Request> requests{
            {QStringLiteral("saved"), path},
            {QStringLiteral("missing"), models_.filePath(QStringLiteral("missing.lamodel"))}};
        loader.load(requests, dataset_);
        QVERIFY(loader.isLoading());
        QVERIFY(loaded.wait(30000));
        auto models = loaded.first().at(0).value<QList<SavedModelLoader::Loaded>>();
        QCOMPARE(models.size(), 2);
        QVERIFY(models[0].model);
        QCOMPARE(models[0].dataset, dataset_);  // matches: paired with it
        QVERIFY(!models[1].model);
        QVERIFY(!models[1].error.isEmpty());

        // A new dataset during the load supersedes it: one delivery, checked against `other_`.
        loaded.clear();
        loader.load(requests, dataset_);
        loader.setDataset(other_);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.count(), 1);
        models = loaded.first().at(0).value<QList<SavedModelLoader::Loaded>>();
        QVERIFY(models[0].model);
        QVERIFY(!models[0].dataset);  // trained on another release
        QVERIFY(!loader.isLoading());
        loader.setDataset(dataset_);  // idle: nothing starts
        QVERIFY(!loader.isLoading());
    }
};

QTEST_MAIN(TstTrainRunner)
#include "tst_train_runner.moc"
