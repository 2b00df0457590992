// ProbeImages: image files as probe inputs in the model's input shape, scaled as the image
// datasets are; files that are not images and models that take no images give clear errors.

#include <QtTest>

#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "core/io/probe_images.h"

using namespace layerlens::core;

namespace {

bool throwsMentioning(const std::vector<std::string>& paths, const Shape& shape, const std::string& words)
{
    try {
        ProbeImages::load(paths, shape);
    } catch (const std::runtime_error& e) {
        return std::string(e.what()).find(words) != std::string::npos;
    }
    return false;
}

}  // namespace

class TestProbeImages : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return (m_dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        cv::Mat gray(8, 8, CV_8UC1);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x)
                gray.at<unsigned char>(y, x) = static_cast<unsigned char>(y * 32 + x);
        QVERIFY(cv::imwrite(path("gray.png"), gray));
        cv::Mat color(4, 4, CV_8UC3, cv::Scalar(10, 20, 200));  // B, G, R
        QVERIFY(cv::imwrite(path("red.bmp"), color));
        std::ofstream(path("notes.txt")) << "not a picture";
        std::ofstream(path("broken.png")) << "not a png either";
    }

    void grayscaleAtTheModelsSize()
    {
        const ProbeImages probes = ProbeImages::load({path("gray.png"), path("red.bmp")}, {1, 8, 8});
        QCOMPARE(probes.images.shape(), (Shape{2, 1, 8, 8}));
        QCOMPARE(probes.names, (std::vector<std::string>{"gray.png", "red.bmp"}));
        QCOMPARE(probes.images[0], 0.0f);
        QCOMPARE(probes.images[3 * 8 + 5], static_cast<float>(3 * 32 + 5) / 255.0f);
        // The colour image in gray: one value everywhere, between its channels' values.
        const float v = probes.images[64];
        QVERIFY(v > 10.0f / 255.0f && v < 200.0f / 255.0f);
        QCOMPARE(probes.images[64 + 63], v);
    }

    void colourInRgbOrderResized()
    {
        const ProbeImages probes = ProbeImages::load({path("red.bmp")}, {3, 2, 2});
        QCOMPARE(probes.images.shape(), (Shape{1, 3, 2, 2}));
        QCOMPARE(probes.images[0], 200.0f / 255.0f);      // R plane first
        QCOMPARE(probes.images[4], 20.0f / 255.0f);       // G
        QCOMPARE(probes.images[8 + 3], 10.0f / 255.0f);   // B
    }

    void clearErrors()
    {
        QVERIFY(throwsMentioning({path("notes.txt")}, {1, 8, 8}, "notes.txt: not an image file"));
        QVERIFY(throwsMentioning({path("broken.png")}, {1, 8, 8}, "cannot read the image"));
        QVERIFY(throwsMentioning({path("missing.png")}, {1, 8, 8}, "missing.png"));
        QVERIFY(throwsMentioning({path("gray.png")}, {2}, "not images"));
        QVERIFY(throwsMentioning({path("gray.png")}, {4, 8, 8}, "not images"));
        QVERIFY(throwsMentioning({}, {1, 8, 8}, "no image file"));
    }
};

QTEST_GUILESS_MAIN(TestProbeImages)
#include "test_probe_images.moc"
