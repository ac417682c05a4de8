#pragma once
// Headless commands of `lens-atlas` (info, generate, eda, train, ...). Each lives in
// app/commands/<Name>Command.cpp and registers itself with LENS_ATLAS_COMMAND, so main.cpp
// stays a dispatcher and adding a command touches one file.
#include <QStringList>
#include <functional>
#include <map>
#include <string>

namespace lens::app {

// Exit codes shared by every command.
enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2, kBadData = 3 };

struct Command {
    std::string name;
    std::string summary;    // one line for --help
    std::string usage;      // "info PATH [--json] [--lenient]"
    bool needsGui = false;  // true: run under a QApplication (offscreen when no display)
    std::function<int(const QStringList& args)> run;  // args after the command name
};

std::map<std::string, Command>& commandRegistry();

struct CommandRegistrar {
    explicit CommandRegistrar(Command c) { commandRegistry()[c.name] = std::move(c); }
};

}  // namespace lens::app

// The registrar's name is numbered by __COUNTER__, not __LINE__: in a unity build several command
// files share one translation unit. clang-format would break the macro's braced initialiser over
// five lines.
// clang-format off
#define LENS_ATLAS_CONCAT_(a, b) a##b
#define LENS_ATLAS_CONCAT(a, b) LENS_ATLAS_CONCAT_(a, b)
#define LENS_ATLAS_COMMAND(...) \
    static const ::lens::app::CommandRegistrar LENS_ATLAS_CONCAT(lensAtlasCommand_, __COUNTER__){::lens::app::Command{__VA_ARGS__}}
// clang-format on
