#pragma once
// DatasetSpec: one string names every dataset the core offers.
//
//   spec    = name [ ":" arg ] [ "?" option *( "&" option ) ]
//   arg     = split | path | path ":" split
//   split   = "train" | "test"
//   option  = key "=" value
//
// The name ends at the first ':' or '?', the options start at the first '?'. An arg that is
// exactly "train" or "test", or a path ending in ":train" / ":test", selects the split (a
// folder literally named "test" is written "./test"). The split may also be given as
// ?split=test. Examples:
//
//   fashion-mnist                      Fashion-MNIST training set (60000 x (1, 28, 28))
//   fashion-mnist:test                 its test set (10000)
//   mnist:/data/mnist:test             MNIST IDX files in a folder, test split
//   cifar10:/data/cifar-10-batches-bin?split=test
//   images:/photos?size=64&channels=3  one subfolder per class
//   csv:iris.csv?label=species         numeric features + a label column
//   spiral?n=500&noise=0.1&classes=3&seed=1
//   shapes?n=2000&size=64&imbalance=0.5
//
// Names: fashion-mnist, mnist, cifar10 (files with a train/test split); images, csv (files);
// spiral, xor, circles, gauss, moons (generated 2-D points); shapes (generated images).
// Options (each set accepts only its own; anything else is an error listing the valid ones):
//   limit=N        every set: keep at most N samples
//   split=train|test   sets with a split; for generated sets "test" draws with another seed
//   n, noise, seed, imbalance=R (keep class k with probability R^k) for generated sets;
//   classes for spiral, circles and gauss; size for images and shapes; channels=1|3 for images;
//   label=last|first|NAME and header=auto|yes|no for csv.
// Folders default to $LAYERLENS_FASHION_MNIST_DIR (else /usr/share/datasets/fashion-mnist),
// $LAYERLENS_MNIST_DIR and $LAYERLENS_CIFAR10_DIR when no path is given.

#include "core/data/dataset.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace layerlens::core {

class DatasetSpec {
public:
    // Parses and validates; throws std::runtime_error naming the bad part and listing the
    // valid names or options.
    explicit DatasetSpec(const std::string& text);

    const std::string& text() const { return m_text; } // as given, without surrounding blanks
    const std::string& name() const { return m_name; } // canonical, e.g. "fashion-mnist"
    const std::string& path() const { return m_path; } // "" when none was given
    const std::string& splitName() const { return m_split; } // "train" or "test"
    bool isTest() const { return m_split == "test"; }
    bool isGenerated() const;
    const std::map<std::string, std::string>& options() const { return m_options; }

    bool has(const std::string& key) const { return m_options.count(key) > 0; }
    std::string option(const std::string& key, const std::string& fallback) const;
    // Numeric options, checked against [low, high]; errors name the option and the range.
    long long intOption(const std::string& key, long long fallback, long long low, long long high) const;
    double realOption(const std::string& key, double fallback, double low, double high) const;
    std::uint64_t seed() const; // seed option (default 1), mixed with the split for generated sets
    std::size_t limit() const; // 0 = no limit

    // Loads the dataset this spec names.
    DatasetPtr load() const;

    static std::vector<std::string> names();
    static std::vector<std::string> optionNames(const std::string& name);
    static std::string help(); // the grammar and the names, for --help texts

private:
    std::string m_text;
    std::string m_name;
    std::string m_path;
    std::string m_split = "train";
    std::map<std::string, std::string> m_options;
};

} // namespace layerlens::core
