// IdxReader: MNIST-format files, raw and gzip, and the errors for broken ones; the real
// Fashion-MNIST files when the Debian package is installed.
#include "core/data/data_test_files.h"
#include "core/data/dataset.h"
#include "core/data/idx_reader.h"
#include "core/rng.h"

#include <QtTest>
#include <filesystem>

using namespace layerlens::core;
using namespace layerlens::testing;

namespace {
// Three 2x3 images whose pixels encode (image, position); labels 4, 0, 9.
std::vector<std::uint8_t> pixels()
{
    std::vector<std::uint8_t> p;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 6; ++j)
            p.push_back(static_cast<std::uint8_t>(i * 50 + j));
    return p;
}
const std::vector<std::uint8_t> labels { 4, 0, 9 };
const std::vector<std::string> digits { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

// Runs f, which must throw std::runtime_error whose message contains every part.
template <typename F> void expectError(F f, std::initializer_list<const char*> parts)
{
    try {
        f();
        QFAIL("no exception");
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        for (const char* part : parts)
            QVERIFY2(message.find(part) != std::string::npos, (message + "  (missing: " + part + ")").c_str());
    }
}
} // namespace

class TestIdxReader : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("raw") << false;
        QTest::newRow("gzip") << true;
    }

    void roundTrip()
    {
        QFETCH(bool, gzip);
        QTemporaryDir dir;
        const std::string images = dir.filePath("images").toStdString();
        const std::string labelFile = dir.filePath("labels").toStdString();
        writeIdx(images, 2051, { 3, 2, 3 }, pixels(), gzip);
        writeIdx(labelFile, 2049, { 3 }, labels, gzip);

        IdxReader reader(images, IdxReader::imagesMagic);
        QCOMPARE(reader.dims(), (std::vector<int> { 3, 2, 3 }));
        QCOMPARE(reader.itemSize(), std::size_t(6));

        auto data = IdxReader::loadPair(images, labelFile, "tiny", digits);
        QCOMPARE(data->size(), std::size_t(3));
        QCOMPARE(data->sampleShape(), (Shape { 1, 2, 3 }));
        QCOMPARE(data->label(0), 4);
        QCOMPARE(data->label(2), 9);
        float out[6];
        data->copySample(2, out);
        QCOMPARE(out[0], 100.0f / 255.0f);
        QCOMPARE(out[5], 105.0f / 255.0f);

        auto limited = IdxReader::loadPair(images, labelFile, "tiny", digits, 2);
        QCOMPARE(limited->size(), std::size_t(2));
    }

    void deflateFixture()
    {
        // Real deflate-compressed files (tests/data/data/make_fixtures.py), as MNIST ships them.
        const std::string dir = LAYERLENS_TEST_DATA_DIR "/data/";
        auto data
            = IdxReader::loadPair(dir + "tiny-images-idx3-ubyte.gz", dir + "tiny-labels-idx1-ubyte.gz", "tiny", digits);
        QCOMPARE(data->size(), std::size_t(4));
        QCOMPARE(data->sampleShape(), (Shape { 1, 3, 5 }));
        QCOMPARE(data->classCounts(), (std::vector<int> { 1, 1, 1, 0, 0, 0, 0, 1, 0, 0 }));
        QCOMPARE(data->label(0), 7);
        QCOMPARE(data->label(3), 0);
        float out[15];
        data->copySample(3, out);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 5; ++c)
                QCOMPARE(out[r * 5 + c], float((3 * 40 + r * 5 + c) % 256) / 255.0f);
    }

    void wrongMagic()
    {
        QTemporaryDir dir;
        const std::string labelFile = dir.filePath("labels").toStdString();
        writeIdx(labelFile, 2049, { 3 }, labels, false);
        // A labels file where an images file belongs.
        expectError([&] { IdxReader(labelFile, IdxReader::imagesMagic); }, { "labels", "2049", "expected 2051" });
        const std::string garbage = dir.filePath("garbage").toStdString();
        writeBytes(garbage, { 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!' });
        expectError([&] { IdxReader(garbage, IdxReader::labelsMagic); }, { "garbage", "expected 2049" });
    }

    void truncated_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("raw") << false;
        QTest::newRow("gzip") << true;
    }

    void truncated()
    {
        QFETCH(bool, gzip);
        QTemporaryDir dir;
        const std::string images = dir.filePath("short-images").toStdString();
        const std::string labelFile = dir.filePath("labels").toStdString();
        auto few = pixels();
        few.resize(10); // one and a bit images of the three promised
        writeIdx(images, 2051, { 3, 2, 3 }, few, gzip);
        writeIdx(labelFile, 2049, { 3 }, labels, gzip);
        expectError([&] { IdxReader::loadPair(images, labelFile, "x", digits); },
            { "short-images", "truncated", "3 items", "after item 1" });

        const std::string header = dir.filePath("header-only").toStdString();
        writeBytes(header, { 0, 0, 8, 3, 0, 0 });
        expectError([&] { IdxReader(header, IdxReader::imagesMagic); }, { "header-only", "header" });
    }

    void countMismatch()
    {
        QTemporaryDir dir;
        const std::string images = dir.filePath("images").toStdString();
        const std::string labelFile = dir.filePath("labels").toStdString();
        writeIdx(images, 2051, { 3, 2, 3 }, pixels(), true);
        writeIdx(labelFile, 2049, { 2 }, { 4, 0 }, true);
        expectError([&] { IdxReader::loadPair(images, labelFile, "x", digits); },
            { "images", "3 images", "labels", "2 labels" });
    }

    void absurdDimensions()
    {
        QTemporaryDir dir;
        const std::string images = dir.filePath("huge").toStdString();
        writeIdx(images, 2051, { 100000, 60000, 60000 }, {}, false);
        expectError([&] { IdxReader(images, IdxReader::imagesMagic); }, { "huge", "bytes" });
        const std::string zero = dir.filePath("zero").toStdString();
        writeIdx(zero, 2051, { 1, 0, 28 }, {}, false);
        expectError([&] { IdxReader(zero, IdxReader::imagesMagic); }, { "zero", "dimension 1" });
    }

    void labelOutOfRange()
    {
        QTemporaryDir dir;
        const std::string images = dir.filePath("images").toStdString();
        const std::string labelFile = dir.filePath("labels").toStdString();
        writeIdx(images, 2051, { 3, 2, 3 }, pixels(), false);
        writeIdx(labelFile, 2049, { 3 }, { 1, 12, 0 }, false);
        expectError([&] { IdxReader::loadPair(images, labelFile, "x", digits); }, { "labels", "label 12", "index 1" });
    }

    void corruptFilesNeverCrash()
    {
        // Damaged bytes anywhere (header, payload, gzip framing) give a result or a
        // std::runtime_error, never a crash or another exception type.
        QTemporaryDir dir;
        const std::string images = dir.filePath("images").toStdString();
        const std::string labelFile = dir.filePath("labels").toStdString();
        Rng rng(11);
        int errors = 0;
        for (int round = 0; round < 200; ++round) {
            const bool gzip = round % 2 == 1;
            auto imageBytes = idxBytes(2051, { 3, 2, 3 }, pixels());
            auto labelBytes = idxBytes(2049, { 3 }, labels);
            if (gzip) {
                imageBytes = gzipStored(imageBytes);
                labelBytes = gzipStored(labelBytes);
            }
            auto& victim = rng.uniformInt(2) == 0 ? imageBytes : labelBytes;
            const int hits = 1 + rng.uniformInt(3);
            for (int h = 0; h < hits; ++h)
                victim[static_cast<std::size_t>(rng.uniformInt(static_cast<int>(victim.size())))]
                    = static_cast<std::uint8_t>(rng.uniformInt(256));
            if (rng.uniformInt(4) == 0)
                victim.resize(static_cast<std::size_t>(rng.uniformInt(static_cast<int>(victim.size()))));
            writeBytes(images, imageBytes);
            writeBytes(labelFile, labelBytes);
            try {
                auto data = IdxReader::loadPair(images, labelFile, "x", digits);
                QVERIFY(data->size() <= 3);
            } catch (const std::runtime_error&) {
                ++errors;
            }
        }
        QVERIFY(errors > 30); // the damage was real
    }

    void missingFile()
    {
        expectError([] { IdxReader("/nonexistent/train-images-idx3-ubyte.gz", IdxReader::imagesMagic); },
            { "/nonexistent/train-images-idx3-ubyte.gz" });
    }

    void findFileSpellings()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        QCOMPARE(IdxReader::findFile(folder, "train-images-idx3-ubyte"), std::string());
        writeBytes(folder + "/train-images.idx3-ubyte", { 0 });
        QCOMPARE(IdxReader::findFile(folder, "train-images-idx3-ubyte"), folder + "/train-images.idx3-ubyte");
        writeBytes(folder + "/train-images-idx3-ubyte.gz", { 0 });
        QCOMPARE(IdxReader::findFile(folder, "train-images-idx3-ubyte"), folder + "/train-images-idx3-ubyte.gz");
    }

    void mnistSpecReadsAFolder()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        writeIdx(folder + "/t10k-images-idx3-ubyte", 2051, { 3, 2, 3 }, pixels(), false);
        writeIdx(folder + "/t10k-labels-idx1-ubyte", 2049, { 3 }, labels, false);
        auto data = loadDataset("mnist:" + folder + ":test");
        QCOMPARE(data->size(), std::size_t(3));
        QCOMPARE(data->classNames().at(4), std::string("4"));
        QCOMPARE(data->label(0), 4);
        auto same = loadDataset("mnist:" + folder + "?split=test&limit=1");
        QCOMPARE(same->size(), std::size_t(1));
        expectError([&] { loadDataset("mnist:" + folder); }, { folder.c_str(), "train-images-idx3-ubyte" });
    }

    void fashionMnist_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("firstLabel");
        QTest::addColumn<int>("secondLabel");
        QTest::newRow("train") << "fashion-mnist" << 60000 << 9 << 0;
        QTest::newRow("test") << "fashion-mnist:test" << 10000 << 9 << 2;
    }

    void fashionMnist()
    {
        if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("Debian package dataset-fashion-mnist is not installed");
        QFETCH(QString, spec);
        QFETCH(int, count);
        QFETCH(int, firstLabel);
        QFETCH(int, secondLabel);
        qunsetenv("LAYERLENS_FASHION_MNIST_DIR");
        auto data = loadDataset(spec.toStdString());
        QCOMPARE(data->size(), std::size_t(count));
        QCOMPARE(data->sampleShape(), (Shape { 1, 28, 28 }));
        QCOMPARE(data->classCount(), 10);
        QCOMPARE(data->classNames().front(), std::string("T-shirt/top"));
        QCOMPARE(data->classNames().back(), std::string("Ankle boot"));
        QCOMPARE(data->label(0), firstLabel);
        QCOMPARE(data->label(1), secondLabel);
        const auto counts = data->classCounts();
        for (int c : counts)
            QCOMPARE(c, count / 10); // Fashion-MNIST is exactly balanced
        std::vector<float> image(784);
        data->copySample(0, image.data());
        float sum = 0;
        for (float v : image) {
            QVERIFY(v >= 0.0f && v <= 1.0f);
            sum += v;
        }
        QVERIFY(sum > 10.0f); // a real picture, not zeros
    }

    void fashionMnistDirFromEnvironment()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        writeIdx(folder + "/train-images-idx3-ubyte.gz", 2051, { 3, 2, 3 }, pixels(), true);
        writeIdx(folder + "/train-labels-idx1-ubyte.gz", 2049, { 3 }, labels, true);
        qputenv("LAYERLENS_FASHION_MNIST_DIR", QByteArray::fromStdString(folder));
        auto data = loadDataset("fashion-mnist");
        qunsetenv("LAYERLENS_FASHION_MNIST_DIR");
        QCOMPARE(data->size(), std::size_t(3));
        QCOMPARE(data->classNames().at(9), std::string("Ankle boot"));
        expectError(
            [&] { loadDataset("fashion-mnist:" + folder + "/missing"); }, { "missing", "dataset-fashion-mnist" });
    }
};

QTEST_APPLESS_MAIN(TestIdxReader)
#include "test_idx_reader.moc"
