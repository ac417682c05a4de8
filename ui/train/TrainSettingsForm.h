#pragma once
// The Train panel's settings: which dataset runs train on (a label), the model (a combo box of
// RecommenderFactory's registry), a preset of the study's practicals, the model's
// hyper-parameters (HyperparameterForm, generated from the engine's descriptions) and the split
// protocol with its test share or cutoff time and the seed, and the training budget ("10m";
// empty or 0: none; tuning/TrainingBudget.h). currentSpec() reads them as the RunSpec a run is
// started with.
#include <QList>
#include <QString>
#include <QWidget>

#include "data/Split.h"
#include "train/TrainingRun.h"

class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lens {
class Dataset;
}

namespace lens::ui {

class HyperparameterForm;

class TrainSettingsForm : public QWidget {
    Q_OBJECT
public:
    // A preset: model kind and hyper-parameters (the study's practicals, or the model defaults).
    struct Preset {
        QString name;
        QString tooltip;
        QString modelKind;  // empty: keep the current model (tuned defaults)
        HyperparameterValues values;
    };
    static QList<Preset> presets();

    explicit TrainSettingsForm(QWidget* parent = nullptr);

    HyperparameterForm* form() const { return form_; }
    // The hyper-parameters and the budget, and a model that can train on the dataset (no
    // rating model on implicit feedback: refusal() says why).
    bool isValid() const;
    // Why the chosen model cannot train on the dataset ("als predicts ratings; ... has no
    // ratings (implicit feedback): ..."), or empty.
    QString refusal() const;

    // The settings as a run request. Throws std::invalid_argument for a split it cannot read.
    RunSpec currentSpec() const;
    QString modelKind() const;
    QString modelDisplayName() const;  // "Biased MF (ALS)"
    void setModelKind(const QString& kind);
    void setSplit(const lens::SplitSpec& split);
    void setSeed(quint64 seed);
    // The budget field: "10m", "90s", "1h"; empty or "0" for none.
    QLineEdit* budgetEdit() const { return budgetEdit_; }
    void setBudgetText(const QString& text);
    // Applies the preset of that name (model, hyper-parameters, the study's split and seed 42);
    // false when there is none.
    bool applyPreset(const QString& name);

    // Names the dataset and fits the cutoff editor to its time range (null: none loaded). On
    // implicit feedback the rating models are disabled in the model picker, the reason as
    // their tooltip, and a ranking model is chosen if a rating model was.
    void setDataset(const lens::Dataset* dataset);

signals:
    void changed();                     // a setting changed: the settings may have become (in)valid
    void modelKindChanged();            // the form was rebuilt with the new model's rows
    void message(const QString& line);  // for the log ("preset “Practical 3: MF”: ...")

private:
    void updateSplitEditors();

    QLabel* datasetLabel_ = nullptr;
    QComboBox* modelCombo_ = nullptr;
    QComboBox* presetCombo_ = nullptr;
    HyperparameterForm* form_ = nullptr;
    QComboBox* splitCombo_ = nullptr;
    QDoubleSpinBox* fractionSpin_ = nullptr;
    QDateTimeEdit* cutoffEdit_ = nullptr;
    QSpinBox* seedSpin_ = nullptr;
    QLineEdit* budgetEdit_ = nullptr;
    lens::RatingScale scale_;  // of the dataset (implicit: rating models refused)
    std::string datasetName_;
};

}  // namespace lens::ui
