#pragma once
// What the Rank stage computes: the active model's top-N list for a persona and, when one is
// chosen, a second list for the same persona (another library model, or the popularity
// baseline), as engine results and as table rows with their explanations.
//
// The builder keeps a lens::TopNRanker for the active and for the second model, rebuilt only
// when the model or the dataset changes (a fold-in ranker refers to both). Ranking one persona
// is a fold-in solve plus one pass over the catalogue (7 ms at ML-32M's size), so build() runs
// on the calling (GUI) thread. Building the active model's ranker passes over every rating and
// copies the movie vectors (44 ms at ML-32M's size): the Rank panel builds it on a worker as a
// model becomes active and hands it over (adoptRanker); build() makes one itself otherwise.
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "rank/TopNTableModel.h"
#include "ranking/TopNRanker.h"

namespace lens {
class Dataset;
}

namespace lens::ui {

class ModelLibrary;

// One build's lists and what the views show about them.
struct RankLists {
    enum class Second { None, Popularity, Model };

    std::optional<lens::RankResult> active;      // none: see status
    std::optional<lens::RankResult> comparison;  // the second list, when it could be computed
    QList<RankRow> activeRows;
    QList<RankRow> comparisonRows;
    QString activeLabel;  // the active model's label; empty when no model is active
    bool activePredictsRatings = true;
    Second second = Second::None;  // the second list asked for
    QString comparisonLabel;       // the second model's label (Second::Model)
    bool comparisonPredictsRatings = false;
    QString status;  // rich text: what the list was computed from, or why there is none

    bool comparing() const { return second != Second::None; }
};

class RankListBuilder {
    Q_DECLARE_TR_FUNCTIONS(lens::ui::RankListBuilder)
public:
    // The comparison id of the popularity baseline (the other ids are library entry ids).
    static inline const QString kPopularityComparison = QStringLiteral("@popularity");

    // `models` (not owned; may be null) holds the active model and the second one.
    explicit RankListBuilder(const ModelLibrary* models);
    ~RankListBuilder();

    // Ranks `persona` with the active model and the second list `comparisonId` (empty: none)
    // on `dataset`.
    RankLists build(const std::shared_ptr<const Dataset>& dataset,
                    const std::vector<lens::PersonaRating>& persona, const QString& personaName,
                    const lens::RankConfig& config, const QString& comparisonId);
    // Drops both rankers (the dataset changed).
    void reset();
    // Whether build() on `dataset` has the active model's ranker already.
    bool hasActiveRanker(const std::shared_ptr<const Dataset>& dataset) const;
    // Takes `ranker` (built elsewhere for `model` on `dataset`) as the active model's, if the
    // library entry `id` is still active with that model and no ranker is built for it yet.
    void adoptRanker(const QString& id, const std::shared_ptr<const lens::Recommender>& model,
                     const std::shared_ptr<const Dataset>& dataset,
                     std::unique_ptr<lens::TopNRanker> ranker);

    // The second lists that can be offered on `dataset`: (label, id), the popularity baseline
    // first, then every other library model of that dataset.
    static QList<std::pair<QString, QString>> comparisonChoices(const ModelLibrary* models,
                                                                const Dataset* dataset);

private:
    struct Slot;
    static bool holds(const Slot* slot, const QString& id,
                      const std::shared_ptr<const lens::Recommender>& model,
                      const std::shared_ptr<const Dataset>& dataset);
    void rebuildSlots(const std::shared_ptr<const Dataset>& dataset, const QString& comparisonId);
    static QList<RankRow> rowsOf(const lens::RankResult& result, const lens::TopNRanker& ranker,
                                 const std::vector<lens::PersonaRating>& persona);

    const ModelLibrary* models_;
    std::unique_ptr<Slot> active_;
    std::unique_ptr<Slot> other_;
};

}  // namespace lens::ui
