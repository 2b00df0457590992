#include "core/keras/hdf5_file.h"

#include <hdf5.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace layerlens::core::detail {

static_assert(std::is_same_v<hid_t, std::int64_t>, "Hdf5File stores hid_t as int64_t (HDF5 >= 1.10)");

namespace {

// HDF5 prints a stack of errors to stderr on every failed call unless told not to. We report
// failures ourselves, so silence it while one of our calls runs and restore the user's handler.
class SilenceHdf5Errors {
public:
    SilenceHdf5Errors()
    {
        H5Eget_auto2(H5E_DEFAULT, &m_function, &m_data);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~SilenceHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, m_function, m_data); }
    SilenceHdf5Errors(const SilenceHdf5Errors&) = delete;
    SilenceHdf5Errors& operator=(const SilenceHdf5Errors&) = delete;

private:
    H5E_auto2_t m_function = nullptr;
    void* m_data = nullptr;
};

// Closes any HDF5 handle with the right function when it leaves scope.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle(hid_t id, Closer closer) : m_id(id), m_closer(closer) {}
    ~Handle()
    {
        if (m_id >= 0)
            m_closer(m_id);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }

private:
    hid_t m_id;
    Closer m_closer;
};

std::string trimmed(const char* text, std::size_t size)
{
    std::size_t n = 0;
    while (n < size && text[n] != '\0')
        ++n;
    while (n > 0 && text[n - 1] == ' ')
        --n;
    return {text, n};
}

herr_t collectName(hid_t, const char* name, const H5L_info_t*, void* data)
{
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

}  // namespace

Hdf5File::Hdf5File(const std::string& path) : m_label(path)
{
    SilenceHdf5Errors silence;
    const htri_t isHdf5 = H5Fis_hdf5(path.c_str());
    if (isHdf5 < 0)
        throw std::runtime_error(path + ": cannot open the file (missing or unreadable)");
    if (isHdf5 == 0)
        throw std::runtime_error(path + ": not an HDF5 file (Keras .h5 files are HDF5; no HDF5 signature found)");
    m_file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (m_file < 0)
        throw std::runtime_error(path + ": the HDF5 file is damaged and cannot be opened");
}

Hdf5File::Hdf5File(const std::vector<char>& image, std::string label) : m_label(std::move(label))
{
    static const char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    if (image.size() < 8 || !std::equal(signature, signature + 8, image.begin()))
        throw std::runtime_error(m_label + ": not an HDF5 file (no HDF5 signature)");
    SilenceHdf5Errors silence;
    // The core driver opens the bytes in memory (HDF5 copies them); nothing touches the disk.
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 16, 0) < 0
        || H5Pset_file_image(fapl.get(), const_cast<char*>(image.data()), image.size()) < 0)
        throw std::runtime_error(m_label + ": cannot prepare HDF5 to read the file from memory");
    m_file = H5Fopen(m_label.c_str(), H5F_ACC_RDONLY, fapl.get());
    if (m_file < 0)
        throw std::runtime_error(m_label + ": the HDF5 data is damaged and cannot be opened");
}

Hdf5File::~Hdf5File()
{
    if (m_file >= 0) {
        SilenceHdf5Errors silence;
        H5Fclose(m_file);
    }
}

