#include "MovieSearchIndex.h"

#include <algorithm>

#include "data/Dataset.h"

namespace lens::ui {

namespace {

// Letters that NFKD leaves whole but a reader types without the mark.
QString foldSpecialLetter(QChar c) {
    switch (c.unicode()) {
        case 0x00E6:
            return QStringLiteral("ae");  // æ
        case 0x0153:
            return QStringLiteral("oe");  // œ
        case 0x00F8:
            return QStringLiteral("o");  // ø
        case 0x00DF:
            return QStringLiteral("ss");  // ß
        case 0x0142:
            return QStringLiteral("l");  // ł
        case 0x0111:
            return QStringLiteral("d");  // đ
        case 0x00F0:
            return QStringLiteral("d");  // ð
        case 0x00FE:
            return QStringLiteral("th");  // þ
        case 0x0131:
            return QStringLiteral("i");  // dotless i
        default:
            return QString(c);
    }
}

}  // namespace

MovieSearchIndex::MovieSearchIndex(std::shared_ptr<const Dataset> dataset)
    : dataset_(std::move(dataset)) {
    if (!dataset_) return;
    const std::size_t movies = dataset_->movieCount();
    titles_.reserve(static_cast<qsizetype>(movies));
    folded_.reserve(static_cast<qsizetype>(movies));
    ratingCounts_.resize(movies, 0);
    for (std::size_t m = 0; m < movies; ++m) {
        titles_.append(QString::fromStdString(dataset_->titles[m]));
        folded_.append(fold(titles_.back()));
        if (m < dataset_->byMovie.rows())
            ratingCounts_[m] = static_cast<int>(dataset_->byMovie.rowSize(m));
    }
    byPopularity_.resize(movies);
    for (std::size_t m = 0; m < movies; ++m) byPopularity_[m] = static_cast<int>(m);
    std::stable_sort(byPopularity_.begin(), byPopularity_.end(), [this](int a, int b) {
        if (ratingCounts_[a] != ratingCounts_[b]) return ratingCounts_[a] > ratingCounts_[b];
        return titles_[a].localeAwareCompare(titles_[b]) < 0;
    });
}

QString MovieSearchIndex::fold(const QString& text) {
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        const auto category = c.category();
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining ||
            category == QChar::Mark_Enclosing)
            continue;
        out += foldSpecialLetter(c.toCaseFolded());
    }
    return out.simplified();
}

std::vector<int> MovieSearchIndex::search(const QString& query, int limit) const {
    std::vector<int> hits;
    const QStringList words = fold(query).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty() || limit <= 0) return hits;
    for (const int movie : byPopularity_) {
        const QString& title = folded_[movie];
        const bool all = std::all_of(words.begin(), words.end(),
                                     [&title](const QString& w) { return title.contains(w); });
        if (!all) continue;
        hits.push_back(movie);
        if (static_cast<int>(hits.size()) >= limit) break;
    }
    return hits;
}

}  // namespace lens::ui
