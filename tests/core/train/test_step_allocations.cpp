// The training step (gather a batch, forward, loss, backward, optimizer update) allocates
// nothing on the heap after the first batch: a counting global operator new proves it.

#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <new>

#include "core/data/dataset.h"
#include "core/losses/loss.h"
#include "core/model/model.h"
#include "core/model/presets.h"
#include "core/optimizers/optimizer.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, std::align_val_t alignment)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    const std::size_t a = static_cast<std::size_t>(alignment);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace layerlens::core;

class TestStepAllocations : public QObject {
    Q_OBJECT
private slots:
    void trainingStepAllocatesNothingAfterTheFirstBatch_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("lenet5 adam") << "lenet5" << "fashion-mnist?limit=256" << "adam";
        QTest::newRow("mlp momentum") << "mlp" << "spiral?n=256" << "momentum";
        QTest::newRow("tinyvgg rmsprop") << "tinyvgg" << "shapes?n=64&size=32" << "rmsprop";
    }
    void trainingStepAllocatesNothingAfterTheFirstBatch()
    {
        QFETCH(QString, preset);
        QFETCH(QString, data);
        QFETCH(QString, optimizer);
        DatasetPtr dataset = loadDataset(data.toStdString());
        Model model = Model::fromJson(presetDescription(preset.toStdString(), dataset->sampleShape(), dataset->classCount()));
        model.build(1);
        auto loss = Loss::create("categorical_crossentropy_logits");
        OptimizerSettings settings;
        settings.kind = optimizer.toStdString();
        settings.clipNorm = 5.0f;
        settings.l2 = 1e-4f;
        auto opt = Optimizer::create(settings);
        std::vector<std::uint32_t> order(dataset->size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = static_cast<std::uint32_t>(i);
        Tensor inputs, targets, labels, gradient;
        std::vector<Tensor> updates;
        const auto params = model.parameters();
        auto step = [&](std::size_t begin) {
            dataset->gather(order, begin, 32, inputs, targets, labels);
            const Tensor& out = model.forward(inputs, true);
            loss->value(out, targets);
            loss->gradient(out, targets, gradient);
            model.backward(gradient);
            opt->step(params, &updates);
        };
        step(0);  // the first batch sizes every workspace
        step(32);
        g_allocations = 0;
        g_counting = true;
        step(0);
        step(32);
        g_counting = false;
        QCOMPARE(g_allocations.load(), 0L);
    }
};

QTEST_GUILESS_MAIN(TestStepAllocations)
#include "test_step_allocations.moc"
