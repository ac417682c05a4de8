#include "load/LoadFiltersForm.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimeZone>

namespace lens::ui {
namespace {

constexpr qint64 kFilterDaySeconds = 86400;

QSpinBox* filterCountSpin(QWidget* parent, const QString& tip) {
    auto* spin = new QSpinBox(parent);
    spin->setRange(0, 1'000'000);
    spin->setSpecialValueText(QObject::tr("off"));
    spin->setToolTip(tip);
    return spin;
}

}  // namespace

LoadFiltersForm::LoadFiltersForm(QWidget* parent)
    : QGroupBox(tr("Load filters (optional)"), parent),
      kCore_(filterCountSpin(this, tr("Iterative k-core: drop users and items with fewer than k "
                                      "interactions, again and again until every one left has at "
                                      "least k (0: off)"))),
      minUser_(filterCountSpin(this, tr("Drop users with fewer interactions than this, once, after "
                                        "the date range (0: off)"))),
      minItem_(
          filterCountSpin(this, tr("Drop items with fewer interactions than this, once, after the "
                                   "users (0: off)"))),
      since_(new QLineEdit(this)),
      until_(new QLineEdit(this)) {
    setObjectName(QStringLiteral("loadFiltersForm"));
    setToolTip(
        tr("Filters applied as the data loads, in this order: date range, users, items, k-core. "
           "The dataset's name and every figure's provenance record them."));
    kCore_->setObjectName(QStringLiteral("kCore"));
    minUser_->setObjectName(QStringLiteral("minUserRatings"));
    minItem_->setObjectName(QStringLiteral("minItemRatings"));
    since_->setObjectName(QStringLiteral("since"));
    until_->setObjectName(QStringLiteral("until"));
    for (QLineEdit* e : {since_, until_}) {
        e->setPlaceholderText(tr("off (YYYY-MM-DD)"));
        e->setClearButtonEnabled(true);
    }
    since_->setToolTip(
        tr("Drop interactions before this UTC day (YYYY-MM-DD, a date-time such as "
           "2015-01-01T12:00:00Z, or Unix seconds; empty: off). Needs a time column."));
    until_->setToolTip(
        tr("Drop interactions after this UTC day, which is kept whole (YYYY-MM-DD, a date-time "
           "such as 2015-12-31T12:00:00Z, or Unix seconds; empty: off). Needs a time column."));

    auto* grid = new QGridLayout(this);
    const auto add = [this, grid](const QString& text, QWidget* field, int row, int column) {
        auto* l = new QLabel(text, this);
        l->setBuddy(field);
        l->setToolTip(field->toolTip());
        grid->addWidget(l, row, column);
        grid->addWidget(field, row, column + 1);
    };
    add(tr("k-core:"), kCore_, 0, 0);
    add(tr("Min. per user:"), minUser_, 0, 2);
    add(tr("Min. per item:"), minItem_, 0, 4);
    add(tr("Since:"), since_, 1, 0);
    add(tr("Until:"), until_, 1, 2);
    grid->setColumnStretch(6, 1);

    for (QSpinBox* s : {kCore_, minUser_, minItem_})
        connect(s, &QSpinBox::valueChanged, this, &LoadFiltersForm::changed);
    for (QLineEdit* e : {since_, until_})
        connect(e, &QLineEdit::textChanged, this, &LoadFiltersForm::changed);
}

std::optional<std::uint32_t> LoadFiltersForm::parseDate(const QString& text, bool endOfDay) {
    // The command line's reading (--since / --until), so both accept the same spellings.
    return parseDateArgument(text.toStdString(), endOfDay);
}

QString LoadFiltersForm::dateText(std::uint32_t seconds, bool endOfDay) {
    const qint64 s = seconds;
    if (s % kFilterDaySeconds == (endOfDay ? kFilterDaySeconds - 1 : 0))
        return QDateTime::fromSecsSinceEpoch(s, QTimeZone::utc()).date().toString(Qt::ISODate);
    // "Z", not "+00:00": what parseDateArgument reads back.
    return QDateTime::fromSecsSinceEpoch(s, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss'Z'"));
}

LoadFilters LoadFiltersForm::filters() const {
    LoadFilters f;
    f.kCore = kCore_->value();
    f.minUserRatings = minUser_->value();
    f.minItemRatings = minItem_->value();
    f.since = parseDate(since_->text(), false);
    f.until = parseDate(until_->text(), true);
    return f;
}

void LoadFiltersForm::setFilters(const LoadFilters& f) {
    kCore_->setValue(f.kCore);
    minUser_->setValue(f.minUserRatings);
    minItem_->setValue(f.minItemRatings);
    since_->setText(f.since ? dateText(*f.since, false) : QString());
    until_->setText(f.until ? dateText(*f.until, true) : QString());
}

QString LoadFiltersForm::problem() const {
    const auto unreadable = [](const QLineEdit* e, bool endOfDay) {
        return !e->text().trimmed().isEmpty() && !parseDate(e->text(), endOfDay);
    };
    if (unreadable(since_, false))
        return tr("\"Since\" is not a date: write YYYY-MM-DD (1970 to 2106).");
    if (unreadable(until_, true))
        return tr("\"Until\" is not a date: write YYYY-MM-DD (1970 to 2106).");
    const LoadFilters f = filters();
    if (f.since && f.until && *f.since > *f.until)
        return tr("\"Since\" is after \"Until\": no interaction would be left.");
    return {};
}

}  // namespace lens::ui
