// Train/test splits: every kind on a fixture with awkward users (one rating, two ratings, tied
// timestamps), checked entry by entry against the definition; determinism for a seed and for
// any thread count; the ml-100k predefined splits on a release folder written here; parsing of
// every spec string and its errors.
#include <omp.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "data/DatasetBuilder.h"
#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "synth/SyntheticGenerator.h"
#include "util/Errors.h"
#include "util/Random.h"

using namespace lens;

namespace {

constexpr std::uint32_t kCutoff = 1'100'000'000;

// 80 users (ids 1000, 1003, ...) over 300 movies (ids 10, 12, ...). User 0 has one rating,
// user 1 two, user 2 three; the others 5..64. Every fifth user rated everything at one
// instant (LOO must take the last CSR entry); every fifth + 1 has its two latest ratings tied.
Dataset fixtureDataset() {
    RawRatings raw;
    Pcg32 rng(2024);
    for (int u = 0; u < 80; ++u) {
        const int n = u < 3 ? u + 1 : 5 + (u * 7) % 60;
        std::set<int> movies;
        while (static_cast<int>(movies.size()) < n) movies.insert(static_cast<int>(rng.below(300)));
        std::vector<std::uint32_t> times;
        for (int k = 0; k < n; ++k)
            times.push_back(u % 5 == 0 ? 1'050'000'000U : 1'000'000'000U + rng.below(200'000'000U));
        if (u % 5 == 1 && n >= 3) {
            const auto latest = *std::max_element(times.begin(), times.end());
            times[0] = latest;  // a tie for the latest, at the first entry
        }
        int k = 0;
        for (int m : movies)
            raw.push(1000 + 3 * u, 10 + 2 * m, static_cast<HalfStars>(1 + rng.below(10)),
                     times[k++]);
    }
    std::vector<RawMovie> movies;
    for (int m = 0; m < 300; ++m)
        movies.push_back({10 + 2 * m, "Movie " + std::to_string(m) + " (2000)", 1});
    Dataset ds = buildDataset(std::move(raw), std::move(movies));
    ds.name = "fixture";
    return ds;
}

std::size_t expectedPerUserTests(std::size_t n, double fraction) {
    if (n < 2) return 0;
    return std::clamp<std::size_t>(static_cast<std::size_t>(std::floor(fraction * n + 0.5)), 1,
                                   n - 1);
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(content), content.size());
}

// A small ml-100k release: 4 users, 6 items, 16 ratings; u1.test holds every fourth rating of
// u.data, u1.base the rest.
struct Ml100kFixture {
    QByteArray data, base, test;
    std::vector<std::pair<int, int>> testPairs;  // (user, item)
};

Ml100kFixture ml100kFixture() {
    Ml100kFixture f;
    int line = 0;
    for (int user = 1; user <= 4; ++user)
        for (int item = 1; item <= 6; ++item) {
            if ((user + item) % 3 == 0) continue;  // not everyone rated everything
            const int rating = 1 + (user * item) % 5;
            const QByteArray row = QByteArray::number(user) + '\t' + QByteArray::number(item) +
                                   '\t' + QByteArray::number(rating) + '\t' +
                                   QByteArray::number(881250949 + 1000 * line) + '\n';
            f.data += row;
            if (line % 4 == 3) {
                f.test += row;
                f.testPairs.emplace_back(user, item);
            } else {
                f.base += row;
            }
            ++line;
        }
    return f;
}

void writeMl100k(const QString& dir, const Ml100kFixture& f, const QByteArray& base,
                 const QByteArray& test) {
    writeFile(dir + "/u.data", f.data);
    QByteArray items;
    for (int item = 1; item <= 6; ++item) {
        items += QByteArray::number(item) + "|Film " + QByteArray::number(item) +
                 " (1995)|01-Jan-1995||http://example.org/|0";
        for (int g = 1; g < 19; ++g) items += (g == item ? "|1" : "|0");
        items += '\n';
    }
    writeFile(dir + "/u.item", items);
    writeFile(dir + "/u.genre",
              "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|6\n"
              "Documentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\n"
              "Romance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n\n");
    writeFile(dir + "/u1.base", base);
    writeFile(dir + "/u1.test", test);
}

}  // namespace

class TestSplits : public QObject {
    Q_OBJECT

private:
    Dataset ds_ = fixtureDataset();

