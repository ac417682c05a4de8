#pragma once
// The path of a file kept under tests/engine/fixtures (persona and run history files of 0.1.0,
// factors written by numpy and Spark), for the engine tests.
#include <QString>
#include <QtTest>
#include <stdexcept>
#include <string>

namespace lens::test {

// `relative` is a path under tests/engine/fixtures ("runs-0.1.0.json", "factors/csv"), found beside
// this header or from the tests folder (test groups built with relative source paths); throws
// naming the fixture when it is absent.
inline std::string engineFixture(const QString& relative) {
    QString path = QFINDTESTDATA(QStringLiteral("fixtures/") + relative);
    if (path.isEmpty()) path = QFINDTESTDATA(QStringLiteral("engine/fixtures/") + relative);
    if (path.isEmpty()) throw std::runtime_error("fixture not found: " + relative.toStdString());
    return path.toStdString();
}

}  // namespace lens::test
