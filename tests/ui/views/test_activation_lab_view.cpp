// ActivationLabView: the plotted curves are core's Activation::apply/derivative at the sampled points.

#include <QtTest>

#include <QChart>
#include <QLineSeries>

#include "core/activations/activation.h"
#include "ui/views/activation_lab_view.h"

using namespace layerlens;

class TestActivationLabView : public QObject {
    Q_OBJECT
private slots:
    void plottedValuesAreCores()
    {
        ui::ActivationLabView view;
        view.resize(1000, 600);
        view.setChecked("gelu", true);
        view.setChecked("leaky_relu", true);
        view.setChecked("elu", true);
        view.setLeakyAlpha(0.2);
        view.setEluAlpha(1.5);
        view.setRange(-3, 2);
        QCOMPARE(view.checkedFunctions(), QStringList({"sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"}));
        for (const QString& name : view.checkedFunctions()) {
            auto activation = *core::Activation::fromName(name.toStdString());
            if (name == "leaky_relu")
                activation.alpha = 0.2f;
            if (name == "elu")
                activation.alpha = 1.5f;
            const auto f = view.plottedPoints(name, false), df = view.plottedPoints(name, true);
            QCOMPARE(f.size(), ui::ActivationLabView::kSamples);
            QCOMPARE(df.size(), ui::ActivationLabView::kSamples);
            QCOMPARE(f.first().x(), -3.0);
            QCOMPARE(f.last().x(), 2.0);
            for (int k = 0; k < f.size(); k += 7) {
                const auto x = static_cast<float>(f[k].x());
                QCOMPARE(static_cast<float>(f[k].y()), activation.apply(x));
                QCOMPARE(static_cast<float>(df[k].y()), activation.derivative(x));
            }
        }
        // Two curves (f and f') per function plus the two axis lines.
        QCOMPARE(view.chart()->series().size(), 2 * 6 + 2);
        view.setShowDerivatives(false);
        QCOMPARE(view.chart()->series().size(), 6 + 2);
        QVERIFY(view.plottedPoints("relu", true).isEmpty());
        view.setChecked("sigmoid", false);
        QVERIFY(view.plottedPoints("sigmoid", false).isEmpty());
    }

    void screenshot()
    {
        ui::ActivationLabView view;
        view.setChecked("leaky_relu", true);
        view.setChecked("gelu", true);
        view.setLeakyAlpha(0.1);
        view.resize(1100, 620);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.grab().save("/tmp/layerlens_activation_lab.png"));
    }
};

QTEST_MAIN(TestActivationLabView)
#include "test_activation_lab_view.moc"
