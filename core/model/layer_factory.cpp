#include "core/model/layer_factory.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "core/layers/activation_layer.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/batch_norm.h"
#include "core/layers/conv2d.h"
#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/flatten.h"
#include "core/layers/global_average_pool.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/reshape.h"
#include "core/layers/rescaling.h"
#include "core/layers/softmax.h"

namespace layerlens::core {

namespace {

using Json = nlohmann::json;

std::string lowerNoUnderscore(const std::string& text)
{
    std::string out;
    for (char c : text)
        if (c != '_' && c != '-' && c != ' ')
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Reads the fields of one layer description and reports problems by field name.
class Fields {
public:
    Fields(const Json& json, std::string type)
        : m_json(json)
        , m_type(std::move(type))
    {
    }

    [[noreturn]] void fail(const std::string& field, const std::string& expected) const
    {
        std::string found = m_json.contains(field) ? m_json[field].dump() : std::string("nothing");
        if (found.size() > 60)
            found = found.substr(0, 57) + "...";
        throw std::invalid_argument(m_type + ": field \"" + field + "\" must be " + expected + ", found " + found);
    }

    bool has(const std::string& field) const { return m_json.contains(field) && !m_json[field].is_null(); }

    int integer(const std::string& field, int fallback, int minimum, bool required = false) const
    {
        if (!has(field)) {
            if (required)
                fail(field, "given (an integer >= " + std::to_string(minimum) + ")");
            return fallback;
        }
        const Json& v = m_json[field];
        if (!isInteger(v) || v.get<double>() < minimum)
            fail(field, "an integer >= " + std::to_string(minimum));
        return static_cast<int>(v.get<double>());
    }

    std::array<int, 2> pair(const std::string& field, std::array<int, 2> fallback, int minimum,
                            bool required = false) const
    {
        if (!has(field)) {
            if (required)
                fail(field, "given (an integer or [height, width])");
            return fallback;
        }
        const Json& v = m_json[field];
        const std::string expected = "an integer >= " + std::to_string(minimum) + " or a pair [height, width]";
        if (isInteger(v)) {
            const int x = static_cast<int>(v.get<double>());
            if (x < minimum)
                fail(field, expected);
            return {x, x};
        }
        if (v.is_array() && v.size() == 2 && isInteger(v[0]) && isInteger(v[1])) {
            const int a = static_cast<int>(v[0].get<double>());
            const int b = static_cast<int>(v[1].get<double>());
            if (a < minimum || b < minimum)
                fail(field, expected);
            return {a, b};
        }
        fail(field, expected);
    }

    float number(const std::string& field, float fallback) const
    {
        if (!has(field))
            return fallback;
        if (!m_json[field].is_number())
            fail(field, "a number");
        return m_json[field].get<float>();
    }

    bool boolean(const std::string& field, bool fallback) const
    {
        if (!has(field))
            return fallback;
        if (!m_json[field].is_boolean())
            fail(field, "true or false");
        return m_json[field].get<bool>();
    }

    std::string string(const std::string& field) const
    {
        if (!m_json[field].is_string())
            fail(field, "a string");
        return m_json[field].get<std::string>();
    }

    Padding2D padding(bool allowExplicit) const
    {
        if (!has("padding"))
            return Padding2D::valid();
        const Json& v = m_json["padding"];
        const std::string expected = allowExplicit ? "\"valid\", \"same\", an integer or [height, width]"
                                                   : "\"valid\" or \"same\"";
        if (v.is_string()) {
            const std::string p = lowerNoUnderscore(v.get<std::string>());
            if (p == "valid")
                return Padding2D::valid();
            if (p == "same")
                return Padding2D::same();
            fail("padding", expected);
        }
        if (!allowExplicit)
            fail("padding", expected);
        const auto p = pair("padding", {0, 0}, 0);
        if (p[0] == 0 && p[1] == 0)
            return Padding2D::valid();
        return Padding2D::explicitPadding(p[0], p[1]);
    }

    Initializer initializer(const std::string& field) const
    {
        if (!has(field))
            return Initializer::glorotUniform();
        try {
            return Initializer::fromJson(m_json[field]);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(m_type + ": field \"" + field + "\": " + e.what());
        }
    }

    void allowOnly(const std::set<std::string>& fields) const
    {
        static const std::set<std::string> common = {"type", "name", "trainable"};
        for (const auto& item : m_json.items()) {
            if (common.count(item.key()) || fields.count(item.key()))
                continue;
            std::string list;
            for (const auto& f : fields)
                list += (list.empty() ? "" : ", ") + ("\"" + f + "\"");
            throw std::invalid_argument(m_type + ": unknown field \"" + item.key() + "\"; expected "
                                        + (list.empty() ? std::string("only \"name\" and \"trainable\"")
                                                        : "one of " + list + ", \"name\", \"trainable\""));
        }
    }

private:
    static bool isInteger(const Json& v)
    {
        if (v.is_number_integer())
            return true;
        return v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>()));
    }

