#pragma once
// ColorMap: value -> colour lookup tables that stay readable for colour-blind viewers and in
// print. Viridis (sequential, perceptually uniform lightness ramp) for magnitudes, a blue-white-red
// diverging map (ColorBrewer RdBu, reversed so negative = blue) for signed values, and the
// Okabe-Ito qualitative palette for classes.

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QString>
#include <algorithm>
#include <array>
#include <utility>

class QPainter;
class QPalette;

namespace layerlens::ui {

class ColorMap {
public:
    enum class Kind { Viridis, Diverging };
    static constexpr int kSize = 256;

    static const ColorMap& viridis();
    static const ColorMap& diverging();
    static const ColorMap& forKind(Kind kind);

    Kind kind() const { return m_kind; }
    QString name() const;

    // t in [0, 1] (clamped); NaN gives a neutral grey so missing values never look like data.
    QRgb rgb(double t) const;
    QColor color(double t) const { return QColor::fromRgb(rgb(t)); }
    QRgb rgbAt(int index) const { return m_lut[static_cast<std::size_t>(std::clamp(index, 0, kSize - 1))]; }
    // value in [min, max] -> colour; a degenerate range maps everything to the middle.
    QRgb map(float value, float min, float max) const;

    // The range a diverging map should use so that zero sits on its white centre.
    static std::pair<float, float> symmetricRange(float min, float max);

    // One pixel per value, row-major (height rows of width values); NaN pixels are transparent.
    QImage image(const float* values, int width, int height, float min, float max) const;

    // A horizontal legend: the colour bar in `rect` with min / max (and 0 for diverging) below it.
    void drawLegend(QPainter& painter, const QRectF& rect, float min, float max, const QPalette& palette,
        const QString& title = {}) const;

    // Okabe-Ito qualitative palette (colour-blind safe); indices past 8 cycle with a shade change.
    static QColor categorical(int index);
    static constexpr int kCategoricalCount = 8;

    // WCAG relative luminance in [0, 1]; used to pick black or white text on a cell.
    static double relativeLuminance(QRgb rgb);
    static QColor textColorOn(QRgb background);

private:
    struct Stop {
        double t, r, g, b; // position and sRGB components in [0, 1]
    };
    template <std::size_t N> ColorMap(Kind kind, const std::array<Stop, N>& stops);

    Kind m_kind;
    std::array<QRgb, kSize> m_lut {};
};

} // namespace layerlens::ui
