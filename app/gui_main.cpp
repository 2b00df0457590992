// layerlens: the desktop program. Parses the command line, checks for a display, and opens the
// main window with a model that starts learning at once.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QImage>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "ui/main_window.h"
#include "ui/session_manager.h"
#include "ui/training_session.h"
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
    // Not "--session": QApplication takes that one for the desktop's session management.
    const QCommandLineOption sessionOption(QStringLiteral("open"), QStringLiteral("Open a saved session (.llsession) instead of data and a model."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption inspectOption(QStringLiteral("inspect"), QStringLiteral("Open a model file (.onnx, .h5, .keras, .llmodel) in the Inspector."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption inspectImageOption(QStringLiteral("inspect-image"), QStringLiteral("With --inspect: run this image through the model."),
                                                QStringLiteral("IMG"));
    parser.addOptions({screenshotOption, presetOption, modelOption, dataOption, stepsOption, viewOption, themeOption, pausedOption, sessionOption,
                       inspectOption, inspectImageOption});
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
        if (dataOk && modelOk && steps > 0 && !inspecting && !window.trainSteps(steps))
            std::fprintf(stderr, "layerlens: training did not reach %lld steps; the picture shows where it got\n", steps);
        for (int i = 0; i < 10; ++i)
            QApplication::processEvents();
        const QImage image = window.grab().toImage();
        if (image.isNull() || !image.save(path)) {
            std::fprintf(stderr, "layerlens: cannot write the screenshot to %s\n", qPrintable(QFileInfo(path).absoluteFilePath()));
            return 1;
        }
        std::printf("%s\n", qPrintable(QFileInfo(path).absoluteFilePath()));
        return dataOk && modelOk ? 0 : 1;
    }

    // A crash left work behind: offer it, and do not start training over the offer. An opened
    // session waits for the person too.
    const bool recovering = sessions->offerRecovery();
    // Something visibly learns within seconds of opening the program.
    if (dataOk && modelOk && !parser.isSet(pausedOption) && !recovering && !parser.isSet(sessionOption) && !inspecting)
        QTimer::singleShot(0, &window, [&window] { emit window.controls()->startRequested(); });
    return QApplication::exec();
}
