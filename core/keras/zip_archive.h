#pragma once
// ZipArchive: read-only access to the entries of a zip file (a Keras 3 .keras file), on libzip.
// zip.h stays out of this header. Every failure is a std::runtime_error naming the file and entry.

#include <string>
#include <vector>

namespace layerlens::core::detail {

class ZipArchive {
public:
    explicit ZipArchive(const std::string& path);  // throws if missing, not a zip, or damaged
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    std::vector<std::string> entryNames() const;
    bool contains(const std::string& entry) const;
    // The whole uncompressed entry; checks its size and CRC, so truncated data is reported.
    std::vector<char> read(const std::string& entry) const;

private:
    std::string m_path;
    void* m_zip = nullptr;  // zip_t*
};

}  // namespace layerlens::core::detail
