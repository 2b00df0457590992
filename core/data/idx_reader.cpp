#include "core/data/idx_reader.h"

#include <filesystem>
#include <stdexcept>
#include <zlib.h>

namespace layerlens::core {

namespace {
// Anything larger is a corrupt header, not a dataset that fits in memory.
constexpr std::size_t maxTotalBytes = 1'000'000'000;

std::uint32_t bigEndian(const unsigned char* b)
{
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]);
}

std::string describeMagic(std::uint32_t magic)
{
    if (magic == IdxReader::imagesMagic)
        return "2051 (idx3 images)";
    if (magic == IdxReader::labelsMagic)
        return "2049 (idx1 labels)";
    return std::to_string(magic);
}
} // namespace

IdxReader::IdxReader(std::string path, std::uint32_t expectedMagic)
    : m_path(std::move(path))
{
    if (!std::filesystem::is_regular_file(m_path))
        throw std::runtime_error("IDX file " + m_path + " does not exist or is not a file");
    gzFile file = gzopen(m_path.c_str(), "rb");
    if (file == nullptr)
        throw std::runtime_error("cannot open IDX file " + m_path);
    m_file = file;
    try {
        unsigned char head[4];
        if (gzread(file, head, 4) != 4)
            throw std::runtime_error("IDX file " + m_path + " is too short for a header (expected magic "
                + describeMagic(expectedMagic) + ")");
        const std::uint32_t magic = bigEndian(head);
        if (magic != expectedMagic)
            throw std::runtime_error("IDX file " + m_path + ": magic number " + std::to_string(magic) + ", expected "
                + describeMagic(expectedMagic)
                + (magic == 0x1f8b0800u || (magic >> 16) == 0x1f8bu ? " (a damaged gzip stream?)" : ""));
        const int rank = head[3];
        std::vector<unsigned char> dimBytes(static_cast<std::size_t>(rank) * 4);
        if (gzread(file, dimBytes.data(), static_cast<unsigned>(dimBytes.size())) != static_cast<int>(dimBytes.size()))
            throw std::runtime_error("IDX file " + m_path + " ends inside its header (expected " + std::to_string(rank)
                + " dimension sizes)");
        std::size_t total = 1;
        for (int i = 0; i < rank; ++i) {
            const std::uint32_t d = bigEndian(dimBytes.data() + 4 * i);
            if ((i > 0 && d == 0) || d > maxTotalBytes)
                throw std::runtime_error("IDX file " + m_path + ": dimension " + std::to_string(i) + " is "
                    + std::to_string(d) + ", expected 1 .. " + std::to_string(maxTotalBytes));
            total *= d;
            if (total > maxTotalBytes)
                throw std::runtime_error("IDX file " + m_path + ": header claims more than "
                    + std::to_string(maxTotalBytes) + " bytes of data (a corrupt header?)");
            m_dims.push_back(static_cast<int>(d));
            if (i > 0)
                m_itemSize *= d;
        }
    } catch (...) {
        gzclose(file);
        m_file = nullptr;
        throw;
    }
}

IdxReader::~IdxReader()
{
    if (m_file != nullptr)
        gzclose(static_cast<gzFile>(m_file));
}

void IdxReader::read(std::uint8_t* out, std::size_t items)
{
    if (m_itemsRead + items > count())
        throw std::out_of_range("IDX file " + m_path + ": reading past its " + std::to_string(count()) + " items");
    std::size_t bytes = items * m_itemSize;
    auto* file = static_cast<gzFile>(m_file);
    while (bytes > 0) {
        const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(bytes, 1u << 30));
        const int got = gzread(file, out, chunk);
        if (got < 0) {
            int code = 0;
            const char* message = gzerror(file, &code);
            throw std::runtime_error(
                "IDX file " + m_path + ": read error (" + std::string(message ? message : "?") + ")");
        }
        if (static_cast<unsigned>(got) < chunk) {
            const std::size_t complete = (items * m_itemSize - bytes + static_cast<std::size_t>(got)) / m_itemSize;
            throw std::runtime_error("IDX file " + m_path + " is truncated: its header promises "
                + std::to_string(count()) + " items of " + std::to_string(m_itemSize)
                + " bytes, but the data ends after item " + std::to_string(m_itemsRead + complete));
        }
        out += got;
        bytes -= static_cast<std::size_t>(got);
    }
    m_itemsRead += items;
}

std::shared_ptr<ArrayDataset> IdxReader::loadPair(const std::string& imagesPath, const std::string& labelsPath,
    std::string name, std::vector<std::string> classNames, std::size_t limit)
{
    IdxReader images(imagesPath, imagesMagic);
    IdxReader labels(labelsPath, labelsMagic);
    if (images.dims().size() != 3)
        throw std::runtime_error("IDX file " + imagesPath + " has " + std::to_string(images.dims().size())
            + " dimensions, expected 3 (count, rows, cols)");
    if (labels.dims().size() != 1)
        throw std::runtime_error("IDX file " + labelsPath + " has " + std::to_string(labels.dims().size())
            + " dimensions, expected 1 (count)");
    if (images.count() != labels.count())
        throw std::runtime_error("IDX files disagree: " + imagesPath + " holds " + std::to_string(images.count())
            + " images but " + labelsPath + " holds " + std::to_string(labels.count()) + " labels");
    const std::size_t n = limit > 0 ? std::min(limit, images.count()) : images.count();
    const int classes = static_cast<int>(classNames.size());
    auto data = std::make_shared<ArrayDataset>(
        std::move(name), Shape { 1, images.dims()[1], images.dims()[2] }, std::move(classNames));
    data->reserve(n);
    std::vector<std::uint8_t> labelBytes(n);
    labels.read(labelBytes.data(), n);
    // Image by image, so the peak memory is the dataset itself, not the dataset plus a copy.
    std::vector<std::uint8_t> image(images.itemSize());
    for (std::size_t i = 0; i < n; ++i) {
        images.read(image.data(), 1);
        if (labelBytes[i] >= classes)
            throw std::runtime_error("IDX file " + labelsPath + ": label " + std::to_string(labelBytes[i])
                + " at index " + std::to_string(i) + ", expected 0 .. " + std::to_string(classes - 1));
        data->appendBytes(image.data(), labelBytes[i]);
    }
    return data;
}

std::string IdxReader::findFile(const std::string& dir, const std::string& base)
{
    namespace fs = std::filesystem;
    std::vector<std::string> candidates { base + ".gz", base };
    const auto dash = base.rfind("-idx");
    if (dash != std::string::npos) {
        std::string dotted = base;
        dotted[dash] = '.';
        candidates.push_back(dotted + ".gz");
        candidates.push_back(dotted);
    }
    for (const auto& candidate : candidates) {
        const fs::path p = fs::path(dir) / candidate;
        if (fs::is_regular_file(p))
            return p.string();
    }
    return {};
}

} // namespace layerlens::core
