#pragma once
// The personas shipped with Lens Atlas: the study's two (the three Lord of the Rings films, the
// three Toy Story films, each rated 5) and five genre personas, every movie present in
// ml-latest-small under the title given. One list for the Rank panel, the report and
// `lens-atlas recommend`; held in the engine (kPresetPersonasJson, the persona file format of
// PersonaFile.h) so the command line reads it without the UI.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/PersonaFile.h"

namespace lens {

// The presets as a persona file ("presets" names it in errors).
extern const std::string_view kPresetPersonasJson;

// Parsed once; a broken list is a build error that tests/engine/tst_persona_file catches.
const std::vector<Persona>& presetPersonas();

// Short aliases of presets for the command line: {"lotr", "Lord of the Rings fan"}, ...
const std::vector<std::pair<std::string, std::string>>& presetPersonaAliases();

// The preset a command-line name means: a preset's name in any letter case, its slug
// ("toy-story-fan"), the start of a slug ("toy-story") or a short alias ("lotr"). Empty when
// none matches.
std::string resolvePresetPersonaName(std::string_view nameOrAlias);

}  // namespace lens
