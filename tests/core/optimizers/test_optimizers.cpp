// Optimizers: 5 steps of each against torch.optim (tests/data/numerics/fixtures.json), the
// regularization/clipping pipeline, frozen parameters, applied updates, no allocation per step,
// learning-rate schedules.
#include <QTest>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/optimizers/optimizer.h"

// ---- allocation counter. Tensors allocate through Eigen's aligned allocator, which calls malloc
// directly, so counting operator new is not enough: malloc itself is interposed (glibc exports
// __libc_malloc for exactly this), and operator new reaches it too.
namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
void countAllocation()
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

// AddressSanitizer owns malloc itself; there the check is skipped.
#if defined(__SANITIZE_ADDRESS__)
#define LAYERLENS_COUNT_ALLOCATIONS 0
#else
#define LAYERLENS_COUNT_ALLOCATIONS 1
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* malloc(std::size_t size)
{
    countAllocation();
    return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size)
{
    countAllocation();
    return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size)
{
    countAllocation();
    return __libc_realloc(pointer, size);
}
}
#endif

using namespace layerlens::core;

namespace {

bool near(double actual, double expected, double rel, double abs)
{
    return std::abs(actual - expected) <= abs + rel * std::abs(expected);
}

nlohmann::json loadFixture()
{
    std::ifstream in(LAYERLENS_TEST_DATA_DIR "/numerics/fixtures.json");
    if (!in)
        throw std::runtime_error("cannot open " LAYERLENS_TEST_DATA_DIR "/numerics/fixtures.json");
    return nlohmann::json::parse(in);
}

OptimizerSettings settingsFrom(const nlohmann::json& j)
{
    OptimizerSettings s;
    s.kind = j.at("kind").get<std::string>();
    s.learningRate = j.value("learningRate", s.learningRate);
    s.momentum = j.value("momentum", s.momentum);
    s.beta1 = j.value("beta1", s.beta1);
    s.beta2 = j.value("beta2", s.beta2);
    s.epsilon = j.value("epsilon", s.epsilon);
    s.rho = j.value("rho", s.rho);
    s.weightDecay = j.value("weightDecay", s.weightDecay);
    s.l1 = j.value("l1", s.l1);
    s.l2 = j.value("l2", s.l2);
    s.clipNorm = j.value("clipNorm", s.clipNorm);
    s.clipValue = j.value("clipValue", s.clipValue);
    return s;
}

OptimizerSettings sgd(float lr)
{
    OptimizerSettings s;
    s.kind = "sgd";
    s.learningRate = lr;
    return s;
}

Parameter makeParam(Shape shape, std::vector<float> value, std::vector<float> grad)
{
    Parameter p;
    p.name = "w";
    p.value = Tensor(shape, std::move(value));
    p.grad = Tensor(std::move(shape), std::move(grad));
    return p;
}

const char* const kKinds[] = {"sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw"};

}  // namespace

class TestOptimizers : public QObject {
    Q_OBJECT

private slots:
    // Reference: torch.optim in float32, 5 steps on two parameters with fixed gradients.
    // Tolerance 1e-5 relative, 1e-6 absolute for values and for the final state.
    void matchesPyTorch()
    {
        const auto fixture = loadFixture();
        int cases = 0;
        for (const auto& [key, entry] : fixture["optimizers"].items()) {
            const auto optimizer = Optimizer::create(settingsFrom(entry["settings"]));
            const auto shapes = entry["shapes"].get<std::vector<Shape>>();
            std::vector<Parameter> params(shapes.size());
            std::vector<Parameter*> list;
            for (std::size_t i = 0; i < shapes.size(); ++i) {
                params[i].value = Tensor(shapes[i], entry["initial"][i].get<std::vector<float>>());
                list.push_back(&params[i]);
            }
            const auto& steps = entry["gradients"];
            for (std::size_t step = 0; step < entry["values"].size(); ++step) {
                for (std::size_t i = 0; i < params.size(); ++i)
                    params[i].grad = Tensor(shapes[i], steps[step][i].get<std::vector<float>>());
                optimizer->step(list);
                for (std::size_t i = 0; i < params.size(); ++i) {
                    const auto expected = entry["values"][step][i].get<std::vector<double>>();
                    for (std::size_t k = 0; k < expected.size(); ++k)
                        QVERIFY2(near(params[i].value[k], expected[k], 1e-5, 1e-6),
                                 qPrintable(QString("%1 step %2 param %3 [%4]: %5 vs torch %6").arg(key.c_str()).arg(step + 1)
                                                .arg(i).arg(k).arg(params[i].value[k]).arg(expected[k])));
                }
            }
            QCOMPARE(optimizer->stepCount(), 5LL);
            const auto state = optimizer->state();
            QCOMPARE(state.size(), entry["state"].size());
            for (std::size_t s = 0; s < state.size(); ++s) {
                const auto expected = entry["state"][s].get<std::vector<double>>();
                QCOMPARE(state[s]->size(), expected.size());
                for (std::size_t k = 0; k < expected.size(); ++k)
                    QVERIFY2(near((*state[s])[k], expected[k], 1e-5, 1e-6),
                             qPrintable(QString("%1 state %2 [%3]: %4 vs torch %5").arg(key.c_str()).arg(s).arg(k)
                                            .arg((*state[s])[k]).arg(expected[k])));
            }
            ++cases;
        }
        QCOMPARE(cases, 10);
    }

