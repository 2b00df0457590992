// CifarReader: the binary batch format, via small synthetic batch files.
#include "core/data/cifar_reader.h"
#include "core/data/data_test_files.h"

#include <QtTest>

using namespace layerlens::core;
using namespace layerlens::testing;

namespace {
// One record: label, then R, G, B planes filled with recognisable values.
void appendRecord(std::vector<std::uint8_t>& out, std::uint8_t label, std::uint8_t r, std::uint8_t g, std::uint8_t b)
{
    out.push_back(label);
    out.insert(out.end(), 1024, r);
    out.insert(out.end(), 1024, g);
    out.insert(out.end(), 1024, b);
}

std::string messageOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "no exception";
}
} // namespace

class TestCifarReader : public QObject {
    Q_OBJECT

private slots:
    void readsTestBatch()
    {
        QTemporaryDir dir;
        std::vector<std::uint8_t> batch;
        appendRecord(batch, 3, 255, 0, 51);
        appendRecord(batch, 9, 0, 102, 0);
        batch[1 + 1024 + 5] = 204; // one green pixel of record 0, at (0, 5)
        writeBytes(dir.filePath("test_batch.bin").toStdString(), batch);

        auto data = CifarReader::load(dir.path().toStdString(), true);
        QCOMPARE(data->size(), std::size_t(2));
        QCOMPARE(data->sampleShape(), (Shape { 3, 32, 32 }));
        QCOMPARE(data->label(0), 3);
        QCOMPARE(data->label(1), 9);
        QCOMPARE(data->classNames().at(3), std::string("cat"));
        std::vector<float> image(3072);
        data->copySample(0, image.data());
        QCOMPARE(image[0], 1.0f);
        QCOMPARE(image[1024], 0.0f);
        QCOMPARE(image[1024 + 5], 0.8f);
        QCOMPARE(image[2048], 0.2f);
        QCOMPARE(data->name(), std::string("CIFAR-10 (test)"));

        auto limited = CifarReader::load(dir.path().toStdString(), true, 1);
        QCOMPARE(limited->size(), std::size_t(1));
    }

    void readsTrainBatchesAndNames()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("cifar-10-batches-bin"));
        const std::string folder = dir.filePath("cifar-10-batches-bin").toStdString();
        for (int i = 1; i <= 5; ++i) {
            std::vector<std::uint8_t> batch;
            appendRecord(batch, static_cast<std::uint8_t>(i), 10, 20, 30);
            writeBytes(folder + "/data_batch_" + std::to_string(i) + ".bin", batch);
        }
        QFile meta(QString::fromStdString(folder + "/batches.meta.txt"));
        QVERIFY(meta.open(QIODevice::WriteOnly));
        meta.write("a0\na1\na2\na3\na4\na5\na6\na7\na8\na9\n\n");
        meta.close();
        // The parent folder works too: the reader looks for cifar-10-batches-bin inside.
        auto data = loadDataset("cifar10:" + dir.path().toStdString());
        QCOMPARE(data->size(), std::size_t(5));
        QCOMPARE(data->label(4), 5);
        QCOMPARE(data->classNames().at(2), std::string("a2"));
    }

    void rejectsBadFileSize()
    {
        QTemporaryDir dir;
        std::vector<std::uint8_t> batch;
        appendRecord(batch, 1, 0, 0, 0);
        batch.resize(batch.size() - 7);
        writeBytes(dir.filePath("test_batch.bin").toStdString(), batch);
        const std::string message = messageOf([&] { CifarReader::load(dir.path().toStdString(), true); });
        QVERIFY2(message.find("test_batch.bin") != std::string::npos, message.c_str());
        QVERIFY2(message.find("3066 bytes") != std::string::npos, message.c_str());
        QVERIFY2(message.find("multiple of 3073") != std::string::npos, message.c_str());
    }

    void rejectsBadLabelAndMissingBatch()
    {
        QTemporaryDir dir;
        std::vector<std::uint8_t> batch;
        appendRecord(batch, 10, 0, 0, 0);
        writeBytes(dir.filePath("test_batch.bin").toStdString(), batch);
        std::string message = messageOf([&] { CifarReader::load(dir.path().toStdString(), true); });
        QVERIFY2(message.find("label 10") != std::string::npos, message.c_str());

        message = messageOf([&] { CifarReader::load(dir.path().toStdString(), false); });
        QVERIFY2(message.find("data_batch_1.bin") != std::string::npos, message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestCifarReader)
#include "test_cifar_reader.moc"
