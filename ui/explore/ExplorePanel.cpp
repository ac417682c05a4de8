#include "explore/ExplorePanel.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "AppSettings.h"
#include "DatasetController.h"
#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

constexpr int kColumns = 2;
constexpr int kCardMinimumHeight = 440;

QString grouped(std::uint64_t value) {
    return QLocale(QLocale::English).toString(static_cast<qulonglong>(value));
}
QString fixed(double value, int decimals) {
    return QString::number(value, 'f', decimals);
}
QString percent(double share, int decimals = 1) {
    return QStringLiteral("%1 %").arg(fixed(100.0 * share, decimals));
}

QString alphaText(const PowerLawFit& fit) {
    if (!fit.valid) return QStringLiteral("n/a");
    return QStringLiteral("%1 ± %2").arg(fixed(fit.alpha, 2), fixed(fit.alphaStdErr, 2));
}
QString fitDetail(const PowerLawFit& fit) {
    if (!fit.valid) return QStringLiteral("too few distinct values to fit");
    return QStringLiteral("x_min %1 · KS %2 · tail %3 of %4")
        .arg(fit.xmin)
        .arg(fixed(fit.ks, 3), grouped(fit.nTail), grouped(fit.n));
}

double movieMeanBinWidth(const EdaReport& report) {
    const auto& edges = report.movieMeans.edges;
    return edges.size() >= 2 ? edges[1] - edges[0] : 0.25;
}

}  // namespace

ExplorePanel::ExplorePanel(DatasetController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    auto* layout = new QVBoxLayout(this);

    // Header: title, min-ratings filter, Save all.
    auto* header = new QHBoxLayout;
    headerLabel_ = new QLabel(tr("Explore"), this);
    QFont big = headerLabel_->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    headerLabel_->setFont(big);
    header->addWidget(headerLabel_);
    header->addStretch(1);

    auto* minLabel = new QLabel(tr("Movie means: at least"), this);
    minRatingsSpin_ = new QSpinBox(this);
    minRatingsSpin_->setRange(1, 100000);
    minRatingsSpin_->setValue(1);
    minRatingsSpin_->setSuffix(tr(" ratings"));
    // "at least 1 ratings" reads wrong, and 1 means every rated movie: say so, as the Load panel.
    minRatingsSpin_->setSpecialValueText(tr("any rated movie"));
    minRatingsSpin_->setAccelerated(true);
    const QString minTip =
        tr("Only movies with at least this many ratings enter the histogram of "
           "per-movie mean ratings (few ratings give extreme means)");
    minRatingsSpin_->setToolTip(minTip);
    minLabel->setToolTip(minTip);
    minLabel->setBuddy(minRatingsSpin_);
    header->addWidget(minLabel);
    header->addWidget(minRatingsSpin_);
    connect(minRatingsSpin_, &QSpinBox::valueChanged, this, &ExplorePanel::onMinRatingsChanged);

    saveAllAction_ = new QAction(tr("Save all charts…"), this);
    saveAllAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    saveAllAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    saveAllAction_->setToolTip(
        tr("Write every chart as PNG, SVG and PDF into a folder (Ctrl+Shift+S)"));
    saveAllAction_->setEnabled(false);
    connect(saveAllAction_, &QAction::triggered, this, &ExplorePanel::saveAllChartsWithDialog);
    addAction(saveAllAction_);
    saveAllButton_ = new QToolButton(this);
    saveAllButton_->setDefaultAction(saveAllAction_);
    saveAllButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    header->addWidget(saveAllButton_);
    layout->addLayout(header);

    // Busy bar and status line.
    auto* status = new QHBoxLayout;
    busyBar_ = new QProgressBar(this);
    busyBar_->setRange(0, 0);  // indeterminate
    busyBar_->setMaximumWidth(220);
    busyBar_->setTextVisible(false);
    busyBar_->setToolTip(tr("Computing the statistics in the background"));
    busyBar_->setVisible(false);
    statusLabel_ = new QLabel(tr("Load a dataset (stage Load) to explore it."), this);
    statusLabel_->setWordWrap(true);
    statusLabel_->setToolTip(tr("What the Explore panel is doing"));
    status->addWidget(busyBar_);
    status->addWidget(statusLabel_, 1);
    layout->addLayout(status);

    // Summary strip.
    summaryLabel_ = new QLabel(this);
    summaryLabel_->setWordWrap(true);
    summaryLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summaryLabel_->setTextFormat(Qt::RichText);
    summaryLabel_->setToolTip(
        tr("Power-law fits (Clauset, Shalizi & Newman 2009: maximum likelihood, x_min by the "
           "smallest Kolmogorov-Smirnov distance), inequality and sparsity of the dataset"));
    summaryLabel_->setVisible(false);
    layout->addWidget(summaryLabel_);

    // The charts.
    scroll_ = new QScrollArea(this);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    grid_ = new QWidget(scroll_);
    gridLayout_ = new QGridLayout(grid_);
    gridLayout_->setContentsMargins(0, 0, 0, 0);
    scroll_->setWidget(grid_);
    layout->addWidget(scroll_, 1);

    connect(&jobs_, &JobTracker::busyChanged, this, &ExplorePanel::onBusyChanged);

    if (controller_) {
        connect(controller_, &DatasetController::datasetChanged, this,
                [this](std::shared_ptr<const lens::Dataset> dataset) {
                    computeFor(std::move(dataset));
                });
        if (controller_->dataset()) computeFor(controller_->dataset());
    }
}