    // Checks a split entry by entry against the definition of its kind.
    void verifyDefinition(const Split& split) {
        const SplitSpec& spec = split.spec;
        QCOMPARE(split.isTest.size(), ds_.ratingCount());
        std::size_t tests = 0;
        for (auto t : split.isTest) {
            QVERIFY(t == 0 || t == 1);
            tests += t;
        }
        QCOMPARE(split.testCount, tests);
        QCOMPARE(split.trainCount + split.testCount, ds_.ratingCount());
        QVERIFY(split.testCount > 0 && split.trainCount > 0);
        for (std::size_t u = 0; u < ds_.userCount(); ++u) {
            const std::size_t begin = ds_.byUser.offsets[u], end = ds_.byUser.offsets[u + 1],
                              n = end - begin;
            std::size_t userTests = 0;
            for (std::size_t k = begin; k < end; ++k) userTests += split.isTest[k];
            switch (spec.kind) {
                case SplitKind::PerUserHoldout:
                    QCOMPARE(userTests, expectedPerUserTests(n, spec.fraction));
                    if (n >= 2) QVERIFY(userTests >= 1 && userTests <= n - 1);
                    break;
                case SplitKind::LeaveOneOutLatest: {
                    QCOMPARE(userTests, std::size_t{n >= 2 ? 1U : 0U});
                    if (n < 2) break;
                    std::size_t chosen = begin;
                    while (!split.isTest[chosen]) ++chosen;
                    for (std::size_t k = begin; k < end; ++k) {
                        QVERIFY(ds_.timestamps[k] <= ds_.timestamps[chosen]);
                        if (k > chosen)
                            QVERIFY(ds_.timestamps[k] <
                                    ds_.timestamps[chosen]);  // ties: later entry
                    }
                    break;
                }
                case SplitKind::TemporalCutoff:
                    for (std::size_t k = begin; k < end; ++k)
                        QCOMPARE(split.isTest[k], std::uint8_t{ds_.timestamps[k] >= spec.cutoff});
                    break;
                default:
                    break;
            }
        }
        if (spec.kind == SplitKind::GlobalRandom)
            QCOMPARE(split.testCount,
                     static_cast<std::size_t>(std::floor(spec.fraction * ds_.ratingCount() + 0.5)));
    }

private slots:
    void kinds_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("seeded");
        QTest::newRow("per-user default") << "per-user" << true;
        QTest::newRow("per-user 20%") << "per-user:0.2" << true;
        QTest::newRow("per-user 50%") << "per-user:50%" << true;
        QTest::newRow("per-user 90%") << "per-user:0.9" << true;
        QTest::newRow("random 20%") << "random:0.2" << true;
        QTest::newRow("random 5%") << "random:0.05" << true;
        QTest::newRow("leave one out") << "loo" << false;
        QTest::newRow("temporal") << QString("time:%1").arg(kCutoff) << false;
    }
    void kinds() {
        QFETCH(QString, spec);
        QFETCH(bool, seeded);
        const SplitSpec s = SplitSpec::parse(spec.toStdString());
        const Split split = makeSplit(ds_, s);
        verifyDefinition(split);
        if (QTest::currentTestFailed()) return;

        // The same seed gives the same split; another seed another one (where a seed matters).
        QVERIFY(makeSplit(ds_, s).isTest == split.isTest);
        const Split other = makeSplit(ds_, SplitSpec::parse(spec.toStdString(), 43));
        verifyDefinition(other);
        QCOMPARE(other.isTest != split.isTest, seeded);
        QCOMPARE(other.testCount, split.testCount);
    }

    // Sampling is fair: test positions are spread over each row, not its first entries.
    void samplingIsSpreadOverRows() {
        for (const char* spec : {"per-user:0.3", "random:0.3"}) {
            const Split split = makeSplit(ds_, SplitSpec::parse(spec));
            double relative = 0;
            std::size_t count = 0;
            for (std::size_t u = 0; u < ds_.userCount(); ++u) {
                const std::size_t begin = ds_.byUser.offsets[u], n = ds_.byUser.rowSize(u);
                for (std::size_t k = 0; k < n; ++k)
                    if (split.isTest[begin + k]) relative += (k + 0.5) / n, ++count;
            }
            QVERIFY2(std::abs(relative / count - 0.5) < 0.05, spec);
        }
    }

    void sameSplitForAnyThreadCount() {
        SyntheticConfig config;
        config.ratings = 40'000;
        const Dataset ds = generateSyntheticDataset(config);
        const int saved = omp_get_max_threads();
        for (const char* spec : {"per-user:0.2", "random:0.2", "loo"}) {
            omp_set_num_threads(1);
            const Split one = makeSplit(ds, SplitSpec::parse(spec));
            omp_set_num_threads(3);
            const Split three = makeSplit(ds, SplitSpec::parse(spec));
            QVERIFY2(one.isTest == three.isTest, spec);
        }
        omp_set_num_threads(saved);
    }

    // The default is the protocol of the study the app reproduces.
    void defaultIsPerUserTwentyPercentSeed42() {
        const SplitSpec s;
        QCOMPARE(s.kind, SplitKind::PerUserHoldout);
        QCOMPARE(s.fraction, 0.2);
        QCOMPARE(s.seed, std::uint64_t{42});
        QCOMPARE(s.describe(), std::string("per-user holdout 20% (seed 42)"));
    }

    void parse_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<uint>("cutoff");
        QTest::addColumn<QString>("predefined");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QString>("description");
        const int perUser = int(SplitKind::PerUserHoldout), random = int(SplitKind::GlobalRandom),
                  loo = int(SplitKind::LeaveOneOutLatest), time = int(SplitKind::TemporalCutoff),
                  ml = int(SplitKind::Ml100kPredefined);
        QTest::newRow("per-user") << "per-user" << perUser << 0.2 << 0U << ""
                                  << "per-user:0.2"
                                  << "per-user holdout 20% (seed 7)";
        QTest::newRow("per-user:0.25") << "per-user:0.25" << perUser << 0.25 << 0U << ""
                                       << "per-user:0.25"
                                       << "per-user holdout 25% (seed 7)";
        QTest::newRow("per-user:10%") << "per-user:10%" << perUser << 0.1 << 0U << ""
                                      << "per-user:0.1"
                                      << "per-user holdout 10% (seed 7)";
        QTest::newRow("random:0.125") << "random:0.125" << random << 0.125 << 0U << ""
                                      << "random:0.125"
                                      << "global random 12.5% (seed 7)";
        QTest::newRow("random") << "random" << random << 0.2 << 0U << ""
                                << "random:0.2"
                                << "global random 20% (seed 7)";
        QTest::newRow("loo") << "loo" << loo << 0.2 << 0U << ""
                             << "loo"
                             << "leave-one-out latest per user";
        QTest::newRow("time") << "time:1199145600" << time << 0.2 << 1199145600U << ""
                              << "time:1199145600"
                              << "temporal cutoff 2008-01-01 (timestamp >= 1199145600)";
        QTest::newRow("ml100k:u1") << "ml100k:u1" << ml << 0.2 << 0U << "u1"
                                   << "ml100k:u1"
                                   << "ml-100k predefined split u1";
        QTest::newRow("ml100k:ub") << "ml100k:ub" << ml << 0.2 << 0U << "ub"
                                   << "ml100k:ub"
                                   << "ml-100k predefined split ub";
    }
    void parse() {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(double, fraction);
        QFETCH(uint, cutoff);
        QFETCH(QString, predefined);
        QFETCH(QString, canonical);
        QFETCH(QString, description);
        const SplitSpec s = SplitSpec::parse(text.toStdString(), 7);
        QCOMPARE(int(s.kind), kind);
        QCOMPARE(s.fraction, fraction);
        QCOMPARE(s.cutoff, cutoff);
        QCOMPARE(QString::fromStdString(s.predefined), predefined);
        QCOMPARE(s.seed, std::uint64_t{7});
        QCOMPARE(QString::fromStdString(s.text()), canonical);
        QCOMPARE(QString::fromStdString(s.describe()), description);
        // The canonical text parses back to the same spec.
        const SplitSpec back = SplitSpec::parse(s.text(), 7);
        QCOMPARE(int(back.kind), kind);
        QCOMPARE(back.fraction, fraction);
        QCOMPARE(back.cutoff, cutoff);
    }

    void parseErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("unknown kind") << "holdout:0.2"
                                      << "unknown kind 'holdout'";
        QTest::newRow("zero fraction") << "per-user:0"
                                       << "between 0 and 1";
        QTest::newRow("whole fraction") << "random:1"
                                        << "between 0 and 1";
        QTest::newRow("over 100%") << "per-user:150%"
                                   << "between 0 and 1";
        QTest::newRow("negative") << "random:-0.1"
                                  << "between 0 and 1";
        QTest::newRow("not a number") << "per-user:abc"
                                      << "'abc' is not a number";
        QTest::newRow("trailing junk") << "per-user:0.2x"
                                       << "'0.2x' is not a number";
        QTest::newRow("empty fraction") << "random:"
                                        << "'' is not a number";
        QTest::newRow("loo with value") << "loo:3"
                                        << "loo takes no value";
        QTest::newRow("time without value") << "time"
                                            << "needs a cutoff";
        QTest::newRow("time empty") << "time:"
                                    << "needs a cutoff";
        QTest::newRow("time not a number") << "time:yesterday"
                                           << "is not a timestamp";
        QTest::newRow("time negative") << "time:-5"
                                       << "is not a timestamp";
        QTest::newRow("time overflow") << "time:99999999999"
                                       << "is not a timestamp";
        QTest::newRow("ml100k without name") << "ml100k"
                                             << "one of u1";
        QTest::newRow("ml100k unknown name") << "ml100k:u9"
                                             << "one of u1";
    }
    void parseErrors() {
        QFETCH(QString, text);
        QFETCH(QString, problem);
        try {
            SplitSpec::parse(text.toStdString());
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(problem) && message.contains("split '" + text + "'"),
                     e.what());
        }
    }

    void badFractionInSpecIsRejected() {
        SplitSpec s;
        s.fraction = 1.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeSplit(ds_, s));
    }

    void ml100kPredefined() {
        QTemporaryDir tmp;
        const Ml100kFixture f = ml100kFixture();
        writeMl100k(tmp.path(), f, f.base, f.test);
        const Dataset ds = loadDataset(tmp.path().toStdString());
        QCOMPARE(ds.layout, Layout::Ml100k);
        const Split split = makeSplit(ds, SplitSpec::parse("ml100k:u1"));
        QCOMPARE(split.testCount, f.testPairs.size());
        QCOMPARE(split.trainCount, ds.ratingCount() - f.testPairs.size());
        std::set<std::pair<std::int64_t, std::int64_t>> expected(f.testPairs.begin(),
                                                                 f.testPairs.end());
        for (std::size_t u = 0; u < ds.userCount(); ++u)
            for (std::size_t k = ds.byUser.offsets[u]; k < ds.byUser.offsets[u + 1]; ++k) {
                const bool inTest =
                    expected.count({ds.userIds[u], ds.movieIds[ds.byUser.index[k]]}) > 0;
                QCOMPARE(split.isTest[k], std::uint8_t{inTest});
            }
    }

    void ml100kPredefinedErrors_data() {
        const Ml100kFixture f = ml100kFixture();
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QByteArray>("base");
        QTest::addColumn<QByteArray>("test");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("problem");
        const QByteArray firstTest = f.test.left(f.test.indexOf('\n') + 1);
        const QByteArray restTest = f.test.mid(firstTest.size());
        QTest::newRow("split files absent")
            << "ml100k:u2" << f.base << f.test << "" << 0 << "has no u2.base";
        QTest::newRow("pair not in dataset")
            << "ml100k:u1" << f.base << f.test + "4\t2\t5\t881250949\n"
            << "u1.test" << int(f.testPairs.size() + 1) << "has no rating of item 2";
        QTest::newRow("unknown user")
            << "ml100k:u1" << f.base + "99\t1\t5\t881250949\n"
            << f.test << "u1.base" << int(f.base.count('\n') + 1) << "not in the dataset";
        QByteArray changed = f.test;
        changed[changed.indexOf('\t', changed.indexOf('\t') + 1) + 1] = '9';
        QTest::newRow("different rating")
            << "ml100k:u1" << f.base << changed << "u1.test" << 1 << "differs";
        QTest::newRow("in both files") << "ml100k:u1" << f.base + firstTest << f.test << "u1.test"
                                       << 1 << "in both the base and the test file";
        QTest::newRow("in neither file")
            << "ml100k:u1" << f.base << restTest << "u1.test" << 0 << "in neither";
        QTest::newRow("malformed line")
            << "ml100k:u1" << f.base << "1\t2\tfour\t881250949\n" + f.test << "u1.test" << 1
            << "field 3 'four' is not an integer";
        QTest::newRow("too few fields") << "ml100k:u1" << f.base << QByteArray("1\t2\t3\n")
                                        << "u1.test" << 1 << "expected 4 fields";
    }
    void ml100kPredefinedErrors() {
        QFETCH(QString, spec);
        QFETCH(QByteArray, base);
        QFETCH(QByteArray, test);
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, problem);
        QTemporaryDir tmp;
        writeMl100k(tmp.path(), ml100kFixture(), base, test);
        const Dataset ds = loadDataset(tmp.path().toStdString());
        try {
            makeSplit(ds, SplitSpec::parse(spec.toStdString()));
            QFAIL("no DataError");
        } catch (const DataError& e) {
            QVERIFY2(QString::fromStdString(e.problem()).contains(problem), e.what());
            QVERIFY2(QString::fromStdString(e.file()).endsWith(file), e.what());
            QCOMPARE(int(e.line()), line);
        }
    }

    void ml100kPredefinedNeedsTheReleaseFolder() {
        Dataset ds = fixtureDataset();  // built in memory: no source
        QVERIFY_THROWS_EXCEPTION(DataError, makeSplit(ds, SplitSpec::parse("ml100k:u1")));
        QTemporaryDir tmp;
        ds.source = tmp.filePath("missing").toStdString();
        QVERIFY_THROWS_EXCEPTION(DataError, makeSplit(ds, SplitSpec::parse("ml100k:u1")));
    }
};

QTEST_GUILESS_MAIN(TestSplits)
#include "tst_splits.moc"
