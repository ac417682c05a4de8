// lens-atlas: with no arguments the GUI; with a command name a headless command.
#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

#include "CommandRegistry.h"
#include "LensAtlasApp.h"

namespace {

void printHelp() {
    QTextStream out(stdout);
    out << "Lens Atlas " << LENS_ATLAS_VERSION << ": visual analytics for MovieLens datasets\n\n"
        << "Usage:\n  lens-atlas                 open the GUI (last dataset, or the built-in demo)\n"
        << "  lens-atlas COMMAND ARGS... run a command without a window\n\nCommands:\n";
    for (const auto& [name, cmd] : lens::app::commandRegistry())
        out << "  " << QString::fromStdString(cmd.usage).leftJustified(60) << ' '
            << QString::fromStdString(cmd.summary) << '\n';
    out << "\nExit codes: 0 ok, 2 usage error, 3 bad data (stderr names file and line).\n";
}

}  // namespace

int main(int argc, char** argv) {
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (first == "--version" || first == "-v") {
        std::printf("lens-atlas %s\n", LENS_ATLAS_VERSION);
        return 0;
    }
    if (first == "--help" || first == "-h" || first == "help") {
        printHelp();
        return 0;
    }
    auto& registry = lens::app::commandRegistry();
    if (!first.isEmpty() && !first.startsWith('-')) {
        auto it = registry.find(first.toStdString());
        if (it == registry.end()) {
            std::fprintf(stderr, "lens-atlas: unknown command '%s' (see lens-atlas --help)\n", argv[1]);
            return lens::app::kUsage;
        }
        QStringList args;
        for (int i = 2; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
        if (it->second.needsGui) {
            // Charts render through QtGui: without a display use the offscreen platform.
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
                qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            QApplication app(argc, argv);
            lens::ui::setApplicationIdentity();
            return it->second.run(args);
        }
        QCoreApplication app(argc, argv);
        lens::ui::setApplicationIdentity();
        return it->second.run(args);
    }
    QApplication app(argc, argv);
    return lens::ui::runGui(app);
}
