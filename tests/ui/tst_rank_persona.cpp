// The Rank panel's persona (ui/rank/PersonaEditor): presets with movies missing from the
// release, the personaChanged signal, saving and loading personas, an existing user as persona,
// and the accent-insensitive search. A synthetic release (always available) covers the
// mechanics; ml-latest-small (skipped where absent) covers the Lord of the Rings preset and the
// search for "Amélie".
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>

#include "TestData.h"
#include "data/Genre.h"
#include "io/DatasetLoader.h"
#include "rank/MovieSearchIndex.h"
#include "rank/PersonaRatingsModel.h"
#include "rank/RankingQualityView.h"
#include "rank/TopNTableModel.h"

#include "tst_rank_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TestRankPersona : public QObject, private RankPanelFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }
    void cleanupTestCase() { tearDownFixture(); }

    void presetMissingFromRelease() {
        // Synthetic ids are not MovieLens ids: whatever of the preset is absent is reported.
        QVERIFY(panel_->selectPersona(QStringLiteral("Lord of the Rings fan")));
        const std::set<qint64> rated = idSet(panel_->personaEditor()->ratedMovieIds());
        for (qint64 id : panel_->personaEditor()->missingMovieIds()) QVERIFY(!rated.count(id));
        // A persona with one movie of the release and one that no release has.
        const Dataset& d = *synthetic().dataset;
        lens::ui::Persona persona;
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

    void personaChangedSignal() {
        QSignalSpy spy(panel_.get(), &RankPanel::personaChanged);
        setUserPersona();
        QVERIFY(spy.count() >= 1);
        const auto args = spy.last();
        QCOMPARE(args.at(0).value<QList<qint64>>(), panel_->personaEditor()->ratedMovieIds());
        QCOMPARE(args.at(1).value<QList<qint64>>(), panel_->topModel()->movieIds());
        QCOMPARE(args.at(0).value<QList<qint64>>().size(), 5);
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
        QTRY_VERIFY(editor->isSearchReady());  // built on a worker as the release arrived
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

    // The title search is built on a worker: typed before it is ready, the query shows that the
    // titles are being indexed (Enter adds nothing), and its matches once searchReady() comes.
    void searchIsBuiltOnAWorker() {
        const auto dataset = synthetic().dataset;
        PersonaEditor editor;
        QSignalSpy ready(&editor, &PersonaEditor::searchReady);
        editor.setDataset(dataset);
        QVERIFY(!editor.isSearchReady());  // delivered through the event loop, not yet run
        const QString title = QString::fromStdString(dataset->titles[0]);
        QTest::keyClicks(editor.searchField(), title.left(title.indexOf(QLatin1String(" ("))));
        QCOMPARE(editor.searchResults()->count(), 1);
        QVERIFY(editor.searchResults()->item(0)->text().contains(QStringLiteral("Indexing")));
        QTest::keyClick(editor.searchField(), Qt::Key_Return);
        QCOMPARE(editor.ratedModel()->rowCount(), 0);
        QVERIFY(ready.wait());
        QVERIFY(editor.isSearchReady());
        QVERIFY(editor.searchResults()->count() > 0);
        QVERIFY(editor.searchResults()->item(0)->data(Qt::UserRole + 1).isValid());
        QTest::keyClick(editor.searchField(), Qt::Key_Return);
        QCOMPARE(editor.ratedModel()->rowCount(), 1);
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
        QTRY_VERIFY(panel.personaEditor()->isSearchReady());
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

QTEST_MAIN(TestRankPersona)
#include "tst_rank_persona.moc"
