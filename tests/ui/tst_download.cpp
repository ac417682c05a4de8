// DatasetDownloader and DownloadDialog end to end against a real HTTP/1.1 server on 127.0.0.1
// (HttpTestServer) serving a MovieLens-shaped zip built here and its published .md5: success,
// corrupted body, server errors, a connection cut midway (resumed with Range), a server that
// ignores Range, stale or oversized part files, a stall (timeout and Cancel), and the dialog.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "download/DatasetDownloader.h"
#include "download/DownloadDialog.h"
#include "io/DatasetLoader.h"
#include "ui/HttpTestServer.h"
#include "ui/TinyReleaseZip.h"

using lens::test::HttpTestServer;
using lens::ui::DatasetDownloader;
using lens::ui::DownloadDialog;
using Fault = HttpTestServer::Fault;
using namespace std::chrono_literals;

namespace {
constexpr char kRelease[] = "ml-latest-small";
constexpr int kTimeoutMs = 15000;  // every wait is bounded; a loopback download takes milliseconds
}  // namespace

class TestDownload : public QObject {
    Q_OBJECT

private:
    QTemporaryDir fixtureDir_;
    QByteArray zip_;
    QByteArray md5_;
    std::unique_ptr<HttpTestServer> server_;
    std::unique_ptr<QTemporaryDir> target_;

    QString finalPath() const { return target_->filePath(QString(kRelease) + ".zip"); }
    QString partPath() const { return finalPath() + ".part"; }

    // A downloader aimed at the loopback server with short pauses.
    std::unique_ptr<DatasetDownloader> makeDownloader() {
        auto d = std::make_unique<DatasetDownloader>();
        d->setBaseUrl(server_->baseUrl());
        d->setRetryDelay(20ms);
        d->setTransferTimeout(10s);
        return d;
    }

