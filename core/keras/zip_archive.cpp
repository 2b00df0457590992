#include "core/keras/zip_archive.h"

#include <zip.h>

#include <stdexcept>

namespace layerlens::core::detail {

namespace {

zip_t* handle(void* zip) { return static_cast<zip_t*>(zip); }

// Entries beyond this size are refused rather than allocated: a damaged header can claim anything.
constexpr zip_uint64_t kMaxEntrySize = zip_uint64_t(4) << 30;

}  // namespace

ZipArchive::ZipArchive(const std::string& path) : m_path(path)
{
    int errorCode = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &errorCode);
    if (!zip) {
        zip_error_t error;
        zip_error_init_with_code(&error, errorCode);
        std::string reason = zip_error_strerror(&error);
        zip_error_fini(&error);
        if (errorCode == ZIP_ER_NOENT || errorCode == ZIP_ER_OPEN || errorCode == ZIP_ER_READ)
            throw std::runtime_error(path + ": cannot open the file (" + reason + ")");
        throw std::runtime_error(path + ": not a readable .keras archive (zip: " + reason
                                 + "); the file may be truncated or damaged");
    }
    m_zip = zip;
}

ZipArchive::~ZipArchive()
{
    if (m_zip)
        zip_discard(handle(m_zip));
}

std::vector<std::string> ZipArchive::entryNames() const
{
    std::vector<std::string> names;
    const zip_int64_t count = zip_get_num_entries(handle(m_zip), 0);
    for (zip_int64_t i = 0; i < count; ++i)
        if (const char* name = zip_get_name(handle(m_zip), static_cast<zip_uint64_t>(i), 0))
            names.emplace_back(name);
    return names;
}

bool ZipArchive::contains(const std::string& entry) const
{
    return zip_name_locate(handle(m_zip), entry.c_str(), 0) >= 0;
}

std::vector<char> ZipArchive::read(const std::string& entry) const
{
    const std::string where = m_path + ": entry " + entry;
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(handle(m_zip), entry.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
        throw std::runtime_error(where + " is missing from the archive");
    if (stat.size > kMaxEntrySize)
        throw std::runtime_error(where + " claims an impossible size (damaged archive?)");
    zip_file_t* file = zip_fopen(handle(m_zip), entry.c_str(), 0);
    if (!file)
        throw std::runtime_error(where + " cannot be opened (" + zip_strerror(handle(m_zip)) + ")");
    std::vector<char> data(static_cast<std::size_t>(stat.size));
    zip_uint64_t done = 0;
    std::string failure;
    while (done < stat.size) {
        const zip_int64_t n = zip_fread(file, data.data() + done, stat.size - done);
        if (n < 0) {
            failure = zip_file_strerror(file);
            break;
        }
        if (n == 0)
            break;
        done += static_cast<zip_uint64_t>(n);
    }
    zip_fclose(file);
    if (!failure.empty())
        throw std::runtime_error(where + " cannot be read (" + failure + "); the file may be truncated or damaged");
    if (done != stat.size)
        throw std::runtime_error(where + " is shorter than its header says (" + std::to_string(done) + " of "
                                 + std::to_string(stat.size) + " bytes); the file may be truncated");
    return data;
}

}  // namespace layerlens::core::detail
