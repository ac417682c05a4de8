// `lens-atlas download NAME --to DIR`: fetches a MovieLens release zip from GroupLens (or the
// mirror in $LENS_ATLAS_DOWNLOAD_BASE / --base URL), verifies the published MD5 and prints the
// zip's path on stdout. Progress goes to stderr. Exit 0 ok, 1 network or checksum failure,
// 2 usage (an unknown NAME lists the known ones).
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <QUrl>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "download/DatasetDownloader.h"

namespace {

using lens::ui::DatasetDownloader;

int downloadUsageError(const QString& message) {
    QTextStream err(stderr);
    lens::app::writeUsageError(err, message, "download NAME --to DIR [--base URL]");
    err << "releases:\n";
    for (const auto& r : DatasetDownloader::catalogue())
        err << "  " << r.name.leftJustified(16) << ' '
            << DatasetDownloader::formatBytes(r.approximateBytes).rightJustified(9) << "  "
            << r.summary << '\n';
    return lens::app::kUsage;
}

int runDownload(const QStringList& args) {
    QString name, folder, base;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if ((a == "--to" || a == "--base") && i + 1 < args.size()) {
            (a == "--to" ? folder : base) = args[++i];
        } else if (a == "--to" || a == "--base") {
            return downloadUsageError(QStringLiteral("%1 needs a value").arg(a));
        } else if (a.startsWith('-')) {
            return downloadUsageError(QStringLiteral("unknown option '%1'").arg(a));
        } else if (name.isEmpty()) {
            name = a;
        } else {
            return downloadUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (name.isEmpty()) return downloadUsageError(QStringLiteral("missing release NAME"));
    if (!DatasetDownloader::findRelease(name))
        return downloadUsageError(QStringLiteral("unknown release '%1'").arg(name));
    if (folder.isEmpty()) return downloadUsageError(QStringLiteral("missing --to DIR"));

    DatasetDownloader downloader;
    if (!base.isEmpty()) downloader.setBaseUrl(QUrl::fromUserInput(base));
    QTextStream err(stderr);
    QEventLoop loop;
    int exitCode = lens::app::kFailure;
    QString zipPath;

    // Progress lines at most every 10 % (or every 8 MB when the size is unknown) and never more
    // than a few per second, so logs of a 250 MB download stay short.
    int lastDecile = -1;
    qint64 lastBytes = 0;
    QElapsedTimer sinceLine;
    sinceLine.start();
    QObject::connect(&downloader, &DatasetDownloader::progress, [&](qint64 received, qint64 total) {
        const bool done = total > 0 && received >= total;
        if (total > 0) {
            const int decile = int(received * 10 / total);
            if (decile == lastDecile || (!done && sinceLine.elapsed() < 250 && lastDecile >= 0))
                return;
            lastDecile = decile;
            err << QStringLiteral("  %1 / %2 (%3 %)\n")
                       .arg(DatasetDownloader::formatBytes(received),
                            DatasetDownloader::formatBytes(total))
                       .arg(received * 100 / total);
        } else {
            if (received - lastBytes < (8 << 20)) return;
            lastBytes = received;
            err << QStringLiteral("  %1\n").arg(DatasetDownloader::formatBytes(received));
        }
        err.flush();
        sinceLine.restart();
    });
    QObject::connect(&downloader, &DatasetDownloader::stageChanged,
                     [&](DatasetDownloader::Stage stage, const QString& text) {
                         if (stage == DatasetDownloader::Stage::Failed)
                             return;  // printed once by `failed`
                         err << text << '\n';
                         err.flush();
                     });
    QObject::connect(&downloader, &DatasetDownloader::finished, [&](const QString& path) {
        zipPath = path;
        exitCode = lens::app::kOk;
        loop.quit();
    });
    QObject::connect(&downloader, &DatasetDownloader::failed, [&](const QString& message) {
        err << "lens-atlas download: " << message << '\n';
        exitCode = lens::app::kFailure;
        loop.quit();
    });
    QObject::connect(&downloader, &DatasetDownloader::cancelled, [&] {
        exitCode = lens::app::kFailure;
        loop.quit();
    });
    if (!downloader.start(name, folder)) {
        err << "lens-atlas download: " << downloader.errorString() << '\n';
        return lens::app::kFailure;
    }
    loop.exec();
    if (exitCode == lens::app::kOk)
        QTextStream(stdout) << QDir::toNativeSeparators(zipPath) << '\n';
    return exitCode;
}

}  // namespace

LENS_ATLAS_COMMAND("download", "download a MovieLens release zip from GroupLens and verify its MD5",
                   "download NAME --to DIR [--base URL]", false, runDownload);
