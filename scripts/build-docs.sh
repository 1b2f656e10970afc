#!/usr/bin/env bash
# Builds the DocC archive of the MSense library from its doc comments and the catalog
# Sources/MSense/MSense.docc, with the toolchain's own `swift symbolgraph-extract` and `docc`
# (no package plugin needed, so it works offline):
#
#   scripts/build-docs.sh [OUTPUT]     # default .build/MSense.doccarchive
#
# MSENSE_DOCS_CONFIG=debug|release picks the build whose modules are read (default release);
# MSENSE_DOCS_SKIP_BUILD=1 uses them as they are (the test suite, which has just built them).
#
# Serve or browse it with `docc preview` or any static web server (index.html inside).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/MSense.doccarchive}
config=${MSENSE_DOCS_CONFIG:-release}
[ -n "${MSENSE_DOCS_SKIP_BUILD:-}" ] || swift build -c "$config" --product msense >/dev/null
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
# The C shims' headers, as the package build finds them through pkg-config.
cflags=()
for flag in $(pkg-config --cflags openblas cairo 2>/dev/null); do cflags+=(-Xcc "$flag"); done
swift symbolgraph-extract -module-name MSense -target "$(uname -m)-unknown-linux-gnu" \
    -I ".build/$config/Modules" -I Sources/CBLAS -I Sources/CCairo -I Sources/CZlib -I Sources/CReadline \
    "${cflags[@]}" -minimum-access-level public -output-dir "$graphs"
docc convert Sources/MSense/MSense.docc --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name MSense --fallback-bundle-identifier org.msense.MSense \
    --output-path "$out" --warnings-as-errors
echo "wrote $out"
