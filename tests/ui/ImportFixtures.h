#pragma once
// Interaction files the import dialog's tests write (tst_import_dialog, tst_import_load), and
// small helpers for its widgets.
#include <QByteArray>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QString>
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "UiTestHelpers.h"

namespace lens::test {

// One interaction as the fixture writes it.
struct ImportRecord {
    QString user, item, rating, time;
};

// 40 users x 15 items, about three quarters of the pairs, ratings 1..10 (all ten present),
// one day apart from 2015-01-01. Users with few items exist (user u rates items i with
// (u * 7 + i * 3) % 4 != 0, and users 36..40 only some of the first 2..6 items) so that a k-core
// removes something.
inline std::vector<ImportRecord> numericRecords() {
    std::vector<ImportRecord> out;
    const std::uint32_t start = 1420070400;  // 2015-01-01T00:00:00Z
    for (int u = 1; u <= 40; ++u)
        for (int i = 1; i <= 15; ++i) {
            if ((u * 7 + i * 3) % 4 == 0) continue;
            if (u > 35 && i > u - 34) continue;  // users 36..40: items 1..2 to 1..6 only
            const int rating = 1 + (u * 5 + i * 11) % 10;
            const std::uint32_t t = start + static_cast<std::uint32_t>((u * 15 + i) * 86400);
            out.push_back({QString::number(u), QString::number(100 + i), QString::number(rating),
                           QString::number(t)});
        }
    return out;
}

inline QByteArray joinedRecords(const std::vector<ImportRecord>& records, char sep,
                                const QByteArray& header, bool withRating = true) {
    QByteArray text = header;
    for (const ImportRecord& r : records) {
        text += r.user.toUtf8() + sep + r.item.toUtf8();
        if (withRating) text += sep + r.rating.toUtf8();
        text += sep + r.time.toUtf8() + '\n';
    }
    return text;
}

// Headerless CSV with string ids and ISO dates, ratings 0.5..5 in halves.
inline std::vector<ImportRecord> stringRecords() {
    std::vector<ImportRecord> out;
    for (int u = 1; u <= 12; ++u)
        for (int i = 1; i <= 9; ++i) {
            if ((u + i) % 3 == 0) continue;
            const int halves = 1 + (u * 3 + i * 7) % 10;
            out.push_back({QStringLiteral("u-%1").arg(u), QStringLiteral("item %1").arg(i),
                           QString::number(halves / 2.0, 'f', 1),
                           QStringLiteral("2016-%1-%2")
                               .arg(1 + u % 12, 2, 10, QLatin1Char('0'))
                               .arg(1 + i, 2, 10, QLatin1Char('0'))});
        }
    return out;
}

// The iterative k-core of `records` (distinct user-item pairs): drop every user and item with
// fewer than k interactions, repeat until none is dropped. A plain fixed-point loop.
inline std::set<std::pair<QString, QString>> importKCoreOf(const std::vector<ImportRecord>& records,
                                                           int k) {
    std::set<std::pair<QString, QString>> pairs;
    for (const ImportRecord& r : records) pairs.insert({r.user, r.item});
    for (bool changed = true; changed;) {
        std::map<QString, int> users, items;
        for (const auto& p : pairs) {
            ++users[p.first];
            ++items[p.second];
        }
        changed = false;
        for (auto it = pairs.begin(); it != pairs.end();) {
            if (users[it->first] < k || items[it->second] < k) {
                it = pairs.erase(it);
                changed = true;
            } else {
                ++it;
            }
        }
    }
    return pairs;
}

// How many colours a sample of the image's pixels holds.
inline int countDistinctColours(const QImage& image) {
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

// With LENS_ATLAS_SCREENSHOT_DIR set, saves `image` there under `name` (for eyeballing).
inline void saveImportScreenshot(const QImage& image, const char* name) {
    const QString out = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
    if (!out.isEmpty()) QVERIFY(image.save(QDir(out).filePath(QLatin1String(name))));
}

inline int importColumnOf(const QComboBox* combo) {
    return combo->currentData().toInt();
}

inline void chooseImportColumn(QComboBox* combo, int column) {
    combo->setCurrentIndex(combo->findData(column));
}

// The two files the import tests read, written into `dir`: a TSV with a header (numbers) and a
// headerless CSV (string ids).
inline void writeImportFixtureFiles(const QTemporaryDir& dir, QString& tsv, QString& csv) {
    tsv = dir.filePath("ratings.tsv");
    csv = dir.filePath("events.csv");
    writeFile(tsv, joinedRecords(numericRecords(), '\t', "userId\tmovieId\trating\ttimestamp\n"));
    writeFile(csv, joinedRecords(stringRecords(), ',', {}));
}

}  // namespace lens::test