    static QByteArray readFile(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void writeFile(const QString& path, const QByteArray& bytes) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    QList<QByteArray> zipRanges() const {
        QList<QByteArray> ranges;
        for (const auto& r : server_->requests())
            if (r.path == "/" + QByteArray(kRelease) + ".zip") ranges << r.range;
        return ranges;
    }

    void verifyDownloadedZip(const QString& path) {
        QCOMPARE(path, finalPath());
        QVERIFY(QFileInfo::exists(finalPath()));
        QVERIFY2(!QFileInfo::exists(partPath()), "the part file must be renamed away");
        QCOMPARE(lens::test::md5Hex(readFile(finalPath())), md5_);
        const lens::Dataset ds = lens::loadDataset(QFile::encodeName(finalPath()).toStdString());
        const lens::test::TinyRelease tiny;
        QCOMPARE(ds.ratingCount(), std::size_t(tiny.ratingCount()));
        QCOMPARE(ds.userCount(), std::size_t(tiny.users));
        QCOMPARE(ds.movieCount(), std::size_t(tiny.movies));
    }

    // Starts `d` on kRelease into target_, waits until it finishes or fails and checks that it
    // finished with the verified zip. A caller returns when QTest::currentTestFailed().
    void downloadSucceeds(DatasetDownloader& d) {
        QSignalSpy finished(&d, &DatasetDownloader::finished);
        QSignalSpy failed(&d, &DatasetDownloader::failed);
        QVERIFY(d.start(kRelease, target_->path()));
        QVERIFY(d.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, kTimeoutMs);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        verifyDownloadedZip(finished.first().first().toString());
    }

    // Starts `d` on kRelease into target_, waits until it ends and checks that it failed;
    // `message` gets the failure text. A caller returns when QTest::currentTestFailed().
    void downloadFails(DatasetDownloader& d, QString& message) {
        QSignalSpy finished(&d, &DatasetDownloader::finished);
        QSignalSpy failed(&d, &DatasetDownloader::failed);
        QVERIFY(d.start(kRelease, target_->path()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, kTimeoutMs);
        QCOMPARE(failed.count(), 1);
        message = failed.first().first().toString();
    }

private slots:
    void initTestCase() {
        QVERIFY(fixtureDir_.isValid());
        zip_ = lens::test::writeTinyReleaseZip(fixtureDir_.filePath("fixture.zip"), kRelease);
        QVERIFY(zip_.size() > 20000);
        md5_ = lens::test::md5Hex(zip_);
    }

    void init() {
        server_ = std::make_unique<HttpTestServer>();
        QVERIFY2(server_->isListening(), qPrintable(server_->errorString()));
        server_->setFile("/" + QByteArray(kRelease) + ".zip", zip_);
        // GroupLens' own form: "MD5 (ml-latest-small.zip) = <hex>".
        server_->setFile("/" + QByteArray(kRelease) + ".zip.md5",
                         "MD5 (" + QByteArray(kRelease) + ".zip) = " + md5_ + "\n");
        target_ = std::make_unique<QTemporaryDir>();
        QVERIFY(target_->isValid());
    }

    void cleanup() {
        server_.reset();
        target_.reset();
    }

    void catalogue() {
        const QStringList expected{"ml-latest-small", "ml-100k", "ml-1m", "ml-10m",
                                   "ml-20m",          "ml-25m",  "ml-32m"};
        QCOMPARE(DatasetDownloader::releaseNames(), expected);
        for (const auto& r : DatasetDownloader::catalogue()) {
            QVERIFY(r.approximateBytes > 500'000);
            QVERIFY(!r.summary.isEmpty());
            QVERIFY(r.publishesMd5);
        }
        QVERIFY(DatasetDownloader::findRelease("ml-100k"));
        QVERIFY(!DatasetDownloader::findRelease("ml-5m"));
    }

    void defaultBaseUrl() {
        qunsetenv("LENS_ATLAS_DOWNLOAD_BASE");
        QCOMPARE(DatasetDownloader::defaultBaseUrl().toString(),
                 QString("https://files.grouplens.org/datasets/movielens/"));
        qputenv("LENS_ATLAS_DOWNLOAD_BASE", "http://127.0.0.1:9/mirror");
        QCOMPARE(DatasetDownloader::defaultBaseUrl().toString(),
                 QString("http://127.0.0.1:9/mirror"));
        DatasetDownloader d;
        QCOMPARE(d.baseUrl().toString(), QString("http://127.0.0.1:9/mirror"));
        qunsetenv("LENS_ATLAS_DOWNLOAD_BASE");
    }

    void parseMd5File_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("digest");
        QTest::newRow("bsd") << QByteArray("MD5 (ml-25m.zip) = 6b51fb2759a8657d3bfcbfc42b592ada\n")
                             << "6b51fb2759a8657d3bfcbfc42b592ada";
        QTest::newRow("gnu") << QByteArray("6b51fb2759a8657d3bfcbfc42b592ada  ml-25m.zip\n")
                             << "6b51fb2759a8657d3bfcbfc42b592ada";
        QTest::newRow("upper-case")
            << QByteArray("6B51FB2759A8657D3BFCBFC42B592ADA") << "6b51fb2759a8657d3bfcbfc42b592ada";
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("html") << QByteArray("<html>404 Not Found</html>") << QString();
        QTest::newRow("too-long") << QByteArray("6b51fb2759a8657d3bfcbfc42b592ada0") << QString();
        QTest::newRow("too-short") << QByteArray("6b51fb2759a8657d3bfcbfc42b592ad") << QString();
    }
    void parseMd5File() {
        QFETCH(QByteArray, text);
        QFETCH(QString, digest);
        QCOMPARE(DatasetDownloader::parseMd5File(text), digest);
    }

    void unknownReleaseIsRefused() {
        auto d = makeDownloader();
        QVERIFY(!d->start("ml-5m", target_->path()));
        QVERIFY(d->errorString().contains("ml-5m"));
        QVERIFY(d->errorString().contains("ml-latest-small"));
        QVERIFY(!d->isRunning());
        QVERIFY(server_->requests().isEmpty());
    }

    void success_data() {
        QTest::addColumn<QByteArray>("md5File");
        QTest::newRow("bsd-md5") << QByteArray();  // init()'s "MD5 (x) = hex"
        QTest::newRow("gnu-md5") << QByteArray("gnu");
    }
    void success() {
        QFETCH(QByteArray, md5File);
        if (!md5File.isEmpty())
            server_->setFile("/ml-latest-small.zip.md5", md5_ + "  ml-latest-small.zip\n");
        auto d = makeDownloader();
        QSignalSpy progress(d.get(), &DatasetDownloader::progress);
        downloadSucceeds(*d);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(d->stage(), DatasetDownloader::Stage::Done);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(zip_.size()));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(zip_.size()));
        // The checksum first, then one plain request for the zip.
        QCOMPARE(server_->requests().size(), 2);
        QCOMPARE(server_->requests().at(0).path, QByteArray("/ml-latest-small.zip.md5"));
        QCOMPARE(zipRanges(), QList<QByteArray>{QByteArray()});
        QCOMPARE(d->resumedTransfers(), 0);
    }

