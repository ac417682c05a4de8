#pragma once
// Runs the real `lens-atlas` executable (LENS_ATLAS_EXE) in the CLI tests and collects its exit
// code and output. A crash or a timeout gives exitCode -1.
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>
#include <cstddef>

#include "synth/SyntheticGenerator.h"

namespace lens::test {

struct CliRun {
    int exitCode = -1;
    QByteArray out, err;
};

// The system environment with OpenMP threads that sleep instead of spinning while idle, so that
// a test's child process does not starve the other tests running beside it on a small machine.
inline QProcessEnvironment passiveOpenMpEnvironment() {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("passive"));
    return environment;
}

inline CliRun runLensAtlas(
    const QStringList& args, int timeoutMs = 120'000,
    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(LENS_ATLAS_EXE), args);
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = process.readAllStandardError();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Writes `content` to the file at `path` (a fixture); fails the running test when it cannot.
inline void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(content), content.size());
}

// The whole content of the file at `path`; empty when it cannot be read.
inline QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Writes a synthetic release without tags holding exactly `ratings` ratings into
// <dir>/synthetic and returns its path: the small dataset the train, recommend and map tests
// run the executable on.
inline QString writeSyntheticTestRelease(const QTemporaryDir& dir, std::size_t ratings) {
    const QString release = dir.filePath(QStringLiteral("synthetic"));
    SyntheticConfig config;
    config.ratings = ratings;
    config.tags = false;
    writeSyntheticRelease(config, release.toStdString());
    return release;
}

}  // namespace lens::test
