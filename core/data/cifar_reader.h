#pragma once
// CifarReader: CIFAR-10 in its binary form (cifar-10-batches-bin): data_batch_1..5.bin for
// training, test_batch.bin for testing, each record one label byte and 3072 image bytes
// (1024 red, 1024 green, 1024 blue, row-major 32 x 32), and batches.meta.txt with the class
// names one a line.

#include "core/data/dataset.h"

#include <memory>
#include <string>
#include <vector>

namespace layerlens::core {

class CifarReader {
public:
    static constexpr int side = 32;
    static constexpr std::size_t imageBytes = 3 * side * side;
    static constexpr std::size_t recordBytes = 1 + imageBytes;

    // dir is the batches folder or a folder containing cifar-10-batches-bin. Samples are
    // (3, 32, 32) bytes; at most `limit` of them (0 = all).
    static std::shared_ptr<ArrayDataset> load(const std::string& dir, bool test, std::size_t limit = 0);

    // Reads the records of one batch file, appending them to data (stops at limit samples).
    static void readBatch(const std::string& path, ArrayDataset& data, std::size_t limit = 0);

    static std::vector<std::string> defaultClassNames();
};

} // namespace layerlens::core
