#pragma once
// Helpers the headless commands (app/commands/*Command.cpp) share: the usage-error message on
// stderr, taking an option's value from the argument list, and the dataset argument. Header-only:
// app/CMakeLists.txt compiles main.cpp, CommandRegistry.cpp and app/commands/*.cpp.
#include <QFile>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "CommandRegistry.h"
#include "io/DatasetLoader.h"
#include "synth/SyntheticGenerator.h"
#include "util/Errors.h"

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

// The PATH argument of a command: a release folder or .zip, or "demo" for the built-in synthetic
// dataset (the one the GUI opens on first start: the same generator and seed, so a model trained
// on `demo` matches `demo` in every command).
inline bool isDemoArgument(const QString& path) {
    return path == QLatin1String("demo");
}

// The options every command that takes PATH accepts (main.cpp takes them out of the arguments
// before the command sees them, takeDataArguments): how to read a user's own interaction file
// and the load filters.
//   --format "user=0,item=1,rating=2,time=3,sep=tab,header=no"   (a descriptor: it holds '=';
//            `export --format npz` keeps its own meaning)
//   --items FILE  --items-format "id=0,title=1,categories=2,catsep=|"
//   --kcore K  --min-user-ratings N  --min-item-ratings N  --since DATE  --until DATE
inline lens::LoadOptions& dataArguments() {
    static lens::LoadOptions options;
    return options;
}

inline const char* kDataArgumentsUsage =
    "[--format DESCRIPTOR] [--items FILE] [--items-format DESCRIPTOR] [--kcore K] "
    "[--min-user-ratings N] [--min-item-ratings N] [--since DATE] [--until DATE]";

// Takes the data options out of `args` into dataArguments(); returns an error message for a
// bad value (empty when all is well).
inline QString takeDataArguments(QStringList& args) {
    lens::LoadOptions& o = dataArguments();
    const auto count = [](const QString& v, int& out) {
        bool ok = false;
        out = v.toInt(&ok);
        return ok && out >= 0;
    };
    for (int i = 0; i < args.size();) {
        const QString name = args[i];
        const bool known = name == "--format" || name == "--items" || name == "--items-format" ||
                           name == "--kcore" || name == "--min-user-ratings" ||
                           name == "--min-item-ratings" || name == "--since" || name == "--until";
        if (!known || i + 1 >= args.size() ||
            (name == "--format" && !args[i + 1].contains(QLatin1Char('=')))) {
            ++i;
            continue;
        }
        const QString value = args[i + 1];
        const std::string text = value.toStdString();
        try {
            if (name == "--format") {
                o.format = lens::parseInteractionFormat(text);
            } else if (name == "--items") {
                o.itemsFile = QFile::encodeName(value).toStdString();
            } else if (name == "--items-format") {
                o.itemsFormat = lens::parseItemsFormat(text);
            } else if (name == "--since" || name == "--until") {
                const auto t = lens::parseDateArgument(text, name == "--until");
                if (!t)
                    return QStringLiteral("bad %1 '%2' (a date 2015-01-31 or Unix seconds)")
                        .arg(name, value);
                (name == "--since" ? o.filters.since : o.filters.until) = *t;
            } else {
                int n = 0;
                if (!count(value, n)) return QStringLiteral("bad %1 '%2'").arg(name, value);
                (name == "--kcore"              ? o.filters.kCore
                 : name == "--min-user-ratings" ? o.filters.minUserRatings
                                                : o.filters.minItemRatings) = n;
            }
        } catch (const std::invalid_argument& e) {
            return QString::fromStdString(e.what());
        }
        args.remove(i, 2);
    }
    if ((!o.itemsFile.empty() || o.itemsFormat) && !o.format)
        return QStringLiteral("--items and --items-format go with --format (or lens-atlas.json)");
    return {};
}