    const Json& m_json;
    std::string m_type;
};

// The activation of a Dense/Conv2D/Activation description; nullopt for linear.
std::optional<Activation> activationOf(const Fields& fields, bool required)
{
    if (!fields.has("activation")) {
        if (required)
            fields.fail("activation", "given (e.g. \"relu\")");
        return std::nullopt;
    }
    const std::string name = fields.string("activation");
    auto activation = Activation::fromName(name);
    if (!activation) {
        std::string list;
        for (const auto& n : Activation::names())
            list += (list.empty() ? "" : ", ") + n;
        fields.fail("activation", "one of " + list);
    }
    if (fields.has("alpha"))
        activation->alpha = fields.number("alpha", activation->alpha);
    if (activation->kind == ActivationKind::Linear)
        return std::nullopt;
    return activation;
}

LayerPtr activationLayer(const Activation& activation)
{
    if (activation.kind == ActivationKind::Softmax)
        return std::make_unique<Softmax>();
    return std::make_unique<ActivationLayer>(activation);
}

struct TypeAlias {
    const char* key;  // lower case, no underscores
    const char* type;
};
constexpr TypeAlias kAliases[] = {
    {"dense", "Dense"},
    {"linear", "Dense"},
    {"conv2d", "Conv2D"},
    {"convolution2d", "Conv2D"},
    {"maxpool2d", "MaxPool2D"},
    {"maxpooling2d", "MaxPool2D"},
    {"avgpool2d", "AvgPool2D"},
    {"averagepool2d", "AvgPool2D"},
    {"averagepooling2d", "AvgPool2D"},
    {"avgpooling2d", "AvgPool2D"},
    {"globalaveragepool", "GlobalAveragePool"},
    {"globalaveragepool2d", "GlobalAveragePool"},
    {"globalaveragepooling2d", "GlobalAveragePool"},
    {"globalavgpool", "GlobalAveragePool"},
    {"globalavgpool2d", "GlobalAveragePool"},
    {"flatten", "Flatten"},
    {"reshape", "Reshape"},
    {"dropout", "Dropout"},
    {"batchnorm", "BatchNorm"},
    {"batchnormalization", "BatchNorm"},
    {"batchnorm1d", "BatchNorm"},
    {"batchnorm2d", "BatchNorm"},
    {"activation", "Activation"},
    {"softmax", "Softmax"},
    {"rescaling", "Rescaling"},
};

}  // namespace

std::vector<std::string> layerTypeNames()
{
    return {"Dense",   "Conv2D",  "MaxPool2D", "AvgPool2D",  "GlobalAveragePool", "Flatten",
            "Reshape", "Dropout", "BatchNorm", "Activation", "Softmax", "Rescaling"};
}