    void corruptedBodyFailsChecksum() {
        server_->setFault(Fault::CorruptBody);
        auto d = makeDownloader();
        QString message;
        downloadFails(*d, message);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(message.contains("checksum"), qPrintable(message));
        QVERIFY2(message.contains(QString::fromLatin1(md5_)), qPrintable(message));
        QVERIFY(!QFileInfo::exists(finalPath()));
        QVERIFY2(!QFileInfo::exists(partPath()), "a corrupted download must be deleted");
        QCOMPARE(d->stage(), DatasetDownloader::Stage::Failed);
        QCOMPARE(zipRanges().size(), 1);  // a fresh download that fails is not retried
    }

    void serverErrorOnZip() {
        server_->setFault(Fault::ServerError);
        auto d = makeDownloader();
        QString message;
        downloadFails(*d, message);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(message.contains("HTTP 500") && message.contains("Internal Server Error"),
                 qPrintable(message));
        QVERIFY2(message.contains("ml-latest-small.zip"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(finalPath()));
        QVERIFY(!QFileInfo::exists(partPath()));
        QCOMPARE(zipRanges().size(), 1);  // a server error is reported, not hammered
    }

    void serverErrorOnChecksum() {
        server_->setFaultSuffix(".md5");
        server_->setFault(Fault::ServerError);
        auto d = makeDownloader();
        QString message;
        downloadFails(*d, message);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(message.contains("checksum") && message.contains("HTTP 500"), qPrintable(message));
        QVERIFY(zipRanges().isEmpty());  // nothing is downloaded that cannot be verified
        QVERIFY(!QFileInfo::exists(finalPath()));
    }

    void missingChecksumFile() {
        server_->setFile("/ml-latest-small.zip.md5", "<html>this is not a digest</html>");
        auto d = makeDownloader();
        QString message;
        downloadFails(*d, message);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(message.contains("no MD5"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(finalPath()));
    }

    void connectionCutThenAutomaticResume() {
        const qint64 cut = zip_.size() / 2;
        server_->setFault(Fault::CutAfter, cut, 1);
        auto d = makeDownloader();
        downloadSucceeds(*d);
        if (QTest::currentTestFailed()) return;
        const QList<QByteArray> expected{QByteArray(), "bytes=" + QByteArray::number(cut) + "-"};
        QCOMPARE(zipRanges(), expected);
        QCOMPARE(d->transfersStarted(), 2);
        QCOMPARE(d->resumedTransfers(), 1);
    }

    void connectionCutKeepsPartThenLaterStartResumes() {
        const qint64 cut = zip_.size() / 3;
        server_->setFault(Fault::CutAfter, cut, 1);
        auto d = makeDownloader();
        d->setMaxAttempts(1);
        QSignalSpy finished(d.get(), &DatasetDownloader::finished);
        QSignalSpy failed(d.get(), &DatasetDownloader::failed);
        QVERIFY(d->start(kRelease, target_->path()));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains("kept") && message.contains(".part"), qPrintable(message));
        QVERIFY2(!QFileInfo::exists(finalPath()), "never a half-written zip under the final name");
        QCOMPARE(QFileInfo(partPath()).size(), cut);
        QCOMPARE(readFile(partPath()), zip_.left(cut));

        // A later download of the same release resumes from the part file.
        QVERIFY(d->start(kRelease, target_->path()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        verifyDownloadedZip(finished.first().first().toString());
        QCOMPARE(zipRanges().last(), "bytes=" + QByteArray::number(cut) + "-");
        QCOMPARE(d->resumedTransfers(), 1);
    }

    void serverIgnoringRangeRestartsClean() {
        writeFile(partPath(), zip_.left(zip_.size() / 2));
        server_->setFault(Fault::IgnoreRange);
        auto d = makeDownloader();
        downloadSucceeds(*d);  // the zip verified: not the half appended to twice
        if (QTest::currentTestFailed()) return;
        QCOMPARE(zipRanges().size(), 1);
        QVERIFY(zipRanges().first().startsWith("bytes="));  // it asked, got 200, truncated
    }

    void stalePartFileIsReplacedAfterMismatch() {
        // A part file from another version of the zip: resuming yields a wrong checksum, then one
        // clean download succeeds.
        writeFile(partPath(), QByteArray(int(zip_.size() / 2), 'x'));
        auto d = makeDownloader();
        downloadSucceeds(*d);
        if (QTest::currentTestFailed()) return;
        const QList<QByteArray> expected{"bytes=" + QByteArray::number(zip_.size() / 2) + "-",
                                         QByteArray()};
        QCOMPARE(zipRanges(), expected);
    }

    void oversizedPartFileRestartsClean() {
        writeFile(partPath(), zip_ + QByteArray(100, 'y'));  // 416 Range Not Satisfiable
        auto d = makeDownloader();
        downloadSucceeds(*d);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(zipRanges().size(), 2);
        QCOMPARE(zipRanges().at(1), QByteArray());
    }

    void existingVerifiedZipIsNotDownloadedAgain() {
        writeFile(finalPath(), zip_);
        auto d = makeDownloader();
        QSignalSpy finished(d.get(), &DatasetDownloader::finished);
        QVERIFY(d->start(kRelease, target_->path()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(finished.first().first().toString(), finalPath());
        QVERIFY(zipRanges().isEmpty());
    }

    void existingCorruptZipIsReplaced() {
        QByteArray broken = zip_;
        broken[100] = char(broken[100] ^ 0x01);
        writeFile(finalPath(), broken);
        auto d = makeDownloader();
        QSignalSpy finished(d.get(), &DatasetDownloader::finished);
        QVERIFY(d->start(kRelease, target_->path()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        verifyDownloadedZip(finished.first().first().toString());
        QCOMPARE(zipRanges().size(), 1);
    }

    void cancelDuringStall() {
        const qint64 sent = zip_.size() / 4;
        server_->setFault(Fault::Stall, sent);
        auto d = makeDownloader();
        QSignalSpy progress(d.get(), &DatasetDownloader::progress);
        QSignalSpy cancelled(d.get(), &DatasetDownloader::cancelled);
        QSignalSpy finished(d.get(), &DatasetDownloader::finished);
        QSignalSpy failed(d.get(), &DatasetDownloader::failed);
        QVERIFY(d->start(kRelease, target_->path()));
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toLongLong() == sent,
                                 kTimeoutMs);
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(zip_.size()));
        QVERIFY(d->isRunning());
        d->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
        QVERIFY(!d->isRunning());
        QCOMPARE(d->stage(), DatasetDownloader::Stage::Cancelled);
        QVERIFY(finished.isEmpty());
        QVERIFY(failed.isEmpty());
        QVERIFY2(!QFileInfo::exists(finalPath()), "a cancelled download leaves no final zip");
        QCOMPARE(readFile(partPath()), zip_.left(sent));  // kept for a later resume
    }

    void stallTimesOut() {
        server_->setFault(Fault::Stall, 1000);
        auto d = makeDownloader();
        d->setTransferTimeout(300ms);
        d->setMaxAttempts(2);
        QSignalSpy failed(d.get(), &DatasetDownloader::failed);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(d->start(kRelease, target_->path()));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains("no data for 0.3 s") && message.contains("2 attempts"),
                 qPrintable(message));
        QVERIFY(clock.elapsed() >= 600);  // two transfers, each waited out
        QCOMPARE(zipRanges().size(), 2);
        QCOMPARE(zipRanges().at(1), QByteArray("bytes=1000-"));  // the retry resumed
        QVERIFY(!QFileInfo::exists(finalPath()));
    }

    void dialogDownloadsAndEmitsPath() {
        QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty());
        DownloadDialog dialog;
        dialog.downloader()->setBaseUrl(server_->baseUrl());
        dialog.setFolder(target_->path());
        dialog.setRelease(kRelease);
        QCOMPARE(dialog.release(), QString(kRelease));
        dialog.show();
        QSignalSpy downloaded(&dialog, &DownloadDialog::datasetDownloaded);
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(downloaded.count(), 1, kTimeoutMs);
        verifyDownloadedZip(downloaded.first().first().toString());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.downloadedPath(), finalPath());
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
    }

    void dialogCancelStopsDownloadAndStaysOpen() {
        server_->setFault(Fault::Stall, zip_.size() / 4);
        DownloadDialog dialog;
        dialog.downloader()->setBaseUrl(server_->baseUrl());
        dialog.setFolder(target_->path());
        dialog.show();
        QSignalSpy downloaded(&dialog, &DownloadDialog::datasetDownloaded);
        QSignalSpy progress(dialog.downloader(), &DatasetDownloader::progress);
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QVERIFY(!dialog.downloadButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(
            !progress.isEmpty() && progress.last().at(0).toLongLong() == zip_.size() / 4,
            kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, kTimeoutMs);
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.downloader()->isRunning(), kTimeoutMs);
        QVERIFY(dialog.isVisible());  // the first Cancel stops the download, not the dialog
        QVERIFY2(dialog.statusText().contains("cancelled"), qPrintable(dialog.statusText()));
        QVERIFY(dialog.downloadButton()->isEnabled());
        QVERIFY(downloaded.isEmpty());
        QVERIFY(!QFileInfo::exists(finalPath()));
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);  // now it closes
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.isVisible());
    }

