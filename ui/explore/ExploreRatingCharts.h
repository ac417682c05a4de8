#pragma once
// The Explore charts of the rating values and dates and their captions: the histogram of ratings
// per half star (mean and median marked), the histogram of per-movie mean ratings (for a minimum
// number of ratings) and the ratings per UTC calendar year. Internal to ui/explore: callers go
// through createExploreChart / createMovieMeanChart / exploreCaption (ExploreFigures.h).
#include <QString>

#include "stats/Eda.h"

class QChart;

namespace lens::ui::explore {

QChart* ratingHistogramChart(const EdaReport& r, const QString& name);
QChart* movieMeanChart(const MovieMeanHistogram& h, const QString& name);
QChart* ratingsPerYearChart(const EdaReport& r, const QString& name);

QString ratingHistogramCaption(const EdaReport& r);
QString movieMeanCaption(const MovieMeanHistogram& h);
QString ratingsPerYearCaption(const EdaReport& r);

}  // namespace lens::ui::explore
