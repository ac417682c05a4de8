#pragma once
// Small helpers several UI tests share: whole-file reads and writes of fixtures, and a wheel
// event sent to a widget (the map's zoom).
#include <QApplication>
#include <QByteArray>
#include <QFile>
#include <QPointF>
#include <QString>
#include <QWheelEvent>
#include <QWidget>
#include <QtTest>

namespace lens::test {

// Writes `content` to the file at `path`; fails the running test when the file cannot be opened.
inline void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

// The whole content of the file at `path`; empty when it cannot be read.
inline QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One wheel turn of `delta` eighths of a degree (120 = one notch) at `position` in `widget`.
inline void sendWheel(QWidget& widget, QPointF position, int delta) {
    QWheelEvent wheel(position, widget.mapToGlobal(position), QPoint(), QPoint(0, delta),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &wheel);
}

}  // namespace lens::test
