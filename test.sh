#!/usr/bin/env bash
# Installs what is missing, builds (Release, warnings are errors) and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh release
export QT_QPA_PLATFORM=offscreen
ctest --preset release -j2
