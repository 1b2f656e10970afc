#!/usr/bin/env bash
# Builds the DocC archive of one library module from its doc comments and its catalog
# Sources/MODULE/MODULE.docc, with the toolchain's own `swift symbolgraph-extract` and `docc`
# (no package plugin needed, so it works offline):
#
#   scripts/build-docs.sh [OUTPUT] [MODULE]   # MODULE: MSense (default), MSenseCore, Sensing,
#                                             # Tensor, Plot, Sweep, Subprocess or Autodiff; OUTPUT .build/MODULE.doccarchive
#
# MSENSE_DOCS_CONFIG=debug|release picks the build whose modules are read (default release);
# MSENSE_DOCS_SKIP_BUILD=1 uses them as they are (the test suite, which has just built them).
# Warnings (a broken symbol link, an undocumented parameter) are errors.
#
# Serve or browse it with `docc preview` or any static web server (index.html inside).
set -euo pipefail
cd "$(dirname "$0")/.."
module=${2:-MSense}
out=${1:-.build/$module.doccarchive}
config=${MSENSE_DOCS_CONFIG:-release}
[ -d "Sources/$module/$module.docc" ] || { echo "no catalog Sources/$module/$module.docc" >&2; exit 2; }
[ -n "${MSENSE_DOCS_SKIP_BUILD:-}" ] || swift build -c "$config" --product msense >/dev/null
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
# The C shims' headers, as the package build finds them through pkg-config.
cflags=()
for flag in $(pkg-config --cflags openblas cairo 2>/dev/null); do cflags+=(-Xcc "$flag"); done
swift symbolgraph-extract -module-name "$module" -target "$(uname -m)-unknown-linux-gnu" \
    -I ".build/$config/Modules" -I Sources/CBLAS -I Sources/CCairo -I Sources/CZlib -I Sources/CReadline \
    -Xcc -fmodule-map-file=".build/$config/CKernels.build/module.modulemap" -I Sources/CKernels/include \
    "${cflags[@]}" -minimum-access-level public -output-dir "$graphs"
docc convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name "$module" --fallback-bundle-identifier "org.msense.$module" \
    --output-path "$out" --warnings-as-errors
echo "wrote $out"
