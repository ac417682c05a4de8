#include "download/DatasetDownloader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <filesystem>
#include <system_error>

#include "JobTracker.h"

namespace lens::ui {

namespace {

constexpr char kGroupLensBase[] = "https://files.grouplens.org/datasets/movielens/";

// MD5 of a file read in 1 MiB blocks; empty when it cannot be read.
QString md5OfFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(QCryptographicHash::Md5);
    if (!hash.addData(&file)) return {};
    return QString::fromLatin1(hash.result().toHex());
}

// "bytes 100-999/1000" -> {100, 1000}; {-1, -1} when malformed. The total may be "*".
std::pair<qint64, qint64> parseContentRange(const QByteArray& header) {
    static const QRegularExpression re(QStringLiteral(R"(^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$)"));
    const auto m = re.match(QString::fromLatin1(header));
    if (!m.hasMatch()) return {-1, -1};
    const qint64 total = m.captured(3) == QLatin1String("*") ? -1 : m.captured(3).toLongLong();
    return {m.captured(1).toLongLong(), total};
}

}  // namespace

const std::vector<MovieLensRelease>& DatasetDownloader::catalogue() {
    // Counts as the releases' READMEs state them (movies listed, not only rated ones). Sizes: the
    // zips as published (ml-10m and ml-32m rounded from GroupLens' "63 MB" and "239 MB"). Every
    // one of these has a <name>.zip.md5 beside it on files.grouplens.org.
    static const std::vector<MovieLensRelease> releases = {
        {"ml-latest-small",
         "100,836 ratings, 610 users, 9,742 movies (development set, updated over time)", 978202,
         true},
        {"ml-100k", "100,000 ratings, 943 users, 1,682 movies (1998)", 4924029, true},
        {"ml-1m", "1,000,209 ratings, 6,040 users, 3,883 movies (2003)", 5917549, true},
        {"ml-10m", "10,000,054 ratings, 71,567 users, 10,681 movies (2009)", 63LL << 20, true},
        {"ml-20m", "20,000,263 ratings, 138,493 users, 27,278 movies (2015)", 198702078, true},
        {"ml-25m", "25,000,095 ratings, 162,541 users, 62,423 movies (2019)", 261978986, true},
        {"ml-32m", "32,000,204 ratings, 200,948 users, 87,585 movies (2023)", 239LL << 20, true},
    };
    return releases;
}

const MovieLensRelease* DatasetDownloader::findRelease(const QString& name) {
    for (const auto& r : catalogue())
        if (r.name == name) return &r;
    return nullptr;
}

QStringList DatasetDownloader::releaseNames() {
    QStringList names;
    for (const auto& r : catalogue()) names << r.name;
    return names;
}

QUrl DatasetDownloader::defaultBaseUrl() {
    const QString fromEnv = qEnvironmentVariable("LENS_ATLAS_DOWNLOAD_BASE");
    return QUrl(fromEnv.isEmpty() ? QString::fromLatin1(kGroupLensBase) : fromEnv);
}

QString DatasetDownloader::parseMd5File(const QByteArray& text) {
    static const QRegularExpression re(
        QStringLiteral(R"((?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f]))"));
    const auto m = re.match(QString::fromLatin1(text));
    return m.hasMatch() ? m.captured(0).toLower() : QString();
}

