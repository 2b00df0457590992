// ActivationView: one tile per feature map, strips for vector layers, probability or logit bars
// for the last layer, click-to-enlarge with hover values, probe switching, and the layer-step
// highlight with gradient maps on the way back.

#include "core/train/snapshot.h"
#include "ui/views/activation_view.h"
#include "ui/widgets/heatmap_widget.h"
#include "ui/widgets/probability_bars.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <memory>

using namespace layerlens;
using layerlens::ui::ActivationView;
using layerlens::ui::HeatmapWidget;

namespace {

constexpr int kProbes = 3, kChannels = 6, kSize = 12, kUnits = 20, kClasses = 4;

float activation(int probe, int channel, int y, int x)
{
    // Distinct, recognisable patterns per probe and channel: stripes, rings, gradients.
    const float cx = x - kSize / 2.0f, cy = y - kSize / 2.0f;
    switch (channel % 3) {
    case 0:
        return std::max(0.0f, std::sin(0.6f * (x + probe)) + 0.1f * channel);
    case 1:
        return std::max(0.0f, 2.0f - std::abs(std::sqrt(cx * cx + cy * cy) - 3.0f - probe));
    default:
        return 0.1f * static_cast<float>(x + y) + 0.2f * probe;
    }
}

std::shared_ptr<core::Snapshot> makeSnapshot(bool withSoftmax)
{
    auto s = std::make_shared<core::Snapshot>();
    s->step = 42;
    s->classNames = { "circle", "square", "triangle", "star" };
    s->probeInputs = core::Tensor({ kProbes, 1, kSize, kSize });
    for (int p = 0; p < kProbes; ++p)
        for (int i = 0; i < kSize * kSize; ++i)
            s->probeInputs[static_cast<std::size_t>(p * kSize * kSize + i)] = ((i / kSize + i % kSize + p) % 4) / 3.0f;
    s->probeLabels = { 0, 2, 3 };

    core::LayerSnapshot conv;
    conv.name = "conv2d";
    conv.type = "Conv2D";
    conv.outputShape = { kChannels, kSize, kSize };
    conv.probeOutput = core::Tensor({ kProbes, kChannels, kSize, kSize });
    for (int p = 0; p < kProbes; ++p)
        for (int c = 0; c < kChannels; ++c)
            for (int y = 0; y < kSize; ++y)
                for (int x = 0; x < kSize; ++x)
                    conv.probeOutput[static_cast<std::size_t>(((p * kChannels + c) * kSize + y) * kSize + x)]
                        = activation(p, c, y, x);
    conv.activation.count = 100;
    conv.activation.mean = 0.4f;
    conv.activation.stddev = 0.3f;
    conv.activation.deadFraction = 0.12f;
    s->layers.push_back(conv);

    core::LayerSnapshot dense;
    dense.name = "dense";
    dense.type = "Dense";
    dense.outputShape = { kUnits };
    dense.probeOutput = core::Tensor({ kProbes, kUnits });
    for (std::size_t i = 0; i < dense.probeOutput.size(); ++i)
        dense.probeOutput[i] = std::sin(0.37f * static_cast<float>(i));
    s->layers.push_back(dense);

    core::LayerSnapshot logits;
    logits.name = "logits";
    logits.type = "Dense";
    logits.outputShape = { kClasses };
    logits.probeOutput = core::Tensor(
        { kProbes, kClasses }, { 2.0f, -1.0f, 0.5f, 0.1f, -0.3f, 0.2f, 1.8f, -2.0f, 0.0f, 0.4f, 0.3f, 2.2f });
    s->layers.push_back(logits);

    if (withSoftmax) {
        core::LayerSnapshot softmax;
        softmax.name = "softmax";
        softmax.type = "Softmax";
        softmax.outputShape = { kClasses };
        softmax.probeOutput = core::Tensor(
            { kProbes, kClasses }, { 0.7f, 0.05f, 0.15f, 0.1f, 0.1f, 0.1f, 0.75f, 0.05f, 0.1f, 0.1f, 0.1f, 0.7f });
        s->layers.push_back(softmax);
    }
    return s;
}

float probeValue(const core::Snapshot& s, int layer, int probe, int channel, int y, int x)
{
    const auto& t = s.layers[static_cast<std::size_t>(layer)].probeOutput;
    return t[static_cast<std::size_t>(((probe * t.dim(1) + channel) * t.dim(2) + y) * t.dim(3) + x)];
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x36));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x66));
    p.setColor(QPalette::Midlight, QColor(0x48, 0x48, 0x4c));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xd8));
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa6));
    return p;
}

} // namespace

