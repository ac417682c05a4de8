#include "synth/SyntheticTitles.h"

#include <array>
#include <string_view>

namespace lens::synth {

namespace {

constexpr std::array<std::string_view, 60> kAdjectives = {
    "Silent",  "Crimson",  "Midnight",  "Broken",  "Golden",    "Hidden",   "Last",    "Distant",
    "Burning", "Frozen",   "Electric",  "Hollow",  "Wild",      "Secret",   "Velvet",  "Iron",
    "Lonely",  "Savage",   "Quiet",     "Endless", "Shattered", "Bright",   "Dark",    "Northern",
    "Lost",    "Falling",  "Rising",    "Paper",   "Glass",     "Silver",   "Scarlet", "Bitter",
    "Sweet",   "Restless", "Forgotten", "Brave",   "Little",    "Great",    "Final",   "Eternal",
    "Phantom", "Neon",     "Copper",    "Marble",  "Wandering", "Sleeping", "Crooked", "Painted",
    "Howling", "Starfall", "Thunder",   "Shadow",  "Summer",    "Winter",   "Autumn",  "Morning",
    "Evening", "Desert",   "Ocean",     "River"};
constexpr std::array<std::string_view, 50> kNouns = {
    "Protocol", "Harbor",    "Orchard",  "Empire",    "Horizon",  "Frontier",  "Garden",  "Kingdom",
    "Letters",  "Requiem",   "Station",  "Signal",    "Promise",  "Code",      "Legacy",  "Voyage",
    "Circus",   "Mirror",    "Island",   "Covenant",  "Dominion", "Witness",   "Machine", "Highway",
    "Lantern",  "Serenade",  "Carnival", "Labyrinth", "Vendetta", "Odyssey",   "Paradox", "Bridge",
    "Crossing", "Heist",     "Alibi",    "Reckoning", "Uprising", "Symphony",  "Affair",  "Secrets",
    "Dreams",   "Hearts",    "Wolves",   "Ghosts",    "Giants",   "Strangers", "Angels",  "Outlaws",
    "Soldiers", "Detectives"};
constexpr std::array<std::string_view, 20> kPlaces = {
    "Avalon", "Marrakesh", "Brooklyn", "Kyoto",      "Tangier", "Nevada",  "Patagonia",
    "Saturn", "Andromeda", "Vienna",   "Casablanca", "Yukon",   "Orion",   "Montana",
    "Havana", "Lisbon",    "Shanghai", "Berlin",     "Dakota",  "Atlantis"};
constexpr std::array<std::string_view, 16> kNames = {
    "Johnny", "Maggie", "Eleanor", "Frankie", "Oscar", "Vivian", "Henry", "Lucy",
    "Max",    "Rosa",   "Walter",  "Iris",    "Duke",  "Sadie",  "Leo",   "Nora"};

template <typename Array>
std::string_view pick(Pcg32& rng, const Array& words) {
    return words[rng.below(static_cast<std::uint32_t>(words.size()))];
}

}  // namespace

std::string makeTitle(Pcg32& rng, bool plain) {
    const double r = rng.uniform();
    std::string t;
    if (r < 0.38) {
        t = std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns));
    } else if (r < 0.53) {
        t = "The " + std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns));
    } else if (r < 0.68) {
        t = "The " + std::string(pick(rng, kNouns)) + " of " + std::string(pick(rng, kPlaces));
    } else if (r < 0.78) {
        t = std::string(pick(rng, kNames)) + "'s " + std::string(pick(rng, kNouns));
    } else if (r < 0.88) {
        t = std::string(pick(rng, kNouns)) + " in " + std::string(pick(rng, kPlaces));
    } else if (r < 0.94) {
        t = std::string(pick(rng, kNames)) + " and " + std::string(pick(rng, kNames));
    } else if (r < 0.97 || plain) {
        t = std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns)) + ": " +
            std::string(pick(rng, kPlaces));
    } else if (r < 0.99) {
        t = std::string(pick(rng, kAdjectives)) + ", " + std::string(pick(rng, kAdjectives)) + " " +
            std::string(pick(rng, kNouns));
    } else {
        t = "\"" + std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns)) +
            "\" " + std::string(pick(rng, kPlaces));
    }
    // MovieLens moves a leading article to the end: "Harbor of Avalon, The".
    if (!plain && t.rfind("The ", 0) == 0 && rng.uniform() < 0.5) t = t.substr(4) + ", The";
    return t;
}

}  // namespace lens::synth
