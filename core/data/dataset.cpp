#include "core/data/dataset.h"

#include "core/data/dataset_spec.h"

#include <algorithm>
#include <stdexcept>

namespace layerlens::core {

void Dataset::copyTarget(std::size_t index, float* out) const
{
    const std::size_t n = targetSize();
    std::fill(out, out + n, 0.0f);
    const int k = label(index);
    if (k >= 0 && static_cast<std::size_t>(k) < n)
        out[k] = 1.0f;
}

void Dataset::gather(const std::vector<std::uint32_t>& order, std::size_t begin, std::size_t count, Tensor& inputs,
    Tensor& targets, Tensor& labels) const
{
    if (begin > order.size() || count > order.size() - begin)
        throw std::out_of_range("Dataset::gather: samples [" + std::to_string(begin) + ", "
            + std::to_string(begin + count) + ") exceed the order of " + std::to_string(order.size()));
    // Shapes are assembled in per-thread buffers whose capacity survives between calls, so a
    // steady-state training step allocates nothing here.
    thread_local Shape sample;
    thread_local Shape batch;
    thread_local Shape pair(2);
    thread_local Shape single(1);
    sampleShapeInto(sample);
    batch.resize(sample.size() + 1);
    batch[0] = static_cast<int>(count);
    std::copy(sample.begin(), sample.end(), batch.begin() + 1);
    const std::size_t sampleFloats = shapeSize(sample);
    const std::size_t targetFloats = targetSize();
    pair.resize(2);
    pair[0] = static_cast<int>(count);
    pair[1] = static_cast<int>(targetFloats);
    single.resize(1);
    single[0] = static_cast<int>(count);

    inputs.resize(batch);
    targets.resize(pair);
    labels.resize(single);
    const std::size_t total = size();
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t index = order[begin + i];
        if (index >= total)
            throw std::out_of_range(
                "Dataset::gather: sample " + std::to_string(index) + " of " + std::to_string(total) + " in " + name());
        copySample(index, inputs.data() + i * sampleFloats);
        if (targetFloats > 0)
            copyTarget(index, targets.data() + i * targetFloats);
        labels[i] = static_cast<float>(label(index));
    }
}

std::vector<int> Dataset::classCounts() const
{
    std::vector<int> counts(static_cast<std::size_t>(std::max(classCount(), 0)), 0);
    const std::size_t n = size();
    for (std::size_t i = 0; i < n; ++i) {
        const int k = label(i);
        if (k >= 0 && static_cast<std::size_t>(k) < counts.size())
            ++counts[static_cast<std::size_t>(k)];
    }
    return counts;
}

DatasetPtr loadDataset(const std::string& spec)
{
    return DatasetSpec(spec).load();
}

} // namespace layerlens::core
