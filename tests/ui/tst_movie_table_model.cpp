// MovieTableModel and MovieFilterProxyModel on a five-movie dataset built in memory: model
// consistency (QAbstractItemModelTester), displayed values, numeric sorting, and each filter.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFontInfo>
#include <QLocale>
#include <QtTest>
#include <algorithm>

#include "MovieFilterProxyModel.h"
#include "MovieTableModel.h"
#include "data/DatasetBuilder.h"
#include "data/Genre.h"
#include "synth/SyntheticGenerator.h"

using lens::ui::MovieFilterProxyModel;
using lens::ui::MovieTableModel;

namespace {

lens::GenreMask mask(const char* list) {
    return lens::parseGenreList(list);
}

// Ratings per movie id: 1 -> 10 ratings of 4.0, 2 -> {3.0, 4.0}, 3 -> 9 of 5.0, 4 -> one 0.5,
// 5 -> none. Counts 10 and 9 tell numeric from text sorting ("10" < "9" as text).
std::shared_ptr<const lens::Dataset> makeDataset() {
    std::vector<lens::RawMovie> movies = {
        {1, "Toy Story (1995)", mask("Adventure|Animation|Children|Comedy|Fantasy")},
        {2, "Jumanji (1995)", mask("Adventure|Children|Fantasy")},
        {3, "Heat (1995)", mask("Action|Crime|Thriller")},
        {4, "Alien (1979)", mask("Horror|Sci-Fi")},
        {5, "Nameless", 0},
    };
    lens::RawRatings ratings;
    std::uint32_t t = 1'000'000'000;
    for (int u = 1; u <= 10; ++u) ratings.push(u, 1, 8, t++);
    ratings.push(1, 2, 6, t++);
    ratings.push(2, 2, 8, t++);
    for (int u = 1; u <= 9; ++u) ratings.push(u, 3, 10, t++);
    ratings.push(3, 4, 1, t++);
    auto dataset =
        std::make_shared<lens::Dataset>(lens::buildDataset(std::move(ratings), std::move(movies)));
    dataset->name = "fixture";
    return dataset;
}

QList<qlonglong> idsInProxyOrder(const QSortFilterProxyModel& proxy) {
    QList<qlonglong> ids;
    for (int r = 0; r < proxy.rowCount(); ++r)
        ids << proxy.index(r, MovieTableModel::IdColumn)
                   .data(MovieTableModel::SortRole)
                   .toLongLong();
    return ids;
}

// A dataset's movies through the proxy, sorted by id, every change checked by
// QAbstractItemModelTester.
struct CheckedTable {
    explicit CheckedTable(std::shared_ptr<const lens::Dataset> dataset) {
        model.setDataset(std::move(dataset));
        proxy.setSourceModel(&model);
        proxy.sort(MovieTableModel::IdColumn, Qt::AscendingOrder);
    }
    MovieTableModel model;
    MovieFilterProxyModel proxy;
    QAbstractItemModelTester tester{&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

int genre(const char* name) {
    return *lens::genreIdFromName(name);
}

}  // namespace

class TestMovieTableModel : public QObject {
    Q_OBJECT
public:
    static void initMain() {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    }

private slots:
    void initTestCase() {
        QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        dataset_ = makeDataset();
        QCOMPARE(dataset_->movieCount(), std::size_t(5));
        QCOMPARE(dataset_->ratingCount(), std::size_t(22));
    }

