// The GUI on a dataset that is not MovieLens (issue #20): a 1..10 scale and the genre
// vocabulary {"Books", "Music"}, or implicit feedback. The Train stage's model picker disables
// rating models on implicit data with the reason as tooltip and refuses to start one; persona
// ratings snap to the scale's steps and range; the Explore rating histogram follows the scale
// and says "no ratings" on implicit data; the movie table names the vocabulary's genres.
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QLineEdit>
#include <QStandardItemModel>
#include <QtTest>

#include "MovieTableModel.h"
#include "data/DatasetBuilder.h"
#include "explore/ExploreFigures.h"
#include "io/InteractionReader.h"
#include "models/RecommenderFactory.h"
#include "rank/PersonaEditor.h"
#include "rank/PersonaRatingsModel.h"
#include "stats/Eda.h"
#include "train/HyperparameterForm.h"
#include "train/TrainSettingsForm.h"

using namespace lens;
using namespace lens::ui;

namespace {

// 1..10 in steps of 1: stored code c is the rating c.
constexpr RatingScale kOneToTen{0.0f, 1.0f, 1.0f, 10.0f, false};

// Implicit feedback: every interaction is code 1, value 1.
constexpr RatingScale kImplicitScale{0.0f, 1.0f, 1.0f, 1.0f, true};

// 6 users x 4 items; codes 2, 7, 9, 10 on the 1..10 scale (all 1 when implicit).
Dataset smallDataset(const RatingScale& scale) {
    RawRatings r;
    const HalfStars codes[] = {2, 7, 9, 10};
    for (std::int64_t u = 1; u <= 6; ++u)
        for (std::int64_t i = 1; i <= 4; ++i)
            r.push(u, i, scale.implicit ? 1 : codes[(u + i) % 4], static_cast<std::uint32_t>(u));
    std::vector<RawMovie> movies{{1, "One", 1U}, {2, "Two", 2U}, {3, "Three", 3U}, {4, "Four", 0U}};
    Dataset ds = buildDataset(std::move(r), std::move(movies));
    ds.name = "shop";
    ds.scale = scale;
    ds.genreVocabulary = {"Books", "Music"};
    return ds;
}

}  // namespace

class TestDatasetScaleUi : public QObject {
    Q_OBJECT

private slots:
    void trainPickerDisablesRatingModelsOnImplicitData() {
        const Dataset ds = smallDataset(kImplicitScale);
        TrainSettingsForm form;
        auto* combo = form.findChild<QComboBox*>();
        QVERIFY(combo);
        auto* items = qobject_cast<QStandardItemModel*>(combo->model());
        QVERIFY(items);
        QCOMPARE(form.modelKind(), QStringLiteral("als"));  // the default on ratings
        form.setDataset(&ds);
        int disabled = 0;
        for (const auto& d : recommenderRegistry()) {
            const int row = combo->findData(QString::fromStdString(d.name));
            QVERIFY(row >= 0);
            const QStandardItem* item = items->item(row);
            QCOMPARE(item->isEnabled(), d.ranking);
            if (!d.ranking) {
                ++disabled;
                QVERIFY2(item->toolTip().contains(QStringLiteral("predicts ratings")),
                         qPrintable(item->toolTip()));
                QVERIFY(item->toolTip().contains(QStringLiteral("implicit feedback")));
            }
        }
        QVERIFY(disabled >= 4);  // bias, als, als-genre, item-knn, bpmf
        // A ranking model was chosen instead of ALS, and it may start.
        QVERIFY(findRecommender(form.modelKind().toStdString())->ranking);
        QVERIFY(form.refusal().isEmpty());
        QVERIFY(form.isValid());
        // A rating model set by a program (a restored setting) cannot start, with the reason.
        form.setModelKind(QStringLiteral("als"));
        QVERIFY(!form.isValid());
        QVERIFY(form.refusal().startsWith(QStringLiteral("als predicts ratings; shop has no")));
        // An NCF model with the explicit objective predicts ratings too.
        form.setModelKind(QStringLiteral("gmf"));
        QVERIFY(form.isValid());
        HyperparameterValues values = form.form()->values();
        for (auto& [key, value] : values)
            if (key == QLatin1String("objective")) value = QStringLiteral("explicit");
        QVERIFY(form.form()->setValues(values));
        QVERIFY(!form.isValid());

        // Back on rated data every model is offered again.
        const Dataset rated = smallDataset(kOneToTen);
        form.setDataset(&rated);
        for (int row = 0; row < combo->count(); ++row) QVERIFY(items->item(row)->isEnabled());
        QVERIFY(form.refusal().isEmpty());
    }

    void personaRatingsFollowTheScale() {
        // Half stars: as before.
        QCOMPARE(PersonaRatingsModel::normaliseRating(3.3), 3.5);
        QCOMPARE(PersonaRatingsModel::normaliseRating(9.0), 5.0);
        const RatingScale scale = kOneToTen;
        QCOMPARE(PersonaRatingsModel::normaliseRating(7.4, scale), 7.0);
        QCOMPARE(PersonaRatingsModel::normaliseRating(7.6, scale), 8.0);
        QCOMPARE(PersonaRatingsModel::normaliseRating(12.0, scale), 10.0);
        QCOMPARE(PersonaRatingsModel::normaliseRating(0.2, scale), 1.0);
        PersonaRatingsModel model;
        model.setEntries({{1, 0, QStringLiteral("One"), 9.0}});
        QCOMPARE(model.entries().front().rating, 5.0);  // half stars by default
        model.setScale(scale);
        model.addOrUpdate({2, 1, QStringLiteral("Two"), 8.7});
        QCOMPARE(model.entries().back().rating, 9.0);
        QCOMPARE(model.data(model.index(1, PersonaRatingsModel::RatingColumn)).toString(),
                 QStringLiteral("9"));
    }