QString DatasetDownloader::formatBytes(qint64 bytes) {
    if (bytes < 0) return QStringLiteral("?");
    if (bytes < 1024) return QStringLiteral("%1 B").arg(bytes);
    if (bytes < (1 << 20)) return QStringLiteral("%1 KB").arg(bytes / 1024.0, 0, 'f', 1);
    if (bytes < (1LL << 30)) return QStringLiteral("%1 MB").arg(bytes / double(1 << 20), 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(bytes / double(1LL << 30), 0, 'f', 2);
}

DatasetDownloader::DatasetDownloader(QObject* parent)
    : QObject(parent), network_(new QNetworkAccessManager(this)), baseUrl_(defaultBaseUrl()) {}

DatasetDownloader::~DatasetDownloader() {
    ++jobId_;  // a hash still running for this job delivers into nothing
    dropReply();
}

void DatasetDownloader::setBaseUrl(const QUrl& base) {
    baseUrl_ = base;
}

QUrl DatasetDownloader::zipUrl() const {
    if (!release_) return {};
    QString base = baseUrl_.toString();
    if (!base.endsWith('/')) base += '/';
    return QUrl(base + release_->name + ".zip");
}

bool DatasetDownloader::isRunning() const {
    return stage_ == Stage::FetchingChecksum || stage_ == Stage::Downloading ||
           stage_ == Stage::Verifying;
}

void DatasetDownloader::setStage(Stage stage, const QString& text) {
    stage_ = stage;
    emit stageChanged(stage, text);
}

bool DatasetDownloader::start(const QString& releaseName, const QString& folder) {
    if (isRunning()) {
        error_ = tr("a download is already running");
        return false;
    }
    const MovieLensRelease* release = findRelease(releaseName);
    if (!release) {
        error_ = tr("unknown release '%1' (known: %2)").arg(releaseName, releaseNames().join(", "));
        return false;
    }
    if (!QDir().mkpath(folder)) {
        error_ = tr("cannot create folder '%1'").arg(folder);
        return false;
    }
    if (!baseUrl_.isValid() || baseUrl_.scheme().isEmpty()) {
        error_ = tr("invalid download address '%1'").arg(baseUrl_.toString());
        return false;
    }
    ++jobId_;
    release_ = release;
    finalPath_ = QDir(folder).absoluteFilePath(release->name + ".zip");
    expectedMd5_.clear();
    error_.clear();
    cancelRequested_ = false;
    retriedClean_ = false;
    jobResumed_ = false;
    transfers_ = 0;
    resumedTransfers_ = 0;
    expectedTotal_ = -1;
    if (release->publishesMd5)
        fetchChecksum();
    else if (QFileInfo::exists(finalPath_))
        // Nothing to check an existing zip against: it stands.
        QTimer::singleShot(0, this, [this, job = jobId_] {
            if (job != jobId_ || cancelRequested_) return;
            setStage(Stage::Done, tr("%1 is already present").arg(finalPath_));
            emit finished(finalPath_);
        });
    else
        startTransfer();
    return true;
}

void DatasetDownloader::cancel() {
    if (!isRunning()) return;
    cancelRequested_ = true;
    if (reply_) {
        reply_->abort();  // onChecksumFinished / onTransferFinished report the cancel
        return;
    }
    // Verifying, or waiting to retry: nothing in flight to abort.
    ++jobId_;
    if (part_.isOpen()) part_.close();
    setStage(Stage::Cancelled, tr("download cancelled"));
    emit cancelled();
}

void DatasetDownloader::dropReply() {
    if (!reply_) return;
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->disconnect(this);
    if (reply->isRunning()) reply->abort();
    reply->deleteLater();
}

void DatasetDownloader::fail(const QString& message) {
    dropReply();
    if (part_.isOpen()) part_.close();
    // An empty part file (an error answer before any byte of the zip) is only clutter.
    if (QFileInfo(partPath()).exists() && QFileInfo(partPath()).size() == 0)
        QFile::remove(partPath());
    error_ = message;
    setStage(Stage::Failed, message);
    emit failed(message);
}

QString DatasetDownloader::httpError(QNetworkReply* reply) const {
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    if (status >= 400) return tr("HTTP %1 %2").arg(status).arg(reason).trimmed();
    return reply->errorString();
}

bool DatasetDownloader::isTimeout(QNetworkReply* reply) const {
    // The transfer timeout aborts the reply: it ends as OperationCanceledError (or TimeoutError)
    // although nobody called cancel().
    return reply->error() == QNetworkReply::TimeoutError ||
           (reply->error() == QNetworkReply::OperationCanceledError && !cancelRequested_);
}

// --- 1. checksum -------------------------------------------------------------------------------

void DatasetDownloader::fetchChecksum() {
    const QUrl url(zipUrl().toString() + ".md5");
    setStage(Stage::FetchingChecksum, tr("fetching checksum %1").arg(url.toDisplayString()));
    QNetworkRequest request(url);
    request.setTransferTimeout(int(transferTimeout_.count()));
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    reply_ = network_->get(request);
    connect(reply_, &QNetworkReply::finished, this, &DatasetDownloader::onChecksumFinished);
}

void DatasetDownloader::onChecksumFinished() {
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    if (!reply) return;
    reply->deleteLater();
    if (cancelRequested_) {
        setStage(Stage::Cancelled, tr("download cancelled"));
        emit cancelled();
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || status >= 400) {
        const QString why = isTimeout(reply)
                                ? tr("no answer within %1 s").arg(transferTimeout_.count() / 1000.0)
                                : httpError(reply);
        fail(tr("cannot fetch the published checksum %1: %2")
                 .arg(reply->url().toDisplayString(), why));
        return;
    }
    expectedMd5_ = parseMd5File(reply->read(4096));
    if (expectedMd5_.isEmpty()) {
        fail(tr("no MD5 digest in %1").arg(reply->url().toDisplayString()));
        return;
    }
    if (QFileInfo::exists(finalPath_))
        verifyExistingFinal();
    else
        startTransfer();
}

// --- 2. body -----------------------------------------------------------------------------------

void DatasetDownloader::startTransfer() {
    const QString partFile = partPath();
    part_.setFileName(partFile);
    resumeOffset_ = QFileInfo::exists(partFile) ? QFileInfo(partFile).size() : 0;
    if (!part_.open(resumeOffset_ > 0 ? QIODevice::WriteOnly | QIODevice::Append
                                      : QIODevice::WriteOnly)) {
        fail(tr("cannot write %1: %2").arg(partFile, part_.errorString()));
        return;
    }
    ++transfers_;
    receivedThisTransfer_ = 0;
    responseAccepted_ = false;
    responseRejected_ = false;

    QNetworkRequest request(zipUrl());
    request.setTransferTimeout(int(transferTimeout_.count()));
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    // The bytes on the wire are the bytes of the zip: no transparent decompression, so that a
    // byte range means the same thing on both sides.
    request.setRawHeader("Accept-Encoding", "identity");
    if (resumeOffset_ > 0) {
        request.setRawHeader("Range", "bytes=" + QByteArray::number(resumeOffset_) + "-");
        ++resumedTransfers_;
    }
    setStage(
        Stage::Downloading,
        resumeOffset_ > 0
            ? tr("resuming %1 at %2").arg(zipUrl().toDisplayString(), formatBytes(resumeOffset_))
            : tr("downloading %1").arg(zipUrl().toDisplayString()));

    reply_ = network_->get(request);
    connect(reply_, &QNetworkReply::metaDataChanged, this, &DatasetDownloader::onTransferMetaData);
    connect(reply_, &QNetworkReply::readyRead, this, &DatasetDownloader::onTransferReadyRead);
    connect(reply_, &QNetworkReply::finished, this, &DatasetDownloader::onTransferFinished);
}

void DatasetDownloader::onTransferMetaData() {
    if (reply_ && !responseAccepted_ && !responseRejected_) acceptTransferResponse();
}

// Decides what the answer's body means for the part file: append (206 at our offset), restart
// (200), or nothing (error status). Returns whether the body is to be written.
bool DatasetDownloader::acceptTransferResponse() {
    QNetworkReply* reply = reply_;
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttr.isValid()) return false;  // headers not in yet
    const int status = statusAttr.toInt();
    if (status >= 300) {
        responseRejected_ = true;  // redirects are followed by Qt; errors are reported at the end
        return false;
    }
    const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).isValid()
                              ? reply->header(QNetworkRequest::ContentLengthHeader).toLongLong()
                              : -1;
    if (status == 206 && resumeOffset_ > 0) {
        const auto [start, total] = parseContentRange(reply->rawHeader("Content-Range"));
        if (start != resumeOffset_) {
            // A range we did not ask for: discard what we have and ask for the whole zip.
            responseRejected_ = true;
            return false;
        }
        jobResumed_ = true;
        expectedTotal_ = total >= 0 ? total : (length >= 0 ? resumeOffset_ + length : -1);
    } else {
        // 200: the whole zip. If we asked for a range the server ignored it: start clean.
        if (resumeOffset_ > 0) {
            part_.close();
            if (!part_.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                fail(tr("cannot write %1: %2").arg(part_.fileName(), part_.errorString()));
                return false;
            }
            resumeOffset_ = 0;
        }
        expectedTotal_ = length;
    }
    responseAccepted_ = true;
    emit progress(resumeOffset_, expectedTotal_);
    return true;
}

