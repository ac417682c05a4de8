#pragma once
// What counts as a dataset drop: exactly one local folder or one local .zip file.
#include <QString>

class QMimeData;

namespace lens::ui {

// The dropped folder or .zip, or an empty string when the drop is anything else.
QString datasetPathFromDrop(const QMimeData* mime);

}  // namespace lens::ui
