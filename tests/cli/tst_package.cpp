// The installable package: runs cpack (DEB and TGZ) from the build tree into a scratch folder,
// checks the .deb's file list and dependencies (shlibdeps plus the Qt platform plugins), unpacks
// it with `dpkg -x` into a scratch root and runs the installed lens-atlas from there
// (--version, `info` on a fixture zip), and validates the .desktop entry and the AppStream
// metainfo with the distribution's tools (skipped, saying so, where a tool is absent).
//
// The build folder is LENS_ATLAS_BUILD_DIR (compile definition or environment variable), else
// derived from LENS_ATLAS_EXE (<build>/app/lens-atlas).
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/TinyReleaseZip.h"

namespace {

struct ToolRun {
    int exitCode = -1;
    QString out;
    QString err;
};

ToolRun runTool(const QString& program, const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(program, args);
    ToolRun r;
    if (!p.waitForStarted(10000)) {
        r.err = QStringLiteral("cannot start %1: %2").arg(program, p.errorString());
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = QStringLiteral("%1 timed out").arg(program);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

QString buildDir() {
#ifdef LENS_ATLAS_BUILD_DIR
    return QStringLiteral(LENS_ATLAS_BUILD_DIR);
#else
    const QString fromEnv = qEnvironmentVariable("LENS_ATLAS_BUILD_DIR");
    if (!fromEnv.isEmpty()) return fromEnv;
    QDir dir = QFileInfo(QStringLiteral(LENS_ATLAS_EXE)).absoluteDir();  // <build>/app
    dir.cdUp();
    return dir.absolutePath();
#endif
}

}  // namespace

class TestPackage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir scratch_;
    QString deb_;
    QString tgz_;
    QString root_;  // the .deb unpacked
    QString version_ = QStringLiteral(LENS_ATLAS_VERSION);

    QString installed(const QString& relative) const { return QDir(root_).filePath(relative); }

private slots:
    void initTestCase() {
        for (const char* tool : {"cpack", "dpkg-deb", "dpkg"})
            if (QStandardPaths::findExecutable(tool).isEmpty())
                QSKIP(qPrintable(
                    QStringLiteral("%1 not installed: packaging cannot be tested here").arg(tool)));
        const QString build = buildDir();
        const QString config = QDir(build).filePath("CPackConfig.cmake");
        QVERIFY2(QFileInfo::exists(config), qPrintable("no CPackConfig.cmake in " + build));
        QVERIFY(scratch_.isValid());

        const QString out = scratch_.filePath("packages");
        const ToolRun cpack = runTool("cpack", {"-G", "DEB;TGZ", "--config", config, "-B", out});
        QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out + cpack.err));
        const QFileInfoList debs = QDir(out).entryInfoList({"*.deb"}, QDir::Files);
        const QFileInfoList tgzs = QDir(out).entryInfoList({"*.tar.gz"}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        QCOMPARE(tgzs.size(), 1);
        deb_ = debs.first().absoluteFilePath();
        tgz_ = tgzs.first().absoluteFilePath();
        const ToolRun arch = runTool("dpkg", {"--print-architecture"});
        QCOMPARE(debs.first().fileName(),
                 QStringLiteral("lens-atlas_%1_%2.deb").arg(version_, arch.out.trimmed()));

        root_ = scratch_.filePath("root");
        const ToolRun extract = runTool("dpkg", {"-x", deb_, root_});
        QVERIFY2(extract.exitCode == 0, qPrintable(extract.err));
    }

    void debHoldsProgramDesktopEntryIconsAndMetainfo() {
        const ToolRun list = runTool("dpkg-deb", {"-c", deb_});
        QCOMPARE(list.exitCode, 0);
        const QStringList expected{
            "./usr/bin/lens-atlas",
            "./usr/share/applications/lens-atlas.desktop",
            "./usr/share/metainfo/io.github.lensatlas.LensAtlas.metainfo.xml",
            "./usr/share/icons/hicolor/scalable/apps/lens-atlas.svg",
            "./usr/share/icons/hicolor/16x16/apps/lens-atlas.png",
            "./usr/share/icons/hicolor/48x48/apps/lens-atlas.png",
            "./usr/share/icons/hicolor/256x256/apps/lens-atlas.png",
        };
        for (const QString& path : expected)
            QVERIFY2(list.out.contains(path + '\n'), qPrintable(path + " missing"));
        QVERIFY2(list.out.contains(
                     QRegularExpression(R"(-rwxr-xr-x root/root .* \./usr/bin/lens-atlas\n)")),
                 "lens-atlas must be an executable owned by root");
        QVERIFY(QFileInfo(installed("usr/bin/lens-atlas")).isExecutable());
    }

