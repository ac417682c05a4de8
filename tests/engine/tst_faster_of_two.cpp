// FasterOfTwo (the choice between the NCF trainer's parallel and one-thread step): each way timed
// first, the faster kept, the loser probed after 4, 8, 16, ... segments (back to 4 when a probe
// wins), a way that slows down (a busy machine) losing the choice, and the probe interval capped.
// Costs are fed in, so the choices are exact.
#include <QtTest>

#include <vector>

#include "util/FasterOfTwo.h"

using lens::FasterOfTwo;

namespace {
// Runs `segments` segments, each way costing what `cost` says; returns the ways that ran.
template <class Cost>
std::vector<int> runSegments(FasterOfTwo& chooser, int segments, Cost cost) {
    std::vector<int> ways;
    for (int s = 0; s < segments; ++s) {
        const int way = chooser.next();
        ways.push_back(way);
        chooser.record(way, cost(way, s));
    }
    return ways;
}
}  // namespace

class TestFasterOfTwo : public QObject {
    Q_OBJECT

private slots:
    void eachWayIsTimedFirst();
    void theLoserIsProbedLessAndLessOften();
    void aProbeThatWinsTakesOver();
    void aWayThatSlowsDownLosesTheChoice();
    void theProbeIntervalIsCapped();
};

void TestFasterOfTwo::eachWayIsTimedFirst() {
    FasterOfTwo chooser;
    QCOMPARE(chooser.next(), 0);
    QCOMPARE(chooser.cost(0), -1.0);
    chooser.record(0, 3.0);
    QCOMPARE(chooser.next(), 1);
    chooser.record(1, 2.0);
    QCOMPARE(chooser.best(), 1);
    QCOMPARE(chooser.next(), 1);
    QCOMPARE(chooser.cost(0), 3.0);
    QCOMPARE(chooser.cost(1), 2.0);
}

void TestFasterOfTwo::theLoserIsProbedLessAndLessOften() {
    FasterOfTwo chooser;
    // Way 0 is always twice as fast: after the two first segments, way 1 runs once after 4
    // segments of way 0, then after 8, then after 16.
    const auto ways = runSegments(chooser, 2 + 4 + 1 + 8 + 1 + 16 + 1,
                                  [](int way, int) { return way == 0 ? 1.0 : 2.0; });
    std::vector<int> probes;
    for (std::size_t s = 2; s < ways.size(); ++s)
        if (ways[s] == 1) probes.push_back(static_cast<int>(s));
    QCOMPARE(probes, (std::vector<int>{6, 15, 32}));
    QCOMPARE(chooser.probeAfter(), 32);
    QCOMPARE(chooser.best(), 0);
}

void TestFasterOfTwo::aProbeThatWinsTakesOver() {
    FasterOfTwo chooser;
    // Way 1 is slower until segment 10, then way 0 becomes 5x slower (the machine got busy):
    // the smoothed cost of way 0 rises above way 1's last figure and way 1 takes over.
    const auto ways = runSegments(chooser, 30, [](int way, int s) {
        if (way == 1) return 2.0;
        return s < 10 ? 1.0 : 5.0;
    });
    QCOMPARE(ways[0], 0);
    QCOMPARE(ways[1], 1);
    QCOMPARE(ways[2], 0);
    // From segment 10 on, way 0 costs 5: 0.75 * 1 + 0.25 * 5 = 2 is not above 2, the next
    // smoothed figure (2.75) is; way 1 runs from then on, apart from probes of way 0.
    QCOMPARE(ways[10], 0);
    QCOMPARE(ways[11], 0);
    QCOMPARE(ways[12], 1);
    QCOMPARE(chooser.best(), 1);
    int zeros = 0;
    for (std::size_t s = 12; s < ways.size(); ++s) zeros += ways[s] == 0;
    QVERIFY2(zeros <= 3, qPrintable(QString::number(zeros)));
}

void TestFasterOfTwo::aWayThatSlowsDownLosesTheChoice() {
    FasterOfTwo chooser;
    chooser.record(0, 1.0);
    chooser.record(1, 1.5);
    QCOMPARE(chooser.best(), 0);
    // Way 0 slows to 3 per segment: the smoothed cost passes 1.5 after a few segments.
    int segments = 0;
    while (chooser.next() == 0 && segments < 10) {
        chooser.record(0, 3.0);
        ++segments;
    }
    QCOMPARE(chooser.best(), 1);
    QVERIFY2(segments >= 1 && segments <= 3, qPrintable(QString::number(segments)));
    // A probe of way 0 that wins again brings it back, with the first probe interval.
    FasterOfTwo again;
    again.record(0, 1.0);
    again.record(1, 2.0);
    for (int s = 0; s < FasterOfTwo::kFirstProbeAfter; ++s) again.record(again.next(), 1.0);
    QCOMPARE(again.next(), 1);  // the probe of way 1
    again.record(1, 0.5);       // way 1 is now faster
    QCOMPARE(again.best(), 1);
    QCOMPARE(again.probeAfter(), FasterOfTwo::kFirstProbeAfter);
}

void TestFasterOfTwo::theProbeIntervalIsCapped() {
    FasterOfTwo chooser;
    runSegments(chooser, 5000, [](int way, int) { return way == 0 ? 1.0 : 20.0; });
    QCOMPARE(chooser.probeAfter(), FasterOfTwo::kLastProbeAfter);
    QCOMPARE(chooser.best(), 0);
}

QTEST_GUILESS_MAIN(TestFasterOfTwo)
#include "tst_faster_of_two.moc"
