#pragma once
// CsvReader: a table of numeric feature columns and one label column. Labels may be class
// names or numbers; the classes are the distinct labels sorted (numerically when every label
// is an integer, else as text). Fields are separated by ',' (or ';' / tab when the first line
// has no comma) and may be quoted with '"'. Empty lines and lines starting with '#' are skipped.

#include "core/data/dataset.h"

#include <memory>
#include <string>

namespace layerlens::core {

class CsvReader {
public:
    enum class Header { Auto, Yes, No };

    // label: "last", "first" or a column name from the header. With Header::Auto the first
    // line is a header when any of its feature fields is not a number. Errors name the file,
    // the line and the column. Samples are (features) floats; at most `limit` (0 = all).
    static std::shared_ptr<ArrayDataset> load(const std::string& path, const std::string& label = "last",
        Header header = Header::Auto, std::size_t limit = 0);
};

} // namespace layerlens::core
