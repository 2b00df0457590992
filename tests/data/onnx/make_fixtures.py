#!/usr/bin/env python3
"""Generates the ONNX test fixtures in this directory (run: python3 make_fixtures.py).

Needs torch, onnx and numpy (Debian: python3-torch, python3-onnx, python3-numpy); the
tests themselves only read the files written here.

1. lenet/: a small LeNet-like CNN exported by torch.onnx.export (opset 13, dynamic batch),
   with a random input and torch's output as ONNX TensorProto files.
2. shared/: inputs and reference outputs for the two third-party models in
   /work/shared/models (read by the tests from there, never copied). The references come
   from re-building each network with torch.nn.functional from the weights in the file, so
   they are independent of LayerLens's ONNX executor.
3. spec/<case>/: tiny hand-built graphs checking opset-dependent semantics of the ONNX
   specification (Softmax axis, Clip/Pad/Reshape/Unsqueeze attribute vs input forms,
   legacy broadcasting), each with numpy-computed expected outputs.
4. graphs/: models for load-time behaviour (nodes out of order, unsupported operators).
"""
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_MODELS = os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "models")
if not os.path.isdir(SHARED_MODELS):
    SHARED_MODELS = "/work/shared/models"


def save_tensor(array, path, name=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(np.ascontiguousarray(array), name).SerializeToString())


