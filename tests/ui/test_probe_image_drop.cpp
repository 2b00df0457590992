// Image files as probe inputs, end to end: real drag-and-drop events with file URLs on the
// Activations view and on the main window, during and after a short training run; the next
// snapshots' probes come from the image; files that are no image give a message in the window.

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QImage>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <fstream>

#include "core/io/probe_images.h"
#include "ui/main_window.h"
#include "ui/probe_inputs.h"
#include "ui/training_session.h"
#include "ui/views/activation_view.h"
#include "ui/views/training_controls.h"
#include "ui/widgets/message_banner.h"
#include "ui/widgets/probability_bars.h"

using namespace layerlens;

namespace {

// Sends the events a drag of these files onto `target` produces; true when the drop was taken.
bool dropFiles(QWidget* target, const QList<QUrl>& urls)
{
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

bool equal(const core::Tensor& x, const core::Tensor& y)
{
    return x.shape() == y.shape() && std::equal(x.data(), x.data() + x.size(), y.data());
}

}  // namespace

class TestProbeImageDrop : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_config;
    QTemporaryDir m_files;
    QString file(const char* name) const { return m_files.path() + QLatin1Char('/') + QLatin1String(name); }

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_files.isValid());
        // A diagonal ramp and a bright ring: two different probe images.
        QImage ramp(40, 40, QImage::Format_Grayscale8);
        QImage ring(28, 28, QImage::Format_RGB32);
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 40; ++x)
                ramp.setPixel(x, y, qRgb((x + y) * 3, (x + y) * 3, (x + y) * 3));
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const int d = (x - 14) * (x - 14) + (y - 14) * (y - 14);
                ring.setPixel(x, y, d > 36 && d < 100 ? qRgb(255, 255, 255) : qRgb(0, 0, 0));
            }
        QVERIFY(ramp.save(file("ramp.png")));
        QVERIFY(ring.save(file("ring.jpg")));
        std::ofstream(file("notes.txt").toStdString()) << "not a picture";
        std::ofstream(file("broken.png").toStdString()) << "not a png";
    }

    void viewAsksForDroppedFiles()
    {
        ui::ActivationView view;
        view.resize(600, 400);
        QSignalSpy spy(&view, &ui::ActivationView::probeFilesDropped);
        QVERIFY(!dropFiles(&view, {QUrl(QStringLiteral("https://example.org/cat.png"))}));  // not a local file
        QCOMPARE(spy.count(), 0);
        QVERIFY(dropFiles(&view, {QUrl::fromLocalFile(file("ramp.png"))}));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(), QStringList{file("ramp.png")});
    }

    void droppedImagesBecomeTheProbes()
    {
        ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.loadDataset(QStringLiteral("shapes?n=240&size=28")));
        QVERIFY(window.loadPreset(QStringLiteral("lenet5")));
        core::TrainerSettings settings = window.controls()->settings();
        settings.epochs = 500;
        settings.batchSize = 16;
        window.controls()->setSettings(settings);
        core::SnapshotPtr latest;
        connect(window.session()->bridge(), &ui::TrainerBridge::snapshotArrived, this,
                [&latest](const core::SnapshotPtr& s) { latest = s; });
        QVERIFY(window.trainSteps(3));
        QCOMPARE(window.session()->trainer()->state(), core::TrainerState::Paused);
        const core::Shape shape = window.session()->dataset()->sampleShape();

        // After the run (paused): the drop shows at once, without a training step.
        const long long steps = window.session()->trainer()->stepCount();
        QVERIFY(dropFiles(window.activations(), {QUrl::fromLocalFile(file("ramp.png"))}));
        QTRY_VERIFY_WITH_TIMEOUT(latest && latest->probeNames == std::vector<std::string>{"ramp.png"}, 5000);
        QCOMPARE(latest->step, steps);
        const core::Tensor ramp = core::ProbeImages::load({file("ramp.png").toStdString()}, shape).images;
        QVERIFY(equal(latest->probeInputs, ramp));  // the first layer's input is the loaded image
        QCOMPARE(latest->probeLabels, std::vector<int>{-1});
        core::Model& model = *window.session()->trainer()->model();
        const core::Tensor& out = model.forward(ramp, false);  // paused: the model is still
        QVERIFY(equal(latest->layers.back().probeOutput, out));
        QCOMPARE(latest->layers.front().probeOutput.dim(0), 1);
        // The view shows it with its name, every layer and the output bars.
        QTRY_COMPARE_WITH_TIMEOUT(window.activations()->findChild<QComboBox*>(QStringLiteral("probeCombo"))->currentText(),
                                  QStringLiteral("ramp.png"), 5000);
        QCOMPARE(window.activations()->layerCount(), model.layerCount());
        QVERIFY(window.activations()->tileCount(0) > 0);
        QVERIFY(window.activations()->outputBars());
        auto* back = window.activations()->findChild<QPushButton*>(QStringLiteral("datasetProbesButton"));
        QVERIFY(back && back->isEnabled());

        // During training, dropped on the main window: later snapshots show the new image.
        emit window.controls()->startRequested();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->trainer()->state(), core::TrainerState::Running, 5000);
        QVERIFY(dropFiles(&window, {QUrl::fromLocalFile(file("ring.jpg"))}));
        QTRY_VERIFY_WITH_TIMEOUT(latest->probeNames == std::vector<std::string>{"ring.jpg"}, 10000);
        const core::Tensor ring = core::ProbeImages::load({file("ring.jpg").toStdString()}, shape).images;
        QVERIFY(equal(latest->probeInputs, ring));
        const long long seen = latest->step;
        QTRY_VERIFY_WITH_TIMEOUT(latest->step > seen + 2, 10000);  // training goes on with it
        QCOMPARE(latest->probeNames, std::vector<std::string>{"ring.jpg"});

        // Files that are no image: a clear message in the window, the probe stays.
        QVERIFY(dropFiles(window.activations(), {QUrl::fromLocalFile(file("notes.txt"))}));
        QVERIFY(window.banner()->isVisible());
        QCOMPARE(window.banner()->level(), ui::MessageBanner::Level::Error);
        QVERIFY2(window.banner()->text().contains(QStringLiteral("notes.txt: not an image file")),
                 qPrintable(window.banner()->text()));
        QVERIFY(dropFiles(&window, {QUrl::fromLocalFile(file("broken.png"))}));
        QVERIFY2(window.banner()->text().contains(QStringLiteral("cannot read the image")), qPrintable(window.banner()->text()));
        QVERIFY(!window.setProbeImages({file("missing.png")}));
        QVERIFY2(window.banner()->text().contains(QStringLiteral("missing.png")), qPrintable(window.banner()->text()));
        QCOMPARE(window.probeInputs()->files(), QStringList{file("ring.jpg")});
        QTest::qWait(200);
        QCOMPARE(latest->probeNames, std::vector<std::string>{"ring.jpg"});

        // Back to the dataset's probes.
        window.session()->pause();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->trainer()->state(), core::TrainerState::Paused, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(back->isEnabled(), 5000);
        QTest::mouseClick(back, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(latest->probeNames.empty(), 5000);
        QCOMPARE(latest->probeInputs.dim(0), settings.capture.probeCount);
        QVERIFY(latest->probeLabels[0] >= 0);
        QVERIFY(!window.probeInputs()->isUsingFiles());
        QTRY_VERIFY_WITH_TIMEOUT(!back->isEnabled(), 5000);
    }

    void imagesForAModelThatTakesNone()
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(window.loadDataset(QStringLiteral("spiral?n=100&classes=3")));
        QVERIFY(window.loadPreset(QStringLiteral("mlp")));
        QVERIFY(!window.setProbeImages({file("ramp.png")}));
        QVERIFY2(window.banner()->text().contains(QStringLiteral("not images")), qPrintable(window.banner()->text()));
    }
};

QTEST_MAIN(TestProbeImageDrop)
#include "test_probe_image_drop.moc"
