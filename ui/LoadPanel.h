#pragma once
// Stage 0, Load: open a MovieLens release (folder or .zip, by button, recent list or drag and
// drop), a user's own interaction file (the import dialog, load/ImportDialog.h) or the synthetic
// demo, watch the worker's progress with a Cancel button, read the error (file:line) when the
// input is bad, then see summary cards (ratings, users, movies, density, mean rating and scale,
// date range, tags, skipped lines, load time; load/DatasetSummary.h), notes (repairs, implicit
// feedback, what each load filter removed) and the searchable movie table, filtered by the
// dataset's own genres. Loading itself is DatasetController's job; this panel only asks and shows.
// The table's columns (titles as text, rating counts and means: a pass over every rating) are
// computed in a job of their own as a release arrives (moviesShown() once in the table).
#include <QMap>
#include <QWidget>
#include <memory>

class QBoxLayout;
class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace lens {
class Dataset;
}

namespace lens::ui {

class JobTracker;

class DatasetController;
class ImportDialog;
class MovieFilterProxyModel;
class MovieTableModel;
class RecentDatasets;
class SummaryCard;

class LoadPanel : public QWidget {
    Q_OBJECT
public:
    LoadPanel(DatasetController* controller, RecentDatasets* recent, QWidget* parent = nullptr);
    ~LoadPanel() override;

    // Summary card by key: ratings, users, movies, density, mean, dates, tags, skipped, seconds.
    SummaryCard* card(const QString& key) const { return cards_.value(key); }
    bool isErrorShown() const;
    QString errorText() const;
    bool isProgressShown() const;
    MovieTableModel* movieModel() const { return movieModel_; }
    MovieFilterProxyModel* movieProxy() const { return movieProxy_; }
    QTableView* movieTable() const { return movieTable_; }

    // After a failed load in strict mode: turns "Skip malformed lines" on and loads it again.
    QPushButton* retryLenientButton() const { return retryLenientButton_; }
    QPushButton* downloadButton() const { return downloadButton_; }
    QPushButton* importButton() const { return importButton_; }

signals:
    // The Download… button: the window opens its download dialog (File > Download, Ctrl+D).
    void downloadRequested();
    // The movie table shows the current dataset's movies.
    void moviesShown();

public slots:
    void chooseFolder();
    void chooseZip();
    void openDemo();
    // A folder or zip opens as a release; another file as a user's own interaction file, with
    // the choices remembered for it (load/ImportDialog.h) or, for a new one, the import dialog.
    void openPath(const QString& path);
    // Asks for an interaction file, then opens the import dialog on it.
    void chooseImportFile();
    // Opens the import dialog on `path` (window-modal; accepting it loads the file).
    ImportDialog* importFile(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private slots:
    void onLoadStarted(quint64 jobId, const QString& description);
    void onLoadProgress(double fraction, const QString& stage);
    void onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset);
    void onLoadFailed(const QString& message);
    void onLoadCancelled();
    void refreshRecentList();
    void openRecentItem(QListWidgetItem* item);
    void updateShownCount();

private:
    QWidget* createHeader();
    void createStatusArea(QBoxLayout* layout);
    QWidget* createRecentColumn();
    QWidget* createMovieArea();
    void showError(const QString& message);
    void refreshGenreFilter(const lens::Dataset& dataset);

    DatasetController* controller_;
    RecentDatasets* recent_;
    std::unique_ptr<JobTracker> movieJobs_;  // the movie table's columns
    QLabel* titleLabel_ = nullptr;
    QLabel* sourceLabel_ = nullptr;
    QPushButton* retryLenientButton_ = nullptr;
    QPushButton* downloadButton_ = nullptr;
    QLabel* noteLabel_ = nullptr;
    QPushButton* openFolderButton_ = nullptr;
    QPushButton* openZipButton_ = nullptr;
    QPushButton* importButton_ = nullptr;
    QPushButton* demoButton_ = nullptr;
    QCheckBox* lenientCheck_ = nullptr;

    QWidget* progressRow_ = nullptr;
    QLabel* progressLabel_ = nullptr;
    QProgressBar* progressBar_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QFrame* errorBox_ = nullptr;
    QLabel* errorLabel_ = nullptr;

    QListWidget* recentList_ = nullptr;
    QMap<QString, SummaryCard*> cards_;

    QLineEdit* searchEdit_ = nullptr;
    QComboBox* genreCombo_ = nullptr;
    QSpinBox* minRatingsSpin_ = nullptr;
    QLabel* shownLabel_ = nullptr;
    QTableView* movieTable_ = nullptr;
    MovieTableModel* movieModel_ = nullptr;
    MovieFilterProxyModel* movieProxy_ = nullptr;
};

}  // namespace lens::ui
