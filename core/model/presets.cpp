#include "core/model/presets.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace layerlens::core {

namespace {
using Json = nlohmann::json;

Json conv(int filters, int kernel, const char* padding)
{
    return {{"type", "Conv2D"}, {"filters", filters}, {"kernel_size", kernel}, {"padding", padding}, {"activation", "relu"}};
}
Json maxPool() { return {{"type", "MaxPool2D"}, {"pool_size", 2}}; }
Json dense(int units, bool relu)
{
    Json d = {{"type", "Dense"}, {"units", units}};
    if (relu)
        d["activation"] = "relu";
    return d;
}
Json flatten() { return {{"type", "Flatten"}}; }
}  // namespace

std::vector<std::string> presetNames() { return {"mlp", "lenet5", "tinyvgg", "vgg16"}; }

nlohmann::json presetDescription(const std::string& name, const Shape& inputShape, int classes)
{
    std::string key;
    for (char c : name)
        if (c != '-' && c != '_')
            key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Shape shape;
    Json layers = Json::array();
    if (key == "mlp") {
        shape = {1, 28, 28};
        layers = {flatten(), dense(256, true), dense(128, true), dense(classes > 0 ? classes : 10, false)};
    } else if (key == "lenet5" || key == "lenet") {
        shape = {1, 28, 28};
        layers = {conv(6, 5, "same"),   maxPool(),        conv(16, 5, "valid"), maxPool(), flatten(),
                  dense(120, true), dense(84, true), dense(classes > 0 ? classes : 10, false)};
    } else if (key == "tinyvgg") {
        shape = {3, 64, 64};
        layers = {conv(10, 3, "valid"), conv(10, 3, "valid"), maxPool(), conv(10, 3, "valid"),
                  conv(10, 3, "valid"), maxPool(),            flatten(), dense(classes > 0 ? classes : 10, false)};
    } else if (key == "vgg16") {
        shape = {3, 224, 224};
        const int blocks[5][2] = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
        for (const auto& block : blocks) {
            for (int i = 0; i < block[1]; ++i)
                layers.push_back(conv(block[0], 3, "same"));
            layers.push_back(maxPool());
        }
        layers.push_back(flatten());
        layers.push_back(dense(4096, true));
        layers.push_back(dense(4096, true));
        layers.push_back(dense(classes > 0 ? classes : 1000, false));
    } else {
        std::string list;
        for (const auto& n : presetNames())
            list += (list.empty() ? "" : ", ") + n;
        throw std::invalid_argument("unknown preset \"" + name + "\"; expected one of " + list);
    }
    if (!inputShape.empty())
        shape = inputShape;
    return {{"input_shape", shape}, {"layers", layers}};
}

}  // namespace layerlens::core