void DatasetDownloader::onTransferReadyRead() {
    if (!reply_) return;
    if (!responseAccepted_ && !responseRejected_ && !acceptTransferResponse()) {
        if (!reply_) return;  // failed while truncating
    }
    if (!responseAccepted_) {
        reply_->readAll();  // an error page or an unwanted range: not part of the zip
        return;
    }
    const QByteArray chunk = reply_->readAll();
    if (chunk.isEmpty()) return;
    if (part_.write(chunk) != chunk.size()) {
        fail(tr("cannot write %1: %2").arg(part_.fileName(), part_.errorString()));
        return;
    }
    // From the bytes written, not QNetworkReply::downloadProgress: Qt throttles that signal and
    // can hold back the last value of a stalled transfer.
    receivedThisTransfer_ += chunk.size();
    emit progress(resumeOffset_ + receivedThisTransfer_, expectedTotal_);
}

void DatasetDownloader::onTransferFinished() {
    QNetworkReply* reply = reply_;
    if (!reply) return;
    if (reply->bytesAvailable() > 0) onTransferReadyRead();
    reply_ = nullptr;
    reply->deleteLater();
    if (stage_ == Stage::Failed) return;
    part_.flush();
    part_.close();

    if (cancelRequested_) {
        setStage(Stage::Cancelled,
                 tr("download cancelled; %1 kept to resume from").arg(partPath()));
        emit cancelled();
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 416 && resumeOffset_ > 0) {
        // The part file is not a prefix of this zip (it is as long or longer): start clean.
        QFile::remove(partPath());
        retryOrFail(tr("the server refused to resume at byte %1").arg(resumeOffset_));
        return;
    }
    if (status >= 400) {
        fail(tr("download of %1 failed: %2").arg(reply->url().toDisplayString(), httpError(reply)));
        return;
    }
    if (responseRejected_ && status == 206) {
        QFile::remove(partPath());
        retryOrFail(tr("the server answered a different byte range than asked"));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const QString why = isTimeout(reply)
                                ? tr("no data for %1 s").arg(transferTimeout_.count() / 1000.0)
                                : reply->errorString();
        retryOrFail(tr("transfer of %1 interrupted: %2").arg(reply->url().toDisplayString(), why));
        return;
    }
    const qint64 have = QFileInfo(partPath()).size();
    if (expectedTotal_ >= 0 && have != expectedTotal_) {
        retryOrFail(tr("transfer of %1 ended after %2 of %3 bytes")
                        .arg(reply->url().toDisplayString())
                        .arg(have)
                        .arg(expectedTotal_));
        return;
    }
    verifyPartFile();
}

