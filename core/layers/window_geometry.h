#pragma once
// Sliding-window geometry shared by Conv2D and the pooling layers: padding modes and the
// output size / padding of one spatial axis.

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

namespace layerlens::core {

struct Padding2D {
    enum class Mode { Valid, Same, Explicit };
    Mode mode = Mode::Valid;
    int height = 0;  // explicit padding on each side (top and bottom), Explicit mode only
    int width = 0;

    static Padding2D valid() { return {}; }
    static Padding2D same() { return {Mode::Same, 0, 0}; }
    static Padding2D explicitPadding(int height, int width) { return {Mode::Explicit, height, width}; }

    // "valid", "same", "pad 1" or "pad 1x2".
    std::string text() const
    {
        switch (mode) {
        case Mode::Valid: return "valid";
        case Mode::Same: return "same";
        case Mode::Explicit:
            return height == width ? "pad " + std::to_string(height)
                                   : "pad " + std::to_string(height) + "x" + std::to_string(width);
        }
        return {};
    }
    // The schema value: "valid", "same", an int or [ph, pw].
    nlohmann::json toJson() const
    {
        if (mode == Mode::Valid)
            return "valid";
        if (mode == Mode::Same)
            return "same";
        if (height == width)
            return height;
        return nlohmann::json::array({height, width});
    }
    bool operator==(const Padding2D&) const = default;
};

// One spatial axis of a sliding window. `out` < 1 means the window does not fit.
struct WindowAxis {
    int in = 0;
    int kernel = 1;
    int stride = 1;
    int dilation = 1;
    int padBefore = 0;
    int padAfter = 0;
    int out = 0;
};

// "same" follows Keras/TensorFlow: out = ceil(in / stride) and the total padding
// max((out - 1) * stride + span - in, 0) is split with the extra pixel at the bottom/right.
inline WindowAxis computeWindowAxis(int in, int kernel, int stride, int dilation, Padding2D::Mode mode,
                                    int explicitPad)
{
    WindowAxis axis;
    axis.in = in;
    axis.kernel = kernel;
    axis.stride = stride;
    axis.dilation = dilation;
    const int span = (kernel - 1) * dilation + 1;
    if (mode == Padding2D::Mode::Same) {
        const int out = (in + stride - 1) / stride;
        const int total = std::max((out - 1) * stride + span - in, 0);
        axis.padBefore = total / 2;
        axis.padAfter = total - axis.padBefore;
    } else if (mode == Padding2D::Mode::Explicit) {
        axis.padBefore = explicitPad;
        axis.padAfter = explicitPad;
    }
    const int padded = in + axis.padBefore + axis.padAfter;
    axis.out = padded < span ? 0 : (padded - span) / stride + 1;
    return axis;
}

}  // namespace layerlens::core
