#pragma once
// Texts the Rank stage's parts share: genre lists (the table's genres column, the genre filter
// buttons, the exported figure's subtitle) and the scoring variant (the status line and the
// figure's subtitle).
#include <QString>
#include <string>
#include <string_view>
#include <vector>

#include "data/Genre.h"
#include "ranking/TopNRanker.h"

namespace lens::ui {

// One genre's name ("Sci-Fi") as the dataset's vocabulary spells it.
QString genreName(std::string_view name);
// The names of a mask's genres in `vocabulary` (Dataset::genreVocabulary), in its order.
std::vector<std::string_view> genreNamesIn(lens::GenreMask mask,
                                           const std::vector<std::string>& vocabulary);
// "Action, Comedy", or "(no genres)".
QString genreText(lens::GenreMask mask, const std::vector<std::string>& vocabulary);
// "score p·q + 0.05·b_i (study variant)", "score = predicted rating", ...
QString scoringDescription(lens::RankScoring scoring, double biasWeight);

}  // namespace lens::ui
