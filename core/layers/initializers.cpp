#include "core/layers/initializers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace layerlens::core {

namespace {
struct NamedKind {
    const char* name;
    Initializer::Kind kind;
};
constexpr NamedKind kNames[] = {
    {"glorot_uniform", Initializer::Kind::GlorotUniform}, {"glorot_normal", Initializer::Kind::GlorotNormal},
    {"he_uniform", Initializer::Kind::HeUniform},         {"he_normal", Initializer::Kind::HeNormal},
    {"lecun_uniform", Initializer::Kind::LecunUniform},   {"lecun_normal", Initializer::Kind::LecunNormal},
    {"zeros", Initializer::Kind::Zeros},                  {"ones", Initializer::Kind::Ones},
    {"constant", Initializer::Kind::Constant},
};

std::string normalized(std::string text)
{
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isupper(u) && !out.empty() && std::islower(static_cast<unsigned char>(out.back())))
            out += '_';  // GlorotUniform -> glorot_uniform
        out += static_cast<char>(std::tolower(u));
    }
    if (out == "xavier_uniform")
        return "glorot_uniform";
    if (out == "xavier_normal")
        return "glorot_normal";
    if (out == "kaiming_uniform")
        return "he_uniform";
    if (out == "kaiming_normal")
        return "he_normal";
    if (out == "zero")
        return "zeros";
    return out;
}

// Keras' truncated normal: resample outside two standard deviations; 0.87962566 is the
// standard deviation of a unit normal truncated at +-2, so the result keeps variance stddev^2.
float truncatedNormal(Rng& rng, float stddev)
{
    const float s = stddev / 0.87962566103423978f;
    for (;;) {
        const float v = rng.normal();
        if (std::fabs(v) <= 2.0f)
            return v * s;
    }
}
}  // namespace

std::optional<Initializer> Initializer::fromName(const std::string& name)
{
    const std::string key = normalized(name);
    for (const auto& n : kNames)
        if (key == n.name)
            return Initializer {n.kind, n.kind == Kind::Ones ? 1.0f : 0.0f};
    return std::nullopt;
}

std::vector<std::string> Initializer::names()
{
    std::vector<std::string> out;
    for (const auto& n : kNames)
        out.emplace_back(n.name);
    return out;
}

std::string Initializer::name() const
{
    for (const auto& n : kNames)
        if (n.kind == kind)
            return n.name;
    return "glorot_uniform";
}

Initializer Initializer::fromJson(const nlohmann::json& spec)
{
    auto known = [] {
        std::string list;
        for (const auto& n : names())
            list += (list.empty() ? "" : ", ") + n;
        return list;
    };
    std::string name;
    const nlohmann::json* config = nullptr;
    if (spec.is_string()) {
        name = spec.get<std::string>();
    } else if (spec.is_object()) {
        if (spec.contains("type") && spec["type"].is_string())
            name = spec["type"].get<std::string>();
        else if (spec.contains("class_name") && spec["class_name"].is_string())
            name = spec["class_name"].get<std::string>();
        config = spec.contains("config") && spec["config"].is_object() ? &spec["config"] : &spec;
    } else {
        throw std::invalid_argument("initializer: expected a name (" + known() + ") or an object with \"type\"");
    }
    auto init = fromName(name);
    if (!init)
        throw std::invalid_argument("initializer: unknown \"" + name + "\"; expected one of " + known());
    if (init->kind == Kind::Constant) {
        if (!config || !config->contains("value") || !(*config)["value"].is_number())
            throw std::invalid_argument("initializer \"constant\": field \"value\" must be a number");
        init->value = (*config)["value"].get<float>();
    }
    return *init;
}

nlohmann::json Initializer::toJson() const
{
    if (kind == Kind::Constant)
        return {{"type", "constant"}, {"value", value}};
    return name();
}

void Initializer::fill(Tensor& tensor, int fanIn, int fanOut, Rng& rng) const
{
    const float in = static_cast<float>(std::max(fanIn, 1));
    const float avg = static_cast<float>(std::max(fanIn + fanOut, 1)) / 2.0f;
    float* p = tensor.data();
    const std::size_t n = tensor.size();
    auto uniform = [&](float limit) {
        for (std::size_t i = 0; i < n; ++i)
            p[i] = rng.uniform(-limit, limit);
    };
    auto normal = [&](float stddev) {
        for (std::size_t i = 0; i < n; ++i)
            p[i] = truncatedNormal(rng, stddev);
    };
    switch (kind) {
    case Kind::GlorotUniform: uniform(std::sqrt(3.0f / avg)); break;
    case Kind::GlorotNormal: normal(std::sqrt(1.0f / avg)); break;
    case Kind::HeUniform: uniform(std::sqrt(6.0f / in)); break;
    case Kind::HeNormal: normal(std::sqrt(2.0f / in)); break;
    case Kind::LecunUniform: uniform(std::sqrt(3.0f / in)); break;
    case Kind::LecunNormal: normal(std::sqrt(1.0f / in)); break;
    case Kind::Zeros: tensor.fill(0.0f); break;
    case Kind::Ones: tensor.fill(1.0f); break;
    case Kind::Constant: tensor.fill(value); break;
    }
}

}  // namespace layerlens::core
