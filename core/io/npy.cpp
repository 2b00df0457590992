#include "core/io/npy.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace layerlens::core {

Tensor readNpy(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open the file");
    char magic[6] = {};
    in.read(magic, 6);
    if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        throw std::runtime_error(path + ": not a .npy file (expected the magic \\x93NUMPY)");
    unsigned char version[2] = {};
    in.read(reinterpret_cast<char*>(version), 2);
    std::uint32_t headerLength = 0;
    if (version[0] == 1) {
        unsigned char b[2] = {};
        in.read(reinterpret_cast<char*>(b), 2);
        headerLength = static_cast<std::uint32_t>(b[0] | (b[1] << 8));
    } else if (version[0] == 2 || version[0] == 3) {
        unsigned char b[4] = {};
        in.read(reinterpret_cast<char*>(b), 4);
        headerLength = static_cast<std::uint32_t>(b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24));
    } else {
        throw std::runtime_error(path + ": unsupported .npy version " + std::to_string(version[0]));
    }
    if (!in || headerLength > (1u << 20))
        throw std::runtime_error(path + ": truncated or absurd .npy header");
    std::string header(headerLength, '\0');
    in.read(header.data(), headerLength);
    if (!in)
        throw std::runtime_error(path + ": truncated .npy header");
    std::smatch match;
    if (!std::regex_search(header, match, std::regex(R"('descr'\s*:\s*'([^']*)')")) || (match[1] != "<f4" && match[1] != "=f4"))
        throw std::runtime_error(path + ": expected dtype float32 ('<f4'), found " + (match.empty() ? std::string("none") : match[1].str()));
    if (std::regex_search(header, match, std::regex(R"('fortran_order'\s*:\s*True)")))
        throw std::runtime_error(path + ": Fortran-ordered arrays are not supported; save with C order");
    if (!std::regex_search(header, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
        throw std::runtime_error(path + ": the header has no shape");
    Shape shape;
    const std::string dims = match[1];
    std::regex number(R"(\d+)");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it) {
        const long long d = std::stoll(it->str());
        if (d > (1ll << 31))
            throw std::runtime_error(path + ": absurd dimension " + it->str());
        shape.push_back(static_cast<int>(d));
    }
    if (shapeSize(shape) > (1ull << 31))
        throw std::runtime_error(path + ": the array is too large");
    Tensor tensor(shape);
    in.read(reinterpret_cast<char*>(tensor.data()), static_cast<std::streamsize>(tensor.size() * sizeof(float)));
    if (!in)
        throw std::runtime_error(path + ": the data is shorter than the shape " + shapeToString(shape) + " needs (truncated)");
    return tensor;
}

void writeNpy(const std::string& path, const Tensor& tensor)
{
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
    for (int d : tensor.shape())
        header += std::to_string(d) + ", ";
    if (tensor.rank() > 1)
        header.erase(header.size() - 2);
    else if (tensor.rank() == 1)
        header.erase(header.size() - 1);
    header += "), }";
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw std::runtime_error(path + ": cannot open for writing");
    out.write("\x93NUMPY\x01\x00", 8);
    const auto length = static_cast<std::uint16_t>(header.size());
    const char lengthBytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    out.write(lengthBytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(tensor.data()), static_cast<std::streamsize>(tensor.size() * sizeof(float)));
    if (!out)
        throw std::runtime_error(path + ": write failed");
}

}  // namespace layerlens::core
