#pragma once
// The CSV text of the synthetic release, in the MovieLens layout: ratings.csv rows (users
// numbered from 1, ratings with one decimal), movies.csv and tags.csv, fields quoted per RFC 4180
// where needed. Internal to engine/synth.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/Dataset.h"
#include "synth/SyntheticRatingProcess.h"
#include "synth/SyntheticWorld.h"

namespace lens::synth {

// Decimal digits of `v`.
void appendUInt(std::string& out, std::uint64_t v);
// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
void appendCsvField(std::string& out, std::string_view field);

// The ratings.csv rows of users [first, last): user u's ratings are entries offsets[u] - base ..
// offsets[u + 1] - base - 1 of movieOf (movie index), ratingOf and timeOf (which hold the
// ratings from entry `base` of the whole release on).
void appendRatingRows(std::string& out, const World& world, std::size_t first, std::size_t last,
                      const std::vector<std::uint64_t>& offsets, std::uint64_t base,
                      const std::uint32_t* movieOf, const HalfStars* ratingOf,
                      const std::uint32_t* timeOf);

// movies.csv with its header.
std::string formatMovies(const World& world);

// tags.csv with its header: tagsOf[u] are user u's tags.
std::string formatTags(const World& world, const std::vector<std::vector<TagRecord>>& tagsOf);

}  // namespace lens::synth
