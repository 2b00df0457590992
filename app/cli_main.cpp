// layerlens-cli: the LayerLens engine without a window.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/data/dataset.h"
#include "core/io/image_loader.h"
#include "core/io/model_file.h"
#include "core/io/model_loader.h"
#include "core/io/npy.h"
#include "core/io/onnx_exporter.h"
#include "core/lab/race.h"
#include "core/model/model_surgery.h"
#include "core/keras/keras_reader.h"
#include "core/onnx/onnx_model.h"
#include "core/onnx/onnx_tensor_file.h"
#include "core/losses/loss.h"
#include "core/train/gradient_check.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

const char* kUsage = R"(usage: layerlens-cli COMMAND [OPTIONS]

Commands:
  summary MODEL                    Keras-style table of layers, shapes and parameter counts
  train --model MODEL --data SPEC  train and report validation metrics
        [--epochs N] [--batch B] [--optimizer sgd|momentum|nesterov|rmsprop|adagrad|adam|adamw]
        [--momentum M] [--lr X] [--loss NAME] [--seed S] [--validation-split F]
        [--save FILE] [--log metrics.csv]
  finetune --model FILE --data SPEC
        [--freeze all-but-head|none|all|N|a-b] [--replace-head] [--compare-scratch]
        [--epochs N] [--batch B] [--optimizer ..] [--lr X] [--seed S] [--save OUT.llmodel] [--log metrics.csv]
                                   fine-tune a trained model (.onnx, .h5, .keras, .llmodel): a new head
                                   for the data's classes, frozen layers (default all-but-head); with
                                   --compare-scratch the same network also trains from scratch
  eval --model FILE --data SPEC    print loss and accuracy (fashion-mnist:test = the test split)
  predict --model FILE --input IN [--output OUT.npy] [--layers]
                                   IN is an image file, a float32 .npy tensor or an ONNX .pb
                                   tensor; --layers also lists every layer's output
                                   (shape, min, mean, max) and the time taken
  export --model FILE --output OUT.onnx
                                   write the model as ONNX (opset 13)
  gradcheck                        finite-difference check of every layer, activation and loss
  --version                        print the version

MODEL is a preset (mlp, lenet5, tinyvgg, vgg16), a JSON model description, a saved .llmodel file,
a Keras .h5/.keras file or a chain-structured .onnx file.
SPEC is a dataset spec: fashion-mnist, mnist:DIR, cifar10:DIR, images:DIR, csv:FILE, spiral, xor,
circles, gauss, moons, shapes, with options such as spiral?n=500&noise=0.1.
)";

struct Arguments {
    std::string command;
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;

    bool has(const std::string& key) const { return options.count(key) > 0; }
    std::string get(const std::string& key, const std::string& fallback = {}) const
    {
        auto it = options.find(key);
        return it == options.end() ? fallback : it->second;
    }
    double number(const std::string& key, double fallback) const
    {
        if (!has(key))
            return fallback;
        const std::string text = get(key);
        try {
            std::size_t used = 0;
            const double value = std::stod(text, &used);
            if (used != text.size() || !std::isfinite(value))
                throw std::invalid_argument(text);
            return value;
        } catch (const std::exception&) {
            throw std::runtime_error("option --" + key + ": expected a number, got '" + text + "'");
        }
    }
    std::string require(const std::string& key) const
    {
        if (!has(key))
            throw std::runtime_error(command + ": missing required option --" + key);
        return get(key);
    }
};

Arguments parse(int argc, char** argv)
{
    Arguments args;
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (word.rfind("--", 0) == 0) {
            std::string key = word.substr(2);
            std::string value;
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            } else if (key != "version" && key != "help" && key != "layers" && key != "replace-head"
                       && key != "compare-scratch") {
                if (i + 1 >= argc)
                    throw std::runtime_error("option --" + key + " needs a value");
                value = argv[++i];
            }
            args.options[key] = value;
        } else if (args.command.empty()) {
            args.command = word;
        } else {
            args.positional.push_back(word);
        }
    }
    return args;
}

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return "--:--";
    const int s = static_cast<int>(seconds + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%d:%02d", s / 60, s % 60);
    return text;
}

