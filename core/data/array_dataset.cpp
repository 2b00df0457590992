#include "core/data/dataset.h"

#include <algorithm>
#include <stdexcept>

namespace layerlens::core {

ArrayDataset::ArrayDataset(std::string name, Shape sampleShape, std::vector<std::string> classNames)
    : m_name(std::move(name))
    , m_sampleShape(std::move(sampleShape))
    , m_sampleSize(shapeSize(m_sampleShape))
    , m_classNames(std::move(classNames))
{
    if (m_sampleShape.empty() || std::any_of(m_sampleShape.begin(), m_sampleShape.end(), [](int d) { return d <= 0; }))
        throw std::invalid_argument("ArrayDataset '" + m_name + "': sample shape " + shapeToString(m_sampleShape)
            + " must have at least one axis, all positive");
}

void ArrayDataset::copySample(std::size_t index, float* out) const
{
    const std::size_t offset = index * m_sampleSize;
    if (m_storage == Storage::Bytes) {
        const std::uint8_t* in = m_bytes.data() + offset;
        constexpr float scale = 1.0f / 255.0f;
        for (std::size_t i = 0; i < m_sampleSize; ++i)
            out[i] = static_cast<float>(in[i]) * scale;
    } else {
        std::copy_n(m_floats.data() + offset, m_sampleSize, out);
    }
}

std::size_t ArrayDataset::targetSize() const
{
    return m_targetSize > 0 ? m_targetSize : static_cast<std::size_t>(classCount());
}

void ArrayDataset::copyTarget(std::size_t index, float* out) const
{
    if (m_targetSize > 0)
        std::copy_n(m_targets.data() + index * m_targetSize, m_targetSize, out);
    else
        Dataset::copyTarget(index, out);
}

namespace {
void checkLabel(const std::string& name, int label, int classCount)
{
    if (label < 0 || label >= classCount)
        throw std::invalid_argument("ArrayDataset '" + name + "': label " + std::to_string(label) + " is outside the "
            + std::to_string(classCount) + " classes");
}
} // namespace

void ArrayDataset::appendBytes(const std::uint8_t* sample, int label)
{
    if (m_storage == Storage::Floats)
        throw std::logic_error("ArrayDataset '" + m_name + "': appendBytes after float samples");
    if (m_storage == Storage::Undecided) {
        m_storage = Storage::Bytes;
        m_bytes.reserve(m_reserved * m_sampleSize);
    }
    checkLabel(m_name, label, classCount());
    m_bytes.insert(m_bytes.end(), sample, sample + m_sampleSize);
    m_labels.push_back(label);
}

void ArrayDataset::appendFloats(const float* sample, int label)
{
    if (m_storage == Storage::Bytes)
        throw std::logic_error("ArrayDataset '" + m_name + "': appendFloats after byte samples");
    if (m_targetSize > 0)
        throw std::logic_error("ArrayDataset '" + m_name + "': appendFloats on a regression dataset");
    if (m_storage == Storage::Undecided) {
        m_storage = Storage::Floats;
        m_floats.reserve(m_reserved * m_sampleSize);
    }
    checkLabel(m_name, label, classCount());
    m_floats.insert(m_floats.end(), sample, sample + m_sampleSize);
    m_labels.push_back(label);
}

void ArrayDataset::appendRegression(const float* sample, const float* target, std::size_t targetSize)
{
    if (m_storage == Storage::Bytes)
        throw std::logic_error("ArrayDataset '" + m_name + "': appendRegression after byte samples");
    if (targetSize == 0)
        throw std::invalid_argument("ArrayDataset '" + m_name + "': regression target needs at least one value");
    if (m_storage == Storage::Undecided) {
        m_storage = Storage::Floats;
        m_floats.reserve(m_reserved * m_sampleSize);
        m_targets.reserve(m_reserved * targetSize);
        m_targetSize = targetSize;
    } else if (m_targetSize != targetSize) {
        throw std::invalid_argument("ArrayDataset '" + m_name + "': regression target of " + std::to_string(targetSize)
            + " values, expected " + std::to_string(m_targetSize));
    }
    m_floats.insert(m_floats.end(), sample, sample + m_sampleSize);
    m_targets.insert(m_targets.end(), target, target + targetSize);
    m_labels.push_back(-1);
}

void ArrayDataset::reserve(std::size_t samples)
{
    m_reserved = samples;
    m_labels.reserve(samples);
    if (m_storage == Storage::Bytes)
        m_bytes.reserve(samples * m_sampleSize);
    else if (m_storage == Storage::Floats)
        m_floats.reserve(samples * m_sampleSize);
    if (m_targetSize > 0)
        m_targets.reserve(samples * m_targetSize);
}

std::shared_ptr<ArrayDataset> ArrayDataset::subset(const std::vector<std::uint32_t>& indices, std::string name) const
{
    auto result = std::make_shared<ArrayDataset>(std::move(name), m_sampleShape, m_classNames);
    result->reserve(indices.size());
    for (std::uint32_t index : indices) {
        if (index >= size())
            throw std::out_of_range("ArrayDataset::subset: index " + std::to_string(index) + " of "
                + std::to_string(size()) + " in '" + m_name + "'");
        const std::size_t offset = index * m_sampleSize;
        if (m_targetSize > 0)
            result->appendRegression(m_floats.data() + offset, m_targets.data() + index * m_targetSize, m_targetSize);
        else if (m_storage == Storage::Bytes)
            result->appendBytes(m_bytes.data() + offset, m_labels[index]);
        else
            result->appendFloats(m_floats.data() + offset, m_labels[index]);
    }
    return result;
}

} // namespace layerlens::core
