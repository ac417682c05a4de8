#include "RankControls.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "data/Genre.h"
#include "rank/RankText.h"

namespace lens::ui {

RankControls::RankControls(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buildFilterRow());
    layout->addLayout(buildScoringRow());

    connect(minRatings_, &QSpinBox::valueChanged, this, &RankControls::changed);
    connect(count_, &QSpinBox::valueChanged, this, &RankControls::changed);
    connect(excludeRated_, &QCheckBox::toggled, this, &RankControls::changed);
    connect(scoring_, &QComboBox::currentIndexChanged, this, [this] {
        biasWeight_->setEnabled(scoring_->currentData().toInt() ==
                                static_cast<int>(RankScoring::StudyVariant));
        emit changed();
    });
    connect(biasWeight_, &QDoubleSpinBox::valueChanged, this, &RankControls::changed);
    connect(compare_, &QComboBox::currentIndexChanged, this, &RankControls::changed);
    updateGenreButtons();
}

QBoxLayout* RankControls::buildFilterRow() {
    minRatings_ = new QSpinBox(this);
    minRatings_->setRange(0, 1'000'000);
    minRatings_->setValue(100);
    minRatings_->setToolTip(
        tr("Only movies with at least this many ratings (100 as in the study) "
           "can be recommended"));
    excludeRated_ = new QCheckBox(tr("Exclude rated"), this);
    excludeRated_->setChecked(true);
    excludeRated_->setToolTip(tr("Leave out the movies the persona rated (on by default)"));
    count_ = new QSpinBox(this);
    count_->setRange(1, 100);
    count_->setValue(10);
    count_->setToolTip(tr("Length N of the list"));
    includeButton_ = genreMenuButton(&includeGenres_, &includeActions_);
    excludeButton_ = genreMenuButton(&excludeGenres_, &excludeActions_);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Min. ratings:"), this));
    row->addWidget(minRatings_);
    row->addWidget(excludeRated_);
    row->addWidget(new QLabel(tr("N:"), this));
    row->addWidget(count_);
    row->addWidget(includeButton_);
    row->addWidget(excludeButton_);
    row->addStretch(1);
    return row;
}

// A push button (its size hint makes room for the menu arrow, which covered the end of a tool
// button's text) whose menu checks genres into *mask.
QPushButton* RankControls::genreMenuButton(GenreMask* mask, QList<QAction*>* actions) {
    auto* button = new QPushButton(this);
    auto* menu = new QMenu(button);
    fillGenreMenu(menu, mask, actions);
    button->setMenu(menu);
    return button;
}

void RankControls::fillGenreMenu(QMenu* menu, GenreMask* mask, QList<QAction*>* actions) {
    menu->clear();  // deletes the actions it owns
    actions->clear();
    const int genres = std::min(static_cast<int>(vocabulary_.size()), kMaxGenreVocabulary);
    for (int g = 0; g < genres; ++g) {
        QAction* action = menu->addAction(genreName(vocabulary_[static_cast<std::size_t>(g)]));
        action->setCheckable(true);
        actions->append(action);
        connect(action, &QAction::toggled, this, [this, mask, g](bool on) {
            *mask = on ? (*mask | (1U << g)) : (*mask & ~(1U << g));
            updateGenreButtons();
            emit changed();
        });
    }
}

void RankControls::setGenreVocabulary(const std::vector<std::string>& vocabulary) {
    if (vocabulary == vocabulary_) return;
    vocabulary_ = vocabulary;
    includeGenres_ = 0;
    excludeGenres_ = 0;
    fillGenreMenu(includeButton_->menu(), &includeGenres_, &includeActions_);
    fillGenreMenu(excludeButton_->menu(), &excludeGenres_, &excludeActions_);
    updateGenreButtons();
    emit changed();
}

QBoxLayout* RankControls::buildScoringRow() {
    scoring_ = new QComboBox(this);
    scoring_->addItem(tr("Study variant: p·q + w·b_i"),
                      static_cast<int>(RankScoring::StudyVariant));
    scoring_->addItem(tr("Predicted rating"), static_cast<int>(RankScoring::PredictedRating));
    scoring_->addItem(tr("Raw model score"), static_cast<int>(RankScoring::RawScore));
    scoring_->setToolTip(
        tr("How movies are ranked. Predicted rating (mu + b_u + b_i + p·q) lets "
           "globally loved movies fill a small persona's list; the study's variant "
           "p·q + w·b_i keeps only a little of the movie bias"));
    biasWeight_ = new QDoubleSpinBox(this);
    biasWeight_->setRange(0.0, 5.0);
    biasWeight_->setDecimals(3);
    biasWeight_->setSingleStep(0.01);
    biasWeight_->setValue(0.05);
    biasWeight_->setToolTip(
        tr("Weight w of the movie bias b_i in the study variant (0.05 in the "
           "study)"));
    compare_ = new QComboBox(this);
    compare_->setToolTip(
        tr("Show a second model's list for the same persona side by side; movies "
           "in both lists are highlighted"));
    compare_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setComparisonChoices({});

    scoringRow_ = new QHBoxLayout;
    scoringRow_->addWidget(new QLabel(tr("Scoring:"), this));
    scoringRow_->addWidget(scoring_);
    scoringRow_->addWidget(new QLabel(tr("w:"), this));
    scoringRow_->addWidget(biasWeight_);
    scoringRow_->addSpacing(12);
    scoringRow_->addWidget(new QLabel(tr("Compare with:"), this));
    scoringRow_->addWidget(compare_, 1);
    return scoringRow_;
}

