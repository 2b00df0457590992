#pragma once
// Hdf5File: the few read-only HDF5 operations the Keras reader needs, on the HDF5 C API.
// hdf5.h stays out of this header so that nothing outside core/keras depends on it.
// Every failure is a std::runtime_error naming the file (label) and the object.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace layerlens::core::detail {

class Hdf5File {
public:
    // Opens a file on disk; throws if it is missing or not HDF5.
    explicit Hdf5File(const std::string& path);
    // Opens an HDF5 file held in memory (an entry of a .keras zip); label names it in messages.
    Hdf5File(const std::vector<char>& image, std::string label);
    ~Hdf5File();
    Hdf5File(const Hdf5File&) = delete;
    Hdf5File& operator=(const Hdf5File&) = delete;

    const std::string& label() const { return m_label; }

    // Paths are absolute within the file ("/model_weights/conv2d"), "/" is the root.
    bool exists(const std::string& path) const;  // false also when an intermediate group is missing
    bool isGroup(const std::string& path) const;
    bool isDataset(const std::string& path) const;
    std::vector<std::string> children(const std::string& group) const;  // names, in storage order

    bool hasAttribute(const std::string& object, const std::string& name) const;
    // A scalar string attribute (fixed or variable length); nullopt when absent.
    std::optional<std::string> stringAttribute(const std::string& object, const std::string& name) const;
    // A string array attribute, also when Keras split a long one into name0, name1, ...;
    // an empty numeric array (what Keras writes for "no weights") gives an empty list.
    std::optional<std::vector<std::string>> stringListAttribute(const std::string& object,
                                                                const std::string& name) const;

    Shape datasetShape(const std::string& path) const;
    std::vector<float> readFloats(const std::string& path) const;  // converted to float32

private:
    std::vector<std::string> readStrings(const std::string& object, const std::string& name) const;

    std::string m_label;
    std::int64_t m_file = -1;  // hid_t
};

}  // namespace layerlens::core::detail
