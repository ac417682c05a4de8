#include "report/ReportBuilder.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLineSeries>
#include <QLocale>
#include <QSysInfo>
#include <QValueAxis>
#include <algorithm>
#include <armadillo>
#include <cmath>

#include "charts/ChartFigure.h"
#include "data/Genre.h"
#include "eval/MetricKeys.h"
#include "explore/ExploreFigures.h"
#include "io/InteractionReader.h"
#include "map/GenreMapView.h"
#include "map/HeatmapView.h"
#include "map/MapFigures.h"
#include "map/MovieMapView.h"
#include "report/ReportComparisonSection.h"

namespace lens::ui {

namespace {

// A metric as JSON: the engine's rule (eval/MetricKeys.h), null when absent.
QJsonValue metric(double v) {
    const std::optional<double> value = metricJsonValue(v);
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// "Action, Adventure, Sci-Fi": with spaces, so a narrow column wraps between genres.
QString genresText(const Dataset& dataset, GenreMask mask) {
    QStringList names;
    for (int g = 0; g < dataset.genreCount(); ++g)
        if (hasGenre(mask, g)) names << QString::fromStdString(dataset.genreName(g));
    return names.join(QStringLiteral(", "));
}

// The one or two persona movies a list item is "because" of: the strongest, and the next when it
// contributed at least half as much (the ranker gives them strongest first, with weights). Every
// item of a persona with three movies names all three otherwise, which says nothing.
std::vector<std::int64_t> strongestReasons(const RankedMovie& m) {
    std::vector<std::int64_t> out;
    if (m.because.empty()) return out;
    out.push_back(m.because[0]);
    const auto& w = m.becauseWeights;
    if (m.because.size() > 1 && w.size() > 1 && w[0] > 0.0f && w[1] >= 0.5f * w[0])
        out.push_back(m.because[1]);
    return out;
}

QString title(const Dataset& d, std::int64_t movieId) {
    const std::int64_t index = d.movieIndex(movieId);
    return index < 0 ? QStringLiteral("#%1").arg(movieId)
                     : QString::fromStdString(d.titles[static_cast<std::size_t>(index)]);
}

Provenance runProvenance(const ReportStudy& study, const ReportModelRun& run) {
    Provenance p;
    p.dataset = QString::fromStdString(study.dataset->name);
    p.model = QStringLiteral("%1 (%2)").arg(run.displayName, run.hyperparameters);
    p.split = QString::fromStdString(run.split.describe());
    p.seed = QString::number(study.options.seed);
    return p;
}

}  // namespace

ReportBuilder::ReportBuilder() = default;
ReportBuilder::~ReportBuilder() = default;

ChartFigure* ReportBuilder::createLearningCurve(const ReportModelRun& run, const QString& stem) {
    auto* chart = new QChart;
    chart->setTitle(QObject::tr("%1: learning curve").arg(run.displayName));
    const auto& history = run.model->history();
    struct Line {
        QString name;
        double TrainingSnapshot::*member;
    };
    QList<Line> lines;
    if (run.model->predictsRatings())
        lines = {{QObject::tr("train RMSE"), &TrainingSnapshot::trainRmse},
                 {QObject::tr("test RMSE"), &TrainingSnapshot::testRmse}};
    else
        lines = {{QObject::tr("HR@10 (sampled)"), &TrainingSnapshot::hr10},
                 {QObject::tr("NDCG@10 (sampled)"), &TrainingSnapshot::ndcg10}};
    bool anyRanking = false;
    for (const auto& s : history) anyRanking |= TrainingSnapshot::hasMetric(s.hr10);
    if (!run.model->predictsRatings() && !anyRanking)
        lines = {{QObject::tr("objective"), &TrainingSnapshot::objective}};
    auto* x = new QValueAxis;
    x->setTitleText(QObject::tr("iteration"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto* y = new QValueAxis;
    const RatingScale& scale = run.model->ratingScale();
    y->setTitleText(
        !run.model->predictsRatings() ? lines.first().name
        : scale.isHalfStars()
            ? QObject::tr("RMSE (0.5–5 stars)")
            : QObject::tr("RMSE (%1–%2 scale)").arg(double(scale.min)).arg(double(scale.max)));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (const Line& line : lines) {
        auto* series = new QLineSeries;
        series->setName(line.name);
        series->setPointsVisible(history.size() < 40);
        for (const auto& s : history) {
            const double v = s.*line.member;
            if (!TrainingSnapshot::hasMetric(v)) continue;
            series->append(s.iteration, v);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    const int iterations = std::max<int>(1, static_cast<int>(history.size()));
    x->setRange(0, iterations);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(iterations <= 10 ? 1 : (iterations <= 25 ? 5 : 10));
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(12);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    if (lo <= hi) {
        const double pad = std::max(1e-3, (hi - lo) * 0.08);
        y->setRange(lo - pad, hi + pad);
        y->applyNiceNumbers();
    }
    auto* figure = new ChartFigure(stem, chart);
    figure->enableHoverTooltips(QObject::tr("iteration"), y->titleText());
    return figure;
}

ReportDocument ReportBuilder::build(const ReportStudy& study, const QString& sourceDescription) {
    widgets_.clear();
    const Dataset& dataset = *study.dataset;
    const QString datasetName = QString::fromStdString(dataset.name);
    const QLocale locale(QLocale::English);
    ReportDocument doc;
    doc.title = QObject::tr("Lens Atlas report: %1").arg(datasetName);
    doc.subtitle =
        QObject::tr("%1 ratings by %2 users on %3 movies · generated %4")
            .arg(
                locale.toString(qulonglong(dataset.ratingCount())),
                locale.toString(qulonglong(dataset.userCount())),
                locale.toString(qulonglong(dataset.movieCount())),
                QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    doc.aboutHtml =
        QObject::tr(
            "<p>Dataset <b>%1</b> from %2. Seed %3 for every split, initialisation and "
            "sampled negative. Rating models: per-user holdout of 20 %% of each user's ratings; "
            "ranking models: leave-one-out latest rating per user. Software: Lens Atlas %4, "
            "Qt %5, Armadillo %6, on %7.</p>")
            .arg(htmlEscape(datasetName), htmlEscape(sourceDescription))
            .arg(study.options.seed)
            .arg(QStringLiteral(LENS_ATLAS_VERSION), QString::fromLatin1(qVersion()),
                 QString::fromStdString(arma::arma_version::as_string()),
                 htmlEscape(QSysInfo::prettyProductName()));
    // The data's own line: MovieLens's citation for a release, the scale of one's own data.
    if (dataset.layout == Layout::Interactions)
        doc.aboutHtml +=
            QObject::tr("<p>Interaction data read through a column mapping; ratings %1.</p>")
                .arg(htmlEscape(QString::fromStdString(ratingScaleText(dataset.scale))));
    else
        doc.aboutHtml += QObject::tr(
            "<p>MovieLens data: F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens "
            "Datasets: History and Context. ACM TiiS 5, 4: 19:1–19:19.</p>");
    for (const FilterStep& step : dataset.filterSteps)
        doc.aboutHtml +=
            QObject::tr("<p>Load filter %1: removed %2 ratings, %3 users, %4 movies.</p>")
                .arg(htmlEscape(QString::fromStdString(step.filter)))
                .arg(locale.toString(qulonglong(step.removedRatings)))
                .arg(locale.toString(qulonglong(step.removedUsers)))
                .arg(locale.toString(qulonglong(step.removedMovies)));

    // Explore.
    ReportSection explore;
    explore.title = QObject::tr("Explore: power laws, ratings and sparsity");
    explore.html =
        QObject::tr(
            "<p>Density %1 (sparsity %2). Users: α = %3 ± %4 above x<sub>min</sub> = %5, "
            "Gini %6. Movies: α = %7 ± %8 above x<sub>min</sub> = %9, Gini %10. Mean rating "
            "%11.</p>")
            .arg(reportNumber(study.eda.density, 5), reportNumber(study.eda.sparsity, 5))
            .arg(reportNumber(study.eda.userDegrees.fit.alpha, 3),
                 reportNumber(study.eda.userDegrees.fit.alphaStdErr, 3))
            .arg(study.eda.userDegrees.fit.xmin)
            .arg(reportNumber(study.eda.userDegrees.gini, 3))
            .arg(reportNumber(study.eda.movieDegrees.fit.alpha, 3),
                 reportNumber(study.eda.movieDegrees.fit.alphaStdErr, 3))
            .arg(study.eda.movieDegrees.fit.xmin)
            .arg(reportNumber(study.eda.movieDegrees.gini, 3),
                 reportNumber(study.eda.ratingHistogram.mean, 3));
    const Provenance edaProvenance = exploreProvenance(study.eda, datasetName);
    for (ExploreChart chart : exploreCharts()) {
        ChartFigure* figure = createExploreFigure(chart, study.eda, datasetName);
        figure->resize(figure->preferredFigureSize());
        widgets_.emplace_back(figure);
        explore.figures.append(
            {figure, exploreCaption(chart, study.eda).toHtmlEscaped(), edaProvenance});
    }
    doc.sections << explore;

    // Train.
    ReportSection train;
    train.title = QObject::tr("Train: models and their accuracy");
    // Only the metrics some model has, and the hyper-parameters as notes under the table: a
    // dozen columns of "k 32, lambda 0.15, ..." cannot fit an A4 page without breaking words.
    struct MetricColumn {
        QString title;
        double ModelEvaluation::*member;
        int precision;
    };
    const QList<MetricColumn> metricColumns = {
        {QObject::tr("train RMSE"), &ModelEvaluation::trainRmse, 4},
        {QObject::tr("test RMSE"), &ModelEvaluation::testRmse, 4},
        {QObject::tr("test MAE"), &ModelEvaluation::testMae, 4},
        {QObject::tr("HR@10 (sampled)"), &ModelEvaluation::sampledHr10, 4},
        {QObject::tr("NDCG@10 (sampled)"), &ModelEvaluation::sampledNdcg10, 4},
        {QObject::tr("HR@10 (full)"), &ModelEvaluation::fullHr10, 4},
        {QObject::tr("NDCG@10 (full)"), &ModelEvaluation::fullNdcg10, 4},
        {QObject::tr("s / iteration"), &ModelEvaluation::secondsPerIteration, 3}};
    QList<MetricColumn> shownColumns;
    for (const MetricColumn& column : metricColumns)
        if (std::any_of(study.runs.begin(), study.runs.end(), [&](const ReportModelRun& run) {
                return !std::isnan(run.evaluation.*column.member);
            }))
            shownColumns << column;
    ReportTable metricsTable;
    metricsTable.caption = QObject::tr("Final metrics on each model's test split");
    metricsTable.header << QObject::tr("model");
    for (const MetricColumn& column : shownColumns) metricsTable.header << column.title;
    metricsTable.header << QObject::tr("status");
    QJsonArray modelsJson;
    for (std::size_t r = 0; r < study.runs.size(); ++r) {
        const ReportModelRun& run = study.runs[r];
        const ModelEvaluation& e = run.evaluation;
        QStringList row{run.displayName};
        for (const MetricColumn& column : shownColumns)
            row << reportNumber(e.*column.member, column.precision);
        row << QString::fromLatin1(fitStatusName(run.status));
        metricsTable.rows << row;
        metricsTable.notes << QObject::tr("<b>%1</b> on %2: %3")
                                  .arg(run.displayName.toHtmlEscaped(),
                                       QString::fromStdString(run.split.describe()).toHtmlEscaped(),
                                       run.hyperparameters.isEmpty()
                                           ? QObject::tr("no hyper-parameters")
                                           : run.hyperparameters.toHtmlEscaped());
        ChartFigure* curve =
            createLearningCurve(run, QStringLiteral("learning-curve-%1").arg(run.kind));
        curve->resize(curve->preferredFigureSize());
        widgets_.emplace_back(curve);
        train.figures.append(
            {curve,
             QObject::tr("%1 trained on %2 ratings; the curve is on %3 validation ratings "
                         "carved from the training part, the test part (%4) is scored once at "
                         "the end (%5).")
                 .arg(run.displayName.toHtmlEscaped())
                 .arg(run.trainCount)
                 .arg(run.validationCount)
                 .arg(run.testCount)
                 .arg(QString::fromStdString(run.split.describe()).toHtmlEscaped()),
             runProvenance(study, run)});
        QJsonObject m;
        m["model"] = run.kind;
        m["display_name"] = run.displayName;
        m["hyperparameters"] = run.hyperparameters;
        m["split"] = QString::fromStdString(run.split.text());
        m["status"] = QString::fromLatin1(fitStatusName(run.status));
        m["iterations"] = e.iterations;
        for (const auto& k : kEvaluationMetricKeys) m[QLatin1String(k.key)] = metric(e.*k.member);
        modelsJson.append(m);
    }
    train.tables << metricsTable;
    doc.sections << train;
    if (study.comparison) doc.sections << buildComparisonSection(study, widgets_);

    // Rank.
    ReportSection rank;
    rank.title = QObject::tr("Rank: top-10 lists of personas");
    rank.html = QObject::tr(
        "<p>Each persona is folded into the trained model without retraining; lists exclude "
        "the persona's own movies and movies with fewer than 100 ratings, and score "
        "p·q<sub>i</sub> + 0.05 b<sub>i</sub> (the study's variant). “Because” names "
        "the persona's movie that contributed most, and the next one when it contributed at "
        "least half as much.</p>");
    QJsonArray listsJson;
    for (const ReportPersonaList& list : study.lists) {
        const ReportModelRun& run = study.runs[static_cast<std::size_t>(list.runIndex)];
        ReportTable table;
        table.caption =
            QObject::tr("%1 · %2%3")
                .arg(list.persona, run.displayName,
                     list.missingText.isEmpty() ? QString()
                                                : QStringLiteral(" · ") + list.missingText);
        // Ranking models predict no rating: their lists go without the column.
        const bool predicts =
            std::any_of(list.list.items.begin(), list.list.items.end(),
                        [](const RankedMovie& m) { return !std::isnan(m.predictedRating); });
        table.header = {QObject::tr("rank"), QObject::tr("title"), QObject::tr("genres")};
        if (predicts) table.header << QObject::tr("predicted");
        table.header << QObject::tr("score") << QObject::tr("ratings") << QObject::tr("mean")
                     << QObject::tr("because");
        QJsonArray items;
        for (const RankedMovie& m : list.list.items) {
            QJsonArray becauseIds;
            for (std::int64_t id : m.because) becauseIds.append(static_cast<qint64>(id));
            QStringList because;
            for (std::int64_t id : strongestReasons(m)) because << title(dataset, id);
            QStringList row{QString::number(m.rank), title(dataset, m.movieId),
                            genresText(dataset, dataset.genres[m.item])};
            if (predicts) row << reportNumber(m.predictedRating, 2);
            row << reportNumber(m.score, 3) << QString::number(m.ratingsCount)
                << reportNumber(m.meanRating, 2) << because.join(QStringLiteral("; "));
            table.rows << row;
            QJsonObject item;
            item["rank"] = m.rank;
            item["movie_id"] = static_cast<qint64>(m.movieId);
            item["title"] = title(dataset, m.movieId);
            item["score"] = m.score;
            item["predicted_rating"] = metric(m.predictedRating);
            item["ratings_count"] = static_cast<qint64>(m.ratingsCount);
            item["because"] = becauseIds;
            items.append(item);
        }
        rank.tables << table;
        QJsonObject l;
        l["persona"] = list.persona;
        l["model"] = list.model;
        l["items"] = items;
        l["missing"] = list.missingText;
        QJsonArray popular;
        for (const RankedMovie& m : list.popularity.items)
            popular.append(static_cast<qint64>(m.movieId));
        l["popularity_top"] = popular;
        listsJson.append(l);
    }
    doc.sections << rank;

    // Map.
    QJsonObject mapJson;
    if (study.map) {
        const ReportMap& map = *study.map;
        const ReportModelRun& run = study.runs[static_cast<std::size_t>(map.runIndex)];
        ReportSection section;
        section.title = QObject::tr("Map: genre and movie embeddings");
        const GenreMap& g = map.genres;
        const auto axisTitle = [&](int axis) {
            return axis < static_cast<int>(g.explainedVarianceRatio.size())
                       ? QObject::tr("PC%1 (%2 % of variance)")
                             .arg(axis + 1)
                             .arg(100.0 * g.explainedVarianceRatio[axis], 0, 'f', 1)
                       : QObject::tr("dimension %1").arg(axis + 1);
        };
        QStringList names;
        for (int genre : g.genres.genres) names << genreName(study.dataset->genreVocabulary, genre);
        QList<GenreMapView::GenrePoint> points;
        QJsonArray genresJson;
        for (int i = 0; i < names.size(); ++i) {
            GenreMapView::GenrePoint p;
            p.name = names[i];
            p.position = QPointF(g.layout(i, 0), g.layout(i, 1));
            p.movies = g.genres.movieCount[static_cast<std::size_t>(i)];
            p.color =
                MovieMapView::defaultCategoryColor(g.genres.genres[static_cast<std::size_t>(i)]);
            QStringList nearest;
            QJsonArray nearestJson;
            for (const CosineNeighbour& nb : g.nearest[static_cast<std::size_t>(i)]) {
                nearest
                    << QStringLiteral("%1 (%2)").arg(names[nb.index]).arg(nb.similarity, 0, 'f', 2);
                nearestJson.append(names[nb.index]);
            }
            p.details = nearest.join(QStringLiteral(", "));
            points << p;
            QJsonObject o;
            o["name"] = names[i];
            o["x"] = p.position.x();
            o["y"] = p.position.y();
            o["movies"] = p.movies;
            o["nearest"] = nearestJson;
            genresJson.append(o);
        }
        auto* genreMap = new GenreMapView;
        genreMap->setGenres(points);
        genreMap->setAxisTitles(axisTitle(0), axisTitle(1));
        genreMap->setFigureTitle(
            QObject::tr("Genre map (%1, %2)")
                .arg(run.displayName, QString::fromLatin1(genreSourceName(g.source))));
        genreMap->resize(genreMap->preferredFigureSize());
        widgets_.emplace_back(genreMap);
        auto* heatmap = new HeatmapView;
        std::vector<double> values(static_cast<std::size_t>(names.size() * names.size()));
        for (int r = 0; r < names.size(); ++r)
            for (int c = 0; c < names.size(); ++c)
                values[static_cast<std::size_t>(r * names.size() + c)] = g.similarity(r, c);
        heatmap->setMatrix(names, values);
        heatmap->resize(heatmap->preferredFigureSize());
        widgets_.emplace_back(heatmap);
        Provenance provenance = runProvenance(study, run);
        provenance.extra = QObject::tr("%1 genre vectors, PCA")
                               .arg(QString::fromLatin1(genreSourceName(g.source)));
        section.figures.append(
            {genreMap,
             QObject::tr("One disc per genre, sized by its number of movies; the "
                         "tooltips and the table give each genre's nearest genres "
                         "by cosine in the full space."),
             provenance});
        section.figures.append({heatmap,
                                QObject::tr("Cosine similarity between genre vectors in the full "
                                            "embedding space (red similar, blue opposite)."),
                                provenance});
        // Movie map: PCA of every movie vector, coloured by primary genre.
        auto* movieMap = new MovieMapView;
        std::vector<QPointF> positions;
        std::vector<int> categories;
        std::vector<float> weights;
        positions.reserve(dataset.movieCount());
        for (std::size_t i = 0;
             i < dataset.movieCount() && i < static_cast<std::size_t>(map.movies.layout.rows());
             ++i) {
            positions.emplace_back(map.movies.layout(static_cast<Eigen::Index>(i), 0),
                                   map.movies.layout(static_cast<Eigen::Index>(i), 1));
            categories.push_back(primaryGenre(dataset.genres[i]));
            weights.push_back(static_cast<float>(dataset.byMovie.rowSize(i)));
        }
        QList<MovieMapView::Category> categoryList;
        for (int genre = 0; genre < dataset.genreCount(); ++genre)
            categoryList.append({QString::fromStdString(dataset.genreName(genre)),
                                 MovieMapView::defaultCategoryColor(genre)});
        movieMap->setCategories(categoryList);
        movieMap->setPoints(std::move(positions), std::move(categories));
        // Coloured as the Map stage colours by default: the most frequent genre against the rest.
        movieMap->setColouring(movieMapColouring({}, dataset));
        movieMap->setPointWeights(std::move(weights));
        movieMap->setMinimumWeight(1.0);
        movieMap->setFigureTitle(QObject::tr("Movie map (%1, PCA)").arg(run.displayName));
        movieMap->setFigureFileStem(QStringLiteral("movie-map"));
        movieMap->resize(movieMap->preferredFigureSize());
        widgets_.emplace_back(movieMap);
        Provenance movieProvenance = runProvenance(study, run);
        movieProvenance.extra = QObject::tr("movie vectors, PCA");
        section.figures.append(
            {movieMap,
             QObject::tr("Every rated movie's vector projected by PCA, coloured by its "
                         "first genre."),
             movieProvenance});
        ReportTable nearestTable;
        nearestTable.caption = QObject::tr("Nearest genres (cosine in the full space)");
        nearestTable.header = {QObject::tr("genre"), QObject::tr("movies"), QObject::tr("nearest")};
        for (const auto& p : points)
            nearestTable.rows << QStringList{p.name, QString::number(p.movies), p.details};
        section.tables << nearestTable;
        doc.sections << section;
        mapJson["model"] = run.kind;
        mapJson["source"] = QString::fromLatin1(genreSourceName(g.source));
        mapJson["genres"] = genresJson;
        QJsonArray variance;
        for (double v : g.explainedVarianceRatio) variance.append(v);
        mapJson["explained_variance"] = variance;
    }

    // metrics.json
    QJsonObject m;
    m["dataset"] = datasetName;
    m["source"] = sourceDescription;
    m["seed"] = QString::number(study.options.seed);
    m["ratings"] = static_cast<qint64>(dataset.ratingCount());
    m["users"] = static_cast<qint64>(dataset.userCount());
    m["movies"] = static_cast<qint64>(dataset.movieCount());
    m["density"] = study.eda.density;
    const auto degree = [](const DegreeStats& d) {
        QJsonObject o;
        o["alpha"] = d.fit.alpha;
        o["alpha_se"] = d.fit.alphaStdErr;
        o["xmin"] = static_cast<qint64>(d.fit.xmin);
        o["ks"] = d.fit.ks;
        o["gini"] = d.gini;
        return o;
    };
    m["users_degree"] = degree(study.eda.userDegrees);
    m["movies_degree"] = degree(study.eda.movieDegrees);
    m["rating_mean"] = study.eda.ratingHistogram.mean;
    m["models"] = modelsJson;
    m["personas"] = listsJson;
    if (!mapJson.isEmpty()) m["map"] = mapJson;
    if (study.comparison) m["comparison"] = comparisonJson(*study.comparison);
    m["study_seconds"] = study.seconds;
    m["lens_atlas_version"] = QStringLiteral(LENS_ATLAS_VERSION);
    doc.metrics = m;
    return doc;
}

}  // namespace lens::ui
