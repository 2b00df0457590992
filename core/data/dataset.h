#pragma once
// Dataset: yields (input, target) batches; knows its classes and sample shape.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace layerlens::core {

class Dataset {
public:
    virtual ~Dataset() = default;

    virtual std::string name() const = 0;             // human-readable, e.g. "Fashion-MNIST (train)"
    virtual std::size_t size() const = 0;             // number of samples
    virtual Shape sampleShape() const = 0;            // (C, H, W) for images, (F) for features
    virtual int classCount() const = 0;               // 0 for regression targets
    virtual std::vector<std::string> classNames() const = 0;
    virtual void copySample(std::size_t index, float* out) const = 0;  // sampleSize() floats
    virtual int label(std::size_t index) const = 0;   // class index; -1 for regression
    // Regression targets (targetSize() floats); for classification, a one-hot row.
    virtual std::size_t targetSize() const { return static_cast<std::size_t>(classCount()); }
    virtual void copyTarget(std::size_t index, float* out) const;

    std::size_t sampleSize() const { return shapeSize(sampleShape()); }
    bool isImage() const { return sampleShape().size() == 3; }

    // Fills inputs (count, sampleShape...), targets (count, targetSize) and labels (count) with
    // samples order[begin .. begin+count). Allocates nothing once the tensors have the capacity.
    void gather(const std::vector<std::uint32_t>& order, std::size_t begin, std::size_t count,
                Tensor& inputs, Tensor& targets, Tensor& labels) const;
    std::vector<int> classCounts() const;  // samples per class, classCount() entries

    // Writes sampleShape() into out, reusing out's capacity. gather() calls this instead of
    // sampleShape() so that a dataset overriding it (ArrayDataset does) gathers batches
    // without a single heap allocation.
    virtual void sampleShapeInto(Shape& out) const { out = sampleShape(); }
};

using DatasetPtr = std::shared_ptr<const Dataset>;

// Samples kept in memory, as bytes scaled to [0, 1] (images) or as floats.
class ArrayDataset : public Dataset {
public:
    ArrayDataset(std::string name, Shape sampleShape, std::vector<std::string> classNames);

    std::string name() const override { return m_name; }
    std::size_t size() const override { return m_labels.size(); }
    Shape sampleShape() const override { return m_sampleShape; }
    int classCount() const override { return static_cast<int>(m_classNames.size()); }
    std::vector<std::string> classNames() const override { return m_classNames; }
    void copySample(std::size_t index, float* out) const override;
    int label(std::size_t index) const override { return m_labels[index]; }
    std::size_t targetSize() const override;
    void copyTarget(std::size_t index, float* out) const override;
    void sampleShapeInto(Shape& out) const override { out = m_sampleShape; }

    bool storesBytes() const { return m_storage == Storage::Bytes; }  // else floats (or empty)
    bool isRegression() const { return m_targetSize > 0; }

    // Storage: either bytes (value / 255) or floats, chosen by which append is used first.
    void appendBytes(const std::uint8_t* sample, int label);
    void appendFloats(const float* sample, int label);
    void appendRegression(const float* sample, const float* target, std::size_t targetSize);
    void reserve(std::size_t samples);
    // A subset (e.g. the validation split) sharing nothing with this one.
    std::shared_ptr<ArrayDataset> subset(const std::vector<std::uint32_t>& indices, std::string name) const;

private:
    std::string m_name;
    Shape m_sampleShape;
    std::size_t m_sampleSize;
    std::vector<std::string> m_classNames;
    std::vector<std::uint8_t> m_bytes;
    std::vector<float> m_floats;
    std::vector<float> m_targets;  // regression only
    std::size_t m_targetSize = 0;
    std::vector<int> m_labels;
    // Which storage the first append chose; reserve() before any append is remembered here.
    enum class Storage { Undecided, Bytes, Floats };
    Storage m_storage = Storage::Undecided;
    std::size_t m_reserved = 0;
};

// Loads a dataset from a spec string (see dataset_spec.h for the grammar). Throws
// std::runtime_error naming the file or option and what was expected.
DatasetPtr loadDataset(const std::string& spec);

}  // namespace layerlens::core