    void dialogRendersReleaseList() {
        QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty());
        DownloadDialog dialog;
        dialog.setRelease("ml-25m");
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QImage shot = dialog.grab().toImage();
        QVERIFY(shot.width() > 300 && shot.height() > 150);
        // Text was drawn: many pixels differ from the background colour.
        const QRgb background = shot.pixel(2, 2);
        int differing = 0;
        for (int y = 0; y < shot.height(); y += 2)
            for (int x = 0; x < shot.width(); x += 2) differing += shot.pixel(x, y) != background;
        QVERIFY2(differing > 500, qPrintable(QString::number(differing)));
        QCOMPARE(dialog.release(), QString("ml-25m"));
        QVERIFY2(dialog.findChildren<QLabel*>().size() >= 2, "details and status labels");
        if (!qEnvironmentVariableIsEmpty("LENS_ATLAS_TEST_SHOTS"))
            shot.save(QDir(qEnvironmentVariable("LENS_ATLAS_TEST_SHOTS"))
                          .filePath("download-dialog.png"));
    }

    void dialogShowsFailure() {
        server_->setFault(Fault::CorruptBody);
        DownloadDialog dialog;
        dialog.downloader()->setBaseUrl(server_->baseUrl());
        dialog.setFolder(target_->path());
        dialog.show();
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains("failed"), kTimeoutMs);
        QVERIFY2(dialog.statusText().contains("checksum mismatch"),
                 qPrintable(dialog.statusText()));
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.downloadButton()->isEnabled());
    }
};

QTEST_MAIN(TestDownload)
#include "tst_download.moc"
