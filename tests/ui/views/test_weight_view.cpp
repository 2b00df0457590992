// WeightView: first-convolution filters as tiles (RGB for 3 input channels), any layer's weights
// as a heatmap, the statistics table, and a hint plus requestFullTensors when weights are missing.

#include "core/train/snapshot.h"
#include "ui/views/weight_view.h"
#include "ui/widgets/heatmap_widget.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>
#include <cmath>
#include <memory>

using namespace layerlens;
using layerlens::ui::HeatmapWidget;
using layerlens::ui::WeightView;

namespace {

constexpr int kFilters = 8, kInputs = 3, kKernel = 5, kUnits = 10, kDenseInputs = 24;

core::ParameterSnapshot parameter(const std::string& name, core::Shape shape, bool full, float scale)
{
    core::ParameterSnapshot p;
    p.name = name;
    p.shape = shape;
    p.value.mean = 0.01f * scale;
    p.value.stddev = 0.2f * scale;
    p.value.min = -0.5f * scale;
    p.value.max = 0.6f * scale;
    p.value.l2 = 3.0f * scale;
    p.updateToWeightRatio = 1e-3f * scale;
    if (full) {
        p.fullValue = core::Tensor(shape);
        for (std::size_t i = 0; i < p.fullValue.size(); ++i)
            p.fullValue[i] = scale * std::sin(0.7f * static_cast<float>(i)) * std::cos(0.13f * static_cast<float>(i));
    }
    return p;
}

std::shared_ptr<core::Snapshot> makeSnapshot(bool denseCaptured, int inputs = kInputs)
{
    auto s = std::make_shared<core::Snapshot>();
    core::LayerSnapshot conv;
    conv.name = "conv2d";
    conv.type = "Conv2D";
    conv.parameters.push_back(parameter("kernel", { kFilters, inputs, kKernel, kKernel }, true, 1.0f));
    conv.parameters.push_back(parameter("bias", { kFilters }, true, 0.1f));
    s->layers.push_back(conv);
    core::LayerSnapshot flatten;
    flatten.name = "flatten";
    flatten.type = "Flatten";
    s->layers.push_back(flatten);
    core::LayerSnapshot dense;
    dense.name = "dense";
    dense.type = "Dense";
    dense.parameters.push_back(parameter("kernel", { kUnits, kDenseInputs }, denseCaptured, 2.0f));
    dense.parameters.push_back(parameter("bias", { kUnits }, denseCaptured, 0.5f));
    s->layers.push_back(dense);
    return s;
}

} // namespace

class TestWeightView : public QObject {
    Q_OBJECT
private slots:
    void showsFirstConvolutionFilters()
    {
        WeightView view;
        view.resize(1100, 800);
        auto s = makeSnapshot(true);
        view.showSnapshot(s);
        QCOMPARE(view.filterTileCount(), kFilters);
        // Three input channels: each filter is an RGB picture kernel x kernel.
        HeatmapWidget* tile = view.filterTile(2);
        QCOMPARE(tile->dataWidth(), kKernel);
        QVERIFY(!tile->mappedImage().isNull());
        QCOMPARE(tile->mappedImage().size(), QSize(kKernel, kKernel));

        // One input channel: diverging heatmaps with the kernel values.
        auto grey = makeSnapshot(true, 1);
        view.showSnapshot(grey);
        QCOMPARE(view.filterTileCount(), kFilters);
        QCOMPARE(view.filterTile(3)->colorMapKind(), layerlens::ui::ColorMap::Kind::Diverging);
        const auto& kernel = grey->layers[0].parameters[0].fullValue;
        QCOMPARE(view.filterTile(3)->valueAt(1, 2),
            kernel[static_cast<std::size_t>(3 * kKernel * kKernel + 2 * kKernel + 1)]);
    }

    void showsHintAndRequestsMissingWeights()
    {
        WeightView view;
        view.resize(1100, 800);
        QSignalSpy requests(&view, &WeightView::requestFullTensors);
        view.showSnapshot(makeSnapshot(false));
        QCOMPARE(view.selectedLayer(), 0);
        QVERIFY(!view.isHintVisible());
        QCOMPARE(view.weightMap()->dataWidth(), kInputs * kKernel * kKernel);
        QCOMPARE(view.weightMap()->dataHeight(), kFilters);

        auto* combo = view.findChild<QComboBox*>(QStringLiteral("weightLayerCombo"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), 2); // only layers with parameters
        combo->setCurrentIndex(1);
        QCOMPARE(view.selectedLayer(), 2);
        QVERIFY(view.isHintVisible());
        QVERIFY2(view.hintText().contains(QStringLiteral("not captured")), qPrintable(view.hintText()));
        QCOMPARE(requests.count(), 1);
        QCOMPARE(requests.first().first().toInt(), 2);
        // Not asked again on every frame.
        view.showSnapshot(makeSnapshot(false));
        QCOMPARE(requests.count(), 1);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.renderImage().save(QStringLiteral("/tmp/layerlens_weight_view_hint.png"));

        // Once captured, the heatmap shows the dense kernel (units x inputs).
        auto captured = makeSnapshot(true);
        view.showSnapshot(captured);
        QVERIFY(!view.isHintVisible());
        QCOMPARE(view.weightMap()->dataWidth(), kDenseInputs);
        QCOMPARE(view.weightMap()->dataHeight(), kUnits);
        QCOMPARE(view.weightMap()->valueAt(5, 3),
            captured->layers[2].parameters[0].fullValue[static_cast<std::size_t>(3 * kDenseInputs + 5)]);
        view.renderImage().save(QStringLiteral("/tmp/layerlens_weight_view.png"));
        QVERIFY(view.exportSvg(QStringLiteral("/tmp/layerlens_weight_view.svg")));
    }

    void statisticsTableListsEveryParameter()
    {
        WeightView view;
        view.showSnapshot(makeSnapshot(true));
        QTableWidget* table = view.statisticsTable();
        QCOMPARE(table->rowCount(), 4);
        QCOMPARE(table->item(2, 0)->text(), QStringLiteral("dense"));
        QCOMPARE(table->item(2, 1)->text(), QStringLiteral("kernel"));
        QCOMPARE(table->item(2, 2)->text(), QStringLiteral("(10, 24)"));
        QCOMPARE(table->item(2, 3)->text().toDouble(), 0.02); // mean
        QCOMPARE(table->item(2, 4)->text().toDouble(), 0.4); // std
        QCOMPARE(table->item(2, 7)->text().toDouble(), 6.0); // L2
    }

    void emptySnapshotShowsHint()
    {
        WeightView view;
        QVERIFY(view.isHintVisible());
        view.showSnapshot(std::make_shared<core::Snapshot>());
        QVERIFY(view.isHintVisible());
        QCOMPARE(view.filterTileCount(), 0);
    }
};

QTEST_MAIN(TestWeightView)
#include "test_weight_view.moc"
