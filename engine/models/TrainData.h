#pragma once
// The training view of a Dataset under one Split: what every model (ALS, NCF) fits on.
//
// Train ratings are held twice with float values, by user (CSR) and by movie (CSC), so both
// half-sweeps of ALS read contiguous rows; test ratings are (user, item, rating) triplets in
// Dataset::byUser order. Indices are the dataset's dense user and movie indices (every movie
// of the release is an item, rated or not), so a trained model lines up with the Dataset
// that built it. The id maps are copied so a saved model can be checked against a dataset.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "data/Genre.h"
#include "data/Split.h"

namespace lens {

// A compressed sparse matrix with float values (rows = users for CSR, rows = items for CSC).
struct SparseRatings {
    std::vector<std::uint64_t> offsets;  // rows() + 1 entries
    std::vector<std::uint32_t> index;    // column of each entry, ascending within a row
    std::vector<float> values;           // rating of each entry (a value of the data's scale)

    std::size_t rows() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::size_t nnz() const { return index.size(); }
    std::size_t rowSize(std::size_t r) const { return offsets[r + 1] - offsets[r]; }
    std::span<const std::uint32_t> rowIndex(std::size_t r) const {
        return {index.data() + offsets[r], rowSize(r)};
    }
    std::span<const float> rowValues(std::size_t r) const {
        return {values.data() + offsets[r], rowSize(r)};
    }
    // True when row r holds column c (binary search).
    bool contains(std::size_t r, std::uint32_t c) const;
};

struct RatingTriplet {
    std::uint32_t user = 0;
    std::uint32_t item = 0;
    float rating = 0.0f;
};

struct TrainData {
    std::string datasetName;
    SplitSpec split;                    // how train and test were made (saved with models)
    std::vector<std::int64_t> userIds;  // dense index -> release id (copied from the Dataset)
    std::vector<std::int64_t> movieIds;
    std::vector<GenreMask> genres;  // per item, real genres of the release
    // The dataset's rating scale (predictions are clipped to it; implicit data: every value 1)
    // and the number of genre bits its vocabulary names (Dataset::genreCount()).
    RatingScale scale;
    int genreCount = kGenreCount;

    SparseRatings byUser;             // train ratings, rows = users
    SparseRatings byItem;             // train ratings, rows = items
    std::vector<RatingTriplet> test;  // held-out ratings
    double globalMean = 0.0;          // mean train rating (mu)

    std::size_t userCount() const { return userIds.size(); }
    std::size_t itemCount() const { return movieIds.size(); }
    std::size_t trainCount() const { return byUser.nnz(); }
    std::size_t testCount() const { return test.size(); }

    // Builds the view of `dataset` under `split` (split.isTest must have one entry per rating).
    static TrainData build(const Dataset& dataset, const Split& split);

    // Builds from plain triplets (tests, synthetic fixtures): users 0..users-1 and items
    // 0..items-1 get ids equal to their index; `genres` may be empty (no genres). The scale is
    // the default (half stars) and genreCount kGenreCount; callers with a Dataset set both.
    // Taken by value: a caller that moves its vectors in saves their copies (tens of millions of
    // triplets at ML-20M size); `train` already in (user, item) order is not sorted again.
    static TrainData fromTriplets(std::size_t users, std::size_t items,
                                  std::vector<RatingTriplet> train, std::vector<RatingTriplet> test,
                                  std::vector<GenreMask> genres = {});
};

}  // namespace lens
