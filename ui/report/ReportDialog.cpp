#include "report/ReportDialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include "AppSettings.h"
#include "data/Dataset.h"
#include "models/RecommenderFactory.h"
#include "rank/PersonaStore.h"
#include "report/ReportBuilder.h"
#include "util/Errors.h"

namespace lens::ui {

ReportDialog::ReportDialog(std::shared_ptr<const lens::Dataset> dataset, QString sourcePath,
                           QWidget* parent)
    : QDialog(parent),
      dataset_(std::move(dataset)),
      sourcePath_(std::move(sourcePath)),
      models_(new QListWidget(this)),
      personas_(new QListWidget(this)),
      seed_(new QSpinBox(this)),
      dpi_(new QSpinBox(this)),
      folder_(new QLineEdit(this)),
      progress_(new QProgressBar(this)),
      status_(new QLabel(this)),
      log_(new QPlainTextEdit(this)),
      startButton_(new QPushButton(tr("&Start"), this)),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Cancel | QDialogButtonBox::Close, this)) {
    setWindowTitle(tr("Export report"));
    setObjectName(QStringLiteral("reportDialog"));

    for (const auto& d : recommenderRegistry()) {
        auto* item = new QListWidgetItem(QString::fromStdString(d.name), models_);
        item->setToolTip(QString::fromStdString(d.description));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(d.name == "als" || d.name == "neumf" ? Qt::Checked : Qt::Unchecked);
        // Implicit feedback has no ratings: rating models are offered unchecked and disabled.
        if (dataset_) {
            const std::string refusal =
                ratingModelRefusal(d.name, !d.ranking, dataset_->scale, dataset_->name);
            if (!refusal.empty()) {
                item->setCheckState(Qt::Unchecked);
                item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
                item->setToolTip(QString::fromStdString(refusal));
            }
        }
    }
    models_->setToolTip(
        tr("Models trained with their defaults: rating models on a per-user 80/20 "
           "holdout, ranking models on leave-one-out latest"));
    try {
        for (const Persona& p : PersonaStore::presets()) {
            auto* item = new QListWidgetItem(p.name, personas_);
            item->setToolTip(p.description);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            const bool standard = p.name == QLatin1String("Lord of the Rings fan") ||
                                  p.name == QLatin1String("Toy Story fan");
            item->setCheckState(standard ? Qt::Checked : Qt::Unchecked);
        }
    } catch (const std::exception& e) {
        personas_->addItem(tr("Presets unavailable: %1").arg(QString::fromUtf8(e.what())));
    }
    personas_->setToolTip(tr("Personas whose top-10 lists the report shows for every model"));
    seed_->setRange(0, 2'000'000'000);
    seed_->setValue(42);
    seed_->setToolTip(tr("Seed of every split, initialisation and sampled negative"));
    dpi_->setRange(72, 1200);
    dpi_->setValue(settings::exportDpi());
    dpi_->setSuffix(tr(" dpi"));
    dpi_->setToolTip(tr("Resolution of the PNG figures (SVG and PDF are vector)"));
    const QString name =
        dataset_ ? QString::fromStdString(dataset_->name) : QStringLiteral("report");
    folder_->setText(QDir(settings::exportDirectory())
                         .filePath(QStringLiteral("lens-atlas-report-%1").arg(name)));
    folder_->setToolTip(
        tr("Folder that receives report.html, report.pdf, metrics.json and figures/"));
    auto* browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Report folder"), folder_->text());
        if (!dir.isEmpty()) folder_->setText(dir);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(folder_, 1);
    folderRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Models:"), models_);
    form->addRow(tr("Personas:"), personas_);
    form->addRow(tr("Seed:"), seed_);
    form->addRow(tr("PNG resolution:"), dpi_);
    form->addRow(tr("Folder:"), folderRow);
    models_->setMaximumHeight(130);
    personas_->setMaximumHeight(130);

    progress_->setRange(0, 1000);
    progress_->setValue(0);
    status_->setText(tr("Ready: %1").arg(name));
    status_->setWordWrap(true);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(500);
    log_->setMinimumHeight(110);

    startButton_->setDefault(true);
    startButton_->setToolTip(tr("Run the study and write the report (Ctrl+Return)"));
    startButton_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    buttons_->addButton(startButton_, QDialogButtonBox::ActionRole);
    buttons_->button(QDialogButtonBox::Cancel)->setToolTip(tr("Stop the report (Esc)"));
    connect(startButton_, &QPushButton::clicked, this, &ReportDialog::start);
    connect(buttons_->button(QDialogButtonBox::Cancel), &QPushButton::clicked, this,
            &ReportDialog::cancel);
    connect(buttons_->button(QDialogButtonBox::Close), &QPushButton::clicked, this,
            &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(log_, 1);
    layout->addWidget(buttons_);
    connect(&jobs_, &JobTracker::progressChanged, this, &ReportDialog::onStudyProgress);
    setRunning(false);
    resize(620, 640);
}

// jobs_ stops the study and waits for its worker; a late result dies with it.
ReportDialog::~ReportDialog() = default;

ReportOptions ReportDialog::options() const {
    ReportOptions o;
    o.models.clear();
    o.personas.clear();
    for (int i = 0; i < models_->count(); ++i)
        if (models_->item(i)->checkState() == Qt::Checked) o.models << models_->item(i)->text();
    for (int i = 0; i < personas_->count(); ++i)
        if (personas_->item(i)->checkState() == Qt::Checked)
            o.personas << personas_->item(i)->text();
    o.seed = static_cast<std::uint64_t>(seed_->value());
    return o;
}

void ReportDialog::setOptions(const ReportOptions& options) {
    for (int i = 0; i < models_->count(); ++i)
        models_->item(i)->setCheckState(
            options.models.contains(models_->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
    for (int i = 0; i < personas_->count(); ++i)
        personas_->item(i)->setCheckState(
            options.personas.contains(personas_->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
    seed_->setValue(static_cast<int>(options.seed));
}

QString ReportDialog::outputFolder() const {
    return folder_->text();
}

void ReportDialog::setOutputFolder(const QString& folder) {
    folder_->setText(folder);
}

QString ReportDialog::statusText() const {
    return status_->text();
}

void ReportDialog::setRunning(bool running) {
    running_ = running;
    startButton_->setEnabled(!running && dataset_);
    buttons_->button(QDialogButtonBox::Cancel)->setEnabled(running);
    for (QWidget* w : std::initializer_list<QWidget*>{models_, personas_, seed_, dpi_, folder_})
        w->setEnabled(!running);
}

void ReportDialog::start() {
    if (running_ || !dataset_) return;
    const ReportOptions opts = options();
    if (opts.models.isEmpty()) {
        status_->setText(tr("Choose at least one model."));
        return;
    }
    study_.reset();
    document_.reset();
    builder_.reset();
    steps_.clear();
    nextStep_ = 0;
    log_->clear();
    progress_->setValue(0);
    setRunning(true);
    status_->setText(tr("Starting…"));
    jobs_.start(
        [dataset = dataset_, opts](const JobContext& context) -> std::shared_ptr<ReportStudy> {
            try {
                return std::make_shared<ReportStudy>(
                    runReportStudy(dataset, opts, [context](double fraction, const QString& stage) {
                        return context.progress(fraction, stage.toStdString());
                    }));
            } catch (const lens::Cancelled&) {
                // Stopped by this dialog: dropped anyway. Anything else that cancels the study
                // must still end the run: null means "cancelled".
                return nullptr;
            }
        },
        [this](std::shared_ptr<ReportStudy> study) { onStudyDone(std::move(study)); },
        [this](const QString& error) { finish(false, tr("The report failed: %1").arg(error)); });
}

// Only the current study's progress arrives (JobTracker::progressChanged).
void ReportDialog::onStudyProgress(double fraction, const QString& stage) {
    if (!running_) return;
    progress_->setValue(static_cast<int>(fraction * 800.0));  // the study is 80 % of the bar
    if (status_->text() != stage) {
        status_->setText(stage);
        if (!stage.contains(QLatin1String("iteration"))) log_->appendPlainText(stage);
    }
}

// Only the current study's result arrives: a cancelled or superseded study's never does.
void ReportDialog::onStudyDone(std::shared_ptr<ReportStudy> study) {
    if (!study) {
        finish(false, tr("Cancelled."));
        return;
    }
    status_->setText(tr("Rendering figures…"));
    builder_ = std::make_unique<ReportBuilder>();
    study_ = std::make_unique<ReportStudy>(std::move(*study));
    document_ = std::make_unique<ReportDocument>(builder_->build(
        *study_, sourcePath_.isEmpty() ? tr("the built-in synthetic demo") : sourcePath_));
    document_->dpi = dpi_->value();
    steps_ = document_->writeSteps(folder_->text());
    nextStep_ = 0;
    QTimer::singleShot(0, this, &ReportDialog::writeNextStep);
}

void ReportDialog::writeNextStep() {
    if (!running_) return;
    if (nextStep_ >= steps_.size()) {
        finish(true, tr("Report written to %1").arg(QDir::toNativeSeparators(folder_->text())));
        return;
    }
    const auto& step = steps_[nextStep_];
    status_->setText(tr("Writing %1").arg(QDir::toNativeSeparators(step.what)));
    QString error;
    if (!step.run(&error)) {
        finish(false, tr("Writing failed: %1").arg(error));
        return;
    }
    ++nextStep_;
    progress_->setValue(800 + static_cast<int>(200.0 * nextStep_ / steps_.size()));
    QTimer::singleShot(0, this, &ReportDialog::writeNextStep);
}

void ReportDialog::cancel() {
    if (!running_) return;
    // Stops the study if it still runs; whatever it returns now is dropped. Between files the
    // next timer tick sees running_ false.
    jobs_.cancel();
    finish(false, tr("Cancelled."));
}

void ReportDialog::finish(bool ok, const QString& message) {
    setRunning(false);
    status_->setText(message);
    log_->appendPlainText(message);
    if (ok) {
        progress_->setValue(progress_->maximum());
        settings::setExportDpi(dpi_->value());
        log_->appendHtml(
            QStringLiteral("<a href=\"%1\">%2</a>")
                .arg(QUrl::fromLocalFile(QDir(folder_->text()).filePath("report.html")).toString(),
                     tr("Open report.html")));
    }
    steps_.clear();
    emit finished(ok, message);
}

}  // namespace lens::ui
