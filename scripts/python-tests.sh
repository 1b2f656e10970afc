#!/usr/bin/env bash
# The Python side of the test suite (`make python-test`, part of `make test`): installs the C
# library, the msense Python package and the Jupyter kernel into .build/venv
# (scripts/python-install.sh), then runs python/tests with pytest: the C API test program
# (Tests/CAPI/capi_test.c, compiled with cc), the package, the kernel through jupyter_client,
# and examples/notebooks/incremental.ipynb executed by nbclient.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/python-install.sh
"$(scripts/python-env.sh)" -m pytest -q python/tests
