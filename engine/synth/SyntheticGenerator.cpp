#include "synth/SyntheticGenerator.h"

// The planted model, in order of generation:
//
// 1. Taste clusters. Seven latent directions A_c (coordinate axes 0..6 of a 16-dimensional
//    space): "space" (Sci-Fi, Fantasy, Adventure), "dark" (Horror, Thriller, Mystery),
//    "family" (Children, Animation, Musical), "heart" (Romance, Drama), "crime" (Crime,
//    Film-Noir, Thriller), "battle" (War, Western, Action), "real" (Documentary). A genre's
//    vector is e_g = sum_c w_gc A_c + u_g, with weights w_gc from the table below and a small
//    genre-specific part u_g (norm 0.5, in dimensions 7..15). Genres sharing a cluster with
//    weight >= 0.7 are the planted related pairs.
// 2. Movies. Genres are drawn so that co-occurring genres tend to share a cluster; the factor is
//    q_i = 0.7 * sum_{g in G_i} e_g / sqrt(|G_i|) + noise. Franchises of 3-5 installments
//    ("Title", "Title II", "Title III", ...) share genres and a franchise offset, so their
//    factors are close. Biases b_i ~ N(0, 0.3^2) plus a few broadly loved (and hated) movies.
//    Popularity is a heavy-tailed function of a random rank r, fitted to ML-20M's ratings per
//    movie: pop_i = exp(-0.374 (1 + r_i * 26744 / M)^0.33 + 0.8 b_i). Franchises are
//    blockbusters (first film ranked in the top 10 %), each sequel 0.75 times as popular.
// 3. Users. Activity n_u = 20 + a lognormal (sigma 1.3) part scaled so the total is exactly the
//    requested number of ratings (heavy tail, capped at a third of the movies). The factor p_u
//    loves one or two clusters, perhaps dislikes another, plus noise; b_u ~ N(0, 0.45^2).
// 4. Choice. A user picks distinct movies with probability proportional to
//    pop_i * exp(2 p_u.e_{g(i)}) * sigmoid(2 p_u.q_i) (g(i): the movie's first genre), and
//    after a franchise film often its other installments too; films released after the user's
//    active span are mostly avoided. Light users sample by rejection, heavy users (or when
//    rejection stalls) by exact weighted sampling without replacement (Efraimidis-Spirakis).
// 5. Ratings. r = quantise(clip(mu + b_u + b_i + p_u.q_i + N(0, 0.7^2) - d)), where d (1 to 2
//    stars, for 10 % of ratings) lengthens the left tail as in real data. Quantised to whole
//    stars, or for a share h_u of a user's ratings to half stars (h_u = 0 for a quarter of the
//    users, else U(0.5, 1)), which makes whole stars more common and the marginal peak at 4.0
//    then 3.0 with mean about 3.5, as in MovieLens.
// 6. Timestamps. Each user is active over a log-uniform span (ten minutes to ten years) inside
//    1996-01-29 .. 2018-09-24 (a release shape: the real release's span, films up to its last
//    year); a rating is never before the film's release.
// 7. Tags. About one user in ten tags a few of the movies they rated (favouring ones they
//    liked) with words of the movie's cluster, a franchise tag, or generic ones.
//
// Where each part lives: the clusters, genres and movies in SyntheticWorld (titles in
// SyntheticTitles), the users, choices, ratings, timestamps and tags in SyntheticRatingProcess,
// the CSV text in SyntheticCsv, the plan of a release shape in SyntheticShape; this file sizes
// the release, runs the users in parallel in chunks and streams the files (to disk or memory).

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "io/DatasetLoader.h"
#include "synth/SyntheticCsv.h"
#include "synth/SyntheticRatingProcess.h"
#include "synth/SyntheticShape.h"
#include "synth/SyntheticWorld.h"
#include "util/Errors.h"
#include "util/Random.h"

namespace lens {

using namespace synth;

namespace {

constexpr double kRatingsPerUser = 20'000'263.0 / 138'493.0;  // ML-20M's mean, about 144.4
constexpr std::uint64_t kStreamUsers = 0x05E45EEDULL;

}  // namespace

SyntheticSizes resolveSyntheticSizes(const SyntheticConfig& config) {
    if (config.shape != SyntheticShape::None) return syntheticShapeSizes(config);
    SyntheticSizes s;
    s.ratings = config.ratings;
    if (s.ratings < 20) throw std::invalid_argument("synthetic dataset: need at least 20 ratings");
    s.users = config.users;
    if (s.users == 0) {
        s.users = static_cast<std::size_t>(
            std::llround(static_cast<double>(s.ratings) / kRatingsPerUser));
        s.users = std::clamp<std::size_t>(s.users, 1, s.ratings / 20);
    }
    if (s.users * 20 > s.ratings)
        throw std::invalid_argument("synthetic dataset: " + std::to_string(s.users) +
                                    " users need at least " + std::to_string(s.users * 20) +
                                    " ratings (20 each)");
    s.movies = config.movies;
    if (s.movies == 0) {
        s.movies = static_cast<std::size_t>(
            std::llround(kMoviesAtMl20m * std::pow(static_cast<double>(s.ratings) / 20'000'263.0,
                                                   kSyntheticMovieExponent)));
        s.movies = std::max<std::size_t>(s.movies, 60);
    }
    if (s.movies < 40) throw std::invalid_argument("synthetic dataset: need at least 40 movies");
    if (s.ratings > s.users * s.movies)
        throw std::invalid_argument("synthetic dataset: " + std::to_string(s.ratings) +
                                    " ratings do not fit " + std::to_string(s.users) +
                                    " users rating at most all " + std::to_string(s.movies) +
                                    " movies each");
    if (s.movies > 50'000'000 || s.users > 500'000'000)
        throw std::invalid_argument("synthetic dataset: too large");
    return s;
}

std::vector<std::pair<std::string, std::string>> plantedRelatedGenres() {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& cluster : tasteClusters())
        for (std::size_t a = 0; a < cluster.members.size(); ++a)
            for (std::size_t b = a + 1; b < cluster.members.size(); ++b)
                if (cluster.members[a].weight >= 0.7 && cluster.members[b].weight >= 0.7)
                    pairs.emplace_back(cluster.members[a].genre, cluster.members[b].genre);
    return pairs;
}

