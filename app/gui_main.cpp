// layerlens: the desktop program. Parses the command line, checks for a display, and opens the
// main window with a model that starts learning at once.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "ui/main_window.h"
#include "ui/session_manager.h"
#include "ui/training_session.h"
#include "ui/views/backprop_view.h"
#include "ui/views/race_view.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/model_inspector_view.h"
#include "ui/views/training_controls.h"
#include "ui/widgets/message_banner.h"

namespace {

bool hasEnv(const char* name)
{
    const char* value = std::getenv(name);
    return value && *value;
}

bool argPresent(int argc, char** argv, const char* flag)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], flag) == 0)
            return true;
    return false;
}

// The Backprop tab, the debugger stepped `phases` phases into a training step (from the main
// trainer's weights). False when the debugger could not be made for the model and data.
bool stepDebugger(layerlens::ui::MainWindow& window, int phases)
{
    window.raiseView(QStringLiteral("backprop"));
    layerlens::ui::BackpropView* view = window.backprop();
    if (!view->debugger())
        return false;
    for (int i = 0; i < phases; ++i)
        view->stepLayer();
    return true;
}

// The Race tab after a race of the default variants of `kind` (an MLP on the loaded data) has run
// whole epochs of at least `steps` optimizer steps per variant. False when it could not start or
// did not end within the time.
bool runRace(layerlens::ui::MainWindow& window, layerlens::core::RaceKind kind, long long steps)
{
    window.raiseView(QStringLiteral("race"));
    layerlens::ui::RaceView* race = window.race();
    const layerlens::core::DatasetPtr data = window.session()->dataset();
    if (!data)
        return false;
    constexpr int batch = 32;
    // The race's trainers hold out a tenth of the data for validation.
    const double trainSamples = static_cast<double>(data->size()) - std::floor(0.1 * static_cast<double>(data->size()));
    const double stepsPerEpoch = std::max(1.0, std::ceil(trainSamples / batch));
    race->setKind(kind);
    race->setBatchSize(batch);
    race->setEpochs(static_cast<int>(std::max(1.0, std::ceil(static_cast<double>(steps) / stepsPerEpoch))));
    if (!race->start()) {
        std::fprintf(stderr, "layerlens: the race did not start: %s\n", qPrintable(race->statusText()));
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    while (!race->isFinished() && clock.elapsed() < 600000)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    return race->isFinished();
}

}  // namespace

