#include "core/keras/keras_reader.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <fstream>
#include <map>
#include <stdexcept>

#include "core/io/child_process_check.h"
#include "core/keras/hdf5_file.h"
#include "core/keras/keras_config_parser.h"
#include "core/keras/zip_archive.h"

namespace layerlens::core {

namespace {

using detail::Hdf5File;
using nlohmann::json;

// "dense/kernel:0" -> "kernel"; "batch_normalization/moving_mean:0" -> "moving_mean".
std::string weightRole(const std::string& weightName)
{
    std::string role = weightName.substr(weightName.rfind('/') == std::string::npos ? 0 : weightName.rfind('/') + 1);
    const auto colon = role.rfind(':');
    if (colon != std::string::npos)
        role.resize(colon);
    return role;
}

std::string joinPath(const std::string& group, const std::string& name)
{
    return group == "/" ? "/" + name : group + "/" + name;
}

// Keras 2: one layer's weights from <group>/<layer>, in the order of its "weight_names".
std::vector<KerasWeight> readKeras2LayerWeights(const Hdf5File& file, const std::string& weightsRoot,
                                                const std::string& layerName)
{
    std::vector<KerasWeight> weights;
    const std::string group = joinPath(weightsRoot, layerName);
    if (!file.isGroup(group))
        throw std::runtime_error(file.label() + ": layer \"" + layerName + "\" is listed in \"layer_names\" but its weight group "
                                 + group + " is missing");
    const auto names = file.stringListAttribute(group, "weight_names");
    if (!names)
        throw std::runtime_error(file.label() + ": weight group " + group + " has no \"weight_names\" attribute");
    for (const auto& name : *names) {
        const std::string path = joinPath(group, name);
        if (!file.isDataset(path))
            throw std::runtime_error(file.label() + ": layer \"" + layerName + "\": missing weight \"" + name
                                     + "\" (listed in weight_names; expected dataset " + path + ")");
        KerasWeight weight;
        weight.name = weightRole(name);
        weight.path = path;
        weight.shape = file.datasetShape(path);
        weight.values = file.readFloats(path);
        weights.push_back(std::move(weight));
    }
    return weights;
}

// Keras 3 stores variables by position; these are the names Keras gives them, in order.
std::vector<std::string> keras3Roles(const KerasLayer& layer)
{
    const std::string& c = layer.className;
    if (c == "Dense" || c == "EinsumDense" || c.rfind("Conv", 0) == 0)
        return {"kernel", "bias"};
    if (c == "DepthwiseConv2D" || c == "DepthwiseConv1D")
        return {"depthwise_kernel", "bias"};
    if (c == "BatchNormalization" || c == "LayerNormalization") {
        std::vector<std::string> roles;
        if (layer.config.value("scale", true))
            roles.emplace_back("gamma");
        if (layer.config.value("center", true))
            roles.emplace_back("beta");
        if (c == "BatchNormalization") {
            roles.emplace_back("moving_mean");
            roles.emplace_back("moving_variance");
        }
        return roles;
    }
    if (c == "Embedding")
        return {"embeddings"};
    if (c == "PReLU")
        return {"alpha"};
    return {};
}

// keras.src.utils.naming.to_snake_case: "MaxPooling2D" -> "max_pooling2d", "LeakyReLU" -> "leaky_re_lu".
std::string toSnakeCase(const std::string& name)
{
    std::string clean;
    for (char ch : name)
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')
            clean += ch;
    auto isUpper = [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) != 0; };
    auto isLower = [](char ch) { return std::islower(static_cast<unsigned char>(ch)) != 0; };
    // (.)([A-Z][a-z]+) -> \1_\2
    std::string step1;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        if (i > 0 && isUpper(clean[i]) && i + 1 < clean.size() && isLower(clean[i + 1]))
            step1 += '_';
        step1 += clean[i];
    }
    // ([a-z])([A-Z]) -> \1_\2, then lower case
    std::string out;
    for (std::size_t i = 0; i < step1.size(); ++i) {
        if (i > 0 && isLower(step1[i - 1]) && isUpper(step1[i]))
            out += '_';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(step1[i])));
    }
    return out;
}

std::vector<std::string> sortedNumerically(std::vector<std::string> names)
{
    std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
        const bool na = !a.empty() && std::all_of(a.begin(), a.end(), ::isdigit);
        const bool nb = !b.empty() && std::all_of(b.begin(), b.end(), ::isdigit);
        if (na && nb)
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        return na && !nb;
    });
    return names;
}

void readKeras3Weights(const Hdf5File& file, KerasModel& model)
{
    // Keras 3 names each saved layer after its class ("dense", "dense_1", ...), counting in the
    // order of model.layers (which for a Sequential excludes the InputLayer), not after layer.name.
    // Keras 2.13-2.15 wrote "_layer_checkpoint_dependencies/<layer name>"; try both.
    std::map<std::string, int> used;
    for (auto& layer : model.layers) {
        if (layer.className == "InputLayer" && model.modelClassName == "Sequential")
            continue;
        std::string key = toSnakeCase(layer.className);
        const int n = used.count(key) ? ++used[key] : (used[key] = 0);
        if (n > 0)
            key += "_" + std::to_string(n);
        std::string group;
        for (const std::string& candidate : {"/layers/" + key, "/layers/" + layer.name,
                                             "/_layer_checkpoint_dependencies/" + layer.name}) {
            if (file.isGroup(candidate + "/vars")) {
                group = candidate + "/vars";
                break;
            }
        }
        if (group.empty())
            continue;  // a layer without variables may have no group at all
        const std::vector<std::string> roles = keras3Roles(layer);
        const std::vector<std::string> vars = sortedNumerically(file.children(group));
        for (std::size_t i = 0; i < vars.size(); ++i) {
            KerasWeight weight;
            weight.name = i < roles.size() ? roles[i] : vars[i];
            weight.path = group + "/" + vars[i];
            if (!file.isDataset(weight.path))
                throw std::runtime_error(file.label() + ": " + weight.path + " is not a dataset");
            weight.shape = file.datasetShape(weight.path);
            weight.values = file.readFloats(weight.path);
            layer.weights.push_back(std::move(weight));
        }
    }
}

