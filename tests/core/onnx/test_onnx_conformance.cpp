// Runs the ONNX backend test data shipped by Debian's libonnx-testdata (node tests,
// PyTorch-converted and PyTorch-operator models) through OnnxModel: every test whose
// operators are all supported must reproduce the reference outputs. Tests using
// unsupported operators are listed with what they need and skipped.

#include <QtTest>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/onnx/onnx_model.h"
#include "core/onnx/onnx_tensor_file.h"

using namespace layerlens::core;
namespace fs = std::filesystem;

namespace {

const char* const kTestDataRoot = "/usr/share/libonnx-testdata/data";
// The test suites we run; "real" holds only download links, "simple" mostly sequences and
// strings (its runnable models are included all the same).
const char* const kSuites[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

constexpr double kRelativeTolerance = 1e-4;
constexpr double kAbsoluteTolerance = 1e-5;
constexpr double kRequiredPassRate = 0.95;

std::vector<fs::path> numberedFiles(const fs::path& dir, const std::string& prefix)
{
    std::vector<fs::path> files;
    for (int i = 0;; ++i) {
        const fs::path file = dir / (prefix + std::to_string(i) + ".pb");
        if (!fs::exists(file))
            break;
        files.push_back(file);
    }
    return files;
}

// "" when equal within tolerance, else what differs.
std::string compareTensors(const OnnxTensor& actual, const OnnxTensor& expected)
{
    if (actual.shape != expected.shape)
        return "shape " + onnxShapeToString(actual.shape) + ", expected " + onnxShapeToString(expected.shape);
    if (actual.size() != expected.size())
        return "element count differs";
    const bool exact = !expected.isFloat();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (exact) {
            if (actual.intAt(i) != expected.ints[i])
                return "element " + std::to_string(i) + " is " + std::to_string(actual.intAt(i)) + ", expected "
                       + std::to_string(expected.ints[i]);
            continue;
        }
        const double a = actual.floatAt(i);
        const double e = expected.floats[i];
        if (std::isnan(e) && std::isnan(a))
            continue;
        if (std::isinf(e) && a == e)
            continue;
        if (!(std::fabs(a - e) <= kAbsoluteTolerance + kRelativeTolerance * std::fabs(e)))
            return "element " + std::to_string(i) + " is " + std::to_string(a) + ", expected " + std::to_string(e);
    }
    return {};
}

enum class Outcome { Passed, Failed, Skipped };

struct Result {
    Outcome outcome = Outcome::Skipped;
    std::string detail;
};

Result runTest(const fs::path& dir)
{
    std::optional<OnnxModel> model;
    try {
        model.emplace(OnnxModel::load((dir / "model.onnx").string()));
    } catch (const OnnxUnsupportedError& error) {
        std::string ops;
        for (const std::string& op : error.operators())
        {
            if (!ops.empty())
                ops += ", ";
            ops += op;
        }
        return {Outcome::Skipped, ops};
    } catch (const std::exception& error) {
        return {Outcome::Failed, std::string("load: ") + error.what()};
    }
    std::vector<fs::path> dataSets;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0)
            dataSets.push_back(entry.path());
    if (dataSets.empty())
        return {Outcome::Skipped, "no test data"};
    for (const fs::path& dataSet : dataSets) {
        OnnxTensorMap inputs;
        const std::vector<fs::path> inputFiles = numberedFiles(dataSet, "input_");
        const std::vector<fs::path> outputFiles = numberedFiles(dataSet, "output_");
        // Inputs bind to the graph inputs in order; trailing optional inputs may be absent.
        if (inputFiles.size() > model->inputs().size() || outputFiles.size() != model->outputs().size())
            return {Outcome::Skipped, "test data does not match the graph's inputs/outputs (optional or sequence values)"};
        try {
            for (std::size_t i = 0; i < inputFiles.size(); ++i)
                inputs[model->inputs()[i].name] = loadOnnxTensorFile(inputFiles[i].string());
        } catch (const std::exception& error) {
            return {Outcome::Skipped, std::string("input data: ") + error.what()};
        }
        OnnxTensorMap outputs;
        try {
            outputs = model->run(inputs);
        } catch (const std::exception& error) {
            return {Outcome::Failed, std::string("run: ") + error.what()};
        }
        for (std::size_t i = 0; i < outputFiles.size(); ++i) {
            OnnxTensor expected;
            try {
                expected = loadOnnxTensorFile(outputFiles[i].string());
            } catch (const std::exception& error) {
                return {Outcome::Skipped, std::string("output data: ") + error.what()};
            }
            const std::string& name = model->outputs()[i].name;
            const std::string difference = compareTensors(outputs.at(name), expected);
            if (!difference.empty())
                return {Outcome::Failed, dataSet.filename().string() + " output '" + name + "': " + difference};
        }
    }
    return {Outcome::Passed, {}};
}

}  // namespace

class TestOnnxConformance : public QObject {
    Q_OBJECT

private slots:
    void backendTestData()
    {
        if (!fs::is_directory(kTestDataRoot))
            QSKIP("libonnx-testdata is not installed (/usr/share/libonnx-testdata/data missing)");
        const auto start = std::chrono::steady_clock::now();
        std::map<std::string, Result> results;
        for (const char* suite : kSuites) {
            const fs::path suiteDir = fs::path(kTestDataRoot) / suite;
            if (!fs::is_directory(suiteDir))
                continue;
            for (const auto& entry : fs::directory_iterator(suiteDir))
                if (fs::exists(entry.path() / "model.onnx"))
                    results[std::string(suite) + "/" + entry.path().filename().string()] = runTest(entry.path());
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        std::map<std::string, std::vector<std::string>> skippedByReason;
        for (const auto& [name, result] : results) {
            switch (result.outcome) {
            case Outcome::Passed: ++passed; break;
            case Outcome::Failed:
                ++failed;
                qWarning("FAILED %s: %s", name.c_str(), result.detail.c_str());
                break;
            case Outcome::Skipped:
                ++skipped;
                skippedByReason[result.detail].push_back(name);
                break;
            }
        }
        for (const auto& [reason, names] : skippedByReason) {
            std::string list;
            for (const std::string& name : names)
                list += " " + name;
            qInfo("skipped (%s):%s", reason.c_str(), list.c_str());
        }
        const int supported = passed + failed;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        qInfo("ONNX conformance: %d passed of %d supported (%.1f%%), %d failed, %d skipped, %d total, %.1f s",
              passed, supported, supported > 0 ? 100.0 * passed / supported : 0.0, failed, skipped,
              static_cast<int>(results.size()), seconds);
        QVERIFY2(supported >= 300, "far fewer runnable ONNX tests than expected: is the test data complete?");
        QVERIFY2(passed >= kRequiredPassRate * supported,
                 qPrintable(QStringLiteral("only %1 of %2 supported ONNX tests pass").arg(passed).arg(supported)));
    }
};

QTEST_GUILESS_MAIN(TestOnnxConformance)
#include "test_onnx_conformance.moc"
