#include "io/FactorImport.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "io/JsonFile.h"
#include "io/NpyFormat.h"
#include "util/Errors.h"

namespace lens {

namespace fs = std::filesystem;

std::optional<FactorSource> factorSourceFromName(std::string_view name) {
    if (name == "implicit-npz") return FactorSource::ImplicitNpz;
    if (name == "spark") return FactorSource::Spark;
    if (name == "csv") return FactorSource::Csv;
    return std::nullopt;
}

const char* factorSourceName(FactorSource source) {
    switch (source) {
        case FactorSource::ImplicitNpz:
            return "implicit-npz";
        case FactorSource::Spark:
            return "spark";
        case FactorSource::Csv:
            return "csv";
    }
    return "?";
}

namespace {

// One side's rows as read, before they are matched with the dataset.
struct FactorRows {
    std::vector<std::int64_t> ids;   // empty: rows in the dataset's sorted id order (npz)
    std::vector<float> values;       // row-major, k per row
    std::vector<std::string> where;  // per row: "file:line" or "file:array[row]"
    std::size_t k = 0;
    std::size_t rows() const { return k == 0 ? 0 : values.size() / k; }
};

bool parseNumber(std::string_view text, double& out) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// An id field without the spaces and quotes around it.
std::string_view idText(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '"')) text.remove_suffix(1);
    return text;
}

bool parseId(std::string_view text, std::int64_t& out) {
    text = idText(text);
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && end == text.data() + text.size()) return true;
    double d = 0;  // Spark may write integral ids as 1.0
    if (!parseNumber(text, d) || d != std::floor(d) || std::fabs(d) > 9.0e15) return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

void addRow(std::int64_t id, const std::vector<double>& row, const std::string& file,
            std::size_t line, std::vector<std::int64_t>& ids, std::vector<float>& values,
            std::vector<std::size_t>& lines, std::size_t& k) {
    if (row.empty()) throw DataError(file, line, "no factor values");
    if (k == 0) k = row.size();
    if (row.size() != k)
        throw DataError(
            file, line,
            std::to_string(row.size()) + " factor values, earlier rows have " + std::to_string(k));
    for (std::size_t f = 0; f < row.size(); ++f) {
        if (!std::isfinite(row[f]) || std::fabs(row[f]) > 3.0e38)
            throw DataError(file, line,
                            "factor " + std::to_string(f + 1) + " is not a finite float");
        values.push_back(static_cast<float>(row[f]));
    }
    ids.push_back(id);
    lines.push_back(line);
}

}  // namespace

