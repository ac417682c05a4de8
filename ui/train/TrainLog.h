#pragma once
// The Train panel's log pane: what the training did, one time-stamped line per event (settings
// of each run, every iteration's metrics, results, problems reading the history). Read-only,
// fixed-width, keeps the last 5,000 lines.
#include <QPlainTextEdit>

namespace lens::ui {

class TrainLog : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit TrainLog(QWidget* parent = nullptr);

public slots:
    void appendLine(const QString& line);  // "HH:mm:ss  line"
};

}  // namespace lens::ui
