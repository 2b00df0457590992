// The training step allocates nothing once sizes are stable: after a warm-up forward+backward,
// further forward/backward calls through a small CNN make zero calls to operator new.
// (Counted here by replacing the global operator new; Eigen's own large GEMM blocking buffers
// go through malloc and are not counted.)

#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <new>

#include "core/model/model.h"

namespace {
std::atomic<bool> g_counting {false};
std::atomic<long> g_allocations {0};

void* countedAllocate(std::size_t size)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

void* countedAllocateAligned(std::size_t size, std::align_val_t align)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(align);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a))
        return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return countedAllocate(size); }
void* operator new[](std::size_t size) { return countedAllocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    try {
        return countedAllocate(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void* operator new(std::size_t size, std::align_val_t align) { return countedAllocateAligned(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return countedAllocateAligned(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace layerlens::core;

class TestLayerAllocation : public QObject {
    Q_OBJECT

private slots:
    void counterWorks()
    {
        g_allocations = 0;
        g_counting = true;
        auto* p = new int(3);
        g_counting = false;
        delete p;
        QCOMPARE(g_allocations.load(), 1L);
    }

    void trainingStepAllocatesNothing_data()
    {
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("batch");
        QTest::newRow("small cnn") << R"({"input_shape": [1, 12, 12], "layers": [
            {"type": "Conv2D", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
            {"type": "MaxPool2D", "pool_size": 2}, {"type": "Flatten"}, {"type": "Dense", "units": 10}]})"
                                   << 8;
        // Large enough for the multi-threaded Conv2D path; covers the other layers too.
        QTest::newRow("threaded cnn, all layers") << R"({"input_shape": [3, 16, 16], "layers": [
            {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"},
            {"type": "BatchNorm"}, {"type": "MaxPool2D", "pool_size": 2},
            {"type": "Conv2D", "filters": 8, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "tanh"},
            {"type": "AvgPool2D", "pool_size": 2, "padding": "same"}, {"type": "Dropout", "rate": 0.3},
            {"type": "GlobalAveragePool"}, {"type": "Reshape", "target_shape": [8]},
            {"type": "Dense", "units": 5, "activation": "softmax"}]})"
                                                  << 32;
    }

    void trainingStepAllocatesNothing()
    {
        QFETCH(QString, description);
        QFETCH(int, batch);
        Model model = Model::fromJson(nlohmann::json::parse(description.toStdString()));
        model.build(7);
        Rng dropoutRng(3);
        model.setRng(&dropoutRng);
        Shape inputShape {batch};
        for (int d : model.inputShape())
            inputShape.push_back(d);
        Tensor input(inputShape);
        Rng rng(1);
        for (std::size_t i = 0; i < input.size(); ++i)
            input[i] = rng.normal();
        Tensor gradOutput;
        // Warm-up: workspaces grow, OpenMP builds its thread team.
        for (int i = 0; i < 2; ++i) {
            gradOutput.copyFrom(model.forward(input, true));
            model.backward(gradOutput);
            model.forward(input, false);
        }

        g_allocations = 0;
        g_counting = true;
        for (int i = 0; i < 5; ++i) {
            const Tensor& out = model.forward(input, true);
            gradOutput.copyFrom(out);
            model.backward(gradOutput);
            model.forward(input, false);
        }
        g_counting = false;
        QCOMPARE(g_allocations.load(), 0L);
        QVERIFY(model.output().allFinite());
    }
};

QTEST_APPLESS_MAIN(TestLayerAllocation)
#include "test_layer_allocation.moc"
