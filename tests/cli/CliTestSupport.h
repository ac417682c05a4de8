#pragma once
// Runs the real `lens-atlas` executable (LENS_ATLAS_EXE) in the CLI tests and collects its exit
// code and output. A crash or a timeout gives exitCode -1.
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace lens::test {

struct CliRun {
    int exitCode = -1;
    QByteArray out, err;
};

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

}  // namespace lens::test