void DatasetDownloader::retryOrFail(const QString& reason) {
    if (transfers_ < maxAttempts_) {
        setStage(Stage::Downloading,
                 tr("%1; retrying (%2 of %3)").arg(reason).arg(transfers_ + 1).arg(maxAttempts_));
        QTimer::singleShot(retryDelay_, this, [this, job = jobId_] {
            if (job != jobId_ || cancelRequested_) return;
            startTransfer();
        });
        return;
    }
    const qint64 kept = QFileInfo::exists(partPath()) ? QFileInfo(partPath()).size() : 0;
    QString message = tr("%1 (after %2 attempts)").arg(reason).arg(transfers_);
    if (kept > 0)
        message += tr("; %1 of it kept in %2, a new download resumes from there")
                       .arg(formatBytes(kept), partPath());
    fail(message);
}

// --- 3. verification ---------------------------------------------------------------------------

void DatasetDownloader::verifyExistingFinal() {
    setStage(Stage::Verifying, tr("checking the existing %1").arg(finalPath_));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, job = jobId_] {
        watcher->deleteLater();
        if (job != jobId_) return;
        if (watcher->result() == expectedMd5_) {
            setStage(Stage::Done, tr("%1 is already present and verified").arg(finalPath_));
            emit finished(finalPath_);
        } else {
            startTransfer();  // the verified download will replace it
        }
    });
    watcher->setFuture(QtConcurrent::run(jobThreadPool(), md5OfFile, finalPath_));
}

void DatasetDownloader::verifyPartFile() {
    if (expectedMd5_.isEmpty()) {
        onPartVerified(QString());
        return;
    }
    setStage(Stage::Verifying, tr("verifying MD5 of %1").arg(partPath()));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, job = jobId_] {
        watcher->deleteLater();
        if (job != jobId_) return;
        onPartVerified(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(jobThreadPool(), md5OfFile, partPath()));
}

void DatasetDownloader::onPartVerified(const QString& actualMd5) {
    if (!expectedMd5_.isEmpty() && actualMd5 != expectedMd5_) {
        QFile::remove(partPath());
        if (jobResumed_ && !retriedClean_) {
            // The kept part may belong to an older version of the zip: one clean download.
            retriedClean_ = true;
            jobResumed_ = false;
            transfers_ = 0;
            setStage(Stage::Downloading,
                     tr("checksum mismatch after resuming; downloading again from the start"));
            startTransfer();
            return;
        }
        fail(tr("checksum mismatch for %1: GroupLens publishes MD5 %2, the download has %3; "
                "the download was deleted")
                 .arg(zipUrl().toDisplayString(), expectedMd5_,
                      actualMd5.isEmpty() ? tr("(unreadable)") : actualMd5));
        return;
    }
    std::error_code ec;
    // rename(2) replaces an existing zip atomically.
    std::filesystem::rename(QFile::encodeName(partPath()).toStdString(),
                            QFile::encodeName(finalPath_).toStdString(), ec);
    if (ec) {
        fail(tr("cannot rename %1 to %2: %3")
                 .arg(partPath(), finalPath_, QString::fromStdString(ec.message())));
        return;
    }
    setStage(Stage::Done, expectedMd5_.isEmpty()
                              ? tr("saved %1").arg(finalPath_)
                              : tr("saved %1 (MD5 %2 verified)").arg(finalPath_, expectedMd5_));
    emit finished(finalPath_);
}

}  // namespace lens::ui
