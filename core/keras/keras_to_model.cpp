#include "core/keras/keras_to_model.h"

#include <stdexcept>

#include "core/keras/keras_converter.h"
#include "core/layers/rescaling.h"
#include "core/model/layer_factory.h"

namespace layerlens::core {

namespace {

void copyInto(const std::vector<Parameter*>& targets, const std::vector<Tensor>& values, const Layer& layer,
              const char* what)
{
    const std::string where = "layer '" + layer.name() + "' (" + layer.type() + ")";
    if (targets.size() != values.size())
        throw std::runtime_error(where + " has " + std::to_string(targets.size()) + " " + what + " but the Keras file gives "
                                 + std::to_string(values.size()));
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i]->value.shape() != values[i].shape())
            throw std::runtime_error(where + ": " + what + " '" + targets[i]->name + "' has shape "
                                     + shapeToString(targets[i]->value.shape()) + " but the converted Keras weight has "
                                     + shapeToString(values[i].shape()));
        targets[i]->value.copyFrom(values[i]);
    }
}

}  // namespace

Model toModel(const KerasModel& keras, std::uint64_t seed)
{
    const KerasConversion conversion = KerasConverter::convert(keras);
    Model model;
    model.setInputShape(conversion.description["input_shape"].get<Shape>());
    // Layer by layer rather than Model::fromJson, so that Rescaling works whether or not the
    // layer factory knows it.
    for (const auto& layer : conversion.description["layers"]) {
        try {
            if (layer["type"] == "Rescaling") {
                model.add(Rescaling::fromJson(layer));
                continue;
            }
            for (auto& created : createLayers(layer))
                model.add(std::move(created));
        } catch (const std::exception& e) {
            throw std::runtime_error("the converted Keras layer '" + layer.value("name", std::string("?"))
                                     + "' cannot be created: " + e.what());
        }
    }
    try {
        model.build(seed);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("the converted Keras model cannot be built: ") + e.what());
    }
    for (const auto& weights : conversion.weights) {
        Layer* target = nullptr;
        for (int i = 0; i < model.layerCount() && !target; ++i)
            if (model.layer(i).name() == weights.layerName)
                target = &model.layer(i);
        if (!target)
            throw std::runtime_error("the built model has no layer named '" + weights.layerName + "'");
        copyInto(target->parameters(), weights.parameters, *target, "parameters");
        copyInto(target->buffers(), weights.buffers, *target, "buffers");
    }
    return model;
}

}  // namespace layerlens::core
