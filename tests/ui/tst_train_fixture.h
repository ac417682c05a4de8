#pragma once
// What the Train tests share: a small synthetic release (40,000 ratings) loaded through a
// DatasetController, a ModelLibrary, the application data folder in a private temporary home
// (emptied before each test), a fresh TrainPanel on them, ALS settings for short and long runs,
// and helpers that count chart points or make a finished run without training.
#include <QApplication>
#include <QDir>
#include <QFontInfo>
#include <QMap>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXYSeries>
#include <QtTest>
#include <cmath>
#include <memory>

#include "DatasetController.h"
#include "charts/ChartFigure.h"
#include "data/Dataset.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "models/RecommenderFactory.h"
#include "synth/SyntheticGenerator.h"
#include "train/HyperparameterForm.h"
#include "train/RunHistoryModel.h"
#include "train/TrainPanel.h"

namespace lens::test {

// Points of every XY series of a chart, by series name.
inline QMap<QString, int> pointCounts(const ui::ChartFigure* chart) {
    QMap<QString, int> counts;
    for (QAbstractSeries* s : chart->chart()->series())
        counts[s->name()] = static_cast<int>(static_cast<QXYSeries*>(s)->count());
    return counts;
}

inline int finiteCount(const std::vector<TrainingSnapshot>& history, double TrainingSnapshot::*m) {
    int n = 0;
    for (const auto& s : history) n += std::isfinite(s.*m);
    return n;
}

// A finished run for the history without training: the model's default hyper-parameters (as the
// form would send them), one iteration with the given final metrics.
inline ui::RunRecord finishedRun(const QString& id, const QString& kind, double testRmse,
                                 double hr10, int secondsAgo) {
    ui::RunRecord r;
    r.id = id;
    r.spec.modelKind = kind;
    for (const Hyperparameter& h : createRecommender(kind.toStdString())->hyperparameters())
        if (h.key != "seed")
            r.spec.hyperparameters.append(
                {QString::fromStdString(h.key), QString::fromStdString(h.value)});
    r.spec.seed = 42;
    r.spec.split = SplitSpec::parse("per-user:0.2", r.spec.seed);
    r.modelDisplayName = QString::fromStdString(findRecommender(kind.toStdString())->displayName);
    r.datasetName = QStringLiteral("fixture");
    r.status = ui::RunStatus::Completed;
    r.started = QDateTime::currentDateTimeUtc().addSecs(-secondsAgo);
    r.durationSeconds = 1.5;
    TrainingSnapshot s;
    s.iteration = s.totalIterations = 1;
    s.trainRmse = std::isfinite(testRmse) ? testRmse - 0.1 : kNoMetric;
    s.testRmse = testRmse;
    s.objective = 100.0;
    s.hr10 = hr10;
    s.ndcg10 = std::isfinite(hr10) ? hr10 / 2 : kNoMetric;
    r.history.push_back(s);
    return r;
}

inline int occurrences(const QString& text, const QString& word) {
    return static_cast<int>(text.count(word));
}

// Data rows for a test run once per registered model kind: column "kind", row = kind name.
inline void addModelKindRows() {
    QTest::addColumn<QString>("kind");
    for (const auto& d : recommenderRegistry())
        QTest::newRow(d.name.c_str()) << QString::fromStdString(d.name);
}

// ALS settings that take a while per run (for Stop and close tests).
inline void setLongAls(ui::TrainPanel& panel) {
    panel.setModelKind(QStringLiteral("als"));
    QVERIFY(panel.form()->setValue(QStringLiteral("k"), QStringLiteral("48")));
    QVERIFY(panel.form()->setValue(QStringLiteral("iterations"), QStringLiteral("1000")));
    QVERIFY(panel.form()->setValue(QStringLiteral("cg_steps"), QStringLiteral("0")));
}
inline void setShortAls(ui::TrainPanel& panel, int iterations) {
    panel.setModelKind(QStringLiteral("als"));
    QVERIFY(panel.form()->setValue(QStringLiteral("k"), QStringLiteral("8")));
    QVERIFY(panel.form()->setValue(QStringLiteral("iterations"), QString::number(iterations)));
}

// Members and set-up of a Train test class (derive from it beside QObject).
struct TrainFixture {
    QTemporaryDir home_;
    std::unique_ptr<ui::DatasetController> controller_;
    std::unique_ptr<ui::ModelLibrary> library_;
    std::shared_ptr<const Dataset> dataset_;

    // The Train stage's share of a 1280 x 800 main window (its stage list takes ~140 px, the
    // menu and status bars ~60 px).
    static constexpr QSize kLaptopStage{1280 - 140, 800 - 60};

    static QString runFolder() { return ui::TrainPanel::defaultRunFolder(); }

    // A fresh panel on the loaded dataset.
    std::unique_ptr<ui::TrainPanel> makePanel() {
        auto panel = std::make_unique<ui::TrainPanel>(controller_.get(), library_.get(), nullptr);
        panel->resize(1200, 800);
        return panel;
    }

    // For initTestCase(): a clean application data folder (test mode puts it under
    // $HOME/.qttest) named after the test, and the dataset loaded.
    void setUpFixture(const char* testName) {
        QVERIFY(home_.isValid());
        qputenv("HOME", home_.path().toLocal8Bit());
        qputenv("XDG_RUNTIME_DIR", home_.path().toLocal8Bit());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LensAtlasTest"));
        QCoreApplication::setApplicationName(QString::fromLatin1(testName));
        QVERIFY2(runFolder().startsWith(home_.path()), qPrintable(runFolder()));
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");

        SyntheticConfig config;
        config.ratings = 40'000;
        config.tags = false;
        dataset_ = std::make_shared<const Dataset>(generateSyntheticDataset(config));
        controller_ = std::make_unique<ui::DatasetController>();
        const Dataset copy = *dataset_;
        controller_->setLoadFunction(
            [copy](const std::filesystem::path&, const LoadOptions&) { return copy; });
        QSignalSpy changed(controller_.get(), &ui::DatasetController::datasetChanged);
        controller_->openPath(QStringLiteral("synthetic"));
        QVERIFY(changed.wait(30000));
        library_ = std::make_unique<ui::ModelLibrary>();
    }

    // For init(): no runs on disk, no models in the library.
    void emptyRunsAndLibrary() {
        QDir(runFolder()).removeRecursively();
        for (const auto& e : library_->entries()) library_->remove(e.id);
    }
};

}  // namespace lens::test
