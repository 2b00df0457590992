// layerlens-bench CASE: runs one benchmark case once and prints one JSON line
// {"case": ..., "value": ..., "unit": ..., "peak_rss_mb": ...}. bench/run.py runs each case
// several times next to the PyTorch reference (bench/pytorch_reference.py) and reports medians.
// `--limit N` (for profiling under callgrind or perf) trains on the first N images only and
// runs inference on the first N test images.
// `layerlens-bench --layers PRESET [BATCH] [--inference]` prints each layer's forward and
// backward time on a random batch (median of 200 training steps, or of 5 inference passes with
// --inference): where a step's time goes.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>
#include <iostream>
#include <stdexcept>
#include <string>

#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/model/presets.h"
#include "core/rng.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double trainImagesPerSecond(const std::string& preset, const std::string& spec, int batch, bool watch,
                            const std::string& optimizer = "momentum")
{
    DatasetPtr data = loadDataset(spec);
    auto model = std::make_shared<Model>(Model::fromJson(presetDescription(preset, data->sampleShape(), data->classCount())));
    model->build(1);
    TrainerSettings settings;
    settings.epochs = 1;
    settings.batchSize = batch;
    settings.optimizer.kind = optimizer;
    settings.optimizer.learningRate = optimizer == "adam" ? 0.001f : 0.01f;
    settings.optimizer.momentum = 0.9f;
    settings.validationSplit = 0;
    settings.capture.statistics = watch;
    settings.capture.probeCount = watch ? 8 : 0;
    settings.capture.maxPublishHz = 30;
    Trainer trainer(model, data, nullptr, settings);
    double rate = 0;
    trainer.runBlocking([&](const Snapshot& s) { rate = s.imagesPerSecond; });
    return rate;
}

