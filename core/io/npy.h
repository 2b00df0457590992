#pragma once
// NumPy .npy files (format version 1.0/2.0), float32 little-endian, C order: what
// `layerlens-cli predict` reads as input and writes as output.

#include <string>

#include "core/tensor.h"

namespace layerlens::core {

// Throws std::runtime_error naming the file and what is wrong (magic, dtype, order, size).
Tensor readNpy(const std::string& path);
void writeNpy(const std::string& path, const Tensor& tensor);

}  // namespace layerlens::core
