// Cosine similarities and nearest rows (engine/projection/CosineNeighbours): a hand-computed
// matrix, nearest rows with excluded candidates, and movie neighbours against brute force.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "PlantedClusters.h"
#include "projection/CosineNeighbours.h"

using namespace lens;
using lens::test::plantedClusters;

class TestCosineNeighbours : public QObject {
    Q_OBJECT

private slots:
    void cosineMatrixOnHandVectors();
    void nearestRowsAndNeighbours();
};

void TestCosineNeighbours::cosineMatrixOnHandVectors() {
    EmbeddingMatrix rows(5, 2);
    rows << 1, 0,  // 0
        0, 2,      // 1
        3, 3,      // 2
        -1, 0,     // 3
        0, 0;      // 4: zero vector
    const Eigen::MatrixXf s = cosineSimilarityMatrix(rows);
    const float r = 1.0F / std::sqrt(2.0F);
    const float expected[5][5] = {
        {1, 0, r, -1, 0}, {0, 1, r, 0, 0}, {r, r, 1, -r, 0}, {-1, 0, -r, 1, 0}, {0, 0, 0, 0, 0}};
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
            QVERIFY2(std::abs(s(i, j) - expected[i][j]) < 1e-6F,
                     qPrintable(QStringLiteral("s(%1,%2) = %3").arg(i).arg(j).arg(s(i, j))));
}

void TestCosineNeighbours::nearestRowsAndNeighbours() {
    EmbeddingMatrix rows(4, 3);
    rows << 1, 0, 0,    //
        0.9F, 0.1F, 0,  //
        0, 1, 0,        //
        0.5F, 0.5F, 0.7F;
    const auto nearest = nearestRowsByCosine(cosineSimilarityMatrix(rows), 2);
    QCOMPARE(static_cast<int>(nearest.size()), 4);
    QCOMPARE(nearest[0][0].index, 1);
    QCOMPARE(nearest[2][0].index, 3);
    QCOMPARE(static_cast<int>(nearest[0].size()), 2);
    for (const auto& list : nearest) QVERIFY(list[0].similarity >= list[1].similarity);
    // Excluding row 1 from the candidates.
    const auto restricted =
        nearestRowsByCosine(cosineSimilarityMatrix(rows), 3, {true, false, true, true});
    QCOMPARE(static_cast<int>(restricted[0].size()), 2);
    QCOMPARE(restricted[0][0].index, 3);

    // Movie neighbours agree with a brute-force ranking of the cosine matrix.
    std::vector<int> labels;
    const EmbeddingMatrix movies = plantedClusters(4, 250, 12, 2.0, 5, labels);
    const Eigen::MatrixXf all = cosineSimilarityMatrix(movies);
    const auto found = nearestNeighboursByCosine(movies, 17, 10);
    QCOMPARE(static_cast<int>(found.size()), 10);
    std::vector<int> order(1000);
    std::iota(order.begin(), order.end(), 0);
    order.erase(order.begin() + 17);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return all(17, a) > all(17, b); });
    for (int m = 0; m < 10; ++m) {
        QCOMPARE(found[m].index, order[m]);
        QVERIFY(std::abs(found[m].similarity - all(17, order[m])) < 1e-5F);
    }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, nearestNeighboursByCosine(movies, 1000, 3));
}

QTEST_GUILESS_MAIN(TestCosineNeighbours)
#include "tst_cosine_neighbours.moc"
