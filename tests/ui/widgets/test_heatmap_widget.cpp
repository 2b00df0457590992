// HeatmapWidget: crisp nearest-neighbour cells, hover reports the value under the cursor and a
// click emits clicked().

#include "ui/widgets/heatmap_widget.h"

#include <QSignalSpy>
#include <QtTest>

using layerlens::ui::ColorMap;
using layerlens::ui::HeatmapWidget;

class TestHeatmapWidget : public QObject {
    Q_OBJECT
private slots:
    void cellsAreCrispAndHoverShowsValue()
    {
        HeatmapWidget w;
        w.resize(204, 104);
        std::vector<float> values(8);
        for (int i = 0; i < 8; ++i)
            values[static_cast<std::size_t>(i)] = static_cast<float>(i) * 0.5f - 1.0f;
        w.setData(4, 2, values);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QRect r = w.mapRect();
        QVERIFY(!r.isEmpty());
        QCOMPARE(r.width(), 2 * r.height()); // square cells

        const QImage image = w.grab().toImage();
        const double cw = r.width() / 4.0, ch = r.height() / 2.0;
        for (int y = 0; y < 2; ++y) {
            for (int x = 0; x < 4; ++x) {
                // Points near both edges of a cell have the cell's exact colour: no smoothing.
                const QRgb expected = ColorMap::viridis().map(values[static_cast<std::size_t>(y * 4 + x)], -1.0f, 2.5f);
                for (double fx : { 0.15, 0.85 }) {
                    const QPoint p(
                        static_cast<int>(r.left() + (x + fx) * cw), static_cast<int>(r.top() + (y + 0.5) * ch));
                    QCOMPARE(image.pixel(p * image.devicePixelRatio()) & 0xffffff, expected & 0xffffff);
                }
            }
        }

        const QPoint inside(static_cast<int>(r.left() + 2.5 * cw), static_cast<int>(r.top() + 1.5 * ch));
        QSignalSpy hovered(&w, &HeatmapWidget::hovered);
        QTest::mouseMove(&w, inside);
        QTRY_VERIFY(hovered.count() >= 1);
        QCOMPARE(w.cellAt(inside), QPoint(2, 1));
        QCOMPARE(hovered.last().at(2).toFloat(), values[6]);
        QVERIFY2(w.hoverText().endsWith(QStringLiteral("= 2")), qPrintable(w.hoverText()));

        QSignalSpy clicked(&w, &HeatmapWidget::clicked);
        QTest::mouseClick(&w, Qt::LeftButton, {}, inside);
        QCOMPARE(clicked.count(), 1);
    }

    void fixedRangeAndDivergingMap()
    {
        HeatmapWidget w;
        w.setColorMap(ColorMap::Kind::Diverging);
        const std::vector<float> values = { -0.5f, 2.0f };
        w.setData(2, 1, values);
        QCOMPARE(w.rangeMin(), -2.0f); // symmetric around zero
        QCOMPARE(w.rangeMax(), 2.0f);
        w.setRange(0.0f, 4.0f);
        QCOMPARE(w.rangeMin(), 0.0f);
        QCOMPARE(w.mappedImage().pixel(1, 0) & 0xffffff, ColorMap::diverging().map(2.0f, 0.0f, 4.0f) & 0xffffff);
        QCOMPARE(w.valueAt(1, 0), 2.0f);
        QVERIFY(std::isnan(w.valueAt(2, 0)));
    }
};

QTEST_MAIN(TestHeatmapWidget)
#include "test_heatmap_widget.moc"
