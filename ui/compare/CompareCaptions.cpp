#include "compare/CompareCaptions.h"

#include <QObject>

#include "compare/CompareFigures.h"
#include "compare/ComparisonTableModel.h"

namespace lens::ui {

namespace {

QString modelName(const Comparison& c, int i) {
    return i >= 0 && i < static_cast<int>(c.models.size())
               ? QString::fromStdString(c.models[static_cast<std::size_t>(i)].name)
               : QString();
}

QString confidence(const Comparison& c) {
    return QString::number(c.confidence * 100, 'f', 0);
}

}  // namespace

QString metricsTableCaption(const Comparison& c) {
    return QObject::tr(
               "<b>Each figure is a mean over %1 test users, with a %2 % bootstrap confidence "
               "interval.</b> The bootstrap asks how much the mean would move with other users: "
               "it draws %3 new samples of the same size from the scored users, with "
               "replacement (some users twice, some not at all), recomputes the mean in each, "
               "and reports the middle %2 % of those means. Every model and metric uses the "
               "same resamples (seed %4). Overlapping intervals do not prove two models equal: "
               "the pairs table below tests the difference user by user, which is sharper. The "
               "best model of each row is in bold.")
        .arg(c.usersScored)
        .arg(confidence(c))
        .arg(c.resamples)
        .arg(c.seed);
}

QString pairsTableCaption(const Comparison& c) {
    Q_UNUSED(c);
    return QObject::tr(
        "<b>Is the difference real?</b> Both models scored the same users, so each user gives "
        "one difference a − b and the tests look at those differences (a paired design removes "
        "the variation between users). The <b>paired t-test</b> asks whether their mean is zero; "
        "it assumes the mean is roughly normal, which holds for many users but is pulled by a "
        "few extreme ones. The <b>Wilcoxon signed-rank test</b> ranks the absolute differences "
        "and asks whether positive and negative ones balance: it is robust to outliers and to "
        "the many ties of 0/1 hit rates. Testing many pairs inflates false alarms, so "
        "<b>Holm's method</b> adjusts the t p-values: the smallest is multiplied by the number "
        "of pairs, the next by one less, and so on (keeping the order), which holds the chance "
        "of any false alarm at 5 %. A star marks Holm-adjusted p below 0.05.");
}

QString scatterCaption(const Comparison& c, int a, int b, const std::string& metric) {
    const QString label = metricLabel(metric, c.cutoff);
    const QString better = lowerIsBetter(metric) ? QObject::tr("above") : QObject::tr("below");
    const QString na = modelName(c, a), nb = modelName(c, b);
    std::size_t n = 0;
    if (!na.isEmpty() && !nb.isEmpty())
        n = pairedUserValues(c.models[static_cast<std::size_t>(a)],
                             c.models[static_cast<std::size_t>(b)], metric)
                .size();
    return QObject::tr(
               "<b>One point per test user</b> (%1 users scored by both): %2 under %3 "
               "(x) against %4 (y). Points %5 the dashed diagonal are users for whom %3 did "
               "better. A mean can hide that a model wins big for a few users and loses a "
               "little for many; the cloud shows it. Ranking metrics of one held-out movie "
               "take few values (a hit is 0 or 1), so points pile up: the histogram below "
               "shows how many.")
        .arg(n)
        .arg(label, na, nb, better);
}

QString histogramCaption(const Comparison& c, const std::string& metric) {
    return QObject::tr(
               "<b>How the per-user values spread</b>, as a share of each model's users (%1). "
               "The bootstrap and the tests work on exactly these values: a skewed or "
               "two-peaked distribution (many users with a miss, a few with a hit) is why the "
               "Wilcoxon test is reported beside the t-test.")
        .arg(metricLabel(metric, c.cutoff));
}

QString activityCaption(const Comparison& c) {
    Q_UNUSED(c);
    return QObject::tr(
        "<b>Who is the model good for?</b> Users split by how many training ratings they have: "
        "the coldest 10 % (lightest users) and quartiles of the rest, up to the heaviest 25 %. "
        "Each bar is the segment's mean, the "
        "whisker its bootstrap CI (users resampled within the segment). Small segments have "
        "wide whiskers; a model that wins overall may still lose on cold-start users.");
}

QString popularityCaption(const Comparison& c) {
    return QObject::tr(
               "<b>Does the model only find blockbusters?</b> Test cases split by the "
               "popularity of the held-out movie: head (the most rated movies, about 20 % of "
               "ratings' movies), mid and the long tail. Bars are the full-catalogue hit rate "
               "@%1 per tier with bootstrap whiskers. Popularity-biased models score high on "
               "the head and near zero in the tail.")
        .arg(c.cutoff);
}

QString demographicCaption(const Comparison& c, DemographicDimension dimension) {
    const QString who =
        dimension == DemographicDimension::Gender
            ? QObject::tr("Users split by the gender the release's user file gives.")
        : dimension == DemographicDimension::AgeGroup
            ? QObject::tr(
                  "Users split by age group: ml-1m's seven groups (Under 18, 18-24, 25-34, "
                  "35-44, 45-49, 50-55, 56+); ml-100k's ages in years are grouped the same way.")
            : QObject::tr(
                  "Users split by occupation as the release names them, the largest group "
                  "first.");
    return QObject::tr(
               "<b>Is the model as good for every group?</b> %1 Each bar is the group's mean "
               "%2 with its bootstrap CI (users resampled within the group); n is the number "
               "of users scored in the group, and a star marks groups of fewer than %3 users, "
               "whose whiskers are wide: a gap between two small groups is rarely evidence. "
               "Users the user file does not list are in no group.")
        .arg(who, metricLabel(c.models.empty() ? std::string(kUserNdcgFull)
                                               : primaryMetric(c.models[0].predictsRatings),
                              c.cutoff))
        .arg(kSmallSegmentUnits);
}

QString beyondCaption(const Comparison& c) {
    return QObject::tr(
               "<b>Beyond accuracy</b>, of each user's full-catalogue top-%1: catalogue "
               "coverage (share of movies recommended to anyone) and exposure Gini (how "
               "unequally recommendations fall on movies, 0 equal, 1 all on one) describe the "
               "whole set of lists and have no interval; genre and embedding diversity "
               "(ILD, intra-list distance: the mean distance between two movies of a list) and the "
               "long-tail share are means over "
               "users with bootstrap whiskers. Novelty (bits) and mean popularity (ratings) "
               "are in the metrics table.")
        .arg(c.cutoff);
}

QString protocolsCaption(const Comparison& c) {
    Q_UNUSED(c);
    return QObject::tr(
        "<b>Sampled vs full ranking.</b> The sampled protocol (the NCF papers') ranks each "
        "held-out movie among 100 random unrated movies; the full protocol ranks it among every "
        "movie the user has not rated. Sampling is cheap but changes what is measured: with "
        "only 100 easy negatives, a model that lifts the held-out movie above obscure movies "
        "wins even if it would not reach the top 10 of the catalogue. Krichene and Rendle "
        "(KDD 2020) showed that sampled metrics can even reverse the order of two models; when "
        "that happens here the note above the tables says so. Prefer the full figures.");
}

}  // namespace lens::ui