# ---------------------------------------------------------------- 1. LeNet via torch export
class LeNetLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.bn1 = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 12, 3, padding=1, groups=3)
        self.conv3 = nn.Conv2d(12, 12, 3, padding=1, groups=12)  # depthwise
        self.fc1 = nn.Linear(12 * 7 * 7, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(self.bn1(F.relu(self.conv1(x))), 2)  # BN after ReLU: stays a node
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        x = F.leaky_relu(self.conv3(x), 0.1)
        x = torch.flatten(x, 1)
        x = torch.sigmoid(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


def make_lenet():
    torch.manual_seed(7)
    net = LeNetLike()
    with torch.no_grad():
        net.bn1.running_mean.uniform_(-0.5, 0.5)
        net.bn1.running_var.uniform_(0.5, 2.0)
        net.bn1.weight.uniform_(0.5, 1.5)
        net.bn1.bias.uniform_(-0.2, 0.2)
    net.eval()
    x = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        y = net(x)
    out = os.path.join(HERE, "lenet")
    os.makedirs(out, exist_ok=True)
    torch.onnx.export(net, x, os.path.join(out, "model.onnx"), opset_version=13,
                      input_names=["input"], output_names=["log_probs"],
                      dynamic_axes={"input": {0: "batch"}, "log_probs": {0: "batch"}},
                      do_constant_folding=True)
    save_tensor(x.numpy(), os.path.join(out, "input_0.pb"), "input")
    save_tensor(y.numpy(), os.path.join(out, "output_0.pb"), "log_probs")
    params = sum(p.numel() for p in net.parameters())
    print("lenet: torch parameters", params)


# ------------------------------------------- 2. references for the third-party models
def weights(model):
    return {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}


def make_shared_references():
    out = os.path.join(HERE, "shared")
    rng = np.random.default_rng(11)

    path = os.path.join(SHARED_MODELS, "onnx_op7_cntk_mnist.onnx")
    if os.path.exists(path):
        w = weights(onnx.load(path))
        x = torch.from_numpy(rng.uniform(0, 255, size=(1, 1, 28, 28)).astype(np.float32))
        # Conv 5x5 SAME_UPPER (stride 1: symmetric pad 2), bias as (C,1,1) Add.
        h = F.relu(F.conv2d(x, w["Parameter5"], padding=2) + w["Parameter6"])
        h = F.max_pool2d(h, 2, 2)
        h = F.relu(F.conv2d(h, w["Parameter87"], padding=2) + w["Parameter88"])
        h = F.max_pool2d(h, 3, 3)
        y = h.reshape(1, 256) @ w["Parameter193"].reshape(256, 10) + w["Parameter194"]
        save_tensor(x.numpy(), os.path.join(out, "cntk_mnist_input.pb"), "Input3")
        save_tensor(y.numpy(), os.path.join(out, "cntk_mnist_output.pb"), "Plus214_Output_0")

    path = os.path.join(SHARED_MODELS, "onnx_op10_pytorch_cifar10_cnn.onnx")
    if os.path.exists(path):
        w = weights(onnx.load(path))
        x = torch.from_numpy(rng.standard_normal(size=(2, 3, 32, 32)).astype(np.float32))
        h = F.relu(F.conv2d(x, w["48"], w["49"], padding=1))
        h = F.relu(F.conv2d(h, w["51"], w["52"], padding=1))
        h = F.max_pool2d(h, 2, 2)
        h = F.relu(F.conv2d(h, w["54"], w["55"], padding=1))
        h = F.relu(F.conv2d(h, w["57"], w["58"], padding=1))
        y = F.linear(h.reshape(-1, 2400), w["fc1.weight"], w["fc1.bias"])
        save_tensor(x.numpy(), os.path.join(out, "cifar10_cnn_input.pb"), "modelInput")
        save_tensor(y.numpy(), os.path.join(out, "cifar10_cnn_output.pb"), "modelOutput")


# ------------------------------------------------ 3. opset semantics from the spec
def spec_case(name, opset, nodes, inputs, outputs, initializers=()):
    """inputs: list of (name, array); outputs: list of (name, expected array)."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype], a.shape) for n, a in inputs],
        [helper.make_tensor_value_info(n, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype], a.shape) for n, a in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_fixtures.py")
    model.ir_version = 7 if opset >= 12 else 3
    out = os.path.join(HERE, "spec", name)
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    for i, (n, a) in enumerate(inputs):
        save_tensor(a, os.path.join(out, "input_%d.pb" % i), n)
    for i, (n, a) in enumerate(outputs):
        save_tensor(a, os.path.join(out, "output_%d.pb" % i), n)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def make_spec_cases():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    # Softmax before opset 13: default axis 1, input flattened to (2, 12).
    spec_case("softmax_opset11_default_axis", 11, [helper.make_node("Softmax", ["x"], ["y"])],
              [("x", x)], [("y", softmax(x.reshape(2, 12), 1).reshape(2, 3, 4))])
    spec_case("logsoftmax_opset11_axis2", 11, [helper.make_node("LogSoftmax", ["x"], ["y"], axis=2)],
              [("x", x)], [("y", np.log(softmax(x, 2)))])
    # Opset 13: default axis -1, one axis only.
    spec_case("softmax_opset13_default_axis", 13, [helper.make_node("Softmax", ["x"], ["y"])],
              [("x", x)], [("y", softmax(x, -1))])
    spec_case("softmax_opset13_axis1", 13, [helper.make_node("Softmax", ["x"], ["y"], axis=1)],
              [("x", x)], [("y", softmax(x, 1))])
    # Clip: attributes before opset 11, optional inputs after (max omitted).
    spec_case("clip_opset6_attributes", 6, [helper.make_node("Clip", ["x"], ["y"], min=-0.5, max=0.25)],
              [("x", x)], [("y", np.clip(x, -0.5, 0.25))])
    spec_case("clip_opset11_min_only", 11, [helper.make_node("Clip", ["x", "lo", ""], ["y"])],
              [("x", x)], [("y", np.maximum(x, -0.5))], [("lo", np.array(-0.5, np.float32))])
    spec_case("clip_opset11_no_bounds", 11, [helper.make_node("Clip", ["x"], ["y"])],
              [("x", x)], [("y", x)])
    # Reshape: 'shape' attribute in opset 1-4, input from 5; 0 copies, -1 infers.
    spec_case("reshape_opset4_attribute", 4, [helper.make_node("Reshape", ["x"], ["y"], shape=[0, -1])],
              [("x", x)], [("y", x.reshape(2, 12))])
    spec_case("reshape_opset13_input", 13, [helper.make_node("Reshape", ["x", "s"], ["y"])],
              [("x", x)], [("y", x.reshape(2, 3, 2, 2))], [("s", np.array([0, 0, -1, 2], np.int64))])
    # Unsqueeze/Squeeze: axes attribute before 13, input from 13.
    spec_case("unsqueeze_opset11_attribute", 11, [helper.make_node("Unsqueeze", ["x"], ["y"], axes=[0, -1])],
              [("x", x)], [("y", x.reshape(1, 2, 3, 4, 1))])
    spec_case("unsqueeze_squeeze_opset13_input", 13,
              [helper.make_node("Unsqueeze", ["x", "a"], ["u"]), helper.make_node("Squeeze", ["u", "a"], ["y"])],
              [("x", x)], [("y", x)], [("a", np.array([1, 4], np.int64))])
    # Pad: attributes before 11 (reflect), inputs from 11 (edge, constant value).
    spec_case("pad_opset2_reflect", 2,
              [helper.make_node("Pad", ["x"], ["y"], mode="reflect", pads=[0, 0, 1, 0, 0, 2])],
              [("x", x)], [("y", np.pad(x, [(0, 0), (0, 0), (1, 2)], mode="reflect"))])
    spec_case("pad_opset11_edge", 11, [helper.make_node("Pad", ["x", "p"], ["y"], mode="edge")],
              [("x", x)], [("y", np.pad(x, [(0, 0), (2, 1), (0, 1)], mode="edge"))],
              [("p", np.array([0, 2, 0, 0, 1, 1], np.int64))])
    spec_case("pad_opset11_constant", 11, [helper.make_node("Pad", ["x", "p", "v"], ["y"])],
              [("x", x)], [("y", np.pad(x, [(1, 0), (0, 0), (0, 3)], constant_values=1.5))],
              [("p", np.array([1, 0, 0, 0, 0, 3], np.int64)), ("v", np.array(1.5, np.float32))])
    # Opset 6 Add with broadcast=1 and axis: B aligned at axis 1 of A (pre-numpy rules).
    b = rng.standard_normal((3,)).astype(np.float32)
    spec_case("add_opset6_legacy_broadcast_axis", 6,
              [helper.make_node("Add", ["x", "b"], ["y"], broadcast=1, axis=1)],
              [("x", x)], [("y", x + b.reshape(1, 3, 1))], [("b", b)])
    # Numpy broadcasting in both directions.
    c = rng.standard_normal((3, 1)).astype(np.float32)
    spec_case("mul_opset13_multidirectional", 13, [helper.make_node("Mul", ["x", "c"], ["y"])],
              [("x", x[:, :, :1]), ("c", c.reshape(1, 3, 1) * np.ones((1, 1, 5), np.float32))],
              [("y", x[:, :, :1] * (c.reshape(1, 3, 1) * np.ones((1, 1, 5), np.float32)))])
    # Gemm: transposes, alpha/beta, C broadcast from (N,).
    a = rng.standard_normal((4, 3)).astype(np.float32)
    bm = rng.standard_normal((5, 4)).astype(np.float32)
    cv = rng.standard_normal((5,)).astype(np.float32)
    spec_case("gemm_transa_transb_broadcast_c", 13,
              [helper.make_node("Gemm", ["a", "b", "c"], ["y"], transA=1, transB=1, alpha=0.5, beta=2.0)],
              [("a", a)], [("y", 0.5 * a.T @ bm.T + 2.0 * cv)], [("b", bm), ("c", cv)])
    # MatMul with 1-D operands and broadcast batch.
    m = rng.standard_normal((2, 1, 3, 4)).astype(np.float32)
    v = rng.standard_normal((4,)).astype(np.float32)
    n = rng.standard_normal((5, 4, 2)).astype(np.float32)
    spec_case("matmul_broadcast_batch", 13, [helper.make_node("MatMul", ["m", "n"], ["y"])],
              [("m", m), ("n", n)], [("y", np.matmul(m, n))])
    spec_case("matmul_vector_rhs", 13, [helper.make_node("MatMul", ["m", "v"], ["y"])],
              [("m", m), ("v", v)], [("y", np.matmul(m, v))])
    # Conv 1-D with SAME_LOWER and stride 2; grouped 2-D conv with dilation.
    x1 = rng.standard_normal((1, 2, 9)).astype(np.float32)
    w1 = rng.standard_normal((3, 2, 4)).astype(np.float32)
    t = torch.nn.functional.pad(torch.from_numpy(x1), (2, 1))  # SAME_LOWER: out 5, total pad 3 -> (2, 1)
    y1 = F.conv1d(t, torch.from_numpy(w1), stride=2).numpy()
    spec_case("conv1d_same_lower_stride2", 11,
              [helper.make_node("Conv", ["x", "w"], ["y"], auto_pad="SAME_LOWER", strides=[2])],
              [("x", x1)], [("y", y1)], [("w", w1)])
    x2 = rng.standard_normal((1, 4, 7, 7)).astype(np.float32)
    w2 = rng.standard_normal((6, 2, 3, 3)).astype(np.float32)
    b2 = rng.standard_normal((6,)).astype(np.float32)
    y2 = F.conv2d(torch.from_numpy(x2), torch.from_numpy(w2), torch.from_numpy(b2), stride=(2, 1),
                  padding=(1, 2), dilation=(1, 2), groups=2).numpy()
    spec_case("conv2d_grouped_dilated", 11,
              [helper.make_node("Conv", ["x", "w", "b"], ["y"], group=2, strides=[2, 1], dilations=[1, 2],
                                pads=[1, 2, 1, 2])],
              [("x", x2)], [("y", y2)], [("w", w2), ("b", b2)])
    # MaxPool ceil_mode and AveragePool count_include_pad.
    x3 = rng.standard_normal((1, 2, 6, 6)).astype(np.float32)
    spec_case("maxpool_ceil_mode", 11,
              [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)],
              [("x", x3)], [("y", F.max_pool2d(torch.from_numpy(x3), 3, 2, ceil_mode=True).numpy())])
    spec_case("averagepool_count_include_pad", 11,
              [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                                count_include_pad=1)],
              [("x", x3)], [("y", F.avg_pool2d(torch.from_numpy(x3), 3, 1, 1, count_include_pad=True).numpy())])
    spec_case("averagepool_exclude_pad", 11,
              [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
              [("x", x3)], [("y", F.avg_pool2d(torch.from_numpy(x3), 3, 1, 1, count_include_pad=False).numpy())])
    # A 3x3 stride-1 Conv with enough channels for the Winograd path, asymmetric pads, odd output
    # width and a batch of two (its own generator, so the cases above keep their values).
    wrng = np.random.default_rng(33)
    x4 = wrng.standard_normal((2, 16, 7, 10)).astype(np.float32)
    w4 = (wrng.standard_normal((24, 16, 3, 3)) * 0.2).astype(np.float32)
    b4 = wrng.standard_normal((24,)).astype(np.float32)
    t4 = torch.nn.functional.pad(torch.from_numpy(x4), (0, 1, 1, 0))  # left 0, right 1, top 1, bottom 0
    y4 = F.conv2d(t4.double(), torch.from_numpy(w4).double(), torch.from_numpy(b4).double()).float().numpy()
    spec_case("conv2d_3x3_winograd_asymmetric_pads", 11,
              [helper.make_node("Conv", ["x", "w", "b"], ["y"], kernel_shape=[3, 3], pads=[1, 0, 0, 1])],
              [("x", x4)], [("y", y4)], [("w", w4), ("b", b4)])

# ------------------------------------------------------- 4. load-time behaviour
def make_graph_cases():
    out = os.path.join(HERE, "graphs")
    os.makedirs(out, exist_ok=True)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])
    # Nodes deliberately listed consumers-first: y = relu(x) * 2 - 1.
    nodes = [
        helper.make_node("Sub", ["t2", "one"], ["y"], name="last"),
        helper.make_node("Mul", ["t1", "two"], ["t2"], name="middle"),
        helper.make_node("Relu", ["x"], ["t1"], name="first"),
    ]
    inits = [numpy_helper.from_array(np.array(1.0, np.float32), "one"),
             numpy_helper.from_array(np.array(2.0, np.float32), "two")]
    model = helper.make_model(helper.make_graph(nodes, "unsorted", [x], [y], initializer=inits),
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(out, "unsorted.onnx"))
    # Unsupported operators: an operator we do not implement (LSTM), a supported operator
    # with an unsupported attribute (BatchNormalization in training mode), and an operator
    # from a custom domain.
    z = helper.make_tensor_value_info("z", TensorProto.FLOAT, None)
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, None)
    w = helper.make_tensor_value_info("w", TensorProto.FLOAT, None)
    img = helper.make_tensor_value_info("img", TensorProto.FLOAT, [1, 1, 4, 4])
    ones = numpy_helper.from_array(np.ones(1, np.float32), "ones")
    nodes = [
        helper.make_node("LSTM", ["x", "x", "x"], ["z"], hidden_size=1),
        helper.make_node("BatchNormalization", ["img", "ones", "ones", "ones", "ones"], ["b"], training_mode=1),
        helper.make_node("FancyOp", ["x"], ["w"], domain="com.example"),
    ]
    model = helper.make_model(helper.make_graph(nodes, "unsupported", [x, img], [z, b, w], initializer=[ones]),
                              opset_imports=[helper.make_opsetid("", 14), helper.make_opsetid("com.example", 1)])
    onnx.save(model, os.path.join(out, "unsupported.onnx"))
    make_shared_initializer_case(out)


def make_shared_initializer_case(out):
    """Parameter counting as torch.onnx exports: equal initializers deduplicated into Identity
    copies (each still a parameter of its layer), and a tied weight used twice (counted once).
    y = (x W^T + b) W^T + b_copy, with b_copy = Identity(b): 16 + 4 + 4 = 24 parameters."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    inits = [numpy_helper.from_array(np.arange(16, dtype=np.float32).reshape(4, 4) / 16, "W"),
             numpy_helper.from_array(np.zeros(4, np.float32), "b")]
    nodes = [helper.make_node("Identity", ["b"], ["b_copy"], name="copy"),
             helper.make_node("Gemm", ["x", "W", "b"], ["h"], transB=1, name="fc1"),
             helper.make_node("Gemm", ["h", "W", "b_copy"], ["y"], transB=1, name="fc2")]
    model = helper.make_model(helper.make_graph(nodes, "shared", [x], [y], initializer=inits),
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(out, "shared_initializers.onnx"))


if __name__ == "__main__":
    make_lenet()
    make_shared_references()
    make_spec_cases()
    make_graph_cases()
    total = 0
    for root, _, files in os.walk(HERE):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    print("fixtures written, total %.1f KB" % (total / 1024))
