// The screenshot modes of the layerlens program that make the README's debugger and race
// pictures, run as a user runs them (offscreen): the PNG is written, has the window's size and
// is not blank; bad option values are refused.

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <set>

namespace {

int distinctColors(const QImage& image)
{
    std::set<QRgb> colors;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colors.insert(image.pixel(x, y));
    return static_cast<int>(colors.size());
}

}  // namespace

class TestScreenshotModes : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Runs layerlens with these arguments; its exit code (-1 when it did not end in time).
    int run(const QStringList& arguments, QString* output = nullptr)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path());  // never the user's settings
        env.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2"));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(LAYERLENS_GUI_EXE), arguments);
        if (!process.waitForFinished(120000)) {
            process.kill();
            return -1;
        }
        if (output)
            *output = QString::fromLocal8Bit(process.readAll());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void pictures_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const QString spiral = QStringLiteral("spiral?n=300&classes=3&noise=0.1&seed=1");
        const QString model = QStringLiteral(LAYERLENS_SOURCE_DIR "/resources/networks/spiral_mlp.json");
        QTest::newRow("backprop") << QStringList{QStringLiteral("--data"), spiral, QStringLiteral("--model"), model,
                                                 QStringLiteral("--train-steps"), QStringLiteral("5"),
                                                 QStringLiteral("--debug-steps"), QStringLiteral("7")};
        QTest::newRow("race") << QStringList{QStringLiteral("--data"), spiral, QStringLiteral("--race"), QStringLiteral("optimizers"),
                                             QStringLiteral("--race-steps"), QStringLiteral("20"), QStringLiteral("--no-docks")};
    }

    void pictures()
    {
        QFETCH(QStringList, arguments);
        const QString path = m_dir.path() + QLatin1Char('/') + QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".png");
        QString output;
        QCOMPARE(run(QStringList{QStringLiteral("--screenshot"), path} + arguments, &output), 0);
        QVERIFY2(output.contains(path), qPrintable(output));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        QVERIFY2(distinctColors(image) > 40, qPrintable(QString::number(distinctColors(image))));
    }

    void refusesBadValues()
    {
        const QString path = m_dir.path() + QStringLiteral("/never.png");
        QCOMPARE(run({QStringLiteral("--screenshot"), path, QStringLiteral("--race"), QStringLiteral("colours")}), 2);
        QCOMPARE(run({QStringLiteral("--screenshot"), path, QStringLiteral("--debug-steps"), QStringLiteral("-3")}), 2);
        QCOMPARE(run({QStringLiteral("--screenshot"), path, QStringLiteral("--race"), QStringLiteral("losses"),
                      QStringLiteral("--race-steps"), QStringLiteral("0")}),
                 2);
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestScreenshotModes)
#include "test_screenshot_modes.moc"
