#!/usr/bin/python3
"""Writes small Keras model files in exactly the layouts Keras writes, without Keras.

Run with Debian's python (it has numpy and h5py):  /usr/bin/python3 make_fixtures.py

Files written here:
  keras2_cnn.h5          tf.keras 2.4 Sequential: InputLayer, Conv2D(same, relu), MaxPooling2D,
                         BatchNormalization, Flatten, Dense(softmax). Root attributes are variable-length strings.
  keras2_mlp.h5          tf.keras 2.4 Functional chain: Input, Dense(relu), Dropout, Dense, LeakyReLU,
                         Dense(softmax). Root attributes are fixed-length byte strings (older h5py).
  keras2_mlp_weights.h5  the same MLP written by save_weights(): weights at the root, no model_config.
  keras3_cnn.keras       Keras 3 Sequential: Rescaling, Conv2D, MaxPooling2D, BatchNormalization(center=False),
                         Flatten, Dropout, Dense(softmax).
  keras3_mlp.keras       Keras 3 Functional chain: Dense, ReLU, Dense, LeakyReLU(negative_slope), Dense, Softmax;
                         the Dense layers have their own names, their weight groups the class-derived ones.
  keras2_variants.h5     tf.keras 2.4 Sequential exercising strides, dilation, "same" padding on even sizes,
                         layers without bias, average pooling, ReLU/Softmax/Activation layers, Reshape, GAP.
  keras2_chunked_names.h5  weights only, with "layer_names" split into layer_names0/1 as Keras does for long lists.
  expected.json          per model: a fixed input (N, H, W, C or N, F, channels-last) and the output computed
                         here with numpy (direct loops, float64).
  broken/...             bad files for the error tests.
"""
import io
import json
import os
import shutil
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(1234)