    void passesModelTester() {
        MovieTableModel model;
        MovieFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester modelTester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setDataset(dataset_);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(MovieTableModel::ColumnCount));
        proxy.sort(MovieTableModel::RatingCountColumn, Qt::DescendingOrder);
        proxy.setTitleFilter("a");
        proxy.setGenre(genre("Children"));
        proxy.setMinimumRatings(3);
        proxy.setGenre(-1);
        proxy.setTitleFilter({});
        proxy.setMinimumRatings(0);
        QCOMPARE(proxy.rowCount(), 5);
        model.setDataset(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void displaysValues_data() {
        QTest::addColumn<qlonglong>("movieId");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("year");
        QTest::addColumn<QString>("genres");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("mean");
        QTest::newRow("toy story")
            << 1LL << "Toy Story (1995)"
            << "1995"
            << "Adventure, Animation, Children, Comedy, Fantasy" << 10 << "4.00";
        QTest::newRow("jumanji") << 2LL << "Jumanji (1995)"
                                 << "1995"
                                 << "Adventure, Children, Fantasy" << 2 << "3.50";
        QTest::newRow("heat") << 3LL << "Heat (1995)"
                              << "1995"
                              << "Action, Crime, Thriller" << 9 << "5.00";
        QTest::newRow("alien") << 4LL << "Alien (1979)"
                               << "1979"
                               << "Horror, Sci-Fi" << 1 << "0.50";
        QTest::newRow("unrated, no year, no genre") << 5LL << "Nameless"
                                                    << "–"
                                                    << "(none)" << 0 << "–";
    }
    void displaysValues() {
        QFETCH(qlonglong, movieId);
        QFETCH(QString, title);
        QFETCH(QString, year);
        QFETCH(QString, genres);
        QFETCH(int, count);
        QFETCH(QString, mean);
        MovieTableModel model;
        model.setDataset(dataset_);
        const int row = static_cast<int>(dataset_->movieIndex(movieId));
        QVERIFY(row >= 0);
        const auto text = [&](int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(MovieTableModel::IdColumn), QString::number(movieId));
        QCOMPARE(text(MovieTableModel::TitleColumn), title);
        QCOMPARE(text(MovieTableModel::YearColumn), year);
        QCOMPARE(text(MovieTableModel::GenresColumn), genres);
        QCOMPARE(text(MovieTableModel::RatingCountColumn), QString::number(count));
        QCOMPARE(model.index(row, 0).data(MovieTableModel::RatingCountRole).toInt(), count);
        QCOMPARE(text(MovieTableModel::MeanRatingColumn), mean);
        QCOMPARE(model.headerData(MovieTableModel::RatingCountColumn, Qt::Horizontal).toString(),
                 QString("Ratings"));
    }

    void showsStringIdsAsTheDataSpellsThem() {
        // Data read with string ids: the Id column shows the key; sorting keeps the keys' order.
        auto keyed = std::make_shared<lens::Dataset>(*dataset_);
        keyed->movieKeys = {"alien-79", "heat-95", "jumanji", "nameless", "toy-story"};
        MovieTableModel model;
        model.setDataset(keyed);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, MovieTableModel::IdColumn).data().toString(),
                     QString::fromStdString(keyed->movieKeys[static_cast<std::size_t>(row)]));
    }

