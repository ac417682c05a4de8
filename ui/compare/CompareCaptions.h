#pragma once
// The teaching captions under the Compare stage's tables and charts (rich text): what a
// bootstrap CI over users means, paired t vs Wilcoxon, Holm's correction, why the sampled and
// full ranking protocols can disagree (Krichene and Rendle 2020), with this comparison's figures.
#include <QString>
#include <string>

#include "eval/ModelComparison.h"
#include "eval/Segments.h"

namespace lens::ui {

// Teaching captions (rich text), with the figures of `c` where they help.
QString scatterCaption(const Comparison& c, int a, int b, const std::string& metric);
QString histogramCaption(const Comparison& c, const std::string& metric);
QString activityCaption(const Comparison& c);
QString popularityCaption(const Comparison& c);
QString demographicCaption(const Comparison& c, DemographicDimension dimension);
QString beyondCaption(const Comparison& c);
QString protocolsCaption(const Comparison& c);
// The tables' captions: bootstrap CIs, and paired t vs Wilcoxon with Holm.
QString metricsTableCaption(const Comparison& c);
QString pairsTableCaption(const Comparison& c);

}  // namespace lens::ui
