// A user's own data through the commands (issue #20): a 1..10 scale with categories Books and
// Music, and implicit feedback. `info` and `eda` report the scale's values and the categories;
// train / sweep / cv / compare refuse a rating model on implicit feedback with a usage error
// (exit 2) naming the model and the reason; a ranking model trains.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

#include "CliTestSupport.h"

namespace {

using lens::test::CliRun;
using lens::test::runLensAtlas;
using lens::test::writeFile;

const QString kRatedFormat = QStringLiteral("user=0,item=1,rating=2,header=yes");
const QString kImplicitFormat = QStringLiteral("user=0,item=1,header=yes");
const QString kItemsFormat = QStringLiteral("id=0,title=1,categories=2,catsep=|,header=yes");

}  // namespace

class TestCliScale : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString rated_, implicit_, items_;
    std::map<int, int> counts_;  // rating -> count, as written

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        // 30 users x 12 items; rating (3u + 5i) % 10 + 1 covers 1..10 unevenly.
        QByteArray rated = "user,item,rating\n", implicit = "user,item\n";
        for (int u = 1; u <= 30; ++u)
            for (int i = 1; i <= 12; ++i) {
                if ((u + i) % 3 == 0) continue;
                const int r = (3 * u + 5 * i * i) % 10 + 1;
                ++counts_[r];
                rated += QByteArray::number(u) + ',' + QByteArray::number(i) + ',' +
                         QByteArray::number(r) + '\n';
                implicit += 'u' + QByteArray::number(u) + ",i" + QByteArray::number(i) + '\n';
            }
        QByteArray items = "id,title,categories\n";
        for (int i = 1; i <= 12; ++i)
            items += QByteArray::number(i) + ",Thing " + QByteArray::number(i) + ',' +
                     (i <= 6 ? "Books" : "Music") + (i == 6 ? "|Music" : "") + '\n';
        rated_ = tmp_.filePath("shop.csv");
        implicit_ = tmp_.filePath("clicks.csv");
        items_ = tmp_.filePath("items.csv");
        writeFile(rated_, rated);
        writeFile(implicit_, implicit);
        writeFile(items_, items);
    }

    void infoAndEdaReportTheScale() {
        const QStringList data{rated_, "--format",       kRatedFormat, "--items",
                               items_, "--items-format", kItemsFormat};
        CliRun r = runLensAtlas(QStringList{"info"} + data + QStringList{"--json"}, 60'000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject info = QJsonDocument::fromJson(r.out).object();
        const QJsonObject histogram = info["rating_histogram"].toObject();
        QCOMPARE(histogram.size(), static_cast<qsizetype>(counts_.size()));
        for (const auto& [rating, count] : counts_)
            QCOMPARE(histogram[QString::number(rating)].toInt(), count);
        QCOMPARE(info["rating_scale"].toObject()["max"].toDouble(), 10.0);
        const QJsonObject genres = info["genres"].toObject();
        QCOMPARE(genres.keys(), (QStringList{"Books", "Music"}));
        QCOMPARE(genres["Books"].toInt(), 6);
        QCOMPARE(genres["Music"].toInt(), 7);

        r = runLensAtlas(QStringList{"eda"} + data + QStringList{"--json"}, 60'000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject eda = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(eda["rating_histogram"].toObject(), histogram);
        double sum = 0.0, n = 0.0;
        for (const auto& [rating, count] : counts_) {
            sum += rating * count;
            n += count;
        }
        QVERIFY(std::abs(eda["rating_mean"].toDouble() - sum / n) < 1e-9);
        QCOMPARE(eda["genres"].toArray().size(), 2);
        QCOMPARE(eda["genres"].toArray()[0].toObject()["name"].toString(), QStringLiteral("Books"));
    }

    void ratingModelsAreRefusedOnImplicitFeedback() {
        const QStringList data{implicit_, "--format", kImplicitFormat};
        const QList<QStringList> commands{
            {"train", "--model", "als"},
            {"sweep", "--model", "bias", "--grid", "iterations=2,3"},
            {"cv", "--model", "bpmf"},
            {"compare", "--models", "ease,item-knn"},
        };
        for (const QStringList& command : commands) {
            const CliRun r =
                runLensAtlas(QStringList{command.front()} + data + command.mid(1), 120'000);
            QCOMPARE(r.exitCode, 2);
            const QString model = command.front() == "compare" ? "item-knn" : command.at(2);
            QVERIFY2(r.err.contains((model + " predicts ratings; clicks has no ratings "
                                             "(implicit feedback): use a ranking model: ")
                                        .toUtf8()),
                     r.err.constData());
        }
        const CliRun info = runLensAtlas(QStringList{"info"} + data + QStringList{"--json"});
        QVERIFY(QJsonDocument::fromJson(info.out)
                    .object()["rating_scale"]
                    .toObject()["implicit"]
                    .toBool());
        const CliRun ease = runLensAtlas(
            QStringList{"train"} + data + QStringList{"--model", "ease", "--json"}, 120'000);
        QVERIFY2(ease.exitCode == 0, ease.err.constData());
    }
};

QTEST_MAIN(TestCliScale)
#include "tst_cli_scale.moc"
