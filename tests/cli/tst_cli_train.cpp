// `lens-atlas train` end to end on a small synthetic release written by the test: iteration
// lines, JSON keys (absent metrics null), ranking metrics for the implicit model, --save, and
// exit codes for bad usage and bad data. Validation (#17): iteration lines show validation
// figures only, the test figure is printed once at the end, and both equal a recomputation
// from the saved model (the model fits on training minus validation).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"
#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "io/DatasetLoader.h"
#include "models/ModelFile.h"
#include "models/RatingErrors.h"
#include "models/TrainData.h"
#include "tuning/ValidationData.h"

class TestCliTrain : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_;

    using Result = lens::test::CliRun;
    Result run(const QStringList& args) {
        return lens::test::runLensAtlas(QStringList{"train"} + args, 120'000,
                                        lens::test::passiveOpenMpEnvironment());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 20000);
    }

    void explicitModelJson() {
        const Result r =
            run({release_, "--model", "als", "--k", "8", "--iterations", "3", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        for (const char* key : {"model", "k", "iterations", "train_rmse", "test_rmse", "hr10",
                                "ndcg10", "seconds_per_iteration"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["model"].toString(), QString("als"));
        QCOMPARE(o["k"].toInt(), 8);
        QCOMPARE(o["iterations"].toInt(), 3);
        QVERIFY(o["test_rmse"].toDouble() > 0.3 && o["test_rmse"].toDouble() < 2.0);
        QVERIFY(o["train_rmse"].toDouble() < o["test_rmse"].toDouble());
        QVERIFY(o["hr10"].isNull());  // a rating model on a holdout split has no ranking metrics
        QVERIFY(o["seconds_per_iteration"].toDouble() >= 0);
        QVERIFY(r.err.contains("iteration 3/3"));  // progress lines go to stderr with --json
    }

    void implicitModelRanks() {
        const Result r = run({release_, "--model", "als-implicit", "--split", "loo", "--k", "8",
                              "--iterations", "3", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["model"].toString(), QString("als-implicit"));
        QVERIFY(o["hr10"].isDouble());
        QVERIFY(o["hr10"].toDouble() > 0.1 && o["hr10"].toDouble() <= 1.0);
        QVERIFY(o["ndcg10"].toDouble() > 0.0 && o["ndcg10"].toDouble() <= o["hr10"].toDouble());
        QVERIFY(o["test_rmse"].isNull());
    }

    void rankingModelsDefaultToLeaveOneOut() {
        const Result r =
            run({release_, "--model", "als-implicit", "--k", "8", "--iterations", "2", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(o["split"].toString().contains("leave-one-out"),
                 qPrintable(o["split"].toString()));
        QVERIFY(o["hr10"].isDouble());
        const Result explicitRun =
            run({release_, "--model", "bias", "--iterations", "2", "--json"});
        QVERIFY2(explicitRun.exitCode == 0, explicitRun.err.constData());
        QVERIFY(QJsonDocument::fromJson(explicitRun.out)
                    .object()["split"]
                    .toString()
                    .contains("per-user"));
    }

    void textOutputAndSave() {
        const QString file = dir_.filePath("bias.lmodel");
        const Result r = run(
            {release_, "--model", "bias", "--iterations", "2", "--lambda", "5", "--save", file});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("iteration 1/2"));
        QVERIFY(r.out.contains("iteration 2/2"));
        QVERIFY(r.out.contains("test RMSE"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(8), QByteArray("LATLMODL"));
    }

    void validationPerIterationTestOnce() {
        const QString file = dir_.filePath("als-validated.lmodel");
        const Result text = run({release_, "--model", "als", "--k", "8", "--iterations", "3",
                                 "--seed", "5", "--save", file});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        const QList<QByteArray> lines = text.out.split('\n');
        QVERIFY2(
            lines.value(0).contains(" validation / ") && lines.value(0).contains(" test ratings"),
            lines.value(0).constData());
        int iterationLines = 0;
        for (const QByteArray& line : lines) {
            if (!line.startsWith("iteration ")) continue;
            ++iterationLines;
            QVERIFY2(line.contains("validation RMSE") && !line.contains("test"), line.constData());
        }
        QCOMPARE(iterationLines, 3);
        QCOMPARE(text.out.count("test RMSE"), 1);  // the final line only
        QVERIFY(text.out.contains("validation ("));

        const Result json = run(
            {release_, "--model", "als", "--k", "8", "--iterations", "3", "--seed", "5", "--json"});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(json.out).object();
        const QJsonObject ratings = o["ratings"].toObject();
        const double fit = ratings["train"].toDouble(), held = ratings["validation"].toDouble();
        QVERIFY(held > 0.08 * (fit + held) && held < 0.12 * (fit + held));  // 10 % per user
        const QJsonArray history = o["history"].toArray();
        QCOMPARE(history.size(), 3);
        const double validation = o["validation"].toObject()["rmse"].toDouble();
        QCOMPARE(history.last().toObject()["validation_rmse"].toDouble(), validation);
        QVERIFY(!history.last().toObject().contains("test_rmse"));

        // Recomputed from the saved model (same seed: the same model as the JSON run).
        const lens::Dataset dataset = lens::loadDataset(release_.toStdString());
        const auto model = lens::loadModel(file.toStdString());
        const lens::Split split =
            lens::makeSplit(dataset, lens::SplitSpec::parse("per-user:0.2", 5));
        const lens::TrainData full = lens::TrainData::build(dataset, split);
        QCOMPARE(ratings["test"].toDouble(), static_cast<double>(full.testCount()));
        QCOMPARE(fit + held, static_cast<double>(full.trainCount()));
        const auto predict = [&](std::uint32_t u, std::uint32_t i) {
            return model->predictRaw(u, i);
        };
        const double testRmse = lens::ratingErrors(full.test, predict).rmse;
        QVERIFY(std::abs(o["test_rmse"].toDouble() - testRmse) < 1e-9);
        const lens::TrainData validated =
            lens::validationTrainData(dataset, split, lens::ValidationSpec::forSplit(split.spec));
        QVERIFY(std::abs(validation - lens::ratingErrors(validated.test, predict).rmse) < 1e-9);
        QVERIFY(validation != o["test_rmse"].toDouble());
        // The model never saw the validation ratings: its train RMSE is over the fit part.
        QVERIFY(std::abs(o["train_rmse"].toDouble() -
                         lens::trainRatingErrors(validated, predict).rmse) < 1e-9);
    }

    void badUsageAndData() {
        QCOMPARE(run({release_, "--model", "nosuch"}).exitCode, 2);
        QCOMPARE(run({release_, "--model", "als", "--k", "0"}).exitCode, 2);
        QCOMPARE(run({release_, "--model", "als", "--split", "sideways"}).exitCode, 2);
        QCOMPARE(run({release_}).exitCode, 2);
        const Result missing = run({dir_.filePath("nothing-here"), "--model", "als"});
        QCOMPARE(missing.exitCode, 3);
        QVERIFY(missing.err.contains("nothing-here"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
