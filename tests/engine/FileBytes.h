#pragma once
// Byte-level file helpers of the bad-input tests: read and write a whole file, and patch
// little-endian fields in place (zip headers written by libzip, model file headers).
#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtTest>

namespace lens::test {

// Little-endian field patching (zip archives written by libzip: no zip64, no comments).
inline void put16(QByteArray& b, qsizetype at, quint16 v) {
    b[at] = char(v & 0xFF);
    b[at + 1] = char(v >> 8);
}
inline void put32(QByteArray& b, qsizetype at, quint32 v) {
    for (int i = 0; i < 4; ++i) b[at + i] = char((v >> (8 * i)) & 0xFF);
}

inline QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

}  // namespace lens::test
