// ModelGraphWidget: boxes by topological depth, arrows per input, click selection.

#include <QSignalSpy>
#include <QTest>

#include "ui/widgets/model_graph_widget.h"

using namespace layerlens;

namespace {

core::InspectedLayer layer(const std::string& name, const std::string& type, std::vector<int> inputs, int depth)
{
    core::InspectedLayer l;
    l.name = name;
    l.type = type;
    l.inputs = std::move(inputs);
    l.depth = depth;
    l.outputShape = {1, 8, 4, 4};
    return l;
}

// input -> conv_a -> add, input -> conv_b -> add (a residual-style diamond), add -> relu.
std::vector<core::InspectedLayer> diamond()
{
    return {layer("input", "Input", {}, 0), layer("conv_a", "Conv", {0}, 1), layer("conv_b", "Conv", {0}, 1),
            layer("add", "Add", {1, 2}, 2), layer("relu", "Relu", {3}, 3), layer("skip_user", "Add", {0, 4}, 4)};
}

}  // namespace

class TestModelGraphWidget : public QObject {
    Q_OBJECT
private slots:
    void layoutFollowsDepth()
    {
        ui::ModelGraphWidget graph;
        graph.resize(600, 700);
        graph.show();
        QVERIFY(QTest::qWaitForWindowExposed(&graph));
        graph.setLayers(diamond());
        QCOMPARE(graph.nodeItemCount(), 6);
        QCOMPARE(graph.edgeItemCount(), 1 + 1 + 2 + 1 + 2);
        const QPoint a = graph.nodeCenter(1), b = graph.nodeCenter(2), add = graph.nodeCenter(3);
        QCOMPARE(a.y(), b.y());  // same depth: same row, side by side
        QVERIFY(a.x() != b.x());
        QVERIFY(add.y() > a.y());
        QVERIFY(graph.nodeCenter(0).y() < a.y());
        QVERIFY(std::abs(add.x() - (a.x() + b.x()) / 2) <= 2);  // the join sits between its inputs
        for (int i = 0; i < graph.nodeItemCount(); ++i)
            QCOMPARE(graph.layerAt(graph.nodeCenter(i)), i);
        QCOMPARE(graph.nodeCenter(99), QPoint(-1, -1));
    }

    void clickSelects()
    {
        ui::ModelGraphWidget graph;
        graph.resize(600, 700);
        graph.show();
        QVERIFY(QTest::qWaitForWindowExposed(&graph));
        graph.setLayers(diamond());
        QSignalSpy clicked(&graph, &ui::ModelGraphWidget::layerClicked);
        QTest::mouseClick(graph.viewport(), Qt::LeftButton, {}, graph.nodeCenter(2));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toInt(), 2);
        QCOMPARE(graph.selectedLayer(), 2);
        graph.setSelectedLayer(-1);
        QCOMPARE(graph.selectedLayer(), -1);
        graph.setLayers({});
        QCOMPARE(graph.nodeItemCount(), 0);
    }

    void zoomIsBounded()
    {
        ui::ModelGraphWidget graph;
        graph.setLayers(diamond());
        for (int i = 0; i < 30; ++i)
            graph.zoomBy(2.0);
        QVERIFY(graph.zoom() <= 4.0 + 1e-9);
        for (int i = 0; i < 30; ++i)
            graph.zoomBy(0.5);
        QVERIFY(graph.zoom() >= 0.1 - 1e-9);
    }

    void familiesHaveTheirOwnColours()
    {
        using G = ui::ModelGraphWidget;
        QVERIFY(G::colorForType(QStringLiteral("Conv")) != G::colorForType(QStringLiteral("Gemm")));
        QVERIFY(G::colorForType(QStringLiteral("Relu")) != G::colorForType(QStringLiteral("MaxPool")));
        QCOMPARE(G::colorForType(QStringLiteral("Conv2D")), G::colorForType(QStringLiteral("Conv")));
        QCOMPARE(G::colorForType(QStringLiteral("Dense")), G::colorForType(QStringLiteral("MatMul")));
    }
};

QTEST_MAIN(TestModelGraphWidget)
#include "test_model_graph_widget.moc"
