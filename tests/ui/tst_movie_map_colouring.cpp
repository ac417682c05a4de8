// What the movie map's colour means (ui/map/MovieMapFigure colourings, built by
// ui/map/MapFigures movieMapColouring from the engine's per-movie values): rendered pixels are
// sampled at known point positions. One genre against the rest: the genre's movies in the strong
// colour, every other movie grey, and a genre movie sharing a spot with a later-indexed other movie
// still shows (drawn on top), on the painted figure and on the screen view's pixel layer alike.
// Popularity, mean rating and year: each point in the scale colour of its value, luminance rising
// with the value (up to the rounding of a level's channels, under one unit of 255), missing values
// grey, a colour bar running dark to light whose end labels are the values' range, and a legend
// title naming the choice.
#include <QtTest>

#include <QApplication>
#include <QFontInfo>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "data/Dataset.h"
#include "map/MapFigures.h"
#include "map/MovieMapFigure.h"
#include "map/MovieMapView.h"
#include "projection/MapComputation.h"
#include "synth/SyntheticGenerator.h"

using namespace lens;
using namespace lens::ui;

namespace {

double luminance(QRgb c) {
    return 0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c);
}

// Every movie on its own cell of a square grid.
std::vector<QPointF> gridPositions(std::size_t n) {
    const auto columns = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    std::vector<QPointF> positions(n);
    for (std::size_t i = 0; i < n; ++i)
        positions[i] = QPointF(static_cast<double>(i % columns), static_cast<double>(i / columns));
    return positions;
}

const QSize kSize(1000, 800);

QImage render(const MovieMapFigure& figure) {
    QImage image(kSize, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    figure.paintScene(painter, figure.fittedTransform(QSizeF(kSize)),
                      MovieMapFigure::exportPalette(QGuiApplication::palette()));
    return image;
}

// The pixel under point i of a figure painted by render(), or nothing when the legend covers it.
std::optional<QRgb> pixelOf(const MovieMapFigure& figure, const QImage& image, int i) {
    const QPointF p = figure.fittedTransform(QSizeF(kSize)).map(figure.pointPosition(i));
    const QRectF legend = figure.legendParts(QRectF(QPointF(0, 0), QSizeF(kSize))).box;
    if (legend.adjusted(-3, -3, 3, 3).contains(p)) return std::nullopt;
    return image.pixel(static_cast<int>(std::floor(p.x())), static_cast<int>(std::floor(p.y())));
}

}  // namespace

class TestMovieMapColouring : public QObject {
    Q_OBJECT

    Dataset dataset_;
    MovieValues values_;

private slots:
    void initTestCase() {
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");
        SyntheticConfig config;
        config.ratings = 20000;
        config.tags = false;
        dataset_ = generateSyntheticDataset(config);
        values_ = movieValues(dataset_);
        QVERIFY(dataset_.movieCount() > 500);
    }

    void scaleLightensAlongItsLength() {
        double previous = -1.0;
        for (int i = 0; i <= 255; ++i) {
            const double l = luminance(MovieMapFigure::scaleColor(i / 255.0).rgb());
            // Each level rounds its channels to integers: a step may lose a fraction of a unit.
            QVERIFY2(l >= previous - 0.5, qPrintable(QString::number(i)));
            previous = l;
        }
        QVERIFY(luminance(MovieMapFigure::scaleColor(1.0).rgb()) -
                    luminance(MovieMapFigure::scaleColor(0.0).rgb()) >
                150.0);
    }

    void chosenGenreIsColouredAndOnTop_data() {
        QTest::addColumn<int>("genre");
        QTest::addColumn<bool>("screen");
        const int most = mostFrequentGenre(dataset_.genres);
        QTest::newRow("default genre, figure") << -1 << false;
        QTest::newRow("default genre, screen") << -1 << true;
        // Another genre with movies.
        int other = -1;
        for (int g = 0; g < kGenreCount && other < 0; ++g)
            if (g != most && std::any_of(dataset_.genres.begin(), dataset_.genres.end(),
                                         [g](GenreMask m) { return hasGenre(m, g); }))
                other = g;
        QTest::newRow("another genre, figure") << other << false;
        QTest::newRow("another genre, screen") << other << true;
    }

