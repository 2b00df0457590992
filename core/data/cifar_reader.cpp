#include "core/data/cifar_reader.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace layerlens::core {

namespace fs = std::filesystem;

std::vector<std::string> CifarReader::defaultClassNames()
{
    return { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };
}

namespace {
std::vector<std::string> readClassNames(const fs::path& dir)
{
    const fs::path meta = dir / "batches.meta.txt";
    std::ifstream in(meta);
    if (!in)
        return CifarReader::defaultClassNames();
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        if (!line.empty())
            names.push_back(line);
    }
    if (names.size() != 10)
        throw std::runtime_error("CIFAR-10 class names file " + meta.string() + " lists " + std::to_string(names.size())
            + " names, expected 10");
    return names;
}
} // namespace

void CifarReader::readBatch(const std::string& path, ArrayDataset& data, std::size_t limit)
{
    std::error_code error;
    const auto bytes = fs::file_size(path, error);
    if (error)
        throw std::runtime_error("CIFAR-10 batch " + path + " cannot be read: " + error.message());
    if (bytes == 0 || bytes % recordBytes != 0)
        throw std::runtime_error("CIFAR-10 batch " + path + " has " + std::to_string(bytes)
            + " bytes, expected a non-zero multiple of " + std::to_string(recordBytes)
            + " (1 label byte + 3072 image bytes per record)");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open CIFAR-10 batch " + path);
    const std::size_t records = bytes / recordBytes;
    std::vector<std::uint8_t> record(recordBytes);
    for (std::size_t i = 0; i < records && (limit == 0 || data.size() < limit); ++i) {
        if (!in.read(reinterpret_cast<char*>(record.data()), static_cast<std::streamsize>(recordBytes)))
            throw std::runtime_error("CIFAR-10 batch " + path + ": read failed at record " + std::to_string(i));
        if (record[0] >= data.classCount())
            throw std::runtime_error("CIFAR-10 batch " + path + ": record " + std::to_string(i) + " has label "
                + std::to_string(record[0]) + ", expected 0 .. " + std::to_string(data.classCount() - 1));
        data.appendBytes(record.data() + 1, record[0]);
    }
}

std::shared_ptr<ArrayDataset> CifarReader::load(const std::string& dirText, bool test, std::size_t limit)
{
    fs::path dir(dirText);
    if (fs::is_directory(dir / "cifar-10-batches-bin"))
        dir /= "cifar-10-batches-bin";
    if (!fs::is_directory(dir))
        throw std::runtime_error("CIFAR-10 folder " + dir.string() + " does not exist");
    std::vector<std::string> files;
    if (test) {
        files.push_back("test_batch.bin");
    } else {
        for (int i = 1; i <= 5; ++i)
            files.push_back("data_batch_" + std::to_string(i) + ".bin");
    }
    for (const auto& file : files)
        if (!fs::is_regular_file(dir / file))
            throw std::runtime_error("CIFAR-10 folder " + dir.string() + " lacks " + file + " (expected "
                + (test ? std::string("test_batch.bin") : std::string("data_batch_1.bin .. data_batch_5.bin"))
                + " from cifar-10-binary.tar.gz)");
    auto data = std::make_shared<ArrayDataset>(
        std::string("CIFAR-10 (") + (test ? "test" : "train") + ")", Shape { 3, side, side }, readClassNames(dir));
    data->reserve(limit > 0 ? limit : (test ? 10000 : 50000));
    for (const auto& file : files) {
        if (limit > 0 && data->size() >= limit)
            break;
        readBatch((dir / file).string(), *data, limit);
    }
    return data;
}

} // namespace layerlens::core
