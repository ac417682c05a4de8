// The Rank panel (ui/rank): the top-N table and its filters, the scoring variant,
// explanations, the side-by-side comparison and its overlap, CSV and PNG export, and copying rows,
// on a synthetic release. Persona editing and search: tst_rank_persona; the ranking-quality tab:
// tst_ranking_quality_view.
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>

#include "charts/Figure.h"
#include "data/Genre.h"
#include "rank/RankControls.h"
#include "rank/RankListBuilder.h"
#include "rank/RankText.h"
#include "rank/TopNTableModel.h"

#include "tst_rank_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TestRankPanel : public QObject, private RankPanelFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }
    void cleanupTestCase() { tearDownFixture(); }

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

    // A model that becomes active gets its ranker from a background job (a pass over every
    // rating, 44 ms on the GUI thread at ML-32M's size); the coalesced recompute waits for it,
    // then the list follows without recomputeNow().
    void newActiveModelRanksAfterItsRankerJob() {
        setUserPersona();
        const QList<qint64> before = panel_->topModel()->movieIds();
        QSignalSpy changed(panel_.get(), &RankPanel::personaChanged);
        library_->setActive(QStringLiteral("als-b"));
        QVERIFY(panel_->isPreparingRanker());
        // F5 meanwhile waits for the job: the ranker is not built a second time, here.
        auto* recompute = panel_->findChild<QAction*>(QStringLiteral("recomputeAction"));
        QVERIFY(recompute);
        recompute->trigger();
        QCOMPARE(changed.count(), 0);
        QVERIFY(panel_->isPreparingRanker());
        QVERIFY(changed.wait());
        QVERIFY(!panel_->isPreparingRanker());
        QVERIFY(panel_->statusText().contains(QStringLiteral("ALS k 8")));
        QCOMPARE(panel_->topModel()->rowCount(), 10);
        QVERIFY(panel_->topModel()->movieIds() != before);
        library_->setActive(QStringLiteral("als-a"));
        QVERIFY(changed.wait());
        QCOMPARE(panel_->topModel()->movieIds(), before);
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
};

QTEST_MAIN(TestRankPanel)
#include "tst_rank_panel.moc"
