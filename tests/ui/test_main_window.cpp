// The assembled main window: real (short) training on a generated 2-D set with an MLP, the views
// receiving snapshots, errors shown in the window, screenshots that show learning.

#include <QDir>
#include <QLabel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <set>

#include "ui/main_window.h"
#include "ui/training_session.h"
#include "ui/views/curves_view.h"
#include "ui/views/data_view.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/playground_view.h"
#include "ui/views/training_controls.h"
#include "ui/models/layer_list_model.h"
#include "ui/widgets/message_banner.h"

using namespace layerlens;

namespace {

// Distinct colors in a coarse grid of the image: a blank or flat window has very few.
int distinctColors(const QImage& image)
{
    std::set<QRgb> colors;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colors.insert(image.pixel(x, y));
    return static_cast<int>(colors.size());
}

// Enough epochs that a short test never runs out of data.
void longRun(ui::MainWindow& window)
{
    core::TrainerSettings settings = window.controls()->settings();
    settings.epochs = 500;
    settings.batchSize = 32;
    settings.optimizer.learningRate = 0.01f;
    window.controls()->setSettings(settings);
}

int differingPixels(const QImage& a, const QImage& b)
{
    if (a.size() != b.size())
        return a.width() * a.height();
    int n = 0;
    for (int y = 0; y < a.height(); y += 2)
        for (int x = 0; x < a.width(); x += 2)
            n += a.pixel(x, y) != b.pixel(x, y);
    return n;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_config;

private slots:
    void initTestCase()
    {
        // Never touch the user's settings.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QStandardPaths::setTestModeEnabled(true);
    }

    void trainsAndViewsReceiveSnapshots()
    {
        ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.loadDataset(QStringLiteral("spiral?n=300&classes=3&noise=0.1")));
        QCOMPARE(window.dataView()->scatterSeriesCount(), 3);
        QVERIFY(window.loadPreset(QStringLiteral("mlp")));
        QVERIFY(window.builder()->layerModel()->rowCount() >= 2);
        QCOMPARE(window.builder()->layerModel()->firstErrorRow(), -1);
        QCOMPARE(window.builder()->layerModel()->outputShapeText(), QStringLiteral("3"));
        QVERIFY(window.session()->modelDescription() == window.builder()->description());
        QVERIFY(window.raiseView(QStringLiteral("playground")));
        QVERIFY(window.playground()->isHintVisible());
        longRun(window);

        QVERIFY(window.trainSteps(40, 60000));
        QVERIFY(window.session()->trainer());
        QVERIFY(window.session()->trainer()->stepCount() >= 40);
        QVERIFY(window.snapshotsShown() > 0);
        QVERIFY(window.session()->bridge()->latest());
        QVERIFY(window.curves()->stepPointCount() >= 40);
        QVERIFY(!window.playground()->isHintVisible());  // the decision plane is drawn
        QCOMPARE(window.session()->state(), core::TrainerState::Paused);
        auto* state = window.findChild<QLabel*>(QStringLiteral("stateLabel"));
        QCOMPARE(state->text(), QStringLiteral("Paused"));

        // Editing the model resets the run: the views clear, the next start trains the new model.
        window.builder()->addLayer(QStringLiteral("Dropout"));
        QVERIFY(!window.session()->trainer());
        QCOMPARE(window.curves()->stepPointCount(), 0);
        QVERIFY(window.trainSteps(5, 60000));
        QVERIFY(window.curves()->stepPointCount() >= 5);
    }

    void everyViewCanBeRaised()
    {
        ui::MainWindow window;
        for (const QString& name : ui::MainWindow::viewNames())
            QVERIFY2(window.raiseView(name), qPrintable(name));
        QVERIFY(!window.raiseView(QStringLiteral("nonsense")));
        window.raiseView(QStringLiteral("weights"));
        QCOMPARE(window.workbenchTabs()->currentIndex(), 2);
    }

    void errorsAreShownNotThrown()
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(!window.loadDataset(QStringLiteral("no-such-dataset")));
        QVERIFY(window.banner()->text().contains(QStringLiteral("no-such-dataset")));
        window.banner()->dismiss();
        QVERIFY(window.banner()->text().isEmpty());
        QVERIFY(!window.loadPreset(QStringLiteral("resnet9000")));
        QVERIFY(!window.banner()->text().isEmpty());
        // Training without data says why instead of crashing.
        window.banner()->dismiss();
        window.session()->start();
        QVERIFY(window.banner()->text().contains(QStringLiteral("Cannot train")));
    }

    void screenshotsShowLearning()
    {
        ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.loadDataset(QStringLiteral("spiral?n=300&classes=3&noise=0.1")));
        QVERIFY(window.loadPreset(QStringLiteral("mlp")));
        window.raiseView(QStringLiteral("activations"));
        longRun(window);
        QVERIFY(window.trainSteps(10, 60000));
        const QImage first = window.grab().toImage();
        QVERIFY(!first.isNull());
        QVERIFY2(distinctColors(first) > 100, qPrintable(QString::number(distinctColors(first))));
        QVERIFY(window.trainSteps(80, 60000));
        const QImage second = window.grab().toImage();
        QVERIFY2(differingPixels(first, second) > 500, qPrintable(QString::number(differingPixels(first, second))));
        const QString dir = QDir::tempPath();
        first.save(dir + QStringLiteral("/layerlens_test_first.png"));
        second.save(dir + QStringLiteral("/layerlens_test_second.png"));
        QTemporaryDir out;
        QString error;
        QVERIFY2(window.exportCurrentView(out.filePath(QStringLiteral("view.png")), &error), qPrintable(error));
        QVERIFY(!QImage(out.filePath(QStringLiteral("view.png"))).isNull());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
