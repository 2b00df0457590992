#pragma once
// Theme: Fusion style with a light or dark palette, following the system by default.

#include <QColor>
#include <QString>

class QApplication;

namespace layerlens::ui {

class Theme {
public:
    enum class Mode { System, Light, Dark };

    // Installs the Fusion style and the palette for `mode`; remembers the system palette on the
    // first call so that System can go back to it.
    static void apply(Mode mode);
    static Mode current() { return s_mode; }
    static bool isDark();  // of the palette in effect

    static QString modeName(Mode mode);           // "system", "light", "dark"
    static Mode modeFromName(const QString& name); // unknown names give System

    // Colors the views share so that plots look alike: series colors and status colors.
    static QColor seriesColor(int index);
    static QColor errorColor();
    static QColor errorBackground();
    static QColor okColor();

private:
    static Mode s_mode;
};

}  // namespace layerlens::ui
