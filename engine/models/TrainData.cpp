#include "models/TrainData.h"

#include <algorithm>
#include <stdexcept>

#include "util/HugePages.h"

namespace lens {

bool SparseRatings::contains(std::size_t r, std::uint32_t c) const {
    const auto row = rowIndex(r);
    return std::binary_search(row.begin(), row.end(), c);
}

namespace {

// Counting-sort transpose of a CSR matrix into CSC (columns ascending within each row).
SparseRatings transpose(const SparseRatings& m, std::size_t columns) {
    SparseRatings t;
    t.offsets.assign(columns + 1, 0);
    for (std::uint32_t c : m.index) ++t.offsets[c + 1];
    for (std::size_t c = 0; c < columns; ++c) t.offsets[c + 1] += t.offsets[c];
    resizeHuge(t.index, m.nnz());
    resizeHuge(t.values, m.nnz());
    std::vector<std::uint64_t> cursor(t.offsets.begin(), t.offsets.end() - 1);
    for (std::size_t r = 0; r < m.rows(); ++r) {
        for (std::uint64_t e = m.offsets[r]; e < m.offsets[r + 1]; ++e) {
            const std::uint64_t at = cursor[m.index[e]]++;
            t.index[at] = static_cast<std::uint32_t>(r);
            t.values[at] = m.values[e];
        }
    }
    return t;
}

double meanOf(const std::vector<float>& v) {
    double sum = 0.0;
    for (float x : v) sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

}  // namespace

TrainData TrainData::build(const Dataset& dataset, const Split& split) {
    if (split.isTest.size() != dataset.ratingCount())
        throw std::invalid_argument("TrainData: split has " + std::to_string(split.isTest.size()) +
                                    " entries for " + std::to_string(dataset.ratingCount()) +
                                    " ratings");
    TrainData d;
    d.datasetName = dataset.name;
    d.split = split.spec;
    d.userIds = dataset.userIds;
    d.movieIds = dataset.movieIds;
    d.genres = dataset.genres;
    d.genres.resize(dataset.movieCount(), 0);
    d.scale = dataset.scale;
    d.genreCount = dataset.genreCount();

    const RatingMatrix& m = dataset.byUser;
    std::size_t tests = 0;
    for (std::uint8_t t : split.isTest) tests += t != 0;
    d.byUser.offsets.assign(m.rows() + 1, 0);
    reserveHuge(d.byUser.index, m.nnz() - tests);
    reserveHuge(d.byUser.values, m.nnz() - tests);
    reserveHuge(d.test, tests);
    for (std::size_t u = 0; u < m.rows(); ++u) {
        for (std::uint64_t e = m.offsets[u]; e < m.offsets[u + 1]; ++e) {
            const float r = dataset.ratingValue(m.halfStars[e]);
            if (split.isTest[e]) {
                d.test.push_back({static_cast<std::uint32_t>(u), m.index[e], r});
            } else {
                d.byUser.index.push_back(m.index[e]);
                d.byUser.values.push_back(r);
            }
        }
        d.byUser.offsets[u + 1] = d.byUser.index.size();
    }
    d.byItem = transpose(d.byUser, dataset.movieCount());
    d.globalMean = meanOf(d.byUser.values);
    return d;
}

TrainData TrainData::fromTriplets(std::size_t users, std::size_t items,
                                  std::vector<RatingTriplet> train, std::vector<RatingTriplet> test,
                                  std::vector<GenreMask> genres) {
    TrainData d;
    d.datasetName = "triplets";
    d.userIds.resize(users);
    d.movieIds.resize(items);
    for (std::size_t i = 0; i < users; ++i) d.userIds[i] = static_cast<std::int64_t>(i);
    for (std::size_t i = 0; i < items; ++i) d.movieIds[i] = static_cast<std::int64_t>(i);
    d.genres = std::move(genres);
    d.genres.resize(items, 0);

    for (const auto& t : train)
        if (t.user >= users || t.item >= items)
            throw std::invalid_argument("TrainData::fromTriplets: index out of range");
    const auto byUserItem = [](const RatingTriplet& a, const RatingTriplet& b) {
        return a.user != b.user ? a.user < b.user : a.item < b.item;
    };
    if (!std::is_sorted(train.begin(), train.end(), byUserItem))
        std::sort(train.begin(), train.end(), byUserItem);
    d.byUser.offsets.assign(users + 1, 0);
    reserveHuge(d.byUser.index, train.size());
    reserveHuge(d.byUser.values, train.size());
    for (const auto& t : train) {
        ++d.byUser.offsets[t.user + 1];
        d.byUser.index.push_back(t.item);
        d.byUser.values.push_back(t.rating);
    }
    for (std::size_t u = 0; u < users; ++u) d.byUser.offsets[u + 1] += d.byUser.offsets[u];
    d.byItem = transpose(d.byUser, items);
    d.test = std::move(test);
    d.globalMean = meanOf(d.byUser.values);
    return d;
}

}  // namespace lens