def rand(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# ---------------------------------------------------------------- numpy reference (channels-last)

def conv2d_same(x, kernel, bias):
    # x (N, H, W, C), kernel (kh, kw, C, F); stride 1, TF "same" padding (odd kernel: symmetric).
    n, h, w, c = x.shape
    kh, kw, _, f = kernel.shape
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    xp = np.zeros((n, h + kh - 1, w + kw - 1, c))
    xp[:, ph:ph + h, pw:pw + w, :] = x
    y = np.zeros((n, h, w, f))
    for i in range(h):
        for j in range(w):
            for di in range(kh):
                for dj in range(kw):
                    y[:, i, j, :] += xp[:, i + di, j + dj, :] @ kernel[di, dj].astype(np.float64)
    return y + bias


def tf_same(size, k, s, d):
    span = d * (k - 1) + 1
    out = -(-size // s)
    total = max((out - 1) * s + span - size, 0)
    return out, total // 2


def conv2d(x, kernel, bias, strides=(1, 1), padding="valid", dilation=(1, 1)):
    # Direct loops, channels-last, TensorFlow padding (the extra pixel of "same" at the bottom/right).
    n, h, w, c = x.shape
    kh, kw, _, f = kernel.shape
    if padding == "same":
        oh, ph = tf_same(h, kh, strides[0], dilation[0])
        ow, pw = tf_same(w, kw, strides[1], dilation[1])
    else:
        oh = (h - dilation[0] * (kh - 1) - 1) // strides[0] + 1
        ow = (w - dilation[1] * (kw - 1) - 1) // strides[1] + 1
        ph = pw = 0
    y = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            for di in range(kh):
                for dj in range(kw):
                    ii, jj = i * strides[0] + di * dilation[0] - ph, j * strides[1] + dj * dilation[1] - pw
                    if 0 <= ii < h and 0 <= jj < w:
                        y[:, i, j, :] += x[:, ii, jj, :] @ kernel[di, dj].astype(np.float64)
    return y + (0 if bias is None else bias)


def avgpool_same(x, k, s):
    # Keras "same" average pooling divides by the number of non-padded values.
    n, h, w, c = x.shape
    oh, ph = tf_same(h, k, s, 1)
    ow, pw = tf_same(w, k, s, 1)
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            i0, j0 = i * s - ph, j * s - pw
            win = x[:, max(i0, 0):min(i0 + k, h), max(j0, 0):min(j0 + k, w), :]
            y[:, i, j, :] = win.mean(axis=(1, 2))
    return y


def maxpool2(x):
    n, h, w, c = x.shape
    y = np.zeros((n, h // 2, w // 2, c))
    for i in range(h // 2):
        for j in range(w // 2):
            y[:, i, j, :] = x[:, 2 * i:2 * i + 2, 2 * j:2 * j + 2, :].max(axis=(1, 2))
    return y


def batchnorm(x, gamma, beta, mean, var, eps):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def relu(x):
    return np.maximum(x, 0)


def leaky(x, a):
    return np.where(x > 0, x, a * x)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------- Keras config pieces

def initializer(name):
    return {"class_name": name, "config": {"seed": None} if name.endswith("Uniform") else {}}


def k2_conv(name, filters, activation):
    return {"class_name": "Conv2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": [3, 3],
        "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
        "groups": 1, "activation": activation, "use_bias": True,
        "kernel_initializer": initializer("GlorotUniform"), "bias_initializer": initializer("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def k2_dense(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
        "use_bias": True, "kernel_initializer": initializer("GlorotUniform"),
        "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}


def k2_bn(name, center=True, scale=True):
    return {"class_name": "BatchNormalization", "config": {
        "name": name, "trainable": True, "dtype": "float32", "axis": [3], "momentum": 0.99, "epsilon": 0.001,
        "center": center, "scale": scale, "beta_initializer": initializer("Zeros"),
        "gamma_initializer": initializer("Ones"), "moving_mean_initializer": initializer("Zeros"),
        "moving_variance_initializer": initializer("Ones"), "beta_regularizer": None, "gamma_regularizer": None,
        "beta_constraint": None, "gamma_constraint": None}}


def k2_pool(name):
    return {"class_name": "MaxPooling2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "pool_size": [2, 2], "padding": "valid",
        "strides": [2, 2], "data_format": "channels_last"}}


def k2_flatten(name):
    return {"class_name": "Flatten", "config": {"name": name, "trainable": True, "dtype": "float32",
                                                 "data_format": "channels_last"}}


def k2_input(name, shape):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                                                    "sparse": False, "ragged": False, "name": name}}


# ---------------------------------------------------------------- Keras 2 HDF5 writing

def write_k2_weights(group, layers, weights, as_bytes):
    """layers: list of names in model order; weights: {layer: [(short name, array), ...]}."""
    group.attrs["layer_names"] = np.array([n.encode("utf8") for n in layers])
    set_str(group.attrs, "backend", "tensorflow", as_bytes)
    set_str(group.attrs, "keras_version", "2.4.0", as_bytes)
    for name in layers:
        g = group.create_group(name)
        ws = weights.get(name, [])
        full = ["%s/%s:0" % (name, w) for w, _ in ws]
        # Keras writes an empty float64 array when a layer has no weights.
        g.attrs["weight_names"] = np.array([n.encode("utf8") for n in full]) if full else np.array([])
        for n, (_, value) in zip(full, ws):
            d = g.create_dataset(n, value.shape, dtype=value.dtype)
            d[...] = value


def set_str(attrs, key, value, as_bytes):
    if as_bytes:
        attrs[key] = np.bytes_(value.encode("utf8"))  # fixed-length string
    else:
        attrs[key] = value  # h5py 3: variable-length UTF-8 string


def write_k2_model(path, model_config, layers, weights, as_bytes):
    with h5py.File(path, "w") as f:
        set_str(f.attrs, "keras_version", "2.4.0", as_bytes)
        set_str(f.attrs, "backend", "tensorflow", as_bytes)
        set_str(f.attrs, "model_config", json.dumps(model_config), as_bytes)
        write_k2_weights(f.create_group("model_weights"), layers, weights, as_bytes)


# ---------------------------------------------------------------- Keras 3 .keras writing

def k3(class_name, config, build_shape=None, module="keras.layers"):
    layer = {"module": module, "class_name": class_name, "config": config, "registered_name": None}
    if build_shape is not None:
        layer["build_config"] = {"input_shape": [None] + list(build_shape)}
    return layer


DTYPE_POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": None}


def k3_common(name):
    return {"name": name, "trainable": True, "dtype": DTYPE_POLICY}


def write_keras3(path, config, layer_vars):
    """layer_vars: {layer name: [array, ...]} in Keras 3 variable order."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        layers = f.create_group("layers")
        for name, values in layer_vars.items():
            v = layers.create_group(name).create_group("vars")
            for i, value in enumerate(values):
                v.create_dataset(str(i), data=value)
        f.create_group("optimizer").create_group("vars")
        f.create_group("vars")
    metadata = {"keras_version": "3.3.3", "date_saved": "2026-12-03@15:00:00"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        # A fixed date keeps the archive byte-identical when the script runs again.
        for name, data in (("metadata.json", json.dumps(metadata)), ("config.json", json.dumps(config)),
                           ("model.weights.h5", buf.getvalue())):
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 3, 15, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)


def main():
    expected = {}
    broken = os.path.join(HERE, "broken")
    os.makedirs(broken, exist_ok=True)

    # ------------------------------------------------------------ Keras 2 CNN (Sequential)
    H, W, C = 6, 6, 3
    conv_k, conv_b = rand(3, 3, C, 4), rand(4, scale=0.1)
    gamma, beta = (1 + rand(4, scale=0.1)), rand(4, scale=0.1)
    mean, var = rand(4, scale=0.2), (0.5 + np.abs(rand(4))).astype(np.float32)
    dense_k, dense_b = rand(3 * 3 * 4, 5), rand(5, scale=0.1)
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        k2_input("conv2d_input", (H, W, C)), k2_conv("conv2d", 4, "relu"), k2_pool("max_pooling2d"),
        k2_bn("batch_normalization"), k2_flatten("flatten"), k2_dense("dense", 5, "softmax")]}}
    weights = {"conv2d": [("kernel", conv_k), ("bias", conv_b)],
               "batch_normalization": [("gamma", gamma), ("beta", beta), ("moving_mean", mean),
                                       ("moving_variance", var)],
               "dense": [("kernel", dense_k), ("bias", dense_b)]}
    layers = ["conv2d", "max_pooling2d", "batch_normalization", "flatten", "dense"]
    write_k2_model(os.path.join(HERE, "keras2_cnn.h5"), config, layers, weights, as_bytes=False)
    x = rand(2, H, W, C, scale=1.0)
    y = relu(conv2d_same(x, conv_k, conv_b))
    y = batchnorm(maxpool2(y), gamma, beta, mean, var, 0.001)
    y = softmax(y.reshape(2, -1) @ dense_k + dense_b)
    expected["keras2_cnn.h5"] = {"input_shape": list(x.shape), "input": x.ravel().tolist(),
                                 "output_shape": list(y.shape), "output": y.ravel().tolist()}

    # Shape mismatch: the Dense kernel stored with a wrong input size.
    bad = dict(weights)
    bad["dense"] = [("kernel", rand(3 * 3 * 4 + 1, 5)), ("bias", dense_b)]
    write_k2_model(os.path.join(broken, "shape_mismatch.h5"), config, layers, bad, as_bytes=False)
    # Missing weight: weight_names lists dense/bias:0 but the dataset is gone.
    path = os.path.join(broken, "missing_weight.h5")
    write_k2_model(path, config, layers, weights, as_bytes=False)
    with h5py.File(path, "a") as f:
        del f["model_weights/dense/dense/bias:0"]
    # No model_config and no weights: an HDF5 file that is not a Keras model.
    with h5py.File(os.path.join(broken, "no_config.h5"), "w") as f:
        f.create_dataset("data", data=np.arange(4, dtype=np.float32))
    with open(os.path.join(broken, "not_hdf5.h5"), "w") as f:
        f.write("This is a text file, not an HDF5 file.\n")

    # ------------------------------------------------------------ Keras 2 MLP (Functional chain)
    F = 10
    k1, b1 = rand(F, 16), rand(16, scale=0.1)
    k2, b2 = rand(16, 8), rand(8, scale=0.1)
    k3_, b3 = rand(8, 3), rand(3, scale=0.1)

    def node(*names):
        return [[[n, 0, 0, {}] for n in names]]

    def named(layer, inbound):
        layer = dict(layer)
        layer["name"] = layer["config"]["name"]
        layer["inbound_nodes"] = node(inbound) if inbound else []
        return layer

    fl = [named(k2_input("input_1", (F,)), None),
          named(k2_dense("dense", 16, "relu"), "input_1"),
          named({"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "dtype": "float32",
                                                    "rate": 0.25, "noise_shape": None, "seed": None}}, "dense"),
          named(k2_dense("dense_1", 8, "linear"), "dropout"),
          named({"class_name": "LeakyReLU", "config": {"name": "leaky_re_lu", "trainable": True,
                                                      "dtype": "float32", "alpha": 0.2}}, "dense_1"),
          named(k2_dense("dense_2", 3, "softmax"), "leaky_re_lu")]
    config = {"class_name": "Functional", "config": {"name": "mlp", "layers": fl,
                                                     "input_layers": [["input_1", 0, 0]],
                                                     "output_layers": [["dense_2", 0, 0]]}}
    weights = {"dense": [("kernel", k1), ("bias", b1)], "dense_1": [("kernel", k2), ("bias", b2)],
               "dense_2": [("kernel", k3_), ("bias", b3)]}
    layers = ["input_1", "dense", "dropout", "dense_1", "leaky_re_lu", "dense_2"]
    write_k2_model(os.path.join(HERE, "keras2_mlp.h5"), config, layers, weights, as_bytes=True)
    with h5py.File(os.path.join(HERE, "keras2_mlp_weights.h5"), "w") as f:
        write_k2_weights(f, layers, weights, as_bytes=True)
    x = rand(3, F, scale=1.0)
    y = softmax(leaky(relu(x @ k1 + b1) @ k2 + b2, 0.2) @ k3_ + b3)
    expected["keras2_mlp.h5"] = {"input_shape": list(x.shape), "input": x.ravel().tolist(),
                                 "output_shape": list(y.shape), "output": y.ravel().tolist()}

    # ------------------------------------------------------------ Keras 3 CNN (Sequential)
    H, W, C = 4, 6, 2
    conv_k, conv_b = rand(3, 3, C, 3), rand(3, scale=0.1)
    gamma = (1 + rand(3, scale=0.1))
    mean, var = rand(3, scale=0.2), (0.5 + np.abs(rand(3))).astype(np.float32)
    dense_k, dense_b = rand(2 * 3 * 3, 4), rand(4, scale=0.1)
    shape = [None, H, W, C]
    c = k3_common
    layers3 = [
        k3("InputLayer", {"batch_shape": shape, "dtype": "float32", "sparse": False, "name": "input_layer"}),
        k3("Rescaling", dict(c("rescaling"), scale=0.5, offset=-0.25), (H, W, C)),
        k3("Conv2D", dict(c("conv2d"), filters=3, kernel_size=[3, 3], strides=[1, 1], padding="same",
                          data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="relu",
                          use_bias=True, kernel_initializer={"module": "keras.initializers",
                                                             "class_name": "GlorotUniform",
                                                             "config": {"seed": None}, "registered_name": None},
                          bias_initializer={"module": "keras.initializers", "class_name": "Zeros",
                                            "config": {}, "registered_name": None},
                          kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                          kernel_constraint=None, bias_constraint=None), (H, W, C)),
        k3("MaxPooling2D", dict(c("max_pooling2d"), pool_size=[2, 2], padding="valid", strides=[2, 2],
                                data_format="channels_last"), (H, W, 3)),
        k3("BatchNormalization", dict(c("batch_normalization"), axis=-1, momentum=0.99, epsilon=0.001,
                                      center=False, scale=True), (H // 2, W // 2, 3)),
        k3("Flatten", dict(c("flatten"), data_format="channels_last"), (H // 2, W // 2, 3)),
        k3("Dropout", dict(c("dropout"), rate=0.5, seed=None, noise_shape=None), (18,)),
        k3("Dense", dict(c("dense"), units=4, activation="softmax", use_bias=True), (18,)),
    ]
    config = {"module": "keras", "class_name": "Sequential",
              "config": {"name": "sequential", "trainable": True, "dtype": DTYPE_POLICY, "layers": layers3,
                         "build_input_shape": shape},
              "registered_name": None, "build_config": {"input_shape": shape}, "compile_config": None}
    write_keras3(os.path.join(HERE, "keras3_cnn.keras"), config, {
        "rescaling": [], "conv2d": [conv_k, conv_b], "max_pooling2d": [],
        "batch_normalization": [gamma, mean, var], "flatten": [], "dropout": [], "dense": [dense_k, dense_b]})
    x = rand(2, H, W, C, scale=1.0)
    y = relu(conv2d_same(x * 0.5 - 0.25, conv_k, conv_b))
    y = batchnorm(maxpool2(y), gamma, 0.0, mean, var, 0.001)
    y = softmax(y.reshape(2, -1) @ dense_k + dense_b)
    expected["keras3_cnn.keras"] = {"input_shape": list(x.shape), "input": x.ravel().tolist(),
                                    "output_shape": list(y.shape), "output": y.ravel().tolist()}
    with open(os.path.join(HERE, "keras3_cnn.keras"), "rb") as f:
        data = f.read()
    with open(os.path.join(broken, "truncated.keras"), "wb") as f:
        f.write(data[:len(data) * 6 // 10])

    # ------------------------------------------------------------ Keras 3 MLP (Functional chain)
    F = 5
    k1, b1 = rand(F, 7), rand(7, scale=0.1)
    k2, b2 = rand(7, 6), rand(6, scale=0.1)
    k3w, b3 = rand(6, 3), rand(3, scale=0.1)

    def inbound(name, shape_):
        return [{"args": [{"class_name": "__keras_tensor__",
                           "config": {"shape": [None, shape_], "dtype": "float32",
                                      "keras_history": [name, 0, 0]}}], "kwargs": {}}]

    def k3f(class_name, config_, src, src_shape):
        layer = k3(class_name, config_, (src_shape,))
        layer["name"] = config_["name"]
        layer["inbound_nodes"] = inbound(src, src_shape) if src else []
        return layer

    fl = [dict(k3("InputLayer", {"batch_shape": [None, F], "dtype": "float32", "sparse": False,
                                 "name": "input_layer"}), name="input_layer", inbound_nodes=[]),
          k3f("Dense", dict(c("hidden"), units=7, activation="linear", use_bias=True), "input_layer", F),
          k3f("ReLU", dict(c("re_lu"), max_value=None, negative_slope=0.0, threshold=0.0), "hidden", 7),
          k3f("Dense", dict(c("hidden_2"), units=6, activation="linear", use_bias=True), "re_lu", 7),
          k3f("LeakyReLU", dict(c("leaky_re_lu"), negative_slope=0.1), "hidden_2", 6),
          k3f("Dense", dict(c("logits"), units=3, activation="linear", use_bias=True), "leaky_re_lu", 6),
          k3f("Softmax", dict(c("softmax"), axis=-1), "logits", 3)]
    config = {"module": "keras.src.models.functional", "class_name": "Functional",
              "config": {"name": "functional", "trainable": True, "layers": fl,
                         "input_layers": [["input_layer", 0, 0]], "output_layers": [["softmax", 0, 0]]},
              "registered_name": "Functional", "build_config": {"input_shape": None}, "compile_config": None}
    # Keras 3 names the weight groups after the class ("dense", "dense_1", ...), not after the layer.
    write_keras3(os.path.join(HERE, "keras3_mlp.keras"), config, {
        "dense": [k1, b1], "re_lu": [], "dense_1": [k2, b2], "leaky_re_lu": [], "dense_2": [k3w, b3],
        "softmax": []})
    x = rand(2, F, scale=1.0)
    y = softmax(leaky(relu(x @ k1 + b1) @ k2 + b2, 0.1) @ k3w + b3)
    expected["keras3_mlp.keras"] = {"input_shape": list(x.shape), "input": x.ravel().tolist(),
                                    "output_shape": list(y.shape), "output": y.ravel().tolist()}

    # ------------------------------------------------------------ Keras 2 variants (Sequential)
    # Strided "same" conv on an even size (asymmetric padding), no bias, Activation layer, dilation,
    # "same" average pooling, BatchNormalization(scale=False), a non-square valid kernel, ReLU with
    # a negative slope, Flatten -> Dense (no bias), Reshape to (1, 1, C), GlobalAveragePooling2D, Softmax.
    H, W, C = 8, 8, 2
    ka = rand(3, 3, C, 3)
    kb, bb = rand(3, 3, 3, 4), rand(4, scale=0.1)
    beta, mean, var = rand(4, scale=0.1), rand(4, scale=0.2), (0.5 + np.abs(rand(4))).astype(np.float32)
    kc, bc = rand(2, 3, 4, 2), rand(2, scale=0.1)
    kd = rand(12, 6)
    ke, be = rand(6, 3), rand(3, scale=0.1)
    conv_a = k2_conv("conv_a", 3, "linear")
    conv_a["config"].update(strides=[2, 2], use_bias=False)
    conv_b = k2_conv("conv_b", 4, "relu")
    conv_b["config"].update(dilation_rate=[2, 2])
    conv_c = k2_conv("conv_c", 2, "linear")
    conv_c["config"].update(kernel_size=[2, 3], padding="valid")
    dense_d = k2_dense("dense_d", 6, "sigmoid")
    dense_d["config"]["use_bias"] = False

    def simple(cls, name, **extra):
        return {"class_name": cls, "config": dict({"name": name, "trainable": True, "dtype": "float32"}, **extra)}

    config = {"class_name": "Sequential", "config": {"name": "variants", "layers": [
        k2_input("input_v", (H, W, C)), conv_a, simple("Activation", "tanh_a", activation="tanh"), conv_b,
        simple("AveragePooling2D", "avg", pool_size=[3, 3], padding="same", strides=[1, 1],
               data_format="channels_last"),
        k2_bn("bn", scale=False), conv_c,
        simple("ReLU", "leaky", max_value=None, negative_slope=0.05, threshold=0.0),
        k2_flatten("flat"), dense_d,
        simple("Reshape", "to_image", target_shape=[1, 1, 6]),
        simple("GlobalAveragePooling2D", "gap", data_format="channels_last"),
        k2_dense("dense_e", 3, "linear"), simple("Softmax", "probs", axis=-1)]}}
    weights = {"conv_a": [("kernel", ka)], "conv_b": [("kernel", kb), ("bias", bb)],
               "bn": [("beta", beta), ("moving_mean", mean), ("moving_variance", var)],
               "conv_c": [("kernel", kc), ("bias", bc)], "dense_d": [("kernel", kd)],
               "dense_e": [("kernel", ke), ("bias", be)]}
    layers = ["conv_a", "tanh_a", "conv_b", "avg", "bn", "conv_c", "leaky", "flat", "dense_d", "to_image", "gap",
              "dense_e", "probs"]
    write_k2_model(os.path.join(HERE, "keras2_variants.h5"), config, layers, weights, as_bytes=False)
    x = rand(2, H, W, C, scale=1.0)
    y = np.tanh(conv2d(x, ka, None, strides=(2, 2), padding="same"))
    y = relu(conv2d(y, kb, bb, padding="same", dilation=(2, 2)))
    y = avgpool_same(y, 3, 1)
    y = batchnorm(y, 1.0, beta, mean, var, 0.001)
    y = leaky(conv2d(y, kc, bc), 0.05)
    y = 1 / (1 + np.exp(-(y.reshape(2, -1) @ kd)))
    y = softmax(y @ ke + be)
    expected["keras2_variants.h5"] = {"input_shape": list(x.shape), "input": x.ravel().tolist(),
                                      "output_shape": list(y.shape), "output": y.ravel().tolist()}

    # ------------------------------------------------------------ long attributes split into chunks
    # Keras splits an attribute above HDF5's 64 KB header limit into name0, name1, ...; a model with
    # thousands of layers is too big for a fixture, so this small weights-only file is split by hand.
    with h5py.File(os.path.join(HERE, "keras2_chunked_names.h5"), "w", libver="latest") as f:
        write_k2_weights(f, ["dense", "dense_1", "dense_2"], {"dense": [("kernel", k1), ("bias", b1)]},
                         as_bytes=True)
        del f.attrs["layer_names"]
        f.attrs["layer_names0"] = np.array([b"dense", b"dense_1"])
        f.attrs["layer_names1"] = np.array([b"dense_2"])

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
