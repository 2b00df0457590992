// A bounded mutation fuzzer over every file parser a user can point LayerLens at: ONNX models
// and tensors, native .llmodel files, JSON model descriptions, Keras .h5 and .keras files,
// .npy arrays, IDX and CSV datasets and images. Each mutant (bit flips, truncation, inserted or
// zeroed ranges, "interesting" integers written over length fields) is parsed in a forked child
// with a memory limit and a time limit, so a crash or a hang is caught and reported with the
// file that caused it instead of killing the test. A parser may accept a mutant or throw a
// std::exception; anything else fails.
//
// LAYERLENS_FUZZ_ITERATIONS=N sets the mutants per parser (default 120, about 15 s in all);
// crashing inputs are kept in $TMPDIR/layerlens-fuzz-crashes/ for reproduction.

#include <QtTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "core/data/dataset.h"
#include "core/io/image_loader.h"
#include "core/io/model_file.h"
#include "core/io/model_loader.h"
#include "core/io/npy.h"
#include "core/keras/keras_reader.h"
#include "core/keras/keras_to_model.h"
#include "core/model/layer_factory.h"
#include "core/onnx/onnx_model.h"
#include "core/onnx/onnx_tensor_file.h"

using namespace layerlens::core;
namespace fs = std::filesystem;

namespace {

const fs::path kDataDir(LAYERLENS_TEST_DATA_DIR);

std::string readBytes(const fs::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return bytes.str();
}

void writeBytes(const fs::path& path, const std::string& bytes)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// One mutation in the style of AFL's havoc stage; several are stacked per mutant.
void mutate(std::string& bytes, std::mt19937_64& rng)
{
    if (bytes.empty()) {
        bytes.push_back(static_cast<char>(rng()));
        return;
    }
    const std::size_t at = rng() % bytes.size();
    switch (rng() % 6) {
    case 0:  // flip one bit
        bytes[at] = static_cast<char>(bytes[at] ^ (1 << (rng() % 8)));
        break;
    case 1:  // random byte
        bytes[at] = static_cast<char>(rng());
        break;
    case 2:  // truncate
        bytes.resize(at);
        break;
    case 3: {  // an interesting little- or big-endian integer over whatever is there
        static const std::uint64_t interesting[] = {0, 1, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
                                                     0x7fffffffffffffffull, 0xffffffffffffffffull};
        std::uint64_t value = interesting[rng() % std::size(interesting)];
        const std::size_t width = std::size_t{1} << (rng() % 4);
        const bool bigEndian = rng() % 2 == 0;
        for (std::size_t i = 0; i < width && at + i < bytes.size(); ++i) {
            const std::size_t shift = 8 * (bigEndian ? width - 1 - i : i);
            bytes[at + i] = static_cast<char>((value >> shift) & 0xff);
        }
        break;
    }
    case 4: {  // duplicate a chunk
        const std::size_t length = std::min<std::size_t>(1 + rng() % 64, bytes.size() - at);
        bytes.insert(at, bytes.substr(at, length));
        break;
    }
    default: {  // zero a range
        const std::size_t length = std::min<std::size_t>(1 + rng() % 32, bytes.size() - at);
        std::fill_n(bytes.begin() + static_cast<std::ptrdiff_t>(at), length, '\0');
        break;
    }
    }
}

enum class Outcome { Accepted, Refused, Crashed, Hung };

// Parses the file in a forked child limited to 4 GB of address space and 45 s.
Outcome parseInChild(const std::function<void()>& parse)
{
    const pid_t child = fork();
    if (child == 0) {
        rlimit memory{4ull << 30, 4ull << 30};
        setrlimit(RLIMIT_AS, &memory);
        alarm(45);  // above KerasReader's own 30 s child-process limit
        int code = 0;
        try {
            parse();
        } catch (const std::exception&) {
            code = 1;
        }
        std::_Exit(code);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGALRM ? Outcome::Hung : Outcome::Crashed;
    return WEXITSTATUS(status) == 0 ? Outcome::Accepted : Outcome::Refused;
}

int iterations()
{
    const char* value = std::getenv("LAYERLENS_FUZZ_ITERATIONS");
    return value ? std::max(1, std::atoi(value)) : 120;
}

}  // namespace

class TestParserFuzz : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_work = fs::path(m_dir.path().toStdString());

