// sampleActivation: the plotted samples are core's Activation::apply/derivative at those points.

#include <QtTest>

#include "core/lab/activation_samples.h"

using namespace layerlens::core;

class TestActivationSamples : public QObject {
    Q_OBJECT
private slots:
    void equalsCoreActivation_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& name : Activation::names())
            if (name != "softmax")
                QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
    void equalsCoreActivation()
    {
        QFETCH(QString, name);
        const auto activation = Activation::fromName(name.toStdString());
        QVERIFY(activation);
        const auto s = sampleActivation(activation->kind, activation->alpha, -4.0f, 3.0f, 141);
        QCOMPARE(s.x.size(), std::size_t(141));
        QCOMPARE(s.x.front(), -4.0f);
        QCOMPARE(s.x.back(), 3.0f);
        QVERIFY(std::abs(s.x[20] - (-3.0f)) < 1e-6f);
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            QCOMPARE(s.f[i], activation->apply(s.x[i]));
            QCOMPARE(s.df[i], activation->derivative(s.x[i]));
        }
    }

    void alphaIsUsed()
    {
        const auto leaky = sampleActivation("leaky_relu", 0.2f, -2.0f, 2.0f, 5);
        QCOMPARE(leaky.f[0], -0.4f);
        QCOMPARE(leaky.df[0], 0.2f);
        const auto byDefault = sampleActivation("leaky_relu", -1.0f, -2.0f, 2.0f, 5);
        QCOMPARE(byDefault.df[0], 0.01f);
        const auto elu = sampleActivation("elu", 2.0f, -1.0f, 1.0f, 3);
        QVERIFY(std::abs(elu.f[0] - 2.0f * std::expm1(-1.0f)) < 1e-6f);
    }

    void rejectsBadRequests()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleActivation(ActivationKind::Softmax, 0, -1, 1, 10));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleActivation("relu", 0, 1, -1, 10));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleActivation("relu", 0, -1, 1, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleActivation("nope", 0, -1, 1, 10));
    }
};

QTEST_GUILESS_MAIN(TestActivationSamples)
#include "test_activation_samples.moc"