bool hasExtension(const std::string& path, const std::string& extension)
{
    return path.size() >= extension.size() && path.compare(path.size() - extension.size(), extension.size(), extension) == 0;
}

// Reads a model input: an image, a float32 .npy tensor or an ONNX TensorProto .pb file.
// imageShape is the model's (C, H, W) input, used to size images.
Tensor readInput(const std::string& path, const Shape& imageShape)
{
    if (hasExtension(path, ".npy"))
        return readNpy(path);
    if (hasExtension(path, ".pb"))
        return loadOnnxTensorFile(path).toTensor();
    if (imageShape.size() != 3)
        throw std::runtime_error(path + ": the model takes inputs of shape " + shapeToString(imageShape)
                                 + ", not images; give a .npy or .pb tensor");
    ImagePreprocessing pre;
    pre.channels = imageShape[0];
    pre.height = imageShape[1];
    pre.width = imageShape[2];
    return loadImageTensor(path, pre);
}

void printOutputs(const Tensor& output, const std::vector<std::string>& names)
{
    const std::size_t k = output.rank() > 0 ? output.sampleSize() : output.size();
    const int rows = output.rank() > 0 ? output.dim(0) : 1;
    for (int n = 0; n < rows; ++n) {
        const float* row = output.data() + static_cast<std::size_t>(n) * k;
        std::size_t best = 0;
        for (std::size_t j = 0; j < k; ++j) {
            std::printf("%s%.6g", j ? " " : "", row[j]);
            if (row[j] > row[best])
                best = j;
        }
        std::printf("\nprediction: %zu", best);
        if (best < names.size())
            std::printf(" (%s)", names[best].c_str());
        std::printf("\n");
    }
}

// One line per layer output: what the activation views show, as numbers.
void printLayerOutput(const std::string& name, const std::string& type, const Tensor& value)
{
    float low = 0.0f;
    float high = 0.0f;
    double sum = 0.0;
    if (value.size() > 0) {
        low = high = value.data()[0];
        for (std::size_t i = 0; i < value.size(); ++i) {
            low = std::min(low, value.data()[i]);
            high = std::max(high, value.data()[i]);
            sum += value.data()[i];
        }
    }
    std::printf("%-28s %-20s %-20s min %-11.4g mean %-11.4g max %.4g\n", name.c_str(), type.c_str(), shapeToString(value.shape()).c_str(),
                static_cast<double>(low), value.size() ? sum / static_cast<double>(value.size()) : 0.0, static_cast<double>(high));
}

int predictOnnx(const Arguments& args, const std::string& modelPath)
{
    OnnxModel model = OnnxModel::load(modelPath);
    if (model.inputs().empty())
        throw std::runtime_error(modelPath + ": the graph has no inputs");
    const OnnxValueInfo& info = model.inputs()[0];
    const OnnxShape resolved = info.resolvedShape(1);
    Shape imageShape;
    for (std::size_t i = 1; i < resolved.size(); ++i)
        imageShape.push_back(static_cast<int>(resolved[i]));
    const std::string inputPath = args.require("input");
    Tensor input = readInput(inputPath, imageShape);
    const auto started = std::chrono::steady_clock::now();
    OnnxTensorMap outputs;
    if (args.has("layers")) {
        // Every node's outputs are kept, as the inspector keeps them to show all activations.
        outputs = model.runAll({{info.name, OnnxTensor::fromTensor(input)}});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        for (const OnnxNode& node : model.nodes())
            for (const std::string& name : node.outputs)
                if (!name.empty() && outputs.count(name) && outputs.at(name).isFloat())
                    printLayerOutput(name, node.opType, outputs.at(name).toTensor());
        std::printf("ran %zu nodes in %.1f ms, keeping all %zu values\n", model.nodes().size(), seconds * 1000.0, outputs.size());
    } else {
        outputs = model.run({{info.name, OnnxTensor::fromTensor(input)}});
    }
    const OnnxTensor& first = outputs.at(model.outputs()[0].name);
    const Tensor output = first.toTensor();
    if (args.has("output")) {
        writeNpy(args.get("output"), output);
        std::cout << "wrote " << args.get("output") << " " << shapeToString(output.shape()) << "\n";
        return 0;
    }
    printOutputs(output, {});
    return 0;
}

