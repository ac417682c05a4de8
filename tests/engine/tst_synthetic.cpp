// The synthetic demo dataset: determinism, MovieLens CSV layout, the shape of the real thing
// (activity, popularity, rating marginal, timestamps, titles), franchises, loading through the
// CSV loader, and that the planted genre structure shows in the ratings.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "data/Genre.h"
#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticWorld.h"
#include "util/Errors.h"
#include "util/Random.h"

using namespace lens;

namespace {

// Splits one CSV record (RFC 4180 quoting, no line breaks inside fields). Sets `ok` false on a
// malformed quote.
std::vector<std::string> splitCsv(const std::string& line, bool& ok) {
    std::vector<std::string> fields(1);
    ok = true;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    fields.back() += '"';
                    ++i;
                } else {
                    quoted = false;
                    if (i + 1 < line.size() && line[i + 1] != ',') ok = false;
                }
            } else {
                fields.back() += ch;
            }
        } else if (ch == '"') {
            if (!fields.back().empty()) ok = false;
            quoted = true;
        } else if (ch == ',') {
            fields.emplace_back();
        } else {
            fields.back() += ch;
        }
    }
    if (quoted) ok = false;
    return fields;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

struct ParsedRating {
    long user, movie;
    int halfStars;
    long timestamp;
};

struct ParsedMovie {
    long id;
    std::string title;
    std::string genres;
};

// Parses the generated files strictly; QVERIFY-style failures are reported through `error`.
struct ParsedRelease {
    std::vector<ParsedRating> ratings;
    std::vector<ParsedMovie> movies;
    std::size_t tags = 0;
    std::string error;
};

ParsedRelease parseRelease(const std::map<std::string, std::string>& files) {
    ParsedRelease r;
    const auto ratingLines = lines(files.at("ratings.csv"));
    if (ratingLines.empty() || ratingLines[0] != "userId,movieId,rating,timestamp") {
        r.error = "ratings.csv header";
        return r;
    }
    for (std::size_t i = 1; i < ratingLines.size(); ++i) {
        const std::string& l = ratingLines[i];
        ParsedRating pr{};
        char rating[8] = {};
        if (std::sscanf(l.c_str(), "%ld,%ld,%7[0-9.],%ld", &pr.user, &pr.movie, rating,
                        &pr.timestamp) != 4) {
            r.error = "ratings.csv line " + std::to_string(i + 1) + ": " + l;
            return r;
        }
        const std::string rs = rating;
        // MovieLens writes "4.0" and "3.5": one digit, a point, 0 or 5.
        if (rs.size() != 3 || rs[1] != '.' || (rs[2] != '0' && rs[2] != '5')) {
            r.error = "ratings.csv line " + std::to_string(i + 1) + ": rating format " + rs;
            return r;
        }
        pr.halfStars = (rs[0] - '0') * 2 + (rs[2] == '5' ? 1 : 0);
        r.ratings.push_back(pr);
    }
    const auto movieLines = lines(files.at("movies.csv"));
    if (movieLines.empty() || movieLines[0] != "movieId,title,genres") {
        r.error = "movies.csv header";
        return r;
    }
    for (std::size_t i = 1; i < movieLines.size(); ++i) {
        bool ok = true;
        const auto f = splitCsv(movieLines[i], ok);
        if (!ok || f.size() != 3) {
            r.error = "movies.csv line " + std::to_string(i + 1) + ": " + movieLines[i];
            return r;
        }
        r.movies.push_back({std::stol(f[0]), f[1], f[2]});
    }
    if (files.count("tags.csv")) {
        const auto tagLines = lines(files.at("tags.csv"));
        if (tagLines.empty() || tagLines[0] != "userId,movieId,tag,timestamp") {
            r.error = "tags.csv header";
            return r;
        }
        for (std::size_t i = 1; i < tagLines.size(); ++i) {
            bool ok = true;
            if (splitCsv(tagLines[i], ok).size() != 4 || !ok) {
                r.error = "tags.csv line " + std::to_string(i + 1) + ": " + tagLines[i];
                return r;
            }
        }
        r.tags = tagLines.size() - 1;
    }
    return r;
}

