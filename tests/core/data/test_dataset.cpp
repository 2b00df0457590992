// Dataset (gather, copyTarget, classCounts) and ArrayDataset (byte / float / regression
// storage, subset).
#include "core/data/dataset.h"

#include <QtTest>
#include <atomic>
#include <cstdlib>
#include <new>

// Counts heap allocations while armed, to prove gather() allocates nothing in steady state.
namespace {
std::atomic<bool> g_counting { false };
std::atomic<int> g_allocations { 0 };
} // namespace

void* operator new(std::size_t size)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept
{
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}

using namespace layerlens::core;

class TestDataset : public QObject {
    Q_OBJECT

private:
    static std::shared_ptr<ArrayDataset> byteSet()
    {
        // Four 1x2x2 images, labels 2, 0, 1, 2; pixel values encode the sample index.
        auto data
            = std::make_shared<ArrayDataset>("bytes", Shape { 1, 2, 2 }, std::vector<std::string> { "a", "b", "c" });
        const int labels[] = { 2, 0, 1, 2 };
        for (int i = 0; i < 4; ++i) {
            const std::uint8_t pixels[]
                = { std::uint8_t(i * 10), std::uint8_t(i * 10 + 1), std::uint8_t(i * 10 + 2), 255 };
            data->appendBytes(pixels, labels[i]);
        }
        return data;
    }

private slots:
    void bytesAreScaledToUnitRange()
    {
        auto data = byteSet();
        QCOMPARE(data->size(), std::size_t(4));
        QCOMPARE(data->sampleSize(), std::size_t(4));
        QVERIFY(data->isImage());
        QVERIFY(data->storesBytes());
        float out[4];
        data->copySample(3, out);
        QCOMPARE(out[0], 30.0f / 255.0f);
        QCOMPARE(out[2], 32.0f / 255.0f);
        QCOMPARE(out[3], 1.0f);
    }

    void floatsAreStoredAsGiven()
    {
        ArrayDataset data("floats", Shape { 3 }, { "x", "y" });
        const float a[] = { -1.5f, 0.25f, 1e6f };
        data.appendFloats(a, 1);
        QVERIFY(!data.storesBytes());
        float out[3];
        data.copySample(0, out);
        QCOMPARE(out[0], -1.5f);
        QCOMPARE(out[2], 1e6f);
        QCOMPARE(data.label(0), 1);
        QVERIFY(!data.isImage());
        // Mixing storages or out-of-range labels is a programming error, reported not ignored.
        const std::uint8_t b[] = { 1, 2, 3 };
        QVERIFY_THROWS_EXCEPTION(std::logic_error, data.appendBytes(b, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, data.appendFloats(a, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, data.appendFloats(a, -1));
    }

    void copyTargetIsOneHot()
    {
        auto data = byteSet();
        QCOMPARE(data->targetSize(), std::size_t(3));
        float target[3] = { 7, 7, 7 };
        data->copyTarget(1, target); // label 0
        QCOMPARE(target[0], 1.0f);
        QCOMPARE(target[1], 0.0f);
        QCOMPARE(target[2], 0.0f);
        data->copyTarget(0, target); // label 2
        QCOMPARE(target[0], 0.0f);
        QCOMPARE(target[2], 1.0f);
    }

    void regressionTargets()
    {
        ArrayDataset data("regression", Shape { 2 }, {});
        const float x[] = { 1, 2 };
        const float y[] = { 0.5f, -3.0f };
        data.appendRegression(x, y, 2);
        QCOMPARE(data.targetSize(), std::size_t(2));
        QCOMPARE(data.label(0), -1);
        QVERIFY(data.isRegression());
        float out[2];
        data.copyTarget(0, out);
        QCOMPARE(out[1], -3.0f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, data.appendRegression(x, y, 1));
    }

    void classCounts()
    {
        auto data = byteSet();
        QCOMPARE(data->classCounts(), (std::vector<int> { 1, 1, 2 }));
    }

    void gatherFillsBatchInOrder()
    {
        auto data = byteSet();
        const std::vector<std::uint32_t> order { 3, 1, 0, 2 };
        Tensor inputs, targets, labels;
        data->gather(order, 1, 2, inputs, targets, labels); // samples 1 and 0
        QCOMPARE(inputs.shape(), (Shape { 2, 1, 2, 2 }));
        QCOMPARE(targets.shape(), (Shape { 2, 3 }));
        QCOMPARE(labels.shape(), (Shape { 2 }));
        QCOMPARE(inputs[0], 10.0f / 255.0f); // sample 1, pixel 0
        QCOMPARE(inputs[4], 0.0f); // sample 0, pixel 0
        QCOMPARE(inputs[5], 1.0f / 255.0f);
        QCOMPARE(labels[0], 0.0f);
        QCOMPARE(labels[1], 2.0f);
        QCOMPARE(targets[0], 1.0f); // label 0 one-hot
        QCOMPARE(targets[1], 0.0f);
        QCOMPARE(targets[5], 1.0f); // label 2 one-hot in row 1

        QVERIFY_THROWS_EXCEPTION(std::out_of_range, data->gather(order, 3, 2, inputs, targets, labels));
        const std::vector<std::uint32_t> bad { 0, 9 };
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, data->gather(bad, 0, 2, inputs, targets, labels));
    }

    void gatherAllocatesNothingOnceWarm()
    {
        auto data = byteSet();
        const std::vector<std::uint32_t> order { 0, 1, 2, 3 };
        Tensor inputs, targets, labels;
        data->gather(order, 0, 4, inputs, targets, labels); // warm-up: tensors and shape buffers grow
        data->gather(order, 0, 4, inputs, targets, labels);
        g_allocations = 0;
        g_counting = true;
        data->gather(order, 0, 4, inputs, targets, labels);
        data->gather(order, 2, 2, inputs, targets, labels); // a smaller last batch reuses capacity
        data->gather(order, 0, 4, inputs, targets, labels);
        g_counting = false;
        QCOMPARE(g_allocations.load(), 0);
        QCOMPARE(inputs.shape(), (Shape { 4, 1, 2, 2 }));
    }

    void subsetCopiesTheChosenSamples()
    {
        auto data = byteSet();
        auto part = data->subset({ 3, 1 }, "part");
        QCOMPARE(part->name(), std::string("part"));
        QCOMPARE(part->size(), std::size_t(2));
        QCOMPARE(part->classNames(), data->classNames());
        QCOMPARE(part->label(0), 2);
        QCOMPARE(part->label(1), 0);
        float out[4];
        part->copySample(1, out);
        QCOMPARE(out[0], 10.0f / 255.0f);
        QVERIFY(part->storesBytes());
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, data->subset({ 4 }, "bad"));

        ArrayDataset regression("r", Shape { 1 }, {});
        const float x = 4, y = 5;
        regression.appendRegression(&x, &y, 1);
        auto copy = regression.subset({ 0, 0 }, "rr");
        QCOMPARE(copy->size(), std::size_t(2));
        float t = 0;
        copy->copyTarget(1, &t);
        QCOMPARE(t, 5.0f);
    }

    void rejectsBadShape()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ArrayDataset("x", Shape { 1, 0, 3 }, { "a" }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ArrayDataset("x", Shape {}, { "a" }));
    }
};

QTEST_APPLESS_MAIN(TestDataset)
#include "test_dataset.moc"
