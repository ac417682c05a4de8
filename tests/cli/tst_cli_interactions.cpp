// A user's own interaction data on the command line: `--format` on a file, lens-atlas.json in a
// folder, `--items`, the load filters (--kcore, --min-user-ratings, --since, ...), and their usage
// errors, through the real executable on files written here.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

namespace {

using lens::test::CliRun;
using lens::test::runLensAtlas;
using lens::test::writeFile;

// Users a..d, items x/y/z, a 1..10 scale. Ratings per user: a 3, b 2, c 2, d 1; per item:
// x 4, y 3, z 1. k-core 2 drops d (1 rating) and z (1 rating: a's), then a has x, y (2), b x, y
// (2), c x, y (2): 6 ratings, 3 users, 2 items.
const char* kEvents =
    "who\twhat\tstars\twhen\n"
    "a\tx\t10\t2020-01-01\n"
    "a\ty\t3\t2020-02-01\n"
    "a\tz\t5\t2020-03-01T12:00:00Z\n"
    "b\tx\t7\t2020-01-15\n"
    "b\ty\t1\t2020-04-01\n"
    "c\tx\t2\t2021-01-01\n"
    "c\ty\t9\t2021-02-01\n"
    "d\tx\t4\t2021-03-01\n";

QJsonObject infoJson(const QStringList& args) {
    const CliRun r = runLensAtlas(QStringList{"info"} + args + QStringList{"--json"}, 60'000);
    if (r.exitCode != 0) qWarning("%s", r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

}  // namespace

class TestCliInteractions : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString events_;

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        events_ = tmp_.filePath("events.tsv");
        writeFile(events_, kEvents);
    }

    void formatOnAFile() {
        const QJsonObject info =
            infoJson({events_, "--format", "user=who,item=what,rating=stars,time=when"});
        QCOMPARE(info["layout"].toString(), QStringLiteral("interactions"));
        QCOMPARE(info["name"].toString(), QStringLiteral("events"));
        QCOMPARE(info["ratings"].toInt(), 8);
        QCOMPARE(info["users"].toInt(), 4);
        QCOMPARE(info["movies"].toInt(), 3);
        const QJsonObject scale = info["rating_scale"].toObject();
        QCOMPARE(scale["min"].toDouble(), 1.0);
        QCOMPARE(scale["max"].toDouble(), 10.0);
        QCOMPARE(scale["step"].toDouble(), 1.0);
        QCOMPARE(info["first_rating"].toString(), QStringLiteral("2020-01-01"));
        QCOMPARE(info["last_rating"].toString(), QStringLiteral("2021-03-01"));
        // Without the rating column: implicit feedback.
        const QJsonObject implicit = infoJson({events_, "--format", "user=0,item=1,time=3"});
        QVERIFY(implicit["rating_scale"].toObject()["implicit"].toBool());
    }

    void filtersAreAppliedAndReported() {
        const QJsonObject info = infoJson(
            {events_, "--format", "user=who,item=what,rating=stars,time=when", "--kcore", "2"});
        QCOMPARE(info["ratings"].toInt(), 6);
        QCOMPARE(info["users"].toInt(), 3);
        QCOMPARE(info["movies"].toInt(), 2);
        QVERIFY(info["name"].toString().contains(QStringLiteral("k-core 2")));
        const QJsonArray steps = info["filters"].toArray();
        QCOMPARE(steps.size(), 1);
        QCOMPARE(steps[0].toObject()["removed_ratings"].toInt(), 2);
        QCOMPARE(steps[0].toObject()["removed_users"].toInt(), 1);
        QCOMPARE(steps[0].toObject()["removed_movies"].toInt(), 1);
        // The date range keeps 2020 only: 5 ratings of a and b.
        const QJsonObject year = infoJson({events_, "--format", "user=0,item=1,rating=2,time=3",
                                           "--since", "2020-01-01", "--until", "2020-12-31"});
        QCOMPARE(year["ratings"].toInt(), 5);
        QCOMPARE(year["users"].toInt(), 2);
        // On a release too.
        const QJsonObject min = infoJson({"demo", "--min-user-ratings", "100000"});
        QVERIFY(min.isEmpty());  // nothing left: a data error, no JSON
    }

    void descriptorFolderOpensLikeARelease() {
        const QString folder = tmp_.filePath("shop");
        QVERIFY(QDir().mkpath(folder));
        writeFile(folder + "/events.tsv", kEvents);
        writeFile(folder + "/items.csv", "id,title,categories\nx,Ex,Tools|Garden\ny,Why,Tools\n");
        writeFile(folder + "/lens-atlas.json",
                  R"({"interactions": "events.tsv", "items": "items.csv", "name": "my shop",
                      "format": "user=who,item=what,rating=stars,time=when"})");
        const QJsonObject info = infoJson({folder});
        QCOMPARE(info["name"].toString(), QStringLiteral("my shop"));
        QCOMPARE(info["ratings"].toInt(), 8);
        const QJsonObject genres = info["genres"].toObject();
        QCOMPARE(genres.keys(), (QStringList{"Garden", "Tools"}));
        QCOMPARE(genres["Tools"].toInt(), 2);
        // The same mapping given on the command line, items through --items.
        const QJsonObject direct =
            infoJson({events_, "--format", "user=who,item=what,rating=stars,time=when", "--items",
                      folder + "/items.csv", "--items-format", "id=0,title=1,categories=2"});
        QCOMPARE(direct["genres"].toObject().keys(), (QStringList{"Garden", "Tools"}));
    }

