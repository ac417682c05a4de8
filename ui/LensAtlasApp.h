#pragma once
// Application-wide setup shared by the GUI and the headless commands.
class QApplication;

namespace lens::ui {

// Organisation and application names (QSettings, data folders), version, window icon.
void setApplicationIdentity();

// Shows the main window on the last dataset (or the built-in demo) and runs the event loop.
int runGui(QApplication& app);

}  // namespace lens::ui
