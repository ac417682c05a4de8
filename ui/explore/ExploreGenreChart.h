#pragma once
// The Explore chart of genres and its caption: for each genre (and "(no genre)"), the share of
// movies carrying it and the share of ratings going to those movies, as horizontal bars, most
// rated on top; hovering a bar shows the exact count. Internal to ui/explore: callers go through
// createExploreChart / createExploreFigure / exploreCaption (ExploreFigures.h).
#include <QString>

#include "stats/Eda.h"

class QChart;

namespace lens::ui {
class ChartFigure;
}

namespace lens::ui::explore {

QChart* genresChart(const EdaReport& r, const QString& name);
QString genresCaption(const EdaReport& r);
// Tooltips naming the genre, the exact count and the percentage of the hovered bar.
void installGenreTooltips(ChartFigure* figure);

}  // namespace lens::ui::explore
