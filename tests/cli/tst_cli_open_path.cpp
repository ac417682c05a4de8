// `lens-atlas PATH`: a release folder or .zip as the only argument opens the window on it (what
// a file manager does through the .desktop entry's %f). The window runs for real on the offscreen
// platform; LENS_ATLAS_QUIT_AFTER_LOAD=1 makes it leave once the first dataset is in, printing
// its name, so the test waits for the process, not for a time.
#include <QDir>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"
#include "ui/TinyReleaseZip.h"

using lens::test::runLensAtlas;

namespace {

// The offscreen platform, settings and data folders inside `home` (no trace of a real user).
QProcessEnvironment windowEnvironment(const QString& home) {
    QProcessEnvironment env = lens::test::passiveOpenMpEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("HOME", home);
    env.insert("XDG_CONFIG_HOME", home + "/config");
    env.insert("XDG_DATA_HOME", home + "/data");
    env.insert("XDG_RUNTIME_DIR", home);
    env.insert("LENS_ATLAS_QUIT_AFTER_LOAD", "1");
    return env;
}

}  // namespace

class TestCliOpenPath : public QObject {
    Q_OBJECT

private slots:
    void opensAZip() {
        QTemporaryDir dir;
        const QString zip = dir.filePath("ml-tiny.zip");
        QVERIFY(!lens::test::writeTinyReleaseZip(zip, "ml-tiny").isEmpty());
        const auto run = runLensAtlas({zip}, 120'000, windowEnvironment(dir.path()));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("loaded ml-tiny"), run.out.constData());
    }

    void opensAFolder() {
        QTemporaryDir dir;
        const QString release = dir.filePath("my-release");
        QCOMPARE(runLensAtlas({"generate", "--out", release, "--ratings", "3000"}).exitCode, 0);
        const auto run = runLensAtlas({release}, 120'000, windowEnvironment(dir.path()));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("loaded "), run.out.constData());
    }

    void aBrokenReleaseSaysWhy() {
        QTemporaryDir dir;
        const QString release = dir.filePath("broken");
        QVERIFY(QDir().mkpath(release));
        lens::test::writeFile(release + "/ratings.csv",
                              "userId,movieId,rating,timestamp\n1,2,lots,3\n");
        lens::test::writeFile(release + "/movies.csv", "movieId,title,genres\n2,X (1999),Drama\n");
        const auto run = runLensAtlas({release}, 120'000, windowEnvironment(dir.path()));
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("ratings.csv:2"), run.err.constData());
    }

    void aMissingPathIsAUsageError() {
        const auto run = runLensAtlas({"/no/such/ml-25m.zip"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("neither a command nor a release folder, .zip or file"),
                 run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliOpenPath)
#include "tst_cli_open_path.moc"
