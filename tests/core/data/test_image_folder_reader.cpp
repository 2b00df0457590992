// ImageFolderReader: class subfolders of images (written by hand as PPM/PGM/BMP, which
// OpenCV decodes), resizing, RGB order, grayscale, limit and the unreadable-file error.
#include "core/data/data_test_files.h"
#include "core/data/dataset.h"
#include "core/data/image_folder_reader.h"

#include <QtTest>

using namespace layerlens::core;
using namespace layerlens::testing;

namespace {
std::vector<std::uint8_t> solid(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b)
{
    std::vector<std::uint8_t> p;
    for (int i = 0; i < w * h; ++i)
        p.insert(p.end(), { r, g, b });
    return p;
}

// cats: 2 red images; dogs: 1 blue BMP and 1 gray PGM; plus a README that must be ignored.
void makeFolder(const QTemporaryDir& dir)
{
    QDir root(dir.path());
    root.mkdir("dogs");
    root.mkdir("cats");
    const std::string base = dir.path().toStdString();
    writePnm(base + "/cats/a.ppm", 8, 6, solid(8, 6, 255, 0, 0));
    writePnm(base + "/cats/b.ppm", 4, 4, solid(4, 4, 200, 0, 0));
    writeBmp(base + "/dogs/x.bmp", 5, 7, solid(5, 7, 0, 0, 255));
    writePnm(base + "/dogs/y.pgm", 3, 3, std::vector<std::uint8_t>(9, 128));
    writeBytes(base + "/dogs/README.txt", { 'h', 'i' });
}
} // namespace

class TestImageFolderReader : public QObject {
    Q_OBJECT

private slots:
    void readsClassesInSortedOrder()
    {
        QTemporaryDir dir;
        makeFolder(dir);
        auto data = loadDataset("images:" + dir.path().toStdString() + "?size=16&channels=3");
        QCOMPARE(data->size(), std::size_t(4));
        QCOMPARE(data->classNames(), (std::vector<std::string> { "cats", "dogs" }));
        QCOMPARE(data->sampleShape(), (Shape { 3, 16, 16 }));
        QCOMPARE(data->classCounts(), (std::vector<int> { 2, 2 }));
        // Round-robin order: cats/a, dogs/x, cats/b, dogs/y.
        QCOMPARE(data->label(0), 0);
        QCOMPARE(data->label(1), 1);
        std::vector<float> image(3 * 16 * 16);
        data->copySample(0, image.data()); // red: R plane 1, G and B planes 0
        QCOMPARE(image[0], 1.0f);
        QCOMPARE(image[255], 1.0f);
        QCOMPARE(image[256], 0.0f);
        QCOMPARE(image[512], 0.0f);
        data->copySample(1, image.data()); // blue BMP: order must be RGB, not OpenCV's BGR
        QCOMPARE(image[0], 0.0f);
        QCOMPARE(image[512 + 100], 1.0f);
        data->copySample(3, image.data()); // gray PGM expanded to three equal planes
        QCOMPARE(image[0], 128.0f / 255.0f);
        QCOMPARE(image[256], 128.0f / 255.0f);
    }

    void pngFixture()
    {
        // Real PNGs (tests/data/data/make_fixtures.py): 8-bit RGB, RGBA and 16-bit RGB.
        auto data = loadDataset("images:" LAYERLENS_TEST_DATA_DIR "/data/png-folder?size=8");
        QCOMPARE(data->classNames(), (std::vector<std::string> { "green", "red" }));
        QCOMPARE(data->size(), std::size_t(3)); // notes.txt ignored
        QCOMPARE(data->sampleShape(), (Shape { 3, 8, 8 }));
        // Round-robin order: green/g1, red/r1, red/r2.
        std::vector<float> image(3 * 64);
        data->copySample(0, image.data()); // 16-bit green scaled to 8 bits
        QCOMPARE(image[0], 0.0f);
        QCOMPARE(image[64], 1.0f);
        QCOMPARE(image[128], 0.0f);
        data->copySample(2, image.data()); // RGBA: colour kept, alpha dropped
        QCOMPARE(image[5], 200.0f / 255.0f);
        QCOMPARE(image[64 + 5], 0.0f);
        QCOMPARE(data->label(2), 1);
    }

    void grayscaleAndLimit()
    {
        QTemporaryDir dir;
        makeFolder(dir);
        auto data = ImageFolderReader::load(dir.path().toStdString(), 8, 1, 2);
        QCOMPARE(data->size(), std::size_t(2));
        QCOMPARE(data->sampleShape(), (Shape { 1, 8, 8 }));
        QCOMPARE(data->classCounts(), (std::vector<int> { 1, 1 })); // the limit keeps both classes
        std::vector<float> image(64);
        data->copySample(1, image.data()); // pure blue in gray: 0.114 * 255 = 29
        QVERIFY(std::abs(image[10] - 29.0f / 255.0f) < 1.5f / 255.0f);
    }

    void unreadableImageNamesTheFile()
    {
        QTemporaryDir dir;
        makeFolder(dir);
        writeBytes(dir.path().toStdString() + "/cats/broken.png", { 'n', 'o', 't', ' ', 'a', ' ', 'p', 'n', 'g' });
        try {
            loadDataset("images:" + dir.path().toStdString());
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find("cats/broken.png") != std::string::npos, error.what());
        }
    }

    void folderErrors()
    {
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, loadDataset("images:/nonexistent/folder"));
        QTemporaryDir dir;
        QDir(dir.path()).mkdir("only");
        writePnm(dir.path().toStdString() + "/only/a.pgm", 2, 2, { 1, 2, 3, 4 });
        try {
            loadDataset("images:" + dir.path().toStdString());
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find("at least 2") != std::string::npos, error.what());
        }
        QDir(dir.path()).mkdir("empty");
        try {
            loadDataset("images:" + dir.path().toStdString());
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find("'empty'") != std::string::npos, error.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestImageFolderReader)
#include "test_image_folder_reader.moc"
