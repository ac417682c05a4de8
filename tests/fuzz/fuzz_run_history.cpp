// libFuzzer target: the run history reader (RunHistoryModel::load of <folder>/runs.json, which
// parses the index and every RunRecord::fromJson). The bytes are the whole runs.json, written
// to a scratch folder (in /dev/shm when there is one) because load() is a file reader. Problems
// must name the index; loaded rows must render; save + load must keep every run (see
// OwnFileFuzzing.h).
#include <QCoreApplication>
#include <QTemporaryDir>
#include <cstddef>
#include <cstdint>

#include "OwnFileFuzzing.h"

namespace {
QTemporaryDir* scratch = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    static QCoreApplication app(*argc, *argv);  // QDateTime time zones, QFile: as in the app
    const QString base =
        QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
    static QTemporaryDir dir(base + QStringLiteral("/lens-atlas-fuzz-runs-XXXXXX"));
    if (!dir.isValid()) __builtin_trap();
    scratch = &dir;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    (void)lens::fuzz::checkRunHistory(bytes, scratch->path());
    return 0;
}