class TestActivationView : public QObject {
    Q_OBJECT
private slots:
    void showsOneTilePerChannel()
    {
        ActivationView view;
        view.resize(1100, 800);
        auto s = makeSnapshot(true);
        view.showSnapshot(s);
        QCOMPARE(view.layerCount(), 4);
        QCOMPARE(view.tileCount(0), kChannels);
        QCOMPARE(view.tileCount(1), 0);
        QVERIFY(view.strip(1) != nullptr);
        QCOMPARE(view.strip(1)->dataWidth() * view.strip(1)->dataHeight() >= kUnits, true);
        QCOMPARE(view.strip(1)->valueAt(3, 0), s->layers[1].probeOutput[3]);
        // Tile c shows channel c of probe 0.
        HeatmapWidget* tile = view.tile(0, 4);
        QVERIFY(tile);
        QCOMPARE(tile->dataWidth(), kSize);
        QCOMPARE(tile->valueAt(5, 7), probeValue(*s, 0, 0, 4, 7, 5));
        // Shared colour range over the layer's maps.
        QCOMPARE(view.tile(0, 0)->rangeMax(), view.tile(0, 5)->rangeMax());
    }

    void lastLayerShowsProbabilitiesOrLogits()
    {
        ActivationView view;
        view.resize(1000, 800);
        view.showSnapshot(makeSnapshot(true));
        QVERIFY(view.outputBars());
        QCOMPARE(view.outputBars()->title(), QStringLiteral("probabilities"));
        QCOMPARE(view.outputBars()->count(), kClasses);
        QCOMPARE(view.outputBars()->labels().at(2), QStringLiteral("triangle"));
        QCOMPARE(view.outputBars()->values().at(0), 0.7f);

        view.showSnapshot(makeSnapshot(false));
        QCOMPARE(view.layerCount(), 3);
        QVERIFY(view.outputBars()->title().startsWith(QStringLiteral("logits")));
        QCOMPARE(view.outputBars()->values().at(1), -1.0f);
    }

    void clickEnlargesAndHoverShowsValue()
    {
        ActivationView view;
        view.resize(1200, 800);
        auto s = makeSnapshot(true);
        view.showSnapshot(s);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.isEnlarged());
        HeatmapWidget* tile = view.tile(0, 2);
        QTest::mouseClick(tile, Qt::LeftButton, {}, tile->mapRect().center());
        QVERIFY(view.isEnlarged());
        QVERIFY(tile->isSelected());
        HeatmapWidget* big = view.enlargedMap();
        QCOMPARE(big->dataWidth(), kSize);
        QCOMPARE(big->valueAt(3, 9), probeValue(*s, 0, 0, 2, 9, 3));
        QTRY_VERIFY(!big->mapRect().isEmpty());

        // Hover over cell (x 7, y 4) of the enlarged map.
        const QRect r = big->mapRect();
        const QPoint at(static_cast<int>(r.left() + (7.5 / kSize) * r.width()),
            static_cast<int>(r.top() + (4.5 / kSize) * r.height()));
        QTest::mouseMove(big, at);
        const float expected = probeValue(*s, 0, 0, 2, 4, 7);
        QTRY_VERIFY(view.enlargedValueText().contains(QStringLiteral("x 7, y 4")));
        QVERIFY2(view.enlargedValueText().endsWith(QString::number(static_cast<double>(expected), 'g', 5)),
            qPrintable(view.enlargedValueText()));
        QVERIFY(big->hoverText().endsWith(QString::number(static_cast<double>(expected), 'g', 4)));

