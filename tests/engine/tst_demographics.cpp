// User demographics end to end in the engine: ml-100k's u.user and ml-1m's users.dat parsed from
// folders, memory and zips; ml-100k ages grouped into ml-1m's seven groups; bad user files
// refused with file and line (strict) or skipped and counted (lenient); releases without a user
// file have none; and the Compare engine's gender, age and occupation segments checked against
// per-user RMSEs computed here from the model's predictions, grouped by what the test wrote.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <map>

#include "LoaderFixtures.h"
#include "data/Demographics.h"
#include "data/Split.h"
#include "eval/ModelComparison.h"
#include "eval/Segments.h"
#include "io/DatasetLoader.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "util/Errors.h"

using namespace lens;
using namespace lens::test;

namespace {

// The names the ml-1m README gives, by code; written out here, not taken from the engine.
const char* const kReadmeOccupations[21] = {"other or not specified",
                                            "academic/educator",
                                            "artist",
                                            "clerical/admin",
                                            "college/grad student",
                                            "customer service",
                                            "doctor/health care",
                                            "executive/managerial",
                                            "farmer",
                                            "homemaker",
                                            "K-12 student",
                                            "lawyer",
                                            "programmer",
                                            "retired",
                                            "sales/marketing",
                                            "scientist",
                                            "self-employed",
                                            "technician/engineer",
                                            "tradesman/craftsman",
                                            "unemployed",
                                            "writer"};

std::string ageNameOfCode(int code) {
    const std::map<int, std::string> names = {{1, "Under 18"}, {18, "18-24"}, {25, "25-34"},
                                              {35, "35-44"},   {45, "45-49"}, {50, "50-55"},
                                              {56, "56+"}};
    return names.at(code);
}

// Gender, age group and occupation of a user by release id, as names ("" when unknown).
struct Shown {
    std::string gender, age, occupation;
};
Shown shownOf(const Dataset& ds, std::int64_t id) {
    const auto i = ds.userIndex(id);
    if (i < 0) throw std::runtime_error("no user " + std::to_string(id));
    const auto u = static_cast<std::size_t>(i);
    const UserDemographics& d = ds.demographics;
    Shown s;
    if (d.gender[u] != kUnknownDemographic) s.gender = genderName(static_cast<Gender>(d.gender[u]));
    if (d.ageGroup[u] != kUnknownDemographic)
        s.age = ageGroupName(static_cast<AgeGroup>(d.ageGroup[u]));
    if (d.occupation[u] != kUnknownDemographic) s.occupation = d.occupationNames[d.occupation[u]];
    return s;
}

const SegmentEstimate* findSegment(const ModelResult& m, const std::string& dimension,
                                   const std::string& segment) {
    for (const SegmentEstimate& s : m.segments)
        if (s.dimension == dimension && s.segment == segment) return &s;
    return nullptr;
}

}  // namespace