void parseFactorText(std::string_view text, bool json, const std::string& file,
                     std::vector<std::int64_t>& ids, std::vector<float>& values,
                     std::vector<std::size_t>& lines, std::size_t& k,
                     const FactorKeyToId& keyToId) {
    // A key of data with string ids -> the dataset's id; false when the data lacks it.
    const auto idOfKey = [&keyToId](std::string_view key, std::int64_t& id) {
        id = keyToId(idText(key));
        return id >= 0;
    };
    const auto unknownKey = [&file](std::size_t line, std::string_view key) {
        return DataError(file, line,
                         "id '" + shortened(key, 40) + "' is not one of the data's string ids");
    };
    std::size_t lineNo = 0;
    std::vector<double> row;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (lineNo == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        row.clear();
        std::int64_t id = 0;
        if (json) {
            const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
            if (object.is_discarded() || !object.is_object())
                throw DataError(file, lineNo, "not a JSON object");
            const auto idIt = object.find("id");
            const auto featuresIt = object.find("features");
            if (idIt == object.end() || featuresIt == object.end())
                throw DataError(file, lineNo, "expected {\"id\": ..., \"features\": [...]}");
            if (keyToId) {
                const std::string key = idIt->is_string() ? idIt->get<std::string>()
                                        : idIt->is_number_integer()
                                            ? std::to_string(idIt->get<std::int64_t>())
                                            : idIt->dump();
                if (!idOfKey(key, id)) throw unknownKey(lineNo, key);
            } else if (idIt->is_number_integer()) {
                id = idIt->get<std::int64_t>();
            } else if (!idIt->is_number() || !parseId(std::to_string(idIt->get<double>()), id)) {
                throw DataError(file, lineNo, "\"id\" is not an integer");
            }
            if (!featuresIt->is_array())
                throw DataError(file, lineNo, "\"features\" is not a list");
            for (const auto& v : *featuresIt) {
                if (!v.is_number()) throw DataError(file, lineNo, "a feature is not a number");
                row.push_back(v.get<double>());
            }
        } else {
            const std::size_t comma = line.find_first_of(",;\t");
            if (comma == std::string_view::npos)
                throw DataError(file, lineNo, "expected id,f1,...,fk");
            const std::string_view idField = line.substr(0, comma);
            if (keyToId ? !idOfKey(idField, id) : !parseId(idField, id)) {
                if (ids.empty() && lineNo == 1) continue;  // a header line
                if (keyToId) throw unknownKey(lineNo, idField);
                throw DataError(file, lineNo,
                                "id '" + std::string(idField) + "' is not an integer");
            }
            std::string_view rest = line.substr(comma + 1);
            // Spark's CSV of an array column: "[f1,f2,...]" in quotes.
            while (!rest.empty() && (rest.front() == ' ' || rest.front() == '"'))
                rest.remove_prefix(1);
            while (!rest.empty() && (rest.back() == ' ' || rest.back() == '"'))
                rest.remove_suffix(1);
            if (!rest.empty() && rest.front() == '[') {
                if (rest.back() != ']') throw DataError(file, lineNo, "unclosed '[' in features");
                rest = rest.substr(1, rest.size() - 2);
            }
            while (!rest.empty()) {
                const std::size_t sep = rest.find_first_of(",;\t");
                double v = 0;
                if (!parseNumber(rest.substr(0, sep), v))
                    throw DataError(file, lineNo,
                                    "factor " + std::to_string(row.size() + 1) + " '" +
                                        std::string(rest.substr(0, sep)) + "' is not a number");
                row.push_back(v);
                rest.remove_prefix(sep == std::string_view::npos ? rest.size() : sep + 1);
            }
        }
        addRow(id, row, file, lineNo, ids, values, lines, k);
    }
}

namespace {

void readTextInto(const fs::path& file, bool json, const FactorKeyToId& keyToId, FactorRows& rows) {
    std::vector<std::int64_t> ids;
    std::vector<float> values;
    std::vector<std::size_t> lines;
    std::size_t k = rows.k;
    parseFactorText(readWholeFile(file), json, file.string(), ids, values, lines, k, keyToId);
    if (rows.k != 0 && k != rows.k && !ids.empty())
        throw DataError(file.string(), lines.front(),
                        std::to_string(k) + " factor values, the other part files have " +
                            std::to_string(rows.k));
    rows.k = k;
    rows.ids.insert(rows.ids.end(), ids.begin(), ids.end());
    rows.values.insert(rows.values.end(), values.begin(), values.end());
    for (std::size_t line : lines) rows.where.push_back(file.string() + ":" + std::to_string(line));
}

// Spark's output folder: its part files (json or csv), hidden and marker files skipped.
FactorRows readSparkFolder(const fs::path& folder, const FactorKeyToId& keyToId) {
    if (!fs::is_directory(folder))
        throw DataError(folder.string(), 0, "no such folder (expected Spark's part files)");
    std::vector<fs::path> parts;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.empty() || name[0] == '_' || name[0] == '.') continue;
        parts.push_back(entry.path());
    }
    std::sort(parts.begin(), parts.end());
    FactorRows rows;
    for (const fs::path& part : parts) {
        const std::string ext = part.extension().string();
        if (ext == ".gz" || ext == ".snappy" || ext == ".bz2" || ext == ".parquet")
            throw DataError(part.string(), 0,
                            "compressed or parquet part file: write the factors with "
                            ".option(\"compression\", \"none\").json(...) or .csv(...)");
        readTextInto(part, ext == ".json", keyToId, rows);
    }
    if (rows.rows() == 0)
        throw DataError(folder.string(), 0, "no factor rows (no part files, or only empty ones)");
    return rows;
}

FactorRows readCsvFile(const fs::path& file, const FactorKeyToId& keyToId) {
    if (!fs::is_regular_file(file)) throw DataError(file.string(), 0, "missing");
    FactorRows rows;
    readTextInto(file, false, keyToId, rows);
    if (rows.rows() == 0) throw DataError(file.string(), 0, "no factor rows");
    return rows;
}

