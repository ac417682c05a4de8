// `lens-atlas download NAME --to DIR` run as a process against the loopback HTTP server (via
// LENS_ATLAS_DOWNLOAD_BASE or --base): exit codes 0 / 1 / 2, stdout names the zip, stderr
// carries progress and clear messages.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "io/DatasetLoader.h"
#include "ui/HttpTestServer.h"
#include "ui/TinyReleaseZip.h"

using lens::test::HttpTestServer;
using Fault = HttpTestServer::Fault;

namespace {

struct DownloadRun {
    int exitCode = -1;
    QString out;
    QString err;
};

constexpr int kTimeoutMs = 30000;

}  // namespace

class TestCliDownload : public QObject {
    Q_OBJECT

private:
    QTemporaryDir fixtureDir_;
    QByteArray zip_;
    std::unique_ptr<HttpTestServer> server_;
    std::unique_ptr<QTemporaryDir> target_;

    // Runs lens-atlas while this thread's event loop keeps serving HTTP (no blocking wait).
    DownloadRun runExe(const QStringList& args, const QString& base) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (base.isEmpty())
            env.remove("LENS_ATLAS_DOWNLOAD_BASE");
        else
            env.insert("LENS_ATLAS_DOWNLOAD_BASE", base);
        process.setProcessEnvironment(env);
        QSignalSpy done(&process, &QProcess::finished);
        process.start(QStringLiteral(LENS_ATLAS_EXE), args);
        DownloadRun run;
        if (!process.waitForStarted(kTimeoutMs)) return run;
        QElapsedTimer clock;
        clock.start();
        while (done.isEmpty() && clock.elapsed() < kTimeoutMs) QTest::qWait(20);
        if (done.isEmpty()) {
            process.kill();
            process.waitForFinished(5000);
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        run.out = QString::fromLocal8Bit(process.readAllStandardOutput());
        run.err = QString::fromLocal8Bit(process.readAllStandardError());
        return run;
    }
    QString finalPath() const { return target_->filePath("ml-latest-small.zip"); }

private slots:
    void initTestCase() {
        QVERIFY(QFileInfo::exists(LENS_ATLAS_EXE));
        QVERIFY(fixtureDir_.isValid());
        zip_ =
            lens::test::writeTinyReleaseZip(fixtureDir_.filePath("fixture.zip"), "ml-latest-small");
        QVERIFY(!zip_.isEmpty());
    }

    void init() {
        server_ = std::make_unique<HttpTestServer>();
        QVERIFY(server_->isListening());
        server_->setFile("/ml-latest-small.zip", zip_);
        server_->setFile("/ml-latest-small.zip.md5",
                         lens::test::md5Hex(zip_) + "  ml-latest-small.zip\n");
        target_ = std::make_unique<QTemporaryDir>();
        QVERIFY(target_->isValid());
    }

    void cleanup() {
        server_.reset();
        target_.reset();
    }

    void helpListsDownload() {
        const DownloadRun run = runExe({"--help"}, {});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("download NAME --to DIR"), qPrintable(run.out));
    }

    void successPrintsZipPath() {
        const DownloadRun run = runExe({"download", "ml-latest-small", "--to", target_->path()},
                                       server_->baseUrl().toString());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.trimmed(), finalPath());
        QVERIFY2(run.err.contains("verified"), qPrintable(run.err));
        QVERIFY2(run.err.contains("100 %"), qPrintable(run.err));  // progress on stderr
        QFile f(finalPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), zip_);
        QVERIFY(!QFileInfo::exists(finalPath() + ".part"));
        const lens::Dataset ds = lens::loadDataset(QFile::encodeName(finalPath()).toStdString());
        QCOMPARE(ds.ratingCount(), std::size_t(lens::test::TinyRelease{}.ratingCount()));
    }

    void baseOptionOverridesEnvironment() {
        // The environment points at a closed port; --base at the server.
        const DownloadRun run = runExe({"download", "ml-latest-small", "--to", target_->path(),
                                        "--base", server_->baseUrl().toString()},
                                       "http://127.0.0.1:9/");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(QFileInfo::exists(finalPath()));
    }

    void unknownNameIsUsageError() {
        const DownloadRun run =
            runExe({"download", "ml-5m", "--to", target_->path()}, server_->baseUrl().toString());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("unknown release 'ml-5m'"), qPrintable(run.err));
        for (const char* name :
             {"ml-latest-small", "ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-32m"})
            QVERIFY2(run.err.contains(name), name);
        QVERIFY(server_->requests().isEmpty());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no-name") << QStringList{"download"} << "missing release NAME";
        QTest::newRow("no-to") << QStringList{"download", "ml-100k"} << "missing --to DIR";
        QTest::newRow("to-without-value")
            << QStringList{"download", "ml-100k", "--to"} << "--to needs a value";
        QTest::newRow("unknown-option")
            << QStringList{"download", "ml-100k", "--fast"} << "unknown option '--fast'";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const DownloadRun run = runExe(args, server_->baseUrl().toString());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void checksumMismatchExitsOne() {
        server_->setFault(Fault::CorruptBody);
        const DownloadRun run = runExe({"download", "ml-latest-small", "--to", target_->path()},
                                       server_->baseUrl().toString());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("checksum mismatch"), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFileInfo::exists(finalPath()));
        QVERIFY(!QFileInfo::exists(finalPath() + ".part"));
    }

    void serverErrorExitsOne() {
        server_->setFault(Fault::ServerError);
        const DownloadRun run = runExe({"download", "ml-latest-small", "--to", target_->path()},
                                       server_->baseUrl().toString());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("HTTP 500"), qPrintable(run.err));
        QVERIFY(!QFileInfo::exists(finalPath()));
    }

    void connectionCutIsResumed() {
        server_->setFault(Fault::CutAfter, zip_.size() / 2, 1);
        const DownloadRun run = runExe({"download", "ml-latest-small", "--to", target_->path()},
                                       server_->baseUrl().toString());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains("resuming"), qPrintable(run.err));
        QCOMPARE(server_->requests().last().range,
                 "bytes=" + QByteArray::number(zip_.size() / 2) + "-");
    }
};

QTEST_MAIN(TestCliDownload)
#include "tst_cli_download.moc"