std::vector<LayerPtr> createLayers(const nlohmann::json& description)
{
    if (!description.is_object())
        throw std::invalid_argument("layer description: expected a JSON object like {\"type\": \"Dense\", ...}, found "
                                    + description.dump().substr(0, 60));
    if (!description.contains("type") || !description["type"].is_string()) {
        std::string list;
        for (const auto& n : layerTypeNames())
            list += (list.empty() ? "" : ", ") + n;
        throw std::invalid_argument("layer description: field \"type\" must be a string, one of " + list);
    }
    const std::string given = description["type"].get<std::string>();
    const std::string key = lowerNoUnderscore(given);
    std::string type;
    for (const auto& alias : kAliases)
        if (key == alias.key)
            type = alias.type;
    if (type.empty()) {
        std::string list;
        for (const auto& n : layerTypeNames())
            list += (list.empty() ? "" : ", ") + n;
        throw std::invalid_argument("layer description: unknown layer type \"" + given + "\"; expected one of " + list);
    }

    const Fields f(description, type);
    std::vector<LayerPtr> layers;
    std::optional<Activation> activation;
    if (type == "Dense") {
        f.allowOnly({"units", "use_bias", "activation", "alpha", "kernel_initializer"});
        activation = activationOf(f, false);
        layers.push_back(std::make_unique<Dense>(f.integer("units", 0, 1, true), f.boolean("use_bias", true),
                                                 f.initializer("kernel_initializer")));
    } else if (type == "Conv2D") {
        f.allowOnly({"filters", "kernel_size", "strides", "padding", "dilation", "dilation_rate", "use_bias",
                     "activation", "alpha", "kernel_initializer"});
        activation = activationOf(f, false);
        const auto dilation = f.has("dilation") ? f.pair("dilation", {1, 1}, 1) : f.pair("dilation_rate", {1, 1}, 1);
        layers.push_back(std::make_unique<Conv2D>(f.integer("filters", 0, 1, true), f.pair("kernel_size", {0, 0}, 1, true),
                                                  f.pair("strides", {1, 1}, 1), f.padding(true), dilation,
                                                  f.boolean("use_bias", true), f.initializer("kernel_initializer")));
    } else if (type == "MaxPool2D" || type == "AvgPool2D") {
        f.allowOnly({"pool_size", "strides", "padding"});
        const auto pool = f.pair("pool_size", {2, 2}, 1);
        const auto strides = f.pair("strides", pool, 1);
        if (type == "MaxPool2D")
            layers.push_back(std::make_unique<MaxPool2D>(pool, strides, f.padding(false)));
        else
            layers.push_back(std::make_unique<AvgPool2D>(pool, strides, f.padding(false)));
    } else if (type == "GlobalAveragePool") {
        f.allowOnly({});
        layers.push_back(std::make_unique<GlobalAveragePool>());
    } else if (type == "Flatten") {
        f.allowOnly({});
        layers.push_back(std::make_unique<Flatten>());
    } else if (type == "Reshape") {
        f.allowOnly({"target_shape"});
        const Json& target = description.contains("target_shape") ? description["target_shape"] : Json();
        Shape shape;
        if (target.is_array() && !target.empty()) {
            for (const auto& d : target) {
                if (!d.is_number_integer() || (d.get<int>() <= 0 && d.get<int>() != -1))
                    f.fail("target_shape", "an array of positive integers (one may be -1), like [1, 28, 28]");
                shape.push_back(d.get<int>());
            }
        } else {
            f.fail("target_shape", "an array of positive integers (one may be -1), like [1, 28, 28]");
        }
        layers.push_back(std::make_unique<Reshape>(shape));
    } else if (type == "Dropout") {
        f.allowOnly({"rate"});
        const float rate = f.number("rate", 0.5f);
        if (!(rate >= 0.0f && rate < 1.0f))
            f.fail("rate", "a number in [0, 1)");
        layers.push_back(std::make_unique<Dropout>(rate));
    } else if (type == "BatchNorm") {
        f.allowOnly({"momentum", "epsilon"});
        const float momentum = f.number("momentum", 0.99f);
        const float epsilon = f.number("epsilon", 1e-3f);
        if (!(momentum >= 0.0f && momentum <= 1.0f))
            f.fail("momentum", "a number in [0, 1] (Keras convention: weight of the old running value)");
        if (!(epsilon > 0.0f))
            f.fail("epsilon", "a positive number");
        layers.push_back(std::make_unique<BatchNorm>(momentum, epsilon));
    } else if (type == "Activation") {
        f.allowOnly({"activation", "alpha"});
        auto a = activationOf(f, true);
        layers.push_back(a ? activationLayer(*a) : std::make_unique<ActivationLayer>(Activation {}));
    } else if (type == "Softmax") {
        f.allowOnly({});
        layers.push_back(std::make_unique<Softmax>());
    } else if (type == "Rescaling") {
        f.allowOnly({"scale", "offset"});
        layers.push_back(Rescaling::fromJson(description));
    }

    Layer& main = *layers.front();
    if (f.has("name")) {
        if (!description["name"].is_string())
            f.fail("name", "a string");
        main.setName(description["name"].get<std::string>());
    }
    main.setFrozen(!f.boolean("trainable", true));
    if (activation)
        layers.push_back(activationLayer(*activation));
    return layers;
}

}  // namespace layerlens::core
