#pragma once
// The Load stage's summary of a loaded dataset: the grid of summary cards (ratings, users,
// movies, density, mean rating with the rating scale, date range, tags, skipped lines, load time,
// memory) and the notes line under the title (what loading repaired or skipped, implicit
// feedback, what each load filter removed).
#include <QMap>
#include <QString>
#include <QStringList>

class QWidget;

namespace lens {
class Dataset;
}

namespace lens::ui {

class SummaryCard;

// Creates the cards in a grid widget; `cards` gets them by key: ratings, users, movies, density,
// mean, dates, tags, skipped, seconds, memory.
QWidget* createSummaryCards(QWidget* parent, QMap<QString, SummaryCard*>& cards);

// Fills the cards for `dataset`; `jobSeconds` is the controller's wall time of the load job.
void showDatasetSummary(const QMap<QString, SummaryCard*>& cards, const Dataset& dataset,
                        double jobSeconds);

// "1-10 in steps of 1", "implicit feedback (no ratings): rating models are disabled".
QString ratingScaleSummary(const Dataset& dataset);

// One entry per load filter that ran: "k-core 5 removed 1,204 ratings, 31 users, 88 items".
QStringList filterSummary(const Dataset& dataset);

// The notes under the title: skipped lines, duplicates, unknown movies, the first warning, the
// scale of data that is not on MovieLens's half stars, the filters' results.
QStringList loadNotes(const Dataset& dataset);

}  // namespace lens::ui