// jobs_ stops the running job and waits for its worker; a late result dies with it.
ExplorePanel::~ExplorePanel() = default;

quint64 ExplorePanel::computeFor(std::shared_ptr<const lens::Dataset> dataset) {
    if (!dataset) {
        cancel();
        return 0;
    }
    EdaOptions options;
    options.minRatingsForMovieMean = static_cast<std::uint64_t>(minRatingsSpin_->value());
    // Supersedes (stops and drops) the job of an older dataset.
    const quint64 job = jobs_.start(
        [dataset, options](const JobContext& context) {
            return computeEda(*dataset, options,
                              [context](double fraction, const std::string& stage) {
                                  return context.progress(fraction, stage);
                              });
        },
        [this](const EdaReport& report) {
            setResult(report, QString::fromStdString(report.datasetName));
        },
        [this](const QString& message) { onComputeFailed(message); });
    statusLabel_->setText(
        tr("Computing the statistics of %1…").arg(QString::fromStdString(dataset->name)));
    return job;
}

void ExplorePanel::cancel() {
    jobs_.cancel();
}

void ExplorePanel::onBusyChanged(bool busy) {
    busyBar_->setVisible(busy);
    emit busyChanged(busy);
}

void ExplorePanel::onComputeFailed(const QString& message) {
    statusLabel_->setText(tr("Could not compute the statistics: %1").arg(message));
    emit computeFailed(message);
}

void ExplorePanel::setResult(const EdaReport& report, const QString& datasetName) {
    cancel();
    report_ = report;
    datasetName_ = datasetName;
    {
        const QSignalBlocker block(minRatingsSpin_);
        minRatingsSpin_->setValue(static_cast<int>(std::min<std::uint64_t>(
            report.movieMeans.minRatings, static_cast<std::uint64_t>(minRatingsSpin_->maximum()))));
    }
    headerLabel_->setText(tr("Explore — %1").arg(datasetName));
    statusLabel_->setText(tr("%1 ratings by %2 users of %3 movies; statistics computed in %4 s. "
                             "Hover a chart for exact values.")
                              .arg(grouped(report.ratings), grouped(report.users),
                                   grouped(report.movies), fixed(report.seconds, 2)));
    buildCards();
    updateSummary();
    saveAllAction_->setEnabled(true);
    emit resultsShown(datasetName);
}

Provenance ExplorePanel::provenance() const {
    return report_ ? exploreProvenance(*report_, datasetName_) : Provenance{};
}

void ExplorePanel::buildCards() {
    for (FigureCard* card : std::as_const(cards_)) {
        gridLayout_->removeWidget(card);
        delete card;
    }
    cards_.clear();
    const Provenance prov = provenance();
    int index = 0;
    for (ExploreChart chart : exploreCharts()) {
        ChartFigure* figure = createExploreFigure(chart, *report_, datasetName_);
        auto* card = new FigureCard(figure, figure, grid_);
        card->setCaption(exploreCaption(chart, *report_));
        card->setProvenance(prov);
        card->setMinimumHeight(kCardMinimumHeight);
        figure->setToolTip(tr("Hover a point or bar for its exact value; right-click to export"));
        gridLayout_->addWidget(card, index / kColumns, index % kColumns);
        cards_.insert(chart, card);
        ++index;
    }
}