    void personaEditorTakesStringUserIds() {
        // Users named by strings: the Rank stage's user field takes the name as the data
        // spells it (Enter or the button), and names the persona after it.
        const std::string text = "user,item,rating\nbob,10,4\nalice,10,5\nalice,11,3\nzoe,11,1\n";
        auto ds = std::make_shared<Dataset>(readInteractions(
            text, "events.csv", parseInteractionFormat("user=user,item=item,rating=rating"),
            "events", LoadOptions{}));
        QCOMPARE(ds->userKeys, (std::vector<std::string>{"alice", "bob", "zoe"}));
        QCOMPARE(ds->userIndexOfLabel("bob"), std::int64_t{1});
        QCOMPARE(ds->userIndexOfLabel("carol"), std::int64_t{-1});
        QCOMPARE(ds->userIndexOfLabel("2"), std::int64_t{-1});  // a number is not a key
        PersonaEditor editor;
        editor.setDataset(ds);
        QCOMPARE(editor.userField()->text(), QStringLiteral("alice"));  // the first user
        editor.userField()->setText(QStringLiteral("bob"));
        QTest::keyClick(editor.userField(), Qt::Key_Return);
        QCOMPARE(editor.personaName(), QStringLiteral("User bob"));
        QCOMPARE(editor.ratedModel()->rowCount(), 1);
        QCOMPARE(editor.ratedMovieIds(), QList<qint64>{static_cast<qint64>(ds->movieIds[0])});
        QCOMPARE(editor.ratings().front().rating, 4.0f);
        // Numbered data: the field takes the number.
        auto numbered = std::make_shared<Dataset>(smallDataset(kOneToTen));
        QCOMPARE(numbered->userIndexOfLabel("3"), numbered->userIndex(3));
        QCOMPARE(numbered->userIndexOfLabel("3x"), std::int64_t{-1});
        editor.setDataset(numbered);
        editor.userField()->setText(QStringLiteral("3"));
        QTest::keyClick(editor.userField(), Qt::Key_Return);
        QCOMPARE(editor.personaName(), QStringLiteral("User 3"));
        QCOMPARE(static_cast<std::size_t>(editor.ratedModel()->rowCount()),
                 numbered->byUser.rowSize(static_cast<std::size_t>(numbered->userIndex(3))));
    }

    void ratingHistogramFollowsTheScale() {
        const Dataset ds = smallDataset(kOneToTen);
        const EdaReport report = computeEda(ds);
        std::unique_ptr<QChart> chart(
            createExploreChart(ExploreChart::RatingHistogram, report, QStringLiteral("shop")));
        const auto series = chart->series();
        QVERIFY(!series.isEmpty());
        auto* bars = qobject_cast<QAbstractBarSeries*>(series.front());
        QVERIFY(bars);
        // One bar per value present: 2, 7, 9, 10, six ratings each.
        QCOMPARE(bars->barSets().front()->count(), 4);
        for (int i = 0; i < 4; ++i) QCOMPARE(bars->barSets().front()->at(i), 6.0);
        const QString caption = exploreCaption(ExploreChart::RatingHistogram, report);
        QVERIFY2(caption.contains(QStringLiteral("scale of 1 to 10")), qPrintable(caption));
        QVERIFY(!caption.contains(QStringLiteral("half stars")));

        const EdaReport implicit = computeEda(smallDataset(kImplicitScale));
        std::unique_ptr<QChart> empty(
            createExploreChart(ExploreChart::RatingHistogram, implicit, QStringLiteral("shop")));
        QVERIFY(empty->series().isEmpty());
        QVERIFY(empty->title().contains(QStringLiteral("No ratings")));
        QVERIFY(exploreCaption(ExploreChart::RatingHistogram, implicit)
                    .startsWith(QStringLiteral("No ratings")));
        std::unique_ptr<QChart> means(
            createExploreChart(ExploreChart::MovieMeans, implicit, QStringLiteral("shop")));
        QVERIFY(means->series().isEmpty());
        QVERIFY(exploreCaption(ExploreChart::MovieMeans, implicit)
                    .startsWith(QStringLiteral("No mean ratings")));
    }

    void movieTableNamesTheVocabulary() {
        auto ds = std::make_shared<const Dataset>(smallDataset(kOneToTen));
        MovieTableModel model;
        model.setDataset(ds);
        QString genres;
        for (int row = 0; row < model.rowCount(); ++row)
            genres += model.data(model.index(row, MovieTableModel::GenresColumn)).toString() + ';';
        QVERIFY2(genres.contains(QStringLiteral("Books, Music")), qPrintable(genres));
        QVERIFY(!genres.contains(QStringLiteral("Action")));
        // Mean ratings on the scale: movie 1 gets codes (u + 1) % 4 over u = 1..6.
        double sum = 0.0;
        const double codes[] = {2, 7, 9, 10};
        for (int u = 1; u <= 6; ++u) sum += codes[(u + 1) % 4];
        const int row = 0;  // movie id 1
        const QVariant mean = model.data(model.index(row, MovieTableModel::MeanRatingColumn),
                                         MovieTableModel::SortRole);
        QVERIFY(std::abs(mean.toDouble() - sum / 6.0) < 1e-9);
    }
};

QTEST_MAIN(TestDatasetScaleUi)
#include "tst_dataset_scale_ui.moc"
