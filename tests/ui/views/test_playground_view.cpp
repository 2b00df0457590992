// PlaygroundView: the hint without a 2-D grid, argmax class colours at known grid cells (read
// back from the rendered image), the data points on top, and one thumbnail per hidden neuron.

#include "core/train/snapshot.h"
#include "ui/views/playground_view.h"
#include "ui/widgets/color_map.h"
#include "ui/widgets/decision_plane_widget.h"

#include <QtTest>
#include <cmath>
#include <memory>

using namespace layerlens;
using layerlens::ui::ColorMap;
using layerlens::ui::DecisionPlaneWidget;
using layerlens::ui::PlaygroundView;

namespace {

constexpr int kGrid = 40, kClasses = 3;
constexpr float kMinX = -2, kMaxX = 2, kMinY = -1, kMaxY = 3;

// The synthetic model, defined on plane coordinates: class 0 left of x = -0.7, class 2 right of
// x = 0.6, class 1 between; certain above y = 1, 60 % sure below.
int classAt(float x, float /*y*/)
{
    return x < -0.7f ? 0 : (x < 0.6f ? 1 : 2);
}
float confidenceAt(float /*x*/, float y)
{
    return y > 1.0f ? 1.0f : 0.6f;
}

// Cell centres exactly as core::Trainer lays out the grid: row 0 at the top (maximum y).
float cellX(int column)
{
    return kMinX + (kMaxX - kMinX) * (static_cast<float>(column) + 0.5f) / kGrid;
}
float cellY(int row)
{
    return kMaxY - (kMaxY - kMinY) * (static_cast<float>(row) + 0.5f) / kGrid;
}

std::shared_ptr<core::Snapshot> makeSnapshot()
{
    auto s = std::make_shared<core::Snapshot>();
    s->step = 120;
    s->loss = 0.31f;
    s->classNames = { "a", "b", "c" };
    s->gridSize = kGrid;
    s->gridMinX = kMinX;
    s->gridMaxX = kMaxX;
    s->gridMinY = kMinY;
    s->gridMaxY = kMaxY;
    s->gridOutput = core::Tensor({ kGrid * kGrid, kClasses });
    for (int gy = 0; gy < kGrid; ++gy) {
        for (int gx = 0; gx < kGrid; ++gx) {
            const int best = classAt(cellX(gx), cellY(gy));
            const float c = confidenceAt(cellX(gx), cellY(gy));
            for (int k = 0; k < kClasses; ++k)
                s->gridOutput[static_cast<std::size_t>((gy * kGrid + gx) * kClasses + k)]
                    = k == best ? c : (1 - c) / (kClasses - 1);
        }
    }
    // Hidden layer of 6 units, a second of 4, then the 3-unit output (not a thumbnail).
    for (int units : { 6, 4, 3 }) {
        core::Tensor t({ kGrid * kGrid, units });
        for (int i = 0; i < kGrid * kGrid; ++i)
            for (int u = 0; u < units; ++u) {
                const float x = cellX(i % kGrid), y = cellY(i / kGrid);
                t[static_cast<std::size_t>(i * units + u)] = std::tanh(
                    std::cos(0.8f * static_cast<float>(u)) * x + std::sin(0.8f * static_cast<float>(u)) * y);
            }
        s->gridNeurons.push_back(t);
    }
    // A few points in the lower-left corner only, away from the cells the test reads.
    s->dataPoints
        = core::Tensor({ 6, 2 }, { -1.9f, -0.9f, -1.7f, -0.8f, -1.8f, -0.6f, 1.8f, -0.9f, 1.6f, -0.7f, 1.7f, -0.8f });
    s->dataLabels = { 0, 0, 0, 2, 2, 2 };
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
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance
        && std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

} // namespace

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

