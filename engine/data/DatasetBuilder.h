#pragma once
// Turns raw parsed records into an indexed Dataset: dense id maps, CSR by user with
// timestamps, CSC by movie. Shared by every loader and by the synthetic generator.
//
// Duplicate (user, movie) pairs keep the last one in input order and are counted.
// Rated movies missing from the movie list are added as "unknown #<id>" and counted.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace lens {

struct RawMovie {
    std::int64_t id = 0;
    std::string title;  // UTF-8
    GenreMask genres = 0;
};

struct RawTag {
    std::int64_t userId = 0;
    std::int64_t movieId = 0;
    std::string text;
    std::int64_t timestamp = 0;
};

// Ratings as parallel arrays (structure of arrays keeps parsing threads cache-friendly).
struct RawRatings {
    std::vector<std::int64_t> userIds;
    std::vector<std::int64_t> movieIds;
    std::vector<HalfStars> halfStars;
    std::vector<std::uint32_t> timestamps;

    std::size_t size() const { return userIds.size(); }
    void reserve(std::size_t n) {
        userIds.reserve(n);
        movieIds.reserve(n);
        halfStars.reserve(n);
        timestamps.reserve(n);
    }
    void push(std::int64_t user, std::int64_t movie, HalfStars h, std::uint32_t t) {
        userIds.push_back(user);
        movieIds.push_back(movie);
        halfStars.push_back(h);
        timestamps.push_back(t);
    }
    void append(const RawRatings& other);
};

// Ratings with 32-bit ids in fixed-capacity blocks, as the parallel parser produces them: a
// block is filled through raw pointers (no growth checks), and blocks are consumed in order
// (their order is input order) without ever being concatenated. Capacity that is reserved but
// never written costs address space only, not memory. Several blocks may share one storage
// (RatingBlock::carve): a parsing thread packs the blocks of all the pieces of the file it
// parses one after the other into its own storage, so that no page is touched twice.
struct RatingBlock {
    std::shared_ptr<void> storage;  // owns the arrays (shared by the blocks carved from them)
    std::uint32_t* users = nullptr;
    std::uint32_t* movies = nullptr;
    HalfStars* halfStars = nullptr;
    std::uint32_t* timestamps = nullptr;
    std::size_t size = 0;
    std::size_t capacity = 0;

    RatingBlock() = default;
    explicit RatingBlock(std::size_t capacity);
    void push(std::uint32_t user, std::uint32_t movie, HalfStars h, std::uint32_t t) {
        users[size] = user;
        movies[size] = movie;
        halfStars[size] = h;
        timestamps[size] = t;
        ++size;
    }
    // An empty block of `capacity` over this block's unused capacity (after its `size`
    // entries), sharing its storage; this block must not grow afterwards.
    RatingBlock carve(std::size_t capacity) const;
};

struct CompactRatings {
    std::vector<RatingBlock> blocks;
    std::size_t size() const {
        std::size_t n = 0;
        for (const auto& b : blocks) n += b.size;
        return n;
    }
};

struct RawLinks {
    std::vector<std::int64_t> movieIds, imdbIds, tmdbIds;
};

// Builds the dataset; `ratings` is consumed (its memory is released as indexing proceeds).
Dataset buildDataset(RawRatings&& ratings, std::vector<RawMovie>&& movies,
                     std::vector<RawTag>&& tags = {}, const RawLinks* links = nullptr);

// The same from 32-bit ids (the loaders' fast path). Blocks are freed as they are indexed.
Dataset buildDataset(CompactRatings&& ratings, std::vector<RawMovie>&& movies,
                     std::vector<RawTag>&& tags = {}, const RawLinks* links = nullptr);

}  // namespace lens
