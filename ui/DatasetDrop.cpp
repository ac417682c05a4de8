#include "DatasetDrop.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

namespace lens::ui {

QString datasetPathFromDrop(const QMimeData* mime) {
    if (!mime || !mime->hasUrls()) return {};
    const QList<QUrl> urls = mime->urls();
    if (urls.size() != 1 || !urls.front().isLocalFile()) return {};
    const QFileInfo info(urls.front().toLocalFile());
    if (info.isDir() || info.isFile()) return info.absoluteFilePath();
    return {};
}

}  // namespace lens::ui
