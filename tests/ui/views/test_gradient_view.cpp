// GradientView: one norm series per layer that gains points as the history grows (non-positive
// norms skipped for the log axis), update/weight ratios from the snapshot, and at most
// kHistogramsKept histograms per layer.

#include "core/train/snapshot.h"
#include "core/train/training_history.h"
#include "ui/views/gradient_view.h"
#include "ui/widgets/histogram_ridge_widget.h"
#include "ui/widgets/ratio_bar_chart.h"

#include <QComboBox>
#include <QtTest>
#include <cmath>
#include <memory>

using namespace layerlens;
using layerlens::ui::GradientView;

namespace {

core::TensorStats stats(float center, float spread)
{
    core::TensorStats s;
    s.count = 1000;
    s.mean = center;
    s.stddev = spread;
    s.histogramMin = center - 3 * spread;
    s.histogramMax = center + 3 * spread;
    s.histogram.resize(core::TensorStats::kBins);
    for (int b = 0; b < core::TensorStats::kBins; ++b) {
        const float z = (static_cast<float>(b) + 0.5f) / core::TensorStats::kBins * 6.0f - 3.0f;
        s.histogram[static_cast<std::size_t>(b)] = 100.0f * std::exp(-0.5f * z * z);
    }
    return s;
}

std::shared_ptr<core::Snapshot> makeSnapshot(long long step)
{
    auto s = std::make_shared<core::Snapshot>();
    s->step = step;
    const char* names[] = { "conv2d", "max_pooling2d", "dense", "dense_1" };
    for (int i = 0; i < 4; ++i) {
        core::LayerSnapshot l;
        l.name = names[i];
        l.type = i == 1 ? "MaxPooling2D" : (i == 0 ? "Conv2D" : "Dense");
        l.activation = stats(0.5f, 0.2f + 0.01f * static_cast<float>(step));
        l.gradient = stats(0.0f, 0.01f);
        if (i != 1) {
            for (const char* p : { "kernel", "bias" }) {
                core::ParameterSnapshot ps;
                ps.name = p;
                ps.shape = { 8, 4 };
                ps.value = stats(0.0f, 0.1f + 0.002f * static_cast<float>(step));
                ps.gradient = stats(0.0f, 0.001f);
                ps.updateToWeightRatio = static_cast<float>(std::pow(10.0, -1 - i)) * (p[0] == 'b' ? 0.5f : 1.0f);
                l.parameters.push_back(ps);
            }
        }
        s->layers.push_back(l);
    }
    return s;
}

void addSteps(core::TrainingHistory& history, long long from, long long to)
{
    for (long long step = from; step < to; ++step) {
        core::StepRecord r {};
        r.step = step;
        r.epoch = static_cast<double>(step) / 100.0;
        r.loss = 1.0f / static_cast<float>(step + 1);
        // Layer 1 (pooling) reports zero at even steps: not drawable on a log axis.
        r.gradientNorms = { 0.5f / static_cast<float>(step + 1), step % 2 == 0 ? 0.0f : 0.02f, 0.1f,
            1e-3f * static_cast<float>(step + 1) };
        history.addStep(r);
    }
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x36));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x66));
    p.setColor(QPalette::Midlight, QColor(0x48, 0x48, 0x4c));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xd8));
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa6));
    return p;
}

} // namespace

class TestGradientView : public QObject {
    Q_OBJECT
private slots:
    void seriesGainPointsWhenHistoryGrows()
    {
        core::TrainingHistory history;
        addSteps(history, 0, 10);
        GradientView view;
        view.resize(1200, 800);
        view.setHistory(&history);
        view.showSnapshot(makeSnapshot(9));
        QCOMPARE(view.normSeriesCount(), 4);
        QCOMPARE(view.normPointCount(0), 10);
        QCOMPARE(view.normPointCount(1), 5); // zeros skipped
        QCOMPARE(view.normPointCount(3), 10);

        addSteps(history, 10, 25);
        view.showSnapshot(makeSnapshot(24));
        QCOMPARE(view.normPointCount(0), 25);
        QCOMPARE(view.normPointCount(2), 25);
        // Nothing new: nothing added twice.
        view.refreshHistory();
        QCOMPARE(view.normPointCount(0), 25);

        addSteps(history, 25, 30);
        view.refreshHistory();
        QCOMPARE(view.normPointCount(0), 30);

        // A new run clears the history: the curves start over.
        history.clear();
        addSteps(history, 0, 3);
        view.refreshHistory();
        QCOMPARE(view.normPointCount(0), 3);
    }

    void ratiosAndHistograms()
    {
        core::TrainingHistory history;
        GradientView view;
        view.resize(1200, 800);
        view.setHistory(&history);
        for (long long step = 0; step < 60; ++step) {
            addSteps(history, step, step + 1);
            view.showSnapshot(makeSnapshot(step));
        }
        // 3 layers with 2 parameters each.
        QCOMPARE(view.ratioChart()->count(), 6);
        QCOMPARE(view.ratioChart()->values().at(0), 0.1f);
        QCOMPARE(view.ratioChart()->values().at(3), 0.0005f);
        QCOMPARE(view.histogramCount(0, false), GradientView::kHistogramsKept);
        QCOMPARE(view.histogramCount(1, true), GradientView::kHistogramsKept);
        // An epoch-end snapshot carries no update measurement: the last ratios stay on screen.
        auto epochEnd = makeSnapshot(59);
        for (auto& l : epochEnd->layers)
            for (auto& p : l.parameters)
                p.updateToWeightRatio = 0;
        view.showSnapshot(epochEnd);
        QCOMPARE(view.ratioChart()->values().at(0), 0.1f);
        // The same step published twice (layer-step mode) does not add a histogram.
        view.showSnapshot(makeSnapshot(59));
        QCOMPARE(view.histogramCount(0, false), GradientView::kHistogramsKept);

        // Selecting a layer shows its histograms: the newest slice is the latest step.
        auto* combo = view.findChild<QComboBox*>(QStringLiteral("gradientLayerCombo"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), 4);
        combo->setCurrentIndex(2);
        QCOMPARE(view.selectedLayer(), 2);
        QCOMPARE(view.valueHistograms()->sliceCount(), GradientView::kHistogramsKept);
        QCOMPARE(view.valueHistograms()->slices().back().step, 59LL);
        QVERIFY(view.valueHistograms()->title().contains(QStringLiteral("dense.kernel")));
        // A layer without parameters shows its activations instead.
        combo->setCurrentIndex(1);
        QVERIFY(view.valueHistograms()->title().contains(QStringLiteral("activations")));

        combo->setCurrentIndex(0);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.renderImage().save(QStringLiteral("/tmp/layerlens_gradient_view.png"));
        QVERIFY(view.exportSvg(QStringLiteral("/tmp/layerlens_gradient_view.svg")));

        view.clear();
        QCOMPARE(view.normSeriesCount(), 0);
        QCOMPARE(view.histogramCount(0, false), 0);
    }
    void rendersWithDarkPalette()
    {
        core::TrainingHistory history;
        addSteps(history, 0, 40);
        GradientView view;
        view.setPalette(darkPalette());
        view.resize(1200, 800);
        view.setHistory(&history);
        for (long long step = 30; step < 40; ++step)
            view.showSnapshot(makeSnapshot(step));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.renderImage();
        QCOMPARE(QColor(image.pixel(2, image.height() - 3)), darkPalette().color(QPalette::Window));
        image.save(QStringLiteral("/tmp/layerlens_gradient_view_dark.png"));
    }
};

QTEST_MAIN(TestGradientView)
#include "test_gradient_view.moc"
