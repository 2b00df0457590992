// Tensor: the finiteness check the trainer runs on every gradient each step.

#include <QtTest>

#include <limits>

#include "core/tensor.h"

using namespace layerlens::core;

class TestTensor : public QObject {
    Q_OBJECT

private slots:
    void allFiniteFindsEveryKindOfNonFiniteValueAnywhere()
    {
        // 10,000 values span several of the check's 4,096-value blocks; positions cover the first
        // value, a block's last, the next block's first and the very last value.
        const float bad[] = {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                             std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN()};
        for (std::size_t position : {std::size_t(0), std::size_t(4095), std::size_t(4096), std::size_t(9999)}) {
            for (float value : bad) {
                Tensor t({100, 100}, 1.0f);
                QVERIFY(t.allFinite());
                t[position] = value;
                QVERIFY2(!t.allFinite(), qPrintable(QString("%1 at %2").arg(value).arg(position)));
            }
        }
    }

    void allFiniteAcceptsExtremeFiniteValues()
    {
        Tensor t({5});
        t[0] = std::numeric_limits<float>::max();
        t[1] = -std::numeric_limits<float>::max();
        t[2] = std::numeric_limits<float>::denorm_min();
        t[3] = -0.0f;
        t[4] = std::numeric_limits<float>::min();
        QVERIFY(t.allFinite());
        QVERIFY(Tensor().allFinite());
    }
};

QTEST_APPLESS_MAIN(TestTensor)
#include "test_tensor.moc"
