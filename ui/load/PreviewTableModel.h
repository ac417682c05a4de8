#pragma once
// The import dialog's preview: the first records of a file as the sniffer split them
// (io/InteractionFormat.h, SniffResult), one column per field. A column's header is its name
// from the file's header (or "column 3") and, once mapped, the role it plays ("userId · user").
// Records with fewer fields than the widest one show empty cells. Small: defined in the header.
#include <QAbstractTableModel>
#include <QFont>
#include <QStringList>
#include <algorithm>
#include <string>
#include <vector>

namespace lens::ui {

class PreviewTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setPreview(const std::vector<std::string>& columnNames,
                    const std::vector<std::vector<std::string>>& rows);
    // The role of each column ("user", "item", ...; empty: unmapped), by column.
    void setRoles(const QStringList& roles);

    QString columnName(int column) const { return names_.value(column); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList names_;
    QList<QStringList> rows_;
    QStringList roles_;
    int columns_ = 0;
};

// ---- definitions

inline void PreviewTableModel::setPreview(const std::vector<std::string>& columnNames,
                                          const std::vector<std::vector<std::string>>& rows) {
    beginResetModel();
    names_.clear();
    rows_.clear();
    for (const std::string& name : columnNames) names_ << QString::fromStdString(name);
    std::size_t widest = columnNames.size();
    for (const auto& row : rows) {
        QStringList fields;
        for (const std::string& field : row) fields << QString::fromStdString(field);
        rows_ << fields;
        widest = std::max(widest, row.size());
    }
    columns_ = static_cast<int>(widest);
    for (int c = static_cast<int>(names_.size()); c < columns_; ++c)
        names_ << tr("column %1").arg(c + 1);
    roles_.clear();
    endResetModel();
}

inline void PreviewTableModel::setRoles(const QStringList& roles) {
    roles_ = roles;
    if (columns_ > 0) emit headerDataChanged(Qt::Horizontal, 0, columns_ - 1);
}

inline int PreviewTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

inline int PreviewTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : columns_;
}

inline QVariant PreviewTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return rows_[index.row()].value(index.column());
    return {};
}

inline QVariant PreviewTableModel::headerData(int section, Qt::Orientation orientation,
                                              int role) const {
    if (orientation == Qt::Vertical) {
        // Record numbers, 1-based, as a reader counts them (the header line not included).
        if (role == Qt::DisplayRole) return section + 1;
        return {};
    }
    if (section < 0 || section >= columns_) return {};
    const QString mapped = roles_.value(section);
    if (role == Qt::DisplayRole) {
        // "movieId · item"; a column named after its role just shows its name (in bold).
        if (mapped.isEmpty() || names_[section].compare(mapped, Qt::CaseInsensitive) == 0)
            return names_[section];
        return QStringLiteral("%1 · %2").arg(names_[section], mapped);
    }
    if (role == Qt::FontRole && !mapped.isEmpty()) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole)
        return mapped.isEmpty()
                   ? tr("Column %1 (%2): not used").arg(section + 1).arg(names_[section])
                   : tr("Column %1 (%2): read as the %3")
                         .arg(section + 1)
                         .arg(names_[section], mapped);
    return {};
}

}  // namespace lens::ui
