#pragma once
// File > Export report…: the `report` command's study on the dataset already loaded, with a
// progress bar and Cancel. The study (statistics, training, personas, maps) runs in a worker
// (QtConcurrent); its progress reaches the dialog as queued calls tagged by job id. The figures
// are then built and written on the GUI thread one file per timer tick, so the window stays
// responsive and Cancel works between files. Closing the dialog cancels.
#include <QDialog>
#include <QFutureWatcher>
#include <atomic>
#include <memory>
#include <vector>

#include "report/ReportDocument.h"
#include "report/ReportStudy.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace lens {
class Dataset;
}

namespace lens::ui {

class ReportBuilder;

class ReportDialog : public QDialog {
    Q_OBJECT
public:
    ReportDialog(std::shared_ptr<const lens::Dataset> dataset, QString sourcePath,
                 QWidget* parent = nullptr);
    ~ReportDialog() override;  // cancels and waits for the worker

    ReportOptions options() const;
    QString outputFolder() const;
    void setOutputFolder(const QString& folder);
    void setOptions(const ReportOptions& options);
    bool isRunning() const { return running_; }
    QString statusText() const;
    QProgressBar* progressBar() const { return progress_; }

public slots:
    void start();
    void cancel();

signals:
    void finished(bool ok, const QString& message);  // after writing, a failure or a cancel

private:
    void onStudyProgress(quint64 job, double fraction, const QString& stage);
    void onStudyDone(quint64 job);
    void writeNextStep();
    void finish(bool ok, const QString& message);
    void setRunning(bool running);

    std::shared_ptr<const lens::Dataset> dataset_;
    QString sourcePath_;
    QListWidget* models_;
    QListWidget* personas_;
    QSpinBox* seed_;
    QSpinBox* dpi_;
    QLineEdit* folder_;
    QProgressBar* progress_;
    QLabel* status_;
    QPlainTextEdit* log_;
    QPushButton* startButton_;
    QDialogButtonBox* buttons_;

    struct StudyOutcome {
        std::shared_ptr<ReportStudy> study;  // null on failure or cancel
        QString error;
        bool cancelled = false;
    };

    quint64 job_ = 0;
    bool running_ = false;
    std::shared_ptr<std::atomic<bool>> cancelFlag_;
    QFutureWatcher<StudyOutcome> watcher_;
    QString error_;
    std::unique_ptr<ReportStudy> study_;
    std::unique_ptr<ReportBuilder> builder_;
    std::unique_ptr<ReportDocument> document_;
    std::vector<ReportDocument::WriteStep> steps_;
    std::size_t nextStep_ = 0;
};

}  // namespace lens::ui
