// DatasetSpec: the grammar, splits, option validation, and errors that list what is valid.
#include "core/data/dataset_spec.h"

#include <QtTest>

using namespace layerlens::core;

namespace {
std::string messageOf(const std::string& spec)
{
    try {
        DatasetSpec parsed(spec);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "no exception";
}
} // namespace

class TestDatasetSpec : public QObject {
    Q_OBJECT

private slots:
    void parses_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("split");
        QTest::addColumn<int>("optionCount");
        QTest::newRow("plain") << "fashion-mnist"
                               << "fashion-mnist"
                               << ""
                               << "train" << 0;
        QTest::newRow("test split") << "fashion-mnist:test"
                                    << "fashion-mnist"
                                    << ""
                                    << "test" << 0;
        QTest::newRow("train split") << "fashion-mnist:train"
                                     << "fashion-mnist"
                                     << ""
                                     << "train" << 0;
        QTest::newRow("alias") << "Fashion_MNIST:test"
                               << "fashion-mnist"
                               << ""
                               << "test" << 0;
        QTest::newRow("folder") << "mnist:/data/mnist"
                                << "mnist"
                                << "/data/mnist"
                                << "train" << 0;
        QTest::newRow("folder:test") << "mnist:/data/mnist:test"
                                     << "mnist"
                                     << "/data/mnist"
                                     << "test" << 0;
        QTest::newRow("folder?split") << "mnist:/data/mnist?split=test"
                                      << "mnist"
                                      << "/data/mnist"
                                      << "test" << 1;
        QTest::newRow("folder named test") << "mnist:./test"
                                           << "mnist"
                                           << "./test"
                                           << "train" << 0;
        QTest::newRow("cifar") << "cifar-10:/c?limit=100"
                               << "cifar10"
                               << "/c"
                               << "train" << 1;
        QTest::newRow("images") << "images:/photos?size=64&channels=3"
                                << "images"
                                << "/photos"
                                << "train" << 2;
        QTest::newRow("csv") << "csv:/t/iris.csv?label=species&header=auto"
                             << "csv"
                             << "/t/iris.csv"
                             << "train" << 2;
        QTest::newRow("spiral") << "spiral?n=500&noise=0.1&classes=3&seed=1"
                                << "spiral"
                                << ""
                                << "train" << 4;
        QTest::newRow("spiral:test") << "spiral:test?n=50"
                                     << "spiral"
                                     << ""
                                     << "test" << 1;
        QTest::newRow("xor split option") << "xor?split=test"
                                          << "xor"
                                          << ""
                                          << "test" << 1;
        QTest::newRow("blobs alias") << "blobs?classes=5"
                                     << "gauss"
                                     << ""
                                     << "train" << 1;
        QTest::newRow("moons") << "moons"
                               << "moons"
                               << ""
                               << "train" << 0;
        QTest::newRow("circles") << "circles?imbalance=0.5&limit=10"
                                 << "circles"
                                 << ""
                                 << "train" << 2;
        QTest::newRow("shapes") << "shapes?n=2000&size=64"
                                << "shapes"
                                << ""
                                << "train" << 2;
        QTest::newRow("trailing &") << "xor?n=5&"
                                    << "xor"
                                    << ""
                                    << "train" << 1;
        QTest::newRow("blanks") << "  moons:test \n"
                                << "moons"
                                << ""
                                << "test" << 0;
    }

    void parses()
    {
        QFETCH(QString, spec);
        QFETCH(QString, name);
        QFETCH(QString, path);
        QFETCH(QString, split);
        QFETCH(int, optionCount);
        const DatasetSpec parsed(spec.toStdString());
        QCOMPARE(QString::fromStdString(parsed.name()), name);
        QCOMPARE(QString::fromStdString(parsed.path()), path);
        QCOMPARE(QString::fromStdString(parsed.splitName()), split);
        QCOMPARE(int(parsed.options().size()), optionCount);
        QCOMPARE(parsed.text(), spec.trimmed().toStdString());
    }

    void optionValues()
    {
        const DatasetSpec spec("spiral?n=500&noise=0.1&classes=4&seed=7&limit=20");
        QCOMPARE(spec.intOption("n", 1, 1, 1000), 500LL);
        QCOMPARE(spec.realOption("noise", 0, 0, 1), 0.1);
        QCOMPARE(spec.intOption("classes", 3, 2, 100), 4LL);
        QCOMPARE(spec.seed(), std::uint64_t(7));
        QCOMPARE(spec.limit(), std::size_t(20));
        QVERIFY(spec.isGenerated());
        QVERIFY(!DatasetSpec("fashion-mnist").isGenerated());
        QCOMPARE(DatasetSpec("xor").limit(), std::size_t(0));
        // The test split of a generated set draws from another seed.
        QVERIFY(DatasetSpec("spiral:test?seed=7").seed() != spec.seed());
    }

