#include "train/SweepAxesForm.h"

#include <QAction>
#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <set>
#include <stdexcept>

#include "models/Recommender.h"
#include "models/RecommenderFactory.h"

namespace lens::ui {

namespace {

bool isSweepable(const Hyperparameter& h) {
    return h.key != "seed" && h.choices.empty() && !std::isnan(h.minimum) && !std::isnan(h.maximum);
}

QString number(double v) {
    return QString::number(v, 'g', 6);
}

QString sweepRangeText(const Hyperparameter& h) {
    return QStringLiteral("%1 to %2%3")
        .arg(number(h.minimum), number(h.maximum),
             h.integer ? QObject::tr(", whole numbers") : QString());
}

}  // namespace

SweepAxesForm::SweepAxesForm(QWidget* parent) : QWidget(parent) {
    grid_ = new QGridLayout(this);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setColumnStretch(1, 1);
}

SweepAxesForm::~SweepAxesForm() = default;

QStringList SweepAxesForm::defaultValues(const Hyperparameter& h) {
    const double current = QString::fromStdString(h.value).toDouble();
    const auto inside = [&h](double v) { return v >= h.minimum && v <= h.maximum; };
    // The first candidate inside the range on each side; the midpoint to the bound as a last
    // resort (a dropout of 0.5 in [0, 0.9] gets 0.05 and 0.7).
    const auto firstInside = [&inside](std::initializer_list<double> options) {
        for (double v : options)
            if (inside(v)) return v;
        return std::numeric_limits<double>::quiet_NaN();
    };
    std::vector<double> candidates;
    if (h.integer) {
        const double c = std::round(current);
        candidates = c == 0 ? std::vector<double>{0, 1, 2}
                            : std::vector<double>{std::max(h.minimum, std::round(c / 2)), c,
                                                  std::min(h.maximum, 2 * c)};
    } else if (current == 0) {
        candidates = {0, 0.01, 0.1};
    } else {
        // A decade either side suits regularisation; a factor of three where ten leaves the range.
        candidates = {firstInside({current / 10, current / 3, (current + h.minimum) / 2}), current,
                      firstInside({current * 10, current * 3, (current + h.maximum) / 2})};
    }
    QStringList out;
    std::set<double> seen;
    for (double v : candidates)
        if (std::isfinite(v) && inside(v) && seen.insert(v).second) out << number(v);
    if (out.isEmpty()) out << number(current);
    return out;
}

void SweepAxesForm::setModel(const QString& kind, const HyperparameterValues& current) {
    model_ = createRecommender(kind.toStdString());
    for (const auto& [key, value] : current) {
        try {
            model_->setHyperparameter(key.toStdString(), value.toStdString());
        } catch (const std::invalid_argument&) {
            // A value the Train form itself flags: the default stays.
        }
    }
    while (QLayoutItem* item = grid_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    rows_.clear();
    for (const Hyperparameter& h : model_->hyperparameters()) {
        if (!isSweepable(h)) continue;
        Row row;
        row.descriptor = h;
        const QString key = QString::fromStdString(h.key);
        const QString tip = tr("<b>%1</b> (%2): %3<br><i>Values to try, separated by commas; "
                               "range %4. The Train settings have %5.</i>")
                                .arg(QString::fromStdString(h.label).toHtmlEscaped(), key,
                                     QString::fromStdString(h.description).toHtmlEscaped(),
                                     sweepRangeText(h), QString::fromStdString(h.value));
        row.check = new QCheckBox(QString::fromStdString(h.label), this);
        row.check->setObjectName(QStringLiteral("sweep_use_") + key);
        row.check->setToolTip(tip);
        row.edit = new QLineEdit(defaultValues(h).join(QStringLiteral(", ")), this);
        row.edit->setObjectName(QStringLiteral("sweep_values_") + key);
        row.edit->setMinimumWidth(
            row.edit->fontMetrics().horizontalAdvance(QStringLiteral("0.0005, 0.005, 0.05, 0.5")));
        row.edit->setToolTip(tip);
        row.edit->setPlaceholderText(tr("values, e.g. %1").arg(defaultValues(h).join(", ")));
        row.warning = row.edit->addAction(style()->standardIcon(QStyle::SP_MessageBoxWarning),
                                          QLineEdit::TrailingPosition);
        row.warning->setVisible(false);
        auto* range =
            new QLabel(QStringLiteral("%1 – %2").arg(number(h.minimum), number(h.maximum)), this);
        range->setToolTip(tr("The values %1 accepts: %2").arg(key, sweepRangeText(h)));
        const int r = static_cast<int>(rows_.size());
        grid_->addWidget(row.check, r, 0);
        grid_->addWidget(row.edit, r, 1);
        grid_->addWidget(range, r, 2);
        rows_.push_back(row);
    }
    if (!rows_.empty()) rows_.front().check->setChecked(true);
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        Row& row = rows_[i];
        validate(row);
        row.edit->setEnabled(row.check->isChecked());
        connect(row.check, &QCheckBox::toggled, this, [this, i](bool on) {
            rows_[i].edit->setEnabled(on);
            emit changed();
        });
        connect(row.edit, &QLineEdit::textChanged, this, [this, i] {
            validate(rows_[i]);
            emit changed();
        });
    }
    emit changed();
}

void SweepAxesForm::validate(Row& row) {
    const Hyperparameter& h = row.descriptor;
    const QString label = QString::fromStdString(h.label);
    row.numbers.clear();
    row.error.clear();
    QStringList problems;
    std::set<double> seen;
    const QStringList parts = row.edit->text().split(',', Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        const QString text = part.trimmed();
        if (text.isEmpty()) continue;
        bool ok = false;
        const double v = QLocale::c().toDouble(text, &ok);
        if (!ok || !std::isfinite(v)) {
            problems << tr("“%1” is not a number").arg(text);
            continue;
        }
        if (v < h.minimum || v > h.maximum) {
            problems << tr("%1 is outside %2").arg(text, sweepRangeText(h));
            continue;
        }
        if (h.integer && v != std::round(v)) {
            problems << tr("%1 is not a whole number").arg(text);
            continue;
        }
        try {
            model_->setHyperparameter(h.key, text.toStdString());
        } catch (const std::invalid_argument& e) {
            problems << QString::fromUtf8(e.what());
            continue;
        }
        if (!seen.insert(v).second) {
            problems << tr("%1 is listed twice").arg(text);
            continue;
        }
        row.numbers.push_back(v);
    }
    // The scratch model goes back to the Train settings' value of this key.
    model_->setHyperparameter(h.key, h.value);
    if (problems.isEmpty() && row.numbers.empty()) problems << tr("no values to try");
    if (!problems.isEmpty()) row.error = tr("%1: %2").arg(label, problems.join(tr("; ")));
    row.warning->setVisible(!row.error.isEmpty());
    row.warning->setToolTip(row.error);
}

const SweepAxesForm::Row* SweepAxesForm::find(const QString& key) const {
    const std::string k = key.toStdString();
    for (const Row& r : rows_)
        if (r.descriptor.key == k) return &r;
    return nullptr;
}

QStringList SweepAxesForm::keys() const {
    QStringList out;
    for (const Row& r : rows_) out << QString::fromStdString(r.descriptor.key);
    return out;
}

QString SweepAxesForm::label(const QString& key) const {
    const Row* r = find(key);
    return r ? QString::fromStdString(r->descriptor.label) : key;
}

QCheckBox* SweepAxesForm::checkBox(const QString& key) const {
    const Row* r = find(key);
    return r ? r->check : nullptr;
}

QLineEdit* SweepAxesForm::valuesEdit(const QString& key) const {
    const Row* r = find(key);
    return r ? r->edit : nullptr;
}

void SweepAxesForm::setSwept(const QString& key, bool swept) {
    if (QCheckBox* c = checkBox(key)) c->setChecked(swept);
}

void SweepAxesForm::setValuesText(const QString& key, const QString& text) {
    if (QLineEdit* e = valuesEdit(key)) e->setText(text);
}

QStringList SweepAxesForm::sweptKeys() const {
    QStringList out;
    for (const Row& r : rows_)
        if (r.check->isChecked()) out << QString::fromStdString(r.descriptor.key);
    return out;
}

std::vector<double> SweepAxesForm::values(const QString& key) const {
    const Row* r = find(key);
    return r ? r->numbers : std::vector<double>{};
}

std::vector<SweepAxis> SweepAxesForm::axes() const {
    std::vector<SweepAxis> out;
    for (const Row& r : rows_) {
        if (!r.check->isChecked()) continue;
        SweepAxis axis;
        axis.key = r.descriptor.key;
        for (const QString& part : r.edit->text().split(',', Qt::SkipEmptyParts))
            if (!part.trimmed().isEmpty()) axis.values.push_back(part.trimmed().toStdString());
        out.push_back(std::move(axis));
    }
    return out;
}

std::size_t SweepAxesForm::gridSize() const {
    std::size_t n = 1;
    bool any = false;
    for (const Row& r : rows_)
        if (r.check->isChecked()) {
            any = true;
            n *= std::max<std::size_t>(1, r.numbers.size());
            n = std::min<std::size_t>(n, 1'000'000'000);  // saturates: only "too many" matters
        }
    return any ? n : 0;
}

QStringList SweepAxesForm::problems() const {
    QStringList out;
    for (const Row& r : rows_)
        if (r.check->isChecked() && !r.error.isEmpty()) out << r.error;
    if (sweptKeys().isEmpty())
        out << tr("Choose at least one hyper-parameter to sweep");
    else if (out.isEmpty() && gridSize() > 10'000)
        out << tr("%L1 combinations: at most 10,000").arg(gridSize());
    return out;
}

}  // namespace lens::ui
