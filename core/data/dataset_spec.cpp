#include "core/data/dataset_spec.h"

#include "core/data/cifar_reader.h"
#include "core/data/csv_reader.h"
#include "core/data/idx_reader.h"
#include "core/data/image_folder_reader.h"
#include "core/data/point_set_generator.h"
#include "core/data/shape_image_generator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace layerlens::core {

namespace {

struct SetInfo {
    const char* name;
    bool hasSplit; // a real train/test split (or, for generated sets, a second seed)
    bool takesPath;
    bool needsPath; // false: the path may come from a default or the environment
    std::vector<std::string> options;
    const char* defaults; // for help(): the values used when an option is left out
};

const std::vector<SetInfo>& sets()
{
    static const std::vector<std::string> points { "n", "noise", "seed", "imbalance", "split", "limit" };
    static const std::vector<std::string> pointsWithClasses { "n", "noise", "classes", "seed", "imbalance", "split",
        "limit" };
    static const std::vector<SetInfo> table {
        { "fashion-mnist", true, true, false, { "split", "limit" },
            "folder $LAYERLENS_FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist" },
        { "mnist", true, true, false, { "split", "limit" }, "folder $LAYERLENS_MNIST_DIR" },
        { "cifar10", true, true, false, { "split", "limit" }, "folder $LAYERLENS_CIFAR10_DIR" },
        { "images", false, true, true, { "size", "channels", "limit" }, "size=32 channels=3" },
        { "csv", false, true, true, { "label", "header", "limit" }, "label=last header=auto" },
        { "spiral", true, false, false, pointsWithClasses, "n=600 noise=0.05 classes=3 seed=1" },
        { "xor", true, false, false, points, "n=600 noise=0.2 seed=1" },
        { "circles", true, false, false, pointsWithClasses, "n=600 noise=0.05 classes=2 seed=1" },
        { "gauss", true, false, false, pointsWithClasses, "n=600 noise=0.25 classes=3 seed=1" },
        { "moons", true, false, false, points, "n=600 noise=0.1 seed=1" },
        { "shapes", true, false, false, { "n", "size", "noise", "seed", "imbalance", "split", "limit" },
            "n=2000 size=64 noise=0 seed=1" },
    };
    return table;
}

const SetInfo& info(const std::string& name)
{
    for (const auto& set : sets())
        if (name == set.name)
            return set;
    throw std::logic_error("DatasetSpec: no table entry for " + name);
}

std::string join(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string lower(std::string text)
{
    std::transform(
        text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string canonicalName(const std::string& text)
{
    const std::string name = lower(text);
    if (name == "fashion_mnist" || name == "fashionmnist" || name == "fmnist")
        return "fashion-mnist";
    if (name == "cifar-10" || name == "cifar_10")
        return "cifar10";
    if (name == "blobs" || name == "gaussian")
        return "gauss";
    if (name == "image" || name == "folder")
        return "images";
    return name;
}

std::string environment(const char* variable)
{
    const char* value = std::getenv(variable);
    return value != nullptr ? std::string(value) : std::string();
}

std::string mnistLikeDir(const std::string& given, const char* variable, const char* fallback)
{
    if (!given.empty())
        return given;
    const std::string fromEnvironment = environment(variable);
    if (!fromEnvironment.empty())
        return fromEnvironment;
    return fallback;
}

DatasetPtr loadMnistLike(const DatasetSpec& spec, const std::string& dir, const std::string& title,
    std::vector<std::string> classNames, const std::string& hint)
{
    if (!std::filesystem::is_directory(dir))
        throw std::runtime_error(title + ": folder " + dir + " does not exist; " + hint);
    const std::string prefix = spec.isTest() ? "t10k" : "train";
    const std::string images = IdxReader::findFile(dir, prefix + "-images-idx3-ubyte");
    const std::string labels = IdxReader::findFile(dir, prefix + "-labels-idx1-ubyte");
    if (images.empty() || labels.empty())
        throw std::runtime_error(title + ": folder " + dir + " lacks " + prefix + "-"
            + (images.empty() ? "images-idx3" : "labels-idx1") + "-ubyte(.gz); " + hint);
    return IdxReader::loadPair(
        images, labels, title + " (" + spec.splitName() + ")", std::move(classNames), spec.limit());
}

} // namespace

DatasetSpec::DatasetSpec(const std::string& spec)
{
    // Surrounding blanks come from shell quoting and config files; they are never meant.
    const auto first = spec.find_first_not_of(" \t\r\n");
    const std::string text
        = first == std::string::npos ? std::string() : spec.substr(first, spec.find_last_not_of(" \t\r\n") - first + 1);
    m_text = text;
    const auto question = text.find('?');
    const std::string head = text.substr(0, question);
    const auto colon = head.find(':');
    m_name = canonicalName(head.substr(0, colon));
    std::string arg = colon == std::string::npos ? std::string() : head.substr(colon + 1);

    if (m_name.empty())
        throw std::runtime_error("dataset spec '" + text + "' has no name; valid names: " + join(names()));
    const auto known = names();
    if (std::find(known.begin(), known.end(), m_name) == known.end())
        throw std::runtime_error(
            "unknown dataset '" + head.substr(0, colon) + "' in '" + text + "'; valid names: " + join(known));
    const SetInfo& set = info(m_name);

    // Options.
    if (question != std::string::npos) {
        std::string rest = text.substr(question + 1);
        std::size_t start = 0;
        while (start <= rest.size()) {
            const auto amp = rest.find('&', start);
            const std::string item = rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
            start = amp == std::string::npos ? rest.size() + 1 : amp + 1;
            if (item.empty())
                continue;
            const auto eq = item.find('=');
            const std::string key = lower(item.substr(0, eq));
            if (std::find(set.options.begin(), set.options.end(), key) == set.options.end())
                throw std::runtime_error("dataset '" + m_name + "': unknown option '" + key + "' in '" + text
                    + "'; valid options: " + join(set.options));
            if (eq == std::string::npos || eq + 1 == item.size())
                throw std::runtime_error("dataset '" + m_name + "': option '" + key + "' needs a value (" + key
                    + "=VALUE) in '" + text + "'");
            if (m_options.count(key) > 0)
                throw std::runtime_error(
                    "dataset '" + m_name + "': option '" + key + "' is given twice in '" + text + "'");
            m_options[key] = item.substr(eq + 1);
        }
    }

    // The arg: a split, a path, or a path followed by ":train" / ":test".
    std::string splitFromArg;
    if (arg == "train" || arg == "test") {
        splitFromArg = arg;
        arg.clear();
    } else {
        for (const char* split : { ":train", ":test" }) {
            const std::string suffix = split;
            if (arg.size() > suffix.size() && arg.compare(arg.size() - suffix.size(), suffix.size(), suffix) == 0) {
                splitFromArg = suffix.substr(1);
                arg.erase(arg.size() - suffix.size());
                break;
            }
        }
    }
    if (!arg.empty() && !set.takesPath)
        throw std::runtime_error("dataset '" + m_name + "' is generated and takes no path (found '" + arg + "' in '"
            + text + "'); its split is written " + m_name + ":test or " + m_name + "?split=test");
    if (arg.empty() && set.needsPath)
        throw std::runtime_error(
            "dataset '" + m_name + "' needs a path: " + m_name + (m_name == "csv" ? ":FILE.csv" : ":FOLDER"));
    m_path = arg;

    const std::string splitOption = option("split", "");
    if (!splitOption.empty() && splitOption != "train" && splitOption != "test")
        throw std::runtime_error("dataset '" + m_name + "': split must be train or test, not '" + splitOption + "'");
    if (!splitFromArg.empty() && !splitOption.empty() && splitFromArg != splitOption)
        throw std::runtime_error(
            "dataset spec '" + text + "' asks for both the " + splitFromArg + " and the " + splitOption + " split");
    const std::string split = !splitFromArg.empty() ? splitFromArg : splitOption;
    if (!split.empty()) {
        if (!set.hasSplit && split == "test")
            throw std::runtime_error("dataset '" + m_name + "' has no test split; point a second spec at separate "
                + (m_name == "csv" ? "file" : "folder") + " instead");
        m_split = split;
    }

    // Validate every value now, so a bad spec fails before any file is read.
    limit();
    seed();
    if (has("n"))
        intOption("n", 0, 1, 10'000'000);
    if (has("noise"))
        realOption("noise", 0, 0, 10);
    if (has("classes"))
        intOption("classes", 0, 2, 100);
    if (has("imbalance"))
        realOption("imbalance", 1, 1e-6, 1);
    if (has("size"))
        intOption("size", 0, 8, 1024);
    if (has("channels")) {
        const auto channels = intOption("channels", 3, 1, 3);
        if (channels == 2)
            throw std::runtime_error("dataset '" + m_name + "': channels must be 1 or 3, not 2");
    }
    if (has("header")) {
        const std::string header = lower(option("header", "auto"));
        if (header != "auto" && header != "yes" && header != "no" && header != "true" && header != "false"
            && header != "1" && header != "0")
            throw std::runtime_error("dataset '" + m_name + "': header must be auto, yes or no, not '" + header + "'");
    }
}

bool DatasetSpec::isGenerated() const
{
    return !info(m_name).takesPath;
}

std::string DatasetSpec::option(const std::string& key, const std::string& fallback) const
{
    const auto it = m_options.find(key);
    return it == m_options.end() ? fallback : it->second;
}

long long DatasetSpec::intOption(const std::string& key, long long fallback, long long low, long long high) const
{
    const auto it = m_options.find(key);
    if (it == m_options.end())
        return fallback;
    const std::string& text = it->second;
    long long value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() || value < low || value > high)
        throw std::runtime_error("dataset '" + m_name + "': option " + key + "=" + text + " must be an integer in ["
            + std::to_string(low) + ", " + std::to_string(high) + "]");
    return value;
}

double DatasetSpec::realOption(const std::string& key, double fallback, double low, double high) const
{
    const auto it = m_options.find(key);
    if (it == m_options.end())
        return fallback;
    const std::string& text = it->second;
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() || !std::isfinite(value) || value < low
        || value > high) {
        std::string range = "[" + std::to_string(low) + ", " + std::to_string(high) + "]";
        throw std::runtime_error(
            "dataset '" + m_name + "': option " + key + "=" + text + " must be a number in " + range);
    }
    return value;
}

std::uint64_t DatasetSpec::seed() const
{
    const auto it = m_options.find("seed");
    std::uint64_t value = 1;
    if (it != m_options.end()) {
        const std::string& text = it->second;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (result.ec != std::errc() || result.ptr != text.data() + text.size())
            throw std::runtime_error(
                "dataset '" + m_name + "': option seed=" + text + " must be a non-negative integer");
    }
    // The test split of a generated set is drawn from another stream of the same seed.
    return isTest() ? value ^ 0x7e57d47a5eedf00dULL : value;
}

std::size_t DatasetSpec::limit() const
{
    return static_cast<std::size_t>(intOption("limit", 0, 1, 1'000'000'000));
}

std::vector<std::string> DatasetSpec::names()
{
    std::vector<std::string> result;
    for (const auto& set : sets())
        result.push_back(set.name);
    return result;
}

std::vector<std::string> DatasetSpec::optionNames(const std::string& name)
{
    const std::string canonical = canonicalName(name);
    for (const auto& set : sets())
        if (canonical == set.name)
            return set.options;
    throw std::runtime_error("unknown dataset '" + name + "'; valid names: " + join(names()));
}

std::string DatasetSpec::help()
{
    std::string text = "Dataset spec: name[:arg][?key=value&key=value]\n"
                       "  arg is train|test, a path, or PATH:test\n";
    for (const auto& set : sets()) {
        text += "  " + std::string(set.name);
        if (set.takesPath)
            text += set.needsPath ? (std::string(set.name) == "csv" ? ":FILE" : ":FOLDER") : "[:FOLDER]";
        if (set.hasSplit)
            text += "[:test]";
        text += "\n      options: " + join(set.options) + "  (defaults: " + set.defaults + ")\n";
    }
    text += "  limit=N keeps at most N samples; imbalance=R keeps class k with probability R^k;\n"
            "  the test split of a generated set is drawn with another seed.\n"
            "  e.g. fashion-mnist:test, spiral?n=500&noise=0.1&classes=3&seed=1, images:DIR?size=64&channels=3\n";
    return text;
}

DatasetPtr DatasetSpec::load() const
{
    if (m_name == "fashion-mnist") {
        const std::string dir
            = mnistLikeDir(m_path, "LAYERLENS_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist");
        return loadMnistLike(*this, dir, "Fashion-MNIST",
            { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot" },
            "install the Debian package dataset-fashion-mnist, or set LAYERLENS_FASHION_MNIST_DIR, "
            "or write fashion-mnist:FOLDER");
    }
    if (m_name == "mnist") {
        const std::string dir = mnistLikeDir(m_path, "LAYERLENS_MNIST_DIR", "/usr/share/datasets/mnist");
        return loadMnistLike(*this, dir, "MNIST", { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" },
            "write mnist:FOLDER (with train-images-idx3-ubyte.gz etc.) or set LAYERLENS_MNIST_DIR");
    }
    if (m_name == "cifar10") {
        std::string dir = m_path.empty() ? environment("LAYERLENS_CIFAR10_DIR") : m_path;
        if (dir.empty())
            throw std::runtime_error("dataset 'cifar10' needs a folder: cifar10:FOLDER (the extracted "
                                     "cifar-10-binary.tar.gz) or LAYERLENS_CIFAR10_DIR");
        return CifarReader::load(dir, isTest(), limit());
    }
    if (m_name == "images")
        return ImageFolderReader::load(m_path, static_cast<int>(intOption("size", 32, 8, 1024)),
            static_cast<int>(intOption("channels", 3, 1, 3)), limit());
    if (m_name == "csv") {
        const std::string header = lower(option("header", "auto"));
        const CsvReader::Header mode = header == "yes" || header == "true" || header == "1" ? CsvReader::Header::Yes
            : header == "no" || header == "false" || header == "0"                          ? CsvReader::Header::No
                                                                                            : CsvReader::Header::Auto;
        return CsvReader::load(m_path, option("label", "last"), mode, limit());
    }

    GeneratorSettings settings;
    settings.seed = seed();
    settings.imbalance = static_cast<float>(realOption("imbalance", 1.0, 1e-6, 1.0));
    settings.limit = limit();
    if (m_name == "shapes") {
        settings.n = static_cast<std::size_t>(intOption("n", 2000, 1, 10'000'000));
        settings.noise = static_cast<float>(realOption("noise", 0.0, 0.0, 10.0));
        const int size = static_cast<int>(intOption("size", 64, 8, 1024));
        settings.title = "shapes " + std::to_string(size) + "x" + std::to_string(size) + " (" + m_split + ")";
        return ShapeImageGenerator::generate(settings, size);
    }
    settings.n = static_cast<std::size_t>(intOption("n", 600, 1, 10'000'000));
    settings.noise = static_cast<float>(realOption("noise", PointSetGenerator::defaultNoise(m_name), 0.0, 10.0));
    settings.classes = static_cast<int>(intOption("classes", PointSetGenerator::defaultClasses(m_name), 2, 100));
    settings.title = m_name + " (" + m_split + ")";
    return PointSetGenerator::generate(m_name, settings);
}

} // namespace layerlens::core
