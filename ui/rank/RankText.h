#pragma once
// Texts the Rank stage's parts share: genre lists (the table's genres column, the genre filter
// buttons, the exported figure's subtitle) and the scoring variant (the status line and the
// figure's subtitle).
#include <QString>
#include <string_view>

#include "data/Genre.h"
#include "ranking/TopNRanker.h"

namespace lens::ui {

// One genre's name ("Sci-Fi") as the engine spells it (kGenreNames, genreNamesOf).
QString genreName(std::string_view name);
// "Action, Comedy", or "(no genres)".
QString genreText(lens::GenreMask mask);
// "score p·q + 0.05·b_i (study variant)", "score = predicted rating", ...
QString scoringDescription(lens::RankScoring scoring, double biasWeight);

}  // namespace lens::ui
