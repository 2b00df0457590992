"""Fixtures for tests/core/onnx/test_onnx_to_model.cpp (ONNX -> trainable Model conversion).

chain_ops.onnx  a hand-built chain touching every mapped operator and attribute form
                (Conv pads / auto_pad / stride / no bias + Add, BatchNormalization, LeakyRelu, Elu,
                Selu, MaxPool, AveragePool SAME_UPPER, GlobalAveragePool, the PyTorch flatten
                subgraph Shape->Gather->Unsqueeze->Concat->Reshape, MatMul+Add, Gemm with
                transB=0 / alpha / beta, Softplus, HardSigmoid, Dropout, Identity, Tanh, Softmax),
                opset 13, dynamic batch. The test compares the converted model with LayerLens's
                ONNX executor on random inputs, so no reference output is stored.
branching.onnx  Relu and Sigmoid of the same input, added: a graph that is not a chain.
unmappable.onnx Relu then Exp: an operator the executor runs but no layer maps.

Run: /usr/bin/python3 make_transfer_fixtures.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(5)


def init(name, shape, scale=0.3):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


def save(graph, name, opset=13):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="layerlens-fixture")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def chain_ops():
    n = helper.make_node
    inits = [
        init("c1.w", (4, 3, 3, 3)), init("c1.b", (4,)),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 4).astype(np.float32), "bn.scale"),
        init("bn.bias", (4,)), init("bn.mean", (4,)),
        numpy_helper.from_array(rng.uniform(0.5, 2.0, 4).astype(np.float32), "bn.var"),
        init("c2.w", (6, 4, 3, 3)), init("c2.add", (6, 1, 1)),
        init("mm.w", (6, 5)), init("mm.b", (5,)),
        init("g1.w", (5, 7)), init("g1.c", (7,)),
        init("g2.w", (4, 7)), init("g2.c", (1, 4)),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus_one"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero_axis"),
    ]
    nodes = [
        n("Conv", ["x", "c1.w", "c1.b"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        n("BatchNormalization", ["c1", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["bn"], name="bn", epsilon=1e-3),
        n("LeakyRelu", ["bn"], ["a1"], name="leaky", alpha=0.2),
        n("MaxPool", ["a1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        n("Conv", ["p1", "c2.w"], ["c2"], name="conv2", kernel_shape=[3, 3], auto_pad="SAME_UPPER", strides=[2, 2]),
        n("Add", ["c2", "c2.add"], ["c2b"], name="conv2_bias"),
        n("Elu", ["c2b"], ["a2"], name="elu", alpha=0.7),
        n("AveragePool", ["a2"], ["p2"], name="pool2", kernel_shape=[2, 2], strides=[1, 1], auto_pad="SAME_UPPER"),
        n("Selu", ["p2"], ["a3"], name="selu"),
        n("GlobalAveragePool", ["a3"], ["gap"], name="gap"),
        n("Shape", ["gap"], ["shape"], name="shape"),
        n("Gather", ["shape", "zero_axis"], ["batch"], name="gather", axis=0),
        n("Concat", ["batch", "minus_one"], ["target"], name="concat", axis=0),
        n("Reshape", ["gap", "target"], ["flat"], name="flatten"),
        n("MatMul", ["flat", "mm.w"], ["mm"], name="matmul"),
        n("Add", ["mm", "mm.b"], ["mmb"], name="matmul_bias"),
        n("Softplus", ["mmb"], ["a4"], name="softplus"),
        n("Dropout", ["a4"], ["d"], name="dropout"),
        n("Gemm", ["d", "g1.w", "g1.c"], ["g1"], name="gemm1", alpha=0.5, beta=2.0),
        n("HardSigmoid", ["g1"], ["a5"], name="hardsigmoid"),
        n("Identity", ["a5"], ["id"], name="identity"),
        n("Gemm", ["id", "g2.w", "g2.c"], ["g2"], name="gemm2", transB=1),
        n("Tanh", ["g2"], ["a6"], name="tanh"),
        n("Softmax", ["a6"], ["y"], name="softmax", axis=1),
    ]
    graph = helper.make_graph(nodes, "chain_ops",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 12, 12])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])], inits)
    save(graph, "chain_ops.onnx")


def branching():
    n = helper.make_node
    nodes = [n("Relu", ["x"], ["r"], name="left"), n("Sigmoid", ["x"], ["s"], name="right"),
             n("Add", ["r", "s"], ["y"], name="join")]
    graph = helper.make_graph(nodes, "branching", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])])
    save(graph, "branching.onnx")


def unmappable():
    n = helper.make_node
    nodes = [n("Relu", ["x"], ["r"], name="relu"), n("Exp", ["r"], ["y"], name="the_exp")]
    graph = helper.make_graph(nodes, "unmappable", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])])
    save(graph, "unmappable.onnx")


if __name__ == "__main__":
    chain_ops()
    branching()
    unmappable()
