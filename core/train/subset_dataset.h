#pragma once
// A view of some samples of another dataset (validation hold-out, limited sets).

#include <cstdint>
#include <vector>

#include "core/data/dataset.h"

namespace layerlens::core {

class SubsetDataset : public Dataset {
public:
    SubsetDataset(DatasetPtr source, std::vector<std::uint32_t> indices, std::string name)
        : m_source(std::move(source)), m_indices(std::move(indices)), m_name(std::move(name)) {}

    std::string name() const override { return m_name; }
    std::size_t size() const override { return m_indices.size(); }
    Shape sampleShape() const override { return m_source->sampleShape(); }
    void sampleShapeInto(Shape& out) const override { m_source->sampleShapeInto(out); }
    int classCount() const override { return m_source->classCount(); }
    std::vector<std::string> classNames() const override { return m_source->classNames(); }
    void copySample(std::size_t index, float* out) const override { m_source->copySample(m_indices[index], out); }
    int label(std::size_t index) const override { return m_source->label(m_indices[index]); }
    std::size_t targetSize() const override { return m_source->targetSize(); }
    void copyTarget(std::size_t index, float* out) const override { m_source->copyTarget(m_indices[index], out); }

private:
    DatasetPtr m_source;
    std::vector<std::uint32_t> m_indices;
    std::string m_name;
};

}  // namespace layerlens::core
