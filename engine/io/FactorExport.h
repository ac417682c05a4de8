#pragma once
// Exports a trained model's factors for other tools (issue: "factors out"):
//   npz        one numpy archive: user_factors (users x k, float32) and item_factors (movies x k,
//              float32) as implicit saves them, user_ids and item_ids (int64, the release's ids
//              in row order), item_biases (float32) and global_mean (float64, 0-d) where the
//              model has them;
//   projector  TensorBoard Projector's two files in a folder: vectors.tsv (one movie per line,
//              k tab-separated values) and metadata.tsv (a header line, then title, year, genres
//              and number of ratings per movie, same order);
//   csv        a folder with user_factors.csv and item_factors.csv, rows "id,f1,...,fk" after a
//              header line.
// Data with string ids (Dataset::userKeys / movieKeys): the CSV rows carry the strings; the npz
// ids are the dataset's numbering of them (1..n in sorted order) and the projector's metadata
// names items by title.
// Files are written atomically. The model must have been trained on `dataset` (same ids).
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "data/Dataset.h"
#include "models/Recommender.h"

namespace lens {

enum class FactorFormat { Npz, Projector, Csv };

std::optional<FactorFormat> factorFormatFromName(std::string_view name);  // "npz", ...

// Writes the files and returns their paths. For npz `out` is the archive's path; otherwise a
// folder, created when missing. Throws std::invalid_argument when the model has no factors
// (bias baseline, EASE), DataError (file, id) when the model does not match the dataset or a
// file cannot be written.
std::vector<std::filesystem::path> exportFactors(const Recommender& model, const Dataset& dataset,
                                                 FactorFormat format,
                                                 const std::filesystem::path& out);

}  // namespace lens
