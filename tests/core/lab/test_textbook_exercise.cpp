// TextbookExercise: the engine's numbers equal the hand computation (closed forms in double
// precision) and the published values of the classic 2-2-2 example.

#include <QtTest>

#include <cmath>

#include "core/lab/textbook_exercise.h"

using namespace layerlens::core;

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

class TestTextbookExercise : public QObject {
    Q_OBJECT
private slots:
    void publishedValues()
    {
        // The widely used worked example (inputs .05/.10, targets .01/.99, learning rate 0.5):
        // its total error ½Σ(t − o)² is the Keras MSE for two outputs.
        TextbookExercise exercise;
        QVERIFY(std::abs(exercise.value("a[1]_1") - 0.593269992) < 1e-6);
        QVERIFY(std::abs(exercise.value("a[2]_1") - 0.75136507) < 1e-6);
        QVERIFY(std::abs(exercise.value("L") - 0.298371109) < 1e-6);
        QVERIFY(std::abs(exercise.value("w[2]_11'") - 0.35891648) < 1e-6);
        QVERIFY(std::abs(exercise.value("w[2]_12'") - 0.408666186) < 1e-6);
        QVERIFY(std::abs(exercise.value("w[1]_11'") - 0.149780716) < 1e-6);
        QVERIFY(std::abs(exercise.value("w[1]_12'") - 0.19956143) < 1e-6);
    }

    void closedForms()
    {
        TextbookExercise exercise;
        const double x[2] = {0.05, 0.10}, t[2] = {0.01, 0.99};
        const double w1[2][2] = {{0.15, 0.20}, {0.25, 0.30}}, b1 = 0.35;
        const double w2[2][2] = {{0.40, 0.45}, {0.50, 0.55}}, b2 = 0.60;
        double z1[2], a1[2], z2[2], a2[2];
        for (int j = 0; j < 2; ++j) {
            z1[j] = w1[j][0] * x[0] + w1[j][1] * x[1] + b1;
            a1[j] = sigmoid(z1[j]);
        }
        for (int j = 0; j < 2; ++j) {
            z2[j] = w2[j][0] * a1[0] + w2[j][1] * a1[1] + b2;
            a2[j] = sigmoid(z2[j]);
        }
        const double loss = 0.5 * ((a2[0] - t[0]) * (a2[0] - t[0]) + (a2[1] - t[1]) * (a2[1] - t[1]));
        double d2[2], d1[2];
        for (int j = 0; j < 2; ++j)
            d2[j] = (a2[j] - t[j]) * a2[j] * (1 - a2[j]);
        for (int i = 0; i < 2; ++i)
            d1[i] = (w2[0][i] * d2[0] + w2[1][i] * d2[1]) * a1[i] * (1 - a1[i]);

        auto near = [&](const char* name, double expected) {
            const double got = exercise.value(name);
            QVERIFY2(std::abs(got - expected) <= 2e-6 * std::max(1.0, std::abs(expected)),
                     qPrintable(QString("%1: engine %2, by hand %3").arg(name).arg(got, 0, 'g', 9).arg(expected, 0, 'g', 9)));
        };
        near("z[1]_2", z1[1]);
        near("a[1]_2", a1[1]);
        near("z[2]_1", z2[0]);
        near("a[2]_2", a2[1]);
        near("L", loss);
        near("dL/da[2]_1", a2[0] - t[0]);
        near("da[2]_2/dz[2]_2", a2[1] * (1 - a2[1]));
        near("dL/dz[2]_1", d2[0]);
        near("dL/dw[2]_12", d2[0] * a1[1]);
        near("dL/db[2]_2", d2[1]);
        near("dL/da[1]_1", w2[0][0] * d2[0] + w2[1][0] * d2[1]);
        near("dL/dz[1]_2", d1[1]);
        near("dL/dw[1]_21", d1[1] * x[0]);
        near("w[1]_22'", w1[1][1] - 0.5 * d1[1] * x[1]);
        near("b[2]_1'", b2 - 0.5 * d2[0]);
    }

    void otherShapesAndActivations()
    {
        TextbookSettings s;
        s.sizes = {3, 2, 1};
        s.activation = "tanh";
        s.input = {0.5f, -1.0f, 0.25f};
        s.target = {0.3f};
        s.learningRate = 0.1f;
        s.kernels = {{0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f}, {0.7f, -0.8f}};
        s.biases = {{0.01f, -0.02f}, {0.05f}};
        TextbookExercise exercise(s);
        double a1[2];
        for (int j = 0; j < 2; ++j) {
            double z = s.biases[0][static_cast<std::size_t>(j)];
            for (int i = 0; i < 3; ++i)
                z += s.kernels[0][static_cast<std::size_t>(j * 3 + i)] * s.input[static_cast<std::size_t>(i)];
            a1[j] = std::tanh(z);
        }
        const double a2 = std::tanh(0.7 * a1[0] - 0.8 * a1[1] + 0.05);
        const double d2 = 2.0 * (a2 - 0.3) * (1 - a2 * a2);  // MSE over one output: (a − t)²
        QVERIFY(std::abs(exercise.value("L") - (a2 - 0.3) * (a2 - 0.3)) < 1e-6);
        QVERIFY(std::abs(exercise.value("dL/dz[2]_1") - d2) < 1e-6);
        QVERIFY(std::abs(exercise.value("dL/dw[2]_12") - d2 * a1[1]) < 1e-6);
        const double d11 = 0.7 * d2 * (1 - a1[0] * a1[0]);
        QVERIFY(std::abs(exercise.value("dL/dw[1]_13") - d11 * 0.25) < 1e-6);
        QVERIFY(std::abs(exercise.value("w[1]_13'") - (0.3 - 0.1 * d11 * 0.25)) < 1e-6);
        QVERIFY(!exercise.has("dL/da[1]_3"));  // inputs get no gradient row
    }

    void csv()
    {
        TextbookExercise exercise;
        const QString csv = QString::fromStdString(exercise.toCsv());
        const QStringList lines = csv.trimmed().split('\n');
        QCOMPARE(lines.first(), QString("quantity,formula,value"));
        QCOMPARE(lines.size(), static_cast<int>(exercise.rows().size()) + 1);
        QVERIFY(lines.contains(QString("L,(1/2)·Σ_j (a[2]_j − t_j)²,%1").arg(exercise.value("L"), 0, 'g', 9)));
        QVERIFY(csv.contains("x_1,given,0.0500000007"));
    }

    void rejectsMismatchedSettings()
    {
        TextbookSettings s;
        s.input = {1.0f};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TextbookExercise{s});
        TextbookSettings t;
        t.activation = "softmax";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TextbookExercise{t});
    }
};

QTEST_GUILESS_MAIN(TestTextbookExercise)
#include "test_textbook_exercise.moc"
