#pragma once
// Writers for the small files the data tests read back: IDX (raw or gzip), PPM/PGM/BMP
// images. Written by hand so the tests need neither zlib nor OpenCV of their own: the gzip
// files use stored (uncompressed) deflate blocks, which every inflater must accept.

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace layerlens::testing {

inline std::uint32_t crc32(const std::vector<std::uint8_t>& data)
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::uint8_t byte : data) {
        crc ^= byte;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline void putLittle32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

inline std::vector<std::uint8_t> gzipStored(const std::vector<std::uint8_t>& data)
{
    std::vector<std::uint8_t> out { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255 };
    std::size_t pos = 0;
    do {
        const std::size_t len = std::min<std::size_t>(65535, data.size() - pos);
        const bool last = pos + len == data.size();
        out.push_back(last ? 1 : 0);
        out.push_back(static_cast<std::uint8_t>(len));
        out.push_back(static_cast<std::uint8_t>(len >> 8));
        out.push_back(static_cast<std::uint8_t>(~len));
        out.push_back(static_cast<std::uint8_t>(~len >> 8));
        out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(pos),
            data.begin() + static_cast<std::ptrdiff_t>(pos + len));
        pos += len;
    } while (pos < data.size());
    putLittle32(out, crc32(data));
    putLittle32(out, static_cast<std::uint32_t>(data.size()));
    return out;
}

inline void writeBytes(const std::string& path, const std::vector<std::uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline void putBig32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    for (int i = 3; i >= 0; --i)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// An IDX file: magic, dimension sizes, then payload (which may deliberately not match).
inline std::vector<std::uint8_t> idxBytes(
    std::uint32_t magic, const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& payload)
{
    std::vector<std::uint8_t> out;
    putBig32(out, magic);
    for (std::uint32_t d : dims)
        putBig32(out, d);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

inline void writeIdx(const std::string& path, std::uint32_t magic, const std::vector<std::uint32_t>& dims,
    const std::vector<std::uint8_t>& payload, bool gzip)
{
    const auto bytes = idxBytes(magic, dims, payload);
    writeBytes(path, gzip ? gzipStored(bytes) : bytes);
}

// Binary PPM (P6, rgb interleaved) or PGM (P5) when rgb has one value per pixel.
inline void writePnm(const std::string& path, int width, int height, const std::vector<std::uint8_t>& pixels)
{
    const bool colour = pixels.size() == static_cast<std::size_t>(3 * width * height);
    std::ofstream out(path, std::ios::binary);
    out << (colour ? "P6" : "P5") << "\n" << width << " " << height << "\n255\n";
    out.write(reinterpret_cast<const char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
}

// 24-bit BMP from rgb interleaved pixels (top row first).
inline void writeBmp(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgb)
{
    const int rowBytes = (3 * width + 3) & ~3;
    std::vector<std::uint8_t> out { 'B', 'M' };
    putLittle32(out, static_cast<std::uint32_t>(54 + rowBytes * height));
    putLittle32(out, 0);
    putLittle32(out, 54);
    putLittle32(out, 40);
    putLittle32(out, static_cast<std::uint32_t>(width));
    putLittle32(out, static_cast<std::uint32_t>(height));
    out.push_back(1), out.push_back(0), out.push_back(24), out.push_back(0);
    for (int i = 0; i < 6; ++i)
        putLittle32(out, 0);
    for (int y = height - 1; y >= 0; --y) {
        for (int x = 0; x < width; ++x) {
            const std::size_t i = static_cast<std::size_t>(3 * (y * width + x));
            out.push_back(rgb[i + 2]);
            out.push_back(rgb[i + 1]);
            out.push_back(rgb[i]);
        }
        for (int p = 3 * width; p < rowBytes; ++p)
            out.push_back(0);
    }
    writeBytes(path, out);
}

} // namespace layerlens::testing