int summary(const Arguments& args)
{
    if (args.positional.empty())
        throw std::runtime_error("summary: name a model (a preset, a .json description, a .llmodel or an .onnx file)");
    if (hasExtension(args.positional[0], ".h5") || hasExtension(args.positional[0], ".keras")
        || hasExtension(args.positional[0], ".hdf5")) {
        // The file's own layer table works for every Keras model, branches included.
        std::cout << KerasReader::readFile(args.positional[0]).summary();
        return 0;
    }
    if (hasExtension(args.positional[0], ".onnx")) {
        OnnxLoadOptions options;
        options.allowUnsupported = true;
        OnnxModel model = OnnxModel::load(args.positional[0], options);
        std::cout << model.summary();
        const auto missing = model.unsupportedOperators();
        if (!missing.empty()) {
            std::cout << "Unsupported operators (the model cannot run):";
            for (const auto& op : missing)
                std::cout << " " << op;
            std::cout << "\n";
        }
        return 0;
    }
    LoadedModel loaded = loadModel(args.positional[0]);
    loaded.model.build(1);
    std::cout << loaded.model.summary();
    return 0;
}

// The trainer settings train and finetune share, from the command line.
TrainerSettings trainerSettingsFrom(const Arguments& args)
{
    TrainerSettings settings;
    settings.epochs = static_cast<int>(args.number("epochs", 5));
    settings.batchSize = static_cast<int>(args.number("batch", 64));
    settings.optimizer.kind = args.get("optimizer", "adam");
    settings.optimizer.learningRate = static_cast<float>(args.number("lr", settings.optimizer.kind == "adam" || settings.optimizer.kind == "adamw" || settings.optimizer.kind == "rmsprop" ? 0.001 : 0.01));
    settings.optimizer.momentum = static_cast<float>(args.number("momentum", 0.9));
    settings.loss = args.get("loss", "auto");
    settings.seed = static_cast<std::uint64_t>(args.number("seed", 1));
    settings.validationSplit = static_cast<float>(args.number("validation-split", 0.1));
    settings.capture.statistics = false;
    settings.capture.probeCount = 0;
    settings.capture.maxPublishHz = 4;
    return settings;
}

// Runs a trainer to the end with a progress line and one line per epoch. Returns 0, or 3 when
// training stopped early (non-finite values); the reason goes to stderr.
int runTraining(Trainer& trainer)
{
    const bool terminal = isatty(STDOUT_FILENO);
    std::size_t epochsPrinted = 0;
    std::string failure;
    struct Watcher : TrainerObserver {
        std::string* failure;
        void snapshotReady(SnapshotPtr) override {}
        void stateChanged(TrainerState state, const std::string& message) override
        {
            if (state == TrainerState::Paused && !message.empty())
                *failure = message;
        }
    } watcher;
    watcher.failure = &failure;
    trainer.setObserver(&watcher);
    const auto start = std::chrono::steady_clock::now();
    trainer.runBlocking([&](const Snapshot& s) {
        const double totalSteps = static_cast<double>(s.stepsPerEpoch) * s.epochs;
        const double fraction = totalSteps > 0 ? static_cast<double>(s.step) / totalSteps : 0.0;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : -1.0;
        if (terminal) {
            const int width = 30;
            const int filled = static_cast<int>(fraction * width);
            std::printf("\r[%s%s] %5.1f%%  epoch %d/%d  loss %.4f  acc %.3f  %.0f img/s  ETA %s   ",
                        std::string(static_cast<std::size_t>(filled), '#').c_str(),
                        std::string(static_cast<std::size_t>(width - filled), '.').c_str(), 100 * fraction,
                        s.epoch + 1, s.epochs, s.loss, s.accuracy, s.imagesPerSecond, formatDuration(eta).c_str());
            std::fflush(stdout);
        }
        const auto epochs = trainer.history().epochsSince(epochsPrinted);
        for (const auto& e : epochs) {
            std::printf("%sepoch %d/%d: loss %.4f, accuracy %.4f, val_loss %.4f, val_accuracy %.4f, %.0f img/s\n",
                        terminal ? "\r" : "", e.epoch + 1, s.epochs, e.trainLoss, e.trainAccuracy, e.validationLoss,
                        e.validationAccuracy, s.imagesPerSecond);
            ++epochsPrinted;
        }
    });
    trainer.setObserver(nullptr);
    if (!failure.empty()) {
        std::cerr << "\ntraining stopped: " << failure << "\n";
        return 3;
    }
    const auto epochs = trainer.history().epochsSince(0);
    if (!epochs.empty()) {
        const auto& last = epochs.back();
        std::cout << "val_loss: " << last.validationLoss << "\nval_accuracy: " << last.validationAccuracy << "\n";
    }
    return 0;
}

