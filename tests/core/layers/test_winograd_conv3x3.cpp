// WinogradConv3x3 (the inference path of 3x3 stride-1 Conv2D layers with many channels) against
// a direct convolution summed in double precision, and Conv2D's inference output against its
// training (im2col) output, over paddings, odd sizes and batches.

#include <QtTest>

#include <cmath>

#include "core/layers/conv2d.h"
#include "core/layers/winograd_conv3x3.h"
#include "core/rng.h"

using namespace layerlens::core;

namespace {

// Direct convolution in double precision: y[k][oy][ox] = b[k] + sum x[c][oy+i-pt][ox+j-pl] w[k][c][i][j].
std::vector<double> directConvolution(const WinogradConv3x3::Geometry& g, const std::vector<float>& kernel,
                                      const std::vector<float>& bias, const std::vector<float>& input, int n)
{
    std::vector<double> out(static_cast<std::size_t>(n * g.filters * g.outHeight * g.outWidth));
    for (int s = 0; s < n; ++s)
        for (int k = 0; k < g.filters; ++k)
            for (int oy = 0; oy < g.outHeight; ++oy)
                for (int ox = 0; ox < g.outWidth; ++ox) {
                    double sum = bias.empty() ? 0.0 : bias[static_cast<std::size_t>(k)];
                    for (int c = 0; c < g.channels; ++c)
                        for (int i = 0; i < 3; ++i)
                            for (int j = 0; j < 3; ++j) {
                                const int y = oy + i - g.padTop, x = ox + j - g.padLeft;
                                if (y < 0 || y >= g.height || x < 0 || x >= g.width)
                                    continue;
                                sum += static_cast<double>(input[static_cast<std::size_t>(((s * g.channels + c) * g.height + y) * g.width + x)])
                                    * kernel[static_cast<std::size_t>(((k * g.channels + c) * 3 + i) * 3 + j)];
                            }
                    out[static_cast<std::size_t>(((s * g.filters + k) * g.outHeight + oy) * g.outWidth + ox)] = sum;
                }
    return out;
}

std::vector<float> randomValues(std::size_t count, Rng& rng)
{
    std::vector<float> v(count);
    for (float& x : v)
        x = rng.uniform(-1.0f, 1.0f);
    return v;
}

}  // namespace

class TestWinogradConv3x3 : public QObject {
    Q_OBJECT

private slots:
    void matchesDirectConvolution_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("filters");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("pad");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("bias");
        QTest::newRow("same, even size") << 16 << 16 << 8 << 8 << 1 << 1 << true;
        QTest::newRow("same, odd size (cut tiles)") << 17 << 20 << 7 << 9 << 1 << 2 << true;
        QTest::newRow("valid") << 16 << 24 << 10 << 11 << 0 << 3 << false;
        QTest::newRow("pad 2, one row") << 32 << 16 << 1 << 5 << 2 << 1 << true;
        QTest::newRow("many tiles, several blocks") << 300 << 16 << 30 << 30 << 1 << 1 << true;
    }

    void matchesDirectConvolution()
    {
        QFETCH(int, channels);
        QFETCH(int, filters);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, pad);
        QFETCH(int, batch);
        QFETCH(bool, bias);
        const WinogradConv3x3::Geometry g{channels, height, width, filters, pad, pad, height + 2 * pad - 2,
                                          width + 2 * pad - 2};
        Rng rng(static_cast<std::uint64_t>(channels * 131 + height));
        const auto kernel = randomValues(static_cast<std::size_t>(filters * channels * 9), rng);
        const auto biases = bias ? randomValues(static_cast<std::size_t>(filters), rng) : std::vector<float>();
        const auto input = randomValues(static_cast<std::size_t>(batch * channels * height * width), rng);
        const auto expected = directConvolution(g, kernel, biases, input, batch);
        std::vector<float> output(expected.size(), std::nanf(""));
        WinogradConv3x3 winograd;
        winograd.run(g, kernel.data(), bias ? biases.data() : nullptr, input.data(), batch, output.data());
        // Rounding grows with the sum's length (9C terms) and the transforms' additions.
        const double tolerance = 2e-6 * 9 * channels;
        double worst = 0;
        for (std::size_t i = 0; i < expected.size(); ++i)
            worst = std::max(worst, std::abs(output[i] - expected[i]));
        QVERIFY2(worst <= tolerance, qPrintable(QString("largest difference %1 (tolerance %2)").arg(worst).arg(tolerance)));
    }

    void changedWeightsAreTransformedAgain()
    {
        // The transformed kernel is kept between passes; new weights (a training step, a loaded
        // file) must replace it, even when only one value changes.
        const WinogradConv3x3::Geometry g{16, 6, 6, 16, 1, 1, 6, 6};
        Rng rng(3);
        auto kernel = randomValues(16 * 16 * 9, rng);
        const auto input = randomValues(16 * 6 * 6, rng);
        WinogradConv3x3 winograd;
        std::vector<float> first(16 * 6 * 6), second(first.size());
        winograd.run(g, kernel.data(), nullptr, input.data(), 1, first.data());
        kernel[9 * 5 + 4] += 1.0f;  // filter 0, channel 5, centre tap
        winograd.run(g, kernel.data(), nullptr, input.data(), 1, second.data());
        const auto expected = directConvolution(g, kernel, {}, input, 1);
        for (std::size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::abs(second[i] - expected[i]) <= 1e-4, qPrintable(QString("element %1").arg(i)));
        // Output (1, 1) of filter 0 moves by input (1, 1) of channel 5 times the added 1.
        QVERIFY(std::abs((second[7] - first[7]) - input[5 * 36 + 7]) <= 1e-4f);
    }

    void conv2dInferenceMatchesTrainingPath()
    {
        // Inference takes the Winograd path, training forward the im2col GEMM.
        Conv2D conv(32, {3, 3}, {1, 1}, Padding2D::same());
        Rng rng(5);
        conv.build({16, 13, 12}, rng);
        Tensor input({3, 16, 13, 12});
        for (std::size_t i = 0; i < input.size(); ++i)
            input[i] = rng.uniform(-1.0f, 1.0f);
        Tensor inference, training;
        conv.forward(input, inference, false);
        conv.forward(input, training, true);
        QCOMPARE(inference.shape(), training.shape());
        for (std::size_t i = 0; i < training.size(); ++i)
            QVERIFY2(std::abs(inference[i] - training[i]) <= 1e-4f * (1.0f + std::abs(training[i])),
                     qPrintable(QString("element %1: %2 vs %3").arg(i).arg(inference[i]).arg(training[i])));
    }
};

QTEST_APPLESS_MAIN(TestWinogradConv3x3)
#include "test_winograd_conv3x3.moc"
