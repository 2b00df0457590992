#include "core/data/csv_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

namespace layerlens::core {

namespace {

std::string trim(const std::string& text)
{
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string::npos)
        return {};
    const auto end = text.find_last_not_of(" \t\r");
    return text.substr(begin, end - begin + 1);
}

std::vector<std::string> splitFields(const std::string& line, char separator)
{
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == separator) {
            fields.push_back(trim(field));
            field.clear();
        } else {
            field += c;
        }
    }
    fields.push_back(trim(field));
    return fields;
}

bool parseNumber(const std::string& text, float& value)
{
    if (text.empty())
        return false;
    const char* begin = text.data();
    if (*begin == '+')
        ++begin;
    const auto result = std::from_chars(begin, text.data() + text.size(), value);
    return result.ec == std::errc() && result.ptr == text.data() + text.size() && std::isfinite(value);
}

bool parseInteger(const std::string& text, long long& value)
{
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

struct Row {
    std::size_t line;
    std::vector<std::string> fields;
};

} // namespace

std::shared_ptr<ArrayDataset> CsvReader::load(
    const std::string& path, const std::string& label, Header header, std::size_t limit)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot open CSV file " + path);

    std::vector<Row> rows;
    char separator = 0;
    std::string line;
    for (std::size_t lineNumber = 1; std::getline(in, line); ++lineNumber) {
        if (lineNumber == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3); // UTF-8 byte order mark from spreadsheet exports
        const std::string content = trim(line);
        if (content.empty() || content.front() == '#')
            continue;
        if (separator == 0)
            separator = content.find(',') != std::string::npos ? ','
                : content.find(';') != std::string::npos       ? ';'
                : content.find('\t') != std::string::npos      ? '\t'
                                                               : ',';
        rows.push_back({ lineNumber, splitFields(content, separator) });
        // One extra row: the first might be a header.
        if (limit > 0 && rows.size() > limit + 1)
            break;
    }
    if (rows.empty())
        throw std::runtime_error("CSV file " + path + " holds no data rows");
    const std::size_t columns = rows.front().fields.size();
    if (columns < 2)
        throw std::runtime_error("CSV file " + path + ", line " + std::to_string(rows.front().line)
            + ": found 1 column, expected at least 2 (features and a label)");

    auto isNumber = [](const std::string& s) {
        float v = 0;
        return parseNumber(s, v);
    };
    bool hasHeader = header == Header::Yes;
    std::size_t labelColumn = columns - 1;
    if (label == "last") {
        labelColumn = columns - 1;
    } else if (label == "first") {
        labelColumn = 0;
    } else {
        if (header == Header::No)
            throw std::runtime_error("CSV file " + path + ": label column '" + label
                + "' is given by name, but header=no; use label=first|last or a header");
        const auto& names = rows.front().fields;
        const auto it = std::find(names.begin(), names.end(), label);
        if (it == names.end()) {
            std::string list;
            for (const auto& n : names)
                list += (list.empty() ? "" : ", ") + n;
            throw std::runtime_error("CSV file " + path + ": no column named '" + label + "' in the header (line "
                + std::to_string(rows.front().line) + ": " + list + ")");
        }
        labelColumn = static_cast<std::size_t>(it - names.begin());
        hasHeader = true;
    }
    if (header == Header::Auto && !hasHeader) {
        const auto& first = rows.front().fields;
        for (std::size_t c = 0; c < first.size(); ++c)
            if (c != labelColumn && !isNumber(first[c]))
                hasHeader = true;
    }
    std::vector<std::string> columnNames;
    if (hasHeader) {
        columnNames = rows.front().fields;
        rows.erase(rows.begin());
    }
    auto columnText = [&](std::size_t c) {
        std::string text = "column " + std::to_string(c + 1);
        if (c < columnNames.size() && !columnNames[c].empty())
            text += " ('" + columnNames[c] + "')";
        return text;
    };
    if (limit > 0 && rows.size() > limit)
        rows.resize(limit);
    if (rows.empty())
        throw std::runtime_error("CSV file " + path + " has a header but no data rows");

    // Classes: distinct labels, sorted numerically when all are integers.
    std::vector<std::string> labels;
    for (const auto& row : rows) {
        if (row.fields.size() != columns)
            throw std::runtime_error("CSV file " + path + ", line " + std::to_string(row.line) + ": found "
                + std::to_string(row.fields.size()) + " columns, expected " + std::to_string(columns) + " (as on line "
                + std::to_string(rows.front().line) + (hasHeader ? " and the header" : "") + ")");
        if (row.fields[labelColumn].empty())
            throw std::runtime_error("CSV file " + path + ", line " + std::to_string(row.line) + ", "
                + columnText(labelColumn) + ": the label is empty");
        labels.push_back(row.fields[labelColumn]);
    }
    std::vector<std::string> classNames = labels;
    std::sort(classNames.begin(), classNames.end());
    classNames.erase(std::unique(classNames.begin(), classNames.end()), classNames.end());
    const bool integers = std::all_of(classNames.begin(), classNames.end(), [](const std::string& s) {
        long long v = 0;
        return parseInteger(s, v);
    });
    if (integers)
        std::sort(classNames.begin(), classNames.end(), [](const std::string& a, const std::string& b) {
            long long x = 0, y = 0;
            parseInteger(a, x);
            parseInteger(b, y);
            return x < y;
        });
    std::map<std::string, int> classIndex;
    for (std::size_t k = 0; k < classNames.size(); ++k)
        classIndex[classNames[k]] = static_cast<int>(k);

    const int features = static_cast<int>(columns - 1);
    auto data = std::make_shared<ArrayDataset>(
        "CSV: " + std::filesystem::path(path).filename().string(), Shape { features }, classNames);
    data->reserve(rows.size());
    std::vector<float> sample(static_cast<std::size_t>(features));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        std::size_t f = 0;
        for (std::size_t c = 0; c < columns; ++c) {
            if (c == labelColumn)
                continue;
            if (!parseNumber(row.fields[c], sample[f]))
                throw std::runtime_error("CSV file " + path + ", line " + std::to_string(row.line) + ", "
                    + columnText(c) + ": '" + row.fields[c] + "' is not a number");
            ++f;
        }
        data->appendFloats(sample.data(), classIndex.at(labels[r]));
    }
    return data;
}

} // namespace layerlens::core
