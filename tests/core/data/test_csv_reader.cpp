// CsvReader: header detection, string and numeric labels, label column choice, and errors
// that name the file, line and column.
#include "core/data/csv_reader.h"
#include "core/data/dataset.h"
#include "core/rng.h"

#include <QtTest>
#include <fstream>

using namespace layerlens::core;

namespace {
std::string writeText(const QTemporaryDir& dir, const char* name, const char* text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return path.toStdString();
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

class TestCsvReader : public QObject {
    Q_OBJECT

private slots:
    void headerAndStringLabels()
    {
        QTemporaryDir dir;
        const auto path = writeText(dir, "iris.csv",
            "sepal,petal,species\n"
            "5.1, 1.4, setosa\n"
            "\n"
            "7.0,4.7,versicolor\n"
            "6.3,\"6.0\",virginica\n"
            "4.9,1.4,setosa\n");
        auto data = loadDataset("csv:" + path);
        QCOMPARE(data->size(), std::size_t(4));
        QCOMPARE(data->sampleShape(), (Shape { 2 }));
        QCOMPARE(data->classNames(), (std::vector<std::string> { "setosa", "versicolor", "virginica" }));
        QCOMPARE(data->label(0), 0);
        QCOMPARE(data->label(2), 2);
        float x[2];
        data->copySample(2, x);
        QCOMPARE(x[0], 6.3f);
        QCOMPARE(x[1], 6.0f);
    }

    void labelColumnByNameOrFirst()
    {
        QTemporaryDir dir;
        const auto path = writeText(dir, "t.csv", "a,kind,b\n1,x,2\n3,y,4\n");
        auto data = CsvReader::load(path, "kind");
        QCOMPARE(data->size(), std::size_t(2));
        float x[2];
        data->copySample(1, x);
        QCOMPARE(x[0], 3.0f);
        QCOMPARE(x[1], 4.0f);
        QCOMPARE(data->label(1), 1);

        const auto first = writeText(dir, "f.csv", "10,0.5,0.25\n2,1,1\n10,3,3\n");
        DatasetPtr loaded = loadDataset("csv:" + first + "?label=first");
        QCOMPARE(loaded->classNames(), (std::vector<std::string> { "2", "10" })); // numeric order, not text order
        QCOMPARE(loaded->label(0), 1);
        QCOMPARE(loaded->size(), std::size_t(3)); // no header: every feature field is a number
    }

    void headerOptionAndLimit()
    {
        QTemporaryDir dir;
        const auto path = writeText(dir, "n.csv", "1;2;0\n3;4;1\n5;6;0\n");
        auto data = loadDataset("csv:" + path + "?header=yes&limit=1");
        QCOMPARE(data->size(), std::size_t(1));
        float x[2];
        data->copySample(0, x);
        QCOMPARE(x[0], 3.0f); // the first line was taken as a header
    }

    void malformedLineNamesLine()
    {
        QTemporaryDir dir;
        const auto path = writeText(dir, "bad.csv", "a,b,label\n1,2,x\n3,4,y\n5,y\n");
        std::string message = messageOf([&] { loadDataset("csv:" + path); });
        QVERIFY2(message.find("bad.csv") != std::string::npos, message.c_str());
        QVERIFY2(message.find("line 4") != std::string::npos, message.c_str());
        QVERIFY2(message.find("found 2 columns, expected 3") != std::string::npos, message.c_str());

        const auto text = writeText(dir, "text.csv", "a,b,label\n1,2,x\n3,oops,y\n");
        message = messageOf([&] { loadDataset("csv:" + text); });
        QVERIFY2(message.find("line 3") != std::string::npos, message.c_str());
        QVERIFY2(message.find("column 2 ('b')") != std::string::npos, message.c_str());
        QVERIFY2(message.find("'oops'") != std::string::npos, message.c_str());

        message = messageOf([&] { CsvReader::load(text, "nope"); });
        QVERIFY2(message.find("no column named 'nope'") != std::string::npos, message.c_str());
        message = messageOf([&] { CsvReader::load(dir.filePath("absent.csv").toStdString()); });
        QVERIFY2(message.find("absent.csv") != std::string::npos, message.c_str());
        const auto empty = writeText(dir, "empty.csv", "\n\n");
        message = messageOf([&] { CsvReader::load(empty); });
        QVERIFY2(message.find("no data rows") != std::string::npos, message.c_str());
    }

    void garbageNeverCrashes()
    {
        // Random text built from CSV's own characters: a dataset or a std::runtime_error.
        QTemporaryDir dir;
        const std::string path = dir.filePath("noise.csv").toStdString();
        Rng rng(5);
        const char alphabet[] = "0123456789.,;\t\n\"-+eE abc#\r";
        int loaded = 0;
        for (int round = 0; round < 200; ++round) {
            std::string text;
            const int length = rng.uniformInt(200);
            for (int i = 0; i < length; ++i)
                text += alphabet[rng.uniformInt(static_cast<int>(sizeof(alphabet) - 1))];
            {
                std::ofstream out(path, std::ios::binary);
                out << text;
            }
            try {
                auto data = CsvReader::load(path, round % 3 == 0 ? "first" : "last");
                QVERIFY(data->size() > 0);
                ++loaded;
            } catch (const std::runtime_error&) {
            }
        }
        Q_UNUSED(loaded);
    }
};

QTEST_APPLESS_MAIN(TestCsvReader)
#include "test_csv_reader.moc"
