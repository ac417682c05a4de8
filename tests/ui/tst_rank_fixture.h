#pragma once
// What the Rank panel tests share: a synthetic release with two ALS models (trained once per
// executable), and a RankPanel wired to a controller that "loads" that release and to a
// ModelLibrary holding both models (the first active), with every item model of the panel
// wrapped in a QAbstractItemModelTester; plus a persona of a real user's movies and small text
// helpers.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFontInfo>
#include <QSignalSpy>
#include <QTextDocument>
#include <QtTest>
#include <memory>
#include <set>
#include "DatasetController.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "models/AlsModel.h"
#include "models/ModelLibrary.h"
#include "models/TrainData.h"
#include "rank/PersonaEditor.h"
#include "rank/RankPanel.h"
#include "synth/SyntheticGenerator.h"

namespace lens::test {

using namespace lens::ui;

inline std::shared_ptr<const Recommender> trainAls(const Dataset& dataset, int factors,
                                                   std::uint64_t seed, int iterations = 8) {
    AlsConfig config;
    config.factors = factors;
    config.iterations = iterations;
    config.seed = seed;
    config.reportMetrics = false;
    auto model = std::make_shared<AlsModel>(config);
    SplitSpec spec;
    spec.seed = seed;
    const TrainData data = TrainData::build(dataset, makeSplit(dataset, spec));
    model->fit(data);
    return model;
}

inline QString plainText(const QString& html) {
    QTextDocument document;
    document.setHtml(html);
    return document.toPlainText();
}

inline std::set<qint64> idSet(const QList<qint64>& ids) {
    return {ids.begin(), ids.end()};
}

// A synthetic release (40,000 ratings, seed 7) and two ALS models trained on it (k 16 and k 8).
struct RankModels {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const Recommender> als;
    std::shared_ptr<const Recommender> als2;
};

inline RankModels& synthetic() {
    static RankModels fixture = [] {
        RankModels f;
        SyntheticConfig config;
        config.ratings = 40'000;
        config.seed = 7;
        config.tags = false;
        f.dataset = std::make_shared<const Dataset>(generateSyntheticDataset(config));
        f.als = trainAls(*f.dataset, 16, 42);
        f.als2 = trainAls(*f.dataset, 8, 99, 4);
        return f;
    }();
    return fixture;
}

// Members and set-up of a Rank test class (derive from it beside QObject).
struct RankPanelFixture {
    std::unique_ptr<DatasetController> controller_;
    std::unique_ptr<ModelLibrary> library_;
    std::unique_ptr<RankPanel> panel_;
    std::unique_ptr<QAbstractItemModelTester> testerTop_, testerCompare_, testerPersona_;

    // A persona of a real user's five best-rated movies (by dense order), rated 5.
    void setUserPersona() {
        const Dataset& d = *synthetic().dataset;
        PersonaEditor* editor = panel_->personaEditor();
        editor->clear();
        const auto movies = d.byUser.rowIndex(3);
        for (std::size_t j = 0; j < 5 && j < movies.size(); ++j)
            editor->addMovie(static_cast<int>(movies[j]), 5.0);
        panel_->recomputeNow();
    }

    // For initTestCase(): the release "loaded", no list without a model, then both models in the
    // library.
    void setUpFixture() {
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(),
                 "no font installed: offscreen text would be empty boxes");
        const RankModels& f = synthetic();
        controller_ = std::make_unique<DatasetController>();
        controller_->setLoadFunction(
            [dataset = f.dataset](const std::filesystem::path&, const LoadOptions&) {
                return *dataset;
            });
        library_ = std::make_unique<ModelLibrary>();
        panel_ = std::make_unique<RankPanel>(controller_.get(), library_.get());
        testerTop_ = std::make_unique<QAbstractItemModelTester>(
            panel_->topModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        testerCompare_ = std::make_unique<QAbstractItemModelTester>(
            panel_->comparisonModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        testerPersona_ = std::make_unique<QAbstractItemModelTester>(
            panel_->personaEditor()->ratedModel(),
            QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy loaded(controller_.get(), &DatasetController::datasetChanged);
        controller_->openPath(QStringLiteral("synthetic-fixture"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);

        // No model yet: an explanation instead of a list.
        panel_->recomputeNow();
        QCOMPARE(panel_->topModel()->rowCount(), 0);
        QVERIFY(panel_->statusText().contains(QStringLiteral("No model is active")));

        library_->add({QStringLiteral("als-a"), QStringLiteral("ALS k 16"), f.als, f.dataset,
                       QString::fromStdString(f.dataset->name)});
        library_->add({QStringLiteral("als-b"), QStringLiteral("ALS k 8"), f.als2, f.dataset,
                       QString::fromStdString(f.dataset->name)});
        library_->setActive(QStringLiteral("als-a"));
    }

    // For cleanupTestCase().
    void tearDownFixture() {
        testerTop_.reset();
        testerCompare_.reset();
        testerPersona_.reset();
        panel_.reset();
        library_.reset();
        controller_.reset();
    }
};

}  // namespace lens::test
