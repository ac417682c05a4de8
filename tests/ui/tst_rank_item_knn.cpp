// The Rank stage with an item-kNN model (#18): the "because" movies of each recommendation are
// its neighbours among the persona's movies, with their shares of the neighbour term as the
// numbers (recomputed here from explain(), the most contributing first), and the note says so
// instead of describing a fold-in solve.
#include <QtTest>
#include <algorithm>
#include <memory>

#include "models/ItemKnnModel.h"
#include "models/ModelLibrary.h"
#include "models/TrainData.h"
#include "rank/RankListBuilder.h"
#include "synth/SyntheticGenerator.h"

using namespace lens;
using namespace lens::ui;

class TstRankItemKnn : public QObject {
    Q_OBJECT

private slots:
    void becauseAreTheNeighbours() {
        SyntheticConfig config;
        config.ratings = 30'000;
        config.seed = 7;
        config.tags = false;
        const auto dataset = std::make_shared<const Dataset>(generateSyntheticDataset(config));
        auto model = std::make_shared<ItemKnnModel>();
        model->setHyperparameter("k", "10");
        model->fit(TrainData::build(*dataset, makeSplit(*dataset, SplitSpec{})));
        ModelLibrary library;
        library.add({QStringLiteral("knn"), QStringLiteral("item kNN"), model, dataset,
                     QString::fromStdString(dataset->name)});
        library.setActive(QStringLiteral("knn"));

        // A persona of the ten most rated movies, alternately loved and disliked.
        std::vector<std::uint32_t> order(dataset->movieCount());
        for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](auto a, auto b) {
            return dataset->byMovie.rowSize(a) > dataset->byMovie.rowSize(b);
        });
        std::vector<PersonaRating> persona;
        for (int j = 0; j < 10; ++j)
            persona.push_back({dataset->movieIds[order[j]], j % 2 ? 1.5f : 5.0f});

        RankConfig rank;
        rank.filter.minRatings = 1;
        rank.explanationCount = 3;
        RankListBuilder builder(&library);
        const RankLists lists = builder.build(dataset, persona, QStringLiteral("p"), rank, {});
        QVERIFY2(lists.active.has_value(), qPrintable(lists.status));
        QCOMPARE(lists.activeRows.size(), 10);

        std::vector<FoldInRating> ratings;
        for (const auto& p : persona)
            ratings.push_back(
                {static_cast<std::uint32_t>(dataset->movieIndex(p.movieId)), p.rating});
        const FoldedUser user = model->foldIn(ratings);
        int explained = 0;
        for (const RankRow& row : lists.activeRows) {
            QVERIFY2(row.explanationNote.contains(QStringLiteral("neighbour term")),
                     qPrintable(row.explanationNote));
            QVERIFY(!row.explanationNote.contains(QStringLiteral("fold-in solve")));
            // The expected "because": the positive shares, largest first, at most three.
            const std::vector<float> shares =
                model->explain(user, static_cast<std::uint32_t>(row.movie));
            std::vector<std::pair<float, std::int64_t>> positive;
            for (std::size_t j = 0; j < shares.size(); ++j)
                if (shares[j] > 0)
                    positive.push_back({shares[j], dataset->movieIds[user.ratings[j].item]});
            std::stable_sort(positive.begin(), positive.end(),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            if (positive.size() > 3) positive.resize(3);
            QCOMPARE(static_cast<std::size_t>(row.because.size()), positive.size());
            for (std::size_t j = 0; j < positive.size(); ++j) {
                QCOMPARE(row.because[int(j)].movieId, positive[j].second);
                QCOMPARE(float(row.because[int(j)].contribution), positive[j].first);
                // A neighbour of the recommended movie.
                QVERIFY(model->similarity(static_cast<std::uint32_t>(row.movie),
                                          static_cast<std::uint32_t>(
                                              dataset->movieIndex(positive[j].second))) > 0);
            }
            explained += !positive.empty();
        }
        QVERIFY(explained > 0);
    }
};

QTEST_MAIN(TstRankItemKnn)
#include "tst_rank_item_knn.moc"
