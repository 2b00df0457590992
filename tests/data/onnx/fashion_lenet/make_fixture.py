#!/usr/bin/env python3
"""Trains LeNet-5 on Fashion-MNIST with PyTorch and exports it to ONNX (run: python3 make_fixture.py).

Needs Debian's python3-torch, python3-onnx, python3-numpy and dataset-fashion-mnist; the
LayerLens test (tests/core/onnx/test_onnx_fashion_lenet.cpp) only reads the files written here:

  model.onnx      LeNet-5 (conv 6@5x5 same, ReLU, max-pool, conv 16@5x5, ReLU, max-pool, dense
                  120-84-10 with ReLU), trained 2 epochs with Adam (lr 1e-3, batch 64, seed 1),
                  exported by torch.onnx.export, opset 13, dynamic batch; outputs logits.
  logits.npy      PyTorch's logits (float32, 64 x 10) for the first 64 test images.
  reference.json  PyTorch's test-set accuracy and correct count over all 10,000 test images.

Pixels are scaled to [0, 1] (x / 255), nothing else, exactly as LayerLens's IDX reader does.
"""
import gzip
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def main():
    torch.manual_seed(1)
    torch.set_num_threads(2)
    train_x = torch.from_numpy(read_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    train_y = torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    test_x = torch.from_numpy(read_idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    test_y = torch.from_numpy(read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))

    model = LeNet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        order = torch.randperm(len(train_x))
        model.train()
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}")

    model.eval()
    with torch.no_grad():
        logits = model(test_x)
    correct = int((logits.argmax(1) == test_y).sum())
    print(f"test accuracy {correct / len(test_y):.4f} ({correct} / {len(test_y)})")

    np.save(os.path.join(HERE, "logits.npy"), logits[:64].numpy().astype(np.float32))
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump({"test_images": len(test_y), "correct": correct, "accuracy": correct / len(test_y),
                   "torch_version": torch.__version__, "epochs": 2, "optimizer": "adam", "lr": 1e-3,
                   "batch": 64, "seed": 1}, f, indent=2)
        f.write("\n")
    torch.onnx.export(model, test_x[:1], os.path.join(HERE, "model.onnx"), opset_version=13,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})


if __name__ == "__main__":
    main()