        // Seeds written here, so the fuzzer starts from files this build itself considers valid.
        const nlohmann::json description = {
            {"input_shape", {1, 8, 8}},
            {"layers", {{{"type", "Conv2D"}, {"filters", 2}, {"kernel_size", 3}, {"activation", "relu"}},
                        {{"type", "MaxPool2D"}},
                        {{"type", "Flatten"}},
                        {{"type", "Dense"}, {"units", 3}, {"activation", "softmax"}}}}};
        writeBytes(m_work / "seed.json", description.dump(2));
        Model model = Model::fromJson(description);
        model.build(7);
        ModelFile::save((m_work / "seed.llmodel").string(), model);
        Tensor array({2, 3, 4});
        for (std::size_t i = 0; i < array.size(); ++i)
            array.data()[i] = static_cast<float>(i) * 0.5f;
        writeNpy((m_work / "seed.npy").string(), array);
        writeBytes(m_work / "seed.csv", "x,y,label\n0.5,1.5,a\n-1,2,b\n3,0.25,a\n");
        // Uncompressed IDX files too: behind gzip's checksum, mutants rarely reach the IDX parser.
        fs::create_directories(m_work / "idx-seed");
        std::string images("\x00\x00\x08\x03\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x04", 16);
        for (int i = 0; i < 3 * 16; ++i)
            images.push_back(static_cast<char>(i * 5));
        writeBytes(m_work / "idx-seed" / "train-images-idx3-ubyte", images);
        writeBytes(m_work / "idx-seed" / "train-labels-idx1-ubyte", std::string("\x00\x00\x08\x01\x00\x00\x00\x03\x01\x00\x02", 11));
        cv::Mat image(12, 10, CV_8UC3);
        cv::randu(image, 0, 255);
        cv::imwrite((m_work / "seed.png").string(), image);
    }

    void parsersSurviveMutants_data()
    {
        QTest::addColumn<QString>("seed");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("onnx model") << QString::fromStdString((kDataDir / "onnx/lenet/model.onnx").string()) << "m.onnx";
        QTest::newRow("onnx tensor") << QString::fromStdString((kDataDir / "onnx/lenet/input_0.pb").string()) << "t.pb";
        QTest::newRow("llmodel") << QString::fromStdString((m_work / "seed.llmodel").string()) << "m.llmodel";
        QTest::newRow("json model") << QString::fromStdString((m_work / "seed.json").string()) << "m.json";
        QTest::newRow("keras2 h5") << QString::fromStdString((kDataDir / "keras/keras2_cnn.h5").string()) << "m.h5";
        QTest::newRow("keras3 zip") << QString::fromStdString((kDataDir / "keras/keras3_cnn.keras").string()) << "m.keras";
        QTest::newRow("npy") << QString::fromStdString((m_work / "seed.npy").string()) << "a.npy";
        QTest::newRow("idx images") << QString::fromStdString((kDataDir / "data/tiny-images-idx3-ubyte.gz").string())
                                    << "train-images-idx3-ubyte.gz";
        QTest::newRow("idx raw") << QString::fromStdString((m_work / "idx-seed" / "train-images-idx3-ubyte").string())
                                 << "train-images-idx3-ubyte";
        QTest::newRow("csv") << QString::fromStdString((m_work / "seed.csv").string()) << "d.csv";
        QTest::newRow("png") << QString::fromStdString((m_work / "seed.png").string()) << "i.png";
    }

    void parsersSurviveMutants()
    {
        QFETCH(QString, seed);
        QFETCH(QString, fileName);
        const std::string original = readBytes(seed.toStdString());
        QVERIFY2(!original.empty(), qPrintable("missing seed file " + seed));

        const fs::path caseDir = m_work / fileName.toStdString().append(".d");
        fs::create_directories(caseDir);
        const fs::path target = caseDir / fileName.toStdString();
        if (fileName.endsWith(".gz"))  // an IDX dataset needs its label file beside it
            fs::copy_file(kDataDir / "data/tiny-labels-idx1-ubyte.gz", caseDir / "train-labels-idx1-ubyte.gz");
        else if (fileName.startsWith("train-images"))
            fs::copy_file(m_work / "idx-seed" / "train-labels-idx1-ubyte", caseDir / "train-labels-idx1-ubyte");
        const std::function<void()> parse = parserFor(fileName.toStdString(), target, caseDir);

        writeBytes(target, original);
        QCOMPARE(parseInChild(parse), Outcome::Accepted);  // the seed itself must be valid

        std::mt19937_64 rng(std::hash<std::string>{}(fileName.toStdString()));
        int counts[4] = {0, 0, 0, 0};
        QStringList failures;
        for (int i = 0; i < iterations(); ++i) {
            std::string bytes = original;
            const int stacked = 1 + static_cast<int>(rng() % 6);
            for (int m = 0; m < stacked; ++m)
                mutate(bytes, rng);
            writeBytes(target, bytes);
            const Outcome outcome = parseInChild(parse);
            ++counts[static_cast<int>(outcome)];
            if (outcome == Outcome::Crashed || outcome == Outcome::Hung) {
                const fs::path keep = fs::temp_directory_path() / "layerlens-fuzz-crashes" / (std::to_string(i) + "-" + fileName.toStdString());
                fs::create_directories(keep.parent_path());
                writeBytes(keep, bytes);
                failures << QString::fromStdString((outcome == Outcome::Hung ? "hang: " : "crash: ") + keep.string());
            }
        }
        qInfo("%s: %d mutants: %d accepted, %d refused with a message, %d crashed, %d hung", qPrintable(fileName),
              iterations(), counts[0], counts[1], counts[2], counts[3]);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
        QVERIFY(counts[1] > 0);  // the mutations reach the checks: some mutants must be refused
    }