class TestDemographics : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    int counter_ = 0;

    QString folderOf(const Files& files) {
        const QString dir = tmp_.filePath(QString("release%1/ml-1m").arg(++counter_));
        writeFiles(dir, files);
        return dir;
    }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void ml1mUsersDat() {
        // users.dat: 1::F::1::10::48067 and 2::M::56::16::70072.
        const Dataset ds = loadDatasetFromMemory(ml1mRelease(), "ml-1m");
        QVERIFY(ds.hasDemographics());
        QCOMPARE(ds.demographics.userCount(), ds.userCount());
        QCOMPARE(ds.demographics.usersListed, std::size_t{2});
        const Shown one = shownOf(ds, 1), two = shownOf(ds, 2);
        QCOMPARE(one.gender, std::string("female"));
        QCOMPARE(one.age, std::string("Under 18"));
        QCOMPARE(one.occupation, std::string("K-12 student"));
        QCOMPARE(two.gender, std::string("male"));
        QCOMPARE(two.age, std::string("56+"));
        QCOMPARE(two.occupation, std::string("self-employed"));
        QCOMPARE(ds.demographics.occupationNames.size(), std::size_t{21});
        for (int code = 0; code < 21; ++code)
            QCOMPARE(ds.demographics.occupationNames[static_cast<std::size_t>(code)],
                     std::string(kReadmeOccupations[code]));
    }

    void ml1mCodesEveryAgeAndOccupation() {
        // One user per occupation code; age codes cycle through all seven.
        Files files = ml1mRelease();
        std::string ratings, users;
        for (int u = 1; u <= 21; ++u) {
            ratings += std::to_string(u) + "::1::4::978300760\n";
            users += std::to_string(u) + "::" + (u % 2 ? "M" : "F") +
                     "::" + std::to_string(kFixtureAgeCodes[u % 7]) + "::" + std::to_string(u - 1) +
                     "::0\n";
        }
        files["ratings.dat"] = ratings;
        files["users.dat"] = users;
        const Dataset ds = loadDatasetFromMemory(files, "ml-1m");
        for (int u = 1; u <= 21; ++u) {
            const Shown s = shownOf(ds, u);
            QCOMPARE(s.occupation, std::string(kReadmeOccupations[u - 1]));
            QCOMPARE(s.age, ageNameOfCode(kFixtureAgeCodes[u % 7]));
            QCOMPARE(s.gender, std::string(u % 2 ? "male" : "female"));
        }
    }

    void ml100kUUser() {
        const Dataset ds = loadDatasetFromMemory(ml100kRelease(), "ml-100k");
        QVERIFY(ds.hasDemographics());
        QCOMPARE(ds.userCount(), std::size_t{3});
        QCOMPARE(ds.demographics.usersListed, std::size_t{3});  // user 5 rated nothing
        const Shown u22 = shownOf(ds, 22), u186 = shownOf(ds, 186), u196 = shownOf(ds, 196);
        QCOMPARE(u22.gender, std::string("male"));
        QCOMPARE(u22.age, std::string("25-34"));  // 25
        QCOMPARE(u22.occupation, std::string("writer"));
        QCOMPARE(u186.gender, std::string("female"));
        QCOMPARE(u186.age, std::string("35-44"));  // 39
        QCOMPARE(u186.occupation, std::string("executive"));
        QCOMPARE(u196.age, std::string("45-49"));  // 49
        QCOMPARE(u196.occupation, std::string("writer"));
        // The release's own occupation names, sorted.
        QCOMPARE(ds.demographics.occupationNames,
                 std::vector<std::string>({"executive", "other", "writer"}));
    }

    void ml100kAgesGroupedLikeMl1m_data() {
        QTest::addColumn<int>("age");
        QTest::addColumn<QString>("group");
        const std::pair<int, const char*> cases[] = {
            {7, "Under 18"}, {17, "Under 18"}, {18, "18-24"}, {24, "18-24"}, {25, "25-34"},
            {34, "25-34"},   {35, "35-44"},    {44, "35-44"}, {45, "45-49"}, {49, "45-49"},
            {50, "50-55"},   {55, "50-55"},    {56, "56+"},   {73, "56+"}};
        for (const auto& [age, group] : cases)
            QTest::newRow(std::to_string(age).c_str()) << age << QString(group);
    }
    void ml100kAgesGroupedLikeMl1m() {
        QFETCH(int, age);
        QFETCH(QString, group);
        Files files = ml100kRelease();
        files["u.user"] = "22|" + std::to_string(age) + "|M|writer|1\n186|30|F|artist|1\n";
        const Dataset ds = loadDatasetFromMemory(files, "ml-100k");
        QCOMPARE(QString::fromStdString(shownOf(ds, 22).age), group);
        QCOMPARE(QString::fromStdString(ageGroupName(ageGroupOfYears(age))), group);
        // user 196 is not listed: unknown, and one warning says so.
        QCOMPARE(shownOf(ds, 196).age, std::string());
        QCOMPARE(ds.demographics.usersListed, std::size_t{2});
        bool warned = false;
        for (const std::string& w : ds.report.warnings)
            warned =
                warned || (w.find("u.user") != std::string::npos &&
                           w.find("1 users of the ratings are not listed") != std::string::npos);
        QVERIFY(warned);
    }

    void releasesWithoutAUserFileHaveNone() {
        QVERIFY(!loadDatasetFromMemory(csvRelease(), "ml-latest-small").hasDemographics());
        QVERIFY(!loadDatasetFromMemory(ml10mRelease(), "ml-10m").hasDemographics());
        Files noUsers = ml1mRelease();
        noUsers.erase("users.dat");
        const Dataset ds = loadDatasetFromMemory(noUsers, "ml-1m");
        QVERIFY(!ds.hasDemographics());
        QVERIFY(ds.demographics.gender.empty() && ds.demographics.occupationNames.empty());
    }

    void foldersAndZipsAlike() {
        for (const Files& files : {ml1mRelease(), ml100kRelease()}) {
            const bool is1m = files.count("users.dat") > 0;
            const Dataset fromMemory = loadDatasetFromMemory(files, is1m ? "ml-1m" : "ml-100k");
            const QString dir = folderOf(files);
            const QString zip = tmp_.filePath(QString("z%1.zip").arg(++counter_));
            writeZip(zip, is1m ? "ml-1m" : "ml-100k", files);
            for (const QString& path : {dir, zip}) {
                const Dataset ds = loadDataset(path.toStdString());
                QVERIFY2(ds.hasDemographics(), qPrintable(path));
                QCOMPARE(ds.demographics.gender, fromMemory.demographics.gender);
                QCOMPARE(ds.demographics.ageGroup, fromMemory.demographics.ageGroup);
                QCOMPARE(ds.demographics.occupation, fromMemory.demographics.occupation);
                QCOMPARE(ds.demographics.occupationNames, fromMemory.demographics.occupationNames);
            }
        }
    }

    void badUserFiles_data() {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("listed");  // users the lenient load keeps
        const QByteArray ok1m = "1::F::1::10::48067\n";
        QTest::newRow("1m fields") << "ml-1m" << ok1m + "2::M::56::16\n"
                                   << 2 << "expected 5 fields" << 1;
        QTest::newRow("1m gender") << "ml-1m" << QByteArray("1::X::1::10::1\n2::M::56::16::1\n")
                                   << 1 << "gender 'X' is not M or F" << 1;
        QTest::newRow("1m age code")
            << "ml-1m" << ok1m + "2::M::30::16::1\n"
            << 2 << "age code 30 is not one of 1, 18, 25, 35, 45, 50, 56" << 1;
        QTest::newRow("1m occupation") << "ml-1m" << ok1m + "2::M::56::21::1\n"
                                       << 2 << "occupation code 21 is not 0-20" << 1;
        QTest::newRow("1m user id") << "ml-1m" << ok1m + "two::M::56::16::1\n"
                                    << 2 << "user id 'two' is not a number" << 1;
        QTest::newRow("1m repeated") << "ml-1m" << ok1m + "2::M::56::16::1\n1::M::18::3::1\n"
                                     << 3 << "user 1 is listed twice (first on line 1)" << 2;
        const QByteArray ok100k = "22|25|M|writer|40206\n";
        QTest::newRow("100k age") << "ml-100k" << ok100k + "186|old|F|artist|1\n"
                                  << 2 << "age 'old' is not a number" << 1;
        QTest::newRow("100k age 0") << "ml-100k" << ok100k + "186|0|F|artist|1\n"
                                    << 2 << "age 0 is outside 1-120" << 1;
        QTest::newRow("100k gender") << "ml-100k" << ok100k + "186|30|f|artist|1\n"
                                     << 2 << "gender 'f' is not M or F" << 1;
        QTest::newRow("100k occupation") << "ml-100k" << ok100k + "186|30|F||1\n"
                                         << 2 << "empty occupation" << 1;
        QTest::newRow("100k fields") << "ml-100k" << ok100k + "186|30|F|artist\n"
                                     << 2 << "expected 5 fields" << 1;
    }
    void badUserFiles() {
        QFETCH(QString, layout);
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, message);
        QFETCH(int, listed);
        const bool is1m = layout == "ml-1m";
        Files files = is1m ? ml1mRelease() : ml100kRelease();
        const std::string file = is1m ? "users.dat" : "u.user";
        files[file] = content.toStdString();
        const QString dir = folderOf(files);
        const QString zip = tmp_.filePath(QString("bad%1.zip").arg(++counter_));
        writeZip(zip, layout.toStdString(), files);
        for (const QString& path : {dir, zip}) {
            try {
                loadDataset(path.toStdString());
                QFAIL(qPrintable("no error for " + path));
            } catch (const DataError& e) {
                QVERIFY2(QString::fromStdString(e.file()).endsWith(QString::fromStdString(file)),
                         e.what());
                QCOMPARE(e.line(), static_cast<std::size_t>(line));
                QVERIFY2(QString::fromStdString(e.problem()).contains(message), e.what());
            }
        }
        // Lenient: the line is skipped and counted, the other users keep their demographics.
        LoadOptions lenient;
        lenient.lenient = true;
        const Dataset ds = loadDataset(dir.toStdString(), lenient);
        QCOMPARE(ds.report.skippedLines, std::size_t{1});
        QVERIFY(ds.hasDemographics());
        QCOMPARE(ds.demographics.usersListed, static_cast<std::size_t>(listed));
        bool named = false;
        for (const std::string& w : ds.report.warnings)
            named = named || w.find(file + ":" + std::to_string(line) + ":") != std::string::npos;
        QVERIFY(named);
    }

    void emptyUserFileIsAnError() {
        Files files = ml1mRelease();
        files["users.dat"] = "\n";
        try {
            loadDatasetFromMemory(files, "ml-1m");
            QFAIL("no error");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("users.dat: file is empty"), e.what());
        }
    }

    void demographicSegmentsOrderAndUnknowns() {
        UserDemographics d;
        // 7 users: occupations b, a, b, c, a, b, unknown; names a, b, c, d (d unused).
        d.occupationNames = {"a", "b", "c", "d"};
        d.occupation = {1, 0, 1, 2, 0, 1, kUnknownDemographic};
        d.gender = {0, 1, 1, 1, kUnknownDemographic, 0, 0};
        d.ageGroup = {6, 6, 6, 6, 6, 6, 6};
        const DemographicSegments occ = demographicSegments(d, DemographicDimension::Occupation);
        QCOMPARE(occ.names, std::vector<std::string>({"b", "a", "c"}));  // by size, d dropped
        QCOMPARE(occ.sizes, std::vector<std::size_t>({3, 2, 1}));
        QCOMPARE(occ.segmentOf, std::vector<std::uint8_t>({0, 1, 0, 2, 1, 0, kUnknownDemographic}));
        const DemographicSegments gender = demographicSegments(d, DemographicDimension::Gender);
        QCOMPARE(gender.names, std::vector<std::string>({"female", "male"}));
        QCOMPARE(gender.sizes, std::vector<std::size_t>({3, 3}));
        const DemographicSegments age = demographicSegments(d, DemographicDimension::AgeGroup);
        QCOMPARE(age.names.size(), std::size_t{7});  // every group, empty ones too
        QCOMPARE(age.sizes[6], std::size_t{7});
        QCOMPARE(age.sizes[0], std::size_t{0});
        QVERIFY(
            demographicSegments(UserDemographics{}, DemographicDimension::Gender).names.empty());
    }

    // The segments' means equal the per-user RMSEs computed here from the model's predictions,
    // grouped by the demographics the fixture wrote; units are the group's scored users.
    void segmentMeansMatchABruteForce() {
        const std::vector<int> unlisted = {4, 11};
        const Dataset ds = loadDatasetFromMemory(ml1mDemographicRelease(120, unlisted), "ml-1m");
        QCOMPARE(ds.demographics.usersListed, std::size_t{118});
        const TrainData data = TrainData::build(ds, makeSplit(ds, SplitSpec{}));
        auto model = createRecommender("bias");
        model->fit(data);
        ComparisonOptions options;
        options.bootstrap.resamples = 300;
        options.demographics = ds.demographics;
        const Comparison c = compareModels(data, {{"bias", model.get()}}, options);
        const ModelResult& m = c.models.front();

        // Per-user RMSE over the test ratings, by hand.
        std::map<std::uint32_t, std::pair<double, int>> squares;
        for (const RatingTriplet& t : data.test) {
            const double e = model->predict(t.user, t.item) - t.rating;
            squares[t.user].first += e * e;
            ++squares[t.user].second;
        }
        // Group name -> (sum of RMSEs, users), per dimension, from the fixture's rules.
        std::map<std::pair<std::string, std::string>, std::pair<double, std::size_t>> expected;
        for (const auto& [user, sq] : squares) {
            const auto id = static_cast<int>(data.userIds[user]);
            if (std::find(unlisted.begin(), unlisted.end(), id) != unlisted.end()) continue;
            const double rmse = std::sqrt(sq.first / sq.second);
            const std::string groups[3][2] = {
                {"gender", id % 3 == 0 ? "female" : "male"},
                {"age", ageNameOfCode(kFixtureAgeCodes[id % 7])},
                {"occupation", kReadmeOccupations[id < 40 ? (id * 5) % 21 : 12]}};
            for (const auto& g : groups) {
                auto& e = expected[{g[0], g[1]}];
                e.first += rmse;
                ++e.second;
            }
        }
        QVERIFY(expected.size() > 20);
        std::size_t checked = 0;
        for (const auto& [key, sum] : expected) {
            const SegmentEstimate* s = findSegment(m, key.first, key.second);
            QVERIFY2(s, (key.first + " " + key.second).c_str());
            QCOMPARE(s->metric, std::string("rmse"));
            QCOMPARE(s->units, sum.second);
            QVERIFY2(std::abs(s->ci.estimate - sum.first / static_cast<double>(sum.second)) < 1e-5,
                     (key.first + " " + key.second).c_str());
            QVERIFY(s->ci.lower <= s->ci.estimate + 1e-12 && s->ci.estimate <= s->ci.upper + 1e-12);
            if (sum.second >= 3) QVERIFY(s->ci.upper > s->ci.lower);
            ++checked;
        }
        QCOMPARE(checked, expected.size());
        // Occupations come largest first (programmer holds every user from id 40 up).
        std::vector<std::size_t> occupationUnits;
        for (const SegmentEstimate& s : m.segments)
            if (s.dimension == "occupation") occupationUnits.push_back(s.units);
        QVERIFY(std::is_sorted(occupationUnits.rbegin(), occupationUnits.rend()));
        QCOMPARE(findSegment(m, "occupation", "programmer"),
                 &*std::find_if(m.segments.begin(), m.segments.end(), [](const SegmentEstimate& s) {
                     return s.dimension == "occupation";
                 }));
        QVERIFY(hasDemographicSegments(c));

        // Without demographics: activity and popularity only.
        const Comparison without = compareModels(data, {{"bias", model.get()}}, {});
        QVERIFY(!hasDemographicSegments(without));
        for (const SegmentEstimate& s : without.models.front().segments)
            QVERIFY(s.dimension == "activity" || s.dimension == "popularity");

        // Demographics of another dataset's users are refused.
        ComparisonOptions wrong;
        wrong.demographics = ds.demographics;
        wrong.demographics.gender.pop_back();
        wrong.demographics.ageGroup.pop_back();
        wrong.demographics.occupation.pop_back();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 compareModels(data, {{"bias", model.get()}}, wrong));
    }
};

QTEST_GUILESS_MAIN(TestDemographics)
#include "tst_demographics.moc"