// --log and --save after a run.
void writeRunOutputs(const Arguments& args, const Trainer& trainer, const Model& model, const std::string& dataSpec)
{
    if (args.has("log")) {
        std::ofstream log(args.get("log"));
        if (!log)
            throw std::runtime_error(args.get("log") + ": cannot open for writing");
        log << trainer.history().toCsv();
    }
    if (args.has("save")) {
        SavedTraining saved = trainer.trainingState();
        saved.datasetSpec = dataSpec;
        ModelFile::save(args.get("save"), model, &saved);
        std::cout << "saved: " << args.get("save") << "\n";
    }
}

int train(const Arguments& args)
{
    const std::string dataSpec = args.require("data");
    DatasetPtr data = loadDataset(dataSpec);
    LoadedModel loaded = loadModel(args.require("model"), data->sampleShape(), data->classCount());
    auto model = std::make_shared<Model>(std::move(loaded.model));

    TrainerSettings settings = trainerSettingsFrom(args);
    if (loaded.hasTraining)
        settings.optimizer = loaded.training.optimizer;

    Trainer trainer(model, data, nullptr, settings);
    if (loaded.hasTraining && !loaded.training.optimizerState.empty())
        trainer.restore(loaded.training);
    std::cout << "Training " << loaded.source << " on " << data->name() << " (" << data->size() << " samples), "
              << settings.epochs << " epochs, batch " << settings.batchSize << ", " << settings.optimizer.kind
              << " lr " << settings.optimizer.learningRate << "\n";
    if (const int code = runTraining(trainer))
        return code;
    writeRunOutputs(args, trainer, *model, dataSpec);
    return 0;
}

