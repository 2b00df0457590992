#!/usr/bin/env bash
# Installs what is missing, builds (Release, warnings are errors) and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh release
export QT_QPA_PLATFORM=offscreen
# Two test processes run at once on two cores: OpenMP threads that spin while waiting would
# take turns with each other's spinning instead of working.
export OMP_WAIT_POLICY=passive
ctest --preset release -j2
