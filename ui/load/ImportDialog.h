#pragma once
// "Import your own data": reads the first 64 KiB of a user's interaction file, shows its first
// records in a preview table and what was detected (separator, header, the rating scale over the
// rating column of those bytes, or implicit feedback without one), lets the user fix the
// separator and header (each change reads the bytes again) and map the columns (user and item
// required, rating and time optional), add an items file and load filters. OK stays disabled,
// with the reason shown, while the mapping is incomplete or contradictory.
//
// Accepting remembers the choices for the file (ImportChoice, importmemory below): opening the same
// file again restores them. The dialog itself loads nothing; its owner hands choice().loadOptions()
// to DatasetController.
#include <QDialog>
#include <QString>
#include <optional>
#include <string>
#include <vector>

#include "data/LoadFilters.h"
#include "io/DatasetLoader.h"
#include "io/InteractionFormat.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace lens::ui {

// What the dialog asks for, and the memory of those choices per file: reopening the same file
// (from the dialog, the recent list or at start-up) reads it the same way. The memory lives in
// QSettings under "import/<key>", the key being the SHA-1 of the file's absolute path (a path
// holds '/' and other characters QSettings takes for groups); the path is stored beside it and
// checked on recall. Formats are stored as their descriptor text, the one --format takes.
struct ImportChoice {
    QString path;  // absolute path of the interaction file
    InteractionFormat format;
    QString itemsPath;  // empty: no items file
    ItemsFormat itemsFormat;
    LoadFilters filters;

    // LoadOptions with format, itemsFile, itemsFormat and filters set (lenient and progress are
    // the controller's).
    LoadOptions loadOptions() const;
};

namespace importmemory {

// "import/<40 hex digits>": the settings group of a file's choices.
QString settingsGroup(const QString& path);
// Stores `choice` under its path (absolute or not: made absolute).
void remember(const ImportChoice& choice);
// The choices stored for `path`; nullopt when none (or when what is stored no longer parses).
std::optional<ImportChoice> recall(const QString& path);
void forget(const QString& path);

}  // namespace importmemory

class ItemsFileForm;
class LoadFiltersForm;
class PreviewTableModel;

class ImportDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int kPreviewRows = 20;

    explicit ImportDialog(const QString& path, QWidget* parent = nullptr);

    QString path() const { return path_; }
    // The descriptor the widgets show: separator and header as detected or chosen, columns by
    // header name when the file has a header, else by number.
    InteractionFormat format() const;
    ImportChoice choice() const;
    // Why OK is disabled; empty when it is enabled.
    QString problem() const { return problem_; }
    // "Detected: tab-separated, header, ratings 1-10 in steps of 1".
    QString detectedText() const;
    // True when the widgets were set from the choices remembered for this file.
    bool restoredFromMemory() const { return restored_; }

    QComboBox* separatorCombo() const { return separatorCombo_; }
    QComboBox* headerCombo() const { return headerCombo_; }
    QComboBox* userCombo() const { return userCombo_; }
    QComboBox* itemCombo() const { return itemCombo_; }
    QComboBox* ratingCombo() const { return ratingCombo_; }
    QComboBox* timeCombo() const { return timeCombo_; }
    PreviewTableModel* previewModel() const { return previewModel_; }
    QTableView* previewTable() const { return previewTable_; }
    ItemsFileForm* itemsForm() const { return itemsForm_; }
    LoadFiltersForm* filtersForm() const { return filtersForm_; }
    QPushButton* okButton() const { return okButton_; }

public slots:
    void accept() override;  // remembers the choice, then closes

private:
    QWidget* createFileRow();
    QWidget* createMapping();
    // Splits the head again under the separator and header combos; `keep` maps the columns as
    // it says (a remembered choice), otherwise the sniffer's guess does.
    void resniff(const InteractionFormat* keep = nullptr);
    void updateState();  // detected text, column roles, OK and its reason
    QString mappingProblem() const;
    QString valueNotes() const;  // ratings' scale, unreadable ratings or times

    QString path_;
    std::string head_;
    QString readError_;     // the file could not be read
    QString sniffError_;    // its head could not be split as chosen
    char separator_ = ',';  // as the last sniff split the head
    bool header_ = false;
    std::vector<std::string> names_;
    std::vector<std::vector<std::string>> records_;  // every whole record of the head
    bool restored_ = false;
    QString problem_;

    QComboBox* separatorCombo_ = nullptr;
    QComboBox* headerCombo_ = nullptr;
    QLabel* detectedLabel_ = nullptr;
    QComboBox* userCombo_ = nullptr;
    QComboBox* itemCombo_ = nullptr;
    QComboBox* ratingCombo_ = nullptr;
    QComboBox* timeCombo_ = nullptr;
    PreviewTableModel* previewModel_ = nullptr;
    QTableView* previewTable_ = nullptr;
    ItemsFileForm* itemsForm_ = nullptr;
    LoadFiltersForm* filtersForm_ = nullptr;
    QLabel* problemLabel_ = nullptr;
    QPushButton* okButton_ = nullptr;
};

}  // namespace lens::ui
