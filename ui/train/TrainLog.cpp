#include "train/TrainLog.h"

#include <QFontDatabase>
#include <QTime>

namespace lens::ui {

TrainLog::TrainLog(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    setMaximumBlockCount(5000);
    setToolTip(
        tr("What the training did: settings, every iteration's metrics, results "
           "and problems"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void TrainLog::appendLine(const QString& line) {
    appendPlainText(QStringLiteral("%1  %2").arg(
        QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

}  // namespace lens::ui
