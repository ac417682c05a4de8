#include "load/ItemsFileForm.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <algorithm>
#include <cctype>

#include "load/ImportWidgets.h"

namespace lens::ui {
namespace {

using namespace importwidgets;

std::string lowerAscii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The first column whose lower-cased name is one of `wanted`; -1 when none.
int itemsColumnNamed(const std::vector<std::string>& names,
                     std::initializer_list<const char*> wanted) {
    for (std::size_t c = 0; c < names.size(); ++c)
        for (const char* w : wanted)
            if (lowerAscii(names[c]) == w) return static_cast<int>(c);
    return -1;
}

}  // namespace

ItemsFileForm::ItemsFileForm(QWidget* parent)
    : QGroupBox(tr("Items file (optional)"), parent),
      pathEdit_(new QLineEdit(this)),
      browseButton_(new QPushButton(tr("Browse…"), this)),
      separatorCombo_(importwidgets::separatorCombo(this)),
      headerCombo_(importwidgets::headerCombo(this)),
      idCombo_(new QComboBox(this)),
      titleCombo_(new QComboBox(this)),
      categoriesCombo_(new QComboBox(this)),
      categorySeparatorEdit_(new QLineEdit(QStringLiteral("|"), this)),
      statusLabel_(new QLabel(this)) {
    setObjectName(QStringLiteral("itemsFileForm"));
    setToolTip(
        tr("A second file naming the items: id, title and categories. Categories act as genres "
           "in filters, the genre-prior model and the map. Without it items are named by id."));
    pathEdit_->setObjectName(QStringLiteral("itemsPath"));
    pathEdit_->setPlaceholderText(tr("none: items are named by their id"));
    pathEdit_->setClearButtonEnabled(true);
    pathEdit_->setToolTip(tr("Path of the items file (CSV or TSV); leave empty for none"));
    browseButton_->setToolTip(tr("Choose the items file"));
    separatorCombo_->setToolTip(tr("The items file's field separator; auto detects it"));
    headerCombo_->setToolTip(
        tr("Whether the items file's first line names its columns; auto: a first line whose id "
           "is not a number"));
    idCombo_->setToolTip(tr("The column holding the item id, as the interaction file spells it"));
    titleCombo_->setToolTip(tr("The column holding the item's title (none: named by its id)"));
    categoriesCombo_->setToolTip(
        tr("The column listing the item's categories, which play the role of genres"));
    categorySeparatorEdit_->setMaxLength(1);
    categorySeparatorEdit_->setAlignment(Qt::AlignCenter);
    categorySeparatorEdit_->setMaximumWidth(
        categorySeparatorEdit_->fontMetrics().horizontalAdvance(QStringLiteral("MMMM")));
    categorySeparatorEdit_->setToolTip(
        tr("The character between categories inside their field (\"Action|Comedy\": |)"));
    statusLabel_->setWordWrap(true);
    statusLabel_->setForegroundRole(QPalette::PlaceholderText);
    statusLabel_->setToolTip(tr("What reading the items file's first lines found"));
    for (QComboBox* c : {idCombo_, titleCombo_, categoriesCombo_}) c->setMinimumContentsLength(10);

    auto* grid = new QGridLayout(this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(pathEdit_, 1);
    pathRow->addWidget(browseButton_);
    grid->addLayout(pathRow, 0, 0, 1, 6);
    const auto label = [this](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, this);
        l->setBuddy(buddy);
        l->setToolTip(buddy->toolTip());
        return l;
    };
    grid->addWidget(label(tr("Separator:"), separatorCombo_), 1, 0);
    grid->addWidget(separatorCombo_, 1, 1);
    grid->addWidget(label(tr("Header:"), headerCombo_), 1, 2);
    grid->addWidget(headerCombo_, 1, 3);
    grid->addWidget(label(tr("Category separator:"), categorySeparatorEdit_), 1, 4);
    grid->addWidget(categorySeparatorEdit_, 1, 5, Qt::AlignLeft);
    grid->addWidget(label(tr("Id:"), idCombo_), 2, 0);
    grid->addWidget(idCombo_, 2, 1);
    grid->addWidget(label(tr("Title:"), titleCombo_), 2, 2);
    grid->addWidget(titleCombo_, 2, 3);
    grid->addWidget(label(tr("Categories:"), categoriesCombo_), 2, 4);
    grid->addWidget(categoriesCombo_, 2, 5);
    grid->addWidget(statusLabel_, 3, 0, 1, 6);
    for (int c : {1, 3, 5}) grid->setColumnStretch(c, 1);

    connect(browseButton_, &QPushButton::clicked, this, &ItemsFileForm::browse);
    connect(pathEdit_, &QLineEdit::editingFinished, this, [this] { resniff(); });
    connect(pathEdit_, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty()) resniff();  // the clear button
    });
    for (QComboBox* c : {separatorCombo_, headerCombo_})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { resniff(); });
    for (QComboBox* c : {idCombo_, titleCombo_, categoriesCombo_})
        connect(c, &QComboBox::currentIndexChanged, this, &ItemsFileForm::changed);
    connect(categorySeparatorEdit_, &QLineEdit::textChanged, this, &ItemsFileForm::changed);
    resniff();
}

