#pragma once
// Downloads a MovieLens release zip from GroupLens (or a mirror) and verifies it before it is
// ever visible under its final name.
//
// Protocol of one job (start(name, folder) -> finished(zipPath) | failed(message) | cancelled()):
//  1. Checksum: where GroupLens publishes `<name>.zip.md5` beside the zip (the catalogue says so)
//     it is fetched first; both the BSD form "MD5 (x.zip) = <hex>" and the GNU form
//     "<hex>  x.zip" are read (the first run of 32 hex digits). A release that publishes one is
//     never accepted without it.
//  2. Body: the zip is written to `<final>.part`. When a part file already exists (an earlier
//     attempt was cut or cancelled) the request carries `Range: bytes=<size>-`; a 206 answer whose
//     Content-Range starts there is appended, a 200 answer (server ignores ranges) truncates the
//     part file and starts clean, a 416 answer (part file larger than the zip) deletes it and
//     starts clean. A dropped connection, a stall longer than the transfer timeout or a short
//     body is retried by resuming, up to maxAttempts transfers in all.
//  3. Verification: MD5 of the whole part file (QCryptographicHash, off the GUI thread). On a
//     match the part file is renamed over the final name (one atomic rename: a reader sees the
//     old zip or the new one, never a half-written one). On a mismatch the part file is deleted;
//     if the body was resumed, the job retries once from byte 0 (the part may stem from an older
//     version of the zip: ml-latest-small changes over time), otherwise it fails naming both
//     digests.
//  An existing final zip that matches the published checksum is returned without downloading.
//  Cancel keeps the part file, so a later start() of the same release resumes from it.
//
// Progress is reported in bytes of the whole zip (an appended resume counts the part already on
// disk). Errors name the URL, the HTTP status and reason, or Qt's network error text.
#include <QByteArray>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace lens::ui {

// One release GroupLens publishes at <base>/<name>.zip.
struct MovieLensRelease {
    QString name;             // "ml-latest-small"
    QString summary;          // one line for lists: ratings, users, movies
    qint64 approximateBytes;  // size of the zip, shown before downloading
    bool publishesMd5;        // GroupLens publishes <name>.zip.md5 beside the zip
};

class DatasetDownloader : public QObject {
    Q_OBJECT
public:
    enum class Stage { Idle, FetchingChecksum, Downloading, Verifying, Done, Failed, Cancelled };
    Q_ENUM(Stage)

    // The releases this downloader knows, smallest first.
    static const std::vector<MovieLensRelease>& catalogue();
    static const MovieLensRelease* findRelease(const QString& name);
    static QStringList releaseNames();
    // GroupLens' public folder, or $LENS_ATLAS_DOWNLOAD_BASE when set (tests, mirrors).
    static QUrl defaultBaseUrl();
    // The lower-case MD5 hex digest in the text of a .md5 file, or an empty string.
    static QString parseMd5File(const QByteArray& text);
    // "4.7 MB"
    static QString formatBytes(qint64 bytes);

    explicit DatasetDownloader(QObject* parent = nullptr);
    ~DatasetDownloader() override;

    void setBaseUrl(const QUrl& base);
    QUrl baseUrl() const { return baseUrl_; }
    // A transfer with no data for this long is aborted (and retried while attempts remain).
    void setTransferTimeout(std::chrono::milliseconds timeout) { transferTimeout_ = timeout; }
    std::chrono::milliseconds transferTimeout() const { return transferTimeout_; }
    // Body transfers per job, the first included; at least 1.
    void setMaxAttempts(int attempts) { maxAttempts_ = attempts < 1 ? 1 : attempts; }
    int maxAttempts() const { return maxAttempts_; }
    // Pause before a resumed transfer.
    void setRetryDelay(std::chrono::milliseconds delay) { retryDelay_ = delay; }

    // Starts a job. Returns false without starting (errorString() says why) when the name is
    // unknown, a job is running or the folder cannot be created.
    bool start(const QString& releaseName, const QString& folder);
    bool isRunning() const;
    Stage stage() const { return stage_; }
    QString errorString() const { return error_; }
    QString finalPath() const { return finalPath_; }  // <folder>/<name>.zip of the current job
    QString partPath() const { return finalPath_.isEmpty() ? QString() : finalPath_ + ".part"; }
    QUrl zipUrl() const;
    // Transfers made by the current job, and how many of them resumed with a Range request.
    int transfersStarted() const { return transfers_; }
    int resumedTransfers() const { return resumedTransfers_; }

public slots:
    void cancel();

signals:
    void stageChanged(lens::ui::DatasetDownloader::Stage stage, const QString& text);
    void progress(qint64 bytesReceived, qint64 bytesTotal);  // total -1 when unknown
    void finished(const QString& zipPath);
    void failed(const QString& message);
    void cancelled();

private:
    void setStage(Stage stage, const QString& text);
    void fetchChecksum();
    void onChecksumFinished();
    void startTransfer();
    void onTransferMetaData();
    void onTransferReadyRead();
    void onTransferFinished();
    bool acceptTransferResponse();
    void retryOrFail(const QString& reason);
    void verifyPartFile();
    void verifyExistingFinal();
    void onPartVerified(const QString& actualMd5);
    void fail(const QString& message);
    void dropReply();
    QString httpError(QNetworkReply* reply) const;
    bool isTimeout(QNetworkReply* reply) const;

    QNetworkAccessManager* network_;
    QPointer<QNetworkReply> reply_;
    QFile part_;

    QUrl baseUrl_;
    std::chrono::milliseconds transferTimeout_{30000};
    std::chrono::milliseconds retryDelay_{500};
    int maxAttempts_ = 4;

    Stage stage_ = Stage::Idle;
    const MovieLensRelease* release_ = nullptr;
    QString finalPath_;
    QString expectedMd5_;
    QString error_;
    qint64 resumeOffset_ = 0;  // bytes already in the part file when the transfer started
    qint64 receivedThisTransfer_ = 0;
    qint64 expectedTotal_ = -1;  // size of the whole zip when the server said so
    bool responseAccepted_ = false;
    bool responseRejected_ = false;  // an error status: its body is not written
    bool cancelRequested_ = false;
    bool retriedClean_ = false;  // after a checksum mismatch of a resumed body
    bool jobResumed_ = false;    // some transfer of this job appended to an existing part
    int transfers_ = 0;
    int resumedTransfers_ = 0;
    quint64 jobId_ = 0;  // results of hashing for an older job are dropped
};

}  // namespace lens::ui