    void createsEveryKind()
    {
        for (const char* kind : kKinds) {
            OptimizerSettings s;
            s.kind = kind;
            const auto optimizer = Optimizer::create(s);
            QVERIFY(optimizer);
            QCOMPARE(optimizer->config()["kind"].get<std::string>(), std::string(kind));
        }
        OptimizerSettings upper;
        upper.kind = "AdamW";
        QCOMPARE(Optimizer::create(upper)->settings().kind, std::string("adamw"));
        OptimizerSettings bad;
        bad.kind = "lbfgs";
        try {
            Optimizer::create(bad);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("lbfgs") && QString(e.what()).contains("rmsprop"), e.what());
        }
        bad.kind = "sgd";
        bad.learningRate = std::nanf("");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Optimizer::create(bad));
    }

    void configHoldsSettings()
    {
        OptimizerSettings s;
        s.kind = "adam";
        s.learningRate = 0.25f;
        s.beta1 = 0.5f;
        s.clipNorm = 2.0f;
        const auto config = Optimizer::create(s)->config();
        QCOMPARE(config["learning_rate"].get<float>(), 0.25f);
        QCOMPARE(config["beta1"].get<float>(), 0.5f);
        QCOMPARE(config["clip_norm"].get<float>(), 2.0f);
        QVERIFY(config.contains("epsilon") && config.contains("weight_decay") && config.contains("l1"));
    }

    // L2 adds l2 * p and L1 adds l1 * sign(p) to the gradient that update() sees; param.grad stays.
    void regularization()
    {
        auto s = sgd(1.0f);
        s.l2 = 0.1f;
        Parameter p = makeParam({3}, {2.0f, -4.0f, 0.0f}, {0.0f, 1.0f, 0.0f});
        Optimizer::create(s)->step({&p});
        QCOMPARE(p.value[0], 1.8f);
        QCOMPARE(p.value[1], -4.0f + 0.4f - 1.0f);
        QCOMPARE(p.value[2], 0.0f);
        QCOMPARE(p.grad[1], 1.0f);  // untouched

        s.l2 = 0.0f;
        s.l1 = 0.5f;
        Parameter q = makeParam({3}, {2.0f, -4.0f, 0.0f}, {0.0f, 0.0f, 0.0f});
        Optimizer::create(s)->step({&q});
        QCOMPARE(q.value[0], 1.5f);
        QCOMPARE(q.value[1], -3.5f);
        QCOMPARE(q.value[2], 0.0f);  // sign(0) = 0: L1 does not push a zero weight
        QCOMPARE(q.grad[0], 0.0f);
    }

    void globalNormClipping()
    {
        auto s = sgd(1.0f);
        s.clipNorm = 1.3f;
        // Global norm of (3, 4, 12) is 13: every gradient is scaled by 0.1.
        Parameter a = makeParam({2}, {0.0f, 0.0f}, {3.0f, 4.0f});
        Parameter b = makeParam({1}, {0.0f}, {12.0f});
        Optimizer::create(s)->step({&a, &b});
        QVERIFY(near(a.value[0], -0.3, 1e-6, 0));
        QVERIFY(near(a.value[1], -0.4, 1e-6, 0));
        QVERIFY(near(b.value[0], -1.2, 1e-6, 0));
        QCOMPARE(a.grad[0], 3.0f);

        s.clipNorm = 20.0f;  // below the limit: unchanged
        Parameter c = makeParam({2}, {0.0f, 0.0f}, {3.0f, 4.0f});
        Optimizer::create(s)->step({&c});
        QCOMPARE(c.value[0], -3.0f);
        QCOMPARE(c.value[1], -4.0f);
    }

    void valueClippingAfterNormClipping()
    {
        auto s = sgd(1.0f);
        s.clipValue = 1.0f;
        Parameter a = makeParam({3}, {0.0f, 0.0f, 0.0f}, {-5.0f, 0.5f, 5.0f});
        Optimizer::create(s)->step({&a});
        QCOMPARE(a.value[0], 1.0f);
        QCOMPARE(a.value[1], -0.5f);
        QCOMPARE(a.value[2], -1.0f);

        // Norm first (13 -> 6.5 halves everything), then values clamp to 2: (1.5, 2, 2).
        s.clipNorm = 6.5f;
        s.clipValue = 2.0f;
        Parameter b = makeParam({3}, {0.0f, 0.0f, 0.0f}, {3.0f, 4.0f, 12.0f});
        Optimizer::create(s)->step({&b});
        QVERIFY(near(b.value[0], -1.5, 1e-6, 0));
        QCOMPARE(b.value[1], -2.0f);
        QCOMPARE(b.value[2], -2.0f);
    }

    void frozenParametersAreUntouched()
    {
        for (const char* kind : kKinds) {
            OptimizerSettings s;
            s.kind = kind;
            s.learningRate = 0.1f;
            s.l2 = 0.01f;
            s.clipNorm = 0.5f;
            const auto optimizer = Optimizer::create(s);
            Parameter live = makeParam({2}, {1.0f, 2.0f}, {1.0f, 1.0f});
            Parameter frozen = makeParam({2}, {3.0f, 4.0f}, {100.0f, 100.0f});
            frozen.trainable = false;
            std::vector<Tensor> updates;
            for (int step = 0; step < 3; ++step)
                optimizer->step({&live, &frozen}, &updates);
            QCOMPARE(frozen.value[0], 3.0f);
            QCOMPARE(frozen.value[1], 4.0f);
            QVERIFY2(live.value[0] != 1.0f, kind);
            QCOMPARE(updates.size(), std::size_t(2));
            QCOMPARE(updates[1][0], 0.0f);
            QCOMPARE(updates[1][1], 0.0f);
            // The frozen gradient of 100 must not take part in the global norm either: the live
            // parameter's clipped step equals the one without the frozen parameter.
            const auto alone = Optimizer::create(s);
            Parameter solo = makeParam({2}, {1.0f, 2.0f}, {1.0f, 1.0f});
            for (int step = 0; step < 3; ++step)
                alone->step({&solo});
            QCOMPARE(live.value[0], solo.value[0]);
            QCOMPARE(live.value[1], solo.value[1]);
        }
    }

    void updatesAreAppliedChanges()
    {
        for (const char* kind : kKinds) {
            OptimizerSettings s;
            s.kind = kind;
            s.learningRate = 0.05f;
            const auto optimizer = Optimizer::create(s);
            Parameter a = makeParam({2, 2}, {1, 2, 3, 4}, {0.5f, -0.5f, 0.25f, 1.0f});
            std::vector<Tensor> updates;
            for (int step = 0; step < 2; ++step) {
                const Tensor before = a.value;
                optimizer->step({&a}, &updates);
                QCOMPARE(updates[0].shape(), a.value.shape());
                for (std::size_t i = 0; i < 4; ++i)
                    QCOMPARE(updates[0][i], a.value[i] - before[i]);
            }
        }
    }

    // The training step must allocate nothing after the first batch (DESIGN/STYLE rule 7).
    void stepAllocatesNothingAfterTheFirst()
    {
        if (!LAYERLENS_COUNT_ALLOCATIONS)
            QSKIP("malloc belongs to AddressSanitizer in this build");
        // The counter itself must work, or a 0 below would prove nothing.
        g_allocations = 0;
        g_counting = true;
        Tensor probe({64});
        g_counting = false;
        QVERIFY(g_allocations > 0);

        for (const char* kind : kKinds) {
            for (bool pipeline : {false, true}) {
                OptimizerSettings s;
                s.kind = kind;
                if (pipeline) {
                    s.l1 = 1e-4f;
                    s.l2 = 1e-3f;
                    s.clipNorm = 1.0f;
                    s.clipValue = 0.1f;
                }
                const auto optimizer = Optimizer::create(s);
                Parameter a = makeParam({16, 8}, std::vector<float>(128, 0.5f), std::vector<float>(128, 0.1f));
                Parameter b = makeParam({8}, std::vector<float>(8, -0.5f), std::vector<float>(8, 0.2f));
                Parameter c = makeParam({4}, std::vector<float>(4, 1.0f), std::vector<float>(4, 0.3f));
                c.trainable = false;
                const std::vector<Parameter*> list = {&a, &b, &c};
                std::vector<Tensor> updates;
                optimizer->step(list, &updates);
                g_allocations = 0;
                g_counting = true;
                for (int step = 0; step < 10; ++step)
                    optimizer->step(list, &updates);
                g_counting = false;
                QVERIFY2(g_allocations == 0,
                         qPrintable(QString("%1%2: %3 allocations in 10 steps").arg(kind).arg(pipeline ? " (l1/l2/clip)" : "").arg(g_allocations.load())));
            }
        }
    }

    void stateIsSizedAndOrdered()
    {
        OptimizerSettings s;
        s.kind = "adam";
        const auto adam = Optimizer::create(s);
        Parameter a = makeParam({2, 3}, std::vector<float>(6, 1.0f), std::vector<float>(6, 1.0f));
        Parameter b = makeParam({5}, std::vector<float>(5, 1.0f), std::vector<float>(5, 1.0f));
        adam->initialize({&a, &b});
        auto state = adam->state();
        QCOMPARE(state.size(), std::size_t(4));  // m_a, v_a, m_b, v_b
        QCOMPARE(state[0]->shape(), a.value.shape());
        QCOMPARE(state[1]->shape(), a.value.shape());
        QCOMPARE(state[2]->shape(), b.value.shape());
        QCOMPARE((*state[1])[0], 0.0f);
        // Loaded state is used: with m = 1, v = 1 at step 1000 (bias correction ~ none) the first
        // update of a zero gradient is lr * 0.9 / (sqrt(0.999) + eps).
        state[0]->fill(1.0f);
        state[1]->fill(1.0f);
        adam->setStepCount(999);
        a.grad.setZero();
        adam->step({&a, &b});
        QCOMPARE(adam->stepCount(), 1000LL);
        const double m = 0.9, v = 0.999;
        const double expected = 1.0 - 0.001 * (m / (1 - std::pow(0.9, 1000))) / (std::sqrt(v / (1 - std::pow(0.999, 1000))) + 1e-7);
        QVERIFY2(near(a.value[0], expected, 1e-6, 0), qPrintable(QString("%1 vs %2").arg(a.value[0]).arg(expected)));
        QCOMPARE(Optimizer::create(sgd(0.1f))->state().size(), std::size_t(0));
    }

    void rejectsGradientOfWrongSize()
    {
        const auto optimizer = Optimizer::create(sgd(0.1f));
        Parameter a = makeParam({3}, {1, 2, 3}, {1, 2, 3});
        a.grad = Tensor({2});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, optimizer->step({&a}));
    }

    void schedules_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("warmup");
        QTest::addColumn<qlonglong>("step");
        QTest::addColumn<double>("expected");
        // base 1, stepSize 10, gamma 0.5, totalSteps 100, minRate 0.1
        QTest::newRow("constant") << "constant" << 0 << 12345LL << 1.0;
        QTest::newRow("step 0") << "step" << 0 << 0LL << 1.0;
        QTest::newRow("step 9") << "step" << 0 << 9LL << 1.0;
        QTest::newRow("step 10") << "step" << 0 << 10LL << 0.5;
        QTest::newRow("step 25") << "step" << 0 << 25LL << 0.25;
        QTest::newRow("exponential 5") << "exponential" << 0 << 5LL << std::sqrt(0.5);
        QTest::newRow("exponential 20") << "exponential" << 0 << 20LL << 0.25;
        QTest::newRow("cosine 0") << "cosine" << 0 << 0LL << 1.0;
        QTest::newRow("cosine 50") << "cosine" << 0 << 50LL << 0.55;
        QTest::newRow("cosine 25") << "cosine" << 0 << 25LL << 0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI / 4));
        QTest::newRow("cosine 100") << "cosine" << 0 << 100LL << 0.1;
        QTest::newRow("cosine past end") << "cosine" << 0 << 500LL << 0.1;
        QTest::newRow("warm-up 0") << "constant" << 10 << 0LL << 0.1;
        QTest::newRow("warm-up 4") << "cosine" << 10 << 4LL << 0.5;
        QTest::newRow("warm-up end") << "step" << 10 << 9LL << 1.0;
        QTest::newRow("after warm-up") << "step" << 10 << 20LL << 0.5;  // schedule starts at step 10
        QTest::newRow("cosine after warm-up") << "cosine" << 10 << 60LL << 0.55;
    }
    void schedules()
    {
        QFETCH(QString, kind);
        QFETCH(int, warmup);
        QFETCH(qlonglong, step);
        QFETCH(double, expected);
        LearningRateSchedule schedule;
        schedule.kind = kind.toStdString();
        schedule.stepSize = 10;
        schedule.gamma = 0.5f;
        schedule.totalSteps = 100;
        schedule.minRate = 0.1f;
        schedule.warmupSteps = warmup;
        const float rate = schedule.rateAt(1.0f, step);
        QVERIFY2(near(rate, expected, 1e-6, 1e-7), qPrintable(QString("%1 vs %2").arg(rate).arg(expected)));
    }

    void unknownScheduleThrows()
    {
        LearningRateSchedule schedule;
        schedule.kind = "triangular";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, schedule.rateAt(1.0f, 3));
    }
};

QTEST_APPLESS_MAIN(TestOptimizers)
#include "test_optimizers.moc"
