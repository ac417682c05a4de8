#pragma once
// Common set-up of the widget tests that read and write settings: the offscreen platform, and
// QSettings and the application data folder in Qt's test locations under the test's own name.
#include <QCoreApplication>
#include <QFontInfo>
#include <QGuiApplication>
#include <QSettings>
#include <QStandardPaths>

namespace lens::test {

// For a test class's static initMain(): the offscreen platform unless QT_QPA_PLATFORM is set.
inline void useOffscreenPlatform() {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
}

// For initTestCase(): test-mode paths under `name`, settings cleared. False when no font is
// installed (text-drawing checks would then measure nothing).
inline bool startIsolatedUiTest(const char* name) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LensAtlasTest"));
    QCoreApplication::setApplicationName(QString::fromLatin1(name));
    QSettings().clear();
    return !QFontInfo(QGuiApplication::font()).family().isEmpty();
}

}  // namespace lens::test
