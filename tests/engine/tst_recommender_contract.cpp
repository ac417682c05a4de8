// One contract body run against every model in the RecommenderFactory registry (rows are
// generated from the registry, so new kinds such as the NCF models are covered when they are
// registered): fit, predictions finite and in range, the per-iteration evaluation the caller
// passes, save/load round trip, cancel mid-run, determinism across thread counts, corrupt and
// truncated files; and the layering rule that no model source includes evaluation code.
#include <omp.h>
#include <QDirIterator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "AlsTestSupport.h"
#include "eval/ModelEvaluation.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "util/Errors.h"

using namespace lens;
using lens::test::allScores;

namespace {

// A short run: 6 iterations (or epochs) whatever the model calls them.
std::unique_ptr<Recommender> quickModel(const std::string& kind) {
    auto model = createRecommender(kind);
    for (const auto& h : model->hyperparameters())
        if (h.key == "iterations" || h.key == "epochs" || h.key == "sweeps")
            model->setHyperparameter(h.key, "6");
    if (kind == "bpmf") model->setHyperparameter("burn_in", "2");
    return model;
}

std::vector<char> readBytes(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
void writeRawBytes(const QString& path, const std::vector<char>& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

class TestRecommenderContract : public QObject {
    Q_OBJECT

    TrainData data_ = test::plantedTrainData();

    void addRows() {
        QTest::addColumn<QString>("kind");
        for (const auto& d : recommenderRegistry())
            QTest::newRow(d.name.c_str()) << QString::fromStdString(d.name);
    }

private slots:
    void fitAndPredict_data() { addRows(); }
    void fitAndPredict() {
        QFETCH(QString, kind);
        auto model = quickModel(kind.toStdString());
        QCOMPARE(model->kind(), kind.toStdString());
        QCOMPARE(model->status(), FitStatus::Untrained);
        int calls = 0;
        FitControl control;
        control.evaluate = heldOutEvaluation(data_);
        control.observer = [&](const TrainingSnapshot& s) {
            ++calls;
            return s.iteration == calls && s.totalIterations == model->iterations() &&
                   s.seconds >= 0;
        };
        QCOMPARE(model->fit(data_, control), FitStatus::Completed);
        QCOMPARE(calls, model->iterations());
        QCOMPARE(model->history().size(), std::size_t(calls));
        QCOMPARE(model->userCount(), data_.userCount());
        QCOMPARE(model->itemCount(), data_.itemCount());
        for (std::uint32_t u = 0; u < data_.userCount(); u += 7) {
            for (std::uint32_t i = 0; i < data_.itemCount(); i += 5) {
                const float p = model->predict(u, i);
                QVERIFY(std::isfinite(p));
                if (model->predictsRatings()) QVERIFY(p >= kMinRating && p <= kMaxRating);
            }
        }
        const auto& last = model->history().back();
        if (model->predictsRatings()) {
            QVERIFY(TrainingSnapshot::hasMetric(last.testRmse));
            QVERIFY(last.testRmse < 1.2);  // the fixture's noise is 0.3; the mean alone gives ~1.0
        }
        QVERIFY(!model->hyperparameters().empty());
        // hasItemFactors says what itemFactors() holds without building it.
        const Eigen::MatrixXf items = model->itemFactors();
        QCOMPARE(model->hasItemFactors(), items.size() > 0);
        if (items.size() > 0) QCOMPARE(static_cast<std::size_t>(items.rows()), data_.itemCount());
        QVERIFY(!model->foldIn(std::vector<FoldInRating>{{1, 5.0f}, {2, 4.0f}}).ratings.empty());
    }

    // Held-out figures come only from the caller's FitControl::evaluate, which runs on the model
    // being fitted after each iteration and before the observer; what it writes is what the
    // observer and history() see, and its time is part of evalSeconds.
    void evaluationIsTheCallers_data() { addRows(); }
    void evaluationIsTheCallers() {
        QFETCH(QString, kind);
        auto model = quickModel(kind.toStdString());
        if (!model->hyperparameter("eval_every").empty())
            model->setHyperparameter("eval_every", "1");  // implicit ALS: evaluate every iteration
        auto heldOutAbsent = [](const TrainingSnapshot& s) {
            return !TrainingSnapshot::hasMetric(s.testRmse) &&
                   !TrainingSnapshot::hasMetric(s.testMae) &&
                   !TrainingSnapshot::hasMetric(s.hr10) && !TrainingSnapshot::hasMetric(s.ndcg10);
        };
        {  // without an evaluation the model reports no held-out figure
            QCOMPARE(model->fit(data_), FitStatus::Completed);
            for (const auto& s : model->history()) QVERIFY(heldOutAbsent(s));
        }
        std::vector<std::string> events;
        FitControl control;
        control.evaluate = [&](const Recommender& m, TrainingSnapshot& s) {
            QVERIFY(&m == model.get());
            QVERIFY(heldOutAbsent(s));
            events.push_back("evaluate " + std::to_string(s.iteration));
            s.testMae = 1000.0 + s.iteration;
            s.hr10 = 0.5;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        };
        control.observer = [&](const TrainingSnapshot& s) {
            events.push_back("observe " + std::to_string(s.iteration));
            return s.testMae == 1000.0 + s.iteration && s.hr10 == 0.5 && s.evalSeconds >= 0.002;
        };
        QCOMPARE(model->fit(data_, control), FitStatus::Completed);
        std::vector<std::string> expected;
        for (int it = 1; it <= model->iterations(); ++it) {
            expected.push_back("evaluate " + std::to_string(it));
            expected.push_back("observe " + std::to_string(it));
        }
        QCOMPARE(events, expected);
        for (const auto& s : model->history()) QCOMPARE(s.testMae, 1000.0 + s.iteration);
    }

    // Models sit below evaluation: no file of models/ or ncf/ includes eval/ or ranking/ (the
    // engine's CMakeLists.txt checks the same at configure time).
    void modelsDoNotIncludeEvaluation() {
        const QDir engine(QFileInfo(QStringLiteral(__FILE__))
                              .absoluteDir()
                              .filePath(QStringLiteral("../../engine")));
        const QRegularExpression include(
            QStringLiteral("^\\s*#\\s*include\\s*[\"<](eval|ranking)/"),
            QRegularExpression::MultilineOption);
        int files = 0;
        for (const char* folder : {"models", "ncf"}) {
            QVERIFY2(engine.exists(QString::fromLatin1(folder)), qPrintable(engine.path()));
            QDirIterator it(engine.filePath(QString::fromLatin1(folder)), QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QString text = QString::fromUtf8(file.readAll());
                const auto match = include.match(text);
                QVERIFY2(
                    !match.hasMatch(),
                    qPrintable(
                        QStringLiteral("%1 includes %2").arg(file.fileName(), match.captured(0))));
                ++files;
            }
        }
        QVERIFY(files > 10);
    }

    void saveLoadRoundTrip_data() { addRows(); }
    void saveLoadRoundTrip() {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        auto model = quickModel(kind.toStdString());
        model->setHyperparameter("seed", "1234");
        model->fit(data_);
        const QString file = dir.filePath("model.lmodel");
        saveModel(*model, file.toStdString());
        const auto loaded = loadModel(file.toStdString());
        QCOMPARE(loaded->kind(), model->kind());
        QCOMPARE(loaded->status(), FitStatus::Completed);
        QCOMPARE(loaded->seed(), std::uint64_t(1234));
        QCOMPARE(loaded->history().size(), model->history().size());
        QCOMPARE(loaded->userIds(), model->userIds());
        QCOMPARE(loaded->movieIds(), model->movieIds());
        const auto a = model->hyperparameters(), b = loaded->hyperparameters();
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) QCOMPARE(b[i].value, a[i].value);
        QVERIFY(allScores(*loaded) == allScores(*model));  // bit-identical
        QCOMPARE(loaded->hasItemFactors(), model->hasItemFactors());
        const ModelFileHeader header = readModelHeader(file.toStdString());
        QCOMPARE(header.kind, model->kind());
        QCOMPARE(header.users, data_.userCount());
        // No temporary file is left behind by the atomic write.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }

    void cancelMidRun_data() { addRows(); }
    void cancelMidRun() {
        QFETCH(QString, kind);
        {  // observer returns false after the second iteration (or the only one: EASE)
            auto model = quickModel(kind.toStdString());
            const int stopAfter = std::min(2, model->iterations());
            FitControl control;
            control.observer = [&](const TrainingSnapshot& s) { return s.iteration < stopAfter; };
            QCOMPARE(model->fit(data_, control), FitStatus::Stopped);
            QCOMPARE(model->history().size(), std::size_t(stopAfter));
            for (float s : allScores(*model)) QVERIFY(std::isfinite(s));
            QCOMPARE(std::string(fitStatusName(model->status())), std::string("stopped"));
        }
        {  // an atomic flag raised from another place during the first iteration's report
            auto model = quickModel(kind.toStdString());
            std::atomic<bool> cancel{false};
            FitControl control;
            control.cancelFlag = &cancel;
            control.observer = [&](const TrainingSnapshot&) {
                cancel = true;
                return true;
            };
            QCOMPARE(model->fit(data_, control), FitStatus::Stopped);
            QVERIFY(model->history().size() <= 1);
            for (float s : allScores(*model)) QVERIFY(std::isfinite(s));
        }
        {  // stop token requested before fit: stops at once, still a usable model
            auto model = quickModel(kind.toStdString());
            std::stop_source source;
            source.request_stop();
            FitControl control;
            control.stopToken = source.get_token();
            QCOMPARE(model->fit(data_, control), FitStatus::Stopped);
            QVERIFY(model->history().empty());
            std::vector<float> row(model->itemCount());
            model->scoreAll(0, row);
        }
    }

    void sameSeedSameModelAnyThreadCount_data() { addRows(); }
    void sameSeedSameModelAnyThreadCount() {
        QFETCH(QString, kind);
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        auto one = quickModel(kind.toStdString());
        one->fit(data_);
        omp_set_num_threads(2);
        auto two = quickModel(kind.toStdString());
        two->fit(data_);
        omp_set_num_threads(before);
        QVERIFY(allScores(*one) == allScores(*two));
        QCOMPARE(one->history().back().objective, two->history().back().objective);
        auto other = quickModel(kind.toStdString());
        other->setHyperparameter("seed", "99");
        other->fit(data_);
        // The seed matters, except for the deterministic models (closed-form updates / solution).
        if (kind != "bias" && kind != "ease" && kind != "item-knn")
            QVERIFY(allScores(*other) != allScores(*one));
    }

    void corruptFilesFailClearly_data() { addRows(); }
    void corruptFilesFailClearly() {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        auto model = quickModel(kind.toStdString());
        model->fit(data_);
        const QString file = dir.filePath("m.lmodel");
        saveModel(*model, file.toStdString());
        const std::vector<char> good = readBytes(file);
        auto expectError = [&](const std::vector<char>& bytes, const char* what,
                               const char* needle) {
            const QString bad = dir.filePath("bad.lmodel");
            writeRawBytes(bad, bytes);
            try {
                loadModel(bad.toStdString());
                QFAIL(qPrintable(QString("no error for %1").arg(what)));
            } catch (const DataError& e) {
                const QString msg = e.what();
                QVERIFY2(msg.contains("bad.lmodel"), qPrintable(msg));
                QVERIFY2(msg.contains(needle), qPrintable(QString("%1: %2").arg(what, msg)));
            }
        };
        std::vector<char> flipped = good;
        flipped[flipped.size() / 2] ^= 0x20;
        expectError(flipped, "flipped byte", "checksum");
        expectError(std::vector<char>(good.begin(),
                                      good.begin() + static_cast<std::ptrdiff_t>(good.size() - 9)),
                    "truncated", "truncated");
        expectError(std::vector<char>(good.begin(), good.begin() + 10), "truncated header",
                    "truncated");
        std::vector<char> foreign = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0,
                                     0,   0,   0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        expectError(foreign, "foreign", "not a Lens Atlas model file");
        expectError({}, "empty", "not a Lens Atlas model file");
        std::vector<char> newer = good;
        newer[8] = 99;
        expectError(newer, "newer version", "version 99");
        try {
            loadModel(dir.filePath("missing.lmodel").toStdString());
            QFAIL("no error for a missing file");
        } catch (const DataError& e) {
            QVERIFY(QString(e.what()).contains("missing.lmodel"));
        }
    }
};

QTEST_GUILESS_MAIN(TestRecommenderContract)
#include "tst_recommender_contract.moc"
