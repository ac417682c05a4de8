#pragma once
// One embedding vector per genre, built from movie vectors: the centroid of the movies carrying
// that genre (a movie with several genres counts for each of them).
//
// Plain:    c_g = (1 / |M_g|) sum_{m in M_g} v_m
// Weighted: c_g = sum_{m in M_g} w_m v_m / sum_{m in M_g} w_m   (e.g. w_m = number of ratings)
// A genre with no movies (or zero total weight) gets a zero vector and count 0; callers leave it
// out of maps and neighbour lists.
#include <span>
#include <vector>

#include "data/Genre.h"
#include "projection/EmbeddingMatrix.h"

namespace lens {

// Rows of per-genre results for these masks: MovieLens's kGenreCount, or more when a mask sets
// a higher bit (a user's data with a larger category vocabulary, up to kMaxGenreVocabulary).
// Rows past a dataset's vocabulary, like empty genres, carry no movies.
int genreRowCount(std::span<const GenreMask> masks);

struct GenreCentroids {
    EmbeddingMatrix centroids;        // genreRowCount(masks) x d
    std::vector<int> movieCount;      // movies per genre
    std::vector<double> totalWeight;  // sum of weights per genre (= movieCount when plain)
};

// `masks` has one GenreMask per movie row; `weights` is empty (plain) or one non-negative weight
// per movie. Throws std::invalid_argument on size mismatches or negative weights.
GenreCentroids genreCentroids(const EmbeddingMatrix& movieVectors, std::span<const GenreMask> masks,
                              std::span<const float> weights = {});

}  // namespace lens