bool Hdf5File::exists(const std::string& path) const
{
    if (path.empty() || path == "/")
        return true;
    SilenceHdf5Errors silence;
    // H5Lexists fails (rather than answering false) when an intermediate group is missing,
    // so walk the path one component at a time.
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        const std::string prefix = path.substr(0, pos);
        if (prefix.empty() || prefix == "/")
            continue;
        if (H5Lexists(m_file, prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        if (pos != std::string::npos) {
            H5O_info_t info;
            if (H5Oget_info_by_name(m_file, prefix.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_GROUP)
                return false;
        }
    }
    return true;
}

bool Hdf5File::isGroup(const std::string& path) const
{
    if (!exists(path))
        return false;
    SilenceHdf5Errors silence;
    H5O_info_t info;
    return H5Oget_info_by_name(m_file, path.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_GROUP;
}

bool Hdf5File::isDataset(const std::string& path) const
{
    if (!exists(path))
        return false;
    SilenceHdf5Errors silence;
    H5O_info_t info;
    return H5Oget_info_by_name(m_file, path.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET;
}

std::vector<std::string> Hdf5File::children(const std::string& group) const
{
    std::vector<std::string> names;
    if (!isGroup(group))
        return names;
    SilenceHdf5Errors silence;
    Handle g(H5Gopen2(m_file, group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid())
        throw std::runtime_error(m_label + ": cannot open group " + group);
    hsize_t index = 0;
    if (H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_NATIVE, &index, collectName, &names) < 0)
        throw std::runtime_error(m_label + ": cannot list group " + group);
    return names;
}

bool Hdf5File::hasAttribute(const std::string& object, const std::string& name) const
{
    if (!exists(object))
        return false;
    SilenceHdf5Errors silence;
    return H5Aexists_by_name(m_file, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> Hdf5File::readStrings(const std::string& object, const std::string& name) const
{
    SilenceHdf5Errors silence;
    const std::string where = m_label + ": attribute \"" + name + "\" of " + object;
    Handle attr(H5Aopen_by_name(m_file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!attr.valid())
        throw std::runtime_error(where + " cannot be read");
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (!type.valid() || !space.valid())
        throw std::runtime_error(where + " cannot be read");
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    if (points < 0 || points > 10'000'000)
        throw std::runtime_error(where + " has an unreadable size");
    const auto count = static_cast<std::size_t>(points);
    if (count == 0)
        return {};
    if (H5Tget_class(type.get()) != H5T_STRING)
        throw std::runtime_error(where + ": expected text, found another type");

    std::vector<std::string> values;
    values.reserve(count);
    if (H5Tis_variable_str(type.get()) > 0) {
        Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memType.get(), H5T_VARIABLE);
        H5Tset_cset(memType.get(), H5Tget_cset(type.get()));
        std::vector<char*> buffer(count, nullptr);
        if (H5Aread(attr.get(), memType.get(), buffer.data()) < 0)
            throw std::runtime_error(where + " cannot be read");
        for (char* text : buffer)
            values.emplace_back(text ? text : "");
        H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, buffer.data());
    } else {
        const std::size_t size = H5Tget_size(type.get());
        if (size == 0 || size > (std::size_t(1) << 30) / count)
            throw std::runtime_error(where + " has an unreadable size");
        std::vector<char> buffer(size * count, '\0');
        if (H5Aread(attr.get(), type.get(), buffer.data()) < 0)
            throw std::runtime_error(where + " cannot be read");
        for (std::size_t i = 0; i < count; ++i)
            values.push_back(trimmed(buffer.data() + i * size, size));
    }
    return values;
}

std::optional<std::string> Hdf5File::stringAttribute(const std::string& object, const std::string& name) const
{
    if (!hasAttribute(object, name))
        return std::nullopt;
    std::vector<std::string> values = readStrings(object, name);
    if (values.size() != 1)
        throw std::runtime_error(m_label + ": attribute \"" + name + "\" of " + object + ": expected one text, found "
                                 + std::to_string(values.size()));
    return values.front();
}

std::optional<std::vector<std::string>> Hdf5File::stringListAttribute(const std::string& object,
                                                                      const std::string& name) const
{
    if (hasAttribute(object, name))
        return readStrings(object, name);
    // Keras splits attributes larger than the HDF5 object-header limit into name0, name1, ...
    if (!hasAttribute(object, name + "0"))
        return std::nullopt;
    std::vector<std::string> all;
    for (int chunk = 0; hasAttribute(object, name + std::to_string(chunk)); ++chunk)
        for (auto& value : readStrings(object, name + std::to_string(chunk)))
            all.push_back(std::move(value));
    return all;
}

Shape Hdf5File::datasetShape(const std::string& path) const
{
    SilenceHdf5Errors silence;
    Handle dataset(H5Dopen2(m_file, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid())
        throw std::runtime_error(m_label + ": dataset " + path + " is missing");
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 8)
        throw std::runtime_error(m_label + ": dataset " + path + " has an unreadable shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    Shape shape;
    for (hsize_t d : dims) {
        if (d > static_cast<hsize_t>(std::numeric_limits<int>::max()))
            throw std::runtime_error(m_label + ": dataset " + path + " is too large");
        shape.push_back(static_cast<int>(d));
    }
    return shape;
}

std::vector<float> Hdf5File::readFloats(const std::string& path) const
{
    const Shape shape = datasetShape(path);
    std::size_t count = 1;
    for (int d : shape) {
        // A damaged header can claim any size; no Keras model this program shows is near 2^30 values.
        if (d != 0 && count > (std::size_t(1) << 30) / static_cast<std::size_t>(d))
            throw std::runtime_error(m_label + ": dataset " + path + " is too large (" + shapeToString(shape) + ")");
        count *= static_cast<std::size_t>(d);
    }
    SilenceHdf5Errors silence;
    Handle dataset(H5Dopen2(m_file, path.c_str(), H5P_DEFAULT), H5Dclose);
    Handle type(H5Dget_type(dataset.get()), H5Tclose);
    const H5T_class_t typeClass = H5Tget_class(type.get());
    if (typeClass != H5T_FLOAT && typeClass != H5T_INTEGER)
        throw std::runtime_error(m_label + ": dataset " + path + " does not hold numbers");
    std::vector<float> values(count);
    if (count > 0 && H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        throw std::runtime_error(m_label + ": dataset " + path + " cannot be read (damaged file?)");
    return values;
}

}  // namespace layerlens::core::detail