private:
    // What a user's "open" does for each kind of file.
    static std::function<void()> parserFor(const std::string& fileName, const fs::path& target, const fs::path& dir)
    {
        const std::string path = target.string();
        if (fileName.ends_with(".onnx"))
            return [path] {
                const OnnxModel model = OnnxModel::load(path);
                (void)model.summary();
                OnnxTensorMap inputs;
                for (const OnnxValueInfo& input : model.inputs())
                    inputs[input.name] = OnnxTensor::makeFloat({1, 1, 28, 28}, std::vector<float>(784, 0.5f));
                model.run(inputs);
            };
        if (fileName.ends_with(".pb"))
            return [path] { (void)loadOnnxTensorFile(path); };
        if (fileName.ends_with(".h5") || fileName.ends_with(".keras"))
            return [path] {
                const KerasModel keras = KerasReader::readFile(path);
                (void)keras.summary();
                (void)toModel(keras);
            };
        if (fileName.ends_with(".npy"))
            return [path] { (void)readNpy(path); };
        if (fileName.ends_with(".csv"))
            return [path] { (void)loadDataset("csv:" + path); };
        if (fileName.ends_with(".png"))
            return [path] { (void)loadImageTensor(path, ImagePreprocessing{}); };
        if (fileName.starts_with("train-images"))
            return [dir] { (void)loadDataset("mnist:" + dir.string()); };
        return [path] {  // .llmodel and .json through the model loader, then one forward pass
            LoadedModel loaded = loadModel(path);
            if (!loaded.model.isBuilt())
                loaded.model.build(1);
            Tensor input(Shape{1, 1, 8, 8});
            (void)loaded.model.forward(input, false);
        };
    }

    QTemporaryDir m_dir;
    fs::path m_work;
};

QTEST_GUILESS_MAIN(TestParserFuzz)
#include "test_parser_fuzz.moc"