QString ItemsFileForm::path() const {
    const QString text = pathEdit_->text().trimmed();
    return text.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(text).absoluteFilePath());
}

ItemsFormat ItemsFileForm::format() const {
    ItemsFormat format;
    format.id = columnRef(columnOf(idCombo_), names_, header_);
    format.title = columnRef(columnOf(titleCombo_), names_, header_);
    format.categories = columnRef(columnOf(categoriesCombo_), names_, header_);
    format.separator = separator_;
    format.header = header_ ? HeaderMode::Yes : HeaderMode::No;
    const QString catsep = categorySeparatorEdit_->text();
    format.categorySeparator = catsep.isEmpty() ? '|' : catsep.at(0).toLatin1();
    return format;
}

QString ItemsFileForm::problem() const {
    if (path().isEmpty()) return {};
    if (!readError_.isEmpty()) return readError_;
    if (columnOf(idCombo_) < 0) return tr("Choose the items file's id column.");
    const QString catsep = categorySeparatorEdit_->text();
    if (!catsep.isEmpty() &&
        (catsep.at(0).unicode() > 127 || catsep.at(0) == QLatin1Char(separator_)))
        return tr(
            "The category separator must be one ASCII character other than the items "
            "file's field separator.");
    return {};
}

void ItemsFileForm::setItems(const QString& path, const ItemsFormat& format) {
    {
        const QSignalBlocker blockPath(pathEdit_);
        const QSignalBlocker blockSeparator(separatorCombo_);
        const QSignalBlocker blockHeader(headerCombo_);
        const QSignalBlocker blockCatsep(categorySeparatorEdit_);
        pathEdit_->setText(path);
        setSeparator(separatorCombo_, format.separator);
        setHeader(headerCombo_, format.header);
        categorySeparatorEdit_->setText(QString(QLatin1Char(format.categorySeparator)));
    }
    resniff(&format);
}

void ItemsFileForm::browse() {
    const QString start = path().isEmpty() ? QString() : QFileInfo(path()).absolutePath();
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Choose the items file"), start,
                                     tr("Delimited text (*.csv *.tsv *.txt *.dat);;All files (*)"));
    if (file.isEmpty()) return;
    pathEdit_->setText(file);
    resniff();
}

void ItemsFileForm::resniff(const ItemsFormat* keep) {
    readError_.clear();
    names_.clear();
    const QString file = path();
    std::vector<std::vector<std::string>> rows;
    if (!file.isEmpty()) {
        const std::string head = readHead(file, &readError_);
        if (readError_.isEmpty()) {
            InteractionFormat fixed;
            fixed.separator = separatorOf(separatorCombo_);
            fixed.header = headerOf(headerCombo_);
            const SniffResult sniff = sniffInteractions(head, fixed, 5);
            separator_ = sniff.separator;
            header_ = sniff.header;
            names_ = sniff.columnNames;
            rows = sniff.rows;
        }
    }
    const QSignalBlocker blockId(idCombo_);
    const QSignalBlocker blockTitle(titleCombo_);
    const QSignalBlocker blockCategories(categoriesCombo_);
    fillColumnCombo(idCombo_, names_, tr("(choose a column)"));
    fillColumnCombo(titleCombo_, names_, tr("(none)"));
    fillColumnCombo(categoriesCombo_, names_, tr("(none)"));
    if (keep) {
        setColumn(idCombo_, resolveColumn(keep->id, names_));
        setColumn(titleCombo_, resolveColumn(keep->title, names_));
        setColumn(categoriesCombo_, resolveColumn(keep->categories, names_));
    } else if (!names_.empty()) {
        const int n = static_cast<int>(names_.size());
        int id =
            itemsColumnNamed(names_, {"id", "itemid", "item_id", "item", "movieid", "movie_id"});
        int title = itemsColumnNamed(names_, {"title", "name", "movie", "itemname"});
        int categories =
            itemsColumnNamed(names_, {"genres", "genre", "categories", "category", "tags"});
        if (id < 0) id = 0;
        if (title < 0 && n > 1 && id != 1 && categories != 1) title = 1;
        if (categories < 0 && n > 2 && id != 2 && title != 2) categories = 2;
        setColumn(idCombo_, id);
        setColumn(titleCombo_, title);
        setColumn(categoriesCombo_, categories);
    }
    for (QComboBox* c : {idCombo_, titleCombo_, categoriesCombo_}) c->setEnabled(!names_.empty());
    if (file.isEmpty())
        statusLabel_->setText(
            tr("No items file: items are named by their id, without categories."));
    else if (!readError_.isEmpty())
        statusLabel_->setText(readError_);
    else
        statusLabel_->setText(
            tr("Detected: %1, %2, %n column(s)", nullptr, static_cast<int>(names_.size()))
                .arg(separatorDescription(separator_), header_ ? tr("header") : tr("no header")));
    emit changed();
}

}  // namespace lens::ui
