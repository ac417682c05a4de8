#pragma once
// The 2D coordinates of the maps as CSV (RFC 4180: comma-separated, fields with a comma, quote
// or line break quoted with doubled quotes; "\n" line ends), for other tools (spreadsheets,
// TensorBoard Projector's bookmarks, pandas). The Map stage's "Export coordinates (CSV)…" and
// `lens-atlas map --out` write them:
//   movie map  movie_id,title,year,genres,ratings,mean_rating,x,y   (one row per movie, dataset
//              order; year and mean_rating empty where unknown; genres "Action|Comedy")
//   genre map  genre,movies,x,y                                     (one row per listed genre)
// Coordinates are written with 9 significant digits (a float round-trips).
#include <string>

#include "data/Dataset.h"
#include "projection/EmbeddingMatrix.h"
#include "projection/MapEmbeddings.h"

namespace lens {

// `layout` has one row per movie of `dataset`; throws std::invalid_argument otherwise.
std::string movieMapCsv(const EmbeddingMatrix& layout, const Dataset& dataset);
// The genre map's listed genres and their positions, named by the dataset's genre vocabulary
// (Dataset::genreVocabulary).
std::string genreMapCsv(const GenreMap& map, const std::vector<std::string>& vocabulary);
// A CSV field, quoted when it has to be.
std::string csvField(const std::string& text);

}  // namespace lens
