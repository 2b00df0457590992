#!/usr/bin/env bash
# Builds the benchmarks tuned for this CPU and runs them next to PyTorch.
# usage: bench/run.sh [--runs N] [--cases lenet5_train,mlp_train,...]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh native
for p in python3-torch libopenblas0-openmp python3-numpy; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p"
  fi
done
exec /usr/bin/python3 bench/run.py "$@" build/native/bench/layerlens-bench