        view.renderImage().save(QStringLiteral("/tmp/layerlens_activation_view.png"));
        QVERIFY(view.exportSvg(QStringLiteral("/tmp/layerlens_activation_view.svg")));
        QVERIFY(QFile(QStringLiteral("/tmp/layerlens_activation_view.svg")).size() > 1000);

        view.closeEnlarged();
        QVERIFY(!view.isEnlarged());
    }

    void switchingProbeChangesMaps()
    {
        ActivationView view;
        view.resize(1000, 800);
        auto s = makeSnapshot(true);
        view.showSnapshot(s);
        auto* combo = view.findChild<QComboBox*>(QStringLiteral("probeCombo"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), kProbes);
        QVERIFY(combo->itemText(1).contains(QStringLiteral("triangle")));
        QSignalSpy spy(&view, &ActivationView::probeChanged);
        combo->setCurrentIndex(2);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(view.currentProbe(), 2);
        QCOMPARE(view.tile(0, 1)->valueAt(6, 6), probeValue(*s, 0, 2, 1, 6, 6));
        QCOMPARE(view.outputBars()->values().at(3), 0.7f);
        // A new snapshot keeps the chosen probe.
        view.showSnapshot(makeSnapshot(true));
        QCOMPARE(view.currentProbe(), 2);
    }

    void backwardStepHighlightsLayerAndShowsGradients()
    {
        ActivationView view;
        view.resize(1100, 900);
        auto s = makeSnapshot(true);
        s->phase = core::TrainPhase::Backward;
        s->phaseLayer = 0;
        core::Tensor grad({ 2, kChannels, kSize, kSize });
        for (std::size_t i = 0; i < grad.size(); ++i)
            grad[i] = 0.01f * std::sin(0.21f * static_cast<float>(i));
        s->layers[0].fullOutputGradient = grad;
        view.showSnapshot(s);
        QCOMPARE(view.highlightedLayer(), 0);
        QCOMPARE(view.gradientTileCount(0), kChannels);
        QCOMPARE(view.gradientTile(0, 1)->colorMapKind(), layerlens::ui::ColorMap::Kind::Diverging);
        // First sample of the batch, channel 1.
        QCOMPARE(view.gradientTile(0, 1)->valueAt(2, 3), grad[static_cast<std::size_t>((1 * kSize + 3) * kSize + 2)]);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.renderImage().save(QStringLiteral("/tmp/layerlens_activation_backward.png"));

        s = makeSnapshot(true);
        s->phase = core::TrainPhase::Forward;
        s->phaseLayer = 2;
        view.showSnapshot(s);
        QCOMPARE(view.highlightedLayer(), 2);
        QCOMPARE(view.gradientTileCount(0), 0);
    }

    void clearAndNullSnapshot()
    {
        ActivationView view;
        view.showSnapshot(makeSnapshot(true));
        view.clear();
        QCOMPARE(view.layerCount(), 0);
        view.showSnapshot(nullptr);
        QCOMPARE(view.layerCount(), 0);
        // A snapshot without probes must not crash.
        auto s = std::make_shared<core::Snapshot>();
        s->layers.resize(2);
        view.showSnapshot(s);
        QCOMPARE(view.layerCount(), 2);
        QCOMPARE(view.tileCount(0), 0);
    }
    void rendersWithDarkPalette()
    {
        ActivationView view;
        view.setPalette(darkPalette());
        view.resize(1100, 700);
        view.showSnapshot(makeSnapshot(true));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.enlarge(0, 1);
        const QImage image = view.renderImage();
        // Background follows the palette (no hard-coded light colours).
        QCOMPARE(QColor(image.pixel(2, image.height() - 3)), darkPalette().color(QPalette::Window));
        // Row texts inherit the light text colour.
        auto* header = view.findChild<QLabel*>(QStringLiteral("layerHeader"));
        QVERIFY(header);
        QCOMPARE(header->palette().color(QPalette::WindowText), darkPalette().color(QPalette::WindowText));
        image.save(QStringLiteral("/tmp/layerlens_activation_view_dark.png"));
    }
};

QTEST_MAIN(TestActivationView)
#include "test_activation_view.moc"
