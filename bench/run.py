#!/usr/bin/env python3
"""Runs every benchmark case for LayerLens and PyTorch, alternating, and prints medians and ratios.

usage: bench/run.py [--runs N] [--cases a,b,...] BENCH_BINARY
Each measurement is its own process, so peak memory is per case. A warm-up run of each side
comes first and is not counted. Results are written to bench/results/<date>.md as well.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["lenet5_train", "lenet5_train_adam", "mlp_train", "tinyvgg_train", "vgg16_forward", "lenet5_infer", "lenet5_train_watched"]
TARGETS = {"lenet5_train": 1.0, "lenet5_train_adam": 1.0, "mlp_train": 1.0, "tinyvgg_train": 0.8, "vgg16_forward": 0.8, "lenet5_infer": 1.0,
           "lenet5_train_watched": 0.95}


# LayerLens's OpenMP threads wait passively between parallel regions: with libgomp's default
# (spin for a while) a busy machine makes the two threads burn their time slices waiting for each
# other (measured under load ~10: 1,700-2,000 images/s passive vs 340-380 spinning on LeNet-5).
# PyTorch keeps its own default, which suits it better (a passive PyTorch LeNet-5 run did not
# finish its epoch within 120 s under the same load; its default run took about 20 s).
OURS_ENV = {"OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "passive")}


def run(command, extra_env=None):
    env = dict(os.environ, OMP_NUM_THREADS="2", **(extra_env or {}))
    out = subprocess.run(command, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--note", default="", help="a sentence added to the results file (machine load, ...)")
    args = parser.parse_args()
    torch_script = os.path.join(HERE, "pytorch_reference.py")
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = []
    for case in args.cases.split(","):
        ours, theirs, our_mem, their_mem = [], [], [], []
        reference_case = "lenet5_train" if case == "lenet5_train_watched" else case
        run([args.binary, case], OURS_ENV)  # warm-up (page cache, CPU frequency)
        if case != "lenet5_train_watched":
            run([sys.executable, torch_script, reference_case])
        for _ in range(args.runs):
            a = run([args.binary, case], OURS_ENV)
            ours.append(a["value"])
            our_mem.append(a["peak_rss_mb"])
            if case == "lenet5_train_watched":
                b = run([args.binary, "lenet5_train"], OURS_ENV)  # the reference is our own unwatched run
            else:
                b = run([sys.executable, torch_script, case])
            theirs.append(b["value"])
            their_mem.append(b["peak_rss_mb"])
        unit = a["unit"]
        mo, mt = statistics.median(ours), statistics.median(theirs)
        ratio = mt / mo if unit == "ms/image" else mo / mt
        rows.append((case, unit, mo, mt, ratio, statistics.median(our_mem), statistics.median(their_mem)))
        print(f"{case:22s} ours {mo:10.1f} {unit:9s} reference {mt:10.1f}  ratio {ratio:5.2f} "
              f"(target >= {TARGETS.get(case, 1.0)})  peak MB {rows[-1][5]:.0f} vs {rows[-1][6]:.0f}", flush=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [f"# Benchmark run {stamp}", "", f"CPU: {cpu_model()}, {os.cpu_count()} cores; median of {args.runs} runs "
             "after a warm-up; reference: PyTorch (torch.set_num_threads(2)); for lenet5_train_watched the "
             "reference is LayerLens with nothing captured. LayerLens runs with "
             f"OMP_WAIT_POLICY={OURS_ENV['OMP_WAIT_POLICY']}, PyTorch with its defaults. "
             f"Load average before the run: {load_before}." + (" " + args.note if args.note else ""), "",
             "| case | LayerLens | reference | ratio (higher is better) | target | peak MB ours | peak MB reference |",
             "|---|---|---|---|---|---|---|"]
    for case, unit, mo, mt, ratio, m1, m2 in rows:
        lines.append(f"| {case} | {mo:.1f} {unit} | {mt:.1f} {unit} | {ratio:.2f} | >= {TARGETS.get(case, 1.0)} | {m1:.0f} | {m2:.0f} |")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", datetime.datetime.now().strftime("%Y-%m-%d_%H%M") + ".md")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
