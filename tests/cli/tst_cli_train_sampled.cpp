// `lens-atlas train` on more test users than the full-catalogue protocol ranks by default
// (10,000; issue #21): the JSON says how many users were ranked of how many, with the 95 %
// interval of the sampled HR@10 around the figure; the text output says it in words. A release
// below the limit ranks everyone and has no interval.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using lens::test::runLensAtlas;

class TestCliTrainSampled : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QJsonObject train(const QString& release, QByteArray* text = nullptr) {
        const QStringList args{QStringLiteral("train"),        release,
                               QStringLiteral("--model"),      QStringLiteral("als-implicit"),
                               QStringLiteral("--iterations"), QStringLiteral("2"),
                               QStringLiteral("--k"),          QStringLiteral("8"),
                               QStringLiteral("--split"),      QStringLiteral("loo")};
        auto run = runLensAtlas(args + QStringList{QStringLiteral("--json")}, 300'000);
        if (run.exitCode != 0) qWarning("%s", run.err.constData());
        if (text) *text = runLensAtlas(args, 300'000).out;
        return QJsonDocument::fromJson(run.out).object();
    }

private slots:
    void moreUsersThanTheSample() {
        const QString release = dir_.filePath(QStringLiteral("wide"));
        const auto gen = runLensAtlas({QStringLiteral("generate"), QStringLiteral("--out"), release,
                                       QStringLiteral("--ratings"), QStringLiteral("215000"),
                                       QStringLiteral("--users"), QStringLiteral("10600"),
                                       QStringLiteral("--no-tags")});
        QVERIFY2(gen.exitCode == 0, gen.err.constData());
        QByteArray text;
        const QJsonObject o = train(release, &text);
        QCOMPARE(o["full_ranking_users"].toInt(), 10000);
        QVERIFY2(o["full_ranking_users_total"].toInt() > 10000,
                 qPrintable(QString::number(o["full_ranking_users_total"].toInt())));
        const QJsonArray ci = o["full_hr10_ci"].toArray();
        const double hr = o["full_hr10"].toDouble();
        QCOMPARE(ci.size(), 2);
        QVERIFY2(ci[0].toDouble() < hr && hr < ci[1].toDouble(),
                 qPrintable(QStringLiteral("%1 in [%2, %3]")
                                .arg(hr)
                                .arg(ci[0].toDouble())
                                .arg(ci[1].toDouble())));
        QVERIFY2(text.contains("full ranking on a sample of 10000 of "), text.constData());
    }

    void everyoneBelowTheLimit() {
        const QString release = lens::test::writeSyntheticTestRelease(dir_, 6000);
        const QJsonObject o = train(release);
        QCOMPARE(o["full_ranking_users"].toInt(), o["full_ranking_users_total"].toInt());
        QVERIFY(o["full_ranking_users"].toInt() > 0);
        QVERIFY(o["full_hr10_ci"].toArray()[0].isNull());
    }
};

QTEST_GUILESS_MAIN(TestCliTrainSampled)
#include "tst_cli_train_sampled.moc"
