#include "LensAtlasApp.h"

#include <QApplication>
#include <QIcon>
#include <QTextStream>

#include "DatasetController.h"
#include "LoadPanel.h"
#include "MainWindow.h"
#include "Theme.h"

namespace lens::ui {

void setApplicationIdentity() {
    initResources();
    QCoreApplication::setOrganizationName(QStringLiteral("LensAtlas"));
    QCoreApplication::setApplicationName(QStringLiteral("lens-atlas"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LENS_ATLAS_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Lens Atlas"));
    QGuiApplication::setDesktopFileName(QStringLiteral("lens-atlas"));
    if (qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lens-atlas.svg")));
}

int runGui(QApplication& app, const QString& datasetPath) {
    setApplicationIdentity();
    if (const Theme theme = savedTheme(); theme != Theme::System) applyTheme(theme);
    MainWindow window;
    window.show();
    // LENS_ATLAS_QUIT_AFTER_LOAD=1: a smoke test of start-up (packaging, tests): print what
    // loaded and leave with 0, or the error and 3, as soon as the first dataset is in.
    if (qEnvironmentVariableIntValue("LENS_ATLAS_QUIT_AFTER_LOAD") == 1) {
        QObject::connect(window.controller(), &DatasetController::datasetChanged, &app,
                         [&app](std::shared_ptr<const lens::Dataset> dataset) {
                             QTextStream(stdout)
                                 << "loaded " << QString::fromStdString(dataset->name) << '\n';
                             app.exit(0);
                         });
        QObject::connect(window.controller(), &DatasetController::loadFailed, &app,
                         [&app](const QString& message) {
                             QTextStream(stderr) << message << '\n';
                             app.exit(3);
                         });
    }
    if (datasetPath.isEmpty())
        window.openInitialDataset();
    else
        window.loadPanel()->openPath(datasetPath);  // a failure shows in the Load stage; a
                                                    // file of your own: as remembered, or the
                                                    // import dialog
    return app.exec();
}

}  // namespace lens::ui