    void exportKeepsStringIds() {
        // A model trained on string ids exports its CSV rows under those strings; the data's
        // --format and export's own --format csv side by side.
        const QString model = tmp_.filePath("als.lamodel");
        const QString format = QStringLiteral("user=who,item=what,rating=stars,time=when");
        CliRun r = runLensAtlas({"train", events_, "--format", format, "--model", "als", "--k", "2",
                                 "--iterations", "3", "--save", model});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString out = tmp_.filePath("factors");
        r = runLensAtlas({"export", events_, "--format", format, "--model", model, "--format",
                          "csv", "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> users = lens::test::readAll(out + "/user_factors.csv").split('\n');
        QCOMPARE(users[0], QByteArray("id,f1,f2"));
        QStringList ids;
        for (int i = 1; i < users.size() && !users[i].isEmpty(); ++i)
            ids << QString::fromUtf8(users[i].split(',').front());
        QCOMPARE(ids, (QStringList{"a", "b", "c", "d"}));
        // recommend --user takes the user as the data spells it.
        r = runLensAtlas({"recommend", events_, "--format", format, "--model", model, "--user", "c",
                          "--min-ratings", "0", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("\"persona\": \"user c\""), r.out.constData());
        r = runLensAtlas(
            {"recommend", events_, "--format", format, "--model", model, "--user", "nobody"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("user nobody is not in events"), r.err.constData());
        const QList<QByteArray> items = lens::test::readAll(out + "/item_factors.csv").split('\n');
        QVERIFY2(items.size() >= 4 && items[1].startsWith("x,") && items[2].startsWith("y,") &&
                     items[3].startsWith("z,"),
                 items.join('|').constData());
    }

    void reportNamesTheDataAndItsFilters() {
        // The report on one's own data: its scale and the filter's toll instead of MovieLens's
        // citation.
        QTemporaryDir out;
        const CliRun r = runLensAtlas(
            {"report", events_, "--format", "user=who,item=what,rating=stars,time=when", "--kcore",
             "2", "--models", "bias", "--out", out.path()},
            300'000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray html = lens::test::readAll(out.filePath("report.html"));
        QVERIFY2(html.contains("ratings 1-10 in steps of 1"), html.left(3000).constData());
        QVERIFY(html.contains("Load filter k-core 2: removed 2 ratings, 1 users, 1 movies"));
        QVERIFY(html.contains("events [k-core 2]"));
        QVERIFY(!html.contains("Maxwell Harper"));
    }

    void usageAndDataErrors() {
        // A column the file lacks: usage error naming the file.
        CliRun r = runLensAtlas({"info", events_, "--format", "user=who,item=product"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("product") && r.err.contains("events.tsv"), r.err.constData());
        r = runLensAtlas({"info", events_, "--format", "user=0,itm=1"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown key 'itm'"), r.err.constData());
        r = runLensAtlas({"info", events_, "--format", "user=0,item=1", "--kcore", "-3"});
        QCOMPARE(r.exitCode, 2);
        r = runLensAtlas({"info", events_, "--format", "user=0,item=1", "--since", "someday"});
        QCOMPARE(r.exitCode, 2);
        // A plain file without a format: a data error saying what to do.
        r = runLensAtlas({"info", events_});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--format"), r.err.constData());
        // A bad line: file and line.
        const QString bad = tmp_.filePath("bad.tsv");
        writeFile(bad, "a\tx\t1\nb\ty\tlots\n");
        r = runLensAtlas({"info", bad, "--format", "user=0,item=1,rating=2"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("bad.tsv:2:"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliInteractions)
#include "tst_cli_interactions.moc"
