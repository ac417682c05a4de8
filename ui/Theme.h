#pragma once
// Colour themes: the platform's palette, or Fusion with a light or a dark palette. Panels take
// their colours from the palette, so a dark theme reaches every widget; exported figures keep a
// white background whatever the theme, so they paste into reports unchanged.
#include <QString>

class QPalette;

namespace lens::ui {

enum class Theme { System = 0, Light = 1, Dark = 2 };

QString themeName(Theme theme);  // "System", "Light", "Dark"
QPalette darkPalette();
// Applies the theme to the running QApplication (no-op without one).
void applyTheme(Theme theme);
// Persisted choice (QSettings "view/theme"), System by default.
Theme savedTheme();
void saveTheme(Theme theme);

}  // namespace lens::ui
