// libFuzzer target: the persona file reader of the engine (lens::parsePersonas: the shipped
// presets, the user's personas file, `lens-atlas recommend --persona-file`). The bytes are a
// whole document. A DataError starting with the file name and of bounded length is the expected
// outcome of bad bytes; a document that parses must come back unchanged through
// serializePersonas -> parsePersonas (what the app writes, it reads) and must resolve against a
// small release. A broken property throws std::logic_error, which libFuzzer reports as a crash.
// Engine only: no Qt, no UI code (tests/ui/tst_fuzz_regressions_ui replays the inputs through
// the UI's wrappers as well).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzFixtures.h"
#include "io/DatasetLoader.h"
#include "io/PersonaFile.h"
#include "util/Errors.h"

namespace {

const lens::Dataset* release = nullptr;
const std::string kFileName = "fuzz-personas.json";

void require(bool condition, const std::string& what) {
    if (!condition) throw std::logic_error(what);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    lens::LoadOptions options;
    options.threads = 1;
    static const lens::Dataset dataset =
        lens::loadDatasetFromMemory(lens::fuzz::csvRelease(), "fuzz", options);
    release = &dataset;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::vector<lens::Persona> personas;
    try {
        personas = lens::parsePersonas(bytes, kFileName);
    } catch (const lens::DataError& e) {
        const std::string text = e.what();
        require(text.starts_with(kFileName) && text.size() < 2000,
                "persona error does not start with the file name or is unbounded: " +
                    text.substr(0, 300));
        return 0;
    }
    // What the app writes for these personas, it must read back unchanged.
    const std::vector<lens::Persona> again =
        lens::parsePersonas(lens::serializePersonas(personas), kFileName);
    require(again.size() == personas.size(), "persona round trip changed the count");
    for (std::size_t i = 0; i < personas.size(); ++i) {
        const lens::Persona &a = personas[i], &b = again[i];
        require(a.name == b.name && a.description == b.description &&
                    a.movies.size() == b.movies.size(),
                "persona round trip changed persona " + std::to_string(i));
        for (std::size_t m = 0; m < a.movies.size(); ++m)
            require(a.movies[m].movieId == b.movies[m].movieId &&
                        a.movies[m].rating == b.movies[m].rating &&
                        a.movies[m].title == b.movies[m].title,
                    "persona round trip changed a movie of persona " + std::to_string(i));
        require(lens::personaProblem(a).empty(), "a parsed persona fails validation");
        // Resolve against the release, as the Rank panel and `recommend` do.
        const std::vector<lens::PersonaRating> ratings = lens::personaRatings(a);
        require(ratings.size() == a.movies.size(), "persona ratings lost movies");
        std::size_t present = 0;
        for (const lens::PersonaRating& r : ratings) present += release->movieIndex(r.movieId) >= 0;
        require(present <= ratings.size(), "resolve counted more movies than given");
        require(lens::findPersona(again, a.name) != nullptr, "a parsed persona is not found");
    }
    return 0;
}
