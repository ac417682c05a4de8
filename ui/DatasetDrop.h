#pragma once
// What counts as a dataset drop: exactly one local folder or one local file (a .zip opens as a
// release, another file as the user's own interaction data: LoadPanel::openPath).
#include <QString>

class QMimeData;

namespace lens::ui {

// The dropped folder or file, or an empty string when the drop is anything else.
QString datasetPathFromDrop(const QMimeData* mime);

}  // namespace lens::ui
