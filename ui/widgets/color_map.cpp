#include "ui/widgets/color_map.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPalette>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {

// Viridis (van der Walt & Smith, matplotlib, CC0): every 16th entry of the 256-entry table plus
// the last one. Neighbouring entries differ so little that linear interpolation between these
// 17 stops reproduces the table to within one 8-bit step.
constexpr std::array<double, 17 * 3> kViridis = {
    0.267004, 0.004874, 0.329415, // 0
    0.282327, 0.094955, 0.417331, // 16
    0.278826, 0.175490, 0.483397, // 32
    0.258965, 0.251537, 0.524736, // 48
    0.229739, 0.322361, 0.545706, // 64
    0.199430, 0.387607, 0.554642, // 80
    0.172719, 0.448791, 0.557885, // 96
    0.149039, 0.508051, 0.557250, // 112
    0.127568, 0.566949, 0.550556, // 128
    0.120638, 0.625828, 0.533488, // 144
    0.157851, 0.683765, 0.501686, // 160
    0.246070, 0.738910, 0.452024, // 176
    0.369214, 0.788888, 0.382914, // 192
    0.515992, 0.831158, 0.294279, // 208
    0.678489, 0.863742, 0.189503, // 224
    0.845561, 0.887322, 0.099702, // 240
    0.993248, 0.906157, 0.143936, // 255
};

// ColorBrewer RdBu (11 classes), reversed: dark blue for the most negative, white at zero.
constexpr std::array<QRgb, 11> kRdBu
    = { 0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f };

// Okabe & Ito (2008), ordered so the first classes are the most distinct: blue, orange, green,
// vermillion, sky blue, reddish purple, yellow, grey.
constexpr std::array<QRgb, ColorMap::kCategoricalCount> kOkabeIto
    = { 0x0072b2, 0xe69f00, 0x009e73, 0xd55e00, 0x56b4e9, 0xcc79a7, 0xf0e442, 0x999999 };

double srgbToLinear(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

} // namespace

template <std::size_t N>
ColorMap::ColorMap(Kind kind, const std::array<Stop, N>& stops)
    : m_kind(kind)
{
    for (int i = 0; i < kSize; ++i) {
        const double t = static_cast<double>(i) / (kSize - 1);
        std::size_t k = 0;
        while (k + 2 < N && stops[k + 1].t < t)
            ++k;
        const Stop& a = stops[k];
        const Stop& b = stops[k + 1];
        const double f = b.t > a.t ? std::clamp((t - a.t) / (b.t - a.t), 0.0, 1.0) : 0.0;
        auto channel = [f](double x, double y) { return static_cast<int>(std::lround(255.0 * (x + (y - x) * f))); };
        m_lut[static_cast<std::size_t>(i)] = qRgb(channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b));
    }
}

const ColorMap& ColorMap::viridis()
{
    static const ColorMap map = [] {
        std::array<Stop, 17> stops {};
        for (std::size_t i = 0; i < stops.size(); ++i) {
            const double index = i + 1 == stops.size() ? 255.0 : 16.0 * static_cast<double>(i);
            stops[i] = { index / 255.0, kViridis[3 * i], kViridis[3 * i + 1], kViridis[3 * i + 2] };
        }
        return ColorMap(Kind::Viridis, stops);
    }();
    return map;
}

const ColorMap& ColorMap::diverging()
{
    static const ColorMap map = [] {
        std::array<Stop, kRdBu.size()> stops {};
        for (std::size_t i = 0; i < stops.size(); ++i) {
            const QRgb c = kRdBu[i];
            stops[i]
                = { static_cast<double>(i) / (stops.size() - 1), qRed(c) / 255.0, qGreen(c) / 255.0, qBlue(c) / 255.0 };
        }
        return ColorMap(Kind::Diverging, stops);
    }();
    return map;
}

const ColorMap& ColorMap::forKind(Kind kind)
{
    return kind == Kind::Viridis ? viridis() : diverging();
}