    void sortsNumerically_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QList<qlonglong>>("expectedIds");
        QTest::newRow("ratings descending")
            << int(MovieTableModel::RatingCountColumn) << int(Qt::DescendingOrder)
            << QList<qlonglong>{1, 3, 2, 4, 5};
        QTest::newRow("ratings ascending")
            << int(MovieTableModel::RatingCountColumn) << int(Qt::AscendingOrder)
            << QList<qlonglong>{5, 4, 2, 3, 1};
        QTest::newRow("mean descending, unrated last")
            << int(MovieTableModel::MeanRatingColumn) << int(Qt::DescendingOrder)
            << QList<qlonglong>{3, 1, 2, 4, 5};
        QTest::newRow("year ascending")
            << int(MovieTableModel::YearColumn) << int(Qt::AscendingOrder)
            << QList<qlonglong>{5, 4, 1, 2, 3};
        QTest::newRow("title ascending")
            << int(MovieTableModel::TitleColumn) << int(Qt::AscendingOrder)
            << QList<qlonglong>{4, 3, 2, 5, 1};
    }
    void sortsNumerically() {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QList<qlonglong>, expectedIds);
        MovieTableModel model;
        model.setDataset(dataset_);
        MovieFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(column, Qt::SortOrder(order));
        QList<qlonglong> ids = idsInProxyOrder(proxy);
        if (column == MovieTableModel::YearColumn) {
            // Three movies share 1995: compare the year order, then the set within the tie.
            QCOMPARE(ids.mid(0, 2), expectedIds.mid(0, 2));
            std::sort(ids.begin() + 2, ids.end());
        }
        QCOMPARE(ids, expectedIds);
    }

    void filters_data() {
        QTest::addColumn<QString>("title");
        QTest::addColumn<int>("genre");
        QTest::addColumn<int>("minRatings");
        QTest::addColumn<QList<qlonglong>>("expectedIds");
        QTest::newRow("no filter") << "" << -1 << 0 << QList<qlonglong>{1, 2, 3, 4, 5};
        QTest::newRow("title, case-insensitive") << "JUMAN" << -1 << 0 << QList<qlonglong>{2};
        QTest::newRow("title substring") << "a" << -1 << 0 << QList<qlonglong>{2, 3, 4, 5};
        QTest::newRow("title without match") << "zzz" << -1 << 0 << QList<qlonglong>{};
        QTest::newRow("genre Children") << "" << genre("Children") << 0 << QList<qlonglong>{1, 2};
        QTest::newRow("genre Horror") << "" << genre("Horror") << 0 << QList<qlonglong>{4};
        QTest::newRow("min ratings 2") << "" << -1 << 2 << QList<qlonglong>{1, 2, 3};
        QTest::newRow("min ratings 10") << "" << -1 << 10 << QList<qlonglong>{1};
        QTest::newRow("all three") << "a" << genre("Fantasy") << 2 << QList<qlonglong>{2};
        QTest::newRow("all three, none left") << "a" << genre("Fantasy") << 3 << QList<qlonglong>{};
    }
    void filters() {
        QFETCH(QString, title);
        QFETCH(int, genre);
        QFETCH(int, minRatings);
        QFETCH(QList<qlonglong>, expectedIds);
        CheckedTable table(dataset_);
        MovieFilterProxyModel& proxy = table.proxy;
        proxy.setTitleFilter(title);
        proxy.setGenre(genre);
        proxy.setMinimumRatings(minRatings);
        QCOMPARE(idsInProxyOrder(proxy), expectedIds);
        // Clearing every filter brings every movie back.
        proxy.setTitleFilter({});
        proxy.setGenre(-1);
        proxy.setMinimumRatings(0);
        QCOMPARE(proxy.rowCount(), 5);
    }

    // The model sorts itself (the proxy forwards the view's sort): the same order as Qt's own
    // SortRole comparison (a plain QSortFilterProxyModel with the same settings over a model in
    // movie order) for every column and direction, on a synthetic release of 2,000 movies with
    // repeated counts, years and means (ties in movie order in both). Rows ordered by
    // columnsOf (a worker, as a release arrives) are the same rows, and so are columns sorted by
    // another key than the model's (the user clicked a header while they were computed).
    void sortMatchesQtsOrder_data() {
        QTest::addColumn<int>("column");
        for (int c = 0; c < MovieTableModel::ColumnCount; ++c)
            QTest::newRow(qPrintable(QStringLiteral("column %1").arg(c))) << c;
    }
    void sortMatchesQtsOrder() {
        QFETCH(int, column);
        lens::SyntheticConfig config;
        config.movies = 2000;
        config.users = 300;
        config.ratings = 30'000;
        auto dataset =
            std::make_shared<const lens::Dataset>(lens::generateSyntheticDataset(config));
        const auto movieOrder = [](const QAbstractItemModel& m) {
            QList<int> movies;
            for (int r = 0; r < m.rowCount(); ++r)
                movies << m.index(r, 0).data(MovieTableModel::MovieIndexRole).toInt();
            return movies;
        };
        MovieTableModel model, plain;
        model.setDataset(dataset, MovieTableModel::columnsOf(*dataset));
        plain.setDataset(dataset, MovieTableModel::columnsOf(*dataset));
        MovieFilterProxyModel fast;
        fast.setSourceModel(&model);
        QSortFilterProxyModel reference;
        reference.setSortRole(fast.sortRole());
        reference.setSortCaseSensitivity(fast.sortCaseSensitivity());
        reference.setSortLocaleAware(fast.isSortLocaleAware());
        reference.setSourceModel(&plain);
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            fast.sort(column, order);
            reference.sort(column, order);
            QCOMPARE(fast.rowCount(), static_cast<int>(dataset->movieCount()));
            const QList<int> expected = movieOrder(reference);
            QCOMPARE(movieOrder(fast), expected);
            QCOMPARE(movieOrder(model), expected);

            MovieTableModel presorted;  // the key set first, as the view sets it
            presorted.sort(column, order);
            presorted.setDataset(dataset, MovieTableModel::columnsOf(*dataset, {column, order}));
            QCOMPARE(movieOrder(presorted), expected);
            MovieTableModel stale;  // columns ordered by another key
            stale.sort(column, order);
            stale.setDataset(dataset, MovieTableModel::columnsOf(*dataset, {-1, order}));
            QCOMPARE(movieOrder(stale), expected);
        }
        // Columns of another dataset are refused (an empty table), not misaligned.
        model.setDataset(dataset, MovieTableModel::columnsOf(*dataset_));
        QCOMPARE(model.rowCount(), 0);
    }

    // A sort moves persistent indices (the view's selection and current row) with their movies.
    void sortKeepsSelectionOnItsMovie() {
        CheckedTable table(dataset_);
        MovieTableModel& model = table.model;
        MovieFilterProxyModel& proxy = table.proxy;
        const QPersistentModelIndex heat = proxy.index(2, MovieTableModel::TitleColumn);
        QCOMPARE(heat.data().toString(), QStringLiteral("Heat (1995)"));
        proxy.sort(MovieTableModel::RatingCountColumn, Qt::DescendingOrder);  // 1, 3, 2, 4, 5
        QCOMPARE(heat.row(), 1);
        QCOMPARE(heat.data().toString(), QStringLiteral("Heat (1995)"));
        proxy.setTitleFilter(QStringLiteral("e"));  // Heat, Alien, Nameless: Heat first
        QCOMPARE(heat.row(), 0);
        QCOMPARE(model.sortKey().column, int(MovieTableModel::RatingCountColumn));
    }

private:
    std::shared_ptr<const lens::Dataset> dataset_;
};

QTEST_MAIN(TestMovieTableModel)
#include "tst_movie_table_model.moc"