double inferenceImagesPerSecond(int batch, const std::string& limit)
{
    DatasetPtr data = loadDataset("fashion-mnist:test" + limit);
    Model model = Model::fromJson(presetDescription("lenet5", data->sampleShape(), data->classCount()));
    model.build(1);
    std::vector<std::uint32_t> order(data->size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<std::uint32_t>(i);
    Tensor inputs, targets, labels;
    // Batches are gathered first so that the rate is the network's alone.
    std::vector<Tensor> batches;
    for (std::size_t begin = 0; begin + static_cast<std::size_t>(batch) <= order.size(); begin += static_cast<std::size_t>(batch)) {
        data->gather(order, begin, static_cast<std::size_t>(batch), inputs, targets, labels);
        batches.push_back(inputs);
    }
    if (batches.empty())
        throw std::runtime_error("lenet5_infer needs at least " + std::to_string(batch) + " test images");
    model.forward(batches[0], false);
    const auto start = std::chrono::steady_clock::now();
    double images = 0;
    for (const auto& b : batches) {
        model.forward(b, false);
        images += b.dim(0);
    }
    return images / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double vgg16MillisecondsPerImage()
{
    Model model = Model::fromJson(presetDescription("vgg16", {}, 0));  // 1000 classes
    model.build(1);
    Tensor input({1, 3, 224, 224});
    Rng rng(1);
    for (std::size_t i = 0; i < input.size(); ++i)
        input[i] = rng.uniform();
    model.forward(input, false);  // warm-up
    const int runs = 5;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i)
        model.forward(input, false);
    return 1000.0 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
}

int profileLayers(const std::string& preset, int batch, bool inference)
{
    Model model = Model::fromJson(presetDescription(preset, {}, 0));
    model.build(1);
    Shape shape{batch};
    for (int d : model.inputShape())
        shape.push_back(d);
    Tensor input(shape);
    Rng rng(1);
    for (std::size_t i = 0; i < input.size(); ++i)
        input[i] = rng.uniform();
    model.forward(input, true);
    Tensor gradOutput(model.output().shape());
    for (std::size_t i = 0; i < gradOutput.size(); ++i)
        gradOutput[i] = rng.uniform(-0.5f, 0.5f);
    const int layers = model.layerCount();
    std::vector<std::vector<double>> forward(static_cast<std::size_t>(layers)), backward(forward);
    using Clock = std::chrono::steady_clock;
    auto micros = [](Clock::time_point since) { return std::chrono::duration<double, std::micro>(Clock::now() - since).count(); };
    for (int step = 0; step < (inference ? 5 : 200); ++step) {
        model.setInput(input);
        for (int i = 0; i < layers; ++i) {
            const auto start = Clock::now();
            model.forwardLayer(i, !inference);
            forward[static_cast<std::size_t>(i)].push_back(micros(start));
        }
        if (inference) {
            for (auto& b : backward)
                b.push_back(0.0);
            continue;
        }
        model.setOutputGradient(gradOutput);
        for (int i = layers - 1; i >= 0; --i) {
            const auto start = Clock::now();
            model.backwardLayer(i);
            backward[static_cast<std::size_t>(i)].push_back(micros(start));
        }
    }
    auto median = [](std::vector<double>& v) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    double totalForward = 0, totalBackward = 0;
    std::printf("%-16s %-36s %12s %12s\n", "layer", "", "forward us", "backward us");
    for (int i = 0; i < layers; ++i) {
        const double f = median(forward[static_cast<std::size_t>(i)]), b = median(backward[static_cast<std::size_t>(i)]);
        totalForward += f;
        totalBackward += b;
        std::printf("%-16s %-36s %12.1f %12.1f\n", model.layer(i).name().c_str(), model.layer(i).describe().c_str(), f, b);
    }
    std::printf("%-16s %-36s %12.1f %12.1f\n", "total", ("batch " + std::to_string(batch)).c_str(), totalForward,
                totalBackward);
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc >= 3 && std::string(argv[1]) == "--layers") {
        try {
            const bool inference = std::string(argv[argc - 1]) == "--inference";
            const int numbers = argc - 3 - (inference ? 1 : 0);
            return profileLayers(argv[2], numbers >= 1 ? std::stoi(argv[3]) : 64, inference);
        } catch (const std::exception& e) {
            std::cerr << "layerlens-bench: " << e.what() << "\n";
            return 1;
        }
    }
    if (argc < 2) {
        std::cerr << "usage: layerlens-bench lenet5_train|lenet5_train_adam|mlp_train|tinyvgg_train|vgg16_forward|lenet5_infer|lenet5_train_watched"
                     " [--limit N]\n       layerlens-bench --layers PRESET [BATCH]\n";
        return 2;
    }
    const std::string which = argv[1];
    // Appended to every dataset spec: "?limit=N" or "&limit=N".
    std::string limit;
    if (argc == 4 && std::string(argv[2]) == "--limit")
        limit = std::string("limit=") + argv[3];
    auto spec = [&](const std::string& base) {
        if (limit.empty())
            return base;
        return base + (base.find('?') == std::string::npos ? "?" : "&") + limit;
    };
    double value = 0;
    std::string unit = "images/s";
    try {
        if (which == "lenet5_train")
            value = trainImagesPerSecond("lenet5", spec("fashion-mnist"), 64, false);
        else if (which == "lenet5_train_adam")
            value = trainImagesPerSecond("lenet5", spec("fashion-mnist"), 64, false, "adam");
        else if (which == "lenet5_train_watched")
            value = trainImagesPerSecond("lenet5", spec("fashion-mnist"), 64, true);
        else if (which == "mlp_train")
            value = trainImagesPerSecond("mlp", spec("fashion-mnist"), 64, false);
        else if (which == "tinyvgg_train")
            value = trainImagesPerSecond("tinyvgg", spec("shapes?n=3000&size=64&seed=1"), 32, false);
        else if (which == "lenet5_infer")
            value = inferenceImagesPerSecond(256, limit.empty() ? std::string() : "?" + limit);
        else if (which == "vgg16_forward") {
            value = vgg16MillisecondsPerImage();
            unit = "ms/image";
        } else {
            std::cerr << "unknown case " << which << "\n";
            return 2;
        }
    } catch (const std::exception& e) {
        std::cerr << "layerlens-bench: " << e.what() << "\n";
        return 1;
    }
    std::printf("{\"case\": \"%s\", \"value\": %.3f, \"unit\": \"%s\", \"peak_rss_mb\": %.1f}\n", which.c_str(), value,
                unit.c_str(), peakRssMb());
    return 0;
}
