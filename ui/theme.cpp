#include "ui/theme.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyleFactory>

namespace layerlens::ui {

Theme::Mode Theme::s_mode = Theme::Mode::System;

namespace {

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xf3, 0xf4, 0xf6), base(0xff, 0xff, 0xff), text(0x1f, 0x23, 0x28);
    const QColor highlight(0x2f, 0x6f, 0xd1);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf8, 0xfa));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x91, 0x99));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0xfa, 0xfb, 0xfc));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe4, 0xe6, 0xea));
    p.setColor(QPalette::Mid, QColor(0xc4, 0xc8, 0xce));
    p.setColor(QPalette::Dark, QColor(0xa0, 0xa6, 0xae));
    p.setColor(QPalette::Shadow, QColor(0x70, 0x76, 0x7e));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, highlight);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9a, 0xa0, 0xa6));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x25, 0x27, 0x2b), base(0x1b, 0x1d, 0x20), text(0xe3, 0xe5, 0xe8);
    const QColor highlight(0x3d, 0x7e, 0xe0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x22, 0x24, 0x28));
    p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x33, 0x38));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x8e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2e, 0x31, 0x36));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3d, 0x43));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x36, 0x3b));
    p.setColor(QPalette::Mid, QColor(0x45, 0x49, 0x50));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0d, 0x0e));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6a, 0xa5, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6a, 0x6f, 0x76));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6a, 0x6f, 0x76));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6a, 0x6f, 0x76));
    return p;
}

// The palette the platform gave us before we changed anything: System goes back to it.
QPalette& systemPalette()
{
    static QPalette palette = QApplication::palette();
    return palette;
}

bool paletteIsDark(const QPalette& p) { return p.color(QPalette::Window).lightness() < 128; }

}  // namespace

void Theme::apply(Mode mode)
{
    (void)systemPalette();  // capture before the first change
    s_mode = mode;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    bool dark = mode == Mode::Dark;
    if (mode == Mode::System)
        dark = paletteIsDark(systemPalette());
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
}

bool Theme::isDark() { return paletteIsDark(QApplication::palette()); }

QString Theme::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Light: return QStringLiteral("light");
    case Mode::Dark: return QStringLiteral("dark");
    case Mode::System: break;
    }
    return QStringLiteral("system");
}

Theme::Mode Theme::modeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return Mode::Light;
    if (name == QLatin1String("dark"))
        return Mode::Dark;
    return Mode::System;
}

QColor Theme::seriesColor(int index)
{
    // Tableau-10: distinguishable, also for the most common color-vision deficiencies.
    static const QColor light[] = {QColor(QRgb(0x1f77b4)), QColor(QRgb(0xff7f0e)), QColor(QRgb(0x2ca02c)), QColor(QRgb(0xd62728)),
                                   QColor(QRgb(0x9467bd)), QColor(QRgb(0x8c564b)), QColor(QRgb(0xe377c2)), QColor(QRgb(0x7f7f7f)),
                                   QColor(QRgb(0xbcbd22)), QColor(QRgb(0x17becf))};
    const QColor c = light[static_cast<unsigned>(index) % 10];
    return isDark() ? c.lighter(125) : c;
}

QColor Theme::errorColor() { return isDark() ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28); }
QColor Theme::errorBackground() { return isDark() ? QColor(0x5a, 0x1e, 0x1e) : QColor(0xfd, 0xe2, 0xe1); }
QColor Theme::okColor() { return isDark() ? QColor(0x56, 0xd3, 0x64) : QColor(0x1a, 0x7f, 0x37); }

}  // namespace layerlens::ui
