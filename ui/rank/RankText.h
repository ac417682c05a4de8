#pragma once
// Texts the Rank stage's parts share: genre lists (the table's genres column, the genre filter
// buttons, the exported figure's subtitle) and the scoring variant (the status line and the
// figure's subtitle).
#include <QString>

#include "data/Genre.h"
#include "ranking/TopNRanker.h"

namespace lens::ui {

// "Action, Comedy", or "(no genres)".
QString genreText(lens::GenreMask mask);
// "score p·q + 0.05·b_i (study variant)", "score = predicted rating", ...
QString scoringDescription(lens::RankScoring scoring, double biasWeight);

}  // namespace lens::ui
