#include "io/FactorExport.h"

#include <Eigen/Core>
#include <charconv>
#include <stdexcept>
#include <system_error>

#include "io/JsonFile.h"
#include "io/NpyFormat.h"
#include "models/ModelFile.h"
#include "projection/MapCsv.h"
#include "util/Errors.h"

namespace lens {
namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Shortest text that reads back as the same float.
void appendFloat(std::string& out, float value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

// A TSV field: tabs and line breaks would split the record, so they become spaces.
std::string tsvField(std::string_view text) {
    std::string field(text);
    for (char& c : field)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return field;
}

// Rows "id,f1..fk"; the id as the data spells it (`keys` for string ids, else the number).
std::string factorCsv(const Eigen::MatrixXf& factors, const std::vector<std::int64_t>& ids,
                      const std::vector<std::string>& keys) {
    std::string text = "id";
    for (Eigen::Index f = 0; f < factors.cols(); ++f) text += ",f" + std::to_string(f + 1);
    text += '\n';
    for (Eigen::Index r = 0; r < factors.rows(); ++r) {
        const auto row = static_cast<std::size_t>(r);
        text += row < keys.size() ? csvField(keys[row]) : std::to_string(ids[row]);
        for (Eigen::Index f = 0; f < factors.cols(); ++f) {
            text += ',';
            appendFloat(text, factors(r, f));
        }
        text += '\n';
    }
    return text;
}

void createFolder(const std::filesystem::path& folder) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) throw DataError(folder.string(), 0, "cannot create folder: " + error.message());
}

}  // namespace

std::optional<FactorFormat> factorFormatFromName(std::string_view name) {
    if (name == "npz") return FactorFormat::Npz;
    if (name == "projector") return FactorFormat::Projector;
    if (name == "csv") return FactorFormat::Csv;
    return std::nullopt;
}

std::vector<std::filesystem::path> exportFactors(const Recommender& model, const Dataset& dataset,
                                                 FactorFormat format,
                                                 const std::filesystem::path& out) {
    const Eigen::MatrixXf items = model.itemFactors();
    const Eigen::MatrixXf users = model.userFactors();
    if (items.size() == 0 || users.size() == 0)
        throw std::invalid_argument("model " + model.kind() + " (" + model.displayName() +
                                    ") has no user and item factors to export");
    checkModelMatchesDataset(model, dataset, "model " + model.kind());
    if (static_cast<std::size_t>(items.rows()) != model.itemCount() ||
        static_cast<std::size_t>(users.rows()) != model.userCount() || items.cols() != users.cols())
        throw DataError(out.string(), 0, "the model's factor matrices do not match its ids");

    switch (format) {
        case FactorFormat::Npz: {
            const RowMajor userRows = users, itemRows = items;
            const auto k = static_cast<std::size_t>(items.cols());
            std::vector<NpyArray> arrays{
                NpyArray::floats("user_factors", {model.userCount(), k}, userRows.data()),
                NpyArray::floats("item_factors", {model.itemCount(), k}, itemRows.data()),
                NpyArray::int64s("user_ids", model.userIds()),
                NpyArray::int64s("item_ids", model.movieIds()),
            };
            if (const auto biases = model.itemBiases(); !biases.empty()) {
                arrays.push_back(NpyArray::floats("item_biases", {biases.size()}, biases.data()));
                arrays.push_back(NpyArray::scalar("global_mean", model.globalMean()));
            }
            writeNpz(out, arrays);
            return {out};
        }
        case FactorFormat::Projector: {
            createFolder(out);
            std::string vectors, metadata = "title\tyear\tgenres\tratings\n";
            for (Eigen::Index r = 0; r < items.rows(); ++r) {
                for (Eigen::Index f = 0; f < items.cols(); ++f) {
                    if (f) vectors += '\t';
                    appendFloat(vectors, items(r, f));
                }
                vectors += '\n';
                const auto m = static_cast<std::size_t>(r);  // same order as the dataset (checked)
                metadata += tsvField(dataset.titles[m]) + '\t' +
                            (dataset.years[m] ? std::to_string(dataset.years[m]) : std::string()) +
                            '\t' + tsvField(dataset.genreListOf(dataset.genres[m])) + '\t' +
                            std::to_string(dataset.byMovie.rowSize(m)) + '\n';
            }
            const auto vectorFile = out / "vectors.tsv", metadataFile = out / "metadata.tsv";
            writeFileAtomically(vectorFile, vectors, "vectors");
            writeFileAtomically(metadataFile, metadata, "metadata");
            return {vectorFile, metadataFile};
        }
        case FactorFormat::Csv: {
            createFolder(out);
            const auto userFile = out / "user_factors.csv", itemFile = out / "item_factors.csv";
            // Rows follow the dataset's order (checked above), so its keys name them.
            writeFileAtomically(userFile, factorCsv(users, model.userIds(), dataset.userKeys),
                                "user factors");
            writeFileAtomically(itemFile, factorCsv(items, model.movieIds(), dataset.movieKeys),
                                "item factors");
            return {userFile, itemFile};
        }
    }
    throw std::invalid_argument("unknown factor format");
}

}  // namespace lens
