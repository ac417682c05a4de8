// lens::ui::initResources (LensAtlasApp.h): registers resources/resources.qrc once. In a file of
// its own so that the fuzz targets of the UI readers (tests/fuzz) can link it without the
// application's widget code.
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
