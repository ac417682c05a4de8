#pragma once
// Titles of the synthetic movies: a plausible title from a few word lists, with the quirks of
// MovieLens titles (a leading article moved to the end, commas, quotes). Internal to
// engine/synth.
#include <string>

#include "util/Random.h"

namespace lens::synth {

// A plausible title without the year. `plain` leaves out the MovieLens quirks (moved article,
// commas, quotes), for franchise base titles.
std::string makeTitle(Pcg32& rng, bool plain);

}  // namespace lens::synth