namespace {

// Where the release's bytes go, in order: the file's name and the next piece of it. Files come
// one after another (ratings.csv, movies.csv, then tags.csv), each in consecutive pieces, so a
// large release is written to disk without ever being whole in memory.
using Emit = std::function<void(const std::string& file, std::string_view bytes)>;

// What the rating loop follows: the world and every user's number of ratings; for a release
// shape also the movies nobody rates and each user's first ratings (SyntheticShape.h).
struct ReleasePlan {
    SyntheticSizes sizes;
    World world;
    std::vector<std::uint32_t> activity;
    std::vector<std::uint8_t> unrated;  // per movie; empty without a shape
    std::vector<std::uint64_t> firstOffsets;
    std::vector<std::uint32_t> firstMovies;
};

ReleasePlan planRelease(const SyntheticConfig& config) {
    ReleasePlan plan;
    if (config.shape == SyntheticShape::None) {
        plan.sizes = resolveSyntheticSizes(config);
        plan.world = buildWorld(config.seed, plan.sizes.movies);
        plan.activity = drawActivity(config.seed, plan.sizes.users, plan.sizes.ratings,
                                     activityCap(plan.sizes));
        return plan;
    }
    SyntheticShapePlan shape = planSyntheticShape(config);
    const ReleaseShapeFigures& figures = releaseShapeFigures(config.shape);
    plan.sizes = shape.sizes;
    plan.world = buildWorld(config.seed, plan.sizes.movies,
                            Era{figures.firstRating, figures.lastRating, figures.lastYear});
    plan.unrated.assign(plan.sizes.movies, 0);
    for (std::size_t i = 0; i < plan.sizes.movies; ++i) {
        SynthMovie& m = plan.world.movies[i];
        m.id = shape.movieIds[i];
        if (!shape.rated[i]) {
            plan.unrated[i] = 1;
            m.popularity = 0.0;
        }
    }
    indexMovieGroups(plan.world);  // without the unrated movies
    plan.activity = std::move(shape.ratingsPerUser);
    plan.firstOffsets = std::move(shape.firstRatingOffsets);
    plan.firstMovies = std::move(shape.firstRatings);
    return plan;
}

// Users are generated in chunks of about this many ratings (in parallel within a chunk), and
// each chunk's rows emitted before the next: memory stays flat at any size.
constexpr std::uint64_t kChunkRatings = std::uint64_t{1} << 21;

void generateRelease(const SyntheticConfig& config, const Emit& emit) {
    const ReleasePlan plan = planRelease(config);
    const SyntheticSizes& sizes = plan.sizes;
    const World& world = plan.world;
    const std::vector<std::uint32_t>& activity = plan.activity;
    const bool shaped = !plan.unrated.empty();

    std::vector<std::uint64_t> offsets(sizes.users + 1, 0);
    for (std::size_t u = 0; u < sizes.users; ++u) offsets[u + 1] = offsets[u] + activity[u];
    std::vector<std::vector<TagRecord>> tagsOf(config.tags ? sizes.users : 0);
    std::vector<std::uint32_t> movieOf, timeOf;
    std::vector<HalfStars> ratingOf;
    std::vector<std::string> blocks;

    const int threads = config.threads > 0 ? config.threads : omp_get_max_threads();
    const std::uint64_t userSeed = deriveSeed(config.seed, kStreamUsers);
    emit("ratings.csv", "userId,movieId,rating,timestamp\n");
    for (std::size_t first = 0, last = 0; first < sizes.users; first = last) {
        last = first + 1;
        while (last < sizes.users && offsets[last + 1] - offsets[first] <= kChunkRatings) ++last;
        const std::uint64_t base = offsets[first];
        const std::uint64_t chunkRatings = offsets[last] - base;
        movieOf.resize(chunkRatings);
        ratingOf.resize(chunkRatings);
        timeOf.resize(chunkRatings);
        const auto from = static_cast<std::int64_t>(first), to = static_cast<std::int64_t>(last);
#pragma omp parallel num_threads(threads)
        {
            UserScratch scratch;
            if (shaped)
                scratch.taken = plan.unrated;  // never chosen
            else
                scratch.taken.assign(world.movies.size(), 0);
#pragma omp for schedule(dynamic, 16)
            for (std::int64_t u = from; u < to; ++u) {
                Pcg32 rng(deriveSeed(userSeed, static_cast<std::uint64_t>(u)));
                const UserModel user = drawUser(world, rng);
                if (shaped) {
                    // The planned first ratings, then the rest chosen among the other movies.
                    const std::uint32_t* firsts = plan.firstMovies.data() + plan.firstOffsets[u];
                    const std::size_t firstCount = plan.firstOffsets[u + 1] - plan.firstOffsets[u];
                    for (std::size_t k = 0; k < firstCount; ++k) scratch.taken[firsts[k]] = 1;
                    chooseMovies(world, user, activity[u] - firstCount, rng, scratch);
                    for (std::size_t k = 0; k < firstCount; ++k) {
                        scratch.taken[firsts[k]] = 0;
                        scratch.chosen.push_back(firsts[k]);
                    }
                    if (firstCount) std::sort(scratch.chosen.begin(), scratch.chosen.end());
                } else {
                    chooseMovies(world, user, activity[u], rng, scratch);
                }
                const std::uint64_t at = offsets[u] - base;
                for (std::size_t k = 0; k < scratch.chosen.size(); ++k) {
                    const std::uint32_t i = scratch.chosen[k];
                    movieOf[at + k] = i;
                    ratingOf[at + k] = drawRating(world, user, i, rng);
                    timeOf[at + k] = drawTimestamp(world, user, i, rng);
                }
                if (config.tags)
                    drawTags(world, movieOf.data() + at, ratingOf.data() + at, timeOf.data() + at,
                             scratch.chosen.size(), rng, tagsOf[u]);
            }
        }

        // The chunk's rows in blocks of users formatted in parallel, emitted in order.
        const std::size_t blockCount = std::min<std::size_t>(last - first, 64);
        blocks.resize(blockCount);
        const auto blocks64 = static_cast<std::int64_t>(blockCount);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
        for (std::int64_t b = 0; b < blocks64; ++b) {
            const std::size_t span = last - first;
            const std::size_t u0 = first + span * static_cast<std::size_t>(b) / blockCount;
            const std::size_t u1 = first + span * static_cast<std::size_t>(b + 1) / blockCount;
            std::string& out = blocks[static_cast<std::size_t>(b)];
            out.clear();
            out.reserve((offsets[u1] - offsets[u0]) * 30);
            appendRatingRows(out, world, u0, u1, offsets, base, movieOf.data(), ratingOf.data(),
                             timeOf.data());
        }
        for (const std::string& block : blocks) emit("ratings.csv", block);
    }
    emit("movies.csv", formatMovies(world));
    if (config.tags) emit("tags.csv", formatTags(world, tagsOf));
}

}  // namespace