    void debDependencies() {
        const ToolRun fields = runTool("dpkg-deb", {"-f", deb_, "Package", "Version",
                                                    "Architecture", "Depends", "Recommends"});
        QCOMPARE(fields.exitCode, 0);
        QVERIFY2(fields.out.contains("Package: lens-atlas\n"), qPrintable(fields.out));
        QVERIFY2(fields.out.contains("Version: " + version_ + "\n"), qPrintable(fields.out));
        const QString depends = fields.out.section("Depends: ", 1).section('\n', 0, 0);
        const QString recommends = fields.out.section("Recommends: ", 1).section('\n', 0, 0);
        // shlibdeps found the shared libraries (with versions); what Qt loads as plugins, the
        // fonts and the TLS certificate store are declared by hand.
        for (const char* dep :
             {"libc6 (>=", "libstdc++6 (>=", "libqt6core6 (>=", "libqt6widgets6 (>=",
              "libqt6network6 (>=", "qt6-qpa-plugins", "libqt6svg6", "fonts-dejavu-core"})
            QVERIFY2(depends.contains(QString::fromLatin1(dep)),
                     qPrintable(QString("Depends lacks ") + dep + "\n" + fields.out));
        QVERIFY2(recommends.contains("ca-certificates"), qPrintable(fields.out));
    }

    void installedProgramPrintsVersion() {
        const ToolRun run = runTool(installed("usr/bin/lens-atlas"), {"--version"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed().section('\n', 0, 0), "lens-atlas " + version_);
        QVERIFY2(run.out.contains("\nBLAS: "), qPrintable(run.out));  // util/BlasCore.h
    }

    void installedProgramReadsFixture() {
        const QString zip = scratch_.filePath("ml-latest-small.zip");
        QVERIFY(!lens::test::writeTinyReleaseZip(zip, "ml-latest-small").isEmpty());
        const ToolRun run = runTool(installed("usr/bin/lens-atlas"), {"info", zip, "--json"});
        if (run.exitCode == 2 && run.err.contains("unknown command"))
            QFAIL("the packaged lens-atlas has no `info` command");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonParseError error;
        const QJsonObject info = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError,
                 qPrintable(error.errorString() + "\n" + run.out));
        const lens::test::TinyRelease tiny;
        QCOMPARE(info.value("ratings").toInteger(), tiny.ratingCount());
        QCOMPARE(info.value("users").toInteger(), tiny.users);
        QCOMPARE(info.value("movies").toInteger(), tiny.movies);
    }

    void installedProgramRejectsBadData() {
        const QString zip = scratch_.filePath("broken.zip");
        lens::writeZipFile(QFile::encodeName(zip).toStdString(),
                           {{"ml-broken/ratings.csv",
                             "userId,movieId,rating,timestamp\n1,1,4.0,100\n1,2,oops,101\n"},
                            {"ml-broken/movies.csv",
                             "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Comedy\n"}});
        const ToolRun run = runTool(installed("usr/bin/lens-atlas"), {"info", zip});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("ratings.csv:3"), qPrintable(run.err));
    }

    void desktopEntryValidates() {
        const QString tool = QStandardPaths::findExecutable("desktop-file-validate");
        if (tool.isEmpty())
            QSKIP("desktop-file-validate not installed (Debian package desktop-file-utils)");
        const ToolRun run = runTool(tool, {installed("usr/share/applications/lens-atlas.desktop")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        // Hints are advice; errors and warnings are not accepted.
        QVERIFY2(!run.out.contains("error:") && !run.out.contains("warning:"), qPrintable(run.out));
    }

    void metainfoValidates() {
        const QString tool = QStandardPaths::findExecutable("appstreamcli");
        if (tool.isEmpty()) QSKIP("appstreamcli not installed (Debian package appstream)");
        const ToolRun file = runTool(
            tool, {"validate", "--no-net", "--pedantic",
                   installed("usr/share/metainfo/io.github.lensatlas.LensAtlas.metainfo.xml")});
        QVERIFY2(file.exitCode == 0, qPrintable(file.out + file.err));
        // The installed tree: metainfo, the desktop entry it launches and the icons together.
        const ToolRun tree = runTool(tool, {"validate-tree", "--no-net", root_});
        QVERIFY2(tree.exitCode == 0, qPrintable(tree.out + tree.err));
    }

    void tgzHoldsTheSameFiles() {
        const ToolRun list = runTool("tar", {"-tzf", tgz_});
        QCOMPARE(list.exitCode, 0);
        const QString top = QFileInfo(tgz_).fileName().chopped(int(strlen(".tar.gz")));
        for (const QString& path :
             {QString("bin/lens-atlas"), QString("share/applications/lens-atlas.desktop"),
              QString("share/metainfo/io.github.lensatlas.LensAtlas.metainfo.xml"),
              QString("share/icons/hicolor/scalable/apps/lens-atlas.svg")})
            QVERIFY2(list.out.contains(top + '/' + path + '\n'),
                     qPrintable(path + " missing from " + tgz_));
    }
};

QTEST_MAIN(TestPackage)
#include "tst_package.moc"
