#pragma once
// Weight initializers (Keras names): glorot_uniform, glorot_normal, he_uniform, he_normal,
// lecun_uniform, lecun_normal, zeros, ones, constant.
// The *_normal variants draw from a normal truncated at two standard deviations (as Keras
// does), with the standard deviation corrected so the variance matches the untruncated one.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/rng.h"
#include "core/tensor.h"

namespace layerlens::core {

struct Initializer {
    enum class Kind { GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Zeros, Ones, Constant };
    Kind kind = Kind::GlorotUniform;
    float value = 0.0f;  // Constant only

    static Initializer glorotUniform() { return {}; }
    static Initializer zeros() { return {Kind::Zeros, 0.0f}; }
    static Initializer constant(float value) { return {Kind::Constant, value}; }

    // Parses a name ("he_normal", case-insensitive) or an object {"type": "constant", "value": 0.1}
    // (Keras also spells it {"class_name": ..., "config": {"value": ...}}). Throws
    // std::invalid_argument naming the known initializers.
    static Initializer fromJson(const nlohmann::json& spec);
    static std::optional<Initializer> fromName(const std::string& name);
    static std::vector<std::string> names();
    std::string name() const;
    nlohmann::json toJson() const;  // a name, or {"type": "constant", "value": v}

    // fanIn / fanOut: inputs and outputs per unit (Dense: in, out; Conv2D: inC*kh*kw, filters*kh*kw).
    void fill(Tensor& tensor, int fanIn, int fanOut, Rng& rng) const;

    bool operator==(const Initializer&) const = default;
};

}  // namespace layerlens::core