    void chosenGenreIsColouredAndOnTop() {
        QFETCH(int, genre);
        QFETCH(bool, screen);
        MovieColouring choice;
        choice.genre = genre;
        const int g = resolveMovieColouring(choice, dataset_.genres).genre;
        QVERIFY(g >= 0);
        if (genre < 0) QCOMPARE(g, mostFrequentGenre(dataset_.genres));
        const auto n = static_cast<int>(dataset_.movieCount());
        const auto has = [&](int i) {
            return hasGenre(dataset_.genres[static_cast<std::size_t>(i)], g);
        };
        // A genre movie with a later other movie on the same spot: drawing by index would hide it.
        int first = -1, later = -1;
        for (int i = 0; i < n && later < 0; ++i) {
            if (first < 0 && has(i)) first = i;
            if (first >= 0 && i > first && !has(i)) later = i;
        }
        QVERIFY(first >= 0 && later > first);
        std::vector<QPointF> positions = gridPositions(static_cast<std::size_t>(n));
        // Both at the bottom left corner, away from the legend (top right).
        std::swap(positions[static_cast<std::size_t>(first)], positions[0]);
        positions[static_cast<std::size_t>(later)] = positions[static_cast<std::size_t>(first)];

        const MovieMapFigure::Colouring colouring = movieMapColouring(choice, dataset_, values_);
        QVERIFY(colouring.title.contains(genreName(g)));
        QCOMPARE(colouring.title.contains(QStringLiteral("most frequent")), genre < 0);

        MovieMapFigure figure;
        figure.setPoints(positions, {});
        figure.setColouring(colouring);
        MovieMapView view;
        view.setPoints(positions, {});
        view.setColouring(colouring);
        QCOMPARE(view.legendTitle(), colouring.title);

        QImage image;
        QPalette palette = MovieMapFigure::exportPalette(QGuiApplication::palette());
        std::function<std::optional<QRgb>(int)> pixel;
        if (screen) {
            view.resize(kSize);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            image = view.grab().toImage().convertToFormat(QImage::Format_RGB32);
            palette = view.palette();
            const QRectF legend = view.figure().legendParts(QRectF(view.rect())).box;
            pixel = [&, legend](int i) -> std::optional<QRgb> {  // legend ends with this block
                const QPointF p = view.mapToWidget(view.pointPosition(i));
                if (legend.adjusted(-4, -4, 4, 4).contains(p) ||
                    !QRectF(view.rect()).adjusted(3, 3, -3, -3).contains(p))
                    return std::nullopt;
                return image.pixel(static_cast<int>(std::floor(p.x())),
                                   static_cast<int>(std::floor(p.y())));
            };
        } else {
            image = render(figure);
            pixel = [&](int i) { return pixelOf(figure, image, i); };
        }
        const QRgb strong = chosenGenreColor().rgb(),
                   grey = MovieMapFigure::mutedColor(palette).rgb();
        QVERIFY(strong != grey);
        QCOMPARE(figure.pointColor(first, palette).rgb(), strong);
        QCOMPARE(figure.pointColor(later, palette).rgb(), grey);
        // The shared spot shows the genre movie.
        const std::optional<QRgb> top = pixel(first);
        QVERIFY(top.has_value());
        QCOMPARE(*top | 0xff000000U, strong | 0xff000000U);
        // Every other sampled point: strong exactly for the genre's movies.
        int sampled = 0, genreMovies = 0;
        for (int i = 0; i < n; ++i) {
            if (i == first || i == later) continue;
            const std::optional<QRgb> c = pixel(i);
            if (!c) continue;
            ++sampled;
            genreMovies += has(i);
            QCOMPARE(*c | 0xff000000U, (has(i) ? strong : grey) | 0xff000000U);
        }
        QVERIFY(sampled > n / 2);
        QVERIFY(genreMovies > 10 && genreMovies < sampled);
        // The legend lists the genre first, then the rest, with their counts.
        std::vector<QRectF> rows;
        figure.legendLayout(QRectF(QPointF(0, 0), QSizeF(kSize)), &rows, nullptr);
        QVERIFY(rows.size() >= 2 && !rows[0].isEmpty() && !rows[1].isEmpty());
        QVERIFY(rows[0].top() < rows[1].top());
        QCOMPARE(figure.categories().at(0).name, genreName(g));
    }

