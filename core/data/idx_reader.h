#pragma once
// IdxReader: reads MNIST-format IDX files (idx3 unsigned-byte images, magic 2051, and idx1
// unsigned-byte labels, magic 2049), gzip-compressed or raw (zlib reads both). The header is
// checked on open; errors name the file and say what was expected.

#include "core/data/dataset.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace layerlens::core {

class IdxReader {
public:
    static constexpr std::uint32_t imagesMagic = 2051; // 0x00000803: ubyte, 3 dimensions
    static constexpr std::uint32_t labelsMagic = 2049; // 0x00000801: ubyte, 1 dimension

    // Opens path and reads its header; the magic number must be expectedMagic.
    IdxReader(std::string path, std::uint32_t expectedMagic);
    ~IdxReader();
    IdxReader(const IdxReader&) = delete;
    IdxReader& operator=(const IdxReader&) = delete;

    const std::string& path() const { return m_path; }
    const std::vector<int>& dims() const { return m_dims; } // (count, rows, cols) or (count)
    std::size_t count() const { return static_cast<std::size_t>(m_dims[0]); }
    std::size_t itemSize() const { return m_itemSize; } // bytes per image (rows * cols) or 1

    // Reads the next `items` items into out (items * itemSize() bytes); throws if the file ends early.
    void read(std::uint8_t* out, std::size_t items);

    // An images file and a labels file as one dataset of (1, rows, cols) byte images; at most
    // `limit` samples (0 = all). Counts must agree and labels must be below classNames.size().
    static std::shared_ptr<ArrayDataset> loadPair(const std::string& imagesPath, const std::string& labelsPath,
        std::string name, std::vector<std::string> classNames, std::size_t limit = 0);

    // The first file of base+".gz", base, or base with its last '-' before "idx" written '.'
    // (the MNIST site's two spellings) that exists in dir; "" if none does.
    static std::string findFile(const std::string& dir, const std::string& base);

private:
    std::string m_path;
    void* m_file = nullptr; // gzFile, kept opaque so zlib stays out of this header
    std::vector<int> m_dims;
    std::size_t m_itemSize = 1;
    std::size_t m_itemsRead = 0;
};

} // namespace layerlens::core
