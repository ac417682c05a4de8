// The Rank panel (ui/rank): persona editing and search, the top-N table and its filters, the
// scoring variant, explanations, the side-by-side comparison and its overlap, CSV and PNG
// export, and the ranking-quality tab's worker. A synthetic release (always available) covers
// the mechanics; ml-latest-small (skipped where absent) covers the Lord of the Rings preset and
// the accent-insensitive search for "Amélie".
#include <QtTest>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextDocument>
#include <memory>
#include <set>

#include "DatasetController.h"
#include "JobTracker.h"
#include "TestData.h"
#include "charts/ChartFigure.h"
#include "charts/Figure.h"
#include "data/Dataset.h"
#include "data/Genre.h"
#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "models/AlsModel.h"
#include "models/ModelLibrary.h"
#include "models/TrainData.h"
#include "rank/MovieSearchIndex.h"
#include "rank/PersonaEditor.h"
#include "rank/PersonaRatingsModel.h"
#include "rank/RankControls.h"
#include "rank/RankListBuilder.h"
#include "rank/RankPanel.h"
#include "rank/RankText.h"
#include "rank/RankingQualityView.h"
#include "rank/TopNTableModel.h"
#include "synth/SyntheticGenerator.h"

using namespace lens;
using namespace lens::ui;

