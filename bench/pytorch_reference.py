#!/usr/bin/env python3
"""PyTorch reference for bench/run.py: runs one case once, prints one JSON line.

Same networks, data and settings as bench_main.cpp. PyTorch gets its best Debian set-up:
torch.set_num_threads(2) and OpenBLAS's OpenMP build (libopenblas0-openmp) as the system BLAS.
"""
import gzip
import json
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(2)
FMNIST = "/usr/share/datasets/fashion-mnist"


def load_idx(name):
    with gzip.open(f"{FMNIST}/{name}", "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(magic & 0xFF)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def fashion(split="train"):
    prefix = "train" if split == "train" else "t10k"
    x = torch.from_numpy(load_idx(f"{prefix}-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(load_idx(f"{prefix}-labels-idx1-ubyte.gz").astype(np.int64))
    return x, y


def lenet5(classes=10):
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, classes))


def mlp(inputs=784, classes=10):
    return nn.Sequential(nn.Flatten(), nn.Linear(inputs, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, classes))


def tinyvgg(classes=3):
    return nn.Sequential(
        nn.Conv2d(3, 10, 3), nn.ReLU(), nn.Conv2d(10, 10, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(10, 10, 3), nn.ReLU(), nn.Conv2d(10, 10, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(10 * 13 * 13, classes))


def vgg16():
    layers, c = [], 3
    for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU()]
            c = v
    layers += [nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
               nn.Linear(4096, 1000)]
    return nn.Sequential(*layers)


def train_rate(model, x, y, batch, adam=False):
    opt = (torch.optim.Adam(model.parameters(), lr=0.001) if adam
           else torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9))
    loss_fn = nn.CrossEntropyLoss()
    perm = torch.randperm(len(x))
    start = time.perf_counter()
    for i in range(0, len(x), batch):
        idx = perm[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return len(x) / (time.perf_counter() - start)


def shapes(n=3000, size=64, seed=1):
    """Drawn shapes like LayerLens's generator (circle, square, triangle; random place, size, colour)."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 3, size, size), np.float32)
    y = rng.integers(0, 3, n)
    yy, xx = np.mgrid[0:size, 0:size]
    for i in range(n):
        x[i] = rng.random((3, 1, 1)) * 0.5
        r = rng.integers(size // 8, size // 3)
        cx, cy = rng.integers(r, size - r, 2)
        colour = rng.random(3)
        if y[i] == 0:
            mask = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
        elif y[i] == 1:
            mask = (abs(xx - cx) <= r) & (abs(yy - cy) <= r)
        else:
            mask = (yy - cy + r >= 0) & (abs(xx - cx) <= (yy - cy + r) / 2)
        x[i][:, mask] = colour[:, None]
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    case = sys.argv[1]
    unit = "images/s"
    if case == "lenet5_train":
        x, y = fashion()
        value = train_rate(lenet5(), x, y, 64)
    elif case == "lenet5_train_adam":
        x, y = fashion()
        value = train_rate(lenet5(), x, y, 64, adam=True)
    elif case == "mlp_train":
        x, y = fashion()
        value = train_rate(mlp(), x, y, 64)
    elif case == "tinyvgg_train":
        x, y = shapes()
        value = train_rate(tinyvgg(), x, y, 32)
    elif case == "lenet5_infer":
        x, _ = fashion("test")
        model = lenet5().eval()
        batches = [x[i:i + 256] for i in range(0, len(x) - 255, 256)]
        with torch.no_grad():
            model(batches[0])
            start = time.perf_counter()
            for b in batches:
                model(b)
            value = sum(len(b) for b in batches) / (time.perf_counter() - start)
    elif case == "vgg16_forward":
        model = vgg16().eval()
        inp = torch.rand(1, 3, 224, 224)
        with torch.no_grad():
            model(inp)
            start = time.perf_counter()
            for _ in range(5):
                model(inp)
            value = 1000 * (time.perf_counter() - start) / 5
        unit = "ms/image"
    else:
        sys.exit(f"unknown case {case}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": case, "value": round(value, 3), "unit": unit, "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
