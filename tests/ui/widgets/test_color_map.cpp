// ColorMap: the viridis table is the standard one (endpoints and middle), its lightness rises
// monotonically, the diverging map is centred on white, and mapping clamps and handles NaN.

#include "ui/widgets/color_map.h"

#include <QPainter>
#include <QtTest>
#include <cmath>

using layerlens::ui::ColorMap;

namespace {

bool near(QRgb a, QRgb b, int tolerance)
{
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance
        && std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

// CIE L* (perceived lightness) of an sRGB colour.
double lightness(QRgb rgb)
{
    const double y = ColorMap::relativeLuminance(rgb);
    return y > 216.0 / 24389.0 ? 116.0 * std::cbrt(y) - 16.0 : y * 24389.0 / 27.0;
}

} // namespace

class TestColorMap : public QObject {
    Q_OBJECT
private slots:
    void viridisMatchesReference_data()
    {
        QTest::addColumn<double>("t");
        QTest::addColumn<uint>("expected");
        // matplotlib viridis entries 0, 64, 128, 192, 255.
        QTest::newRow("0") << 0.0 << uint(0x440154);
        QTest::newRow("0.25") << 64.0 / 255 << uint(0x3b528b);
        QTest::newRow("0.5") << 128.0 / 255 << uint(0x21918c);
        QTest::newRow("0.75") << 192.0 / 255 << uint(0x5ec962);
        QTest::newRow("1") << 1.0 << uint(0xfde725);
    }
    void viridisMatchesReference()
    {
        QFETCH(double, t);
        QFETCH(uint, expected);
        const QRgb got = ColorMap::viridis().rgb(t);
        QVERIFY2(near(got, expected, 1), qPrintable(QColor(got).name() + " vs " + QColor(expected).name()));
    }

    void viridisLightnessIsMonotonic()
    {
        const ColorMap& map = ColorMap::viridis();
        // 8-bit rounding makes neighbouring entries wobble by a fraction of a unit (viridis climbs
        // about 0.3 L* per entry), so: never a visible step back, and strictly rising over 4 entries.
        for (int i = 1; i < ColorMap::kSize; ++i) {
            const double l = lightness(map.rgbAt(i)), previous = lightness(map.rgbAt(i - 1));
            QVERIFY2(l > previous - 0.25,
                qPrintable(QStringLiteral("L* falls at entry %1: %2 -> %3").arg(i).arg(previous).arg(l)));
            if (i >= 4)
                QVERIFY2(l > lightness(map.rgbAt(i - 4)), qPrintable(QStringLiteral("L* flat around entry %1").arg(i)));
        }
        QVERIFY(lightness(map.rgbAt(0)) < 20);
        QVERIFY(lightness(map.rgbAt(255)) > 85);
    }

    void divergingIsCentredOnWhite()
    {
        const ColorMap& map = ColorMap::diverging();
        const QRgb low = map.rgb(0), mid = map.rgb(0.5), high = map.rgb(1);
        QVERIFY(qBlue(low) > qRed(low)); // negative: blue
        QVERIFY(qRed(high) > qBlue(high)); // positive: red
        QVERIFY(near(mid, 0xf7f7f7, 2));
        // Lightness peaks at the centre and falls off symmetrically-ish on both sides.
        QVERIFY(lightness(map.rgb(0.25)) < lightness(mid));
        QVERIFY(lightness(map.rgb(0.75)) < lightness(mid));
        QVERIFY(std::abs(lightness(map.rgb(0.0)) - lightness(map.rgb(1.0))) < 15);
    }

    void mapClampsAndHandlesDegenerateInput()
    {
        const ColorMap& map = ColorMap::viridis();
        QCOMPARE(map.map(-5.0f, 0.0f, 1.0f), map.rgb(0));
        QCOMPARE(map.map(7.0f, 0.0f, 1.0f), map.rgb(1));
        QCOMPARE(map.map(0.5f, 0.0f, 1.0f), map.rgb(0.5));
        QCOMPARE(map.map(3.0f, 2.0f, 2.0f), map.rgb(0.5)); // empty range: middle, no division by zero
        QCOMPARE(map.map(std::nanf(""), 0.0f, 1.0f), qRgb(128, 128, 128));
        const auto [lo, hi] = ColorMap::symmetricRange(-0.5f, 2.0f);
        QCOMPARE(lo, -2.0f);
        QCOMPARE(hi, 2.0f);
        const auto [zlo, zhi] = ColorMap::symmetricRange(0.0f, 0.0f);
        QCOMPARE(zlo, -1.0f);
        QCOMPARE(zhi, 1.0f);
    }

    void imageMapsEveryValue()
    {
        const float values[] = { 0.0f, 1.0f, 0.5f, std::nanf("") };
        const QImage image = ColorMap::viridis().image(values, 2, 2, 0.0f, 1.0f);
        QCOMPARE(image.size(), QSize(2, 2));
        QCOMPARE(image.pixel(0, 0) & 0xffffff, ColorMap::viridis().rgb(0) & 0xffffff);
        QCOMPARE(image.pixel(1, 0) & 0xffffff, ColorMap::viridis().rgb(1) & 0xffffff);
        QCOMPARE(image.pixel(0, 1) & 0xffffff, ColorMap::viridis().rgb(0.5) & 0xffffff);
        QCOMPARE(qAlpha(image.pixel(1, 1)), 0); // NaN: transparent
    }

    void categoricalColoursAreDistinct()
    {
        QCOMPARE(ColorMap::categorical(0), QColor(0x0072b2));
        QCOMPARE(ColorMap::categorical(1), QColor(0xe69f00));
        for (int a = 0; a < 12; ++a)
            for (int b = a + 1; b < 12; ++b)
                QVERIFY2(ColorMap::categorical(a) != ColorMap::categorical(b),
                    qPrintable(QStringLiteral("%1 == %2").arg(a).arg(b)));
    }

    void legendShowsBarAndLabels()
    {
        QImage image(220, 40, QImage::Format_ARGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            QPalette palette;
            palette.setColor(QPalette::WindowText, Qt::black);
            ColorMap::viridis().drawLegend(painter, QRectF(10, 2, 200, 36), -1.0f, 3.0f, palette);
        }
        // Left end of the bar is dark purple, right end yellow.
        QVERIFY(near(image.pixel(12, 6), ColorMap::viridis().rgb(0), 12));
        QVERIFY(near(image.pixel(207, 6), ColorMap::viridis().rgb(1), 12));
        image.save(QStringLiteral("/tmp/layerlens_legend.png"));
    }

    void textColourContrasts()
    {
        QCOMPARE(
            ColorMap::textColorOn(ColorMap::viridis().rgb(0)).lightness() > 128, true); // light text on dark purple
        QCOMPARE(ColorMap::textColorOn(ColorMap::viridis().rgb(1)).lightness() < 128, true); // dark text on yellow
    }
};

QTEST_MAIN(TestColorMap)
#include "test_color_map.moc"
