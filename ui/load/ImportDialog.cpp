#include "load/ImportDialog.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>
#include <charconv>
#include <cmath>
#include <exception>
#include <optional>
#include <stdexcept>

#include "io/InteractionReader.h"
#include "load/ImportWidgets.h"
#include "load/ItemsFileForm.h"
#include "load/LoadFiltersForm.h"
#include "load/PreviewTableModel.h"

namespace lens::ui {
namespace {

using namespace importwidgets;

// Every record of a 64 KiB head: enough values to see a rating scale, cheap to split.
constexpr int kImportSniffRecords = 1 << 20;

std::optional<double> finiteNumber(const std::string& text) {
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace

ImportDialog::ImportDialog(const QString& path, QWidget* parent)
    : QDialog(parent), path_(QDir::cleanPath(QFileInfo(path).absoluteFilePath())) {
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import your own data — %1").arg(QFileInfo(path_).fileName()));
    head_ = readHead(path_, &readError_);

    previewModel_ = new PreviewTableModel(this);
    previewTable_ = new QTableView(this);
    previewTable_->setObjectName(QStringLiteral("importPreview"));
    previewTable_->setModel(previewModel_);
    previewTable_->setToolTip(
        tr("The first %1 records as the separator and header split them; each mapped column's "
           "header names its role")
            .arg(kPreviewRows));
    previewTable_->setAlternatingRowColors(true);
    previewTable_->setWordWrap(false);
    previewTable_->verticalHeader()->setDefaultSectionSize(previewTable_->fontMetrics().height() +
                                                           6);
    previewTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    previewTable_->horizontalHeader()->setStretchLastSection(true);
    previewTable_->setMinimumHeight(previewTable_->fontMetrics().height() * 12);

    itemsForm_ = new ItemsFileForm(this);
    filtersForm_ = new LoadFiltersForm(this);
    problemLabel_ = new QLabel(this);
    problemLabel_->setObjectName(QStringLiteral("importProblem"));
    problemLabel_->setWordWrap(true);
    problemLabel_->setToolTip(tr("What has to change before the file can be loaded"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    okButton_ = buttons->button(QDialogButtonBox::Ok);
    okButton_->setText(tr("&Load"));
    buttons->button(QDialogButtonBox::Cancel)->setToolTip(tr("Close without loading (Esc)"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ImportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(createFileRow());
    layout->addWidget(createMapping());
    layout->addWidget(previewTable_, 1);
    layout->addWidget(itemsForm_);
    layout->addWidget(filtersForm_);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(problemLabel_, 1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);

    connect(itemsForm_, &ItemsFileForm::changed, this, &ImportDialog::updateState);
    connect(filtersForm_, &LoadFiltersForm::changed, this, &ImportDialog::updateState);
    for (QComboBox* c : {userCombo_, itemCombo_, ratingCombo_, timeCombo_})
        connect(c, &QComboBox::currentIndexChanged, this, &ImportDialog::updateState);

    if (const auto remembered = importmemory::recall(path_)) {
        {
            const QSignalBlocker blockSeparator(separatorCombo_);
            const QSignalBlocker blockHeader(headerCombo_);
            setSeparator(separatorCombo_, remembered->format.separator);
            setHeader(headerCombo_, remembered->format.header);
        }
        resniff(&remembered->format);
        if (!remembered->itemsPath.isEmpty())
            itemsForm_->setItems(remembered->itemsPath, remembered->itemsFormat);
        filtersForm_->setFilters(remembered->filters);
        restored_ = true;
    } else {
        resniff();
    }
    // The separator and header combos re-split the head; connected only now that the first
    // split (guessed or remembered) is in place.
    for (QComboBox* c : {separatorCombo_, headerCombo_})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { resniff(); });
    updateState();
    resize(900, 720);
}

QWidget* ImportDialog::createFileRow() {
    auto* row = new QWidget(this);
    auto* layout = new QGridLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* file =
        new QLabel(tr("<b>%1</b>").arg(QDir::toNativeSeparators(path_).toHtmlEscaped()), row);
    file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    file->setToolTip(tr("The interaction file: one user-item interaction per line"));
    separatorCombo_ = importwidgets::separatorCombo(row);
    separatorCombo_->setObjectName(QStringLiteral("importSeparator"));
    separatorCombo_->setToolTip(
        tr("The character between fields; auto detects it from the first lines. Changing it "
           "reads the preview again."));
    headerCombo_ = importwidgets::headerCombo(row);
    headerCombo_->setObjectName(QStringLiteral("importHeader"));
    headerCombo_->setToolTip(
        tr("Whether the first line names the columns; auto: a first line whose id or rating "
           "field is not a number"));
    detectedLabel_ = new QLabel(row);
    detectedLabel_->setObjectName(QStringLiteral("importDetected"));
    detectedLabel_->setWordWrap(true);
    detectedLabel_->setToolTip(
        tr("What reading the first 64 KiB found. The rating scale shown is that of those "
           "records; loading detects it over the whole file."));
    auto* separatorLabel = new QLabel(tr("&Separator:"), row);
    separatorLabel->setBuddy(separatorCombo_);
    separatorLabel->setToolTip(separatorCombo_->toolTip());
    auto* headerLabel = new QLabel(tr("&Header:"), row);
    headerLabel->setBuddy(headerCombo_);
    headerLabel->setToolTip(headerCombo_->toolTip());
    layout->addWidget(file, 0, 0, 1, 5);
    layout->addWidget(separatorLabel, 1, 0);
    layout->addWidget(separatorCombo_, 1, 1);
    layout->addWidget(headerLabel, 1, 2);
    layout->addWidget(headerCombo_, 1, 3);
    layout->addWidget(detectedLabel_, 1, 4);
    layout->setColumnStretch(4, 1);
    return row;
}

QWidget* ImportDialog::createMapping() {
    auto* box = new QGroupBox(tr("Columns"), this);
    box->setToolTip(
        tr("Which column holds what. User and item are required; without a rating "
           "column the data is implicit feedback."));
    auto* layout = new QHBoxLayout(box);
    const auto add = [this, box, layout](const QString& label, const char* name,
                                         const QString& tip) {
        auto* combo = new QComboBox(box);
        combo->setObjectName(QLatin1String(name));
        combo->setToolTip(tip);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        auto* l = new QLabel(label, box);
        l->setBuddy(combo);
        l->setToolTip(tip);
        layout->addWidget(l);
        layout->addWidget(combo);
        layout->addSpacing(12);
        return combo;
    };
    userCombo_ = add(tr("&User:"), "importUser",
                     tr("The column holding the user id (numbers or any text); required"));
    itemCombo_ = add(tr("&Item:"), "importItem",
                     tr("The column holding the item id (numbers or any text); required"));
    ratingCombo_ = add(tr("&Rating:"), "importRating",
                       tr("The column holding the rating (any numeric scale, detected); none: "
                          "implicit feedback, where only ranking models apply"));
    timeCombo_ = add(tr("&Time:"), "importTime",
                     tr("The column holding the time (Unix seconds or ISO 8601); none: every "
                        "time is 0 and date filters do not apply"));
    layout->addStretch(1);
    return box;
}

void ImportDialog::resniff(const InteractionFormat* keep) {
    names_.clear();
    records_.clear();
    sniffError_.clear();
    if (readError_.isEmpty()) {
        InteractionFormat fixed;
        fixed.separator = separatorOf(separatorCombo_);
        fixed.header = headerOf(headerCombo_);
        try {
            SniffResult sniff = sniffInteractions(head_, fixed, kImportSniffRecords);
            separator_ = sniff.separator;
            header_ = sniff.header;
            names_ = std::move(sniff.columnNames);
            records_ = std::move(sniff.rows);
            const InteractionFormat& mapping = keep ? *keep : sniff.guess;
            const std::vector<int> columns = {
                resolveColumn(mapping.user, names_), resolveColumn(mapping.item, names_),
                resolveColumn(mapping.rating, names_), resolveColumn(mapping.time, names_)};
            const QSignalBlocker blockUser(userCombo_);
            const QSignalBlocker blockItem(itemCombo_);
            const QSignalBlocker blockRating(ratingCombo_);
            const QSignalBlocker blockTime(timeCombo_);
            fillColumnCombo(userCombo_, names_, tr("(choose a column)"));
            fillColumnCombo(itemCombo_, names_, tr("(choose a column)"));
            fillColumnCombo(ratingCombo_, names_, tr("(none)"));
            fillColumnCombo(timeCombo_, names_, tr("(none)"));
            setColumn(userCombo_, columns[0]);
            setColumn(itemCombo_, columns[1]);
            setColumn(ratingCombo_, columns[2]);
            setColumn(timeCombo_, columns[3]);
        } catch (const std::exception& e) {
            sniffError_ = QString::fromStdString(e.what());
        }
    }
    const std::size_t shown = std::min<std::size_t>(records_.size(), kPreviewRows);
    previewModel_->setPreview(names_, {records_.begin(), records_.begin() + shown});
    updateState();
}

InteractionFormat ImportDialog::format() const {
    InteractionFormat f;
    f.user = columnRef(columnOf(userCombo_), names_, header_);
    f.item = columnRef(columnOf(itemCombo_), names_, header_);
    f.rating = columnRef(columnOf(ratingCombo_), names_, header_);
    f.time = columnRef(columnOf(timeCombo_), names_, header_);
    f.separator = separator_;
    f.header = header_ ? HeaderMode::Yes : HeaderMode::No;
    return f;
}

ImportChoice ImportDialog::choice() const {
    ImportChoice c;
    c.path = path_;
    c.format = format();
    c.itemsPath = itemsForm_->path();
    if (!c.itemsPath.isEmpty()) c.itemsFormat = itemsForm_->format();
    c.filters = filtersForm_->filters();
    return c;
}

QString ImportDialog::mappingProblem() const {
    if (!readError_.isEmpty()) return readError_;
    if (!sniffError_.isEmpty()) return sniffError_;
    if (names_.empty() || records_.empty())
        return tr("No records found in the first 64 KiB: is this a delimited text file?");
    const int user = columnOf(userCombo_);
    const int item = columnOf(itemCombo_);
    const int rating = columnOf(ratingCombo_);
    const int time = columnOf(timeCombo_);
    if (user < 0) return tr("Choose the column that holds the user.");
    if (item < 0) return tr("Choose the column that holds the item.");
    if (user == item) return tr("User and item must be different columns.");
    if (rating >= 0 && (rating == user || rating == item))
        return tr("The rating column cannot also be the user or the item.");
    if (time >= 0 && (time == user || time == item || time == rating))
        return tr("The time column cannot also be the user, the item or the rating.");
    if (const QString items = itemsForm_->problem(); !items.isEmpty()) return items;
    if (const QString filters = filtersForm_->problem(); !filters.isEmpty()) return filters;
    const LoadFilters f = filtersForm_->filters();
    if ((f.since || f.until) && time < 0)
        return tr("A date range needs a time column: choose one, or clear Since and Until.");
    return {};
}

QString ImportDialog::valueNotes() const {
    const int rating = columnOf(ratingCombo_);
    const int time = columnOf(timeCombo_);
    QStringList notes;
    if (rating < 0) {
        notes << tr("no rating column: implicit feedback — rating models will be disabled");
    } else {
        std::vector<double> values;
        QString bad;
        for (std::size_t r = 0; r < records_.size(); ++r) {
            const auto& record = records_[r];
            if (rating >= static_cast<int>(record.size())) continue;
            if (const auto v = finiteNumber(record[rating]))
                values.push_back(*v);
            else if (bad.isEmpty())
                bad = tr("record %1's rating \"%2\" is not a number")
                          .arg(r + 1)
                          .arg(QString::fromStdString(record[rating]));
        }
        if (!values.empty())
            notes << tr("ratings %1")
                         .arg(QString::fromStdString(ratingScaleText(detectRatingScale(values))));
        if (!bad.isEmpty()) notes << bad;
    }
    if (time >= 0) {
        for (std::size_t r = 0; r < records_.size(); ++r) {
            const auto& record = records_[r];
            if (time < static_cast<int>(record.size()) && !parseTimestamp(record[time])) {
                notes << tr("record %1's time \"%2\" is neither Unix seconds nor ISO 8601")
                             .arg(r + 1)
                             .arg(QString::fromStdString(record[time]));
                break;
            }
        }
    }
    return notes.join(QStringLiteral(", "));
}

QString ImportDialog::detectedText() const {
    if (!readError_.isEmpty() || !sniffError_.isEmpty() || names_.empty())
        return tr("Detected: nothing readable");
    QString text =
        tr("Detected: %1, %2")
            .arg(separatorDescription(separator_), header_ ? tr("header") : tr("no header"));
    const QString notes = valueNotes();
    return notes.isEmpty() ? text : text + QStringLiteral(", ") + notes;
}

void ImportDialog::updateState() {
    if (!userCombo_) return;  // still being built
    detectedLabel_->setText(detectedText());
    QStringList roles;
    for (std::size_t c = 0; c < names_.size(); ++c) roles << QString();
    const auto mark = [&roles](int column, const QString& role) {
        if (column >= 0 && column < roles.size())
            roles[column] =
                roles[column].isEmpty() ? role : roles[column] + QLatin1Char('+') + role;
    };
    mark(columnOf(userCombo_), tr("user"));
    mark(columnOf(itemCombo_), tr("item"));
    mark(columnOf(ratingCombo_), tr("rating"));
    mark(columnOf(timeCombo_), tr("time"));
    previewModel_->setRoles(roles);

    problem_ = mappingProblem();
    okButton_->setEnabled(problem_.isEmpty());
    okButton_->setToolTip(problem_.isEmpty() ? tr("Load the file with these columns and filters")
                                             : problem_);
    problemLabel_->setText(
        problem_.isEmpty() ? QString() : QStringLiteral("<b>%1</b>").arg(problem_.toHtmlEscaped()));
}

void ImportDialog::accept() {
    if (!problem_.isEmpty()) return;
    importmemory::remember(choice());
    QDialog::accept();
}

LoadOptions ImportChoice::loadOptions() const {
    LoadOptions options;
    options.format = format;
    if (!itemsPath.isEmpty()) {
        options.itemsFile = QDir::toNativeSeparators(itemsPath).toStdString();
        options.itemsFormat = itemsFormat;
    }
    options.filters = filters;
    return options;
}

namespace importmemory {
namespace {

QString importPath(const QString& path) {
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

// Unix seconds as stored: a number, or an empty string for "not set".
QString storedSeconds(const std::optional<std::uint32_t>& seconds) {
    return seconds ? QString::number(*seconds) : QString();
}

std::optional<std::uint32_t> secondsFromStored(const QString& text) {
    bool ok = false;
    const qulonglong value = text.toULongLong(&ok);
    if (!ok || value > 0xffffffffULL) return std::nullopt;
    return static_cast<std::uint32_t>(value);
}

}  // namespace

QString settingsGroup(const QString& path) {
    const QByteArray hash =
        QCryptographicHash::hash(importPath(path).toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("import/") + QString::fromLatin1(hash);
}

void remember(const ImportChoice& choice) {
    QSettings settings;
    settings.beginGroup(settingsGroup(choice.path));
    settings.remove(QString());  // what an earlier choice stored and this one does not
    settings.setValue(QStringLiteral("path"), importPath(choice.path));
    settings.setValue(QStringLiteral("format"), QString::fromStdString(choice.format.text()));
    settings.setValue(QStringLiteral("itemsPath"), choice.itemsPath);
    if (!choice.itemsPath.isEmpty())
        settings.setValue(QStringLiteral("itemsFormat"),
                          QString::fromStdString(choice.itemsFormat.text()));
    settings.setValue(QStringLiteral("kCore"), choice.filters.kCore);
    settings.setValue(QStringLiteral("minUserRatings"), choice.filters.minUserRatings);
    settings.setValue(QStringLiteral("minItemRatings"), choice.filters.minItemRatings);
    settings.setValue(QStringLiteral("since"), storedSeconds(choice.filters.since));
    settings.setValue(QStringLiteral("until"), storedSeconds(choice.filters.until));
    settings.endGroup();
}

std::optional<ImportChoice> recall(const QString& path) {
    QSettings settings;
    settings.beginGroup(settingsGroup(path));
    if (settings.value(QStringLiteral("path")).toString() != importPath(path)) return std::nullopt;
    ImportChoice choice;
    choice.path = importPath(path);
    try {
        choice.format = parseInteractionFormat(
            settings.value(QStringLiteral("format")).toString().toStdString());
        choice.itemsPath = settings.value(QStringLiteral("itemsPath")).toString();
        if (!choice.itemsPath.isEmpty())
            choice.itemsFormat = parseItemsFormat(
                settings.value(QStringLiteral("itemsFormat")).toString().toStdString());
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // written by another version, or edited by hand
    }
    choice.filters.kCore = settings.value(QStringLiteral("kCore")).toInt();
    choice.filters.minUserRatings = settings.value(QStringLiteral("minUserRatings")).toInt();
    choice.filters.minItemRatings = settings.value(QStringLiteral("minItemRatings")).toInt();
    choice.filters.since = secondsFromStored(settings.value(QStringLiteral("since")).toString());
    choice.filters.until = secondsFromStored(settings.value(QStringLiteral("until")).toString());
    return choice;
}

void forget(const QString& path) {
    QSettings settings;
    settings.remove(settingsGroup(path));
}

}  // namespace importmemory
}  // namespace lens::ui