void RankControls::addActionButton(QAction* action) {
    auto* button = new QToolButton(this);
    button->setDefaultAction(action);
    scoringRow_->addWidget(button);
}

RankConfig RankControls::config() const {
    RankConfig config;
    config.filter.minRatings = static_cast<std::size_t>(minRatings_->value());
    config.filter.excludeRated = excludeRated_->isChecked();
    config.filter.includeGenres = includeGenres_;
    config.filter.excludeGenres = excludeGenres_;
    config.filter.n = count_->value();
    config.scoring = static_cast<RankScoring>(scoring_->currentData().toInt());
    config.biasWeight = biasWeight_->value();
    return config;
}

void RankControls::setConfig(const RankConfig& config) {
    {
        const QSignalBlocker b1(minRatings_), b2(excludeRated_), b3(count_), b4(scoring_),
            b5(biasWeight_);
        minRatings_->setValue(static_cast<int>(
            std::min<std::size_t>(config.filter.minRatings, minRatings_->maximum())));
        excludeRated_->setChecked(config.filter.excludeRated);
        count_->setValue(config.filter.n);
        const int index = scoring_->findData(static_cast<int>(config.scoring));
        if (index >= 0) scoring_->setCurrentIndex(index);
        biasWeight_->setValue(config.biasWeight);
        biasWeight_->setEnabled(config.scoring == RankScoring::StudyVariant);
    }
    includeGenres_ = config.filter.includeGenres;
    excludeGenres_ = config.filter.excludeGenres;
    for (int g = 0; g < static_cast<int>(includeActions_.size()); ++g) {
        const QSignalBlocker bi(includeActions_[g]), be(excludeActions_[g]);
        includeActions_[g]->setChecked(hasGenre(includeGenres_, g));
        excludeActions_[g]->setChecked(hasGenre(excludeGenres_, g));
    }
    updateGenreButtons();
    emit changed();
}

QString RankControls::comparison() const {
    return compare_->currentData().toString();
}

bool RankControls::setComparison(const QString& id) {
    const int index = compare_->findData(id);
    if (index < 0) return false;
    compare_->setCurrentIndex(index);
    return true;
}

void RankControls::setComparisonChoices(const QList<std::pair<QString, QString>>& choices) {
    const QString current = comparison();
    const QSignalBlocker block(compare_);
    compare_->clear();
    compare_->addItem(tr("(no second list)"), QString());
    for (const auto& [label, id] : choices) compare_->addItem(label, id);
    const int index = compare_->findData(current);
    compare_->setCurrentIndex(index < 0 ? 0 : index);
}

void RankControls::updateGenreButtons() {
    // Two genres by name, more as "first +n" (the whole list in the tooltip), so that the
    // buttons keep their width in the filter row.
    auto shortText = [this](GenreMask mask) {
        const auto names = genreNamesIn(mask, vocabulary_);
        if (names.size() <= 2) return genreText(mask, vocabulary_);
        return QStringLiteral("%1 +%2").arg(genreName(names.front())).arg(names.size() - 1);
    };
    includeButton_->setText(includeGenres_ ? tr("Only: %1").arg(shortText(includeGenres_))
                                           : tr("Only: any genre"));
    excludeButton_->setText(excludeGenres_ ? tr("Exclude: %1").arg(shortText(excludeGenres_))
                                           : tr("Exclude: none"));
    includeButton_->setToolTip(tr("Keep only movies with at least one of the checked genres") +
                               (includeGenres_
                                    ? tr(" (now: %1)").arg(genreText(includeGenres_, vocabulary_))
                                    : QString()));
    excludeButton_->setToolTip(tr("Leave out movies with any of the checked genres") +
                               (excludeGenres_
                                    ? tr(" (now: %1)").arg(genreText(excludeGenres_, vocabulary_))
                                    : QString()));
}

}  // namespace lens::ui
