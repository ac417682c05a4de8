#pragma once
#include <QString>
// Application-wide setup shared by the GUI and the headless commands.
class QApplication;

namespace lens::ui {

// Registers the Qt resources (icons) compiled into this static library; the linker drops their
// automatic initialiser, so everything that reads ":/..." calls this first. Idempotent.
void initResources();

// Organisation and application names (QSettings, data folders), version, window icon.
void setApplicationIdentity();

// Shows the main window on the last dataset (or the built-in demo) and runs the event loop.
// Runs the main window: on `datasetPath` (a release folder or .zip) when given, else on the
// last dataset or the built-in demo.
int runGui(QApplication& app, const QString& datasetPath = {});

}  // namespace lens::ui