std::string readSignature(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open the file (missing or unreadable)");
    char bytes[8] = {};
    in.read(bytes, sizeof bytes);
    return std::string(bytes, static_cast<std::size_t>(in.gcount()));
}

}  // namespace

KerasModel KerasReader::readFile(const std::string& path)
{
    // libhdf5 1.10 can crash (in its global heap reader) or loop forever on some corrupt files,
    // as a fuzzer found; reading the file once in a child process first makes such a file an
    // error message. The in-process read below then meets only files that read cleanly.
    if (const auto failure = failureInChildProcess([&] { (void)readFileUnchecked(path); }, std::chrono::seconds(30)))
        throw std::runtime_error(path + ": not a readable Keras file: the HDF5 library " + *failure
                                 + " while reading it, so the file is damaged");
    return readFileUnchecked(path);
}

KerasModel KerasReader::readFileUnchecked(const std::string& path)
{
    const std::string signature = readSignature(path);
    if (signature.rfind("PK", 0) == 0)
        return readKeras3(path);
    if (signature == std::string("\x89HDF\r\n\x1a\n", 8))
        return readHdf5(path);
    if (signature.empty())
        throw std::runtime_error(path + ": the file is empty");
    // HDF5 allows a user block before the signature; let HDF5 itself decide.
    return readHdf5(path);
}

KerasModel KerasReader::readHdf5(const std::string& path)
{
    Hdf5File file(path);
    KerasModel model;
    model.source = path;
    const auto modelConfig = file.stringAttribute("/", "model_config");
    const std::string weightsRoot = modelConfig && file.isGroup("/model_weights") ? "/model_weights" : "/";
    model.kerasVersion = file.stringAttribute("/", "keras_version")
                             .value_or(file.stringAttribute(weightsRoot, "keras_version").value_or(""));
    model.backend = file.stringAttribute("/", "backend").value_or(file.stringAttribute(weightsRoot, "backend").value_or(""));
    if (const auto labels = file.stringListAttribute("/", "class_names"))
        model.classNames = *labels;

    const auto layerNames = file.stringListAttribute(weightsRoot, "layer_names");
    if (modelConfig) {
        model.format = "keras2-h5";
        KerasConfigParser::parse(*modelConfig, model, path + ": model_config");
    } else if (layerNames) {
        model.format = "keras2-h5-weights";
    } else if (file.isGroup("/layers") || file.isGroup("/_layer_checkpoint_dependencies")) {
        throw std::runtime_error(path + ": a Keras 3 weights file without its architecture (missing model_config); "
                                 "open the .keras file that holds it instead");
    } else {
        throw std::runtime_error(path + ": an HDF5 file, but not a Keras model: missing model_config (and no "
                                 "\"layer_names\" of a weights-only file)");
    }

    if (!layerNames) {
        if (weightsRoot == "/model_weights")
            throw std::runtime_error(path + ": group /model_weights has no \"layer_names\" attribute");
        return model;  // a model saved without weights (include_optimizer/save_weights off)
    }
    for (const auto& name : *layerNames) {
        std::vector<KerasWeight> weights = readKeras2LayerWeights(file, weightsRoot, name);
        if (model.hasConfig()) {
            auto it = std::find_if(model.layers.begin(), model.layers.end(),
                                   [&name](const KerasLayer& l) { return l.name == name; });
            if (it == model.layers.end()) {
                if (weights.empty())
                    continue;
                throw std::runtime_error(path + ": weights for layer \"" + name + "\", which model_config does not define");
            }
            it->weights = std::move(weights);
        } else {
            KerasLayer layer;
            layer.name = name;
            layer.weights = std::move(weights);
            model.layers.push_back(std::move(layer));
        }
    }
    return model;
}

KerasModel KerasReader::readKeras3(const std::string& path)
{
    detail::ZipArchive zip(path);
    KerasModel model;
    model.source = path;
    model.format = "keras3";
    for (const char* required : {"config.json", "model.weights.h5"})
        if (!zip.contains(required))
            throw std::runtime_error(path + ": not a Keras 3 .keras file: the archive has no " + required);
    if (zip.contains("metadata.json")) {
        const std::vector<char> bytes = zip.read("metadata.json");
        const json metadata = json::parse(bytes.begin(), bytes.end(), nullptr, false);
        if (metadata.is_object()) {
            if (metadata.contains("keras_version") && metadata["keras_version"].is_string())
                model.kerasVersion = metadata["keras_version"].get<std::string>();
            if (metadata.contains("backend") && metadata["backend"].is_string())
                model.backend = metadata["backend"].get<std::string>();
            if (metadata.contains("class_names") && metadata["class_names"].is_array())
                for (const auto& label : metadata["class_names"])
                    if (label.is_string())
                        model.classNames.push_back(label.get<std::string>());
        }
    }
    const std::vector<char> configBytes = zip.read("config.json");
    KerasConfigParser::parse(std::string(configBytes.begin(), configBytes.end()), model, path + ": config.json");
    const Hdf5File weights(zip.read("model.weights.h5"), path + ": model.weights.h5");
    readKeras3Weights(weights, model);
    return model;
}

}  // namespace layerlens::core
