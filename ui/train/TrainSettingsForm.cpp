#include "train/TrainSettingsForm.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>

#include "data/Dataset.h"
#include "models/RecommenderFactory.h"
#include "train/HyperparameterForm.h"
#include "tuning/TrainingBudget.h"

namespace lens::ui {

namespace {

// Seconds of a budget field's text (empty: none); nullopt when it does not read.
std::optional<double> budgetOf(const QString& text) {
    const QString t = text.trimmed();
    if (t.isEmpty()) return 0.0;
    try {
        return parseBudget(t.toStdString());
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

}  // namespace

QList<TrainSettingsForm::Preset> TrainSettingsForm::presets() {
    return {
        {QStringLiteral("Tuned defaults"),
         QStringLiteral("The current model's shipped defaults (tuned on ml-latest-small)"),
         QString(),
         {}},
        {QStringLiteral("Practical 2: biases"),
         QStringLiteral("The study's bias baseline: lambda 10 for users and movies, 15 iterations"),
         QStringLiteral("bias"),
         {{QStringLiteral("user_lambda"), QStringLiteral("10")},
          {QStringLiteral("item_lambda"), QStringLiteral("10")},
          {QStringLiteral("iterations"), QStringLiteral("15")}}},
        {QStringLiteral("Practical 3: MF"),
         QStringLiteral("The study's matrix factorisation: k 10, lambda 0.1 (plain, not scaled by "
                        "the number of ratings), 20 iterations"),
         QStringLiteral("als"),
         {{QStringLiteral("k"), QStringLiteral("10")},
          {QStringLiteral("lambda"), QStringLiteral("0.1")},
          {QStringLiteral("bias_lambda"), QStringLiteral("0.1")},
          {QStringLiteral("regularisation"), QStringLiteral("plain")},
          {QStringLiteral("iterations"), QStringLiteral("20")}}},
        {QStringLiteral("Practical 4: MF"),
         QStringLiteral("The study's larger factorisation: k 20, lambda 1 (plain), 15 iterations"),
         QStringLiteral("als"),
         {{QStringLiteral("k"), QStringLiteral("20")},
          {QStringLiteral("lambda"), QStringLiteral("1")},
          {QStringLiteral("bias_lambda"), QStringLiteral("1")},
          {QStringLiteral("regularisation"), QStringLiteral("plain")},
          {QStringLiteral("iterations"), QStringLiteral("15")}}},
        {QStringLiteral("Practical 5: genre prior"),
         QStringLiteral("The study's hierarchical model with a genre prior on the movie factors: "
                        "k 10, lambda 0.1 (plain), 20 iterations, real genres"),
         QStringLiteral("als-genre"),
         {{QStringLiteral("k"), QStringLiteral("10")},
          {QStringLiteral("lambda"), QStringLiteral("0.1")},
          {QStringLiteral("bias_lambda"), QStringLiteral("0.1")},
          {QStringLiteral("regularisation"), QStringLiteral("plain")},
          // The study's prior strength (the shipped default, 10, was chosen on validation).
          {QStringLiteral("theta_lambda"), QStringLiteral("1")},
          {QStringLiteral("iterations"), QStringLiteral("20")}}},
    };
}

TrainSettingsForm::TrainSettingsForm(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    datasetLabel_ = new QLabel(tr("No dataset loaded"));
    datasetLabel_->setWordWrap(true);
    // The label wraps to the column's width instead of widening it (its hint is ~80 characters).
    datasetLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    datasetLabel_->setToolTip(tr("The dataset runs train on (load one in the Load stage)"));
    column->addWidget(datasetLabel_);

    auto* modelBox = new QGroupBox(tr("Model"));
    auto* modelForm = new QFormLayout(modelBox);
    modelCombo_ = new QComboBox;
    for (const auto& d : recommenderRegistry()) {
        modelCombo_->addItem(QString::fromStdString(d.displayName), QString::fromStdString(d.name));
        modelCombo_->setItemData(modelCombo_->count() - 1, QString::fromStdString(d.description),
                                 Qt::ToolTipRole);
    }
    modelCombo_->setToolTip(
        tr("The model to train: baselines and ALS models predict ratings "
           "(judged by RMSE); implicit ALS and implicit NCF models rank "
           "movies (judged by HR@10 and NDCG@10)"));
    presetCombo_ = new QComboBox;
    presetCombo_->addItem(tr("Choose a preset…"));
    for (const Preset& p : presets()) {
        presetCombo_->addItem(p.name);
        presetCombo_->setItemData(presetCombo_->count() - 1, p.tooltip, Qt::ToolTipRole);
    }
    presetCombo_->setToolTip(
        tr("Settings that reproduce the study's practicals, or the model's "
           "tuned defaults"));
    modelForm->addRow(tr("&Model"), modelCombo_);
    modelForm->addRow(tr("&Preset"), presetCombo_);
    form_ = new HyperparameterForm;
    modelForm->addRow(form_);
    column->addWidget(modelBox);

    auto* splitBox = new QGroupBox(tr("Split, seed and budget"));
    auto* splitForm = new QFormLayout(splitBox);
    splitCombo_ = new QComboBox;
    splitCombo_->addItem(tr("Per-user holdout"), QStringLiteral("per-user"));
    splitCombo_->setItemData(0, tr("Each user's ratings split at random (the study's protocol)"),
                             Qt::ToolTipRole);
    splitCombo_->addItem(tr("Global random"), QStringLiteral("random"));
    splitCombo_->setItemData(1, tr("All ratings split at random"), Qt::ToolTipRole);
    splitCombo_->addItem(tr("Leave-one-out latest"), QStringLiteral("loo"));
    splitCombo_->setItemData(2, tr("Each user's latest rating is the test case (ranking)"),
                             Qt::ToolTipRole);
    splitCombo_->addItem(tr("Temporal cutoff"), QStringLiteral("time"));
    splitCombo_->setItemData(3, tr("Ratings at or after the cutoff time are the test set"),
                             Qt::ToolTipRole);
    splitCombo_->setToolTip(tr("How ratings are divided into training and test sets"));
    fractionSpin_ = new QDoubleSpinBox;
    fractionSpin_->setRange(1, 90);
    fractionSpin_->setDecimals(1);
    fractionSpin_->setSuffix(tr(" %"));
    fractionSpin_->setValue(20);
    fractionSpin_->setToolTip(tr("Share of ratings held out for testing (per user or overall)"));
    cutoffEdit_ = new QDateTimeEdit;
    cutoffEdit_->setTimeSpec(Qt::UTC);
    cutoffEdit_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    cutoffEdit_->setCalendarPopup(true);
    cutoffEdit_->setToolTip(tr("Temporal cutoff: ratings at or after this time are test ratings"));
    seedSpin_ = new QSpinBox;
    seedSpin_->setRange(0, std::numeric_limits<int>::max());
    seedSpin_->setValue(42);
    seedSpin_->setToolTip(
        tr("Seed of the split and of the model's initialisation: the same "
           "seed gives the same model"));
    splitForm->addRow(tr("P&rotocol"), splitCombo_);
    splitForm->addRow(tr("&Test share"), fractionSpin_);
    splitForm->addRow(tr("C&utoff"), cutoffEdit_);
    splitForm->addRow(tr("S&eed"), seedSpin_);

    budgetEdit_ = new QLineEdit;
    budgetEdit_->setObjectName(QStringLiteral("budgetEdit"));
    budgetEdit_->setPlaceholderText(tr("none (e.g. 10m)"));
    budgetEdit_->setClearButtonEnabled(true);
    budgetEdit_->setToolTip(
        tr("Training budget: wall time a run may train, as 90s, 10m or 1h (empty or 0: none). "
           "Training stops at the end of the iteration (epoch) that uses it up, never in the "
           "middle of one, and keeps the model as it stands then (NCF: its best epoch so far "
           "on validation); the run history says the budget stopped it. The test part is "
           "still scored once afterwards."));
    splitForm->addRow(tr("&Budget"), budgetEdit_);
    column->addWidget(splitBox);
    connect(budgetEdit_, &QLineEdit::textChanged, this, [this](const QString& text) {
        const bool reads = budgetOf(text).has_value();
        budgetEdit_->setStyleSheet(reads ? QString() : QStringLiteral("color: #b3261e"));
        emit changed();
    });

    connect(modelCombo_, &QComboBox::currentIndexChanged, this, [this] {
        form_->setModelKind(modelCombo_->currentData().toString());
        modelCombo_->setToolTip(modelCombo_->currentData(Qt::ToolTipRole).toString());
        emit modelKindChanged();  // the new model's form has other rows
        emit changed();
    });
    connect(presetCombo_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) applyPreset(presetCombo_->itemText(index));
        presetCombo_->setCurrentIndex(0);
    });
    connect(form_, &HyperparameterForm::changed, this, &TrainSettingsForm::changed);
    connect(splitCombo_, &QComboBox::currentIndexChanged, this,
            &TrainSettingsForm::updateSplitEditors);
    modelCombo_->setCurrentIndex(std::max(0, modelCombo_->findData(QStringLiteral("als"))));
    form_->setModelKind(modelCombo_->currentData().toString());
    updateSplitEditors();
}

bool TrainSettingsForm::isValid() const {
    return form_->isValid() && budgetOf(budgetEdit_->text()).has_value() && refusal().isEmpty();
}

QString TrainSettingsForm::refusal() const {
    if (!scale_.implicit) return {};
    // The form's values decide (an NCF model with the explicit objective predicts ratings).
    std::unique_ptr<Recommender> model;
    try {
        model = createRecommender(modelKind().toStdString());
        for (const auto& [key, value] : form_->values())
            model->setHyperparameter(key.toStdString(), value.toStdString());
    } catch (const std::exception&) {
        if (!model) return {};
    }
    return QString::fromStdString(ratingModelRefusal(*model, scale_, datasetName_));
}

void TrainSettingsForm::setBudgetText(const QString& text) {
    budgetEdit_->setText(text);
}

QString TrainSettingsForm::modelKind() const {
    return modelCombo_->currentData().toString();
}

QString TrainSettingsForm::modelDisplayName() const {
    return modelCombo_->currentText();
}

void TrainSettingsForm::setModelKind(const QString& kind) {
    const int i = modelCombo_->findData(kind);
    if (i >= 0 && i != modelCombo_->currentIndex()) modelCombo_->setCurrentIndex(i);
}

void TrainSettingsForm::setSplit(const SplitSpec& split) {
    const char* kinds[] = {"per-user", "random", "loo", "time"};
    const int index = static_cast<int>(split.kind);
    if (index < 4)
        splitCombo_->setCurrentIndex(splitCombo_->findData(QString::fromLatin1(kinds[index])));
    fractionSpin_->setValue(split.fraction * 100.0);
    if (split.kind == SplitKind::TemporalCutoff)
        cutoffEdit_->setDateTime(QDateTime::fromSecsSinceEpoch(split.cutoff, Qt::UTC));
}

void TrainSettingsForm::setSeed(quint64 seed) {
    seedSpin_->setValue(static_cast<int>(std::min<quint64>(seed, std::numeric_limits<int>::max())));
}

RunSpec TrainSettingsForm::currentSpec() const {
    RunSpec spec;
    spec.modelKind = modelKind();
    spec.hyperparameters = form_->values();
    spec.seed = static_cast<quint64>(seedSpin_->value());
    const QString kind = splitCombo_->currentData().toString();
    std::string text = kind.toStdString();
    if (kind == QLatin1String("per-user") || kind == QLatin1String("random"))
        text.append(":").append(
            QString::number(fractionSpin_->value() / 100.0, 'g', 6).toStdString());
    else if (kind == QLatin1String("time"))
        text.append(":").append(std::to_string(cutoffEdit_->dateTime().toSecsSinceEpoch()));
    spec.split = SplitSpec::parse(text, spec.seed);
    const std::optional<double> budget = budgetOf(budgetEdit_->text());
    if (!budget) parseBudget(budgetEdit_->text().trimmed().toStdString());  // throws, naming it
    spec.budgetSeconds = *budget;
    return spec;
}

void TrainSettingsForm::updateSplitEditors() {
    const QString kind = splitCombo_->currentData().toString();
    fractionSpin_->setEnabled(kind == QLatin1String("per-user") || kind == QLatin1String("random"));
    cutoffEdit_->setEnabled(kind == QLatin1String("time"));
    seedSpin_->setEnabled(true);  // the model seed matters for every protocol
}

bool TrainSettingsForm::applyPreset(const QString& name) {
    for (const Preset& p : presets()) {
        if (p.name != name) continue;
        if (!p.modelKind.isEmpty()) setModelKind(p.modelKind);
        form_->resetToDefaults();
        QString error;
        if (!form_->setValues(p.values, &error)) emit message(tr("preset %1: %2").arg(name, error));
        SplitSpec split;  // the study's protocol: per-user 80/20 holdout, seed 42
        setSplit(split);
        setSeed(42);
        emit message(tr("preset “%1”: %2, %3")
                         .arg(name, modelDisplayName(), currentSpec().hyperparameterText()));
        emit changed();
        return true;
    }
    return false;
}

void TrainSettingsForm::setDataset(const Dataset* dataset) {
    scale_ = dataset ? dataset->scale : RatingScale{};
    datasetName_ = dataset ? dataset->name : std::string();
    // Rating models need ratings: disabled on implicit feedback, the reason as tooltip.
    if (auto* items = qobject_cast<QStandardItemModel*>(modelCombo_->model())) {
        const auto& registry = recommenderRegistry();
        for (int i = 0; i < modelCombo_->count() && i < static_cast<int>(registry.size()); ++i) {
            const RecommenderDescriptor& d = registry[static_cast<std::size_t>(i)];
            const std::string refusal =
                ratingModelRefusal(d.name, !d.ranking, scale_, datasetName_);
            QStandardItem* item = items->item(i);
            item->setEnabled(refusal.empty());
            item->setToolTip(QString::fromStdString(refusal.empty() ? d.description : refusal));
        }
        if (!items->item(modelCombo_->currentIndex())->isEnabled())
            for (int i = 0; i < modelCombo_->count(); ++i)
                if (items->item(i)->isEnabled()) {
                    modelCombo_->setCurrentIndex(i);
                    break;
                }
    }
    emit changed();
    if (!dataset) {
        datasetLabel_->setText(tr("No dataset loaded"));
        return;
    }
    datasetLabel_->setText(tr("Dataset: <b>%1</b> (%L2 ratings, %L3 users, %L4 movies)")
                               .arg(QString::fromStdString(dataset->name).toHtmlEscaped())
                               .arg(dataset->ratingCount())
                               .arg(dataset->userCount())
                               .arg(dataset->movieCount()));
    if (!dataset->timestamps.empty()) {
        const qint64 lo = dataset->minTimestamp(), hi = dataset->maxTimestamp();
        const qint64 cutoff = lo + static_cast<qint64>(0.8 * double(hi - lo));
        cutoffEdit_->setDateTimeRange(QDateTime::fromSecsSinceEpoch(lo, Qt::UTC),
                                      QDateTime::fromSecsSinceEpoch(hi, Qt::UTC));
        cutoffEdit_->setDateTime(QDateTime::fromSecsSinceEpoch(cutoff, Qt::UTC));
    }
}

}  // namespace lens::ui
