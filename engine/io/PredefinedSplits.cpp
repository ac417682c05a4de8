#include "io/PredefinedSplits.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "util/Errors.h"

namespace lens {

namespace {

std::string ratingText(double rating) {
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, rating);
    return std::string(buf, result.ptr);
}

// Reads "user item rating timestamp" lines (tab or space separated) and marks each pair's CSR
// entry with `mark` in `seen`; throws DataError naming the file and line.
void markPredefinedFile(const Dataset& ds, const FileBytes& file, std::uint8_t mark,
                        std::vector<std::uint8_t>& seen) {
    std::string_view text = file.content;
    std::size_t lineNo = 0;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        std::string_view tokens[4];
        std::size_t count = 0;
        for (std::size_t i = 0; i < line.size();) {
            if (line[i] == ' ' || line[i] == '\t') {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
            if (count < 4) tokens[count] = line.substr(i, j - i);
            ++count;
            i = j;
        }
        if (count != 4)
            throw DataError(file.name, lineNo,
                            "expected 4 fields (user, item, rating, timestamp), found " +
                                std::to_string(count));
        std::int64_t fields[4] = {0, 0, 0, 0};
        for (std::size_t f = 0; f < 4; ++f) {
            const auto [next, ec] =
                std::from_chars(tokens[f].data(), tokens[f].data() + tokens[f].size(), fields[f]);
            if (ec != std::errc() || next != tokens[f].data() + tokens[f].size())
                throw DataError(file.name, lineNo,
                                "field " + std::to_string(f + 1) + " '" + std::string(tokens[f]) +
                                    "' is not an integer");
        }
        const std::int64_t user = ds.userIndex(fields[0]);
        const std::int64_t movie = ds.movieIndex(fields[1]);
        if (user < 0 || movie < 0)
            throw DataError(file.name, lineNo,
                            "user " + std::to_string(fields[0]) + ", item " +
                                std::to_string(fields[1]) + " is not in the dataset");
        const auto row = ds.byUser.rowIndex(static_cast<std::size_t>(user));
        const auto it = std::lower_bound(row.begin(), row.end(), static_cast<std::uint32_t>(movie));
        if (it == row.end() || *it != static_cast<std::uint32_t>(movie))
            throw DataError(file.name, lineNo,
                            "user " + std::to_string(fields[0]) + " has no rating of item " +
                                std::to_string(fields[1]) + " in the dataset");
        const std::size_t pos = ds.byUser.offsets[static_cast<std::size_t>(user)] +
                                static_cast<std::size_t>(it - row.begin());
        if (static_cast<std::int64_t>(ds.byUser.halfStars[pos]) != 2 * fields[2])
            throw DataError(file.name, lineNo,
                            "rating " + std::to_string(fields[2]) + " differs from the dataset's " +
                                ratingText(halfStarsToRating(ds.byUser.halfStars[pos])));
        if (seen[pos] != 0)
            throw DataError(file.name, lineNo,
                            "user " + std::to_string(fields[0]) + ", item " +
                                std::to_string(fields[1]) +
                                (seen[pos] == mark ? " is listed twice"
                                                   : " is in both the base and the test file"));
        seen[pos] = mark;
    }
}

// The split of one pair of files; throws DataError naming the file (and line) that disagrees.
std::vector<std::uint8_t> readPair(const FileSource& source, const Dataset& ds,
                                   const std::string& name) {
    constexpr std::uint8_t kBase = 1, kTest = 2;
    const std::string baseName = name + ".base", testName = name + ".test";
    std::vector<std::uint8_t> seen(ds.ratingCount(), 0);
    markPredefinedFile(ds, source.read(baseName), kBase, seen);
    const FileBytes test = source.read(testName);
    markPredefinedFile(ds, test, kTest, seen);
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        for (std::size_t k = ds.byUser.offsets[u]; k < ds.byUser.offsets[u + 1]; ++k) {
            if (seen[k] == 0)
                throw DataError(test.name, 0,
                                "the dataset's rating of user " + std::to_string(ds.userIds[u]) +
                                    ", item " + std::to_string(ds.movieIds[ds.byUser.index[k]]) +
                                    " is in neither " + baseName + " nor " + testName);
            seen[k] = seen[k] == kTest ? 1 : 0;
        }
    return seen;
}

}  // namespace

bool isPredefinedSplitName(std::string_view name) {
    return std::find(std::begin(kPredefinedSplitNames), std::end(kPredefinedSplitNames), name) !=
           std::end(kPredefinedSplitNames);
}

std::vector<PredefinedSplit> readPredefinedSplits(const FileSource& source, const Dataset& ds) {
    std::vector<PredefinedSplit> splits;
    for (const std::string_view view : kPredefinedSplitNames) {
        const std::string name(view);
        if (!source.exists(name + ".base") || !source.exists(name + ".test")) continue;
        PredefinedSplit split;
        split.name = name;
        try {
            split.isTest = readPair(source, ds, name);
        } catch (const DataError& e) {
            split.error = e;
        }
        splits.push_back(std::move(split));
    }
    return splits;
}

}  // namespace lens
