// The Compare stage: runs of the Train history on the same split are compared in the background
// and the tables show exactly what lens::compareModels gives; incompatible runs are refused with
// the reason; cancel and closing mid-comparison leave everything usable; the charts render, the
// demographic ones only for a release with user demographics.
// Real ALS models trained on the synthetic demo dataset and saved to temporary files.
#include <QAbstractBarSeries>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QFontInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXYSeries>
#include <QtTest>
#include <cmath>
#include <memory>

#include "DatasetController.h"
#include "UiTestSetup.h"
#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "compare/CompareFigures.h"
#include "compare/ComparePanel.h"
#include "compare/CompareRunPicker.h"
#include "compare/ComparisonTableModel.h"
#include "data/Split.h"
#include "eval/Segments.h"
#include "io/DatasetLoader.h"
#include "models/AlsModel.h"
#include "models/ModelFile.h"
#include "models/ModelLibrary.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"
#include "train/RunHistoryModel.h"

using namespace lens;
using namespace lens::ui;

namespace {

struct CompareFixture {
    std::shared_ptr<const Dataset> dataset;
    QTemporaryDir folder;
};

CompareFixture& compareRelease() {
    static CompareFixture fixture = [] {
        CompareFixture f;
        SyntheticConfig config;
        config.ratings = 20'000;
        config.seed = 7;
        config.tags = false;
        f.dataset = std::make_shared<const Dataset>(generateSyntheticDataset(config));
        return f;
    }();
    return fixture;
}

// Trains ALS on the per-user split of `splitSeed`, saves it in the fixture folder, and returns
// the run record the Train panel would keep for it.
RunRecord trainedRun(const QString& id, int factors, std::uint64_t splitSeed, int minutesLater,
                     const QString& datasetName = {}) {
    CompareFixture& f = compareRelease();
    AlsConfig config;
    config.factors = factors;
    config.iterations = 4;
    config.seed = splitSeed;
    config.reportMetrics = false;
    AlsModel model(config);
    SplitSpec spec;
    spec.seed = splitSeed;
    model.fit(TrainData::build(*f.dataset, makeSplit(*f.dataset, spec)));
    const QString file = id + QStringLiteral(".lamodel");
    saveModel(model, QFile::encodeName(f.folder.filePath(file)).toStdString());
    RunRecord r;
    r.id = id;
    r.spec.modelKind = QStringLiteral("als");
    r.spec.hyperparameters = {{QStringLiteral("k"), QString::number(factors)}};
    r.spec.split = spec;
    r.spec.seed = splitSeed;
    r.modelDisplayName = QStringLiteral("Biased MF (ALS)");
    r.datasetName = datasetName.isEmpty() ? QString::fromStdString(f.dataset->name) : datasetName;
    r.status = RunStatus::Completed;
    r.started = QDateTime(QDate(2026, 12, 1), QTime(10, minutesLater), Qt::UTC);
    r.modelFile = file;
    return r;
}

}  // namespace

class TestComparePanel : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<DatasetController> controller_;
    std::unique_ptr<ModelLibrary> library_;
    std::unique_ptr<RunHistoryModel> history_;
    std::unique_ptr<ComparePanel> panel_;
    std::unique_ptr<QAbstractItemModelTester> metricsTester_, pairsTester_;

    // Runs a comparison of `runs` to the end.
    void compareRuns(const QStringList& runs) {
        panel_->runPicker()->setCheckedRuns(runs);
        QSignalSpy finished(panel_.get(), &ComparePanel::comparisonFinished);
        QVERIFY(panel_->compare());
        QCOMPARE(panel_->runState(), ComparePanel::RunState::Running);
        QVERIFY(!panel_->compareAction()->isEnabled());
        QVERIFY(panel_->cancelAction()->isEnabled());
        QVERIFY(finished.wait(120000));
        QCOMPARE(panel_->runState(), ComparePanel::RunState::Idle);
    }

