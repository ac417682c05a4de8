#pragma once
// Reads a user's own interaction table (CSV/TSV under an InteractionFormat, io/InteractionFormat.h)
// and an optional items file into a Dataset (layout Interactions):
//
//  - ids may be numbers or strings of any length: when any id of a column is not an integer, the
//    whole column is read as strings (Dataset::userKeys / movieKeys), numbered 1..n in sorted
//    order;
//  - ratings may use any numeric scale: it is detected (detectRatingScale) and kept in
//    Dataset::scale; without a rating column the data is implicit feedback (scale.implicit);
//  - times are Unix seconds or ISO 8601 ("2015-03-01", "2015-03-01T12:30:00Z", "+02:00" offsets,
//    fractions of a second); without a time column every time is 0;
//  - the items file's categories become the genre vocabulary (the 32 most frequent; more are
//    dropped with a warning); items without a title are named by their id.
//
// Bad input is treated like a MovieLens file's: strict (default) stops at the first bad line with
// a DataError naming file and line; lenient skips it and counts it. Nothing is half-loaded. A
// mapping that names a column the file does not have is a usage error (std::invalid_argument).
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "data/Dataset.h"
#include "io/DatasetLoader.h"
#include "io/InteractionFormat.h"

namespace lens {

// The scale of a set of rating values: the coarsest step of 1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.01,
// 0.001 that every value is a multiple of (from the smallest value up) with at most 255 levels;
// values that fit none are rounded to 254 equal steps between min and max and `note` (if given)
// says so. Empty input gives the default half-star scale. Values must be finite.
RatingScale detectRatingScale(std::span<const double> values, std::string* note = nullptr);

// "1-10 in steps of 1", "0.5-5 in steps of 0.5", "implicit (no ratings)".
std::string ratingScaleText(const RatingScale& scale);

// Reads `file` (its bytes `text`, named `fileName` in errors) under `format`; `items`, when
// given, is the items file's bytes and name under `itemsFormat`. `name` becomes Dataset::name.
Dataset readInteractions(std::string_view text, const std::string& fileName,
                         const InteractionFormat& format, const std::string& name,
                         const LoadOptions& options,
                         std::optional<std::string_view> items = std::nullopt,
                         const std::string& itemsFileName = {},
                         const ItemsFormat& itemsFormat = {});

// The same from a file on disk (named `fileName` in errors), read in pieces by the threads into
// reused buffers (no copy of the whole file, no page of it mapped); a file holding a quote
// character is read whole and parsed by the RFC 4180 reader.
Dataset readInteractionsFile(const std::filesystem::path& file, const std::string& fileName,
                             const InteractionFormat& format, const std::string& name,
                             const LoadOptions& options,
                             std::optional<std::string_view> items = std::nullopt,
                             const std::string& itemsFileName = {},
                             const ItemsFormat& itemsFormat = {});

// Unix seconds from "1425212400" or an ISO 8601 date / date-time; nullopt when unreadable or
// outside 1970..2106.
std::optional<std::uint32_t> parseTimestamp(std::string_view text);

// The descriptor file beside data that makes a folder open like a release:
//   {"interactions": "events.tsv", "format": "user=0,item=1,rating=2,time=3,sep=tab",
//    "items": "items.csv", "items_format": "id=0,title=1,categories=2", "name": "my-shop"}
// File names are relative to the folder (or the .zip's root); only "interactions" and "format"
// are required. A bad descriptor is a DataError naming lens-atlas.json.
inline constexpr const char* kDescriptorFileName = "lens-atlas.json";

// The dataset at `path` when it is interaction data: `options.format` is set (path: the file;
// or a folder / .zip whose lens-atlas.json names it, the option's format winning over the
// descriptor's), or path is a folder or .zip holding lens-atlas.json. nullopt otherwise (a
// MovieLens release). A plain file (not .zip) without a format is a DataError saying how to
// give one. Filters are not applied here (loadDataset does that).
std::optional<Dataset> loadInteractionData(const std::filesystem::path& path,
                                           const LoadOptions& options);

}  // namespace lens
