#include "eval/BeyondAccuracy.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "eval/Segments.h"
#include "util/Nan.h"

namespace lens {

namespace {

// Mean of the finite values (NaN when none).
double finiteMean(const std::vector<double>& values) {
    double sum = 0.0;
    std::size_t count = 0;
    for (const double v : values)
        if (!std::isnan(v)) {
            sum += v;
            ++count;
        }
    return count ? sum / static_cast<double>(count) : kNaN;
}

void validate(const BeyondAccuracyInput& in) {
    const std::size_t m = in.popularity.size();
    if (in.genres.size() != m)
        throw std::invalid_argument("beyond-accuracy: " + std::to_string(in.genres.size()) +
                                    " genre masks for " + std::to_string(m) + " movies");
    if (in.itemFactors && static_cast<std::size_t>(in.itemFactors->rows()) != m)
        throw std::invalid_argument("beyond-accuracy: item factors have " +
                                    std::to_string(in.itemFactors->rows()) + " rows for " +
                                    std::to_string(m) + " movies");
    if (!in.histories.offsets.empty() && in.histories.rows() != in.lists.size())
        throw std::invalid_argument("beyond-accuracy: " + std::to_string(in.histories.rows()) +
                                    " histories for " + std::to_string(in.lists.size()) + " lists");
    for (std::size_t u = 0; u < in.lists.size(); ++u)
        for (const std::uint32_t i : in.lists[u])
            if (i >= m)
                throw std::invalid_argument("beyond-accuracy: user " + std::to_string(u) +
                                            "'s list holds movie " + std::to_string(i) + " of " +
                                            std::to_string(m));
    for (const std::uint32_t i : in.histories.items)
        if (i >= m)
            throw std::invalid_argument("beyond-accuracy: a history holds movie " +
                                        std::to_string(i) + " of " + std::to_string(m));
}

}  // namespace

double jaccardDistance(GenreMask a, GenreMask b) {
    const int unionSize = std::popcount(a | b);
    if (unionSize == 0) return 0.0;
    return 1.0 - static_cast<double>(std::popcount(a & b)) / static_cast<double>(unionSize);
}

std::vector<double> genreDistribution(std::span<const std::uint32_t> items,
                                      std::span<const GenreMask> genres) {
    // MovieLens's 19 genres, or as many as the highest genre bit of these movies needs (a
    // user's category vocabulary has up to kMaxGenreVocabulary).
    std::size_t genreSlots = kGenreCount;
    for (const std::uint32_t i : items)
        if (genres[i] != 0)
            genreSlots = std::max<std::size_t>(genreSlots, 32 - std::countl_zero(genres[i]));
    std::vector<double> p(genreSlots, 0.0);
    std::size_t counted = 0;
    for (const std::uint32_t i : items) {
        const GenreMask mask = genres[i];
        const int size = std::popcount(mask);
        if (size == 0) continue;
        ++counted;
        const double share = 1.0 / size;
        for (GenreMask rest = mask; rest != 0; rest &= rest - 1) p[std::countr_zero(rest)] += share;
    }
    if (counted)
        for (double& v : p) v /= static_cast<double>(counted);
    return p;
}

double calibrationKl(std::span<const double> p, std::span<const double> q, double alpha) {
    double kl = 0.0;
    bool any = false;
    for (std::size_t g = 0; g < p.size(); ++g) {
        if (p[g] <= 0.0) continue;
        any = true;
        // Distributions of different movies may differ in length (genre bits past MovieLens's
        // 19 exist only where a movie has them): a missing entry is 0.
        const double qg = g < q.size() ? q[g] : 0.0;
        const double smoothed = (1.0 - alpha) * qg + alpha * p[g];
        kl += p[g] * std::log(p[g] / smoothed);
    }
    return any ? kl : kNaN;
}

double giniCoefficient(std::vector<double> values) {
    if (values.empty()) return kNaN;
    std::sort(values.begin(), values.end());
    const auto m = static_cast<double>(values.size());
    double weighted = 0.0, total = 0.0;
    for (std::size_t j = 0; j < values.size(); ++j) {
        weighted += (2.0 * static_cast<double>(j + 1) - m - 1.0) * values[j];
        total += values[j];
    }
    if (total <= 0.0) return kNaN;
    return weighted / (m * total);
}

BeyondAccuracyResult beyondAccuracy(const BeyondAccuracyInput& in) {
    validate(in);
    const std::size_t movies = in.popularity.size();
    const std::size_t users = in.lists.size();
    const bool withHistories = !in.histories.offsets.empty();
    const bool withFactors = in.itemFactors != nullptr;

    std::size_t userCount = in.userCount;
    if (userCount == 0 && withHistories)
        for (std::size_t u = 0; u < in.histories.rows(); ++u)
            if (!in.histories.row(u).empty()) ++userCount;
    if (userCount == 0 && !in.lists.empty())
        throw std::invalid_argument("beyond-accuracy: the user count of novelty is missing");

    BeyondAccuracyResult r;
    const PopularityTiers tiers = popularityTiers(in.popularity, in.headShare, 0.0);
    r.headMinCount = tiers.headMinCount;
    r.headItems = tiers.sizes[static_cast<int>(PopularityTier::Head)];

    // The factor rows scaled to unit length, row-major (the model's matrix is column-major: its
    // rows are strided); a zero row stays zero, so its cosine with anything is 0.
    std::vector<float> unit;
    std::size_t dims = 0;
    if (withFactors) {
        dims = static_cast<std::size_t>(in.itemFactors->cols());
        unit.assign(movies * dims, 0.0f);
        for (std::size_t k = 0; k < dims; ++k)
            for (std::size_t i = 0; i < movies; ++i)
                unit[i * dims + k] =
                    (*in.itemFactors)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
        for (std::size_t i = 0; i < movies; ++i) {
            float* row = unit.data() + i * dims;
            double norm = 0.0;
            for (std::size_t k = 0; k < dims; ++k) norm += static_cast<double>(row[k]) * row[k];
            if (norm > 0.0) {
                const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
                for (std::size_t k = 0; k < dims; ++k) row[k] *= scale;
            }
        }
    }

    r.perUserNovelty.assign(users, kNaN);
    r.perUserIldGenre.assign(users, kNaN);
    r.perUserIldEmbedding.assign(users, kNaN);
    r.perUserAveragePopularity.assign(users, kNaN);
    r.perUserLongTailShare.assign(users, kNaN);
    r.perUserCalibrationKl.assign(users, kNaN);
    const double logUsers = std::log2(static_cast<double>(std::max<std::size_t>(userCount, 1)));

#pragma omp parallel for schedule(dynamic, 256)
    for (std::size_t u = 0; u < users; ++u) {
        const std::vector<std::uint32_t>& list = in.lists[u];
        if (list.empty()) continue;
        const auto n = static_cast<double>(list.size());
        double novelty = 0.0, popularity = 0.0, tail = 0.0;
        for (const std::uint32_t i : list) {
            const std::uint64_t k = std::max<std::uint64_t>(in.popularity[i], 1);
            novelty += std::max(0.0, logUsers - std::log2(static_cast<double>(k)));
            popularity += static_cast<double>(in.popularity[i]);
            if (!tiers.isHead(i)) tail += 1.0;
        }
        r.perUserNovelty[u] = novelty / n;
        r.perUserAveragePopularity[u] = popularity / n;
        r.perUserLongTailShare[u] = tail / n;

        if (list.size() >= 2) {
            double genreSum = 0.0, cosineSum = 0.0;
            for (std::size_t a = 0; a < list.size(); ++a)
                for (std::size_t b = a + 1; b < list.size(); ++b) {
                    genreSum += jaccardDistance(in.genres[list[a]], in.genres[list[b]]);
                    if (withFactors) {
                        const float* x = unit.data() + list[a] * dims;
                        const float* y = unit.data() + list[b] * dims;
                        float cosine = 0.0f;
                        for (std::size_t k = 0; k < dims; ++k) cosine += x[k] * y[k];
                        cosineSum += 1.0 - static_cast<double>(cosine);
                    }
                }
            const double pairs = n * (n - 1.0) / 2.0;
            r.perUserIldGenre[u] = genreSum / pairs;
            if (withFactors) r.perUserIldEmbedding[u] = cosineSum / pairs;
        }

        if (withHistories) {
            const std::vector<double> p = genreDistribution(in.histories.row(u), in.genres);
            const std::vector<double> q = genreDistribution(list, in.genres);
            const bool listHasGenre =
                std::any_of(q.begin(), q.end(), [](double v) { return v > 0; });
            if (listHasGenre) r.perUserCalibrationKl[u] = calibrationKl(p, q, in.calibrationAlpha);
        }
    }

    // Serial reductions in user order.
    std::vector<double> exposure(movies, 0.0);
    double tailSlots = 0.0;
    for (std::size_t u = 0; u < users; ++u) {
        if (in.lists[u].empty()) continue;
        ++r.users;
        r.recommendations += in.lists[u].size();
        for (const std::uint32_t i : in.lists[u]) {
            exposure[i] += 1.0;
            if (!tiers.isHead(i)) tailSlots += 1.0;
        }
    }
    std::vector<double> catalogueExposure;
    for (std::size_t i = 0; i < movies; ++i) {
        if (exposure[i] > 0.0) ++r.distinctItems;
        if (in.popularity[i] > 0 || exposure[i] > 0.0) catalogueExposure.push_back(exposure[i]);
    }
    r.catalogueSize = catalogueExposure.size();
    r.coverage = r.catalogueSize
                     ? static_cast<double>(r.distinctItems) / static_cast<double>(r.catalogueSize)
                     : kNaN;
    r.exposureGini = giniCoefficient(std::move(catalogueExposure));
    r.longTailShare = r.recommendations ? tailSlots / static_cast<double>(r.recommendations) : kNaN;
    r.novelty = finiteMean(r.perUserNovelty);
    r.ildGenre = finiteMean(r.perUserIldGenre);
    r.ildEmbedding = finiteMean(r.perUserIldEmbedding);
    r.averagePopularity = finiteMean(r.perUserAveragePopularity);
    r.calibrationKl = finiteMean(r.perUserCalibrationKl);
    return r;
}

}  // namespace lens
