#include "LensAtlasApp.h"

#include <QApplication>
#include <QIcon>
#include <QLabel>
#include <QMainWindow>

namespace lens::ui {

void setApplicationIdentity() {
    QCoreApplication::setOrganizationName("LensAtlas");
    QCoreApplication::setApplicationName("lens-atlas");
    QCoreApplication::setApplicationVersion(LENS_ATLAS_VERSION);
}

int runGui(QApplication& app) {
    setApplicationIdentity();
    QApplication::setWindowIcon(QIcon(":/icons/lens-atlas.svg"));
    QMainWindow window;
    window.setCentralWidget(new QLabel("Lens Atlas"));
    window.show();
    return app.exec();
}

}  // namespace lens::ui