int main(int argc, char** argv)
{
    // The training worker's OpenMP threads share the cores with the UI thread. By default they
    // spin while waiting, which starves the event loop; passive waiting keeps the window
    // responsive and, on 2 cores, even trains faster. OpenMP reads this when the program loads,
    // so the program restarts itself once with it set (unless the user chose a policy).
    if (!hasEnv("OMP_WAIT_POLICY")) {
        ::setenv("OMP_WAIT_POLICY", "passive", 1);
        ::execv("/proc/self/exe", argv);  // returns only on failure: then go on as we are
    }
    // --version and --help must work without a display.
    if (argPresent(argc, argv, "--version") || argPresent(argc, argv, "-v")) {
        std::printf("layerlens %s\n", LAYERLENS_VERSION);
        return 0;
    }
    const bool wantsHelp = argPresent(argc, argv, "--help") || argPresent(argc, argv, "-h");
    if (!wantsHelp && !hasEnv("DISPLAY") && !hasEnv("WAYLAND_DISPLAY") && !hasEnv("QT_QPA_PLATFORM")) {
        std::fprintf(stderr,
                     "layerlens: no display found (DISPLAY and WAYLAND_DISPLAY are unset). "
                     "Run it under a virtual display: xvfb-run -a layerlens (or set QT_QPA_PLATFORM=offscreen for screenshots)\n");
        return 1;
    }
    if (wantsHelp && !hasEnv("DISPLAY") && !hasEnv("WAYLAND_DISPLAY") && !hasEnv("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");  // printing help needs no window

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("LayerLens"));
    QApplication::setOrganizationName(QStringLiteral("LayerLens"));
    QApplication::setApplicationVersion(QStringLiteral(LAYERLENS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("LayerLens: build, train and look inside neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"), QStringLiteral("Train, save a picture of the window to FILE.png and exit."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption presetOption(QStringLiteral("preset"), QStringLiteral("Model preset: mlp, lenet5, tinyvgg, vgg16 (default lenet5)."),
                                          QStringLiteral("NAME"), QStringLiteral("lenet5"));
    const QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("Open a model description (JSON) instead of a preset."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption dataOption(QStringLiteral("data"), QStringLiteral("Dataset spec (default fashion-mnist), e.g. spiral?n=600&classes=3."),
                                        QStringLiteral("SPEC"), QStringLiteral("fashion-mnist"));
    const QCommandLineOption stepsOption(QStringLiteral("train-steps"), QStringLiteral("With --screenshot: optimizer steps before the picture (default 200)."),
                                         QStringLiteral("N"), QStringLiteral("200"));
    const QCommandLineOption viewOption(QStringLiteral("view"),
                                        QStringLiteral("Raise a view before the screenshot: %1.").arg(layerlens::ui::MainWindow::viewNames().join(QStringLiteral("|"))),
                                        QStringLiteral("NAME"));
    const QCommandLineOption themeOption(QStringLiteral("theme"), QStringLiteral("light, dark or system."), QStringLiteral("THEME"));
    const QCommandLineOption pausedOption(QStringLiteral("paused"), QStringLiteral("Do not start training at launch."));
    const QCommandLineOption debugOption(QStringLiteral("debug-steps"),
                                         QStringLiteral("With --screenshot: open the Backprop tab and step the backprop debugger N phases "
                                                        "(forward layers, loss, backward layers, update) into a training step."),
                                         QStringLiteral("N"));
    const QCommandLineOption raceOption(QStringLiteral("race"),
                                        QStringLiteral("With --screenshot: race the default activations, losses or optimizers (an MLP on "
                                                       "the data) and picture the Race tab when the race has ended."),
                                        QStringLiteral("KIND"));
    const QCommandLineOption raceStepsOption(QStringLiteral("race-steps"),
                                             QStringLiteral("With --race: optimizer steps per variant, rounded up to whole epochs (default 300)."),
                                             QStringLiteral("N"), QStringLiteral("300"));
    const QCommandLineOption probeOption(QStringLiteral("probe"),
                                         QStringLiteral("An image file as the probe input of the Activations view (as if dropped on it)."),
                                         QStringLiteral("IMAGE"));
    const QCommandLineOption noDocksOption(QStringLiteral("no-docks"),
                                           QStringLiteral("With --screenshot: close the docks, so that the tab in front fills the window."));
    // Not "--session": QApplication takes that one for the desktop's session management.
    const QCommandLineOption sessionOption(QStringLiteral("open"), QStringLiteral("Open a saved session (.llsession) instead of data and a model."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption inspectOption(QStringLiteral("inspect"), QStringLiteral("Open a model file (.onnx, .h5, .keras, .llmodel) in the Inspector."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption inspectImageOption(QStringLiteral("inspect-image"), QStringLiteral("With --inspect: run this image through the model."),
                                                QStringLiteral("IMG"));
    parser.addOptions({screenshotOption, presetOption, modelOption, dataOption, stepsOption, viewOption, themeOption, pausedOption, sessionOption,
                       debugOption, raceOption, raceStepsOption, probeOption, noDocksOption, inspectOption, inspectImageOption});
    parser.process(app);

    bool stepsOk = false;
    const long long steps = parser.value(stepsOption).toLongLong(&stepsOk);
    if (!stepsOk || steps < 0) {
        std::fprintf(stderr, "layerlens: --train-steps expects a non-negative integer, got '%s'\n", qPrintable(parser.value(stepsOption)));
        return 2;
    }
    const QString viewName = parser.value(viewOption);
    if (!viewName.isEmpty() && !layerlens::ui::MainWindow::viewNames().contains(viewName.toLower())) {
        std::fprintf(stderr, "layerlens: unknown view '%s'; expected one of %s\n", qPrintable(viewName),
                     qPrintable(layerlens::ui::MainWindow::viewNames().join(QStringLiteral(", "))));
        return 2;
    }

    int debugSteps = 0;
    if (parser.isSet(debugOption)) {
        bool ok = false;
        debugSteps = parser.value(debugOption).toInt(&ok);
        if (!ok || debugSteps < 0) {
            std::fprintf(stderr, "layerlens: --debug-steps expects a non-negative integer, got '%s'\n", qPrintable(parser.value(debugOption)));
            return 2;
        }
    }
    const QStringList raceKinds = {QStringLiteral("activations"), QStringLiteral("losses"), QStringLiteral("optimizers")};
    const auto raceKind = static_cast<int>(raceKinds.indexOf(parser.value(raceOption).toLower()));
    if (parser.isSet(raceOption) && raceKind < 0) {
        std::fprintf(stderr, "layerlens: unknown race '%s'; expected one of %s\n", qPrintable(parser.value(raceOption)),
                     qPrintable(raceKinds.join(QStringLiteral(", "))));
        return 2;
    }
    bool raceStepsOk = false;
    const long long raceSteps = parser.value(raceStepsOption).toLongLong(&raceStepsOk);
    if (!raceStepsOk || raceSteps <= 0) {
        std::fprintf(stderr, "layerlens: --race-steps expects a positive integer, got '%s'\n", qPrintable(parser.value(raceStepsOption)));
        return 2;
    }

    layerlens::ui::MainWindow window;
    if (parser.isSet(themeOption))
        layerlens::ui::Theme::apply(layerlens::ui::Theme::modeFromName(parser.value(themeOption)));
    window.show();
    QApplication::processEvents();

    layerlens::ui::SessionManager* sessions = window.sessionManager();
    if (parser.isSet(screenshotOption))
        sessions->setAutosaveInterval(0);  // a picture run leaves nothing to recover
    bool dataOk = false;
    bool modelOk = false;
    if (parser.isSet(sessionOption)) {
        dataOk = modelOk = sessions->open(parser.value(sessionOption));
    } else {
        dataOk = window.loadDataset(parser.value(dataOption));
        if (parser.isSet(modelOption)) {
            QString error;
            modelOk = window.builder()->loadFile(parser.value(modelOption), &error);
            if (!modelOk)
                window.banner()->showMessage(error);
        } else {
            modelOk = window.loadPreset(parser.value(presetOption));
        }
        sessions->markClean();  // the start-up model is no work of the person's yet
    }
    if (parser.isSet(probeOption) && dataOk)
        window.setProbeImages({parser.value(probeOption)});  // a file that cannot be used is reported in the window
    if (!viewName.isEmpty())
        window.raiseView(viewName);
    const bool inspecting = parser.isSet(inspectOption);
    if (inspecting) {  // the model and image are the subject: no training, picture of the inspector
        window.raiseView(QStringLiteral("inspector"));
        modelOk = window.inspector()->openModel(parser.value(inspectOption));
        if (modelOk && parser.isSet(inspectImageOption))
            modelOk = window.inspector()->setImageFile(parser.value(inspectImageOption));
        if (parser.isSet(screenshotOption))
            for (QDockWidget* dock : window.findChildren<QDockWidget*>())
                dock->hide();  // the picture is of the inspector
    }

    if (parser.isSet(screenshotOption)) {
        const QString path = parser.value(screenshotOption);
        if (parser.isSet(noDocksOption))
            for (QDockWidget* dock : window.findChildren<QDockWidget*>())
                dock->close();
        if (parser.isSet(noDocksOption))
            window.resize(1600, 1000);  // the docks' minimum widths no longer hold it wider
        // A race trains its own models: the main one needs no training unless asked for.
        const long long mainSteps = parser.isSet(raceOption) && !parser.isSet(stepsOption) ? 0 : steps;
        if (dataOk && modelOk && mainSteps > 0 && !inspecting && !window.trainSteps(mainSteps))
            std::fprintf(stderr, "layerlens: training did not reach %lld steps; the picture shows where it got\n", mainSteps);
        bool labOk = true;
        if (dataOk && modelOk && parser.isSet(debugOption) && !stepDebugger(window, debugSteps)) {
            std::fprintf(stderr, "layerlens: the backprop debugger cannot debug this model on this data\n");
            labOk = false;
        }
        if (dataOk && modelOk && parser.isSet(raceOption)
            && !runRace(window, static_cast<layerlens::core::RaceKind>(raceKind), raceSteps)) {
            std::fprintf(stderr, "layerlens: the race did not finish\n");
            labOk = false;
        }
        for (int i = 0; i < 10; ++i)
            QApplication::processEvents();
        const QImage image = window.grab().toImage();
        if (image.isNull() || !image.save(path)) {
            std::fprintf(stderr, "layerlens: cannot write the screenshot to %s\n", qPrintable(QFileInfo(path).absoluteFilePath()));
            return 1;
        }
        std::printf("%s\n", qPrintable(QFileInfo(path).absoluteFilePath()));
        return dataOk && modelOk && labOk ? 0 : 1;
    }

    // A crash left work behind: offer it, and do not start training over the offer. An opened
    // session waits for the person too.
    const bool recovering = sessions->offerRecovery();
    // Something visibly learns within seconds of opening the program.
    if (dataOk && modelOk && !parser.isSet(pausedOption) && !recovering && !parser.isSet(sessionOption) && !inspecting)
        QTimer::singleShot(0, &window, [&window] { emit window.controls()->startRequested(); });
    return QApplication::exec();
}
