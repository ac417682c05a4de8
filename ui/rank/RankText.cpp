#include "RankText.h"

#include <QLocale>
#include <QObject>
#include <QStringList>

namespace lens::ui {

QString genreName(std::string_view name) {
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

std::vector<std::string_view> genreNamesIn(GenreMask mask,
                                           const std::vector<std::string>& vocabulary) {
    std::vector<std::string_view> names;
    for (std::size_t g = 0; g < vocabulary.size() && g < 32; ++g)
        if (hasGenre(mask, static_cast<int>(g))) names.emplace_back(vocabulary[g]);
    return names;
}

QString genreText(GenreMask mask, const std::vector<std::string>& vocabulary) {
    QStringList names;
    for (const auto name : genreNamesIn(mask, vocabulary)) names << genreName(name);
    return names.isEmpty() ? QObject::tr("(no genres)") : names.join(QStringLiteral(", "));
}

QString scoringDescription(RankScoring scoring, double biasWeight) {
    switch (scoring) {
        case RankScoring::StudyVariant:
            return QObject::tr("score p·q + %1·b_i (study variant)")
                .arg(QLocale().toString(biasWeight, 'g', 3));
        case RankScoring::PredictedRating:
            return QObject::tr("score = predicted rating");
        case RankScoring::RawScore:
            return QObject::tr("score = raw model output");
    }
    return {};
}

}  // namespace lens::ui
