// LayerListModel: item-model consistency under every edit, and the shape checks it shows.

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include "ui/models/layer_list_model.h"

using layerlens::ui::LayerListModel;

namespace {

nlohmann::json lenet()
{
    return {{"input_shape", {1, 28, 28}},
            {"layers",
             {{{"type", "Conv2D"}, {"filters", 6}, {"kernel_size", 5}, {"padding", "same"}, {"activation", "relu"}},
              {{"type", "MaxPool2D"}, {"pool_size", 2}},
              {{"type", "Conv2D"}, {"filters", 16}, {"kernel_size", 5}, {"activation", "relu"}},
              {{"type", "MaxPool2D"}, {"pool_size", 2}},
              {{"type", "Flatten"}},
              {{"type", "Dense"}, {"units", 120}, {"activation", "relu"}},
              {{"type", "Dense"}, {"units", 84}, {"activation", "relu"}},
              {{"type", "Dense"}, {"units", 10}}}}};
}

}  // namespace

class TestLayerListModel : public QObject {
    Q_OBJECT

private slots:
    void modelTesterUnderEdits()
    {
        LayerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDescription(lenet());
        QCOMPARE(model.rowCount(), 8);
        model.insertLayer(4, LayerListModel::defaultConfig(QStringLiteral("Dropout")));
        model.moveLayer(4, 0);
        model.moveLayer(0, 8);
        model.removeLayer(8);
        model.setLayerConfig(0, {{"type", "Conv2D"}, {"filters", 8}, {"kernel_size", 3}, {"padding", "same"}});
        model.setInputShape({3, 32, 32});
        model.setDescription(nlohmann::json());
        QCOMPARE(model.rowCount(), 0);
    }

    void lenetShapesAndParameters()
    {
        LayerListModel model;
        model.setDescription(lenet());
        QCOMPARE(model.firstErrorRow(), -1);
        QCOMPARE(model.data(model.index(0, LayerListModel::ShapeColumn)).toString(), QStringLiteral("6 × 28 × 28"));
        QCOMPARE(model.data(model.index(2, LayerListModel::ShapeColumn)).toString(), QStringLiteral("16 × 10 × 10"));
        QCOMPARE(model.data(model.index(4, LayerListModel::ShapeColumn)).toString(), QStringLiteral("400"));
        QCOMPARE(model.data(model.index(5, LayerListModel::ParamsColumn)).toString(), QStringLiteral("48,120"));
        QCOMPARE(model.totalParameters(), std::size_t(61706));  // the classic LeNet-5 count
        QCOMPARE(model.outputShapeText(), QStringLiteral("10"));
        QVERIFY(model.data(model.index(0, LayerListModel::SettingsColumn)).toString().contains(QStringLiteral("relu")));
        // The description round-trips, activations stay on their layer row.
        QVERIFY(model.description() == lenet());
    }

    void shapeErrors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("badRow");
        QTest::newRow("dense on image") << R"({"input_shape":[1,28,28],"layers":[{"type":"Dense","units":10}]})" << 0;
        QTest::newRow("kernel too big") << R"({"input_shape":[1,4,4],"layers":[{"type":"Flatten"},{"type":"Dense","units":4},{"type":"Reshape","target_shape":[1,2,2]},{"type":"Conv2D","filters":2,"kernel_size":3}]})" << 3;
        QTest::newRow("unknown type") << R"({"input_shape":[2],"layers":[{"type":"Dense","units":4},{"type":"Conv9D"}]})" << 1;
        QTest::newRow("bad reshape") << R"({"input_shape":[1,28,28],"layers":[{"type":"Reshape","target_shape":[5,5]}]})" << 0;
        QTest::newRow("fine") << R"({"input_shape":[2],"layers":[{"type":"Dense","units":4,"activation":"tanh"},{"type":"Dense","units":2}]})" << -1;
    }

    void shapeErrors()
    {
        QFETCH(QString, json);
        QFETCH(int, badRow);
        LayerListModel model;
        model.setDescription(nlohmann::json::parse(json.toStdString()));
        QCOMPARE(model.firstErrorRow(), badRow);
        if (badRow >= 0) {
            QVERIFY(!model.errorAt(badRow).isEmpty());
            QVERIFY(model.data(model.index(badRow, 0), Qt::DecorationRole).isValid());
            for (int r = badRow + 1; r < model.rowCount(); ++r)
                QVERIFY(model.data(model.index(r, 0), LayerListModel::BrokenRole).toBool());
        }
    }

    void dropRequests()
    {
        LayerListModel model;
        model.setDescription(lenet());
        QSignalSpy moves(&model, &LayerListModel::moveRequested);
        QSignalSpy inserts(&model, &LayerListModel::insertRequested);
        std::unique_ptr<QMimeData> row(model.mimeData({model.index(1, 0)}));
        QVERIFY(model.canDropMimeData(row.get(), Qt::MoveAction, 5, 0, {}));
        QVERIFY(!model.dropMimeData(row.get(), Qt::MoveAction, 5, 0, {}));
        QCOMPARE(moves.count(), 1);
        QCOMPARE(moves.at(0).at(0).toInt(), 1);
        QCOMPARE(moves.at(0).at(1).toInt(), 4);  // before row 5, counted after removing row 1
        QCOMPARE(model.rowCount(), 8);           // nothing applied: the undo stack does that
        QMimeData type;
        type.setData(QString::fromLatin1(LayerListModel::kTypeMimeType), "Dropout");
        model.dropMimeData(&type, Qt::CopyAction, -1, -1, {});
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(inserts.at(0).at(0).toInt(), 8);
        QCOMPARE(inserts.at(0).at(1).toString(), QStringLiteral("Dropout"));
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QVERIFY(!model.canDropMimeData(&text, Qt::MoveAction, 0, 0, {}));
    }

    void defaultConfigsAreComplete()
    {
        const auto conv = LayerListModel::defaultConfig(QStringLiteral("Conv2D"));
        QVERIFY(conv.contains("filters") && conv.contains("kernel_size") && conv.contains("padding") && conv.contains("activation"));
        const auto dense = LayerListModel::defaultConfig(QStringLiteral("Dense"));
        QVERIFY(dense.contains("units"));
        QVERIFY(dense["type"] == "Dense");
    }
};

QTEST_MAIN(TestLayerListModel)
#include "test_layer_list_model.moc"
