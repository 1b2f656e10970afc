"""The Python examples in docs/python.md print what the page says they print.

Each ```python block that a "prints" line and a ```text block follow is run in a fresh
namespace, its standard output captured, and compared line by line with the text block: the
text between numbers exactly, the numbers to 1e-9 relative (a run's last digits follow the
rounding of the BLAS kernels the CPU gets).
"""
import contextlib
import io
import re

import pytest

from conftest import ROOT

NUMBER = re.compile(r"-?\d+\.?\d*(?:e[-+]?\d+)?")
EXAMPLE = re.compile(r"```python\n(?P<code>.*?)```\n\nprints\n\n```text\n(?P<printed>.*?)```", re.DOTALL)


def examples():
    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    return [(text[: match.start()].count("\n") + 1, match["code"], match["printed"]) for match in EXAMPLE.finditer(text)]


def test_the_page_has_examples_with_their_output():
    assert examples()


@pytest.mark.parametrize("line, code, printed", examples(), ids=lambda value: str(value) if isinstance(value, int) else "")
def test_example_prints_what_the_page_shows(line, code, printed):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"docs/python.md:{line}", "exec"), {})
    got, shown = out.getvalue().splitlines(), printed.splitlines()
    assert len(got) == len(shown), f"docs/python.md:{line}: {got}"
    for a, b in zip(got, shown):
        assert NUMBER.sub("#", a) == NUMBER.sub("#", b), f"docs/python.md:{line}: {a!r} against {b!r}"
        for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)):
            assert float(x) == pytest.approx(float(y), rel=1e-9, abs=0), f"docs/python.md:{line}: {a!r} against {b!r}"
