#pragma once
// The Explore charts of the degree distributions (ratings per user and per movie) and their
// captions: the log-binned PDF and the CCDF with the fitted power-law tails, the rank-frequency
// (Zipf) plot and the Lorenz curves with the Gini coefficients. Internal to ui/explore: callers
// go through createExploreChart / exploreCaption (ExploreFigures.h).
#include <QString>

#include "stats/Eda.h"

class QChart;

namespace lens::ui::explore {

QChart* degreePdfChart(const EdaReport& r, const QString& name);
QChart* ccdfChart(const EdaReport& r, const QString& name);
QChart* rankFrequencyChart(const EdaReport& r, const QString& name);
QChart* lorenzChart(const EdaReport& r, const QString& name);

QString degreePdfCaption(const EdaReport& r);
QString ccdfCaption(const EdaReport& r);
QString rankFrequencyCaption(const EdaReport& r);
QString lorenzCaption(const EdaReport& r);

}  // namespace lens::ui::explore