    void errors_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QStringList>("parts"); // each must appear in the message
        QTest::newRow("unknown name") << "fashion"
                                      << QStringList { "unknown dataset 'fashion'", "fashion-mnist", "spiral",
                                             "shapes" };
        QTest::newRow("empty") << "" << QStringList { "no name", "valid names" };
        QTest::newRow("unknown option") << "spiral?sizee=3"
                                        << QStringList { "unknown option 'sizee'",
                                               "valid options: n, noise, classes, seed, imbalance, split, limit" };
        QTest::newRow("option of another set") << "xor?classes=3" << QStringList { "'classes'", "valid options" };
        QTest::newRow("no value") << "spiral?n" << QStringList { "'n' needs a value" };
        QTest::newRow("empty value") << "spiral?n=" << QStringList { "'n' needs a value" };
        QTest::newRow("twice") << "spiral?n=3&n=4" << QStringList { "twice" };
        QTest::newRow("not a number") << "spiral?n=many" << QStringList { "n=many", "integer" };
        QTest::newRow("out of range") << "spiral?classes=1" << QStringList { "classes=1", "[2, 100]" };
        QTest::newRow("bad noise") << "moons?noise=-1" << QStringList { "noise=-1" };
        QTest::newRow("bad imbalance") << "gauss?imbalance=2" << QStringList { "imbalance=2" };
        QTest::newRow("bad limit") << "xor?limit=0" << QStringList { "limit=0" };
        QTest::newRow("bad seed") << "xor?seed=-3" << QStringList { "seed=-3" };
        QTest::newRow("bad split") << "fashion-mnist?split=validation" << QStringList { "train or test", "validation" };
        QTest::newRow("conflicting split") << "fashion-mnist:test?split=train" << QStringList { "both" };
        QTest::newRow("path on generated") << "spiral:/tmp/x" << QStringList { "takes no path", "spiral:test" };
        QTest::newRow("images needs folder") << "images?size=32" << QStringList { "needs a path", "images:FOLDER" };
        QTest::newRow("csv needs file") << "csv" << QStringList { "csv:FILE.csv" };
        QTest::newRow("csv has no test split") << "csv:/a.csv:test" << QStringList { "no test split" };
        QTest::newRow("channels 2") << "images:/x?channels=2" << QStringList { "1 or 3" };
        QTest::newRow("bad header") << "csv:/a.csv?header=maybe" << QStringList { "auto, yes or no" };
        QTest::newRow("size too small") << "shapes?size=4" << QStringList { "size=4", "[8, 1024]" };
    }

    void errors()
    {
        QFETCH(QString, spec);
        QFETCH(QStringList, parts);
        const QString message = QString::fromStdString(messageOf(spec.toStdString()));
        for (const QString& part : parts)
            QVERIFY2(message.contains(part), qPrintable(message + "   (missing: " + part + ")"));
    }

    void optionNamesAndHelp()
    {
        QCOMPARE(DatasetSpec::names().size(), std::size_t(11));
        const auto options = DatasetSpec::optionNames("csv");
        QCOMPARE(options, (std::vector<std::string> { "label", "header", "limit" }));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, DatasetSpec::optionNames("nope"));
        const std::string help = DatasetSpec::help();
        for (const auto& name : DatasetSpec::names())
            QVERIFY2(help.find(name) != std::string::npos, name.c_str());
    }

    void helpStatesTheRealDefaults_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : { "spiral", "xor", "circles", "gauss", "moons", "shapes" })
            QTest::newRow(name) << name;
    }

    void helpStatesTheRealDefaults()
    {
        // The defaults printed by help() must be the ones load() uses: spelling them out
        // must give the very same samples.
        QFETCH(QString, name);
        const QString help = QString::fromStdString(DatasetSpec::help());
        const int start = help.indexOf("\n  " + name + "[");
        QVERIFY(start >= 0);
        const int open = help.indexOf("(defaults: ", start) + 11;
        const QString defaults = help.mid(open, help.indexOf(')', open) - open);
        const std::string explicitSpec = (name + "?" + QString(defaults).replace(' ', '&') + "&limit=40").toStdString();
        const auto implicitSet = loadDataset(name.toStdString() + "?limit=40");
        const auto explicitSet = loadDataset(explicitSpec);
        QCOMPARE(explicitSet->size(), implicitSet->size());
        std::vector<float> a(implicitSet->sampleSize()), b(a.size());
        for (std::size_t i = 0; i < implicitSet->size(); i += 13) {
            implicitSet->copySample(i, a.data());
            explicitSet->copySample(i, b.data());
            QCOMPARE(a, b);
        }
    }

    void loadsGeneratedThroughLoadDataset()
    {
        auto data = loadDataset("gauss?n=90&classes=3&seed=3");
        QCOMPARE(data->size(), std::size_t(90));
        QCOMPARE(data->classCount(), 3);
        QCOMPARE(data->classCounts(), (std::vector<int> { 30, 30, 30 }));
        QCOMPARE(loadDataset("moons?n=100&limit=7")->size(), std::size_t(7));
        auto shapes = loadDataset("shapes?n=6&size=16");
        QCOMPARE(shapes->sampleShape(), (Shape { 3, 16, 16 }));
        QCOMPARE(shapes->classNames(), (std::vector<std::string> { "circle", "square", "triangle" }));
    }

    void missingFoldersAreActionable()
    {
        try {
            loadDataset("fashion-mnist:/nonexistent");
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("/nonexistent") != std::string::npos, error.what());
            QVERIFY2(message.find("LAYERLENS_FASHION_MNIST_DIR") != std::string::npos, error.what());
        }
        qunsetenv("LAYERLENS_CIFAR10_DIR");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, loadDataset("cifar10"));
    }
};

QTEST_APPLESS_MAIN(TestDatasetSpec)
#include "test_dataset_spec.moc"