// Share of the total held by the largest 10 % of counts.
double topTenPercentShare(std::vector<long> counts) {
    std::sort(counts.rbegin(), counts.rend());
    const std::size_t top = (counts.size() + 9) / 10;
    double head = 0, total = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        total += static_cast<double>(counts[i]);
        if (i < top) head += static_cast<double>(counts[i]);
    }
    return head / total;
}

SyntheticConfig smallConfig(std::uint64_t seed = 42) {
    SyntheticConfig c;
    c.ratings = 30'000;
    c.seed = seed;
    return c;
}

}  // namespace

class TestSynthetic : public QObject {
    Q_OBJECT

private:
    std::map<std::string, std::string> defaultFiles_;
    ParsedRelease parsed_;

private slots:
    void initTestCase() {
        defaultFiles_ = generateSyntheticFiles(SyntheticConfig{});
        parsed_ = parseRelease(defaultFiles_);
        QVERIFY2(parsed_.error.empty(), parsed_.error.c_str());
    }

    void sizesFollowMl20m() {
        SyntheticConfig ml20m;
        ml20m.ratings = 20'000'263;
        const SyntheticSizes s = resolveSyntheticSizes(ml20m);
        QCOMPARE(s.users, std::size_t{138'493});
        QCOMPARE(s.movies, std::size_t{26'744});
        const SyntheticSizes d = resolveSyntheticSizes(SyntheticConfig{});
        QCOMPARE(d.ratings, std::size_t{100'000});
        QVERIFY(d.users >= 600 && d.users <= 800);
        QVERIFY(d.movies >= 2'000 && d.movies <= 5'000);
    }

    void impossibleSizesAreRejected_data() {
        QTest::addColumn<int>("ratings");
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("movies");
        QTest::newRow("fewer than 20 ratings") << 10 << 0 << 0;
        QTest::newRow("fewer than 20 per user") << 1000 << 100 << 0;
        QTest::newRow("too few movies") << 1000 << 10 << 30;
        QTest::newRow("users cannot hold the ratings") << 100'000 << 20 << 100;
        QTest::newRow("more than every movie") << 4'001 << 100 << 40;
    }
    void impossibleSizesAreRejected() {
        QFETCH(int, ratings);
        QFETCH(int, users);
        QFETCH(int, movies);
        SyntheticConfig c;
        c.ratings = static_cast<std::size_t>(ratings);
        c.users = static_cast<std::size_t>(users);
        c.movies = static_cast<std::size_t>(movies);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resolveSyntheticSizes(c));
    }

    void explicitSizesAreHonoured() {
        SyntheticConfig c;
        c.ratings = 5'000;
        c.users = 100;
        c.movies = 400;
        const auto parsed = parseRelease(generateSyntheticFiles(c));
        QVERIFY2(parsed.error.empty(), parsed.error.c_str());
        QCOMPARE(parsed.ratings.size(), std::size_t{5'000});
        QCOMPARE(parsed.movies.size(), std::size_t{400});
        std::set<long> users;
        for (const auto& r : parsed.ratings) users.insert(r.user);
        QCOMPARE(users.size(), std::size_t{100});
    }

    void sameSeedGivesIdenticalFiles() {
        const auto a = generateSyntheticFiles(smallConfig());
        const auto b = generateSyntheticFiles(smallConfig());
        QCOMPARE(a.size(), std::size_t{3});
        QVERIFY(a == b);
    }

    void outputDoesNotDependOnThreadCount() {
        SyntheticConfig one = smallConfig(), two = smallConfig(), three = smallConfig();
        one.threads = 1;
        two.threads = 2;
        three.threads = 3;
        const auto a = generateSyntheticFiles(one);
        QVERIFY(a == generateSyntheticFiles(two));
        QVERIFY(a == generateSyntheticFiles(three));
    }

    void differentSeedGivesDifferentFiles() {
        const auto a = generateSyntheticFiles(smallConfig(42));
        const auto b = generateSyntheticFiles(smallConfig(43));
        QVERIFY(a.at("ratings.csv") != b.at("ratings.csv"));
        QVERIFY(a.at("movies.csv") != b.at("movies.csv"));
    }

    void tagsAreOptional() {
        SyntheticConfig c = smallConfig();
        c.tags = false;
        const auto files = generateSyntheticFiles(c);
        QCOMPARE(files.count("tags.csv"), std::size_t{0});
        // Ratings do not depend on whether tags are written.
        QCOMPARE(files.at("ratings.csv"), generateSyntheticFiles(smallConfig()).at("ratings.csv"));
    }

    void exactRatingCountSortedByUserThenMovie() {
        QCOMPARE(parsed_.ratings.size(), std::size_t{100'000});
        for (std::size_t i = 1; i < parsed_.ratings.size(); ++i) {
            const auto& p = parsed_.ratings[i - 1];
            const auto& q = parsed_.ratings[i];
            QVERIFY2(p.user < q.user || (p.user == q.user && p.movie < q.movie),
                     qPrintable(QString("row %1 out of order").arg(i + 2)));
        }
        std::set<long> movieIds;
        for (const auto& m : parsed_.movies) QVERIFY(movieIds.insert(m.id).second);
        for (const auto& r : parsed_.ratings) QVERIFY(movieIds.count(r.movie));
        QVERIFY(parsed_.tags > 500);
    }

    void everyUserHasTwentyRatingsAndActivityIsHeavyTailed() {
        std::map<long, long> perUser;
        for (const auto& r : parsed_.ratings) ++perUser[r.user];
        std::vector<long> counts;
        for (const auto& [user, n] : perUser) {
            QVERIFY2(n >= 20, qPrintable(QString("user %1 has %2 ratings").arg(user).arg(n)));
            counts.push_back(n);
        }
        QCOMPARE(perUser.begin()->first, 1L);
        QCOMPARE(perUser.rbegin()->first, static_cast<long>(perUser.size()));  // ids 1..U
        std::sort(counts.begin(), counts.end());
        const long median = counts[counts.size() / 2];
        QVERIFY2(counts.back() >= 8 * median,
                 qPrintable(QString("max %1 median %2").arg(counts.back()).arg(median)));
        QVERIFY(topTenPercentShare(counts) > 0.3);
    }

    void moviePopularityIsHeavyTailed() {
        std::map<long, long> perMovie;
        for (const auto& r : parsed_.ratings) ++perMovie[r.movie];
        std::vector<long> counts;
        for (const auto& [movie, n] : perMovie) counts.push_back(n);
        const double share = topTenPercentShare(counts);
        QVERIFY2(share > 0.4, qPrintable(QString("top 10% of movies hold %1").arg(share)));
        std::sort(counts.begin(), counts.end());
        QVERIFY(counts.back() >= 20 * counts[counts.size() / 2]);
    }

    void ratingMarginalPeaksAtFourThenThree() {
        std::array<long, 11> hist{};
        double sum = 0;
        for (const auto& r : parsed_.ratings) {
            QVERIFY(r.halfStars >= 1 && r.halfStars <= 10);
            ++hist[r.halfStars];
            sum += r.halfStars / 2.0;
        }
        std::vector<int> order = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        std::sort(order.begin(), order.end(), [&](int a, int b) { return hist[a] > hist[b]; });
        QCOMPARE(order[0], 8);  // 4.0
        QCOMPARE(order[1], 6);  // 3.0
        long whole = 0, half = 0;
        for (int h = 1; h <= 10; ++h) (h % 2 ? half : whole) += hist[h];
        QVERIFY(whole > 1.5 * half);
        QVERIFY(half > 0);
        for (int h = 1; h <= 10; ++h)
            QVERIFY2(hist[h] > 0, qPrintable(QString("no %1 stars").arg(h / 2.0)));
        const double mean = sum / static_cast<double>(parsed_.ratings.size());
        QVERIFY2(mean > 3.3 && mean < 3.8, qPrintable(QString("mean %1").arg(mean)));
    }

    void timestampsArePlausible() {
        std::map<long, std::pair<long, long>> span;
        for (const auto& r : parsed_.ratings) {
            QVERIFY(r.timestamp >= 820454400);  // 1996-01-01
            QVERIFY(r.timestamp < 1538352000);  // 2018-10-01
            auto [it, fresh] = span.try_emplace(r.user, r.timestamp, r.timestamp);
            it->second.first = std::min(it->second.first, r.timestamp);
            it->second.second = std::max(it->second.second, r.timestamp);
        }
        // Users are active over a span: some in one sitting, some over years.
        long oneDay = 0, overAYear = 0;
        for (const auto& [user, s] : span) {
            oneDay += s.second - s.first < 86400;
            overAYear += s.second - s.first > 365L * 86400;
        }
        QVERIFY(oneDay > 0);
        QVERIFY(overAYear > 0);
        // A movie is never rated before the year it came out.
        std::map<long, int> yearOf;
        for (const auto& m : parsed_.movies) yearOf[m.id] = parseYearFromTitle(m.title);
        for (const auto& r : parsed_.ratings) {
            const int releaseYear = yearOf[r.movie];
            QVERIFY(r.timestamp >= (static_cast<long>(releaseYear) - 1970) * 31556952 - 2 * 86400);
        }
    }

    void titlesAndGenresLookLikeMovieLens() {
        std::size_t quoted = 0, noGenres = 0, movedArticle = 0;
        std::set<std::string> genreNamesSeen;
        for (const auto& m : parsed_.movies) {
            const int year = parseYearFromTitle(m.title);
            QVERIFY2(year >= 1900 && year <= 2018, m.title.c_str());
            QVERIFY(m.title.size() > 7 && m.title.back() == ')');
            if (m.title.find(',') != std::string::npos || m.title.find('"') != std::string::npos)
                ++quoted;
            if (m.title.find(", The (") != std::string::npos) ++movedArticle;
            if (m.genres == "(no genres listed)") {
                ++noGenres;
                continue;
            }
            std::vector<std::string> unknown;
            const GenreMask mask = parseGenreList(m.genres, &unknown);
            QVERIFY2(unknown.empty() && mask != 0, m.genres.c_str());
            QCOMPARE(genreListString(mask), m.genres);  // canonical names in canonical order
            for (auto name : genreNamesOf(mask)) genreNamesSeen.insert(std::string(name));
        }
        QVERIFY(quoted > 10);  // commas and quotes exercise RFC 4180 quoting
        QVERIFY(movedArticle > 10);
        QVERIFY(noGenres > 0);
        QVERIFY(genreNamesSeen.size() >= 18);
        // The raw file quotes exactly those titles.
        QVERIFY(defaultFiles_.at("movies.csv").find(",\"") != std::string::npos);
        QVERIFY(defaultFiles_.at("movies.csv").find("\"\"") != std::string::npos);
    }

    void franchisesArePlanted() {
        // "Title (1990)", "Title II (1993)", "Title III (1996)": same genres, increasing years.
        std::map<std::string, const ParsedMovie*> byBase;
        for (const auto& m : parsed_.movies) byBase[m.title.substr(0, m.title.rfind(" ("))] = &m;
        std::size_t franchises = 0;
        for (const auto& [base, first] : byBase) {
            const auto second = byBase.find(base + " II");
            const auto third = byBase.find(base + " III");
            if (second == byBase.end() || third == byBase.end()) continue;
            ++franchises;
            QCOMPARE(second->second->genres, first->genres);
            QCOMPARE(third->second->genres, first->genres);
            QVERIFY(parseYearFromTitle(first->title) < parseYearFromTitle(second->second->title));
            QVERIFY(parseYearFromTitle(second->second->title) <=
                    parseYearFromTitle(third->second->title));
        }
        QVERIFY2(franchises >= 10, qPrintable(QString("%1 franchises").arg(franchises)));
    }

    void plantedRelatedGenresAreValid() {
        const auto pairs = plantedRelatedGenres();
        QVERIFY(pairs.size() >= 8);
        auto has = [&](const char* a, const char* b) {
            return std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) {
                return (p.first == a && p.second == b) || (p.first == b && p.second == a);
            });
        };
        QVERIFY(has("Sci-Fi", "Fantasy"));
        QVERIFY(has("Sci-Fi", "Adventure"));
        QVERIFY(has("Horror", "Thriller"));
        QVERIFY(has("Children", "Animation"));
        QVERIFY(has("Romance", "Drama"));
        QVERIFY(!has("Horror", "Children"));
        for (const auto& [a, b] : pairs) {
            QVERIFY(genreIdFromName(a).has_value());
            QVERIFY(genreIdFromName(b).has_value());
            QVERIFY(a != b);
        }
    }

    // The choice loop finds a movie by popularity through a guide table; it must give exactly
    // std::upper_bound's position (the output depends on it), also at and around every
    // cumulative value and at the ends.
    void guideTableSearchIsUpperBound() {
        const synth::World world = synth::buildWorld(42, 3'000);
        Pcg32 rng(7);
        std::size_t checked = 0;
        for (int g = 0; g < synth::kGroupCount; ++g) {
            const std::vector<double>& c = world.groupCumulative[g];
            if (c.empty()) continue;
            std::vector<double> xs = {0.0, c.back(), std::nextafter(c.back(), 0.0), c.back() * 2.0,
                                      -1.0};
            for (double v : c) {
                xs.push_back(v);
                xs.push_back(std::nextafter(v, 0.0));
                xs.push_back(std::nextafter(v, 1e300));
            }
            for (int k = 0; k < 2'000; ++k) xs.push_back(rng.uniform() * c.back());
            for (double x : xs) {
                const auto expected =
                    static_cast<std::size_t>(std::upper_bound(c.begin(), c.end(), x) - c.begin());
                QCOMPARE(synth::groupPositionAbove(world, g, x), expected);
                ++checked;
            }
        }
        QVERIFY(checked > 10'000);
    }

    void loadsThroughTheLoaderWithoutWarnings() {
        const Dataset ds = generateSyntheticDataset(SyntheticConfig{});
        QCOMPARE(ds.name, std::string("synthetic-42"));
        QCOMPARE(ds.layout, Layout::Synthetic);
        QCOMPARE(ds.ratingCount(), std::size_t{100'000});
        QCOMPARE(ds.movieCount(), parsed_.movies.size());
        QCOMPARE(ds.report.skippedLines, std::size_t{0});
        QCOMPARE(ds.report.duplicateRatings, std::size_t{0});
        QCOMPARE(ds.report.unknownMovies, std::size_t{0});
        QVERIFY2(ds.report.warnings.empty(),
                 ds.report.warnings.empty() ? "" : ds.report.warnings.front().c_str());
        QCOMPARE(ds.tags.size(), parsed_.tags);
        for (std::size_t i = 0; i < ds.movieCount(); ++i) QVERIFY(ds.years[i] > 0);
        QVERIFY(std::abs(ds.ratingMean() - 3.5) < 0.3);
    }

    void writesTheReleaseAtomically() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "demo";
        writeSyntheticRelease(smallConfig(), dir);
        const auto expected = generateSyntheticFiles(smallConfig());
        for (const auto& [name, content] : expected) {
            QFile f(QString::fromStdString((dir / name).string()));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll().toStdString(), content);
        }
        const QStringList left = QDir(QString::fromStdString(dir.string())).entryList(QDir::Files);
        QCOMPARE(left.size(), 3);  // no temporary files left behind
        // Writing again replaces the files in place.
        writeSyntheticRelease(smallConfig(7), dir);
        QFile f(QString::fromStdString((dir / "ratings.csv").string()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().toStdString(),
                 generateSyntheticFiles(smallConfig(7)).at("ratings.csv"));
    }

    void unwritableFolderIsADataError() {
        QTemporaryDir tmp;
        const std::filesystem::path file =
            std::filesystem::path(tmp.path().toStdString()) / "plain-file";
        QFile f(QString::fromStdString(file.string()));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY_THROWS_EXCEPTION(DataError, writeSyntheticRelease(smallConfig(), file / "sub"));
    }

    // The planted latent structure is visible in raw ratings and in what users watch. Per user,
    // a genre's residual is the mean of (rating - the user's mean) over the genre's movies and
    // its share the fraction of the user's ratings in the genre. Across users, the Sci-Fi
    // residual correlates with the Fantasy residual far more than with the Horror one (likewise
    // Children with Animation, Horror with Thriller); shares likewise. And watching one
    // installment of a franchise makes watching the next much likelier.
    void plantedStructureShowsInTheRatings() {
        const Dataset ds = generateSyntheticDataset(SyntheticConfig{});
        const std::size_t users = ds.userCount();
        std::vector<std::vector<double>> residual(kGenreCount, std::vector<double>(users, 0.0));
        std::vector<std::vector<double>> share(kGenreCount, std::vector<double>(users, 0.0));
        std::vector<std::vector<int>> count(kGenreCount, std::vector<int>(users, 0));
        for (std::size_t u = 0; u < users; ++u) {
            const auto movies = ds.byUser.rowIndex(u);
            const auto stars = ds.byUser.rowHalfStars(u);
            double mean = 0;
            for (auto h : stars) mean += h / 2.0;
            mean /= static_cast<double>(stars.size());
            for (std::size_t k = 0; k < movies.size(); ++k)
                for (int g = 0; g < kGenreCount; ++g)
                    if (hasGenre(ds.genres[movies[k]], g)) {
                        residual[g][u] += stars[k] / 2.0 - mean;
                        ++count[g][u];
                    }
            for (int g = 0; g < kGenreCount; ++g) {
                share[g][u] = count[g][u] / static_cast<double>(movies.size());
                if (count[g][u]) residual[g][u] /= count[g][u];
            }
        }
        // Pearson correlation over users with at least 3 ratings in both genres.
        auto correlation = [&](const std::vector<std::vector<double>>& x, int a, int b) {
            double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            int n = 0;
            for (std::size_t u = 0; u < users; ++u) {
                if (count[a][u] < 3 || count[b][u] < 3) continue;
                const double va = x[a][u], vb = x[b][u];
                sa += va, sb += vb, saa += va * va, sbb += vb * vb, sab += va * vb;
                ++n;
            }
            const double cov = sab / n - (sa / n) * (sb / n);
            return cov /
                   std::sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
        };
        auto g = [](const char* name) { return *genreIdFromName(name); };
        const std::vector<std::array<const char*, 3>> triples = {
            {"Sci-Fi", "Fantasy", "Horror"},
            {"Children", "Animation", "Horror"},
            {"Horror", "Thriller", "Romance"},
            {"Romance", "Drama", "Action"},
            {"War", "Western", "Children"}};
        for (const auto& [a, related, unrelated] : triples)
            for (const auto* x : {&residual, &share}) {
                const double near = correlation(*x, g(a), g(related));
                const double far = correlation(*x, g(a), g(unrelated));
                QVERIFY2(near > far + 0.25 && near > 0.3,
                         qPrintable(QString("%1: %2 %3, %4 %5 (%6)")
                                        .arg(a, related)
                                        .arg(near)
                                        .arg(unrelated)
                                        .arg(far)
                                        .arg(x == &residual ? "residual" : "share")));
            }

        // P(rated "X II" | rated "X") against P(rated "X II").
        std::map<std::string, std::uint32_t> byTitle;
        for (std::uint32_t i = 0; i < ds.movieCount(); ++i)
            byTitle[ds.titles[i].substr(0, ds.titles[i].rfind(" ("))] = i;
        double conditional = 0, marginal = 0;
        int pairs = 0;
        for (const auto& [title, first] : byTitle) {
            const auto second = byTitle.find(title + " II");
            if (second == byTitle.end()) continue;
            std::set<std::uint32_t> ratedFirst;
            for (std::uint64_t k = ds.byMovie.offsets[first]; k < ds.byMovie.offsets[first + 1];
                 ++k)
                ratedFirst.insert(ds.byMovie.index[k]);
            if (ratedFirst.size() < 5) continue;
            long both = 0;
            const std::uint32_t s = second->second;
            for (std::uint64_t k = ds.byMovie.offsets[s]; k < ds.byMovie.offsets[s + 1]; ++k)
                both += ratedFirst.count(ds.byMovie.index[k]);
            conditional += static_cast<double>(both) / static_cast<double>(ratedFirst.size());
            marginal +=
                static_cast<double>(ds.byMovie.rowSize(s)) / static_cast<double>(ds.userCount());
            ++pairs;
        }
        QVERIFY(pairs >= 5);
        QVERIFY2(conditional > 2.0 * marginal,
                 qPrintable(QString("%1 vs %2").arg(conditional / pairs).arg(marginal / pairs)));
    }
};

QTEST_GUILESS_MAIN(TestSynthetic)
#include "tst_synthetic.moc"
