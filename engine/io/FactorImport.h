#pragma once
// Factors trained elsewhere, brought in as a model file (issue: "factors in"):
//   implicit-npz  an .npz with user_factors and item_factors (float32 or float64, users x k and
//                 items x k as implicit saves them) plus user_ids / item_ids (integers) where
//                 present; without ids the rows are the dataset's users / movies in ascending id
//                 order and their counts must match. item_biases, user_biases and global_mean
//                 are used when present (Lens Atlas's own npz export writes them).
//   spark         a folder with userFactors/ and itemFactors/ as Spark MLlib's ALSModel writes
//                 them with .write.json(...) (part files, one {"id": N, "features": [...]} per
//                 line) or .write.csv(...) (rows id,"[f1,...]" or id,f1,...,fk; a header line is
//                 skipped). _SUCCESS, .crc and other hidden files are ignored.
//   csv           a folder with user_factors.csv and item_factors.csv, rows id,f1,...,fk after
//                 an optional header line (Lens Atlas's csv export).
// Every id must be in the dataset and appear once; every row has the same length k in both
// files; every value is finite. Users or movies of the dataset without a row get zero
// factors (counted in ImportSummary). Any problem throws DataError naming the file and line
// (or array and row) before a model exists: nothing is half-imported.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/ImportedFactors.h"

namespace lens {

enum class FactorSource { ImplicitNpz, Spark, Csv };

std::optional<FactorSource> factorSourceFromName(std::string_view name);  // "implicit-npz", ...
const char* factorSourceName(FactorSource source);

struct ImportOptions {
    // Unset: implicit-npz is implicit feedback, spark and csv explicit (Spark's ALS default).
    std::optional<bool> implicitFeedback;
    double lambda = 0.1;     // fold-in regularisation (Spark's regParam default)
    double alpha = 1.0;      // fold-in confidence scale for implicit feedback
    std::string importedOn;  // a date for the provenance ("2026-12-06"); empty: none
    // The split the factors were trained on (its training part only): `compare --runs` then
    // tests them on its test part. Unset: unknown, never compared.
    std::optional<SplitSpec> split;
};

struct ImportSummary {
    std::size_t userRows = 0, itemRows = 0;          // rows read
    std::size_t usersWithout = 0, itemsWithout = 0;  // dataset users / movies given zero factors
    std::size_t factors = 0;                         // k
    bool biases = false;
};

std::unique_ptr<ImportedFactors> importFactors(const Dataset& dataset, FactorSource source,
                                               const std::filesystem::path& path,
                                               const ImportOptions& options,
                                               ImportSummary* summary = nullptr);

// The dataset's id of a string key (data with string ids), or -1 when the data has no such key.
using FactorKeyToId = std::function<std::int64_t(std::string_view)>;

// One text file of factor rows (Spark JSON / CSV part files, id,f1..fk files): exposed for
// the fuzz targets and tests. Appends to `ids` / `values` (row-major, k per row, k fixed by
// the first row when *k is 0) and `lines` (1-based line of each row); DataError(file, line).
// With `keyToId` (data with string ids), every id is a key as the data spells it (a JSON
// number as its digits), turned into the dataset's id; a key the data lacks is an error, except
// on a first line that is a header.
void parseFactorText(std::string_view text, bool json, const std::string& file,
                     std::vector<std::int64_t>& ids, std::vector<float>& values,
                     std::vector<std::size_t>& lines, std::size_t& k,
                     const FactorKeyToId& keyToId = {});

}  // namespace lens
