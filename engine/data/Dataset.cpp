#include "data/Dataset.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <limits>
#include <numeric>

namespace lens {

const char* layoutName(Layout layout) {
    switch (layout) {
        case Layout::Ml100k:
            return "ml-100k";
        case Layout::Ml1m:
            return "ml-1m";
        case Layout::Ml10m:
            return "ml-10m";
        case Layout::Csv:
            return "csv";
        case Layout::Synthetic:
            return "synthetic";
        case Layout::Interactions:
            return "interactions";
    }
    return "unknown";
}

std::size_t Dataset::ratedMovieCount() const {
    std::size_t n = 0;
    for (std::size_t m = 0; m < byMovie.rows(); ++m) n += byMovie.rowSize(m) > 0;
    return n;
}

double Dataset::density() const {
    const double cells = static_cast<double>(userCount()) * static_cast<double>(movieCount());
    return cells > 0 ? static_cast<double>(ratingCount()) / cells : 0.0;
}

double Dataset::ratingMean() const {
    if (byUser.halfStars.empty()) return 0.0;
    std::uint64_t sum = 0;
    for (HalfStars h : byUser.halfStars) sum += h;
    return scale.meanOfCodes(sum, byUser.halfStars.size());
}

double Dataset::movieMeanRating(std::size_t movie) const {
    const auto stars =
        movie < byMovie.rows() ? byMovie.rowHalfStars(movie) : std::span<const HalfStars>{};
    if (stars.empty() || scale.implicit) return std::numeric_limits<double>::quiet_NaN();
    std::uint64_t sum = 0;
    for (HalfStars h : stars) sum += h;
    return scale.meanOfCodes(sum, stars.size());
}

std::string Dataset::genreListOf(GenreMask mask) const {
    std::string out;
    for (int g = 0; g < genreCount(); ++g) {
        if (!hasGenre(mask, g)) continue;
        if (!out.empty()) out += '|';
        out += genreVocabulary[static_cast<std::size_t>(g)];
    }
    return out.empty() ? std::string("(no genres listed)") : out;
}

std::string Dataset::userLabel(std::size_t index) const {
    return index < userKeys.size() ? userKeys[index] : std::to_string(userIds[index]);
}
std::string Dataset::movieLabel(std::size_t index) const {
    return index < movieKeys.size() ? movieKeys[index] : std::to_string(movieIds[index]);
}

std::pair<std::uint32_t, std::uint32_t> Dataset::timeRange() const {
    if (timestamps.empty()) return {0, 0};
    if (timeRangeOf_ == timestamps.size()) return timeRange_;
    // A vectorised pass, parallel on large data (80 MB at ML-20M's size, taken as it loads).
    std::uint32_t lo = std::numeric_limits<std::uint32_t>::max(), hi = 0;
    const std::uint32_t* t = timestamps.data();
    const auto n = static_cast<std::int64_t>(timestamps.size());
#pragma omp parallel for simd if (n > 1'000'000) reduction(min : lo) reduction(max : hi)
    for (std::int64_t i = 0; i < n; ++i) {
        lo = std::min(lo, t[i]);
        hi = std::max(hi, t[i]);
    }
    return {lo, hi};
}
std::uint32_t Dataset::minTimestamp() const {
    return timeRange().first;
}
std::uint32_t Dataset::maxTimestamp() const {
    return timeRange().second;
}

namespace {

// The index of `id` in `ids`: by binary search where they ascend, else through the map.
std::int64_t indexOfId(const std::vector<std::int64_t>& ids, bool ascending,
                       const std::unordered_map<std::int64_t, std::uint32_t>& lookup,
                       std::int64_t id) {
    if (ascending) {
        const auto it = std::lower_bound(ids.begin(), ids.end(), id);
        return it != ids.end() && *it == id ? it - ids.begin() : -1;
    }
    const auto it = lookup.find(id);
    return it == lookup.end() ? -1 : static_cast<std::int64_t>(it->second);
}

// Fills `lookup` unless `ids` ascend; returns whether they do.
bool indexIds(const std::vector<std::int64_t>& ids,
              std::unordered_map<std::int64_t, std::uint32_t>& lookup) {
    lookup.clear();
    if (std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end()) {
        lookup.rehash(0);
        return true;
    }
    lookup.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        lookup.emplace(ids[i], static_cast<std::uint32_t>(i));
    return false;
}

}  // namespace

std::int64_t Dataset::userIndex(std::int64_t id) const {
    return indexOfId(userIds, usersAscending_, userLookup_, id);
}

namespace {

// The index of `label` among sorted `keys`, or of the number it spells; -1 when absent.
template <typename IndexOfId>
std::int64_t datasetIndexOfLabel(const std::vector<std::string>& keys, std::string_view label,
                                 IndexOfId&& indexOfId) {
    if (!keys.empty()) {  // keys are in sorted order, the dense order
        const auto it = std::lower_bound(keys.begin(), keys.end(), label);
        return it != keys.end() && *it == label ? it - keys.begin() : -1;
    }
    while (!label.empty() && label.front() == ' ') label.remove_prefix(1);
    while (!label.empty() && label.back() == ' ') label.remove_suffix(1);
    if (label.size() > 1 && label.front() == '+') label.remove_prefix(1);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(label.data(), label.data() + label.size(), id);
    if (label.empty() || ec != std::errc() || end != label.data() + label.size()) return -1;
    return indexOfId(id);
}

}  // namespace

std::int64_t Dataset::userIndexOfLabel(std::string_view label) const {
    return datasetIndexOfLabel(userKeys, label, [this](std::int64_t id) { return userIndex(id); });
}

std::int64_t Dataset::movieIndexOfLabel(std::string_view label) const {
    return datasetIndexOfLabel(movieKeys, label,
                               [this](std::int64_t id) { return movieIndex(id); });
}

std::int64_t Dataset::movieIndex(std::int64_t id) const {
    return indexOfId(movieIds, moviesAscending_, movieLookup_, id);
}

void Dataset::rebuildIdMaps() {
    usersAscending_ = indexIds(userIds, userLookup_);
    moviesAscending_ = indexIds(movieIds, movieLookup_);
    timeRangeOf_ = 0;
    timeRange_ = timeRange();
    timeRangeOf_ = timestamps.size();
}

std::size_t Dataset::memoryBytes() const {
    std::size_t bytes = sizeof(*this);
    bytes += userIds.capacity() * sizeof(std::int64_t) + movieIds.capacity() * sizeof(std::int64_t);
    for (const auto& t : titles)
        bytes += sizeof(std::string) + (t.capacity() > 15 ? t.capacity() : 0);
    bytes += years.capacity() * sizeof(std::int16_t) + genres.capacity() * sizeof(GenreMask);
    bytes += (imdbIds.capacity() + tmdbIds.capacity()) * sizeof(std::int64_t);
    bytes += byUser.memoryBytes() + byMovie.memoryBytes();
    bytes += timestamps.capacity() * sizeof(std::uint32_t);
    bytes += demographics.memoryBytes();
    for (const auto* keys : {&userKeys, &movieKeys})
        for (const auto& k : *keys)
            bytes += sizeof(std::string) + (k.capacity() > 15 ? k.capacity() : 0);
    for (const auto& t : tags)
        bytes += sizeof(Tag) + (t.text.capacity() > 15 ? t.text.capacity() : 0);
    // Hash maps: a node (key, value, next pointer) plus a bucket pointer per element.
    bytes +=
        (userLookup_.size() + movieLookup_.size()) * (sizeof(std::int64_t) * 2 + sizeof(void*) * 2);
    return bytes;
}

int parseYearFromTitle(std::string_view title) {
    // Look for the last "(dddd" group, accepting "(1995)", "(2007-2009)", "(1995 )".
    while (!title.empty() && std::isspace(static_cast<unsigned char>(title.back())))
        title.remove_suffix(1);
    for (std::size_t pos = title.rfind('('); pos != std::string_view::npos;
         pos = pos == 0 ? std::string_view::npos : title.rfind('(', pos - 1)) {
        if (pos + 5 > title.size()) continue;
        bool digits = true;
        for (std::size_t i = 1; i <= 4; ++i)
            digits = digits && std::isdigit(static_cast<unsigned char>(title[pos + i]));
        if (!digits) continue;
        const char after = pos + 5 < title.size() ? title[pos + 5] : ')';
        if (after != ')' && after != '-' && after != ' ' && after != '\xe2') continue;
        const int year = (title[pos + 1] - '0') * 1000 + (title[pos + 2] - '0') * 100 +
                         (title[pos + 3] - '0') * 10 + (title[pos + 4] - '0');
        if (year >= 1870 && year <= 2100) return year;
    }
    return 0;
}

}  // namespace lens