FactorRows npzRows(const std::map<std::string, NpyArray>& arrays, const std::string& name,
                   const std::string& idsName, const std::string& file) {
    const auto it = arrays.find(name);
    if (it == arrays.end()) throw DataError(file, 0, "no '" + name + "' array");
    const NpyArray& a = it->second;
    if (a.shape.size() != 2 || a.shape[0] == 0 || a.shape[1] == 0)
        throw DataError(file, 0, name + " is not a non-empty 2-d array");
    FactorRows rows;
    rows.k = a.shape[1];
    const std::vector<double> values = npyAsDoubles(a, file);
    rows.values.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i]) || std::fabs(values[i]) > 3.0e38)
            throw DataError(file, 0,
                            name + "[" + std::to_string(i / rows.k) + ", " +
                                std::to_string(i % rows.k) + "] is not a finite float");
        rows.values[i] = static_cast<float>(values[i]);
    }
    for (std::size_t r = 0; r < a.shape[0]; ++r)
        rows.where.push_back(file + ":" + name + "[" + std::to_string(r) + "]");
    if (const auto ids = arrays.find(idsName); ids != arrays.end()) {
        rows.ids = npyAsInt64s(ids->second, file);
        if (rows.ids.size() != a.shape[0])
            throw DataError(file, 0,
                            idsName + " has " + std::to_string(rows.ids.size()) + " ids, " + name +
                                " " + std::to_string(a.shape[0]) + " rows");
    }
    return rows;
}

// Rows matched with the dataset's dense indices; absent rows stay zero.
FactorMatrix placeRows(const FactorRows& rows, const std::vector<std::int64_t>& datasetIds,
                       const std::function<std::int64_t(std::int64_t)>& indexOf, const char* what,
                       std::size_t& without) {
    FactorMatrix out = FactorMatrix::Zero(static_cast<Eigen::Index>(datasetIds.size()),
                                          static_cast<Eigen::Index>(rows.k));
    std::vector<std::size_t> rowOf(datasetIds.size(), SIZE_MAX);
    const std::size_t n = rows.rows();
    std::vector<std::int64_t> sorted;
    if (rows.ids.empty()) {
        sorted = datasetIds;
        std::sort(sorted.begin(), sorted.end());
        if (n != sorted.size())
            throw DataError(rows.where.empty() ? std::string() : rows.where.front(), 0,
                            std::to_string(n) + " " + what + " rows without " + what +
                                " ids, the dataset has " + std::to_string(sorted.size()) + " " +
                                what +
                                "s (save the ids beside the factors, or rows in "
                                "ascending id order)");
    }
    for (std::size_t r = 0; r < n; ++r) {
        const std::int64_t id = rows.ids.empty() ? sorted[r] : rows.ids[r];
        const std::int64_t index = indexOf(id);
        if (index < 0)
            throw DataError(
                rows.where[r], 0,
                std::string(what) + " id " + std::to_string(id) + " is not in the dataset");
        const auto at = static_cast<std::size_t>(index);
        if (rowOf[at] != SIZE_MAX)
            throw DataError(rows.where[r], 0,
                            "duplicate " + std::string(what) + " id " + std::to_string(id) +
                                " (first at " + rows.where[rowOf[at]] + ")");
        rowOf[at] = r;
        out.row(static_cast<Eigen::Index>(at)) = Eigen::Map<const Eigen::RowVectorXf>(
            rows.values.data() + r * rows.k, static_cast<Eigen::Index>(rows.k));
    }
    without = static_cast<std::size_t>(std::count(rowOf.begin(), rowOf.end(), SIZE_MAX));
    return out;
}

}  // namespace

