#!/usr/bin/env bash
# The Python side of the test suite (`make python-test`, part of `make test`): builds the C
# library, installs the msense Python package and the Jupyter kernel into the project-local
# environment .build/venv, then runs python/tests with pytest: the C API test program
# (Tests/CAPI/capi_test.c, compiled with cc), the package, the kernel through jupyter_client,
# and examples/notebooks/incremental.ipynb executed by nbclient.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/python-env.sh)
# `swift test -c release` (the step before this one in `make test`) links the library too; build it
# only when it is missing or older than a source (a rebuild here would recompile every module,
# as swift build and swift test compile with different flags).
library=.build/release/libMSenseC.so
if [ ! -f "$library" ] || [ -n "$(find Sources include Package.swift -newer "$library" -print -quit)" ]; then
    swift build -c release --product MSenseC
fi
"$python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps --no-build-isolation ./python
"$python" -m msense kernel install
"$python" -m pytest -q python/tests