    void continuousColoursFollowTheValue_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("titleWord");
        QTest::newRow("popularity") << int(MovieColourMode::Popularity) << "popularity";
        QTest::newRow("mean rating") << int(MovieColourMode::MeanRating) << "mean rating";
        QTest::newRow("year") << int(MovieColourMode::Year) << "release year";
    }

    void continuousColoursFollowTheValue() {
        QFETCH(int, mode);
        QFETCH(QString, titleWord);
        MovieColouring choice;
        choice.mode = static_cast<MovieColourMode>(mode);
        const MovieMapFigure::Colouring colouring = movieMapColouring(choice, dataset_, values_);
        QVERIFY2(colouring.title.contains(titleWord), qPrintable(colouring.title));
        const std::vector<float>& expected =
            choice.mode == MovieColourMode::Popularity   ? values_.ratingCount
            : choice.mode == MovieColourMode::MeanRating ? values_.meanRating
                                                         : values_.year;
        MovieMapFigure figure;
        const auto n = static_cast<int>(dataset_.movieCount());
        figure.setPoints(gridPositions(dataset_.movieCount()), {});
        figure.setColouring(colouring);
        QVERIFY(figure.hasPointValues());
        const QImage image = render(figure);
        const QPalette palette = MovieMapFigure::exportPalette(QGuiApplication::palette());
        const QRgb grey = MovieMapFigure::mutedColor(palette).rgb();

        // Each sampled point in its value's scale colour (grey without a value).
        std::vector<std::pair<double, double>> valueAndLuminance;
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < n; ++i) {
            const float v = expected[static_cast<std::size_t>(i)];
            if (!std::isnan(v) && (choice.mode != MovieColourMode::Popularity || v > 0)) {
                lo = std::min(lo, double(v));
                hi = std::max(hi, double(v));
            }
            const std::optional<QRgb> c = pixelOf(figure, image, i);
            if (!c) continue;
            if (std::isnan(v)) {
                QCOMPARE(*c | 0xff000000U, grey | 0xff000000U);
                continue;
            }
            QCOMPARE(*c | 0xff000000U,
                     MovieMapFigure::scaleColor(figure.scalePosition(v)).rgb() | 0xff000000U);
            valueAndLuminance.emplace_back(v, luminance(*c));
        }
        QVERIFY(valueAndLuminance.size() > static_cast<std::size_t>(n) / 2);
        // Luminance never falls as the value rises, and spans most of the scale.
        std::sort(valueAndLuminance.begin(), valueAndLuminance.end());
        for (std::size_t k = 1; k < valueAndLuminance.size(); ++k)
            QVERIFY2(valueAndLuminance[k].second >= valueAndLuminance[k - 1].second - 0.5,
                     qPrintable(QStringLiteral("%1 -> %2")
                                    .arg(valueAndLuminance[k - 1].first)
                                    .arg(valueAndLuminance[k].first)));
        QVERIFY(valueAndLuminance.back().second - valueAndLuminance.front().second > 100.0);

        // The scale runs over the values' range; the bar's end labels say it.
        QCOMPARE(figure.valueScale().minimum, lo);
        QCOMPARE(figure.valueScale().maximum, hi);
        const auto ticks = figure.colourBarTicks();
        QVERIFY(ticks.size() >= 2);
        QCOMPARE(ticks.front().position, 0.0);
        QCOMPARE(ticks.back().position, 1.0);
        const QLocale locale;
        QString low, high;
        switch (choice.mode) {
            case MovieColourMode::Popularity:
                low = locale.toString(lo, 'f', 0), high = locale.toString(hi, 'f', 0);
                break;
            case MovieColourMode::MeanRating:
                low = locale.toString(lo, 'f', 1), high = locale.toString(hi, 'f', 1);
                break;
            default:
                low = QString::number(std::lround(lo)), high = QString::number(std::lround(hi));
        }
        QCOMPARE(ticks.front().label, low);
        QCOMPARE(ticks.back().label, high);
        for (std::size_t k = 1; k < ticks.size(); ++k)
            QVERIFY(ticks[k].position > ticks[k - 1].position);

        // The colour bar in the painted legend: dark at the low end, light at the high end,
        // lightening along its length.
        const MovieMapFigure::LegendParts parts =
            figure.legendParts(QRectF(QPointF(0, 0), QSizeF(kSize)));
        QVERIFY(!parts.colourBar.isEmpty());
        QVERIFY(!parts.title.isEmpty());
        QVERIFY(parts.colourBarLabels.top() >= parts.colourBar.bottom());
        const int y = static_cast<int>(parts.colourBar.center().y());
        const auto barPixel = [&](double t) {
            return image.pixel(
                static_cast<int>(parts.colourBar.left() + 1 + t * (parts.colourBar.width() - 3)),
                y);
        };
        const auto near = [](QRgb a, QRgb b) {
            return std::abs(qRed(a) - qRed(b)) <= 12 && std::abs(qGreen(a) - qGreen(b)) <= 12 &&
                   std::abs(qBlue(a) - qBlue(b)) <= 12;
        };
        QVERIFY(near(barPixel(0.0), MovieMapFigure::scaleColor(0.0).rgb()));
        QVERIFY(near(barPixel(1.0), MovieMapFigure::scaleColor(1.0).rgb()));
        double previous = -1.0;
        for (int k = 0; k <= 10; ++k) {
            const double l = luminance(barPixel(k / 10.0));
            QVERIFY2(l + 2.0 >= previous, qPrintable(QString::number(k)));
            previous = l;
        }
        // Missing values get their own legend row (mean rating: unrated movies; year: unknown).
        const bool anyMissing =
            std::any_of(expected.begin(), expected.end(), [](float v) { return std::isnan(v); });
        QCOMPARE(!parts.missing.isEmpty(), anyMissing);
    }

    void legendTitleIsDrawn() {
        // The title is painted: the legend's title row has text-coloured pixels.
        MovieColouring choice;
        choice.mode = MovieColourMode::Year;
        MovieMapFigure figure;
        figure.setPoints(gridPositions(dataset_.movieCount()), {});
        figure.setColouring(movieMapColouring(choice, dataset_, values_));
        const QImage image = render(figure);
        const QRectF title = figure.legendParts(QRectF(QPointF(0, 0), QSizeF(kSize))).title;
        QVERIFY(!title.isEmpty());
        int dark = 0;
        for (int y = int(title.top()); y < int(title.bottom()); ++y)
            for (int x = int(title.left()); x < int(title.right()); ++x)
                dark += luminance(image.pixel(x, y)) < 100;
        QVERIFY2(dark > 30, qPrintable(QString::number(dark)));
        // Back to plain categories: no title, no colour bar.
        figure.setPoints(gridPositions(dataset_.movieCount()), {});
        QVERIFY(figure.legendTitle().isEmpty());
        QVERIFY(!figure.hasPointValues());
    }
};

QTEST_MAIN(TestMovieMapColouring)
#include "tst_movie_map_colouring.moc"
