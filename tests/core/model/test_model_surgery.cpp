// Model surgery for transfer learning: head replacement (shapes, parameter counts, kept
// weights), freeze specs, frozen layers staying bit-identical through training while the head
// learns, and the native file keeping the frozen flags.

#include <QtTest>

#include <cstring>
#include <filesystem>

#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/model/model_surgery.h"
#include "core/model/presets.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

std::vector<Tensor> valuesOf(Model& model, int layer)
{
    std::vector<Tensor> values;
    for (Parameter* p : model.layer(layer).parameters())
        values.push_back(p->value);
    return values;
}

bool bitIdentical(const Tensor& a, const Tensor& b)
{
    return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

Model lenet()
{
    Model model = Model::fromJson(presetDescription("lenet5", {1, 28, 28}, 10));
    model.build(3);
    return model;
}

}  // namespace

class TestModelSurgery : public QObject {
    Q_OBJECT
private slots:
    void replaceHeadShapesAndCounts()
    {
        Model model = lenet();
        const int head = classifierHeadIndex(model);
        QVERIFY(head > 0);
        QCOMPARE(model.layer(head).type(), std::string("Dense"));
        const std::size_t before = model.parameterCount();
        const std::size_t oldHead = model.layer(head).parameterCount();
        const int features = model.layerOutputShape(head - 1)[0];
        const Tensor firstKernel = model.layer(0).parameters()[0]->value;

        QCOMPARE(replaceClassifierHead(model, 3, 11), head);
        QCOMPARE(model.outputShape(), (Shape{3}));
        QCOMPARE(model.layer(head).name(), std::string("head"));
        QCOMPARE(model.parameterCount(), before - oldHead + static_cast<std::size_t>(features * 3 + 3));
        // The rest keeps its weights.
        QVERIFY(bitIdentical(model.layer(0).parameters()[0]->value, firstKernel));
        Tensor input({2, 1, 28, 28}, 0.5f);
        QCOMPARE(model.forward(input, false).shape(), (Shape{2, 3}));
        // Same seed, same new head.
        Model other = lenet();
        replaceClassifierHead(other, 3, 11);
        QVERIFY(bitIdentical(other.layer(head).parameters()[0]->value, model.layer(head).parameters()[0]->value));
    }

    void keepsSoftmaxEnding()
    {
        Model model = Model::fromJson({{"input_shape", {4}},
                                       {"layers", {{{"type", "Dense"}, {"units", 8}, {"activation", "relu"}},
                                                   {{"type", "Dense"}, {"units", 5}, {"activation", "softmax"}}}}});
        model.build(1);
        replaceClassifierHead(model, 2, 1);
        QCOMPARE(model.layer(model.layerCount() - 1).type(), std::string("Softmax"));
        QCOMPARE(model.outputShape(), (Shape{2}));
        Model noDense = Model::fromJson({{"input_shape", {4}}, {"layers", {{{"type", "Softmax"}}}}});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, replaceClassifierHead(noDense, 2, 1));
    }

    void freezeSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("mask");  // one character per layer of the 4-layer model
        QTest::newRow("none") << "none" << "0000";
        QTest::newRow("all") << "all" << "1111";
        QTest::newRow("all-but-head") << "all-but-head" << "1100";
        QTest::newRow("first two") << "2" << "1100";
        QTest::newRow("range") << "1-2" << "0110";
        QTest::newRow("one") << "3-3" << "0001";
    }
    void freezeSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, mask);
        // Dense, Activation, Dense (head), Softmax
        Model model = Model::fromJson({{"input_shape", {4}},
                                       {"layers", {{{"type", "Dense"}, {"units", 8}, {"activation", "relu"}},
                                                   {{"type", "Dense"}, {"units", 5}, {"activation", "softmax"}}}}});
        model.build(1);
        freezeLayers(model, spec.toStdString());
        QString got;
        for (int i = 0; i < model.layerCount(); ++i)
            got += model.layer(i).isFrozen() ? '1' : '0';
        QCOMPARE(got, mask);
    }

    void badFreezeSpecs()
    {
        Model model = lenet();
        for (const char* spec : {"99", "3-1", "2-99", "abc", "-", "1-x"}) {
            try {
                freezeMask(model, spec);
                QFAIL(qPrintable(QString("spec %1 accepted").arg(spec)));
            } catch (const std::invalid_argument& e) {
                QVERIFY2(std::string(e.what()).find(spec) != std::string::npos, e.what());
            }
        }
    }

    void frozenLayersStayBitIdentical()
    {
        DatasetPtr data = loadDataset("spiral?n=128&seed=3&classes=3");
        auto model = std::make_shared<Model>(Model::fromJson(
            {{"input_shape", {2}},
             {"layers", {{{"type", "Dense"}, {"units", 16}, {"activation", "relu"}},
                         {{"type", "BatchNorm"}},
                         {{"type", "Dense"}, {"units", 16}, {"activation", "tanh"}},
                         {{"type", "Dense"}, {"units", 5}}}}}));
        model->build(4);
        replaceClassifierHead(*model, data->classCount(), 2);
        freezeLayers(*model, "all-but-head");
        const int head = classifierHeadIndex(*model);
        std::vector<std::vector<Tensor>> before;
        for (int i = 0; i < model->layerCount(); ++i)
            before.push_back(valuesOf(*model, i));
        TrainerSettings settings;
        settings.epochs = 1;
        settings.batchSize = 16;
        settings.optimizer.learningRate = 0.01f;
        settings.capture.statistics = false;
        settings.capture.probeCount = 0;
        Trainer trainer(model, data, nullptr, settings);
        trainer.runBlocking();
        QVERIFY(trainer.stepCount() >= 3);
        for (int i = 0; i < head; ++i) {
            const auto after = valuesOf(*model, i);
            for (std::size_t p = 0; p < after.size(); ++p)
                QVERIFY2(bitIdentical(after[p], before[static_cast<std::size_t>(i)][p]),
                         qPrintable(QString("frozen layer %1 changed").arg(i)));
            // A frozen BatchNorm runs in inference mode: its running statistics stay too.
            for (Parameter* b : model->layer(i).buffers())
                QVERIFY(b->value[0] == 0.0f || b->value[0] == 1.0f);
        }
        QVERIFY(!bitIdentical(valuesOf(*model, head)[0], before[static_cast<std::size_t>(head)][0]));
    }

    void fileKeepsFrozenFlags()
    {
        Model model = lenet();
        replaceClassifierHead(model, 4, 2);
        freezeLayers(model, "0-3");
        const std::string path = (std::filesystem::temp_directory_path() / "layerlens_surgery_test.llmodel").string();
        ModelFile::save(path, model);
        Model loaded = ModelFile::load(path);
        std::filesystem::remove(path);
        QCOMPARE(loaded.layerCount(), model.layerCount());
        for (int i = 0; i < model.layerCount(); ++i)
            QCOMPARE(loaded.layer(i).isFrozen(), i <= 3);
        QCOMPARE(loaded.trainableParameterCount(), model.trainableParameterCount());
        QVERIFY(loaded.trainableParameterCount() < loaded.parameterCount());
        QCOMPARE(loaded.outputShape(), (Shape{4}));
    }
};

QTEST_APPLESS_MAIN(TestModelSurgery)
#include "test_model_surgery.moc"
