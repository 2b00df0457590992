#pragma once
// KerasReader: loads a Keras model file into a KerasModel (architecture, graph and weights,
// all as Keras stores them). Which format a file is comes from its first bytes, not its name:
//   HDF5 (.h5, .hdf5)  Keras 2 / tf.keras: root attribute "model_config", weights under
//                      model_weights/<layer>/<layer>/kernel:0 listed by "layer_names" and
//                      "weight_names"; or a save_weights() file with those groups at the root.
//   zip (.keras)       Keras 3: config.json, metadata.json and model.weights.h5 holding
//                      layers/<name>/vars/0, 1, ...
// Errors are std::runtime_error with the file, the layer or dataset, and what was expected.

#include <string>

#include "core/keras/keras_model.h"

namespace layerlens::core {

class KerasReader {
public:
    // Checks the file in a child process first (see child_process_check.h), so a file that
    // crashes libhdf5 is refused with a message.
    static KerasModel readFile(const std::string& path);
    // The same without the child-process check: for files known to be intact.
    static KerasModel readFileUnchecked(const std::string& path);
    static KerasModel readHdf5(const std::string& path);
    static KerasModel readKeras3(const std::string& path);
};

}  // namespace layerlens::core
