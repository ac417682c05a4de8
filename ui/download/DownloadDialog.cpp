#include "download/DownloadDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include "download/DatasetDownloader.h"

namespace lens::ui {

DownloadDialog::DownloadDialog(QWidget* parent)
    : QDialog(parent),
      downloader_(new DatasetDownloader(this)),
      releases_(new QComboBox(this)),
      details_(new QLabel(this)),
      folder_(new QLineEdit(this)),
      browseButton_(new QPushButton(tr("Browse..."), this)),
      progress_(new QProgressBar(this)),
      status_(new QLabel(this)),
      buttons_(new QDialogButtonBox(this)) {
    setWindowTitle(tr("Download a MovieLens dataset"));
    setMinimumWidth(520);

    for (const auto& r : DatasetDownloader::catalogue())
        releases_->addItem(QStringLiteral("%1  (%2)")
                               .arg(r.name, DatasetDownloader::formatBytes(r.approximateBytes)),
                           r.name);
    releases_->setToolTip(tr("Releases published by GroupLens at files.grouplens.org"));
    details_->setWordWrap(true);
    folder_->setText(defaultFolder());
    folder_->setToolTip(tr("The zip is saved here; the dataset opens straight from it"));
    browseButton_->setToolTip(tr("Choose the folder the zip is saved in"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    progress_->setFormat(QString());

    downloadButton_ = buttons_->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
    cancelButton_ = buttons_->addButton(QDialogButtonBox::Cancel);
    downloadButton_->setDefault(true);

    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(folder_, 1);
    folderRow->addWidget(browseButton_);
    auto* form = new QFormLayout;
    form->addRow(tr("&Release:"), releases_);
    form->addRow(QString(), details_);
    auto* folderLabel = new QLabel(tr("Save &in:"), this);
    folderLabel->setBuddy(folder_);  // a row holding a layout gets no buddy by itself
    form->addRow(folderLabel, folderRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    auto* note = new QLabel(
        tr("MovieLens data is provided by GroupLens Research under its own usage licence: "
           "cite F. M. Harper and J. A. Konstan (2015), ACM TiiS 5(4) 19."),
        this);
    note->setWordWrap(true);
    note->setEnabled(false);
    layout->addWidget(note);
    layout->addWidget(buttons_);

    connect(releases_, &QComboBox::currentIndexChanged, this,
            &DownloadDialog::updateReleaseDetails);
    connect(browseButton_, &QPushButton::clicked, this, &DownloadDialog::browse);
    connect(downloadButton_, &QPushButton::clicked, this, &DownloadDialog::startDownload);
    connect(cancelButton_, &QPushButton::clicked, this, &DownloadDialog::reject);

    connect(downloader_, &DatasetDownloader::stageChanged, this,
            [this](DatasetDownloader::Stage, const QString& text) { status_->setText(text); });
    connect(downloader_, &DatasetDownloader::progress, this, [this](qint64 received, qint64 total) {
        if (total > 0) {
            // One update per permille: a 250 MB zip arrives in thousands of chunks.
            const int permille = int(received * 1000 / total);
            if (progress_->maximum() == 1000 && permille == progress_->value() && permille != 0)
                return;
            progress_->setRange(0, 1000);
            progress_->setValue(permille);
            progress_->setFormat(QStringLiteral("%1 / %2").arg(
                DatasetDownloader::formatBytes(received), DatasetDownloader::formatBytes(total)));
        } else {
            progress_->setRange(0, 0);  // busy indicator
            progress_->setFormat(DatasetDownloader::formatBytes(received));
        }
    });
    connect(downloader_, &DatasetDownloader::finished, this, [this](const QString& path) {
        setRunning(false);
        downloadedPath_ = path;
        progress_->setRange(0, 1000);
        progress_->setValue(1000);
        emit datasetDownloaded(path);
        accept();
    });
    connect(downloader_, &DatasetDownloader::failed, this, [this](const QString& message) {
        setRunning(false);
        status_->setText(tr("Download failed: %1").arg(message));
    });
    connect(downloader_, &DatasetDownloader::cancelled, this, [this] {
        setRunning(false);
        progress_->setRange(0, 1000);
        progress_->setValue(0);
        progress_->setFormat(QString());
        status_->setText(tr("Download cancelled."));
    });
    updateReleaseDetails();
}

QString DownloadDialog::defaultFolder() {
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    return QDir(base.isEmpty() ? QDir::homePath() : base).filePath("datasets");
}

void DownloadDialog::setRelease(const QString& name) {
    const int index = releases_->findData(name);
    if (index >= 0) releases_->setCurrentIndex(index);
}

QString DownloadDialog::release() const {
    return releases_->currentData().toString();
}

void DownloadDialog::setFolder(const QString& folder) {
    folder_->setText(folder);
}

QString DownloadDialog::folder() const {
    return folder_->text().trimmed();
}

QString DownloadDialog::statusText() const {
    return status_->text();
}

void DownloadDialog::updateReleaseDetails() {
    const MovieLensRelease* r = DatasetDownloader::findRelease(release());
    if (!r) return;
    details_->setText(tr("%1. About %2%3.")
                          .arg(r->summary, DatasetDownloader::formatBytes(r->approximateBytes),
                               r->publishesMd5 ? tr(", checked against the MD5 GroupLens publishes")
                                               : QString()));
}

void DownloadDialog::setRunning(bool running) {
    releases_->setEnabled(!running);
    folder_->setEnabled(!running);
    browseButton_->setEnabled(!running);
    downloadButton_->setEnabled(!running);
    cancelButton_->setToolTip(running ? tr("Stop the download (a later download resumes it)")
                                      : tr("Close"));
}

void DownloadDialog::browse() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Save datasets in"), folder());
    if (!dir.isEmpty()) folder_->setText(dir);
}

void DownloadDialog::startDownload() {
    if (downloader_->isRunning()) return;
    if (folder().isEmpty()) {
        status_->setText(tr("Choose a folder to save the zip in."));
        return;
    }
    downloadedPath_.clear();
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    setRunning(true);
    if (!downloader_->start(release(), folder())) {
        setRunning(false);
        status_->setText(tr("Download failed: %1").arg(downloader_->errorString()));
    }
}

void DownloadDialog::reject() {
    if (downloader_->isRunning()) {
        downloader_->cancel();  // the dialog stays open and shows "cancelled"
        return;
    }
    QDialog::reject();
}

}  // namespace lens::ui
