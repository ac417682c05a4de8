#include "Theme.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace lens::ui {

namespace {
QString& systemStyleName() {
    static QString name;
    return name;
}
}  // namespace

QString themeName(Theme theme) {
    switch (theme) {
        case Theme::Light:
            return QObject::tr("Light");
        case Theme::Dark:
            return QObject::tr("Dark");
        case Theme::System:
            break;
    }
    return QObject::tr("System");
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6),
        disabled(0x80, 0x80, 0x80), highlight(0x3d, 0x8e, 0xd9);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x35, 0x39));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

void applyTheme(Theme theme) {
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    if (!app) return;
    if (systemStyleName().isEmpty() && app->style()) systemStyleName() = app->style()->name();
    switch (theme) {
        case Theme::System:
            if (!systemStyleName().isEmpty())
                app->setStyle(QStyleFactory::create(systemStyleName()));
            app->setPalette(app->style()->standardPalette());
            break;
        case Theme::Light:
            app->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
            app->setPalette(app->style()->standardPalette());
            break;
        case Theme::Dark:
            app->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
            app->setPalette(darkPalette());
            break;
    }
}

Theme savedTheme() {
    const int value = QSettings().value(QStringLiteral("view/theme"), 0).toInt();
    return value >= 0 && value <= 2 ? static_cast<Theme>(value) : Theme::System;
}

void saveTheme(Theme theme) {
    QSettings().setValue(QStringLiteral("view/theme"), static_cast<int>(theme));
}

}  // namespace lens::ui
