"""Plain text for results too big to show whole: a notebook cell ending in a large matrix gets
its corners, as the HTML table does, instead of megabytes of text (a 2000×2000 matrix printed
whole is 80 MB and seconds of formatting), and any other long text (a list holding such a
matrix) its beginning and end."""
import numpy as np

#: Matrices with more entries than this are shown elided.
MAX_WHOLE = 1000
#: Rows and columns kept at each end of an elided matrix.
CORNER = 3
#: Longer plain text (a list or record holding a large matrix, a long string) is elided.
MAX_TEXT = 100_000


def number(x: float) -> str:
    """A number as msense prints it: integral values without a decimal point, others in the
    shortest form that reads back to the same double."""
    x = float(x)
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(x)


def matrix_text(matrix: np.ndarray) -> str:
    """`rows×cols matrix, elided:` over the first and last CORNER rows and columns in msense's
    row syntax (`a, b, …, z;`), with `⋮` for the rows left out and `…` for the columns."""
    rows, cols = matrix.shape

    def kept(count):
        if count <= 2 * CORNER:
            return list(range(count))
        return list(range(CORNER)) + [None] + list(range(count - CORNER, count))

    lines = []
    for i in kept(rows):
        if i is None:
            lines.append("⋮")
            continue
        lines.append(", ".join("…" if j is None else number(matrix[i, j]) for j in kept(cols)))
    return f"{rows}×{cols} matrix, elided:\n[" + ";\n ".join(lines) + "]"


def long_text(text: str) -> str:
    """`text` when it has at most MAX_TEXT characters, else its first and last MAX_TEXT/2 with
    a line saying how many characters were left out in between."""
    if len(text) <= MAX_TEXT:
        return text
    half = MAX_TEXT // 2
    return (text[:half] + f"\n… {len(text) - 2 * half} characters left out (print shows the value whole) …\n"
            + text[-half:])
