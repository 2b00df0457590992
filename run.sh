#!/usr/bin/env bash
# Installs what is missing, builds (Release) and starts LayerLens. Extra arguments go to layerlens.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh release
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "LayerLens needs a display: none is set (DISPLAY/WAYLAND_DISPLAY). Run it under a virtual one: xvfb-run -a ./run.sh" >&2
  exit 1
fi
exec build/release/app/layerlens "$@"
