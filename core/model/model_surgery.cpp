#include "core/model/model_surgery.h"

#include <stdexcept>

#include "core/layers/dense.h"
#include "core/layers/softmax.h"

namespace layerlens::core {

int classifierHeadIndex(const Model& model)
{
    for (int i = model.layerCount() - 1; i >= 0; --i)
        if (model.layer(i).type() == "Dense")
            return i;
    return -1;
}

int replaceClassifierHead(Model& model, int classes, std::uint64_t seed)
{
    if (classes < 1)
        throw std::invalid_argument("replace head: the new head needs at least one class, got " + std::to_string(classes));
    const int head = classifierHeadIndex(model);
    if (head < 0)
        throw std::invalid_argument("replace head: the model has no Dense layer to replace");
    bool softmax = false;
    for (int i = head + 1; i < model.layerCount(); ++i)
        softmax = softmax || model.layer(i).type() == "Softmax";

    // build() re-initializes every layer: keep the values of the layers that stay.
    std::vector<std::vector<Tensor>> kept;
    const bool wasBuilt = model.isBuilt();
    if (wasBuilt) {
        for (int i = 0; i < head; ++i) {
            std::vector<Tensor> values;
            for (Parameter* p : model.layer(i).parameters())
                values.push_back(p->value);
            for (Parameter* p : model.layer(i).buffers())
                values.push_back(p->value);
            kept.push_back(std::move(values));
        }
    }
    while (model.layerCount() > head)
        model.remove(model.layerCount() - 1);
    auto dense = std::make_unique<Dense>(classes);
    dense->setName("head");
    model.add(std::move(dense));
    if (softmax)
        model.add(std::make_unique<Softmax>());
    model.build(seed);
    if (wasBuilt) {
        for (int i = 0; i < head; ++i) {
            std::size_t k = 0;
            auto& values = kept[static_cast<std::size_t>(i)];
            for (Parameter* p : model.layer(i).parameters())
                p->value.copyFrom(values[k++]);
            for (Parameter* p : model.layer(i).buffers())
                p->value.copyFrom(values[k++]);
        }
    }
    return head;
}

std::vector<bool> freezeMask(const Model& model, const std::string& spec)
{
    const int n = model.layerCount();
    std::vector<bool> mask(static_cast<std::size_t>(n), false);
    auto bad = [&](const std::string& why) {
        return std::invalid_argument("freeze \"" + spec + "\": " + why + " (the model has " + std::to_string(n)
                                     + " layers, 0.." + std::to_string(n - 1)
                                     + "; use none, all, all-but-head, N for the first N layers, or a-b)");
    };
    auto number = [&](const std::string& text) {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6)
            throw bad("\"" + text + "\" is not a layer number");
        return std::stoi(text);
    };
    if (spec == "none" || spec.empty())
        return mask;
    if (spec == "all") {
        mask.assign(mask.size(), true);
        return mask;
    }
    if (spec == "all-but-head") {
        const int head = classifierHeadIndex(model);
        if (head < 0)
            throw bad("the model has no Dense head");
        for (int i = 0; i < head; ++i)
            mask[static_cast<std::size_t>(i)] = true;
        return mask;
    }
    const auto dash = spec.find('-');
    int first = 0, last = 0;
    if (dash == std::string::npos) {
        last = number(spec) - 1;
        if (last >= n)
            throw bad("cannot freeze the first " + spec + " layers");
    } else {
        first = number(spec.substr(0, dash));
        last = number(spec.substr(dash + 1));
        if (first > last || last >= n)
            throw bad("the range is outside the layers");
    }
    for (int i = first; i <= last; ++i)
        mask[static_cast<std::size_t>(i)] = true;
    return mask;
}

void applyFreezeMask(Model& model, const std::vector<bool>& frozen)
{
    if (static_cast<int>(frozen.size()) != model.layerCount())
        throw std::invalid_argument("freeze: " + std::to_string(frozen.size()) + " flags for "
                                    + std::to_string(model.layerCount()) + " layers");
    for (int i = 0; i < model.layerCount(); ++i)
        model.layer(i).setFrozen(frozen[static_cast<std::size_t>(i)]);
}

void freezeLayers(Model& model, const std::string& spec) { applyFreezeMask(model, freezeMask(model, spec)); }

}  // namespace layerlens::core