public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY2(lens::test::startIsolatedUiTest("tst_compare_panel"),
                 "no font installed: offscreen text would be empty boxes");
        CompareFixture& f = compareRelease();
        QVERIFY(f.folder.isValid());
        history_ = std::make_unique<RunHistoryModel>();
        history_->setFolder(f.folder.path());
        history_->addRun(trainedRun(QStringLiteral("run-a"), 8, 42, 1));
        history_->addRun(trainedRun(QStringLiteral("run-b"), 4, 42, 2));
        // The latest run is on another split seed: the default pair skips it.
        history_->addRun(trainedRun(QStringLiteral("run-c"), 8, 7, 3));
        history_->addRun(
            trainedRun(QStringLiteral("run-other"), 4, 42, 4, QStringLiteral("ml-100k")));
        RunRecord failed = trainedRun(QStringLiteral("run-failed"), 4, 42, 5);
        failed.status = RunStatus::Failed;
        history_->addRun(failed);

        controller_ = std::make_unique<DatasetController>();
        controller_->setLoadFunction(
            [dataset = f.dataset](const std::filesystem::path&, const LoadOptions&) {
                return *dataset;
            });
        library_ = std::make_unique<ModelLibrary>();
        panel_ = std::make_unique<ComparePanel>(controller_.get(), library_.get(), history_.get());
        metricsTester_ = std::make_unique<QAbstractItemModelTester>(
            panel_->metricsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        pairsTester_ = std::make_unique<QAbstractItemModelTester>(
            panel_->pairsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel_->resize(1280, 800);
        panel_->show();
        QVERIFY(!panel_->compareAction()->isEnabled());  // no dataset yet
        controller_->openPath(QStringLiteral("synthetic"));
        QTRY_VERIFY_WITH_TIMEOUT(controller_->dataset() != nullptr, 30000);
        QTRY_COMPARE(panel_->runPicker()->datasetName(), QString::fromStdString(f.dataset->name));
        panel_->resamplesBox()->setValue(200);
    }

    void listsCompletedRunsAndPicksTheTwoLatestCompatible() {
        const QStringList listed = panel_->runPicker()->listedRuns();
        QCOMPARE(listed, QStringList({"run-other", "run-c", "run-b", "run-a"}));
        QCOMPARE(panel_->runPicker()->checkedRuns(), QStringList({"run-b", "run-a"}));
        QVERIFY(panel_->runPicker()->canCompare());
        QCOMPARE(panel_->runPicker()->reasonLabel()->text(),
                 QStringLiteral("Ready to compare: A als (k 4); B als (k 8)."));
        QVERIFY(panel_->compareAction()->isEnabled());
        QVERIFY(
            panel_->compareAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Return)));
    }

    void incompatibleRunsAreRefusedWithTheReason_data() {
        QTest::addColumn<QStringList>("runs");
        QTest::addColumn<QString>("reason");
        QTest::newRow("one run") << QStringList{"run-a"} << QStringLiteral("at least two");
        QTest::newRow("other split seed")
            << QStringList{"run-a", "run-c"} << QStringLiteral("same split and split seed");
        QTest::newRow("other dataset")
            << QStringList{"run-other", "run-a"} << QStringLiteral("was trained on 'ml-100k'");
    }
    void incompatibleRunsAreRefusedWithTheReason() {
        QFETCH(QStringList, runs);
        QFETCH(QString, reason);
        panel_->runPicker()->setCheckedRuns(runs);
        const QString problem = panel_->runPicker()->problem();
        QVERIFY2(problem.contains(reason), qPrintable(problem));
        QCOMPARE(panel_->runPicker()->reasonLabel()->text(), problem);
        QVERIFY(!panel_->compareAction()->isEnabled());
        QSignalSpy state(panel_.get(), &ComparePanel::runStateChanged);
        QVERIFY(!panel_->compare());
        QCOMPARE(state.count(), 0);
        QCOMPARE(panel_->statusLabel()->text(), problem);
        if (runs.contains("run-c")) {
            QVERIFY(problem.contains(QStringLiteral("seed 7")));
            QVERIFY(problem.contains(QStringLiteral("seed 42")));
        }
    }

    void tablesShowWhatCompareModelsGives() {
        compareRuns({"run-a", "run-b"});
        const auto shown = panel_->comparison();
        QVERIFY(shown);
        QCOMPARE(shown->models.size(), std::size_t(2));

        // The same comparison straight from the engine, on models loaded from the same files.
        const CompareFixture& f = compareRelease();
        // Model A is the latest ticked run (the list's order), B the one before.
        const QStringList order = panel_->runPicker()->checkedRuns();
        QCOMPARE(order, QStringList({"run-b", "run-a"}));
        auto a =
            loadModel(QFile::encodeName(f.folder.filePath(order[0] + ".lamodel")).toStdString());
        auto b =
            loadModel(QFile::encodeName(f.folder.filePath(order[1] + ".lamodel")).toStdString());
        const TrainData data = TrainData::build(*f.dataset, makeSplit(*f.dataset, a->splitSpec()));
        const Comparison expected =
            compareModels(data, {{"A als", a.get()}, {"B als", b.get()}}, panel_->options());

        ComparisonTableModel* metrics = panel_->metricsModel();
        int checked = 0;
        for (std::size_t j = 0; j < expected.models.size(); ++j) {
            const int column = ComparisonTableModel::FirstModelColumn + static_cast<int>(j);
            QCOMPARE(metrics->headerData(column, Qt::Horizontal).toString(),
                     QStringLiteral("%1 (95 % CI)")
                         .arg(QString::fromStdString(expected.models[j].name)));
            for (const MetricEstimate& e : expected.models[j].metrics) {
                const int row = metrics->rowOf(e.metric);
                QVERIFY2(row >= 0, e.metric.c_str());
                const QModelIndex index = metrics->index(row, column);
                QCOMPARE(index.data(ComparisonTableModel::EstimateRole).toDouble(), e.ci.estimate);
                QCOMPARE(index.data(ComparisonTableModel::LowerRole).toDouble(), e.ci.lower);
                QCOMPARE(index.data(ComparisonTableModel::UpperRole).toDouble(), e.ci.upper);
                QVERIFY(index.data().toString().startsWith(formatMetric(e.ci.estimate)));
                ++checked;
            }
        }
        QVERIFY(checked >= 2 * 7);  // rmse, mae and the ranking metrics of both models

        PairsTableModel* pairs = panel_->pairsModel();
        QCOMPARE(pairs->rowCount(), static_cast<int>(expected.pairs.size()));
        QVERIFY(pairs->rowCount() > 0);
        for (int row = 0; row < pairs->rowCount(); ++row) {
            const PairResult& e = expected.pairs[static_cast<std::size_t>(row)];
            auto value = [&](int column) {
                return pairs->index(row, column).data(PairsTableModel::ValueRole).toDouble();
            };
            QCOMPARE(value(PairsTableModel::DifferenceColumn), e.meanDifference);
            QCOMPARE(value(PairsTableModel::CiColumn), e.ciLower);
            QCOMPARE(value(PairsTableModel::PtColumn), e.pT);
            QCOMPARE(value(PairsTableModel::PWilcoxonColumn), e.pWilcoxon);
            QCOMPARE(value(PairsTableModel::PHolmColumn), e.pHolm);
            QCOMPARE(pairs->index(row, PairsTableModel::SignificanceColumn).data().toString(),
                     PairsTableModel::significanceMark(e));
            QCOMPARE(pairs->index(row, PairsTableModel::PtColumn).data().toString(), formatP(e.pT));
        }
        QVERIFY(!panel_->protocolNoteLabel()->text().isEmpty());
        QCOMPARE(panel_->progressBar()->value(), panel_->progressBar()->maximum());
    }

    void figuresRender() {
        QVERIFY(panel_->comparison());
        const QList<const Figure*> figures = panel_->figures();
        // The synthetic release has no user file: the three demographic charts are hidden.
        QCOMPARE(figures.size(), static_cast<int>(CompareChart::Count) - 3);
        for (CompareChart which :
             {CompareChart::Gender, CompareChart::Age, CompareChart::Occupation}) {
            QVERIFY(!panel_->chartShown(which));
            QVERIFY(panel_->card(which)->isHidden());
            QVERIFY(!figures.contains(panel_->card(which)->figure()));
        }
        for (int c = 0; c < static_cast<int>(CompareChart::Count); ++c) {
            const auto which = static_cast<CompareChart>(c);
            if (!panel_->chartShown(which)) continue;
            ChartFigure* chart = panel_->chart(which);
            QVERIFY(chart);
            QVERIFY2(!chart->chart()->series().isEmpty(), qPrintable(chart->figureFileStem()));
            QVERIFY(!panel_->card(which)->caption().isEmpty());
            FigureExportOptions options;
            options.dpi = 96;
            options.footer = panel_->card(which)->exportOptions().footer;
            QVERIFY(
                options.footer.contains(QString::fromStdString(compareRelease().dataset->name)));
            const QImage image = renderFigureImage(*chart, options);
            QVERIFY2(imageHasContent(image, 4), qPrintable(chart->figureFileStem()));
            // LENS_ATLAS_SCREENSHOT_DIR=DIR keeps the figures and the panel for a look.
            if (const QString dir = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
                !dir.isEmpty()) {
                image.save(QDir(dir).filePath(chart->figureFileStem() + ".png"));
                for (int tab = 0; tab < panel_->tabs()->count(); ++tab) {
                    panel_->tabs()->setCurrentIndex(tab);
                    panel_->grab().save(
                        QDir(dir).filePath(QStringLiteral("compare-panel-%1.png").arg(tab)));
                }
                panel_->tabs()->setCurrentIndex(0);
            }
        }
        // The scatter has one point per user scored by both models.
        const Comparison& c = *panel_->comparison();
        const std::string metric = panel_->metricBox()->currentData().toString().toStdString();
        const auto* scatter =
            qobject_cast<QXYSeries*>(panel_->chart(CompareChart::Scatter)->chart()->series()[0]);
        QVERIFY(scatter);
        QCOMPARE(static_cast<std::size_t>(scatter->count()),
                 pairedUserValues(c.models[0], c.models[1], metric).size());
        // Another metric redraws the per-user charts.
        const int other = panel_->metricBox()->findData(QStringLiteral("ndcg_full"));
        QVERIFY(other >= 0);
        panel_->metricBox()->setCurrentIndex(other);
        QVERIFY(panel_->chart(CompareChart::Scatter)->chart()->title().contains("NDCG@10"));
        QString error;
        const QString path = compareRelease().folder.filePath("scatter.svg");
        QVERIFY2(panel_->card(CompareChart::Scatter)->exportTo(path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 0);
    }

    // The same runs on the same release with demographics (as a user file would give them):
    // the gender, age and occupation charts appear, their bars are the comparison's segment
    // estimates, occupations come largest first with their sizes and small groups starred.
    void demographicChartsWithAUserFile() {
        auto withUsers = std::make_shared<Dataset>(*compareRelease().dataset);
        UserDemographics& d = withUsers->demographics;
        const std::size_t n = withUsers->userCount();
        for (int k = 0; k < 21; ++k) d.occupationNames.push_back("job " + std::to_string(k));
        for (std::size_t u = 0; u < n; ++u) {
            d.gender.push_back(u % 3 == 0 ? 0 : 1);
            d.ageGroup.push_back(static_cast<std::uint8_t>(u % 7));
            d.occupation.push_back(
                u % 10 == 9 ? kUnknownDemographic
                            : static_cast<std::uint8_t>(std::min<std::size_t>(20, u % 37)));
        }
        d.usersListed = n;
        DatasetController controller;
        controller.setLoadFunction(
            [withUsers](const std::filesystem::path&, const LoadOptions&) { return *withUsers; });
        ComparePanel panel(&controller, library_.get(), history_.get());
        panel.resize(1280, 900);
        panel.show();
        controller.openPath(QStringLiteral("synthetic with users"));
        QTRY_VERIFY_WITH_TIMEOUT(controller.dataset() != nullptr, 30000);
        QTRY_COMPARE(panel.runPicker()->datasetName(), QString::fromStdString(withUsers->name));
        panel.resamplesBox()->setValue(200);
        panel.runPicker()->setCheckedRuns({"run-a", "run-b"});
        QSignalSpy finished(&panel, &ComparePanel::comparisonFinished);
        QVERIFY(panel.compare());
        QVERIFY(finished.wait(120000));
        const Comparison& c = *panel.comparison();
        QVERIFY(hasDemographicSegments(c));
        QCOMPARE(panel.figures().size(), static_cast<int>(CompareChart::Count));

        const std::pair<CompareChart, std::string> charts[] = {
            {CompareChart::Gender, "gender"},
            {CompareChart::Age, "age"},
            {CompareChart::Occupation, "occupation"}};
        for (const auto& [which, dimension] : charts) {
            QVERIFY(panel.chartShown(which));
            QVERIFY(!panel.card(which)->isHidden());
            QVERIFY(!panel.card(which)->caption().isEmpty());
            QChart* chart = panel.chart(which)->chart();
            QAbstractBarSeries* bars = nullptr;
            for (QAbstractSeries* series : chart->series())
                if (auto* b = qobject_cast<QAbstractBarSeries*>(series)) bars = b;
            QVERIFY(bars);
            QCOMPARE(bars->count(), static_cast<int>(c.models.size()));
            QStringList labels;
            for (QAbstractAxis* axis : chart->axes())
                if (auto* x = qobject_cast<QBarCategoryAxis*>(axis)) labels = x->categories();
            // Occupations are horizontal bars, the first segment at the top (the axis' end).
            const bool fromTop = which == CompareChart::Occupation;
            QCOMPARE(bars->type() == QAbstractSeries::SeriesTypeHorizontalBar, fromTop);
            if (fromTop) std::reverse(labels.begin(), labels.end());
            // Bar k of model j is the comparison's estimate of segment k, labelled with its n.
            for (std::size_t j = 0; j < c.models.size(); ++j) {
                int k = 0;
                for (const SegmentEstimate& seg : c.models[j].segments) {
                    if (seg.dimension != dimension) continue;
                    QVERIFY(k < labels.size());
                    QVERIFY2(labels[k].startsWith(QString::fromStdString(seg.segment) +
                                                  QStringLiteral(" (n %1)").arg(seg.units)),
                             qPrintable(labels[k]));
                    QCOMPARE(labels[k].endsWith(QStringLiteral(" *")),
                             seg.units < kSmallSegmentUnits);
                    QCOMPARE(bars->barSets()[static_cast<int>(j)]->at(
                                 fromTop ? labels.size() - 1 - k : k),
                             seg.ci.estimate);
                    ++k;
                }
                QCOMPARE(k, labels.size());
            }
            FigureExportOptions options;
            options.dpi = 96;
            const QImage image = renderFigureImage(*panel.chart(which), options);
            QVERIFY(imageHasContent(image, 4));
            if (const QString dir = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
                !dir.isEmpty())
                image.save(QDir(dir).filePath(panel.chart(which)->figureFileStem() + ".png"));
        }
        // Occupations: largest first, counted here over the scored users the test labelled.
        std::vector<std::size_t> perOccupation(21, 0);
        for (const std::uint32_t u : c.models.front().perUser.users)
            if (d.occupation[u] != kUnknownDemographic) ++perOccupation[d.occupation[u]];
        const auto largest = std::max_element(perOccupation.begin(), perOccupation.end());
        QStringList occupationLabels;
        for (QAbstractAxis* axis : panel.chart(CompareChart::Occupation)->chart()->axes())
            if (auto* x = qobject_cast<QBarCategoryAxis*>(axis)) occupationLabels = x->categories();
        std::reverse(occupationLabels.begin(), occupationLabels.end());
        // The names are drawn whole, not shortened to "...": in the exported image (96 dpi) the
        // dark label ink left of the bars spans more than an ellipsis' dozen pixels.
        {
            FigureExportOptions options;
            options.dpi = 96;
            const QImage image = renderFigureImage(*panel.chart(CompareChart::Occupation), options);
            const QColor bar = compareModelColour(0);
            int barsLeft = image.width(), top = image.height(), bottom = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (QColor(image.pixel(x, y)) == bar) {
                        barsLeft = std::min(barsLeft, x);
                        top = std::min(top, y);
                        bottom = std::max(bottom, y);
                    }
            QVERIFY(barsLeft < image.width());
            int leftmostInk = barsLeft;
            for (int y = top; y <= bottom; ++y)
                for (int x = 0; x < barsLeft - 3; ++x)
                    if (qGray(image.pixel(x, y)) < 128) leftmostInk = std::min(leftmostInk, x);
            QVERIFY2(barsLeft - leftmostInk >= 40,
                     qPrintable(QStringLiteral("labels span %1 px").arg(barsLeft - leftmostInk)));
        }
        QVERIFY2(
            occupationLabels.front().startsWith(
                QStringLiteral("job %1 (n %2)").arg(largest - perOccupation.begin()).arg(*largest)),
            qPrintable(occupationLabels.front()));
        QCOMPARE(occupationLabels.size(),
                 static_cast<int>(std::count_if(perOccupation.begin(), perOccupation.end(),
                                                [](std::size_t k) { return k > 0; })));
        panel.shutdown();
    }

    void cancelLeavesThePanelUsable() {
        const auto before = panel_->comparison();
        panel_->runPicker()->setCheckedRuns({"run-a", "run-b"});
        panel_->resamplesBox()->setValue(20000);
        QSignalSpy finished(panel_.get(), &ComparePanel::comparisonFinished);
        QVERIFY(panel_->compare());
        panel_->cancelAction()->trigger();
        QCOMPARE(panel_->runState(), ComparePanel::RunState::Idle);
        QVERIFY(panel_->compareAction()->isEnabled());
        QVERIFY(!panel_->cancelAction()->isEnabled());
        QCOMPARE(panel_->comparison(), before);  // the last result stays
        QCOMPARE(finished.count(), 0);
        // And it compares again.
        panel_->resamplesBox()->setValue(200);
        compareRuns({"run-a", "run-b"});
        QCOMPARE(finished.count(), 1);  // the cancelled job never delivered
        QVERIFY(panel_->comparison() != before);
    }

    void ctrlReturnCompares() {
        panel_->runPicker()->setCheckedRuns({"run-a", "run-b"});
        QApplication::setActiveWindow(panel_.get());
        panel_->runPicker()->list()->setFocus();
        QTRY_VERIFY(panel_->runPicker()->list()->hasFocus());
        QSignalSpy finished(panel_.get(), &ComparePanel::comparisonFinished);
        QTest::keyClick(panel_->runPicker()->list(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(panel_->runState(), ComparePanel::RunState::Running);
        QVERIFY(finished.wait(120000));
    }

    void protocolDisagreementIsSaid() {
        Comparison c;
        c.models.resize(2);
        c.models[0].name = "A";
        c.models[1].name = "B";
        for (ModelResult& m : c.models) {
            m.metrics.push_back({kUserHrSampled, {}});
            m.metrics.push_back({kUserHrFull, {}});
        }
        QVERIFY(protocolNote(c).contains(QStringLiteral("the same way")));
        c.disagreements.push_back({"A", "B", kUserHrSampled, kUserHrFull, 0.02, -0.01});
        const QString note = protocolNote(c);
        QVERIFY2(note.contains(QStringLiteral("disagree")), qPrintable(note));
        QVERIFY(note.contains(QStringLiteral("Krichene and Rendle 2020")));
        QVERIFY(note.contains(QStringLiteral("0.0200")) &&
                note.contains(QStringLiteral("-0.0100")));
    }

    void modelsFromTheLibraryAreUsedAsTheyAre() {
        // A run whose model the library holds is compared without its file.
        auto held = loadModel(
            QFile::encodeName(compareRelease().folder.filePath("run-b.lamodel")).toStdString());
        QFile::remove(compareRelease().folder.filePath("run-b.lamodel"));
        library_->add({QStringLiteral("run-b"), QStringLiteral("B"), std::move(held),
                       compareRelease().dataset,
                       QString::fromStdString(compareRelease().dataset->name)});
        compareRuns({"run-a", "run-b"});
        QCOMPARE(panel_->comparison()->models.size(), std::size_t(2));
        // A missing file without a library model fails with a message, and the panel stays usable.
        library_->remove(QStringLiteral("run-b"));
        panel_->runPicker()->setCheckedRuns({"run-a", "run-b"});
        QSignalSpy failed(panel_.get(), &ComparePanel::comparisonFailed);
        QVERIFY(panel_->compare());
        QVERIFY(failed.wait(60000));
        QVERIFY(panel_->statusLabel()->text().contains(QStringLiteral("failed")));
        QCOMPARE(panel_->runState(), ComparePanel::RunState::Idle);
        QVERIFY(panel_->compareAction()->isEnabled());
    }

    void aNewDatasetCancelsAndClears() {
        // run-b's file is gone (previous test): a fresh run on the same split.
        history_->addRun(trainedRun(QStringLiteral("run-d"), 6, 42, 6));
        panel_->runPicker()->setCheckedRuns({"run-a", "run-d"});
        panel_->resamplesBox()->setValue(20000);
        panel_->maxUsersBox()->setValue(0);
        QSignalSpy finished(panel_.get(), &ComparePanel::comparisonFinished);
        QVERIFY(panel_->compare());
        QSignalSpy changed(controller_.get(), &DatasetController::datasetChanged);
        controller_->openPath(QStringLiteral("synthetic again"));
        QVERIFY(changed.wait(30000));
        QCOMPARE(panel_->runState(), ComparePanel::RunState::Idle);
        QVERIFY(!panel_->comparison());
        QVERIFY(panel_->figures().isEmpty());
        QCOMPARE(panel_->metricsModel()->rowCount(), 0);
        QCOMPARE(panel_->pairsModel()->rowCount(), 0);
        QTest::qWait(0);
        QCOMPARE(finished.count(), 0);
        panel_->resamplesBox()->setValue(200);
        panel_->maxUsersBox()->setValue(5000);
    }

    void closingMidComparisonExitsCleanly() {
        auto window = std::make_unique<QWidget>();
        auto* panel =
            new ComparePanel(controller_.get(), library_.get(), history_.get(), window.get());
        window->show();
        panel->runPicker()->setCheckedRuns({"run-a", "run-c"});  // refused: nothing starts
        QVERIFY(!panel->compare());
        QCOMPARE(panel->runState(), ComparePanel::RunState::Idle);
        panel->maxUsersBox()->setValue(0);
        panel->resamplesBox()->setValue(20000);
        panel->runPicker()->setCheckedRuns({"run-a", "run-d"});
        QVERIFY(panel->compare());
        QCOMPARE(panel->runState(), ComparePanel::RunState::Running);
        window->close();
        window.reset();  // destroys the panel mid-comparison: it cancels and waits
    }

    void cleanupTestCase() {
        metricsTester_.reset();
        pairsTester_.reset();
        panel_.reset();
    }
};

QTEST_MAIN(TestComparePanel)
#include "tst_compare_panel.moc"
