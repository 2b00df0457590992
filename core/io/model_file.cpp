#include "core/io/model_file.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace layerlens::core {

namespace {

constexpr char kMagic[8] = {'L', 'L', 'M', 'O', 'D', 'E', 'L', '1'};
constexpr std::uint64_t kMaxHeader = 256ull << 20;

struct TensorWriter {
    nlohmann::json directory = nlohmann::json::array();
    std::vector<const Tensor*> tensors;
    std::uint64_t offset = 0;
    void add(const std::string& name, const Tensor& t)
    {
        directory.push_back({{"name", name}, {"shape", t.shape()}, {"offset", offset}});
        tensors.push_back(&t);
        offset += t.size() * sizeof(float);
    }
};

nlohmann::json optimizerToJson(const OptimizerSettings& s)
{
    return {{"kind", s.kind}, {"learning_rate", s.learningRate}, {"momentum", s.momentum}, {"beta1", s.beta1},
            {"beta2", s.beta2}, {"epsilon", s.epsilon}, {"rho", s.rho}, {"weight_decay", s.weightDecay},
            {"l1", s.l1}, {"l2", s.l2}, {"clip_norm", s.clipNorm}, {"clip_value", s.clipValue}};
}

OptimizerSettings optimizerFromJson(const nlohmann::json& j)
{
    OptimizerSettings s;
    s.kind = j.value("kind", s.kind);
    s.learningRate = j.value("learning_rate", s.learningRate);
    s.momentum = j.value("momentum", s.momentum);
    s.beta1 = j.value("beta1", s.beta1);
    s.beta2 = j.value("beta2", s.beta2);
    s.epsilon = j.value("epsilon", s.epsilon);
    s.rho = j.value("rho", s.rho);
    s.weightDecay = j.value("weight_decay", s.weightDecay);
    s.l1 = j.value("l1", s.l1);
    s.l2 = j.value("l2", s.l2);
    s.clipNorm = j.value("clip_norm", s.clipNorm);
    s.clipValue = j.value("clip_value", s.clipValue);
    return s;
}

}  // namespace

void ModelFile::save(const std::string& path, const Model& model, const SavedTraining* training)
{
    Model& mutableModel = const_cast<Model&>(model);  // parameters() is non-const; nothing is modified
    nlohmann::json header;
    header["format"] = "layerlens-model";
    header["version"] = 1;
    header["model"] = model.toJson();
    TensorWriter writer;
    for (int i = 0; i < model.layerCount(); ++i) {
        Layer& layer = mutableModel.layer(i);
        for (Parameter* p : layer.parameters())
            writer.add("layers/" + std::to_string(i) + "/" + p->name, p->value);
        for (Parameter* p : layer.buffers())
            writer.add("layers/" + std::to_string(i) + "/" + p->name, p->value);
    }
    if (training) {
        nlohmann::json t;
        t["optimizer"] = optimizerToJson(training->optimizer);
        t["optimizer_steps"] = training->optimizerSteps;
        t["step"] = training->step;
        t["epoch"] = training->epoch;
        t["dataset"] = training->datasetSpec;
        t["class_names"] = training->classNames;
        t["rng_state"] = training->rngState;
        t["order"] = training->order;
        t["cursor"] = training->cursor;
        if (!training->extra.is_null())
            t["extra"] = training->extra;
        for (std::size_t i = 0; i < training->optimizerState.size(); ++i)
            writer.add("optimizer/" + std::to_string(i), training->optimizerState[i]);
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& r : training->steps)
            steps.push_back({r.step, r.epoch, r.loss, r.accuracy, r.learningRate});
        nlohmann::json epochs = nlohmann::json::array();
        for (const auto& r : training->epochs)
            epochs.push_back({r.epoch, r.step, r.trainLoss, r.trainAccuracy, r.validationLoss, r.validationAccuracy, r.seconds});
        t["history"] = {{"steps", steps}, {"epochs", epochs}};
        header["training"] = t;
    }
    header["tensors"] = writer.directory;
    const std::string text = header.dump();

    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            throw std::runtime_error(path + ": cannot open for writing");
        out.write(kMagic, sizeof kMagic);
        const std::uint64_t length = text.size();
        out.write(reinterpret_cast<const char*>(&length), sizeof length);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const Tensor* t : writer.tensors)
            out.write(reinterpret_cast<const char*>(t->data()), static_cast<std::streamsize>(t->size() * sizeof(float)));
        out.flush();
        if (!out)
            throw std::runtime_error(path + ": write failed (disk full?)");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error)
        throw std::runtime_error(path + ": cannot replace the file: " + error.message());
}

bool ModelFile::looksLikeModelFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[8] = {};
    in.read(magic, sizeof magic);
    return in && std::memcmp(magic, kMagic, sizeof kMagic) == 0;
}

