#include "io/PresetPersonas.h"

namespace lens {

namespace {

// "Toy Story fan" -> "toy-story-fan": ASCII letters and digits lowered, every other run of
// characters one '-', none at either end.
std::string slug(std::string_view text) {
    std::string s;
    bool gap = false;
    for (const char c : text) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        const bool upper = c >= 'A' && c <= 'Z';
        if (alnum || upper) {
            if (gap && !s.empty()) s += '-';
            s += upper ? static_cast<char>(c - 'A' + 'a') : c;
            gap = false;
        } else {
            gap = true;
        }
    }
    return s;
}

}  // namespace

const std::string_view kPresetPersonasJson = R"json(
{
  "version": 1,
  "personas": [
    {
      "name": "Lord of the Rings fan",
      "description": "The study's persona: the three Lord of the Rings films, each rated 5.",
      "movies": [
        { "movie_id": 4993, "rating": 5, "title": "Lord of the Rings: The Fellowship of the Ring, The (2001)" },
        { "movie_id": 5952, "rating": 5, "title": "Lord of the Rings: The Two Towers, The (2002)" },
        { "movie_id": 7153, "rating": 5, "title": "Lord of the Rings: The Return of the King, The (2003)" }
      ]
    },
    {
      "name": "Toy Story fan",
      "description": "The study's second persona: the three Toy Story films, each rated 5.",
      "movies": [
        { "movie_id": 1, "rating": 5, "title": "Toy Story (1995)" },
        { "movie_id": 3114, "rating": 5, "title": "Toy Story 2 (1999)" },
        { "movie_id": 78499, "rating": 5, "title": "Toy Story 3 (2010)" }
      ]
    },
    {
      "name": "Sci-Fi classics fan",
      "description": "Classic science fiction of the late 1960s to early 1980s.",
      "movies": [
        { "movie_id": 924, "rating": 5, "title": "2001: A Space Odyssey (1968)" },
        { "movie_id": 260, "rating": 5, "title": "Star Wars: Episode IV - A New Hope (1977)" },
        { "movie_id": 1214, "rating": 4.5, "title": "Alien (1979)" },
        { "movie_id": 1196, "rating": 5, "title": "Star Wars: Episode V - The Empire Strikes Back (1980)" },
        { "movie_id": 541, "rating": 5, "title": "Blade Runner (1982)" }
      ]
    },
    {
      "name": "Horror fan",
      "description": "Horror classics from Psycho to The Blair Witch Project.",
      "movies": [
        { "movie_id": 1219, "rating": 5, "title": "Psycho (1960)" },
        { "movie_id": 1997, "rating": 5, "title": "Exorcist, The (1973)" },
        { "movie_id": 1258, "rating": 5, "title": "Shining, The (1980)" },
        { "movie_id": 2710, "rating": 4, "title": "Blair Witch Project, The (1999)" }
      ]
    },
    {
      "name": "Romance fan",
      "description": "Romantic comedies and dramas.",
      "movies": [
        { "movie_id": 1307, "rating": 5, "title": "When Harry Met Sally... (1989)" },
        { "movie_id": 539, "rating": 5, "title": "Sleepless in Seattle (1993)" },
        { "movie_id": 1721, "rating": 4.5, "title": "Titanic (1997)" },
        { "movie_id": 7361, "rating": 5, "title": "Eternal Sunshine of the Spotless Mind (2004)" }
      ]
    },
    {
      "name": "Family animation fan",
      "description": "Disney and Pixar animation for the whole family (no Toy Story).",
      "movies": [
        { "movie_id": 595, "rating": 5, "title": "Beauty and the Beast (1991)" },
        { "movie_id": 588, "rating": 5, "title": "Aladdin (1992)" },
        { "movie_id": 364, "rating": 5, "title": "Lion King, The (1994)" },
        { "movie_id": 4886, "rating": 4.5, "title": "Monsters, Inc. (2001)" },
        { "movie_id": 6377, "rating": 5, "title": "Finding Nemo (2003)" }
      ]
    },
    {
      "name": "Documentary fan",
      "description": "Political and social documentaries.",
      "movies": [
        { "movie_id": 246, "rating": 5, "title": "Hoop Dreams (1994)" },
        { "movie_id": 2064, "rating": 4.5, "title": "Roger & Me (1989)" },
        { "movie_id": 5669, "rating": 5, "title": "Bowling for Columbine (2002)" },
        { "movie_id": 8464, "rating": 4.5, "title": "Super Size Me (2004)" },
        { "movie_id": 8622, "rating": 4, "title": "Fahrenheit 9/11 (2004)" }
      ]
    }
  ]
}
)json";

const std::vector<Persona>& presetPersonas() {
    static const std::vector<Persona> presets = parsePersonas(kPresetPersonasJson, "presets");
    return presets;
}

const std::vector<std::pair<std::string, std::string>>& presetPersonaAliases() {
    static const std::vector<std::pair<std::string, std::string>> aliases = {
        {"lotr", "Lord of the Rings fan"},
        {"toy-story", "Toy Story fan"},
    };
    return aliases;
}

std::string resolvePresetPersonaName(std::string_view nameOrAlias) {
    const std::string wanted = slug(nameOrAlias);
    for (const auto& [alias, name] : presetPersonaAliases())
        if (wanted == alias) return name;
    for (const Persona& p : presetPersonas())
        if (samePersonaName(p.name, nameOrAlias) || slug(p.name) == wanted) return p.name;
    for (const Persona& p : presetPersonas())  // "toy-story" for "Toy Story fan"
        if (!wanted.empty() && slug(p.name).starts_with(wanted)) return p.name;
    return {};
}

}  // namespace lens
