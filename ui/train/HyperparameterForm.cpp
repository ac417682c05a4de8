#include "train/HyperparameterForm.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "models/Recommender.h"
#include "models/RecommenderFactory.h"

namespace lens::ui {

namespace {

QString rangeText(const Hyperparameter& h) {
    if (!h.choices.empty()) {
        QStringList c;
        for (const auto& s : h.choices) c << QString::fromStdString(s);
        return QStringLiteral("One of: %1").arg(c.join(QStringLiteral(", ")));
    }
    if (std::isnan(h.minimum) || std::isnan(h.maximum))
        return h.integer ? QStringLiteral("An integer") : QString();
    return QStringLiteral("Range: %1 to %2%3")
        .arg(QString::number(h.minimum, 'g', 8), QString::number(h.maximum, 'g', 8),
             h.integer ? QStringLiteral(" (integer)") : QString());
}

bool fitsSpinBox(const Hyperparameter& h) {
    return h.integer && h.choices.empty() && !std::isnan(h.minimum) && !std::isnan(h.maximum) &&
           h.minimum >= INT_MIN && h.maximum <= INT_MAX;
}

}  // namespace

HyperparameterForm::HyperparameterForm(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    layout_ = new QFormLayout;
    outer->addLayout(layout_);
    errorLabel_ = new QLabel(this);
    errorLabel_->setWordWrap(true);
    errorLabel_->setVisible(false);
    errorLabel_->setToolTip(tr("Values the model rejects; Start is disabled until they are fixed"));
    outer->addWidget(errorLabel_);
}

HyperparameterForm::~HyperparameterForm() = default;

void HyperparameterForm::setModelKind(const QString& kind) {
    model_ = createRecommender(kind.toStdString());  // throws for unknown kinds (programming error)
    kind_ = kind;
    while (layout_->rowCount() > 0) layout_->removeRow(0);
    fields_.clear();
    const HyperparameterList list = model_->hyperparameters();
    for (const Hyperparameter& h : list) {
        if (h.key == "seed") continue;
        Field field;
        field.key = QString::fromStdString(h.key);
        const int index = static_cast<int>(fields_.size());
        QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3")
                          .arg(QString::fromStdString(h.label).toHtmlEscaped(), field.key,
                               QString::fromStdString(h.description).toHtmlEscaped());
        const QString range = rangeText(h);
        if (!range.isEmpty()) tip += QStringLiteral("<br><i>%1</i>").arg(range.toHtmlEscaped());
        if (!h.choices.empty()) {
            auto* combo = new QComboBox(this);
            for (const auto& c : h.choices) combo->addItem(QString::fromStdString(c));
            combo->setCurrentText(QString::fromStdString(h.value));
            connect(combo, &QComboBox::currentTextChanged, this,
                    [this, index](const QString& text) { edited(index, text); });
            field.editor = combo;
        } else if (fitsSpinBox(h)) {
            auto* spin = new QSpinBox(this);
            spin->setRange(static_cast<int>(h.minimum), static_cast<int>(h.maximum));
            spin->setValue(QString::fromStdString(h.value).toInt());
            spin->setAccelerated(true);
            connect(spin, &QSpinBox::valueChanged, this,
                    [this, index](int v) { edited(index, QString::number(v)); });
            field.editor = spin;
        } else {
            auto* line = new QLineEdit(QString::fromStdString(h.value), this);
            field.warning = line->addAction(style()->standardIcon(QStyle::SP_MessageBoxWarning),
                                            QLineEdit::TrailingPosition);
            field.warning->setVisible(false);
            connect(line, &QLineEdit::textEdited, this,
                    [this, index](const QString& text) { edited(index, text); });
            field.editor = line;
        }
        field.editor->setToolTip(tip);
        field.editor->setObjectName(QStringLiteral("hyper_") + field.key);
        auto* label = new QLabel(QString::fromStdString(h.label), this);
        label->setToolTip(tip);
        label->setBuddy(field.editor);
        layout_->addRow(label, field.editor);
        fields_.push_back(field);
    }
    errorLabel_->setVisible(false);
    emit changed();
}

void HyperparameterForm::edited(int fieldIndex, const QString& text) {
    if (updating_ || !model_) return;
    Field& field = fields_[static_cast<std::size_t>(fieldIndex)];
    try {
        model_->setHyperparameter(field.key.toStdString(), text.trimmed().toStdString());
        field.error.clear();
    } catch (const std::invalid_argument& e) {
        field.error = QString::fromUtf8(e.what());
    }
    if (field.warning) {
        field.warning->setVisible(!field.error.isEmpty());
        field.warning->setToolTip(field.error);
    }
    if (field.error.isEmpty()) refreshOtherEditors(fieldIndex);
    errorLabel_->setText(errors());
    errorLabel_->setVisible(!isValid());
    emit changed();
}

void HyperparameterForm::refreshOtherEditors(int exceptField) {
    // Some values follow others (NCF: validation and L2 defaults follow the objective).
    for (const Hyperparameter& h : model_->hyperparameters())
        for (int i = 0; i < static_cast<int>(fields_.size()); ++i)
            if (i != exceptField && fields_[i].key.toStdString() == h.key &&
                fields_[i].error.isEmpty())
                setEditorText(fields_[i], QString::fromStdString(h.value));
}

void HyperparameterForm::setEditorText(Field& field, const QString& text) {
    updating_ = true;
    if (auto* combo = qobject_cast<QComboBox*>(field.editor))
        combo->setCurrentText(text);
    else if (auto* spin = qobject_cast<QSpinBox*>(field.editor))
        spin->setValue(text.toInt());
    else if (auto* line = qobject_cast<QLineEdit*>(field.editor)) {
        if (line->text() != text) line->setText(text);
    }
    updating_ = false;
}

bool HyperparameterForm::setValues(const HyperparameterValues& values, QString* error) {
    QStringList problems;
    for (const auto& [key, value] : values) {
        const auto it = std::find_if(fields_.begin(), fields_.end(),
                                     [&k = key](const Field& f) { return f.key == k; });
        if (it == fields_.end()) {
            problems << tr("%1: not a hyper-parameter of %2").arg(key, kind_);
            continue;
        }
        if (!setValue(key, value)) problems << it->error;
    }
    if (error) *error = problems.join('\n');
    return problems.isEmpty();
}

bool HyperparameterForm::setValue(const QString& key, const QString& value) {
    for (int i = 0; i < static_cast<int>(fields_.size()); ++i) {
        Field& f = fields_[static_cast<std::size_t>(i)];
        if (f.key != key) continue;
        setEditorText(f, value);
        edited(i, value);
        if (f.error.isEmpty()) setEditorText(f, this->value(key));  // canonical text
        return f.error.isEmpty();
    }
    return false;
}

HyperparameterValues HyperparameterForm::values() const {
    HyperparameterValues out;
    if (!model_) return out;
    for (const Hyperparameter& h : model_->hyperparameters())
        if (h.key != "seed")
            out.append({QString::fromStdString(h.key), QString::fromStdString(h.value)});
    return out;
}

QString HyperparameterForm::value(const QString& key) const {
    return model_ ? QString::fromStdString(model_->hyperparameter(key.toStdString())) : QString();
}

bool HyperparameterForm::isValid() const {
    for (const auto& f : fields_)
        if (!f.error.isEmpty()) return false;
    return model_ != nullptr;
}

QString HyperparameterForm::errors() const {
    QStringList e;
    for (const auto& f : fields_)
        if (!f.error.isEmpty()) e << f.error;
    return e.join('\n');
}

QWidget* HyperparameterForm::editor(const QString& key) const {
    for (const auto& f : fields_)
        if (f.key == key) return f.editor;
    return nullptr;
}

QStringList HyperparameterForm::keys() const {
    QStringList k;
    for (const auto& f : fields_) k << f.key;
    return k;
}

}  // namespace lens::ui
