#pragma once
// InspectedModel: one model file seen the same way whatever wrote it, for the model inspector.
// It wraps an OnnxModel (.onnx), a Keras file (.h5/.keras: converted into an engine Model when
// it is a chain, otherwise described as stored) or an engine Model (.llmodel, .json, presets),
// and gives what an inspector shows: one row per layer with its graph inputs, the weight
// tensors of a layer with their statistics, the input the model expects, and a run of one
// image that keeps every layer's output.
//
//   InspectedModel model = InspectedModel::open("cifar.onnx");
//   Tensor image = loadImageTensor("cat.png", model.defaultPreprocessing());  // (1, C, H, W)
//   InspectionResult result = model.run(image);  // result.outputs[i]: layer i's output

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/io/image_loader.h"
#include "core/tensor.h"
#include "core/train/tensor_stats.h"

namespace layerlens::core {

struct InspectedLayer {
    std::string name;
    std::string type;               // "Conv", "Dense", "Input", ...
    std::vector<long long> outputShape;  // batch of one first: (1, C, H, W); empty when unknown
    std::size_t parameters = 0;     // stored values (weights, biases, BN statistics)
    std::size_t trainable = 0;      // of those, the ones training would change
    std::vector<int> inputs;        // indices of the layers feeding this one; empty for inputs
    int depth = 0;                  // longest path from an input (0 for inputs), for graph layouts;
                                    // constants sit in the row above their first consumer
    bool constant = false;          // computed from stored values only (ONNX Constant, Identity or
                                    // Reshape of a weight): no activation, no data flows through it
};

struct InspectedWeight {
    std::string name;   // "kernel", "bias", an ONNX initializer name, ...
    Shape shape;        // as stored by the format
    TensorStats stats;  // with histogram
};

struct InspectionResult {
    // Per layer (index as in layers()): its first output as a float tensor, batch of one first;
    // empty when the layer produces no float value (integer shape arithmetic) or is constant.
    std::vector<Tensor> outputs;
    std::vector<float> logits;         // the model's final output, flattened
    std::vector<float> probabilities;  // logits as probabilities (softmax unless already one)
    bool softmaxApplied = false;
    std::vector<int> ranking;          // class indices, most probable first
};

class InspectedModel {
public:
    // Throws std::runtime_error naming the file and the problem (missing, truncated, not a
    // model). ONNX files with unsupported operators load; canRun() is then false.
    static InspectedModel open(const std::string& path);

    InspectedModel(InspectedModel&&) noexcept;
    InspectedModel& operator=(InspectedModel&&) noexcept;
    ~InspectedModel();

    const std::string& source() const;
    const std::string& format() const;  // "ONNX opset 10, pytorch 1.7", "Keras 2.4.0 (Functional)", ...
    const std::vector<InspectedLayer>& layers() const;
    std::size_t totalParameters() const;
    std::size_t trainableParameters() const;

    bool canRun() const;
    const std::string& whyNotRunnable() const;  // empty when canRun()
    const std::vector<std::string>& unsupportedOperators() const;  // ONNX operators we lack

    // What the model takes, batch of one first ((1, 3, 32, 32), (1, 784), (1, 32, 32, 3));
    // -1 for sizes the file leaves open.
    const std::vector<long long>& inputShape() const;
    // Image settings that produce inputShape(): channels and size from the shape (224 x 224 for
    // open sizes), pixels scaled to [0, 1]; ImageNet mean/std for RGB inputs of 224 and more.
    ImagePreprocessing defaultPreprocessing() const;

    const std::vector<std::string>& classNames() const;  // from the file, or setClassNames
    void setClassNames(std::vector<std::string> names);

    // Weight tensors of layer `layer`, with statistics (computed on each call).
    std::vector<InspectedWeight> weights(int layer) const;

    // `image` is (1, C, H, W) as loadImageTensor gives; it is laid out as the model wants
    // (flattened for (1, F) inputs, transposed for channels-last ones). Throws
    // std::runtime_error when the model cannot run or the sizes do not fit.
    InspectionResult run(const Tensor& image);

    // One class name per non-empty line (trailing whitespace dropped). Throws when unreadable.
    static std::vector<std::string> readLabels(const std::string& path);
    // Logits -> probabilities: kept when they already are one (all in [0, 1], sum 1), else softmax.
    static std::vector<float> toProbabilities(const std::vector<float>& logits, bool* softmaxApplied = nullptr);

    struct Impl;  // opaque; public only so the loaders in the .cpp can fill it

private:
    explicit InspectedModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace layerlens::core