void ExplorePanel::updateSummary() {
    if (!report_) {
        summaryLabel_->clear();
        summaryLabel_->setVisible(false);
        return;
    }
    const EdaReport& r = *report_;
    const DegreeStats& m = r.movieDegrees;
    const DegreeStats& u = r.userDegrees;
    const double singleShare =
        m.entities ? static_cast<double>(m.singleCount) / static_cast<double>(m.entities) : 0.0;
    const QStringList items{
        tr("<b>Movie popularity</b> α = %1 (%2)").arg(alphaText(m.fit), fitDetail(m.fit)),
        tr("<b>User activity</b> α = %1 (%2)").arg(alphaText(u.fit), fitDetail(u.fit)),
        tr("<b>Gini</b> movies %1, users %2").arg(fixed(m.gini, 3), fixed(u.gini, 3)),
        tr("<b>Top 1 % / 10 %</b> of movies hold %1 / %2 of ratings; of users %3 / %4")
            .arg(percent(m.top1Share), percent(m.top10Share), percent(u.top1Share),
                 percent(u.top10Share)),
        tr("<b>Single-rating movies</b> %1 (%2 of rated movies)")
            .arg(grouped(m.singleCount), percent(singleShare)),
        tr("<b>Density</b> %1 (sparsity %2)").arg(percent(r.density, 3), percent(r.sparsity, 3)),
    };
    summaryLabel_->setText(items.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    summaryLabel_->setVisible(true);
}

QString ExplorePanel::summaryText() const {
    QString html = summaryLabel_->text();
    html.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
    html.remove(QStringLiteral("<b>"));
    html.remove(QStringLiteral("</b>"));
    return html;
}

void ExplorePanel::onMinRatingsChanged(int minRatings) {
    if (!report_ || report_->scale.implicit) return;  // implicit feedback: no means to re-bin
    report_->movieMeans =
        movieMeanHistogram(report_->movieRatingSummaries, static_cast<std::uint64_t>(minRatings),
                           movieMeanBinWidth(*report_), report_->scale.min, report_->scale.max);
    FigureCard* card = cards_.value(ExploreChart::MovieMeans);
    if (!card) return;
    auto* figure = static_cast<ChartFigure*>(card->figureWidget());
    replaceFigureChart(figure, createMovieMeanChart(report_->movieMeans, datasetName_),
                       ExploreChart::MovieMeans);
    card->setCaption(movieMeanCaption(report_->movieMeans));
}

ChartFigure* ExplorePanel::chartFigure(ExploreChart chart) const {
    FigureCard* card = cards_.value(chart);
    return card ? static_cast<ChartFigure*>(card->figureWidget()) : nullptr;
}

QList<const Figure*> ExplorePanel::figures() const {
    QList<const Figure*> out;
    for (ExploreChart chart : exploreCharts())
        if (FigureCard* card = cards_.value(chart)) out.append(card->figure());
    return out;
}

QStringList ExplorePanel::saveAllCharts(const QString& directory, QString* error) const {
    if (cards_.isEmpty()) {
        if (error) *error = tr("There are no charts yet: load a dataset first.");
        return {};
    }
    FigureExportOptions options;
    options.dpi = settings::exportDpi();
    options.footer = provenance().text();
    QString message;
    const QStringList written = saveAllFigures(
        figures(), directory, {FigureFormat::Png, FigureFormat::Svg, FigureFormat::Pdf}, options,
        &message);
    if (!message.isEmpty()) {
        if (error) *error = message;
        return {};
    }
    return written;
}

void ExplorePanel::saveAllChartsWithDialog() {
    if (cards_.isEmpty()) return;
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Save all charts (PNG, SVG, PDF) to folder"), settings::exportDirectory());
    if (directory.isEmpty()) return;
    QString error;
    const QStringList written = saveAllCharts(directory, &error);
    if (written.isEmpty()) {
        QMessageBox::warning(this, tr("Saving the charts failed"), error);
        return;
    }
    settings::setExportDirectory(directory);
    statusLabel_->setText(
        tr("Wrote %1 files to %2.").arg(written.size()).arg(QDir::toNativeSeparators(directory)));
}

}  // namespace lens::ui
