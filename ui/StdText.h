#pragma once
// A std::string from the engine (UTF-8) as a QString, under a short name for the files that
// convert many engine strings (run history, personas).
#include <QString>
#include <string>

namespace lens::ui {

inline QString text(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace lens::ui