        // Points of the plane (away from the region borders and the data points) show the class the
        // model predicts there: this checks the orientation of the grid against the trainer's.
        const float points[][2]
            = { { -1.5f, 2.5f }, { -1.5f, 0.0f }, { 0.0f, 2.0f }, { 0.0f, 0.0f }, { 1.3f, 2.8f }, { 1.3f, 0.5f } };
        for (const auto& xy : points) {
            const QColor expected = DecisionPlaneWidget::cellColor(
                classAt(xy[0], xy[1]), confidenceAt(xy[0], xy[1]), kClasses, background);
            const QRgb got = image.pixel(view.planeToView(xy[0], xy[1]) * dpr);
            QVERIFY2(near(got, expected.rgb(), 2),
                qPrintable(QStringLiteral("(%1, %2): %3 vs %4")
                               .arg(xy[0])
                               .arg(xy[1])
                               .arg(QColor(got).name(), expected.name())));
        }
        // And grid cells land where gridCellCenter says.
        for (auto [column, row] : { std::pair { 3, 4 }, std::pair { 20, 30 }, std::pair { 36, 12 } }) {
            const QColor expected = DecisionPlaneWidget::cellColor(
                classAt(cellX(column), cellY(row)), confidenceAt(cellX(column), cellY(row)), kClasses, background);
            QVERIFY(near(image.pixel(view.gridCellCenter(column, row) * dpr), expected.rgb(), 2));
        }
        // Certain cells carry the full class colour; unsure ones are paler but keep their hue.
        QCOMPARE(DecisionPlaneWidget::cellColor(1, 1.0f, 3, background), ColorMap::categorical(1));
        const QColor unsure = DecisionPlaneWidget::cellColor(1, 0.4f, 3, background);
        QVERIFY(unsure.lightness() > ColorMap::categorical(1).lightness());

        // A data point is drawn in its class colour (class 2 at (1.7, -0.8)).
        QVERIFY(near(image.pixel(view.planeToView(1.7, -0.8) * dpr), ColorMap::categorical(2).rgb(), 2));
        QCOMPARE(view.neuronThumbnailCount(), 6 + 4);
        image.save(QStringLiteral("/tmp/layerlens_playground_view.png"));
        QVERIFY(view.exportSvg(QStringLiteral("/tmp/layerlens_playground_view.svg")));

        // Back to a dataset without grid: the hint returns.
        auto plain = std::make_shared<core::Snapshot>();
        view.showSnapshot(plain);
        QVERIFY(view.isHintVisible());
    }

    void gridRowZeroIsTheTop()
    {
        DecisionPlaneWidget plane;
        auto s = makeSnapshot();
        plane.setGrid(kGrid, s->gridOutput, kMinX, kMaxX, kMinY, kMaxY);
        const QImage img = plane.gridImage();
        QCOMPARE(img.size(), QSize(kGrid, kGrid));
        const QColor base = plane.palette().color(QPalette::Base);
        // Image row 0 is the top of the plane (max y): the certain part of the middle band.
        QCOMPARE(QColor(img.pixel(20, 0)), DecisionPlaneWidget::cellColor(1, 1.0f, kClasses, base));
        QCOMPARE(QColor(img.pixel(20, kGrid - 1)), DecisionPlaneWidget::cellColor(1, 0.6f, kClasses, base));
    }

    void hiddenNeuronsSkipOutputAndPreActivations()
    {
        // Dense(5) -> Activation -> Dense(3) -> Softmax: only the activation's 5 neurons are hidden.
        auto s = makeSnapshot();
        s->layers.clear();
        s->gridNeurons.clear();
        const char* types[] = { "Dense", "Activation", "Dense", "Softmax" };
        const int units[] = { 5, 5, 3, 3 };
        for (int i = 0; i < 4; ++i) {
            core::LayerSnapshot l;
            l.name = std::string("layer") + std::to_string(i);
            l.type = types[i];
            s->layers.push_back(l);
            s->gridNeurons.push_back(core::Tensor({ kGrid * kGrid, units[i] }, 0.5f));
        }
        PlaygroundView view;
        view.showSnapshot(s);
        QCOMPARE(view.neuronThumbnailCount(), 5);
    }
};

QTEST_MAIN(TestPlaygroundView)
#include "test_playground_view.moc"
