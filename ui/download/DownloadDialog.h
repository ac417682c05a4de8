#pragma once
// File > Download dataset...: pick a MovieLens release (with its size), a target folder, watch
// the progress bar, Cancel at any time. On success it emits datasetDownloaded(zipPath) and
// closes with Accepted; the caller opens the zip (the loader reads zips directly).
// The network work is DatasetDownloader's; this dialog only shows it.
#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace lens::ui {

class DatasetDownloader;

class DownloadDialog : public QDialog {
    Q_OBJECT
public:
    explicit DownloadDialog(QWidget* parent = nullptr);

    // Where releases go unless the user picks another folder: <app data>/datasets.
    static QString defaultFolder();

    void setRelease(const QString& name);
    QString release() const;
    void setFolder(const QString& folder);
    QString folder() const;
    QString downloadedPath() const { return downloadedPath_; }
    DatasetDownloader* downloader() const { return downloader_; }
    QPushButton* downloadButton() const { return downloadButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    QProgressBar* progressBar() const { return progress_; }
    QString statusText() const;

public slots:
    void startDownload();
    void reject() override;  // Cancel / Escape / close: stops a running download first

signals:
    void datasetDownloaded(const QString& zipPath);

private:
    void updateReleaseDetails();
    void setRunning(bool running);
    void browse();

    DatasetDownloader* downloader_;
    QComboBox* releases_;
    QLabel* details_;
    QLineEdit* folder_;
    QPushButton* browseButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QDialogButtonBox* buttons_;
    QPushButton* downloadButton_;
    QPushButton* cancelButton_;
    QString downloadedPath_;
};

}  // namespace lens::ui
