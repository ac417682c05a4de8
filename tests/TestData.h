#pragma once
// Where tests find real MovieLens releases: $LENS_ATLAS_DATA, else the folder ctest passes in
// LENS_ATLAS_SHARED_DATA (../shared/data beside the project). Tests QSKIP with a clear
// message where a release is absent, so a fresh clone without the data still passes.
#include <QDir>
#include <QString>
#include <QtGlobal>

namespace lens::test {

inline QString sharedDataDir() {
    QString dir = qEnvironmentVariable("LENS_ATLAS_DATA");
    if (dir.isEmpty()) dir = qEnvironmentVariable("LENS_ATLAS_SHARED_DATA");
    return dir;
}

// Path of a release folder (e.g. "ml-latest-small"), or an empty string when absent.
inline QString releasePath(const QString& release) {
    const QString base = sharedDataDir();
    if (base.isEmpty()) return {};
    QDir d(base);
    if (d.exists(release)) return d.filePath(release);
    if (QDir(base).dirName() == release)
        return base;  // LENS_ATLAS_DATA may point at the release itself
    return {};
}

}  // namespace lens::test

#define LENS_REQUIRE_RELEASE(var, release)                                                      \
    const QString var = ::lens::test::releasePath(release);                                     \
    if (var.isEmpty())                                                                          \
    QSKIP(qPrintable(QStringLiteral("%1 not found: set LENS_ATLAS_DATA to a folder holding it " \
                                    "(looked in '%2')")                                         \
                         .arg(release, ::lens::test::sharedDataDir())))

// Sanitizer builds (the asan, tsan and fuzz presets define LENS_ATLAS_SANITIZED) run every test
// function, but a data row that only re-measures an accuracy figure on the real release along a
// code path another row already covers (another seed, another model of the same kernels) is
// left to the release stage: under ASan + UBSan such a row costs minutes on 2 cores, and the
// CI's sanitizer stages must fit its 30-minute budget with the release stage.
#ifdef LENS_ATLAS_SANITIZED
#define LENS_RELEASE_STAGE_ONLY_ROW(why)                                                   \
    QSKIP(qPrintable(QStringLiteral("sanitizer build: %1 is checked by the release stage") \
                         .arg(QStringLiteral(why))))
#else
#define LENS_RELEASE_STAGE_ONLY_ROW(why) static_cast<void>(0)
#endif
