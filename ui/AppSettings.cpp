#include "AppSettings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace lens::ui::settings {
namespace {
constexpr auto kGeometry = "mainWindow/geometry";
constexpr auto kState = "mainWindow/state";
constexpr auto kLastStage = "mainWindow/lastStage";
constexpr auto kLastDataset = "datasets/last";
constexpr auto kLenient = "load/lenient";
}  // namespace

QByteArray windowGeometry() {
    return QSettings().value(kGeometry).toByteArray();
}
void setWindowGeometry(const QByteArray& geometry) {
    QSettings().setValue(kGeometry, geometry);
}
QByteArray windowState() {
    return QSettings().value(kState).toByteArray();
}
void setWindowState(const QByteArray& state) {
    QSettings().setValue(kState, state);
}

int lastStage() {
    return QSettings().value(kLastStage, 0).toInt();
}
void setLastStage(int stage) {
    QSettings().setValue(kLastStage, stage);
}

QString lastDataset() {
    return QSettings().value(kLastDataset).toString();
}
void setLastDataset(const QString& path) {
    QSettings s;
    if (path.isEmpty())
        s.remove(kLastDataset);
    else
        s.setValue(kLastDataset, path);
}

bool lenientLoading() {
    return QSettings().value(kLenient, false).toBool();
}
void setLenientLoading(bool lenient) {
    QSettings().setValue(kLenient, lenient);
}

int exportDpi() {
    const int dpi = QSettings().value(QStringLiteral("export/dpi"), 300).toInt();
    return dpi >= 24 && dpi <= 1200 ? dpi : 300;
}
void setExportDpi(int dpi) {
    QSettings().setValue(QStringLiteral("export/dpi"), dpi);
}
QString exportDirectory() {
    const QString stored = QSettings().value(QStringLiteral("export/directory")).toString();
    if (!stored.isEmpty()) return stored;
    const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    return pictures.isEmpty() ? QDir::homePath() : pictures;
}
void setExportDirectory(const QString& directory) {
    QSettings().setValue(QStringLiteral("export/directory"), directory);
}

}  // namespace lens::ui::settings

namespace lens::ui {

namespace {
constexpr auto kRecent = "datasets/recent";
}

RecentDatasets::RecentDatasets(QObject* parent) : QObject(parent) {
    paths_ = QSettings().value(kRecent).toStringList();
    paths_.removeAll(QString());
    while (paths_.size() > kMaximum) paths_.removeLast();
}

void RecentDatasets::add(const QString& path) {
    if (path.isEmpty()) return;
    const QString clean = QDir::cleanPath(path);
    paths_.removeAll(clean);
    paths_.prepend(clean);
    while (paths_.size() > kMaximum) paths_.removeLast();
    store();
}

void RecentDatasets::remove(const QString& path) {
    if (paths_.removeAll(QDir::cleanPath(path)) > 0) store();
}

void RecentDatasets::clear() {
    paths_.clear();
    store();
}

void RecentDatasets::store() {
    QSettings().setValue(kRecent, paths_);
    emit changed();
}

}  // namespace lens::ui
