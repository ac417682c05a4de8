#include "stats/Eda.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "util/Calendar.h"
#include "util/Errors.h"

namespace lens {

int yearOfDay(std::int64_t daysSinceEpoch) {
    return civilYearOfDay(daysSinceEpoch);
}

namespace {

void step(const EdaObserver& observer, double fraction, const char* stage) {
    if (observer && !observer(fraction, stage)) throw Cancelled();
}

std::vector<std::uint64_t> rowSizes(const RatingMatrix& m) {
    std::vector<std::uint64_t> sizes(m.rows());
    for (std::size_t r = 0; r < m.rows(); ++r) sizes[r] = m.rowSize(r);
    return sizes;
}

// Counts of every stored code; four interleaved tallies per thread break the store-to-load
// dependency of repeated values. Bins follow the scale (see RatingHistogram).
RatingHistogram ratingHistogram(const std::vector<HalfStars>& codes, const RatingScale& scale) {
    RatingHistogram h;
    if (scale.implicit) {
        h.implicit = true;
        return h;
    }
    std::array<std::uint64_t, 256> all{};
    const auto n = static_cast<std::ptrdiff_t>(codes.size());
    const HalfStars* data = codes.data();
#pragma omp parallel
    {
        std::vector<std::uint64_t> tally(4 * 256, 0);
#pragma omp for schedule(static) nowait
        for (std::ptrdiff_t i = 0; i < n; ++i) ++tally[(i & 3) * 256 + data[i]];
#pragma omp critical(lens_eda_rating_histogram)
        for (int v = 0; v < 256; ++v)
            all[v] += tally[v] + tally[256 + v] + tally[512 + v] + tally[768 + v];
    }
    // Half stars: codes 1..10 always (the chart's ten bins); else the codes present.
    const bool halfStars = scale.isHalfStars();
    double sum = 0.0;
    for (int code = 1; code < 256; ++code) {
        if (!(halfStars ? code <= 10 : all[code] > 0)) continue;
        const double value = static_cast<double>(scale.value(static_cast<HalfStars>(code)));
        h.counts.push_back(all[code]);
        h.values.push_back(value);
        h.total += all[code];
        sum += value * static_cast<double>(all[code]);
    }
    if (h.total == 0) return h;
    h.mean = sum / static_cast<double>(h.total);
    auto at = [&h](std::uint64_t pos) {
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            seen += h.counts[i];
            if (pos < seen) return h.values[i];
        }
        return h.values.back();
    };
    const std::uint64_t mid = h.total / 2;
    h.median = h.total % 2 ? at(mid) : 0.5 * (at(mid - 1) + at(mid));
    return h;
}

std::vector<YearCount> ratingsPerYear(const std::vector<std::uint32_t>& timestamps) {
    // A day -> year table (50 KB, mostly cache-resident) and per-thread year tallies: two loads
    // and an increment per rating. uint32 seconds end in 2106, year index 136.
    constexpr std::size_t kDays = (std::uint64_t{UINT32_MAX} / 86400) + 1;
    constexpr int kYears = 137;
    std::vector<std::uint8_t> yearIndex(kDays);
    for (std::size_t d = 0; d < kDays; ++d)
        yearIndex[d] = static_cast<std::uint8_t>(yearOfDay(static_cast<std::int64_t>(d)) - 1970);
    std::array<std::uint64_t, kYears> perYear{};
    const auto n = static_cast<std::ptrdiff_t>(timestamps.size());
    const std::uint32_t* data = timestamps.data();
    const std::uint8_t* table = yearIndex.data();
#pragma omp parallel
    {
        std::uint64_t tally[4][kYears] = {};
#pragma omp for schedule(static) nowait
        for (std::ptrdiff_t i = 0; i < n; ++i) ++tally[i & 3][table[data[i] / 86400U]];
#pragma omp critical(lens_eda_years)
        for (int y = 0; y < kYears; ++y)
            perYear[y] += tally[0][y] + tally[1][y] + tally[2][y] + tally[3][y];
    }
    std::vector<YearCount> years;
    int first = 0, last = kYears - 1;
    while (first < kYears && !perYear[first]) ++first;
    while (last >= first && !perYear[last]) --last;
    for (int y = first; y <= last; ++y) years.push_back({1970 + y, perYear[y]});
    return years;
}

// Sum of the stored codes of each movie's ratings.
std::vector<std::uint64_t> movieCodeSums(const RatingMatrix& byMovie) {
    std::vector<std::uint64_t> sums(byMovie.rows(), 0);
    const auto rows = static_cast<std::ptrdiff_t>(byMovie.rows());
#pragma omp parallel for schedule(dynamic, 256)
    for (std::ptrdiff_t m = 0; m < rows; ++m) {
        std::uint64_t sum = 0;
        for (HalfStars h : byMovie.rowHalfStars(static_cast<std::size_t>(m))) sum += h;
        sums[static_cast<std::size_t>(m)] = sum;
    }
    return sums;
}

std::vector<MovieRatingSummary> movieRatingSummaries(const RatingMatrix& byMovie,
                                                     const std::vector<std::uint64_t>& sums,
                                                     const RatingScale& scale) {
    std::vector<MovieRatingSummary> out;
    out.reserve(byMovie.rows());
    for (std::size_t m = 0; m < byMovie.rows(); ++m) {
        const std::uint64_t n = byMovie.rowSize(m);
        if (n == 0) continue;
        out.push_back({n, scale.meanOfCodes(sums[m], n)});
    }
    return out;
}

// Trimmed, ASCII-lower-cased copy of a tag into `out` (reused: no allocation per tag).
void foldTag(const std::string& text, std::string& out) {
    std::size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    out.assign(text, b, e - b);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

TagStats tagStats(const Dataset& ds, std::size_t topN) {
    TagStats t;
    t.total = ds.tags.size();
    if (ds.tags.empty()) return t;
    struct Entry {
        std::size_t firstIndex;
        std::uint64_t count;
    };
    std::unordered_map<std::string, Entry> counts;
    counts.reserve(ds.tags.size() / 4 + 16);
    std::vector<std::uint8_t> movieTagged(ds.movieCount(), 0), userTagged(ds.userCount(), 0);
    std::string key;
    for (std::size_t i = 0; i < ds.tags.size(); ++i) {
        const Tag& tag = ds.tags[i];
        foldTag(tag.text, key);
        auto it = counts.find(key);
        if (it == counts.end()) it = counts.emplace(key, Entry{i, 0}).first;
        ++it->second.count;
        if (tag.movie < movieTagged.size()) movieTagged[tag.movie] = 1;
        if (tag.user < userTagged.size()) userTagged[tag.user] = 1;
    }
    t.distinct = counts.size();
    for (auto f : movieTagged) t.taggedMovies += f;
    for (auto f : userTagged) t.taggingUsers += f;
    std::vector<std::pair<const std::string*, Entry>> order;
    order.reserve(counts.size());
    for (const auto& [key, entry] : counts) order.emplace_back(&key, entry);
    const std::size_t keep = std::min(topN, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                      [](const auto& a, const auto& b) {
                          if (a.second.count != b.second.count)
                              return a.second.count > b.second.count;
                          return *a.first < *b.first;
                      });
    for (std::size_t i = 0; i < keep; ++i)
        t.top.push_back({ds.tags[order[i].second.firstIndex].text, order[i].second.count});
    return t;
}

}  // namespace

MovieMeanHistogram movieMeanHistogram(const std::vector<MovieRatingSummary>& movies,
                                      std::uint64_t minRatings, double binWidth, double lo,
                                      double hi) {
    MovieMeanHistogram h;
    h.minRatings = std::max<std::uint64_t>(minRatings, 1);
    if (!(hi > lo)) hi = lo + 1.0;  // a one-value scale (implicit): one bin
    const double width = binWidth > 0 ? binWidth : (hi - lo) / 18.0;
    const auto bins = static_cast<std::size_t>(std::max(1.0, std::ceil((hi - lo) / width - 1e-9)));
    for (std::size_t k = 0; k <= bins; ++k)
        h.edges.push_back(std::min(hi, lo + width * static_cast<double>(k)));
    h.counts.assign(bins, 0);
    double meanSum = 0.0;
    for (const MovieRatingSummary& movie : movies) {
        if (movie.ratings < h.minRatings) continue;
        auto bin = static_cast<std::size_t>(std::max(0.0, (movie.mean - lo) / width + 1e-9));
        bin = std::min(bin, bins - 1);
        ++h.counts[bin];
        ++h.moviesCounted;
        meanSum += movie.mean;
    }
    if (h.moviesCounted) h.meanOfMeans = meanSum / static_cast<double>(h.moviesCounted);
    return h;
}

EdaReport computeEda(const Dataset& ds, const EdaOptions& options, const EdaObserver& observer) {
    const auto started = std::chrono::steady_clock::now();
    EdaReport r;
    r.datasetName = ds.name;
    r.users = ds.userCount();
    r.movies = ds.movieCount();
    r.ratings = ds.ratingCount();
    r.scale = ds.scale;
    r.density = ds.density();
    r.sparsity = 1.0 - r.density;

    step(observer, 0.0, "ratings per user");
    r.userDegrees = describeDegrees(rowSizes(ds.byUser), options.degrees);
    step(observer, 0.25, "ratings per movie");
    r.movieDegrees = describeDegrees(rowSizes(ds.byMovie), options.degrees);

    step(observer, 0.5, "rating histogram");
    r.ratingHistogram = ratingHistogram(ds.byUser.halfStars, ds.scale);

    step(observer, 0.6, "ratings per year");
    r.ratingsPerYear = ratingsPerYear(ds.timestamps);
    if (!ds.timestamps.empty()) {
        r.firstTimestamp = ds.minTimestamp();
        r.lastTimestamp = ds.maxTimestamp();
    }

    step(observer, 0.75, "movie means and genres");
    const std::vector<std::uint64_t> sums = movieCodeSums(ds.byMovie);
    r.movieRatingSummaries = movieRatingSummaries(ds.byMovie, sums, ds.scale);
    if (ds.scale.implicit) {  // every value is 1: a histogram of means would be one bar
        r.movieMeans.minRatings = std::max<std::uint64_t>(options.minRatingsForMovieMean, 1);
        r.movieMeans.implicit = true;
    } else {
        r.movieMeans = movieMeanHistogram(r.movieRatingSummaries, options.minRatingsForMovieMean,
                                          options.movieMeanBinWidth, ds.scale.min, ds.scale.max);
    }

    const int genreCount = ds.genreCount();
    r.genres.resize(static_cast<std::size_t>(genreCount));
    std::vector<std::uint64_t> genreCodeSums(static_cast<std::size_t>(genreCount), 0);
    for (int g = 0; g < genreCount; ++g)
        r.genres[static_cast<std::size_t>(g)].name = ds.genreName(g);
    for (std::size_t m = 0; m < ds.movieCount(); ++m) {
        const GenreMask mask = m < ds.genres.size() ? ds.genres[m] : 0;
        const std::uint64_t n = m < ds.byMovie.rows() ? ds.byMovie.rowSize(m) : 0;
        const std::uint64_t s = m < sums.size() ? sums[m] : 0;
        if (mask == 0) {
            ++r.moviesWithoutGenre;
            r.ratingsWithoutGenre += n;
            continue;
        }
        for (int g = 0; g < genreCount; ++g) {
            if (!hasGenre(mask, g)) continue;
            auto& stat = r.genres[static_cast<std::size_t>(g)];
            ++stat.movies;
            stat.ratings += n;
            genreCodeSums[static_cast<std::size_t>(g)] += s;
        }
    }
    for (int g = 0; g < genreCount; ++g) {
        auto& stat = r.genres[static_cast<std::size_t>(g)];
        if (stat.ratings)
            stat.meanRating =
                ds.scale.meanOfCodes(genreCodeSums[static_cast<std::size_t>(g)], stat.ratings);
    }

    step(observer, 0.9, "tags");
    r.tags = tagStats(ds, options.topTags);
    step(observer, 1.0, "done");
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
}

}  // namespace lens