std::unique_ptr<ImportedFactors> importFactors(const Dataset& dataset, FactorSource source,
                                               const fs::path& path, const ImportOptions& options,
                                               ImportSummary* summary) {
    FactorRows users, items;
    ImportedFactorsData data;
    // Data with string ids: text factor files name users and items by those strings (as the
    // csv export writes them); the npz export and arrays keep the dataset's numbers.
    FactorKeyToId userKeyToId, itemKeyToId;
    if (!dataset.userKeys.empty())
        userKeyToId = [&dataset](std::string_view key) -> std::int64_t {
            const std::int64_t index = dataset.userIndexOfLabel(key);
            return index < 0 ? -1 : dataset.userIds[static_cast<std::size_t>(index)];
        };
    if (!dataset.movieKeys.empty())
        itemKeyToId = [&dataset](std::string_view key) -> std::int64_t {
            const std::int64_t index = dataset.movieIndexOfLabel(key);
            return index < 0 ? -1 : dataset.movieIds[static_cast<std::size_t>(index)];
        };
    std::map<std::string, NpyArray> arrays;
    switch (source) {
        case FactorSource::ImplicitNpz: {
            if (!fs::is_regular_file(path)) throw DataError(path.string(), 0, "no such file");
            arrays = readNpz(path);
            users = npzRows(arrays, "user_factors", "user_ids", path.string());
            items = npzRows(arrays, "item_factors", "item_ids", path.string());
            break;
        }
        case FactorSource::Spark:
            users = readSparkFolder(path / "userFactors", userKeyToId);
            items = readSparkFolder(path / "itemFactors", itemKeyToId);
            break;
        case FactorSource::Csv:
            users = readCsvFile(path / "user_factors.csv", userKeyToId);
            items = readCsvFile(path / "item_factors.csv", itemKeyToId);
            break;
    }
    if (users.k != items.k)
        throw DataError(items.where.front(), 0,
                        "movie factors have " + std::to_string(items.k) + " values, user factors " +
                            std::to_string(users.k) + " (" + users.where.front() + ")");

    ImportSummary s;
    s.userRows = users.rows();
    s.itemRows = items.rows();
    s.factors = users.k;
    data.users = placeRows(
        users, dataset.userIds, [&](std::int64_t id) { return dataset.userIndex(id); }, "user",
        s.usersWithout);
    data.items = placeRows(
        items, dataset.movieIds, [&](std::int64_t id) { return dataset.movieIndex(id); }, "movie",
        s.itemsWithout);

    // Biases of Lens Atlas's own npz export (aligned with the id arrays' rows).
    if (const auto ib = arrays.find("item_biases"); ib != arrays.end()) {
        const std::vector<double> b = npyAsDoubles(ib->second, path.string());
        if (b.size() != items.rows())
            throw DataError(path.string(), 0, "item_biases does not have one value per item row");
        FactorRows biasRows{items.ids, {}, items.where, 1};
        for (double v : b) {
            if (!std::isfinite(v))
                throw DataError(path.string(), 0, "item_biases holds a non-finite value");
            biasRows.values.push_back(static_cast<float>(v));
        }
        std::size_t ignored = 0;
        data.itemBias =
            placeRows(
                biasRows, dataset.movieIds, [&](std::int64_t id) { return dataset.movieIndex(id); },
                "movie", ignored)
                .col(0);
        if (const auto mu = arrays.find("global_mean"); mu != arrays.end()) {
            const std::vector<double> m = npyAsDoubles(mu->second, path.string());
            if (m.size() != 1 || !std::isfinite(m[0]))
                throw DataError(path.string(), 0, "global_mean is not one finite value");
            data.globalMean = m[0];
        }
        if (const auto ub = arrays.find("user_biases"); ub != arrays.end()) {
            const std::vector<double> bu = npyAsDoubles(ub->second, path.string());
            if (bu.size() != users.rows())
                throw DataError(path.string(), 0,
                                "user_biases does not have one value per user row");
            FactorRows userBiasRows{users.ids, {}, users.where, 1};
            for (double v : bu) {
                if (!std::isfinite(v))
                    throw DataError(path.string(), 0, "user_biases holds a non-finite value");
                userBiasRows.values.push_back(static_cast<float>(v));
            }
            data.userBias =
                placeRows(
                    userBiasRows, dataset.userIds,
                    [&](std::int64_t id) { return dataset.userIndex(id); }, "user", ignored)
                    .col(0);
        }
        s.biases = true;
    }
    // Data without ratings (implicit feedback) makes the factors preference scores by default.
    data.implicitFeedback = options.implicitFeedback.value_or(source == FactorSource::ImplicitNpz ||
                                                              dataset.scale.implicit);
    data.provenance = std::string(factorSourceName(source)) + ":" + fs::absolute(path).string();
    if (!options.importedOn.empty()) data.provenance += " (imported " + options.importedOn + ")";
    data.split = options.split;

    auto model = std::make_unique<ImportedFactors>();
    model->setHyperparameter("lambda", formatReal(options.lambda));
    model->setHyperparameter("alpha", formatReal(options.alpha));
    model->adopt(std::move(data), dataset.name, dataset.userIds, dataset.movieIds);
    model->restoreRatingScale(dataset.scale);  // explicit scores are clipped to the data's scale
    if (summary) *summary = s;
    return model;
}

}  // namespace lens
