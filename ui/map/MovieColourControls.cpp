#include "map/MovieColourControls.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <array>

#include "map/MapFigures.h"

namespace lens::ui {

MovieColourControls::MovieColourControls(QWidget* parent) : QWidget(parent) {
    modeCombo_ = new QComboBox(this);
    modeCombo_->addItem(tr("One genre"), static_cast<int>(MovieColourMode::Genre));
    modeCombo_->addItem(tr("Popularity"), static_cast<int>(MovieColourMode::Popularity));
    modeCombo_->addItem(tr("Mean rating"), static_cast<int>(MovieColourMode::MeanRating));
    modeCombo_->addItem(tr("Release year"), static_cast<int>(MovieColourMode::Year));
    modeCombo_->setItemData(0,
                            tr("The chosen genre's movies in one strong colour, drawn on top "
                               "of the other movies in grey"),
                            Qt::ToolTipRole);
    modeCombo_->setItemData(1, tr("Number of ratings, on a logarithmic colour scale"),
                            Qt::ToolTipRole);
    modeCombo_->setItemData(2, tr("Mean rating in stars; movies without ratings in grey"),
                            Qt::ToolTipRole);
    modeCombo_->setItemData(3, tr("Release year from the title; movies without one in grey"),
                            Qt::ToolTipRole);
    modeCombo_->setToolTip(
        tr("What the colour of a movie means: one genre against the rest, or popularity, mean "
           "rating or release year on a continuous scale (dark violet = low, yellow = high) with "
           "a colour bar in the legend"));
    genreCombo_ = new QComboBox(this);
    genreCombo_->setToolTip(
        tr("The genre whose movies are coloured and drawn on top; the others are grey. The "
           "default is the dataset's most frequent genre"));
    genreCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* modeLabel = new QLabel(tr("&Colour by"), this);
    modeLabel->setBuddy(modeCombo_);
    modeLabel->setToolTip(modeCombo_->toolTip());
    auto* genreLabel = new QLabel(tr("Ge&nre"), this);
    genreLabel->setBuddy(genreCombo_);
    genreLabel->setToolTip(genreCombo_->toolTip());
    layout->addWidget(modeLabel);
    layout->addWidget(modeCombo_);
    layout->addWidget(genreLabel);
    layout->addWidget(genreCombo_);

    connect(modeCombo_, &QComboBox::currentIndexChanged, this, [this] {
        updateGenreEnabled();
        if (!updating_) emit colouringChanged();
    });
    connect(genreCombo_, &QComboBox::currentIndexChanged, this, [this] {
        if (updating_) return;
        genrePicked_ = true;
        emit colouringChanged();
    });
    updateGenreEnabled();
}

MovieColouring MovieColourControls::colouring() const {
    MovieColouring colouring;
    colouring.mode = static_cast<MovieColourMode>(modeCombo_->currentData().toInt());
    colouring.genre = genreCombo_->currentIndex() >= 0 ? genreCombo_->currentData().toInt() : -1;
    return colouring;
}

void MovieColourControls::setColouring(const MovieColouring& colouring) {
    updating_ = true;
    modeCombo_->setCurrentIndex(modeCombo_->findData(static_cast<int>(colouring.mode)));
    if (colouring.genre >= 0) {
        const int row = genreCombo_->findData(colouring.genre);
        if (row >= 0) {
            genreCombo_->setCurrentIndex(row);
            genrePicked_ = true;
        }
    }
    updating_ = false;
    updateGenreEnabled();
    emit colouringChanged();
}

void MovieColourControls::setGenres(const std::vector<GenreMask>& movieGenres,
                                    const std::vector<std::string>& vocabulary) {
    const int genreCount = std::min(static_cast<int>(vocabulary.size()), kMaxGenreVocabulary);
    std::array<int, kMaxGenreVocabulary> counts{};
    for (const GenreMask mask : movieGenres)
        for (int g = 0; g < genreCount; ++g)
            counts[static_cast<std::size_t>(g)] += hasGenre(mask, g);
    const int previous = genreCombo_->currentIndex() >= 0 ? genreCombo_->currentData().toInt() : -1;
    const int mostFrequent = mostFrequentGenre(movieGenres);
    updating_ = true;
    genreCombo_->clear();
    const QLocale locale;
    for (int g = 0; g < genreCount; ++g) {
        if (counts[static_cast<std::size_t>(g)] == 0) continue;
        QString text = QStringLiteral("%1 (%2)").arg(
            genreName(vocabulary, g), locale.toString(counts[static_cast<std::size_t>(g)]));
        genreCombo_->addItem(text, g);
        if (g == mostFrequent)
            genreCombo_->setItemData(genreCombo_->count() - 1, tr("The most frequent genre"),
                                     Qt::ToolTipRole);
    }
    int row = genrePicked_ ? genreCombo_->findData(previous) : -1;
    if (row < 0) {
        row = genreCombo_->findData(mostFrequent);
        genrePicked_ = false;
    }
    genreCombo_->setCurrentIndex(row);
    updating_ = false;
    updateGenreEnabled();
}

void MovieColourControls::updateGenreEnabled() {
    genreCombo_->setEnabled(modeCombo_->currentData().toInt() ==
                                static_cast<int>(MovieColourMode::Genre) &&
                            genreCombo_->count() > 0);
}

}  // namespace lens::ui
