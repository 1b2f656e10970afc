#!/usr/bin/env bash
# The editor tooling's Python tests (editors/tests): the Pygments lexer and the VS Code TextMate
# grammar checked against grammar/msense.ebnf, every example highlighted without error tokens,
# and a real LSP client (pytest-lsp) driving `msense lsp`. Run by `make test` after the Swift
# suite, which builds .build/release/msense.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/python-env.sh)
[ -x .build/release/msense ] || swift build -c release --product msense
# The lexer package, installed editable so `pygmentize -l msense` sees the working copy.
if ! "$python" -c "from pygments.lexers import get_lexer_by_name; get_lexer_by_name('msense')" 2>/dev/null; then
    "$python" -m pip install --quiet --disable-pip-version-check -e editors/pygments
fi
cd editors/tests
exec "$python" -m pytest -q -p no:cacheprovider .
