#pragma once
// The application's persisted preferences (QSettings, organisation/application names set by
// setApplicationIdentity): one place that knows every key, so panels never spell them.
#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

namespace lens::ui::settings {

QByteArray windowGeometry();
void setWindowGeometry(const QByteArray& geometry);
QByteArray windowState();
void setWindowState(const QByteArray& state);

// Index of the stage shown last (0 = Load).
int lastStage();
void setLastStage(int stage);

// Folder or zip of the dataset open when the app last ran; empty when that was the demo.
QString lastDataset();
void setLastDataset(const QString& path);

bool lenientLoading();
void setLenientLoading(bool lenient);

// Figure export defaults: PNG resolution (300 dpi) and the folder last exported to.
int exportDpi();
void setExportDpi(int dpi);
QString exportDirectory();  // the user's Pictures folder until something was exported
void setExportDirectory(const QString& directory);

}  // namespace lens::ui::settings

namespace lens::ui {

// Most recently opened datasets, newest first, persisted; at most `kMaximum`, existing or not
// (a missing entry is shown greyed out rather than silently dropped).
class RecentDatasets : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaximum = 8;

    explicit RecentDatasets(QObject* parent = nullptr);

    QStringList paths() const { return paths_; }
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

signals:
    void changed();

private:
    void store();
    QStringList paths_;
};

}  // namespace lens::ui
