#!/usr/bin/env bash
# Makes the project-local Python environment .build/venv with the packages in
# scripts/python-requirements.txt, and prints its python's path. Safe to run again: it installs
# only when the requirements file changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/venv
requirements=scripts/python-requirements.txt
stamp=$venv/.requirements-installed
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p .build
    python3 -m venv "$venv" >&2
fi
if ! cmp -s "$requirements" "$stamp" 2>/dev/null; then
    echo "installing Python packages into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
echo "$PWD/$venv/bin/python"
