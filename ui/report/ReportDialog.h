#pragma once
// File > Export report…: the `report` command's study on the dataset already loaded, with a
// progress bar and Cancel. The study (statistics, training, personas, maps) runs as a job of the
// dialog's JobTracker: its progress (JobContext::progress) and its result reach the dialog only
// while it is the current job, so a cancelled study's late result never becomes the outcome.
// The figures are then built and written on the GUI thread one file per timer tick, so the
// window stays responsive and Cancel works between files. Cancel ends the run at once (the
// study's worker stops in the background); destroying the dialog (closing it, with
// WA_DeleteOnClose) stops the study and waits for its worker.
#include <QDialog>
#include <memory>
#include <vector>

#include "JobTracker.h"
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
    ~ReportDialog() override;  // stops the study and waits for its worker

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
    void onStudyProgress(double fraction, const QString& stage);
    void onStudyDone(std::shared_ptr<ReportStudy> study);
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

    bool running_ = false;  // the study or the writing of its files
    std::unique_ptr<ReportStudy> study_;
    std::unique_ptr<ReportBuilder> builder_;
    std::unique_ptr<ReportDocument> document_;
    std::vector<ReportDocument::WriteStep> steps_;
    std::size_t nextStep_ = 0;
    JobTracker jobs_;  // last: destroyed (stopping and waiting for the study) first
};

}  // namespace lens::ui
