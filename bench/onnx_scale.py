#!/usr/bin/env python3
"""The scale check for model inspection: a VGG16-sized ONNX file (528 MB) opened by LayerLens.

usage: /usr/bin/python3 bench/onnx_scale.py [--runs N] [--cli build/release/app/layerlens-cli] [--model PATH]

1. Makes the file once (never committed): torchvision's VGG16 architecture with random weights
   (seed 0), exported by torch.onnx.export at opset 13, to build/vgg16-random.onnx.
2. Times `layerlens-cli summary` (load + shape inference; must report 138,357,544 parameters) and
   `layerlens-cli predict --layers` on a 224x224 image (load + one image with every node's output
   kept, as the inspector shows them), each in its own process, peak memory from the kernel.
3. Reference: PyTorch running the same network on the same input with a forward hook on every
   module keeping every output (torch.set_num_threads(2)), in its own process.
Prints medians of N runs after a warm-up and appends the table to bench/results/<date>_onnx_scale.md.
Needs Debian's python3-torch and python3-torchvision (for the file only).
"""
import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

REFERENCE = r"""
import resource, sys, time, torch, torchvision
torch.set_num_threads(2)
torch.manual_seed(0)
model = torchvision.models.vgg16().eval()
kept = []
for module in model.modules():
    if not list(module.children()):
        module.register_forward_hook(lambda m, i, o: kept.append(o))
x = torch.rand(1, 3, 224, 224)
with torch.no_grad():
    start = time.perf_counter()
    model(x)
    ms = (time.perf_counter() - start) * 1000
print(ms, len(kept), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def make_model(path):
    if os.path.exists(path):
        return
    import torch
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.vgg16().eval()
    print(f"exporting {path} ...", flush=True)
    torch.onnx.export(model, torch.rand(1, 3, 224, 224), path, opset_version=13,
                      input_names=["image"], output_names=["logits"])


def make_image(path):
    import numpy as np
    import zlib
    import struct
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in pixels)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 224, 224, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def timed(command):
    """Wall seconds and stdout of one process."""
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="2"))
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{out.stderr}")
    return seconds, out.stdout


def measure(command):
    """Wall seconds, peak resident MB and stdout of command, run under a small wrapper process whose
    only child it is, so RUSAGE_CHILDREN's maximum is this command's own peak."""
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys; r=subprocess.run(sys.argv[1:], capture_output=True, text=True);"
               "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr);"
               "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024); sys.exit(r.returncode)"] + command
    seconds, out = timed(wrapper)
    peak = float(re.search(r"PEAK ([0-9.]+)", out).group(1))
    return seconds, peak, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", default=os.path.join(ROOT, "build", "release", "app", "layerlens-cli"))
    parser.add_argument("--model", default=os.path.join(ROOT, "build", "vgg16-random.onnx"))
    args = parser.parse_args()
    make_model(args.model)
    image = os.path.join(ROOT, "build", "vgg16-input.png")
    make_image(image)
    size_mb = os.path.getsize(args.model) / 1e6

    _, _, summary = measure([args.cli, "summary", args.model])
    if "138,357,544" not in summary:
        sys.exit("summary does not report 138,357,544 parameters:\n" + summary[-2000:])

    summary_runs, predict_runs, reference_runs = [], [], []
    measure([args.cli, "predict", "--model", args.model, "--input", image, "--layers"])  # warm-up
    for _ in range(args.runs):
        summary_runs.append(measure([args.cli, "summary", args.model])[:2])
        seconds, peak, out = measure([args.cli, "predict", "--model", args.model, "--input", image, "--layers"])
        run_ms = float(re.search(r"ran (\d+) nodes in ([0-9.]+) ms", out).group(2))
        predict_runs.append((seconds, peak, run_ms))
        _, ref_peak, ref_out = measure([sys.executable, "-c", REFERENCE])
        ref_ms, kept, _ = ref_out.split()[:3]
        reference_runs.append((float(ref_ms), ref_peak))

    def med(values):
        return statistics.median(values)
    rows = [
        ("open + summary (s)", f"{med([r[0] for r in summary_runs]):.2f}", "", f"{med([r[1] for r in summary_runs]):.0f}"),
        ("open + run 1 image, all activations kept (s)", f"{med([r[0] for r in predict_runs]):.2f}", "",
         f"{med([r[1] for r in predict_runs]):.0f}"),
        ("forward with all activations kept (ms)", f"{med([r[2] for r in predict_runs]):.0f}",
         f"{med([r[0] for r in reference_runs]):.0f}", f"{med([r[1] for r in reference_runs]):.0f} (PyTorch)"),
    ]
    ratio = med([r[0] for r in reference_runs]) / med([r[2] for r in predict_runs])
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M")
    text = [f"# VGG16-sized ONNX inspection, {stamp}", "",
            f"File: {os.path.basename(args.model)} ({size_mb:.0f} MB, torchvision VGG16, random weights, opset 13); "
            f"median of {args.runs} runs after a warm-up; CPU: {cpu_model()}, {os.cpu_count()} cores.", "",
            "| measurement | LayerLens | PyTorch | peak MB |", "|---|---|---|---|"]
    text += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text += ["", f"Forward-pass ratio (PyTorch time / LayerLens time, higher is better): {ratio:.2f}"]
    print("\n".join(text))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", f"{stamp}_onnx_scale.md"), "w") as f:
        f.write("\n".join(text) + "\n")


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


if __name__ == "__main__":
    main()
