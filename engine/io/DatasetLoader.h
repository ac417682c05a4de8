#pragma once
// The one entry point that opens a MovieLens release from a folder or straight from its .zip
// (read in memory, never extracted to disk), detects the layout and builds the Dataset.
//
// Layouts: ml-100k (u.data, u.item, u.genre, u.user; latin-1; and the predefined splits u1..u5,
// ua, ub into Dataset::predefinedSplits, see io/PredefinedSplits.h), ml-1m and ml-10m
// (ratings.dat, movies.dat, tags.dat, users.dat with "::" separators; latin-1), and the CSV
// releases ml-20m/25m/32m, ml-latest, ml-latest-small (ratings.csv, movies.csv, tags.csv,
// links.csv; UTF-8, RFC 4180). A user file (ml-100k u.user, ml-1m users.dat) fills
// Dataset::demographics (data/Demographics.h); its bad lines are treated like any other small
// file's (strict: DataError with file and line; lenient: skipped and counted), a repeated user
// id is a bad line, and users of the ratings it does not list are unknown (one warning).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "data/Dataset.h"
#include "data/LoadFilters.h"
#include "io/InteractionFormat.h"
#include "util/Errors.h"

namespace lens {

struct LoadOptions {
    // Strict (default): the first malformed line stops loading with a DataError naming the
    // file and line. Lenient: malformed lines are skipped and counted in Dataset::report.
    bool lenient = false;
    int threads = 0;  // 0 = all cores
    // Called now and then with the fraction done (0..1) and a short stage text; returning
    // false cancels the load, which then throws lens::Cancelled.
    std::function<bool(double fraction, const std::string& stage)> progress;

    // A user's own interaction file (io/InteractionReader.h): with `format` set, the path is read
    // as one delimited file under that mapping (a folder: its lens-atlas.json names the file).
    // Without it, a folder holding lens-atlas.json opens through the descriptor.
    std::optional<InteractionFormat> format;
    std::filesystem::path itemsFile;  // optional items file (id, title, categories)
    std::optional<ItemsFormat> itemsFormat;
    LoadFilters filters;  // applied after loading, for every layout (data/LoadFilters.h)
};

// Opens a folder or a .zip; throws DataError (file and line) on bad input, Cancelled on cancel.
Dataset loadDataset(const std::filesystem::path& path, const LoadOptions& options = {});

// Opens a release given as in-memory files (file name -> content), e.g. the synthetic demo;
// `name` becomes Dataset::name and the prefix of error messages' file names.
Dataset loadDatasetFromMemory(const std::map<std::string, std::string>& files,
                              const std::string& name, const LoadOptions& options = {});

// Layout detection without loading: which release a folder or zip holds; throws DataError for
// "not a MovieLens release" (naming what was looked for).
Layout detectLayout(const std::filesystem::path& path);

}  // namespace lens
