// `lens-atlas import`: the round trip of the README's "Bigger than one machine": a model trained
// here is exported (npz in implicit's layout, csv), imported back as factors trained elsewhere,
// and the imported model file recommends exactly what the original does, for a trained user and
// for a folded-in persona (the same least squares against the same movie factors, given the
// same lambda). Bad input: usage errors (exit 2) and bad factor files (exit 3, file and line
// named, no model file written).
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using lens::test::runLensAtlas;

class TestCliImport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_, implicit_, persona_;

    QString path(const QString& name) const { return dir_.filePath(name); }

    // The movie ids of a top-10 list from `recommend --json`.
    QList<qint64> topIds(const QString& model, const QStringList& who) {
        QStringList args{QStringLiteral("recommend"), release_,
                         QStringLiteral("--model"),   model,
                         QStringLiteral("--json"),    QStringLiteral("--min-ratings"),
                         QStringLiteral("1")};
        args << who;
        const auto run = runLensAtlas(args);
        if (run.exitCode != 0) qWarning("%s", run.err.constData());
        QList<qint64> ids;
        for (const auto& item : QJsonDocument::fromJson(run.out).object()["items"].toArray())
            ids << item.toObject()["movie_id"].toInteger();
        return ids;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 6000);
        implicit_ = path(QStringLiteral("implicit.model"));
        // The fold-in's lambda and alpha are given to both sides explicitly.
        const auto run = runLensAtlas(
            {QStringLiteral("train"), release_, QStringLiteral("--model"),
             QStringLiteral("als-implicit"), QStringLiteral("--iterations"), QStringLiteral("3"),
             QStringLiteral("--lambda"), QStringLiteral("40"), QStringLiteral("--alpha"),
             QStringLiteral("1.5"), QStringLiteral("--save"), implicit_});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // A persona of three movies of the release (its first three ids).
        QFile movies(QDir(release_).filePath(QStringLiteral("movies.csv")));
        QVERIFY(movies.open(QIODevice::ReadOnly));
        movies.readLine();  // header
        QStringList entries;
        for (int i = 0; i < 3; ++i)
            entries
                << QStringLiteral("{\"movie_id\": %1, \"rating\": 5}")
                       .arg(QString::fromUtf8(movies.readLine()).section(QLatin1Char(','), 0, 0));
        persona_ = path(QStringLiteral("persona.json"));
        lens::test::writeFile(persona_, QStringLiteral("{\"version\": 1, \"personas\": [{\"name\": "
                                                       "\"Three\", \"movies\": [%1]}]}")
                                            .arg(entries.join(QStringLiteral(", ")))
                                            .toUtf8());
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("exportFormat");
        QTest::addColumn<QString>("importFormat");
        QTest::newRow("npz") << QStringLiteral("npz") << QStringLiteral("implicit-npz");
        QTest::newRow("csv") << QStringLiteral("csv") << QStringLiteral("csv");
    }
    void roundTrip() {
        QFETCH(QString, exportFormat);
        QFETCH(QString, importFormat);
        const QString exported = path(QStringLiteral("exported-%1").arg(exportFormat) +
                                      (exportFormat == QLatin1String("npz") ? ".npz" : ""));
        auto run = runLensAtlas({QStringLiteral("export"), release_, QStringLiteral("--model"),
                                 implicit_, QStringLiteral("--format"), exportFormat,
                                 QStringLiteral("--out"), exported});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString imported = path(QStringLiteral("imported-%1.model").arg(exportFormat));
        // The fold-in must use the model's lambda and alpha.
        run = runLensAtlas({QStringLiteral("import"), release_, QStringLiteral("--from"),
                            importFormat, exported, QStringLiteral("--save"), imported,
                            QStringLiteral("--feedback"), QStringLiteral("implicit"),
                            QStringLiteral("--lambda"), QStringLiteral("40"),
                            QStringLiteral("--alpha"), QStringLiteral("1.5")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("imported ") && run.out.contains("saved "), run.out.constData());

        const QStringList user{QStringLiteral("--user"), QStringLiteral("7")};
        const QList<qint64> original = topIds(implicit_, user);
        QCOMPARE(original.size(), 10);
        QCOMPARE(topIds(imported, user), original);
        const QStringList persona{QStringLiteral("--persona-file"), persona_};
        const QList<qint64> folded = topIds(implicit_, persona);
        QCOMPARE(folded.size(), 10);
        QCOMPARE(topIds(imported, persona), folded);
    }

    // Compare tests a model on a split's test part: imported factors qualify only when the
    // import says which split's training part they were fitted on.
    void compareNeedsTheSplit() {
        const QString exported = path(QStringLiteral("for-compare.npz"));
        auto run = runLensAtlas({QStringLiteral("export"), release_, QStringLiteral("--model"),
                                 implicit_, QStringLiteral("--format"), QStringLiteral("npz"),
                                 QStringLiteral("--out"), exported});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString unknown = path(QStringLiteral("unknown-split.model"));
        const QString known = path(QStringLiteral("known-split.model"));
        for (const auto& [file, split] :
             {std::pair{unknown, QStringList{}},
              std::pair{known, QStringList{QStringLiteral("--split"), QStringLiteral("loo")}}}) {
            run = runLensAtlas(QStringList{QStringLiteral("import"), release_,
                                           QStringLiteral("--from"), QStringLiteral("implicit-npz"),
                                           exported, QStringLiteral("--save"), file} +
                               split);
            QVERIFY2(run.exitCode == 0, run.err.constData());
        }
        run = runLensAtlas({QStringLiteral("compare"), release_, QStringLiteral("--runs"),
                            implicit_ + QLatin1Char(',') + unknown, QStringLiteral("--bootstrap"),
                            QStringLiteral("50")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("unknown split"), run.err.constData());
        run = runLensAtlas({QStringLiteral("compare"), release_, QStringLiteral("--runs"),
                            implicit_ + QLatin1Char(',') + known, QStringLiteral("--bootstrap"),
                            QStringLiteral("50"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray models = QJsonDocument::fromJson(run.out).object()["models"].toArray();
        QCOMPARE(models.size(), 2);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no --from")
            << QStringList{QStringLiteral("--save"), QStringLiteral("x")} << "missing --from";
        QTest::newRow("unknown format")
            << QStringList{QStringLiteral("--from"), QStringLiteral("parquet"), QStringLiteral("d"),
                           QStringLiteral("--save"), QStringLiteral("x")}
            << "unknown format 'parquet'";
        QTest::newRow("no --save")
            << QStringList{QStringLiteral("--from"), QStringLiteral("csv"), QStringLiteral("d")}
            << "missing --save";
        QTest::newRow("--from without path")
            << QStringList{QStringLiteral("--from"), QStringLiteral("csv")} << "--from needs";
        QTest::newRow("bad feedback")
            << QStringList{QStringLiteral("--from"), QStringLiteral("csv"),
                           QStringLiteral("d"),      QStringLiteral("--save"),
                           QStringLiteral("x"),      QStringLiteral("--feedback"),
                           QStringLiteral("maybe")}
            << "bad --feedback";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto run = runLensAtlas(QStringList{QStringLiteral("import"), release_} + args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    }

    void badFactorsWriteNothing() {
        const QString folder = path(QStringLiteral("bad-csv"));
        QVERIFY(QDir().mkpath(folder));
        lens::test::writeFile(folder + "/user_factors.csv", "id,f1\n1,0.5\n123456789,1\n");
        lens::test::writeFile(folder + "/item_factors.csv", "id,f1\n1,0.5\n");
        const QString save = path(QStringLiteral("never.model"));
        const auto run =
            runLensAtlas({QStringLiteral("import"), release_, QStringLiteral("--from"),
                          QStringLiteral("csv"), folder, QStringLiteral("--save"), save});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("user_factors.csv:3: user id 123456789 is not in the dataset"),
                 run.err.constData());
        QVERIFY(!QFile::exists(save));
    }
};

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cli_import.moc"
