#!/usr/bin/python3
"""Makes fixtures.json: PyTorch reference values for LayerLens' activations, losses and optimizers.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_fixtures.py
The C++ tests (tests/core/{activations,losses,optimizers}) compare against this file, so PyTorch is
not needed to run them. Activations and losses are evaluated in float64 on float32-representable
inputs (the exact answer our float32 code should approach); optimizers run in float32 as
torch.optim does, for 5 steps with fixed gradients.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
gen = torch.Generator().manual_seed(1234)


def f32(t):
    """Rounds to float32 values, then returns float64 so references are exact for those inputs."""
    return t.to(torch.float32).to(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def randn(*shape, scale=1.0):
    return f32(torch.randn(*shape, generator=gen, dtype=torch.float64) * scale)


# ---------------------------------------------------------------- activations
# Points avoid the kinks (0 for relu family, +-1 for hardtanh) and include far tails to test stability.
xs = f32(torch.cat([torch.linspace(-4.1, 3.9, 41, dtype=torch.float64),
                    torch.tensor([-90.0, -30.0, -12.5, 12.5, 30.0, 90.0], dtype=torch.float64)]))
upstream = randn(xs.numel())

activation_cases = {
    "sigmoid": (torch.sigmoid, {}),
    "tanh": (torch.tanh, {}),
    "relu": (F.relu, {}),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.01), {"alpha": 0.01}),
    "leaky_relu_0.2": (lambda x: F.leaky_relu(x, 0.2), {"alpha": 0.2, "name": "leaky_relu"}),
    "hard_tanh": (F.hardtanh, {}),
    "elu": (lambda x: F.elu(x, 1.0), {"alpha": 1.0}),
    "elu_0.5": (lambda x: F.elu(x, 0.5), {"alpha": 0.5, "name": "elu"}),
    "selu": (F.selu, {}),
    "gelu": (F.gelu, {}),
    "silu": (F.silu, {}),
    "softplus": (lambda x: F.softplus(x), {}),
    "softsign": (F.softsign, {}),
}
activations = {}
for key, (fn, extra) in activation_cases.items():
    x = xs.clone().requires_grad_(True)
    y = fn(x)
    (dx,) = torch.autograd.grad((y * upstream).sum(), x)
    entry = {"name": extra.get("name", key), "x": flat(xs), "y": flat(y), "dy": flat(upstream), "dx": flat(dx)}
    if "alpha" in extra:
        entry["alpha"] = extra["alpha"]
    activations[key] = entry

# softmax over rows of 5, including a row of large logits (the shift must keep it finite)
sx = randn(4, 5, scale=3.0)
sx[3] = f32(torch.tensor([80.0, 81.0, 79.5, -50.0, 80.25], dtype=torch.float64))
sdy = randn(4, 5)
x = sx.clone().requires_grad_(True)
y = torch.softmax(x, dim=1)
(dx,) = torch.autograd.grad((y * sdy).sum(), x)
activations["softmax"] = {"name": "softmax", "shape": [4, 5], "x": flat(sx), "y": flat(y), "dy": flat(sdy),
                          "dx": flat(dx)}

# ---------------------------------------------------------------- losses
N, K = 4, 5


def one_hot(labels, k):
    return F.one_hot(labels, k).to(torch.float64)


labels = torch.tensor([0, 3, 1, 4])
logits = randn(N, K, scale=2.0)
regression_p = randn(N, K)
regression_t = randn(N, K)
probs = f32(torch.rand(N, K, generator=gen, dtype=torch.float64) * 0.9 + 0.05)
binary_t = f32((torch.rand(N, K, generator=gen, dtype=torch.float64) > 0.5).to(torch.float64))
soft_t = f32(torch.softmax(randn(N, K), dim=1))
softmax_probs = f32(torch.softmax(logits, dim=1))


def focal(z, t, gamma, alpha):
    logp = torch.log_softmax(z, dim=1)
    p = logp.exp()
    return (-alpha * t * (1 - p) ** gamma * logp).sum(dim=1).mean()


loss_cases = {
    "mse": ("mse", regression_p, regression_t, lambda p, t: F.mse_loss(p, t)),
    "mae": ("mae", regression_p, regression_t, lambda p, t: F.l1_loss(p, t)),
    "rmse": ("rmse", regression_p, regression_t, lambda p, t: torch.sqrt(F.mse_loss(p, t))),
    "sse": ("sse", regression_p, regression_t, lambda p, t: F.mse_loss(p, t, reduction="sum") / p.shape[0]),
    "huber": ("huber", regression_p * 2, regression_t, lambda p, t: F.huber_loss(p, t, delta=1.0)),
    "huber_0.5": ("huber:0.5", regression_p * 2, regression_t, lambda p, t: F.huber_loss(p, t, delta=0.5)),
    "binary_crossentropy": ("binary_crossentropy", probs, binary_t, lambda p, t: F.binary_cross_entropy(p, t)),
    "binary_crossentropy_soft": ("binary_crossentropy", probs, soft_t, lambda p, t: F.binary_cross_entropy(p, t)),
    "categorical_crossentropy": ("categorical_crossentropy", softmax_probs, one_hot(labels, K),
                                 lambda p, t: -(t * torch.log(p)).sum(dim=1).mean()),
    "categorical_crossentropy_logits": ("categorical_crossentropy_logits", logits, one_hot(labels, K),
                                        lambda z, t: F.cross_entropy(z, t)),
    "softmax_crossentropy_soft": ("softmax_crossentropy", logits, soft_t, lambda z, t: F.cross_entropy(z, t)),
    "focal": ("focal", logits, one_hot(labels, K), lambda z, t: focal(z, t, 2.0, 0.25)),
    "focal_1_0.5": ("focal:1:0.5", logits, one_hot(labels, K), lambda z, t: focal(z, t, 1.0, 0.5)),
    "sigmoid_crossentropy": ("sigmoid_crossentropy", logits * 3, binary_t,
                             lambda z, t: F.binary_cross_entropy_with_logits(z, t)),
}
losses = {}
for key, (spec, p0, t, fn) in loss_cases.items():
    p0 = f32(p0)
    p = p0.clone().requires_grad_(True)
    value = fn(p, t)
    (grad,) = torch.autograd.grad(value, p)
    losses[key] = {"spec": spec, "shape": list(p0.shape), "prediction": flat(p0), "target": flat(t),
                   "target_shape": list(t.shape), "value": float(value), "grad": flat(grad)}

p = logits.clone().requires_grad_(True)
value = F.cross_entropy(p, labels)
(grad,) = torch.autograd.grad(value, p)
losses["sparse_categorical_crossentropy"] = {
    "spec": "sparse_categorical_crossentropy", "shape": [N, K], "prediction": flat(logits),
    "target": [float(v) for v in labels.tolist()], "target_shape": [N], "value": float(value), "grad": flat(grad)}

# ---------------------------------------------------------------- optimizers
STEPS = 5
EPS = 1e-7  # LayerLens' default epsilon; torch defaults differ, so it is passed explicitly
param_shapes = [[2, 3], [3]]
initial = [torch.randn(*s, generator=gen, dtype=torch.float32) for s in param_shapes]
gradients = [[torch.randn(*s, generator=gen, dtype=torch.float32) for s in param_shapes] for _ in range(STEPS)]

# settings use LayerLens' OptimizerSettings field names
optimizer_cases = {
    "sgd": ({"kind": "sgd", "learningRate": 0.1},
            lambda ps: torch.optim.SGD(ps, lr=0.1), []),
    "sgd_l2": ({"kind": "sgd", "learningRate": 0.1, "l2": 0.05},
               lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.05), []),
    "sgd_clipnorm": ({"kind": "sgd", "learningRate": 0.1, "clipNorm": 1.0},
                     lambda ps: torch.optim.SGD(ps, lr=0.1), [], ),
    "momentum": ({"kind": "momentum", "learningRate": 0.05, "momentum": 0.9},
                 lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), ["momentum_buffer"]),
    "nesterov": ({"kind": "nesterov", "learningRate": 0.05, "momentum": 0.8},
                 lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True), ["momentum_buffer"]),
    "rmsprop": ({"kind": "rmsprop", "learningRate": 0.01, "rho": 0.9, "epsilon": EPS},
                lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=EPS), ["square_avg"]),
    "adagrad": ({"kind": "adagrad", "learningRate": 0.1, "epsilon": EPS},
                lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=EPS), ["sum"]),
    "adam": ({"kind": "adam", "learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": EPS},
             lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=EPS), ["exp_avg", "exp_avg_sq"]),
    "adam_betas": ({"kind": "adam", "learningRate": 0.02, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6},
                   lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6), ["exp_avg", "exp_avg_sq"]),
    "adamw": ({"kind": "adamw", "learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": EPS,
               "weightDecay": 0.1},
              lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.9, 0.999), eps=EPS, weight_decay=0.1),
              ["exp_avg", "exp_avg_sq"]),
}
optimizers = {}
for key, (settings, make, state_keys) in optimizer_cases.items():
    params = [t.clone().requires_grad_(True) for t in initial]
    opt = make(params)
    values = []
    for step in range(STEPS):
        for prm, g in zip(params, gradients[step]):
            prm.grad = g.clone()
        if settings.get("clipNorm"):
            torch.nn.utils.clip_grad_norm_(params, settings["clipNorm"])
        opt.step()
        values.append([flat(prm) for prm in params])
    state = []  # in LayerLens order: per parameter, each state tensor
    for prm in params:
        for sk in state_keys:
            state.append(flat(opt.state[prm][sk]))
    optimizers[key] = {"settings": settings, "shapes": param_shapes, "initial": [flat(t) for t in initial],
                       "gradients": [[flat(g) for g in step] for step in gradients], "values": values,
                       "state": state}

fixture = {"generator": "make_fixtures.py", "torch": torch.__version__,
           "activations": activations, "losses": losses, "optimizers": optimizers}
with open(os.path.join(HERE, "fixtures.json"), "w") as out:
    json.dump(fixture, out, indent=None, separators=(",", ":"))
    out.write("\n")
print("wrote fixtures.json:", os.path.getsize(os.path.join(HERE, "fixtures.json")), "bytes")