inline lens::Dataset loadDatasetArgument(const QString& path,
                                         const lens::LoadOptions& options = {}) {
    const lens::LoadOptions& data = dataArguments();
    if (isDemoArgument(path)) {
        lens::Dataset demo = lens::generateSyntheticDataset(lens::SyntheticConfig{});
        lens::applyLoadFilters(demo, data.filters);
        return demo;
    }
    lens::LoadOptions merged = options;
    merged.format = data.format;
    merged.itemsFile = data.itemsFile;
    merged.itemsFormat = data.itemsFormat;
    merged.filters = data.filters;
    try {
        return lens::loadDataset(QFile::encodeName(path).toStdString(), merged);
    } catch (const std::invalid_argument& e) {
        // A mapping that names a column the file lacks: a usage error (exit 2) in every command,
        // whatever the command does with other exceptions (a command is one process).
        QTextStream(stderr) << "lens-atlas: " << e.what() << '\n';
        std::exit(kUsage);
    }
}

// The message of a data error for a command that can skip malformed lines (--lenient): the
// error (file:line: problem) and, for a problem on one line, how to load the rest anyway.
inline QString dataErrorText(const char* command, const lens::DataError& e, bool lenientOffered) {
    QString text = QStringLiteral("lens-atlas %1: %2")
                       .arg(QLatin1String(command), QString::fromStdString(e.what()));
    if (lenientOffered && e.line() > 0)
        text += QStringLiteral("\n(--lenient skips malformed lines and reports how many)");
    return text;
}

// What an option handler makes of "--name value".
enum class OptionVerdict {
    Taken,     // understood
    BadValue,  // usage error "bad --name 'value'"
    Unknown,   // usage error "unknown option '--name'"
};

// Parses a command's arguments: one PATH, the switches listed in `switches` (no value; those
// given are collected in *given) and "--name value" options, each handed to
// option(name, value, &message). An option handler may set `message` for an error of its own
// (it wins over the verdict). Returns kOk, or kUsage after printing the error with `usage`; a
// missing PATH, a second positional argument and an option without a value are usage errors.
template <typename Option>
int parseCommandArguments(const QStringList& args, const char* usage, const QStringList& switches,
                          QStringList* given, QString* path, Option&& option) {
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (switches.contains(a)) {
            given->append(a);
        } else if (a.startsWith(QLatin1String("--"))) {
            QString value, message;
            if (!takeOptionValue(args, i, value))
                return usageError(QStringLiteral("%1 needs a value").arg(a), usage);
            const OptionVerdict verdict = option(a, value, message);
            if (!message.isEmpty()) return usageError(message, usage);
            if (verdict == OptionVerdict::BadValue)
                return usageError(QStringLiteral("bad %1 '%2'").arg(a, value), usage);
            if (verdict == OptionVerdict::Unknown)
                return usageError(QStringLiteral("unknown option '%1'").arg(a), usage);
        } else if (path->isEmpty()) {
            *path = a;
        } else {
            return usageError(QStringLiteral("unexpected argument '%1'").arg(a), usage);
        }
    }
    if (path->isEmpty()) return usageError(QStringLiteral("missing PATH"), usage);
    return kOk;
}

// Runs a command's work and turns the engine's exceptions into the documented exit codes:
// lens::DataError -> 3 ("lens-atlas CMD: file:line: problem"), std::invalid_argument -> a usage
// error (2), any other std::exception -> 1. `usage` starts with the command's name.
template <typename Work>
int runWithExitCodes(const char* usage, Work&& work) {
    const QString command = QString::fromUtf8(usage).section(QLatin1Char(' '), 0, 0);
    QTextStream err(stderr);
    try {
        return work();
    } catch (const lens::DataError& e) {
        err << "lens-atlas " << command << ": " << e.what() << '\n';
        return kBadData;
    } catch (const std::invalid_argument& e) {
        return usageError(QString::fromStdString(e.what()), usage);
    } catch (const std::exception& e) {
        err << "lens-atlas " << command << ": " << e.what() << '\n';
        return kFailure;
    }
}

// A figure for text output with `precision` decimals, or "-" when it is undefined (NaN).
inline QString figureText(double v, int precision = 4) {
    return std::isnan(v) ? QStringLiteral("-") : QString::number(v, 'f', precision);
}

// A figure for --json output: the number, or null when it is undefined (NaN, infinite).
inline nlohmann::json jsonNumber(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace lens::app
