#include "LensAtlasApp.h"

#include <QApplication>
#include <QIcon>

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

int runGui(QApplication& app) {
    setApplicationIdentity();
    if (const Theme theme = savedTheme(); theme != Theme::System) applyTheme(theme);
    MainWindow window;
    window.show();
    window.openInitialDataset();
    return app.exec();
}

}  // namespace lens::ui
