#pragma once
// Helpers the headless commands (app/commands/*Command.cpp) share: the usage-error message on
// stderr and taking an option's value from the argument list. Header-only: app/CMakeLists.txt
// compiles main.cpp, CommandRegistry.cpp and app/commands/*.cpp.
#include <QString>
#include <QStringList>
#include <QTextStream>

#include "CommandRegistry.h"

namespace lens::app {

// Writes the first two lines of a usage error to `err`: "lens-atlas <command>: <message>" and
// "usage: lens-atlas <usage>", the command being the first word of `usage` ("eda PATH ...").
// Commands that list more (models, releases) append it to `err` afterwards.
inline void writeUsageError(QTextStream& err, const QString& message, const char* usage) {
    const QString usageLine = QString::fromUtf8(usage);
    err << "lens-atlas " << usageLine.section(QLatin1Char(' '), 0, 0) << ": " << message
        << "\nusage: lens-atlas " << usageLine << '\n';
}

// writeUsageError on stderr; returns the exit code for bad usage (kUsage, 2).
inline int usageError(const QString& message, const char* usage) {
    QTextStream err(stderr);
    writeUsageError(err, message, usage);
    return kUsage;
}

// Takes the value of the option args[i]: stores args[i + 1] in `out` and steps i onto it.
// Returns false (nothing changed) when args[i] is the last argument.
inline bool takeOptionValue(const QStringList& args, int& i, QString& out) {
    if (i + 1 >= args.size()) return false;
    out = args[++i];
    return true;
}

}  // namespace lens::app