namespace {

std::shared_ptr<const Recommender> trainAls(const Dataset& dataset, int factors, std::uint64_t seed,
                                            int iterations = 8) {
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

QString plainText(const QString& html) {
    QTextDocument document;
    document.setHtml(html);
    return document.toPlainText();
}

std::set<qint64> idSet(const QList<qint64>& ids) {
    return {ids.begin(), ids.end()};
}

// A synthetic release with the panel wired to a controller that "loads" it.
struct Fixture {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const Recommender> als;
    std::shared_ptr<const Recommender> als2;
};

Fixture& synthetic() {
    static Fixture fixture = [] {
        Fixture f;
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

}  // namespace

class TestRankPanel : public QObject {
    Q_OBJECT

private:
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

private slots:
    void initTestCase() {
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(),
                 "no font installed: offscreen text would be empty boxes");
        const Fixture& f = synthetic();
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

    void cleanupTestCase() {
        testerTop_.reset();
        testerCompare_.reset();
        testerPersona_.reset();
        panel_.reset();
        library_.reset();
        controller_.reset();
    }

    void defaults() {
        const RankConfig config = panel_->rankConfig();
        QCOMPARE(config.filter.minRatings, std::size_t(100));
        QVERIFY(config.filter.excludeRated);
        QVERIFY(panel_->excludeRatedToggle()->isVisibleTo(panel_.get()));
        QCOMPARE(config.filter.n, 10);
        QCOMPARE(config.scoring, RankScoring::StudyVariant);
        QCOMPARE(config.biasWeight, 0.05);
        QVERIFY(!panel_->exportCsvAction()->toolTip().isEmpty());
        QVERIFY(panel_->exportCsvAction()->toolTip().contains(QStringLiteral("Ctrl+E")));
        QVERIFY(panel_->focusSearchAction()->toolTip().contains(QStringLiteral("Ctrl+F")));
    }

    void presetMissingFromRelease() {
        // Synthetic ids are not MovieLens ids: whatever of the preset is absent is reported.
        QVERIFY(panel_->selectPersona(QStringLiteral("Lord of the Rings fan")));
        const std::set<qint64> rated = idSet(panel_->personaEditor()->ratedMovieIds());
        for (qint64 id : panel_->personaEditor()->missingMovieIds()) QVERIFY(!rated.count(id));
        // A persona with one movie of the release and one that no release has.
        const Dataset& d = *synthetic().dataset;
        Persona persona;
        persona.name = QStringLiteral("Half missing");
        persona.movies = {{d.movieIds[0], 4.0, QStringLiteral("first")},
                          {987654321, 5.0, QStringLiteral("Nowhere Movie (2099)")}};
        panel_->personaEditor()->setPersona(persona);
        QCOMPARE(panel_->personaEditor()->ratedMovieIds(), QList<qint64>{d.movieIds[0]});
        QCOMPARE(panel_->personaEditor()->missingMovieIds(), QList<qint64>{987654321});
        const QString missing = panel_->personaEditor()->missingText();
        QVERIFY2(missing.startsWith(QStringLiteral("Not in this release")), qPrintable(missing));
        QVERIFY(missing.contains(QStringLiteral("Nowhere Movie (2099) [987654321]")));
        QVERIFY(panel_->personaEditor()->missingLabel()->isVisibleTo(panel_.get()));
        // Editing the persona turns it into a custom one without the missing note.
        panel_->personaEditor()->addMovie(1, 3.0);
        QVERIFY(panel_->personaEditor()->missingText().isEmpty());
    }

    void tableHoldsNRows_data() {
        QTest::addColumn<int>("n");
        QTest::newRow("10") << 10;
        QTest::newRow("3") << 3;
        QTest::newRow("25") << 25;
    }
    void tableHoldsNRows() {
        QFETCH(int, n);
        RankConfig config = panel_->rankConfig();
        config.filter.minRatings = 20;
        config.filter.n = n;
        panel_->setRankConfig(config);
        setUserPersona();
        QCOMPARE(panel_->topModel()->rowCount(), n);
        QCOMPARE(panel_->countSpin()->value(), n);
        for (int r = 0; r < n; ++r) {
            const RankRow* row = panel_->topModel()->row(r);
            QCOMPARE(row->rank, r + 1);
            QVERIFY(!row->title.isEmpty());
            if (r > 0) QVERIFY(row->rawScore <= panel_->topModel()->row(r - 1)->rawScore);
            QVERIFY(row->predictedRating >= 0.5 && row->predictedRating <= 5.0);
        }
        config.filter.n = 10;
        panel_->setRankConfig(config);
    }

    void excludeRatedToggle() {
        RankConfig config = panel_->rankConfig();
        config.filter.minRatings = 20;
        panel_->setRankConfig(config);
        setUserPersona();
        // Make the persona's list-topping movie a rated one: it must vanish from the list.
        const qint64 top = panel_->topModel()->row(0)->movieId;
        panel_->personaEditor()->addMovie(panel_->topModel()->row(0)->movie, 5.0);
        panel_->recomputeNow();
        std::set<qint64> rated = idSet(panel_->personaEditor()->ratedMovieIds());
        QVERIFY(rated.count(top));
        QCOMPARE(panel_->topModel()->rowCount(), 10);
        for (qint64 id : panel_->topModel()->movieIds()) QVERIFY(!rated.count(id));

        panel_->excludeRatedToggle()->setChecked(false);  // through the visible toggle
        panel_->recomputeNow();
        QVERIFY(!panel_->rankConfig().filter.excludeRated);
        int ratedShown = 0;
        for (qint64 id : panel_->topModel()->movieIds()) ratedShown += rated.count(id) ? 1 : 0;
        QVERIFY2(ratedShown > 0, "rated movies never appear with the toggle off");
        panel_->excludeRatedToggle()->setChecked(true);
        panel_->recomputeNow();
    }

    void minRatingsFilter_data() {
        QTest::addColumn<int>("minimum");
        QTest::newRow("20") << 20;
        QTest::newRow("60") << 60;
        QTest::newRow("150") << 150;
    }
    void minRatingsFilter() {
        QFETCH(int, minimum);
        const Dataset& d = *synthetic().dataset;
        setUserPersona();
        panel_->minRatingsSpin()->setValue(minimum);
        panel_->recomputeNow();
        int eligible = 0;
        for (std::size_t m = 0; m < d.movieCount(); ++m)
            eligible += d.byMovie.rowSize(m) >= static_cast<std::size_t>(minimum) ? 1 : 0;
        QVERIFY(panel_->topModel()->rowCount() <= std::min(10, eligible));
        QVERIFY(panel_->topModel()->rowCount() > 0 || eligible <= 5);
        for (const RankRow& row : panel_->topModel()->rows()) {
            QVERIFY(row.ratingCount >= minimum);
            QCOMPARE(static_cast<std::size_t>(row.ratingCount), d.byMovie.rowSize(row.movie));
        }
    }

    void genreFilter() {
        const Dataset& d = *synthetic().dataset;
        const int comedy = *genreIdFromName("Comedy");
        const int drama = *genreIdFromName("Drama");
        RankConfig config = panel_->rankConfig();
        config.filter.minRatings = 20;
        config.filter.includeGenres = GenreMask(1) << comedy;
        config.filter.excludeGenres = GenreMask(1) << drama;
        panel_->setRankConfig(config);
        setUserPersona();
        QVERIFY(panel_->topModel()->rowCount() > 0);
        for (const RankRow& row : panel_->topModel()->rows()) {
            QVERIFY(hasGenre(d.genres[row.movie], comedy));
            QVERIFY(!hasGenre(d.genres[row.movie], drama));
        }
        config.filter.includeGenres = 0;
        config.filter.excludeGenres = 0;
        panel_->setRankConfig(config);
    }

    void scoringVariantChangesScores() {
        RankConfig config = panel_->rankConfig();
        config.filter.minRatings = 20;
        config.scoring = RankScoring::PredictedRating;
        panel_->setRankConfig(config);
        setUserPersona();
        // Ranked by predicted rating: the score column is the unclipped prediction.
        for (const RankRow& row : panel_->topModel()->rows())
            QCOMPARE(row.rawScore, row.modelOutput);
        panel_->scoringCombo()->setCurrentIndex(0);  // back to the study variant
        panel_->recomputeNow();
        QCOMPARE(panel_->rankConfig().scoring, RankScoring::StudyVariant);
        QVERIFY(panel_->biasWeightSpin()->isEnabled());
        bool differs = false;
        for (const RankRow& row : panel_->topModel()->rows())
            differs |= std::abs(row.rawScore - row.modelOutput) > 1e-4;
        QVERIFY(differs);
    }

    void explanations() {
        setUserPersona();
        QVERIFY(panel_->topModel()->rowCount() > 0);
        const std::set<qint64> rated = idSet(panel_->personaEditor()->ratedMovieIds());
        const RankRow* row = panel_->topModel()->row(0);
        QVERIFY(!row->because.isEmpty());
        for (const RankContribution& c : row->because) QVERIFY(rated.count(c.movieId));
        const QString tip = panel_->topModel()
                                ->index(0, TopNTableModel::TitleColumn)
                                .data(Qt::ToolTipRole)
                                .toString();
        QVERIFY(tip.contains(row->because.first().title.toHtmlEscaped()));
        panel_->topTable()->selectRow(0);
        QVERIFY(panel_->explanationView()->toPlainText().contains(row->because.first().title));
    }

    // After every new list a row is selected, so the side pane explains something; the user's
    // selection stays on the same movie while it is still listed.
    void firstRowExplainedAndSelectionKept() {
        setUserPersona();
        QTableView* table = panel_->topTable();
        TopNTableModel* model = panel_->topModel();
        QVERIFY(model->rowCount() >= 4);
        QCOMPARE(table->currentIndex().row(), 0);
        QVERIFY(table->selectionModel()->isRowSelected(0, {}));
        const RankRow* first = model->row(0);
        QVERIFY(!first->because.isEmpty());
        QVERIFY2(panel_->explanationView()->toPlainText().contains(first->because.first().title),
                 qPrintable(panel_->explanationView()->toPlainText()));

        // The user picks the third movie; a longer list still holds it: it stays selected and
        // explained.
        table->selectRow(2);
        const qint64 picked = model->row(2)->movieId;
        const QString pickedExplanation = panel_->explanationView()->toPlainText();
        QCOMPARE(pickedExplanation, plainText(model->explanation(2)));
        panel_->countSpin()->setValue(panel_->countSpin()->value() + 5);
        panel_->recomputeNow();
        const int row = table->currentIndex().row();
        QVERIFY(row >= 0);
        QCOMPARE(model->row(row)->movieId, picked);
        QVERIFY(table->selectionModel()->isRowSelected(row, {}));
        QCOMPARE(panel_->explanationView()->toPlainText(), pickedExplanation);

        // The persona rates the picked movie: it leaves the list (rated movies are excluded),
        // so the first row is selected and explained again.
        panel_->personaEditor()->addMovie(static_cast<int>(synthetic().dataset->movieIndex(picked)),
                                          4.0);
        panel_->recomputeNow();
        QVERIFY(!model->movieIds().contains(picked));
        QCOMPARE(table->currentIndex().row(), 0);
        QCOMPARE(panel_->explanationView()->toPlainText(), plainText(model->explanation(0)));
        panel_->countSpin()->setValue(panel_->countSpin()->value() - 5);

        // No list: nothing selected, the placeholder asks for a row again.
        panel_->personaEditor()->clear();
        panel_->recomputeNow();
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(panel_->explanationView()->toPlainText().isEmpty());
        QVERIFY(!panel_->explanationView()->placeholderText().isEmpty());
    }

    void personaChangedSignal() {
        QSignalSpy spy(panel_.get(), &RankPanel::personaChanged);
        setUserPersona();
        QVERIFY(spy.count() >= 1);
        const auto args = spy.last();
        QCOMPARE(args.at(0).value<QList<qint64>>(), panel_->personaEditor()->ratedMovieIds());
        QCOMPARE(args.at(1).value<QList<qint64>>(), panel_->topModel()->movieIds());
        QCOMPARE(args.at(0).value<QList<qint64>>().size(), 5);
    }

    void sideBySideOverlap_data() {
        QTest::addColumn<QString>("other");
        QTest::newRow("second ALS") << QStringLiteral("als-b");
        QTest::newRow("popularity") << RankPanel::kPopularityComparison;
    }
    void sideBySideOverlap() {
        QFETCH(QString, other);
        RankConfig config = panel_->rankConfig();
        config.filter.minRatings = 20;
        panel_->setRankConfig(config);
        setUserPersona();
        QVERIFY(panel_->setComparison(other));
        panel_->recomputeNow();
        QVERIFY(panel_->comparisonResult().has_value());
        const std::set<qint64> a = idSet(panel_->topModel()->movieIds());
        const std::set<qint64> b = idSet(panel_->comparisonModel()->movieIds());
        QCOMPARE(panel_->comparisonModel()->rowCount(), 10);
        int shared = 0;
        for (qint64 id : a) shared += b.count(id) ? 1 : 0;
        QCOMPARE(panel_->overlapCount(), shared);
        QCOMPARE(static_cast<int>(
                     listOverlap(*panel_->result(), *panel_->comparisonResult()).shared.size()),
                 shared);
        int highlighted = 0;
        for (int r = 0; r < panel_->topModel()->rowCount(); ++r)
            highlighted +=
                panel_->topModel()->index(r, 0).data(TopNTableModel::OverlapRole).toBool() ? 1 : 0;
        QCOMPARE(highlighted, shared);
        QVERIFY(panel_->overlapText().contains(QString::number(shared)));
        QVERIFY(panel_->comparisonTable()->isVisibleTo(panel_.get()));
        panel_->setComparison(QString());
        panel_->recomputeNow();
        QCOMPARE(panel_->overlapCount(), 0);
        QVERIFY(!panel_->comparisonTable()->isVisibleTo(panel_.get()));
    }

    // The parts on their own: the controls round-trip a configuration and report it once; the
    // builder offers the popularity baseline and the library's other models of the dataset.
    void controlsAndComparisonChoices() {
        RankControls controls;
        QSignalSpy changed(&controls, &RankControls::changed);
        RankConfig config;
        config.filter.minRatings = 7;
        config.filter.n = 12;
        config.filter.excludeRated = false;
        config.filter.includeGenres = GenreMask(1) << 3;
        config.filter.excludeGenres = GenreMask(1) << 5;
        config.scoring = RankScoring::PredictedRating;
        config.biasWeight = 0.2;
        controls.setConfig(config);
        QCOMPARE(changed.count(), 1);
        const RankConfig back = controls.config();
        QCOMPARE(back.filter.minRatings, config.filter.minRatings);
        QCOMPARE(back.filter.n, config.filter.n);
        QCOMPARE(back.filter.excludeRated, false);
        QCOMPARE(back.filter.includeGenres, config.filter.includeGenres);
        QCOMPARE(back.filter.excludeGenres, config.filter.excludeGenres);
        QCOMPARE(back.scoring, RankScoring::PredictedRating);
        QCOMPARE(back.biasWeight, 0.2);
        QVERIFY(!controls.biasWeightSpin()->isEnabled());
        const QString genre = genreName(kGenreNames[3]);
        QVERIFY2(controls.includeGenresButton()->text().contains(genre),
                 qPrintable(controls.includeGenresButton()->text()));

        const auto choices =
            RankListBuilder::comparisonChoices(library_.get(), synthetic().dataset.get());
        QCOMPARE(choices.size(), 2);  // popularity, then the model that is not active
        QCOMPARE(choices[0].second, RankListBuilder::kPopularityComparison);
        QCOMPARE(choices[1].second, QStringLiteral("als-b"));
        controls.setComparisonChoices(choices);
        QVERIFY(controls.setComparison(QStringLiteral("als-b")));
        QCOMPARE(changed.count(), 2);
        QVERIFY(!controls.setComparison(QStringLiteral("als-a")));
        // The chosen model leaves the library: no second list, without a change signal.
        controls.setComparisonChoices({choices[0]});
        QCOMPARE(controls.comparison(), QString());
        QCOMPARE(changed.count(), 2);
    }

    void csvExport() {
        setUserPersona();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("list.csv"));
        QString error;
        QVERIFY2(panel_->exportCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), panel_->topModel()->rowCount() + 1);
        QVERIFY(lines.first().startsWith(QStringLiteral("rank,movie_id,title,year,genres")));
        for (int r = 0; r < panel_->topModel()->rowCount(); ++r) {
            const RankRow* row = panel_->topModel()->row(r);
            const QString prefix = QStringLiteral("%1,%2,").arg(row->rank).arg(row->movieId);
            QVERIFY2(lines[r + 1].startsWith(prefix), qPrintable(lines[r + 1]));
            // Titles with commas or quotes are quoted per RFC 4180.
            QString quoted = row->title;
            if (quoted.contains(QLatin1Char(',')) || quoted.contains(QLatin1Char('"')))
                quoted = QLatin1Char('"') +
                         quoted.replace(QStringLiteral("\""), QStringLiteral("\"\"")) +
                         QLatin1Char('"');
            QVERIFY(lines[r + 1].contains(prefix + quoted + QLatin1Char(',')));
        }
        // An unwritable path fails with a message naming it.
        QVERIFY(!panel_->exportCsv(dir.filePath(QStringLiteral("no/such/dir/x.csv")), &error));
        QVERIFY(error.contains(QStringLiteral("x.csv")));
    }

    void pngExport() {
        setUserPersona();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("list.png"));
        QString error;
        QVERIFY2(panel_->exportPng(path, &error), qPrintable(error));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(imageHasContent(image, 3));
        QVERIFY(image.width() > 1000);
        // Text is drawn: a fair share of dark pixels in the table area.
        int dark = 0;
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < rgb.height(); y += 2)
            for (int x = 0; x < rgb.width(); x += 2) dark += qGray(rgb.pixel(x, y)) < 100 ? 1 : 0;
        QVERIFY2(dark > 500, qPrintable(QString::number(dark)));
        const QList<const Figure*> figures = panel_->figures();
        QCOMPARE(figures.size(), 2);
        QVERIFY(figures.first()->figureTitle().contains(QStringLiteral("Top-10")));
    }

    void personaSaveLoad() {
        setUserPersona();
        PersonaEditor* editor = panel_->personaEditor();
        editor->ratedModel()->setData(
            editor->ratedModel()->index(0, PersonaRatingsModel::RatingColumn), 3.3);
        QCOMPARE(editor->ratedModel()->entries().first().rating, 3.5);  // half stars
        const QList<qint64> before = editor->ratedMovieIds();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.json"));
        QString error;
        QVERIFY2(editor->savePersonaTo(path, QStringLiteral("Test persona"), &error),
                 qPrintable(error));
        editor->clear();
        QCOMPARE(editor->ratedModel()->rowCount(), 0);
        QVERIFY2(editor->loadPersonasFrom(path, &error), qPrintable(error));
        QCOMPARE(editor->ratedMovieIds(), before);
        QCOMPARE(editor->ratedModel()->entries().first().rating, 3.5);
        QCOMPARE(editor->personaName(), QStringLiteral("Test persona"));
        // Bad file: a message naming it, the persona unchanged.
        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{ \"personas\": [ }");
        bad.close();
        QVERIFY(!editor->loadPersonasFrom(bad.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("bad.json")), qPrintable(error));
        QCOMPARE(editor->ratedMovieIds(), before);
        // Remove through the model.
        editor->removeMovie(before.first());
        QCOMPARE(editor->ratedMovieIds().size(), before.size() - 1);
    }

    void existingUser() {
        const Dataset& d = *synthetic().dataset;
        QVERIFY(panel_->useUser(d.userIds[5]));
        QCOMPARE(static_cast<std::size_t>(panel_->personaEditor()->ratedModel()->rowCount()),
                 d.byUser.rowSize(5));
        QVERIFY(!panel_->useUser(-12345));
        panel_->recomputeNow();
        QVERIFY(panel_->topModel()->rowCount() > 0);
    }

    void searchFoldsCaseAndAccents() {
        QCOMPARE(MovieSearchIndex::fold(QStringLiteral("Amélie")), QStringLiteral("amelie"));
        QCOMPARE(MovieSearchIndex::fold(QStringLiteral("  ÆON   Flüx ")),
                 QStringLiteral("aeon flux"));
        QCOMPARE(MovieSearchIndex::fold(QStringLiteral("Léon: The Professional")),
                 QStringLiteral("leon: the professional"));
        // A hand-made release: the accented title found from plain lower-case text, most rated
        // first.
        auto d = std::make_shared<Dataset>();
        d->movieIds = {1, 2, 3};
        d->titles = {"Amélie (2001)", "Amelie Returns (2010)", "Heat (1995)"};
        d->years = {2001, 2010, 1995};
        d->genres = {0, 0, 0};
        d->byMovie.offsets = {0, 5, 12, 13};
        d->byMovie.index.assign(13, 0);
        d->byMovie.halfStars.assign(13, 8);
        d->rebuildIdMaps();
        const MovieSearchIndex index(d);
        const std::vector<int> hits = index.search(QStringLiteral("AMELIE"));
        QCOMPARE(hits, (std::vector<int>{1, 0}));
        QCOMPARE(index.search(QStringLiteral("amélie (2001")), std::vector<int>{0});
        QVERIFY(index.search(QStringLiteral("")).empty());
        QVERIFY(index.search(QStringLiteral("zzz")).empty());
    }

    void typingSearchAddsMovie() {
        const Dataset& d = *synthetic().dataset;
        PersonaEditor* editor = panel_->personaEditor();
        editor->clear();
        // The most rated movie, typed in lower case from a word of its title.
        std::size_t best = 0;
        for (std::size_t m = 0; m < d.movieCount(); ++m)
            if (d.byMovie.rowSize(m) > d.byMovie.rowSize(best)) best = m;
        const QString title = QString::fromStdString(d.titles[best]);
        const QString query = title.left(title.indexOf(QLatin1String(" ("))).toLower();
        QTest::keyClicks(editor->searchField(), query);
        QVERIFY(editor->searchResults()->count() > 0);
        QCOMPARE(editor->searchResults()->item(0)->data(Qt::UserRole + 1).toInt(),
                 static_cast<int>(best));
        editor->ratingSpin()->setValue(4.5);
        QTest::keyClick(editor->searchField(), Qt::Key_Return);
        QCOMPARE(editor->ratedModel()->rowCount(), 1);
        QCOMPARE(editor->ratedModel()->entries().first().movieId, d.movieIds[best]);
        QCOMPARE(editor->ratedModel()->entries().first().rating, 4.5);
        // The edit schedules a recompute (coalesced timer).
        QTRY_VERIFY(panel_->result().has_value() && !panel_->result()->used.empty());
    }

    void qualityTab() {
        RankingQualityView* view = panel_->qualityView();
        QVERIFY(view->runButton()->isEnabled());
        // Before the first evaluation the chart says what to do instead of showing empty axes.
        QVERIFY(!view->result().has_value());
        QVERIFY(!view->chartPlaceholder()->isHidden());
        QVERIFY(view->chartPlaceholder()->text().contains(QStringLiteral("Evaluate")));
        QVERIFY(view->chartPlaceholder()->text().contains(QStringLiteral("Ctrl+Shift+R")));
        QSignalSpy finished(view, &RankingQualityView::finished);
        QSignalSpy cancelled(view, &RankingQualityView::cancelled);
        // A cancelled run never shows a result.
        view->run();
        view->cancel();
        QCOMPARE(cancelled.count(), 1);
        const quint64 job = view->run();
        QVERIFY(job > 0);
        QVERIFY(view->isRunning());
        QVERIFY(view->cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toULongLong(), job);
        QVERIFY(!view->isRunning());
        QVERIFY(view->result().has_value());
        const RankingQuality& q = *view->result();
        for (const char* key :
             {"precision", "recall", "ndcg", "map", "hr_sampled", "ndcg_sampled"}) {
            bool ok = false;
            const double v = QLocale().toDouble(view->metricText(QString::fromLatin1(key)), &ok);
            QVERIFY2(ok, key);
            QVERIFY(v >= 0.0 && v <= 1.0);
        }
        QVERIFY(q.sampled.cases > 0);
        QVERIFY(q.sampled.hitRate > q.topN.precision);  // sampled protocol flatters
        QVERIFY(view->metricText(QStringLiteral("coverage")).contains(QStringLiteral("%")));
        QVERIFY(q.coverage > 0.0 && q.coverage <= 1.0);
        // The popularity chart has both curves and renders.
        QVERIFY(view->popularityFigure()->chart()->series().size() == 2);
        const QImage image =
            renderFigureImage(*view->popularityFigure(), {QSize(600, 400), 96, {}});
        QVERIFY(imageHasContent(image, 3));
        QCOMPARE(finished.count(), 1);
        QVERIFY(view->chartPlaceholder()->isHidden());
    }

    // A run started while another is running supersedes it: only the later one's result is
    // shown, even when the earlier worker returns afterwards.
    void qualityStaleRunDropped() {
        RankingQualityView* view = panel_->qualityView();
        QSignalSpy finished(view, &RankingQualityView::finished);
        QSignalSpy cancelled(view, &RankingQualityView::cancelled);
        QSignalSpy failed(view, &RankingQualityView::failed);
        const quint64 first = view->run();
        const quint64 second = view->run();  // no event is processed in between
        QVERIFY(first > 0 && second > first);
        QCOMPARE(view->activeJobId(), second);
        QVERIFY(view->progressBar()->isVisibleTo(view));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toULongLong(), second);
        // Every worker has returned and what it posted has been handled: still one result.
        QVERIFY(view->jobs()->waitForAll(60000));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(cancelled.count(), 0);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!view->isRunning());
        QVERIFY(!view->progressBar()->isVisibleTo(view));
        QVERIFY(view->result().has_value());
    }

    // Destroying the view while it evaluates stops the worker and waits for it; nothing is
    // delivered afterwards.
    void qualityDestroyedWhileRunning() {
        const Fixture& f = synthetic();
        auto view = std::make_unique<RankingQualityView>();
        view->setModel(f.als, f.dataset, QStringLiteral("ALS k 16"));
        QSignalSpy finished(view.get(), &RankingQualityView::finished);
        QSignalSpy progress(view->jobs(), &JobTracker::progressChanged);
        QVERIFY(view->run() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0 || finished.count() > 0, 60000);
        const bool wasRunning = view->isRunning();
        QPointer<JobTracker> jobs = view->jobs();
        view.reset();  // returns only once the worker has
        QVERIFY(jobs.isNull());
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        if (wasRunning) QCOMPARE(finished.count(), 0);
    }

    // Ctrl+C on the top-N table copies the selected row with the column titles.
    void ctrlCCopiesTopRow() {
        setUserPersona();
        QTableView* table = panel_->topTable();
        TopNTableModel* model = panel_->topModel();
        QVERIFY(model->rowCount() > 0);
        panel_->tabs()->setCurrentIndex(0);
        panel_->show();
        const auto hideAgain = qScopeGuard([this] { panel_->hide(); });
        panel_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(panel_.get()));
        table->setFocus();
        QTRY_VERIFY(table->hasFocus());
        table->selectRow(0);
        QGuiApplication::clipboard()->clear();
        QTest::keySequence(table, QKeySequence::Copy);
        const QStringList lines =
            QGuiApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);  // the header and the one selected row
        const QStringList header = lines[0].split(QLatin1Char('\t'));
        const QStringList cells = lines[1].split(QLatin1Char('\t'));
        QCOMPARE(header.size(), cells.size());
        const QString titleHeader =
            model->headerData(TopNTableModel::TitleColumn, Qt::Horizontal).toString();
        const int titleAt = header.indexOf(titleHeader);
        QVERIFY2(titleAt >= 0, qPrintable(lines[0]));
        QCOMPARE(cells[titleAt], model->row(0)->title);
        QVERIFY(QGuiApplication::clipboard()->mimeData()->html().contains(
            model->row(0)->title.toHtmlEscaped()));
        // The whole list: Ctrl+A then Ctrl+C gives the header and every row in rank order.
        QTest::keySequence(table, QKeySequence::SelectAll);
        QTest::keySequence(table, QKeySequence::Copy);
        const QStringList all =
            QGuiApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(all.size(), model->rowCount() + 1);
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(all[r + 1].split(QLatin1Char('\t')).value(titleAt), model->row(r)->title);
    }

    void realDataLordOfTheRings() {
        LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        auto dataset = std::make_shared<const Dataset>(loadDataset(path.toStdString()));
        auto model = trainAls(*dataset, 32, 42, 10);
        DatasetController controller;  // never loads: the panel uses the model's dataset
        ModelLibrary library;
        library.add({QStringLiteral("als"), QStringLiteral("ALS k 32"), model, dataset,
                     QString::fromStdString(dataset->name)});
        library.setActive(QStringLiteral("als"));
        RankPanel panel(&controller, &library);
        QAbstractItemModelTester tester(panel.topModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        QVERIFY(panel.selectPersona(QStringLiteral("Lord of the Rings fan")));
        QVERIFY(panel.setComparison(RankPanel::kPopularityComparison));
        panel.recomputeNow();
        QVERIFY2(panel.personaEditor()->missingText().isEmpty(),
                 qPrintable(panel.personaEditor()->missingText()));
        const QList<qint64> rated = panel.personaEditor()->ratedMovieIds();
        QCOMPARE(idSet(rated), (std::set<qint64>{4993, 5952, 7153}));
        QCOMPARE(panel.topModel()->rowCount(), 10);
        for (const RankRow& row : panel.topModel()->rows()) {
            QVERIFY(!idSet(rated).count(row.movieId));
            QVERIFY(row.ratingCount >= 100);
        }
        // With the shipped defaults the list is personal: more Fantasy/Adventure than popularity.
        const GenreMask fantasyAdventure = (GenreMask(1) << *genreIdFromName("Fantasy")) |
                                           (GenreMask(1) << *genreIdFromName("Adventure"));
        auto countGenre = [&](const TopNTableModel* m) {
            int n = 0;
            for (const RankRow& row : m->rows())
                n += (dataset->genres[row.movie] & fantasyAdventure) ? 1 : 0;
            return n;
        };
        QVERIFY2(countGenre(panel.topModel()) > countGenre(panel.comparisonModel()),
                 qPrintable(QStringLiteral("%1 vs %2")
                                .arg(countGenre(panel.topModel()))
                                .arg(countGenre(panel.comparisonModel()))));

        // The panel renders (offscreen, fonts checked in initTestCase).
        panel.resize(1400, 800);
        panel.show();
        const QImage shot = panel.grab().toImage();
        QVERIFY(imageHasContent(shot, 8));
        const QString shots = qEnvironmentVariable("LENS_ATLAS_TEST_SHOTS");
        if (!shots.isEmpty()) {
            shot.save(QDir(shots).filePath(QStringLiteral("rank-panel.png")));
            QVERIFY(panel.exportPng(QDir(shots).filePath(QStringLiteral("rank-list.png"))));
        }

        // Search as you type: "amelie" finds Amélie.
        QTest::keyClicks(panel.personaEditor()->searchField(), QStringLiteral("amelie"));
        QListWidget* results = panel.personaEditor()->searchResults();
        QVERIFY(results->count() > 0);
        QVERIFY2(results->item(0)->text().contains(QStringLiteral("Amélie")),
                 qPrintable(results->item(0)->text()));
        QCOMPARE(results->item(0)->data(Qt::UserRole + 1).toInt(),
                 static_cast<int>(dataset->movieIndex(4973)));

        // Ranking quality on the real split, through the worker; before it, a placeholder.
        QVERIFY(!panel.qualityView()->chartPlaceholder()->isHidden());
        if (!shots.isEmpty()) {
            panel.tabs()->setCurrentIndex(1);
            panel.grab().toImage().save(
                QDir(shots).filePath(QStringLiteral("rank-quality-before.png")));
            panel.tabs()->setCurrentIndex(0);
        }
        QSignalSpy finished(panel.qualityView(), &RankingQualityView::finished);
        QVERIFY(panel.qualityView()->run() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const RankingQuality& q = *panel.qualityView()->result();
        QVERIFY(q.topN.users > 500);
        QVERIFY(q.topN.precision > 0.0);
        QVERIFY(q.meanPopularityRecommended > 0.0 && q.meanPopularityCatalogue > 0.0);
        QVERIFY(q.coverage > 0.0 && q.coverage <= 1.0);
        qInfo(
            "ml-latest-small ALS k32: P@10 %.4f R@10 %.4f NDCG@10 %.4f MAP@10 %.4f | sampled HR@10 "
            "%.4f NDCG@10 %.4f | coverage %.3f | popularity rec %.1f vs catalogue %.1f | %.2f s",
            q.topN.precision, q.topN.recall, q.topN.ndcg, q.topN.map, q.sampled.hitRate,
            q.sampled.ndcg, q.coverage, q.meanPopularityRecommended, q.meanPopularityCatalogue,
            q.seconds);
        if (!shots.isEmpty()) {
            panel.tabs()->setCurrentIndex(1);
            panel.grab().toImage().save(QDir(shots).filePath(QStringLiteral("rank-quality.png")));
        }
    }
};

QTEST_MAIN(TestRankPanel)
#include "tst_rank_panel.moc"
