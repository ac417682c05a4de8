#include "RankListBuilder.h"

#include <QLocale>
#include <cmath>
#include <unordered_map>

#include "data/Dataset.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "rank/RankText.h"

namespace lens::ui {

// A model with the ranker built for it on one dataset (the ranker refers to both).
struct RankListBuilder::Slot {
    QString id;
    QString label;
    std::shared_ptr<const Recommender> model;
    std::shared_ptr<const Dataset> dataset;
    std::unique_ptr<TopNRanker> ranker;
    QString error;
};

RankListBuilder::RankListBuilder(const ModelLibrary* models) : models_(models) {}

RankListBuilder::~RankListBuilder() = default;

void RankListBuilder::reset() {
    active_.reset();
    other_.reset();
}

bool RankListBuilder::holds(const Slot* slot, const QString& id,
                            const std::shared_ptr<const Recommender>& model,
                            const std::shared_ptr<const Dataset>& dataset) {
    return slot && slot->id == id && slot->model == model && slot->dataset == dataset;
}

bool RankListBuilder::hasActiveRanker(const std::shared_ptr<const Dataset>& dataset) const {
    const ModelLibrary::Entry* e = models_ ? models_->active() : nullptr;
    return e && holds(active_.get(), e->id, e->model, dataset) && active_->ranker;
}

void RankListBuilder::adoptRanker(const QString& id,
                                  const std::shared_ptr<const Recommender>& model,
                                  const std::shared_ptr<const Dataset>& dataset,
                                  std::unique_ptr<TopNRanker> ranker) {
    const ModelLibrary::Entry* e = models_ ? models_->active() : nullptr;
    if (!ranker || !e || e->id != id || e->model != model || !dataset) return;
    if (holds(active_.get(), id, model, dataset) && active_->ranker) return;  // built meanwhile
    active_ = std::make_unique<Slot>();
    active_->id = id;
    active_->label = e->label;
    active_->model = model;
    active_->dataset = dataset;
    active_->ranker = std::move(ranker);
}

void RankListBuilder::rebuildSlots(const std::shared_ptr<const Dataset>& dataset,
                                   const QString& comparisonId) {
    auto rebuild = [&dataset](std::unique_ptr<Slot>& slot, const ModelLibrary::Entry* e) {
        if (!e || !e->model || !dataset) {
            slot.reset();
            return;
        }
        if (holds(slot.get(), e->id, e->model, dataset)) {
            slot->label = e->label;
            return;
        }
        slot = std::make_unique<Slot>();
        slot->id = e->id;
        slot->label = e->label;
        slot->model = e->model;
        slot->dataset = dataset;
        try {
            slot->ranker = std::make_unique<TopNRanker>(*slot->model, *slot->dataset);
        } catch (const std::exception& ex) {
            slot->error = tr("%1 cannot rank the loaded dataset: %2")
                              .arg(e->label, QString::fromUtf8(ex.what()));
        }
    };
    rebuild(active_, models_ ? models_->active() : nullptr);
    const bool otherModel = !comparisonId.isEmpty() && comparisonId != kPopularityComparison;
    rebuild(other_, models_ && otherModel ? models_->find(comparisonId) : nullptr);
}

RankLists RankListBuilder::build(const std::shared_ptr<const Dataset>& dataset,
                                 const std::vector<PersonaRating>& persona,
                                 const QString& personaName, const RankConfig& config,
                                 const QString& comparisonId) {
    rebuildSlots(dataset, comparisonId);
    RankLists lists;
    if (comparisonId == kPopularityComparison) {
        lists.second = RankLists::Second::Popularity;
    } else if (!comparisonId.isEmpty()) {
        lists.second = RankLists::Second::Model;
        if (other_) {
            lists.comparisonLabel = other_->label;
            lists.comparisonPredictsRatings = other_->model->predictsRatings();
        }
    }
    if (active_) {
        lists.activeLabel = active_->label;
        lists.activePredictsRatings = active_->model->predictsRatings();
    }

    const QLocale locale;
    if (!active_) {
        lists.status = models_ && models_->active()
                           ? tr("No dataset is loaded.")
                           : tr("No model is active: train one in the Train stage (or open a "
                                "saved model) to rank movies for a persona.");
    } else if (!active_->ranker) {
        lists.status = active_->error;
    } else if (persona.empty()) {
        lists.status = tr("Pick a persona, an existing user, or add rated movies to get a list.");
    } else {
        try {
            lists.active = active_->ranker->rankPersona(persona, config);
            lists.activeRows = rowsOf(*lists.active, *active_->ranker, persona);
            lists.status = tr("<b>%1</b> for <b>%2</b> (%3 rated movies): %4 of %5 movies pass the "
                              "filters; %6.")
                               .arg(active_->label.toHtmlEscaped(), personaName.toHtmlEscaped())
                               .arg(lists.active->used.size())
                               .arg(locale.toString(qulonglong(lists.active->candidates)),
                                    locale.toString(qulonglong(active_->dataset->movieCount())),
                                    scoringDescription(config.scoring, config.biasWeight));
            if (lists.second == RankLists::Second::Popularity) {
                lists.comparison = active_->ranker->popularity(persona, config.filter);
                lists.comparisonRows = rowsOf(*lists.comparison, *active_->ranker, persona);
            } else if (other_ && other_->ranker) {
                lists.comparison = other_->ranker->rankPersona(persona, config);
                lists.comparisonRows = rowsOf(*lists.comparison, *other_->ranker, persona);
            } else if (other_) {
                lists.status += QStringLiteral("<br>") + other_->error.toHtmlEscaped();
            }
        } catch (const std::exception& e) {
            lists.active.reset();
            lists.comparison.reset();
            lists.activeRows.clear();
            lists.comparisonRows.clear();
            lists.status =
                tr("Could not rank: %1").arg(QString::fromUtf8(e.what()).toHtmlEscaped());
        }
    }
    return lists;
}

QList<RankRow> RankListBuilder::rowsOf(const RankResult& result, const TopNRanker& ranker,
                                       const std::vector<PersonaRating>& persona) {
    const Dataset& dataset = ranker.dataset();
    std::unordered_map<std::int64_t, float> ratingOf;
    for (const PersonaRating& r : persona) ratingOf[r.movieId] = r.rating;
    const QString note =
        !result.explainedByContributions
            ? tr("Numbers: cosine similarity to the recommended movie in the "
                 "model's embedding space (nearest rated movies).")
        : ranker.model().kind() == "item-knn"
            ? tr("Numbers: each similar rated movie's share s·(r − b) / Σs of the "
                 "neighbour term (item kNN).")
            : tr("Numbers: each movie's exact share of p·q from the fold-in solve.");
    QList<RankRow> rows;
    for (const RankedMovie& m : result.items) {
        RankRow row;
        row.rank = m.rank;
        row.movie = static_cast<int>(m.item);
        row.movieId = m.movieId;
        if (m.item < dataset.movieCount()) {
            row.title = QString::fromStdString(dataset.titles[m.item]);
            row.year = dataset.years[m.item];
            row.genres = genreText(dataset.genres[m.item], dataset.genreVocabulary);
        }
        row.predictedRating = m.predictedRating;
        row.rawScore = m.score;
        row.modelOutput = m.rawScore;
        row.ratingCount = static_cast<int>(m.ratingsCount);
        row.meanRating = m.ratingsCount > 0 ? m.meanRating : std::nan("");
        for (std::size_t j = 0; j < m.because.size(); ++j) {
            RankContribution c;
            c.movieId = m.because[j];
            const std::int64_t index = dataset.movieIndex(c.movieId);
            c.title = index >= 0 ? QString::fromStdString(dataset.titles[index])
                                 : tr("movie %1").arg(c.movieId);
            const auto it = ratingOf.find(c.movieId);
            c.rating = it != ratingOf.end() ? it->second : std::nan("");
            c.contribution = j < m.becauseWeights.size() ? m.becauseWeights[j] : 0.0;
            row.because.append(c);
        }
        row.explanationNote = note;
        rows.append(row);
    }
    return rows;
}

QList<std::pair<QString, QString>> RankListBuilder::comparisonChoices(const ModelLibrary* models,
                                                                      const Dataset* dataset) {
    QList<std::pair<QString, QString>> choices;
    choices.append({tr("Popularity (most rated)"), kPopularityComparison});
    if (!models) return choices;
    const QString activeId = models->activeId();
    const QString datasetName = dataset ? QString::fromStdString(dataset->name) : QString();
    for (const ModelLibrary::Entry& e : models->entries()) {
        if (e.id == activeId || !e.model) continue;
        // Only models of the loaded dataset can rank its movies.
        if (!datasetName.isEmpty() && !e.datasetName.isEmpty() && e.datasetName != datasetName)
            continue;
        choices.append({e.label, e.id});
    }
    return choices;
}

}  // namespace lens::ui
