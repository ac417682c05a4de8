#pragma once
// A form generated from a model's Recommender::hyperparameters(): one editor per key (a combo
// box for choices, a spin box for integers with a range, a line edit otherwise), labels and
// tooltips from the engine's descriptions and ranges. Validation is the engine's own: every
// edit goes through setHyperparameter() of a scratch model of the chosen kind, so the form
// accepts exactly what training accepts; a rejected value keeps a warning icon with the
// engine's message as tooltip and makes isValid() false. The "seed" key is left out (the panel
// has one seed for the split and the model).
#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "train/TrainingRun.h"

class QAction;
class QFormLayout;
class QLabel;

namespace lens {
class Recommender;
}

namespace lens::ui {

class HyperparameterForm : public QWidget {
    Q_OBJECT
public:
    explicit HyperparameterForm(QWidget* parent = nullptr);
    ~HyperparameterForm() override;

    // Rebuilds the form for a registry model kind, with that model's defaults.
    void setModelKind(const QString& kind);
    QString modelKind() const { return kind_; }
    void resetToDefaults() { setModelKind(kind_); }

    // Sets several values (unknown keys are reported). Returns false with *error when a value
    // is rejected; the valid ones are applied.
    bool setValues(const HyperparameterValues& values, QString* error = nullptr);
    // Sets one key as if typed by the user (tests); returns whether the engine accepted it.
    bool setValue(const QString& key, const QString& value);
    // The model's values (canonical text), every key but "seed", in form order.
    HyperparameterValues values() const;
    QString value(const QString& key) const;

    bool isValid() const;
    QString errors() const;  // one line per rejected field
    QWidget* editor(const QString& key) const;
    QStringList keys() const;

signals:
    void changed();

private:
    struct Field {
        QString key;
        QWidget* editor = nullptr;
        QAction* warning = nullptr;  // line edits only
        QString error;               // empty when the value was accepted
    };
    void edited(int fieldIndex, const QString& text);
    void refreshOtherEditors(int exceptField);
    void setEditorText(Field& field, const QString& text);

    QString kind_;
    std::unique_ptr<lens::Recommender> model_;  // scratch model: validates and formats
    QFormLayout* layout_ = nullptr;
    QLabel* errorLabel_ = nullptr;
    std::vector<Field> fields_;
    bool updating_ = false;
};

}  // namespace lens::ui
