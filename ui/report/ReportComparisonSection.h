#pragma once
// The report's "Compare" section, from ReportStudy::comparison: a table of every model's
// metrics with their bootstrap CIs, a table of the paired tests of each pair on the headline
// metrics, a sentence on protocol disagreements, and the protocol, segment and beyond-accuracy
// charts of the Compare stage (ui/compare/CompareFigures.h), each with a teaching caption; the
// gender, age group and occupation charts only when the release has a user file.
#include <QJsonObject>
#include <QWidget>
#include <memory>
#include <vector>

#include "report/ReportDocument.h"
#include "report/ReportStudy.h"

namespace lens::ui {

// Appends the figures it creates to `widgets` (they must outlive the document's write()).
ReportSection buildComparisonSection(const ReportStudy& study,
                                     std::vector<std::unique_ptr<QWidget>>& widgets);

// The comparison as metrics.json's "comparison" (the `compare --json` keys).
QJsonObject comparisonJson(const Comparison& comparison);

}  // namespace lens::ui