Model ModelFile::load(const std::string& path, SavedTraining* training)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open the file");
    in.seekg(0, std::ios::end);
    const auto fileSize = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0);
    char magic[8] = {};
    in.read(magic, sizeof magic);
    if (!in || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
        throw std::runtime_error(path + ": not a LayerLens model file (expected the magic \"LLMODEL1\" at the start)");
    std::uint64_t length = 0;
    in.read(reinterpret_cast<char*>(&length), sizeof length);
    if (!in || length > kMaxHeader || 16 + length > fileSize)
        throw std::runtime_error(path + ": the header length " + std::to_string(length) + " does not fit the file of "
                                 + std::to_string(fileSize) + " bytes (truncated or corrupt)");
    std::string text(length, '\0');
    in.read(text.data(), static_cast<std::streamsize>(length));
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": the header is not valid JSON: " + e.what());
    }
    if (header.value("format", "") != "layerlens-model")
        throw std::runtime_error(path + ": header field \"format\" should be \"layerlens-model\"");
    Model model;
    try {
        model = Model::fromJson(header.at("model"));
        model.build(0);
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": field \"model\": " + e.what());
    }
    const std::uint64_t dataStart = 16 + length;
    const std::uint64_t dataSize = fileSize - dataStart;
    std::map<std::string, std::pair<Shape, std::uint64_t>> directory;
    for (const auto& entry : header.value("tensors", nlohmann::json::array())) {
        try {
            directory[entry.at("name").get<std::string>()] = {entry.at("shape").get<Shape>(), entry.at("offset").get<std::uint64_t>()};
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ": field \"tensors\": " + e.what());
        }
    }
    auto readTensor = [&](const std::string& name, Tensor& into, const Shape* expected) {
        auto it = directory.find(name);
        if (it == directory.end())
            throw std::runtime_error(path + ": tensor \"" + name + "\" is missing");
        const auto& [shape, offset] = it->second;
        if (expected && shape != *expected)
            throw std::runtime_error(path + ": tensor \"" + name + "\" has shape " + shapeToString(shape) + ", expected "
                                     + shapeToString(*expected));
        const std::uint64_t bytes = shapeSize(shape) * sizeof(float);
        if (offset > dataSize || bytes > dataSize - offset)
            throw std::runtime_error(path + ": tensor \"" + name + "\" lies beyond the end of the file (truncated)");
        into.resize(shape);
        in.seekg(static_cast<std::streamoff>(dataStart + offset));
        in.read(reinterpret_cast<char*>(into.data()), static_cast<std::streamsize>(bytes));
        if (!in)
            throw std::runtime_error(path + ": reading tensor \"" + name + "\" failed");
    };
    for (int i = 0; i < model.layerCount(); ++i) {
        Layer& layer = model.layer(i);
        for (Parameter* p : layer.parameters()) {
            const Shape expected = p->value.shape();
            readTensor("layers/" + std::to_string(i) + "/" + p->name, p->value, &expected);
        }
        for (Parameter* p : layer.buffers()) {
            const Shape expected = p->value.shape();
            readTensor("layers/" + std::to_string(i) + "/" + p->name, p->value, &expected);
        }
    }
    if (training && header.contains("training")) {
        const auto& t = header["training"];
        training->optimizer = optimizerFromJson(t.value("optimizer", nlohmann::json::object()));
        training->optimizerSteps = t.value("optimizer_steps", 0LL);
        training->step = t.value("step", 0LL);
        training->epoch = t.value("epoch", 0);
        training->datasetSpec = t.value("dataset", "");
        training->classNames = t.value("class_names", std::vector<std::string>{});
        training->rngState = t.value("rng_state", std::vector<std::uint64_t>{});
        training->order = t.value("order", std::vector<std::uint32_t>{});
        training->cursor = t.value("cursor", std::size_t{0});
        training->extra = t.value("extra", nlohmann::json());
        training->optimizerState.clear();
        for (int i = 0;; ++i) {
            const std::string name = "optimizer/" + std::to_string(i);
            if (!directory.count(name))
                break;
            training->optimizerState.emplace_back();
            readTensor(name, training->optimizerState.back(), nullptr);
        }
        training->steps.clear();
        training->epochs.clear();
        if (t.contains("history")) {
            for (const auto& r : t["history"].value("steps", nlohmann::json::array()))
                training->steps.push_back({r.at(0).get<long long>(), r.at(1).get<double>(), r.at(2).get<float>(),
                                           r.at(3).get<float>(), r.at(4).get<float>(), {}});
            for (const auto& r : t["history"].value("epochs", nlohmann::json::array()))
                training->epochs.push_back({r.at(0).get<int>(), r.at(1).get<long long>(), r.at(2).get<float>(),
                                            r.at(3).get<float>(), r.at(4).get<float>(), r.at(5).get<float>(), r.at(6).get<double>()});
        }
    }
    return model;
}

}  // namespace layerlens::core
