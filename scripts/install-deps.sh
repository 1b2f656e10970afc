#!/usr/bin/env bash
# Installs what msense needs and is missing: Debian packages for the C libraries and tools,
# and NumPy (the oracle for the tests). Safe to run again: it does nothing when all is present.
set -euo pipefail

packages=(pkg-config libopenblas-dev liblapacke-dev zlib1g-dev libreadline-dev libcairo2-dev tmux gcc python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import numpy' 2>/dev/null; then
    echo "installing numpy" >&2
    python3 -m pip install --quiet numpy 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages numpy
fi