std::map<std::string, std::string> generateSyntheticFiles(const SyntheticConfig& config) {
    std::map<std::string, std::string> files;
    generateRelease(config, [&](const std::string& file, std::string_view bytes) {
        files[file].append(bytes);
    });
    return files;
}

void writeSyntheticRelease(const SyntheticConfig& config, const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw DataError(dir.string(), 0, "cannot create folder: " + ec.message());
    // Each file is written to NAME.part and renamed once complete.
    std::FILE* f = nullptr;
    fs::path target, temp;
    auto abandon = [&] {
        if (f) std::fclose(f);
        f = nullptr;
        fs::remove(temp, ec);
    };
    auto finish = [&] {
        if (!f) return;
        const bool closed = std::fclose(f) == 0;
        f = nullptr;
        if (!closed) {
            abandon();
            throw DataError(temp.string(), 0, "cannot write (disk full?)");
        }
        fs::rename(temp, target, ec);
        if (ec) {
            const std::string problem = "cannot replace: " + ec.message();
            fs::remove(temp, ec);
            throw DataError(target.string(), 0, problem);
        }
    };
    std::string current;
    try {
        generateRelease(config, [&](const std::string& name, std::string_view bytes) {
            if (name != current) {
                finish();
                current = name;
                target = dir / name;
                temp = dir / (name + ".part");
                f = std::fopen(temp.c_str(), "wb");
                if (!f)
                    throw DataError(temp.string(), 0,
                                    std::string("cannot write: ") + std::strerror(errno));
            }
            if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
                abandon();
                throw DataError(temp.string(), 0, "cannot write (disk full?)");
            }
        });
        finish();
    } catch (...) {
        if (f) abandon();
        throw;
    }
}

Dataset generateSyntheticDataset(const SyntheticConfig& config) {
    const std::string name = "synthetic-" + std::to_string(config.seed);
    Dataset ds = loadDatasetFromMemory(generateSyntheticFiles(config), name);
    ds.name = name;
    ds.layout = Layout::Synthetic;
    return ds;
}

}  // namespace lens
