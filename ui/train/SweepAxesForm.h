#pragma once
// The Sweep dialog's choice of what to search: for a model kind, one row per numeric
// hyper-parameter of Recommender::hyperparameters() (those with a minimum and a maximum, not
// "seed" and not the choice lists): a check box with its label, a comma-separated line of the
// values to try and the allowed range. A row starts with three values around the model's current
// value (integers: half, current, double; reals: a tenth, current, ten times, or a third and
// three times where ten would leave the range). Values are checked as typed: a number, inside
// the range, whole for integer keys, not listed twice, and accepted by the engine
// (setHyperparameter of a scratch model); problems() names the parameter ("Factors (k): 300 is
// outside 1 to 256").
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

#include "train/TrainingRun.h"
#include "tuning/Sweep.h"

class QAction;
class QCheckBox;
class QGridLayout;
class QLabel;
class QLineEdit;

namespace lens {
class Recommender;
}

namespace lens::ui {

class SweepAxesForm : public QWidget {
    Q_OBJECT
public:
    explicit SweepAxesForm(QWidget* parent = nullptr);
    ~SweepAxesForm() override;

    // Rebuilds the rows for a model kind whose other settings are `current` (the Train form's
    // values; they also give each row its default values). The first row starts checked.
    void setModel(const QString& kind, const HyperparameterValues& current);

    QStringList keys() const;                 // every numeric key, in the model's order
    QString label(const QString& key) const;  // "Factors (k)"
    QCheckBox* checkBox(const QString& key) const;
    QLineEdit* valuesEdit(const QString& key) const;
    void setSwept(const QString& key, bool swept);
    void setValuesText(const QString& key, const QString& text);

    QStringList sweptKeys() const;  // checked rows, in the model's order
    // The values of a row as numbers (the valid ones), in the order typed.
    std::vector<double> values(const QString& key) const;
    // The checked rows as sweep axes (values as typed, trimmed). Only meaningful when valid.
    std::vector<lens::SweepAxis> axes() const;
    std::size_t gridSize() const;  // product of the checked rows' value counts
    bool isValid() const { return problems().isEmpty(); }
    // One line per problem, naming the parameter; "Choose at least one…" when none is checked.
    QStringList problems() const;

    // Three values around `current` inside [minimum, maximum] (see the header comment).
    static QStringList defaultValues(const lens::Hyperparameter& h);

signals:
    void changed();

private:
    struct Row {
        lens::Hyperparameter descriptor;
        QCheckBox* check = nullptr;
        QLineEdit* edit = nullptr;
        QAction* warning = nullptr;
        QString error;
        std::vector<double> numbers;
    };
    void validate(Row& row);
    const Row* find(const QString& key) const;

    std::unique_ptr<lens::Recommender> model_;  // scratch model: the engine's own checks
    QGridLayout* grid_ = nullptr;
    std::vector<Row> rows_;
};

}  // namespace lens::ui
