// lens-atlas: with no arguments the GUI; with a command name a headless command.
#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>
#include <cstdio>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "LensAtlasApp.h"
#include "util/BlasCore.h"

namespace {

void printHelp() {
    QTextStream out(stdout);
    out << "Lens Atlas " << LENS_ATLAS_VERSION << ": visual analytics for MovieLens datasets\n\n"
        << "Usage:\n  lens-atlas                 open the GUI (last dataset, or the built-in "
           "demo)\n"
        << "  lens-atlas PATH            open the GUI on a release folder or .zip (or a file of "
           "your own: the import dialog)\n"
        << "  lens-atlas COMMAND ARGS... run a command without a window\n\nCommands:\n";
    // Usage lines run long (train's options): the summary goes on its own indented line.
    for (const auto& [name, cmd] : lens::app::commandRegistry())
        out << "  " << QString::fromStdString(cmd.usage) << "\n      "
            << QString::fromStdString(cmd.summary) << '\n';
    out << "\nPATH is a release folder or .zip (any MovieLens layout), or `demo` for the built-in "
           "synthetic dataset.\n"
        << "Your own interaction data: a folder with lens-atlas.json opens like a release; a file "
           "opens with --format (see the guide).\nEvery command that takes PATH also takes "
        << lens::app::kDataArgumentsUsage << ".\n"
        << "`lens-atlas COMMAND --help` shows one command's usage.\n"
        << "Exit codes: 0 ok, 1 failure (network, write, cancel), 2 usage error, 3 bad data "
           "(stderr names file and line).\n";
}

// An existing folder or file: what the window can open (a .zip as a release, another file as
// the user's own interaction data, through the import dialog or as remembered).
bool isDatasetPath(const QString& argument) {
    const QFileInfo info(argument);
    return info.isDir() || info.isFile();
}

}  // namespace

int main(int argc, char** argv) {
    // Before anything else: OpenBLAS's faster kernels where its own choice is too old
    // (util/BlasCore.h); this may start the program again with the same arguments.
    lens::reexecWithBetterBlasCore(argv);
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (first == "--version" || first == "-v") {
        const std::string core = lens::blasCoreName();
        std::printf("lens-atlas %s\nBLAS: %s\n", LENS_ATLAS_VERSION,
                    core.empty() ? "not OpenBLAS" : ("OpenBLAS, " + core + " kernels").c_str());
        return 0;
    }
    if (first == "--help" || first == "-h" || first == "help") {
        printHelp();
        return 0;
    }
    auto& registry = lens::app::commandRegistry();
    // `lens-atlas ~/Downloads/ml-25m.zip` (or a folder, as a file manager passes it with %f):
    // the window on that dataset.
    QString datasetPath;
    if (argc == 2 && !first.startsWith('-') &&
        registry.find(first.toStdString()) == registry.end() && isDatasetPath(first))
        datasetPath = first;
    if (!first.isEmpty() && !first.startsWith('-') && datasetPath.isEmpty()) {
        auto it = registry.find(first.toStdString());
        if (it == registry.end() && (first.contains('/') || first.endsWith(".zip"))) {
            std::fprintf(stderr,
                         "lens-atlas: '%s' is neither a command nor a release folder, .zip or file "
                         "that exists\n",
                         argv[1]);
            return lens::app::kUsage;
        }
        if (it == registry.end()) {
            std::fprintf(stderr, "lens-atlas: unknown command '%s' (see lens-atlas --help)\n",
                         argv[1]);
            return lens::app::kUsage;
        }
        QStringList args;
        for (int i = 2; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
        if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
            QTextStream out(stdout);
            out << "usage: lens-atlas " << QString::fromStdString(it->second.usage) << "\n  "
                << QString::fromStdString(it->second.summary) << '\n';
            if (it->second.usage.find("PATH") != std::string::npos)
                out << "PATH may also be a file of your own or a folder with lens-atlas.json; "
                       "data options:\n  "
                    << lens::app::kDataArgumentsUsage << '\n';
            return lens::app::kOk;
        }
        if (const QString bad = lens::app::takeDataArguments(args); !bad.isEmpty()) {
            QTextStream(stderr) << "lens-atlas " << first << ": " << bad << "\nusage: lens-atlas "
                                << QString::fromStdString(it->second.usage) << ' '
                                << lens::app::kDataArgumentsUsage << '\n';
            return lens::app::kUsage;
        }
        if (it->second.needsGui) {
            // Charts render through QtGui: without a display use the offscreen platform.
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
                qEnvironmentVariableIsEmpty("DISPLAY") &&
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
#if defined(Q_OS_LINUX)
    // Without a display Qt would abort with a message about plugins; say what to do instead.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fprintf(stderr,
                     "lens-atlas: no display (DISPLAY and WAYLAND_DISPLAY are not set), so no "
                     "window can open.\nThe headless commands work without one: lens-atlas "
                     "--help. To run the window anyway: xvfb-run lens-atlas, or "
                     "QT_QPA_PLATFORM=offscreen.\n");
        return lens::app::kFailure;
    }
#endif
    QApplication app(argc, argv);
    return lens::ui::runGui(app, datasetPath);
}