// Fine-tunes a model trained elsewhere: optionally a new head for the data's classes, frozen
// layers, then training; with --compare-scratch the same network also trains from scratch
// (a two-entrant transfer race) and both runs' metrics are printed.
int finetune(const Arguments& args)
{
    const std::string dataSpec = args.require("data");
    DatasetPtr data = loadDataset(dataSpec);
    LoadedModel loaded = loadModel(args.require("model"), data->sampleShape(), data->classCount());
    for (const std::string& note : loaded.notes)
        std::cout << "note: " << note << "\n";
    auto model = std::make_shared<Model>(std::move(loaded.model));
    TrainerSettings settings = trainerSettingsFrom(args);
    if (!model->isBuilt())
        model->build(settings.seed);
    if (model->inputShape() != data->sampleShape())
        throw std::runtime_error("the model expects inputs of shape " + shapeToString(model->inputShape()) + " but "
                                 + data->name() + " has samples of shape " + shapeToString(data->sampleShape()));
    const int classes = data->classCount();
    if (args.has("replace-head")) {
        if (classes < 1)
            throw std::runtime_error("--replace-head: " + data->name() + " has no classes to size the head for");
        const int head = replaceClassifierHead(*model, classes, settings.seed);
        std::cout << "head: layer " << head << " replaced by Dense(" << classes << ")\n";
    } else if (classes > 0 && model->outputShape() != Shape{classes}) {
        throw std::runtime_error("the model's output " + shapeToString(model->outputShape()) + " does not fit the "
                                 + std::to_string(classes) + " classes of " + data->name() + "; add --replace-head");
    }
    freezeLayers(*model, args.get("freeze", "all-but-head"));
    std::cout << model->summary();

    if (!args.has("compare-scratch")) {
        Trainer trainer(model, data, nullptr, settings);
        std::cout << "Fine-tuning " << loaded.source << " on " << data->name() << ", " << settings.epochs
                  << " epochs, batch " << settings.batchSize << ", " << settings.optimizer.kind << " lr "
                  << settings.optimizer.learningRate << "\n";
        if (const int code = runTraining(trainer))
            return code;
        writeRunOutputs(args, trainer, *model, dataSpec);
        return 0;
    }

    Race race(Race::transferSettings(model, data, nullptr, settings));
    std::cout << "Fine-tuning " << loaded.source << " and the same network from scratch on " << data->name() << ", "
              << settings.epochs << " epochs each\n";
    race.start();
    std::vector<std::size_t> printed(static_cast<std::size_t>(race.variantCount()), 0);
    auto printEpochs = [&] {
        for (int v = 0; v < race.variantCount(); ++v)
            for (const auto& e : race.history(v).epochsSince(printed[static_cast<std::size_t>(v)])) {
                std::printf("%-9s epoch %d/%d: loss %.4f, accuracy %.4f, val_loss %.4f, val_accuracy %.4f\n",
                            race.label(v).c_str(), e.epoch + 1, settings.epochs, e.trainLoss, e.trainAccuracy,
                            e.validationLoss, e.validationAccuracy);
                ++printed[static_cast<std::size_t>(v)];
            }
        std::fflush(stdout);
    };
    while (!race.isFinished()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        printEpochs();
    }
    race.wait();
    printEpochs();
    int code = 0;
    for (const RaceResult& r : race.results()) {
        if (!r.error.empty()) {
            std::cerr << r.label << ": " << r.error << "\n";
            code = 3;
            continue;
        }
        std::printf("%s: val_loss %.4f, val_accuracy %.4f, %lld steps\n", r.label.c_str(), r.finalLoss,
                    r.finalAccuracy, r.steps);
    }
    if (args.has("log")) {
        std::ofstream log(args.get("log"));
        if (!log)
            throw std::runtime_error(args.get("log") + ": cannot open for writing");
        // One table for one chart: the run's label first on every line.
        for (int v = 0; v < race.variantCount(); ++v) {
            std::istringstream csv(race.history(v).toCsv());
            std::string line;
            bool header = true;
            while (std::getline(csv, line)) {
                if (header && v > 0) {
                    header = false;
                    continue;
                }
                log << (header ? std::string("run") : race.label(v)) << "," << line << "\n";
                header = false;
            }
        }
    }
    if (args.has("save")) {
        ModelFile::save(args.get("save"), *race.model(0));
        std::cout << "saved: " << args.get("save") << " (the fine-tuned model)\n";
    }
    return code;
}

int eval(const Arguments& args)
{
    DatasetPtr data = loadDataset(args.require("data"));
    LoadedModel loaded = loadModel(args.require("model"), data->sampleShape(), data->classCount());
    Model& model = loaded.model;
    if (!model.isBuilt())
        model.build(1);
    if (model.inputShape() != data->sampleShape())
        throw std::runtime_error("the model expects inputs of shape " + shapeToString(model.inputShape())
                                 + " but " + data->name() + " has samples of shape " + shapeToString(data->sampleShape()));
    auto loss = Trainer::resolveLoss(args.get("loss", "auto"), model, *data);
    const auto result = evaluate(model, *data, *loss, 256, 0);
    std::cout << "samples: " << result.samples << "\nloss: " << result.loss << "\naccuracy: " << result.accuracy << "\n";
    if (data->classCount() >= 5)
        std::cout << "top5: " << result.top5 << "\n";
    return 0;
}

