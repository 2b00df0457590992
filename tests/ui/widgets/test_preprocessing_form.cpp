// PreprocessingForm: shows and edits core::ImagePreprocessing without losing anything.

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "ui/widgets/preprocessing_form.h"

using namespace layerlens;

class TestPreprocessingForm : public QObject {
    Q_OBJECT
private slots:
    void roundTrip()
    {
        core::ImagePreprocessing in;
        in.channels = 3;
        in.width = 224;
        in.height = 160;
        in.scale = 1.0f / 255.0f;
        const float mean[3] = {0.485f, 0.456f, 0.406f}, stddev[3] = {0.229f, 0.224f, 0.225f};
        std::copy(mean, mean + 3, in.mean);
        std::copy(stddev, stddev + 3, in.stddev);
        in.bgrOrder = true;
        in.invert = true;
        ui::PreprocessingForm form;
        QSignalSpy changed(&form, &ui::PreprocessingForm::changed);
        form.setSettings(in);
        QCOMPARE(changed.count(), 0);  // setting is not an edit
        const core::ImagePreprocessing out = form.settings();
        QCOMPARE(out.channels, 3);
        QCOMPARE(out.width, 224);
        QCOMPARE(out.height, 160);
        QVERIFY(out.bgrOrder);
        QVERIFY(out.invert);
        QVERIFY(std::abs(out.scale - in.scale) < 1e-6f);
        for (int c = 0; c < 3; ++c) {
            QVERIFY(std::abs(out.mean[c] - in.mean[c]) < 1e-4f);
            QVERIFY(std::abs(out.stddev[c] - in.stddev[c]) < 1e-4f);
        }
    }

    void editsEmitChanged()
    {
        ui::PreprocessingForm form;
        QSignalSpy changed(&form, &ui::PreprocessingForm::changed);
        form.widthBox()->setValue(64);
        form.colorBox()->setCurrentIndex(1);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(form.settings().width, 64);
        QCOMPARE(form.settings().channels, 3);
        QVERIFY(!form.settings().bgrOrder);
    }

    void oneValueMeansEveryChannel()
    {
        ui::PreprocessingForm form;
        core::ImagePreprocessing in;
        in.channels = 3;
        form.setSettings(in);
        auto* mean = form.findChild<QLineEdit*>(QStringLiteral("meanEdit"));
        auto* stddev = form.findChild<QLineEdit*>(QStringLiteral("stdEdit"));
        QVERIFY(mean && stddev);
        mean->setText(QStringLiteral("0.5"));
        stddev->setText(QStringLiteral("0"));  // would divide by zero: treated as 1
        const core::ImagePreprocessing out = form.settings();
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(out.mean[c], 0.5f);
            QCOMPARE(out.stddev[c], 1.0f);
        }
    }
};

QTEST_MAIN(TestPreprocessingForm)
#include "test_preprocessing_form.moc"
