#!/usr/bin/python3
"""Generates layer_references.json: forward/backward references computed by PyTorch for
tests/core/layers/test_layers_reference.cpp. Run: /usr/bin/python3 make_fixtures.py

Each case gives a layer description (our schema), the input, parameters, an upstream gradient
and PyTorch's output, input gradient and parameter gradients. TensorFlow-style "same" padding
(extra pixel bottom/right) is built from F.pad because PyTorch's padding="same" has no strides.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)  # references in double, stored as float32-rounded values


def flat(t):
    return [float("%.7g" % v) for v in t.detach().reshape(-1).tolist()]


def same_pad(size, k, s, d=1):
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


def run(x, params, fn):
    x = x.clone().requires_grad_(True)
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    y = fn(x, ps)
    gy = torch.randn_like(y)
    y.backward(gy)
    return y, gy, x.grad, {k: v.grad for k, v in ps.items()}


cases = []


def add(name, layer, x, params, fn, training=False, extra=None):
    # round inputs/params to float32 first so C++ sees exactly the same numbers
    x = x.float().double()
    params = {k: v.float().double() for k, v in params.items()}
    y, gy, gx, gp = run(x, params, fn)
    case = {
        "name": name,
        "layer": layer,
        "training": training,
        "input_shape": list(x.shape),
        "input": flat(x),
        "params": {k: flat(v) for k, v in params.items()},
        "grad_output": flat(gy),
        "output": flat(y),
        "grad_input": flat(gx),
        "param_grads": {k: flat(v) for k, v in gp.items()},
    }
    if extra:
        case.update(extra)
    cases.append(case)


# ---- Dense
for bias in (True, False):
    x = torch.randn(4, 5)
    p = {"kernel": torch.randn(3, 5) * 0.5}
    if bias:
        p["bias"] = torch.randn(3)
    add("dense" + ("" if bias else "_nobias"), {"type": "Dense", "units": 3, "use_bias": bias}, x, p,
        lambda x, p: F.linear(x, p["kernel"], p.get("bias")))


# ---- Conv2D
def conv_case(name, n, c, h, w, f, k, s=(1, 1), padding="valid", d=(1, 1), bias=True):
    x = torch.randn(n, c, h, w)
    p = {"kernel": torch.randn(f, c, k[0], k[1]) * 0.3}
    if bias:
        p["bias"] = torch.randn(f) * 0.1
    if padding == "same":
        pt, pb = same_pad(h, k[0], s[0], d[0])
        pl, pr = same_pad(w, k[1], s[1], d[1])
        pads = (pl, pr, pt, pb)
    elif padding == "valid":
        pads = (0, 0, 0, 0)
    else:
        pads = (padding[1], padding[1], padding[0], padding[0])

    def fn(x, p):
        return F.conv2d(F.pad(x, pads), p["kernel"], p.get("bias"), stride=s, dilation=d)

    layer = {"type": "Conv2D", "filters": f, "kernel_size": list(k), "strides": list(s),
             "padding": padding if isinstance(padding, str) else list(padding), "dilation": list(d), "use_bias": bias}
    add(name, layer, x, p, fn)


conv_case("conv_valid", 2, 3, 7, 7, 4, (3, 3))
conv_case("conv_same", 2, 3, 7, 6, 4, (3, 3), padding="same")
conv_case("conv_same_stride2", 2, 2, 8, 7, 3, (3, 3), s=(2, 2), padding="same")
conv_case("conv_same_stride2_k4", 2, 2, 8, 8, 3, (4, 4), s=(2, 2), padding="same")
conv_case("conv_dilation2", 2, 2, 9, 8, 3, (3, 3), d=(2, 2))
conv_case("conv_dilation2_same", 1, 2, 7, 7, 2, (3, 3), d=(2, 2), padding="same")
conv_case("conv_explicit_pad_rect", 2, 2, 6, 7, 3, (3, 2), s=(2, 1), padding=(1, 2))
conv_case("conv_nobias_5x5", 3, 1, 8, 8, 2, (5, 5), bias=False)
conv_case("conv_1x1_stride2", 2, 4, 5, 5, 3, (1, 1), s=(2, 2))


# ---- Pools
def pool_case(name, kind, n, c, h, w, k, s, padding):
    x = torch.randn(n, c, h, w)
    if padding == "same":
        pt, pb = same_pad(h, k, s)
        pl, pr = same_pad(w, k, s)
    else:
        pt = pb = pl = pr = 0

    def fn(x, p):
        if kind == "max":
            return F.max_pool2d(F.pad(x, (pl, pr, pt, pb), value=-math.inf), k, s)
        total = F.avg_pool2d(F.pad(x, (pl, pr, pt, pb)), k, s, divisor_override=1)
        ones = F.pad(torch.ones(1, 1, h, w), (pl, pr, pt, pb))
        count = F.avg_pool2d(ones, k, s, divisor_override=1)
        return total / count

    layer = {"type": "MaxPool2D" if kind == "max" else "AvgPool2D", "pool_size": k, "strides": s, "padding": padding}
    add(name, layer, x, {}, fn)


pool_case("maxpool_2", "max", 2, 3, 6, 6, 2, 2, "valid")
pool_case("maxpool_3s2_same", "max", 2, 2, 7, 8, 3, 2, "same")
pool_case("maxpool_3s1_valid", "max", 1, 2, 5, 6, 3, 1, "valid")
pool_case("avgpool_2", "avg", 2, 3, 6, 6, 2, 2, "valid")
pool_case("avgpool_3s2_same", "avg", 2, 2, 7, 8, 3, 2, "same")
pool_case("avgpool_2s1_same", "avg", 1, 2, 5, 5, 2, 1, "same")

add("global_average_pool", {"type": "GlobalAveragePool"}, torch.randn(2, 3, 4, 5), {},
    lambda x, p: x.mean(dim=(2, 3)))


# ---- BatchNorm (Keras conventions: momentum weighs the old value, biased batch variance)
def bn_case(name, shape, training):
    momentum, eps = 0.9, 1e-3
    x = torch.randn(*shape) * 2.0 + 0.5
    c = shape[1]
    gamma = torch.rand(c) + 0.5
    beta = torch.randn(c) * 0.1
    mm = torch.randn(c) * 0.1
    mv = torch.rand(c) + 0.5
    axes = [0] + list(range(2, len(shape)))
    view = [1, c] + [1] * (len(shape) - 2)

    def fn(x, p):
        if training:
            mean = x.mean(dim=axes, keepdim=True)
            var = x.var(dim=axes, unbiased=False, keepdim=True)
        else:
            mean = mm.float().double().view(view)
            var = mv.float().double().view(view)
        return (x - mean) / torch.sqrt(var + eps) * p["gamma"].view(view) + p["beta"].view(view)

    xs = x.float().double()
    if training:
        bm = xs.mean(dim=axes)
        bv = xs.var(dim=axes, unbiased=False)
        new_mm = momentum * mm.float().double() + (1 - momentum) * bm
        new_mv = momentum * mv.float().double() + (1 - momentum) * bv
    else:
        new_mm, new_mv = mm.float().double(), mv.float().double()
    add(name, {"type": "BatchNorm", "momentum": momentum, "epsilon": eps}, x, {"gamma": gamma, "beta": beta}, fn,
        training=training,
        extra={"buffers": {"moving_mean": flat(mm.float()), "moving_variance": flat(mv.float())},
               "buffers_after": {"moving_mean": flat(new_mm), "moving_variance": flat(new_mv)}})


bn_case("batchnorm_dense_train", (6, 4), True)
bn_case("batchnorm_conv_train", (3, 2, 4, 5), True)
bn_case("batchnorm_dense_eval", (5, 3), False)
bn_case("batchnorm_conv_eval", (2, 3, 3, 3), False)

# ---- Softmax
x = torch.randn(4, 6) * 3
x[0, 0] = 40.0  # large logit: the stable formulation must not overflow
add("softmax", {"type": "Softmax"}, x, {}, lambda x, p: torch.softmax(x, dim=1))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layer_references.json")
with open(out, "w") as fh:
    json.dump({"generator": "make_fixtures.py, torch " + torch.__version__, "cases": cases}, fh, separators=(",", ":"))
print(out, os.path.getsize(out), "bytes,", len(cases), "cases")
