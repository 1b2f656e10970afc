#!/usr/bin/env bash
# Installs the msense Python package and its Jupyter kernel into the project-local environment
# .build/venv (`make kernel`; docs/jupyter.md): builds the C library libMSenseC.so when it is
# missing or older than a source, makes the venv (scripts/python-env.sh), pip-installs ./python
# (which bundles the library) and registers the kernel spec in the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/python-env.sh)
# `swift test -c release` links the library too, so after it nothing is rebuilt here (a
# `swift build` would recompile every module: swift build and swift test use different flags).
library=.build/release/libMSenseC.so
if [ ! -f "$library" ] || [ -n "$(find Sources Package.swift -newer "$library" -print -quit)" ]; then
    swift build -c release --product MSenseC
fi
"$python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps --no-build-isolation ./python
"$python" -m msense kernel install
