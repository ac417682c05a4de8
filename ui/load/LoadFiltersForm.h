#pragma once
// The import dialog's load filters (data/LoadFilters.h): iterative k-core, minimum ratings per
// user and per item, and a date range. 0 or an empty date means "off". Dates are UTC days
// (YYYY-MM-DD, or an ISO 8601 date-time): `since` from the start of its day, `until` to the end
// of its day, both inclusive; read as the command line's --since / --until read them
// (parseDateArgument).
#include <QGroupBox>
#include <optional>

#include "data/LoadFilters.h"

class QLineEdit;
class QSpinBox;

namespace lens::ui {

class LoadFiltersForm : public QGroupBox {
    Q_OBJECT
public:
    explicit LoadFiltersForm(QWidget* parent = nullptr);

    LoadFilters filters() const;
    void setFilters(const LoadFilters& filters);
    // Why the filters cannot be used (an unreadable date, since after until); empty when fine.
    QString problem() const;

    QSpinBox* kCoreSpin() const { return kCore_; }
    QSpinBox* minUserSpin() const { return minUser_; }
    QSpinBox* minItemSpin() const { return minItem_; }
    QLineEdit* sinceEdit() const { return since_; }
    QLineEdit* untilEdit() const { return until_; }

    // "2015-01-01" -> Unix seconds at the start (or, with `endOfDay`, the last second) of that
    // UTC day; a date-time ("2015-01-01T12:00:00Z") or Unix seconds as they say. nullopt for
    // empty or unreadable text.
    static std::optional<std::uint32_t> parseDate(const QString& text, bool endOfDay);
    // Back: a date when the seconds are the start (end) of a UTC day, else a date-time.
    static QString dateText(std::uint32_t seconds, bool endOfDay);

signals:
    void changed();

private:
    QSpinBox* kCore_;
    QSpinBox* minUser_;
    QSpinBox* minItem_;
    QLineEdit* since_;
    QLineEdit* until_;
};

}  // namespace lens::ui
