#include "RankText.h"

#include <QLocale>
#include <QObject>
#include <QStringList>

namespace lens::ui {

QString genreName(std::string_view name) {
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

QString genreText(GenreMask mask) {
    QStringList names;
    for (const auto name : genreNamesOf(mask)) names << genreName(name);
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
