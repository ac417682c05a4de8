#pragma once
// Pieces the import dialog and its items-file form share: the separator and header combos, the
// column drop-downs, a column reference made from a choice (a header name when the file has a
// header, else the column number) and back, and the first bytes of a file for sniffing.
// Small enough to live in the header.
#include <QComboBox>
#include <QCoreApplication>
#include <QFile>
#include <QString>
#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "io/InteractionFormat.h"

namespace lens::ui::importwidgets {

// How much of a file the dialog reads to sniff and preview it.
inline constexpr qint64 kHeadBytes = 64 * 1024;

inline QString importTr(const char* text) {
    return QCoreApplication::translate("lens::ui::ImportDialog", text);
}

// The first kHeadBytes of `path` (a whole small file ends with a newline, so that its last line
// is not taken for a cut one); empty with `error` set when the file cannot be read.
inline std::string readHead(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = importTr("%1: cannot read it (%2)").arg(path, file.errorString());
        return {};
    }
    QByteArray head = file.read(kHeadBytes);
    if (file.atEnd() && !head.isEmpty() && !head.endsWith('\n')) head += '\n';
    return head.toStdString();
}

// Auto / comma / tab / semicolon / pipe / space; item data is the separator (0 = auto).
inline QComboBox* separatorCombo(QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->addItem(importTr("auto"), 0);
    combo->addItem(importTr("comma ,"), int(','));
    combo->addItem(importTr("tab"), int('\t'));
    combo->addItem(importTr("semicolon ;"), int(';'));
    combo->addItem(importTr("pipe |"), int('|'));
    combo->addItem(importTr("space"), int(' '));
    return combo;
}

inline char separatorOf(const QComboBox* combo) {
    return static_cast<char>(combo->currentData().toInt());
}

// Selects `separator`, adding an entry for a character the list lacks.
inline void setSeparator(QComboBox* combo, char separator) {
    int i = combo->findData(int(separator));
    if (i < 0) {
        combo->addItem(QStringLiteral("'%1'").arg(QLatin1Char(separator)), int(separator));
        i = combo->count() - 1;
    }
    combo->setCurrentIndex(i);
}

// "tab-separated", "';'-separated".
inline QString separatorDescription(char separator) {
    switch (separator) {
        case ',':
            return importTr("comma-separated");
        case '\t':
            return importTr("tab-separated");
        case ';':
            return importTr("semicolon-separated");
        case '|':
            return importTr("pipe-separated");
        case ' ':
            return importTr("space-separated");
        default:
            return importTr("'%1'-separated").arg(QLatin1Char(separator));
    }
}

// Auto / yes / no.
inline QComboBox* headerCombo(QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->addItem(importTr("auto"), int(HeaderMode::Auto));
    combo->addItem(importTr("yes"), int(HeaderMode::Yes));
    combo->addItem(importTr("no"), int(HeaderMode::No));
    return combo;
}

inline HeaderMode headerOf(const QComboBox* combo) {
    return static_cast<HeaderMode>(combo->currentData().toInt());
}

inline void setHeader(QComboBox* combo, HeaderMode mode) {
    combo->setCurrentIndex(std::max(0, combo->findData(int(mode))));
}

// A column drop-down: `placeholder` (data -1: "(none)" or "(choose a column)"), then one entry
// per column, "1: userId".
inline void fillColumnCombo(QComboBox* combo, const std::vector<std::string>& names,
                            const QString& placeholder) {
    combo->clear();
    combo->addItem(placeholder, -1);
    for (std::size_t c = 0; c < names.size(); ++c)
        combo->addItem(QStringLiteral("%1: %2").arg(c + 1).arg(QString::fromStdString(names[c])),
                       static_cast<int>(c));
}

// -1: the placeholder.
inline int columnOf(const QComboBox* combo) {
    return combo->currentIndex() < 0 ? -1 : combo->currentData().toInt();
}

// Out of range: the placeholder.
inline void setColumn(QComboBox* combo, int column) {
    combo->setCurrentIndex(std::max(0, combo->findData(column)));
}

// The column a reference names among `names` (by number or by name); -1 when it names none.
inline int resolveColumn(const ColumnRef& ref, const std::vector<std::string>& names) {
    if (ref.index >= 0) return ref.index < static_cast<int>(names.size()) ? ref.index : -1;
    if (ref.name.empty()) return -1;
    const auto it = std::find(names.begin(), names.end(), ref.name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

// A reference to `column`: by its header name when `byName` and the name is unique, not a
// number and free of ',' and '=' (which would end it inside a descriptor), else by number;
// not given for -1.
inline ColumnRef columnRef(int column, const std::vector<std::string>& names, bool byName) {
    ColumnRef ref;
    if (column < 0) return ref;
    const std::string& name =
        column < static_cast<int>(names.size()) ? names[column] : std::string();
    int number = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
    const bool isNumber = ec == std::errc() && end == name.data() + name.size();
    if (byName && !name.empty() && !isNumber && name.find_first_of(",=") == std::string::npos &&
        std::count(names.begin(), names.end(), name) == 1)
        ref.name = name;
    else
        ref.index = column;
    return ref;
}

}  // namespace lens::ui::importwidgets