QString ColorMap::name() const
{
    return m_kind == Kind::Viridis ? QStringLiteral("viridis") : QStringLiteral("diverging (RdBu)");
}

QRgb ColorMap::rgb(double t) const
{
    if (std::isnan(t))
        return qRgb(128, 128, 128);
    const int index = static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * (kSize - 1)));
    return m_lut[static_cast<std::size_t>(index)];
}

QRgb ColorMap::map(float value, float min, float max) const
{
    if (std::isnan(value))
        return rgb(std::nan(""));
    if (!(max > min))
        return rgb(0.5);
    return rgb((static_cast<double>(value) - min) / (static_cast<double>(max) - min));
}

std::pair<float, float> ColorMap::symmetricRange(float min, float max)
{
    const float m = std::max(std::abs(min), std::abs(max));
    if (!(m > 0) || !std::isfinite(m))
        return { -1.0f, 1.0f };
    return { -m, m };
}

QImage ColorMap::image(const float* values, int width, int height, float min, float max) const
{
    QImage image(std::max(width, 1), std::max(height, 1), QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    if (!values || width <= 0 || height <= 0)
        return image;
    const double span = static_cast<double>(max) - min;
    for (int y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const float v
                = values[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)];
            if (std::isnan(v)) {
                line[x] = qRgba(0, 0, 0, 0);
                continue;
            }
            const double t = span > 0 ? (v - min) / span : 0.5;
            line[x] = rgb(t) | 0xff000000u;
        }
    }
    return image;
}

void ColorMap::drawLegend(
    QPainter& painter, const QRectF& rect, float min, float max, const QPalette& palette, const QString& title) const
{
    painter.save();
    const QFontMetricsF fm(painter.font());
    const double labelHeight = fm.height();
    QRectF bar = rect.adjusted(0, 0, 0, -labelHeight - 2);
    if (!title.isEmpty()) {
        painter.setPen(palette.color(QPalette::WindowText));
        painter.drawText(
            QRectF(rect.left(), rect.top(), rect.width(), labelHeight), Qt::AlignLeft | Qt::AlignVCenter, title);
        bar.setTop(bar.top() + labelHeight + 2);
    }
    if (bar.height() < 4)
        bar.setHeight(4);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 16; ++i)
        gradient.setColorAt(i / 16.0, color(i / 16.0));
    painter.setPen(palette.color(QPalette::Mid));
    painter.setBrush(gradient);
    painter.drawRect(bar);

    painter.setPen(palette.color(QPalette::WindowText));
    const QRectF labels(bar.left(), bar.bottom() + 2, bar.width(), labelHeight);
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop, QString::number(static_cast<double>(min), 'g', 3));
    painter.drawText(labels, Qt::AlignRight | Qt::AlignTop, QString::number(static_cast<double>(max), 'g', 3));
    if (m_kind == Kind::Diverging && min < 0 && max > 0)
        painter.drawText(labels, Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("0"));
    painter.restore();
}

QColor ColorMap::categorical(int index)
{
    if (index < 0)
        return QColor(Qt::gray);
    QColor c = QColor::fromRgb(kOkabeIto[static_cast<std::size_t>(index % kCategoricalCount)]);
    const int round = index / kCategoricalCount;
    // Beyond eight classes colours repeat; alternate darker and lighter shades to keep them apart.
    if (round % 2 == 1)
        c = c.darker(150);
    else if (round > 0)
        c = c.lighter(140);
    return c;
}

double ColorMap::relativeLuminance(QRgb rgb)
{
    return 0.2126 * srgbToLinear(qRed(rgb) / 255.0) + 0.7152 * srgbToLinear(qGreen(rgb) / 255.0)
        + 0.0722 * srgbToLinear(qBlue(rgb) / 255.0);
}

QColor ColorMap::textColorOn(QRgb background)
{
    return relativeLuminance(background) > 0.28 ? QColor(20, 20, 20) : QColor(250, 250, 250);
}

} // namespace layerlens::ui
