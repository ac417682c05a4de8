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
//    1996-01-29 .. 2018-09-24; a rating is never before the film's release.
// 7. Tags. About one user in ten tags a few of the movies they rated (favouring ones they
//    liked) with words of the movie's cluster, a franchise tag, or generic ones.

#include <omp.h>
//
// Where each part lives: the clusters, genres and movies in SyntheticWorld (titles in
// SyntheticTitles), the users, choices, ratings, timestamps and tags in SyntheticRatingProcess,
// the CSV text in SyntheticCsv; this file sizes the release, runs the users in parallel and
// writes the files.

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "io/DatasetLoader.h"
#include "synth/SyntheticCsv.h"
#include "synth/SyntheticRatingProcess.h"
#include "synth/SyntheticWorld.h"
#include "util/Errors.h"
#include "util/Random.h"

namespace lens {

using namespace synth;

namespace {

constexpr double kRatingsPerUser = 20'000'263.0 / 138'493.0;  // ML-20M's mean, about 144.4
constexpr double kMovieExponent = 0.4;
constexpr std::uint64_t kStreamUsers = 0x05E45EEDULL;

}  // namespace

SyntheticSizes resolveSyntheticSizes(const SyntheticConfig& config) {
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
            std::llround(kMoviesAtMl20m *
                         std::pow(static_cast<double>(s.ratings) / 20'000'263.0, kMovieExponent)));
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

// Each file as consecutive parts (ratings.csv in blocks of users), so a large release is written
// to disk without first joining it into one string.
using FileParts = std::map<std::string, std::vector<std::string>>;

FileParts generateRelease(const SyntheticConfig& config) {
    const SyntheticSizes sizes = resolveSyntheticSizes(config);
    const World world = buildWorld(config.seed, sizes.movies);
    const std::size_t cap = activityCap(sizes);
    const std::vector<std::uint32_t> activity =
        drawActivity(config.seed, sizes.users, sizes.ratings, cap);

    std::vector<std::uint64_t> offsets(sizes.users + 1, 0);
    for (std::size_t u = 0; u < sizes.users; ++u) offsets[u + 1] = offsets[u] + activity[u];
    std::vector<std::uint32_t> movieOf(sizes.ratings);
    std::vector<HalfStars> ratingOf(sizes.ratings);
    std::vector<std::uint32_t> timeOf(sizes.ratings);
    std::vector<std::vector<TagRecord>> tagsOf(config.tags ? sizes.users : 0);

    const int threads = config.threads > 0 ? config.threads : omp_get_max_threads();
    const auto userCount = static_cast<std::int64_t>(sizes.users);
    const std::uint64_t userSeed = deriveSeed(config.seed, kStreamUsers);
#pragma omp parallel num_threads(threads)
    {
        UserScratch scratch;
        scratch.taken.assign(world.movies.size(), 0);
#pragma omp for schedule(dynamic, 16)
        for (std::int64_t u = 0; u < userCount; ++u) {
            Pcg32 rng(deriveSeed(userSeed, static_cast<std::uint64_t>(u)));
            const UserModel user = drawUser(world, rng);
            chooseMovies(world, user, activity[u], rng, scratch);
            const std::uint64_t base = offsets[u];
            for (std::size_t k = 0; k < scratch.chosen.size(); ++k) {
                const std::uint32_t i = scratch.chosen[k];
                movieOf[base + k] = i;
                ratingOf[base + k] = drawRating(world, user, i, rng);
                timeOf[base + k] = drawTimestamp(world, user, i, rng);
            }
            if (config.tags)
                drawTags(world, movieOf.data() + base, ratingOf.data() + base, timeOf.data() + base,
                         scratch.chosen.size(), rng, tagsOf[u]);
        }
    }

    // ratings.csv in blocks of users formatted in parallel; block 0 is the header.
    const std::size_t blockCount = std::min<std::size_t>(sizes.users, 256);
    FileParts files;
    std::vector<std::string>& blocks = files["ratings.csv"];
    blocks.resize(blockCount + 1);
    blocks[0] = "userId,movieId,rating,timestamp\n";
    const auto blocks64 = static_cast<std::int64_t>(blockCount);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (std::int64_t b = 0; b < blocks64; ++b) {
        const std::size_t first = sizes.users * static_cast<std::size_t>(b) / blockCount;
        const std::size_t last = sizes.users * static_cast<std::size_t>(b + 1) / blockCount;
        std::string& out = blocks[static_cast<std::size_t>(b) + 1];
        out.reserve((offsets[last] - offsets[first]) * 30);
        appendRatingRows(out, world, first, last, offsets, movieOf, ratingOf, timeOf);
    }
    // Free the per-rating arrays before the caller joins or writes the text.
    std::vector<std::uint32_t>().swap(movieOf);
    std::vector<std::uint32_t>().swap(timeOf);
    std::vector<HalfStars>().swap(ratingOf);
    files["movies.csv"] = {formatMovies(world)};
    if (config.tags) files["tags.csv"] = {formatTags(world, tagsOf)};
    return files;
}

}  // namespace

std::map<std::string, std::string> generateSyntheticFiles(const SyntheticConfig& config) {
    FileParts parts = generateRelease(config);
    std::map<std::string, std::string> files;
    for (auto& [name, pieces] : parts) {
        std::size_t bytes = 0;
        for (const auto& piece : pieces) bytes += piece.size();
        std::string& joined = files[name];
        joined.reserve(bytes);
        for (auto& piece : pieces) {
            joined += piece;
            std::string().swap(piece);
        }
    }
    return files;
}

void writeSyntheticRelease(const SyntheticConfig& config, const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw DataError(dir.string(), 0, "cannot create folder: " + ec.message());
    const FileParts files = generateRelease(config);
    for (const auto& [name, pieces] : files) {
        const fs::path target = dir / name;
        const fs::path temp = dir / (name + ".part");
        {
            std::FILE* f = std::fopen(temp.c_str(), "wb");
            if (!f)
                throw DataError(temp.string(), 0,
                                std::string("cannot write: ") + std::strerror(errno));
            bool ok = true;
            for (const auto& piece : pieces)
                ok = ok && std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
            const bool closed = std::fclose(f) == 0;
            if (!ok || !closed) {
                fs::remove(temp, ec);
                throw DataError(temp.string(), 0, "cannot write (disk full?)");
            }
        }
        fs::rename(temp, target, ec);
        if (ec) {
            const std::string problem = "cannot replace: " + ec.message();
            fs::remove(temp, ec);
            throw DataError(target.string(), 0, problem);
        }
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
