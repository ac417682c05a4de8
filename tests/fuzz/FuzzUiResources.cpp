// lens::ui::initResources for the fuzz targets of the UI readers, which link only those
// readers' sources (see CMakeLists.txt): registers resources/resources.qrc (the persona
// presets) exactly as ui/LensAtlasApp.cpp does in the application, without its widget code.
#include <QtGlobal>

#include "LensAtlasApp.h"

// Q_INIT_RESOURCE must be used outside any namespace.
static void initLensAtlasResources() {
    Q_INIT_RESOURCE(resources);
}

namespace lens::ui {

void initResources() {
    static const bool done = (initLensAtlasResources(), true);
    Q_UNUSED(done);
}

}  // namespace lens::ui