int predict(const Arguments& args)
{
    const std::string modelPath = args.require("model");
    if (hasExtension(modelPath, ".onnx"))
        return predictOnnx(args, modelPath);
    LoadedModel loaded = loadModel(modelPath);
    Model& model = loaded.model;
    if (!model.isBuilt())
        model.build(1);
    const std::string inputPath = args.require("input");
    Tensor input = readInput(inputPath, model.inputShape());
    if (input.shape() == model.inputShape()) {
        Shape batched = input.shape();
        batched.insert(batched.begin(), 1);
        input.reshape(batched);
    }
    Shape perSample(input.shape().begin() + (input.rank() > 0 ? 1 : 0), input.shape().end());
    if (input.rank() < 2 || perSample != model.inputShape())
        throw std::runtime_error(inputPath + ": input shape " + shapeToString(input.shape()) + " does not fit the model's input "
                                 + shapeToString(model.inputShape()) + " (with a batch axis first)");
    const auto started = std::chrono::steady_clock::now();
    const Tensor& output = model.forward(input, false);
    if (args.has("layers")) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        for (int i = 0; i < model.layerCount(); ++i)
            printLayerOutput(model.layer(i).name(), model.layer(i).type(), model.output(i));
        std::printf("ran %d layers in %.1f ms\n", model.layerCount(), seconds * 1000.0);
    }
    if (args.has("output")) {
        writeNpy(args.get("output"), output);
        std::cout << "wrote " << args.get("output") << " " << shapeToString(output.shape()) << "\n";
        return 0;
    }
    printOutputs(output, loaded.training.classNames);
    return 0;
}

int exportModel(const Arguments& args)
{
    LoadedModel loaded = loadModel(args.require("model"));
    if (!loaded.model.isBuilt())
        loaded.model.build(1);
    const std::string output = args.require("output");
    exportOnnx(loaded.model, output);
    std::cout << "wrote " << output << "\n";
    return 0;
}

int gradcheck(const Arguments&)
{
    int failures = 0;
    for (const auto& r : runAllGradientChecks(1)) {
        std::printf("%-6s max error %.2e (tolerance %.0e, %d values)  %s\n", r.passed() ? "ok" : "FAIL", r.maxError,
                    r.tolerance, r.checkedValues, r.subject.c_str());
        failures += !r.passed();
    }
    std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "passed", failures);
    return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv)
{
    // libgomp's threads spin while they wait for work by default; between the many short
    // parallel regions of a training step two spinning threads on two cores take turns with
    // each other (LeNet-5 training: about 2,500 images/s spinning, 16,000 waiting passively).
    // OpenMP reads the policy when the program loads, so restart once with it set, unless the
    // user chose one.
    if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
        ::setenv("OMP_WAIT_POLICY", "passive", 1);
        ::execv("/proc/self/exe", argv);  // returns only on failure: then go on as we are
    }
    try {
        const Arguments args = parse(argc, argv);
        if (args.has("version")) {
            std::cout << "layerlens-cli " << LAYERLENS_VERSION << "\n";
            return 0;
        }
        if (args.command.empty() || args.has("help") || args.command == "help") {
            std::cout << kUsage;
            return args.command.empty() && !args.has("help") ? 2 : 0;
        }
        if (args.command == "summary")
            return summary(args);
        if (args.command == "train")
            return train(args);
        if (args.command == "finetune")
            return finetune(args);
        if (args.command == "eval")
            return eval(args);
        if (args.command == "predict")
            return predict(args);
        if (args.command == "export")
            return exportModel(args);
        if (args.command == "gradcheck")
            return gradcheck(args);
        std::cerr << "layerlens-cli: unknown command '" << args.command << "'\n\n" << kUsage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "layerlens-cli: error: " << e.what() << "\n";
        return 1;
    }
}
