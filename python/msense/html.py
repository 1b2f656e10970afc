"""Rich HTML for notebooks: traces as a head/tail table with a sparkline per column, matrices
as an elided table, runs as their scalar fields over their trace, tables with a text column
(sweep results) as a head/tail table."""
import html
import math

import numpy as np

HEAD, TAIL = 5, 3
MAX_MATRIX = 12


def number(x, digits=6) -> str:
    """Integers whole, others to `digits` significant digits (6, as the REPL shows them)."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == round(x) and abs(x) < 1e9:
        return str(int(x))
    return f"{x:.{digits}g}"


def sparkline(values, width=120, height=24) -> str:
    """An inline SVG polyline of the finite values (on a log scale when all are positive and
    they span more than two decades, as losses do)."""
    ys = np.asarray(values, dtype=np.float64)
    finite = ys[np.isfinite(ys)]
    if len(finite) < 2:
        return ""
    logarithmic = bool(np.all(finite > 0) and finite.max() / finite.min() > 100)
    if logarithmic:
        ys = np.log10(np.where(ys > 0, ys, np.nan))
        finite = ys[np.isfinite(ys)]
    low, high = finite.min(), finite.max()
    span = high - low or 1.0
    points = " ".join(f"{width * i / (len(ys) - 1):.1f},{height - 2 - (height - 4) * (y - low) / span:.1f}"
                      for i, y in enumerate(ys) if np.isfinite(y))
    scale = " (log)" if logarithmic else ""
    return (f'<svg width="{width}" height="{height}" role="img" aria-label="sparkline{scale}">'
            f'<polyline points="{points}" fill="none" stroke="#1f77b4" stroke-width="1.5"/></svg>')


def head_and_tail(rows: int):
    """The row indices shown (None for the elision mark)."""
    return list(range(rows)) if rows <= HEAD + TAIL else list(range(HEAD)) + [None] + list(range(rows - TAIL, rows))


def body_rows(columns, rows: int, text) -> str:
    """The table rows shown (head_and_tail), `text(column, i)` in each cell, a row of ⋮ between."""
    body = ""
    for i in head_and_tail(rows):
        if i is None:
            body += "<tr>" + "".join("<td>⋮</td>" for _ in columns) + "</tr>"
        else:
            body += "<tr>" + "".join(f"<td>{text(c, i)}</td>" for c in columns) + "</tr>"
    return body


def trace_html(trace) -> str:
    columns = list(trace)
    rows = trace.rows
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    lines = "".join(f"<td>{sparkline(trace[c])}</td>" for c in columns)
    body = body_rows(columns, rows, lambda c, i: number(trace[c][i], 4))
    return (f"<div class=\"msense-trace\"><b>trace</b>: {rows} rows × {len(columns)} columns"
            f"<table style=\"white-space: nowrap\"><thead><tr>{head}</tr><tr>{lines}</tr></thead><tbody>{body}</tbody></table></div>")


def matrix_html(matrix: np.ndarray) -> str:
    rows, cols = matrix.shape

    def shown(count):
        if count <= MAX_MATRIX:
            return list(range(count))
        half = MAX_MATRIX // 2
        return list(range(half)) + [None] + list(range(count - half + 1, count))

    body = ""
    for i in shown(rows):
        cells = ""
        for j in shown(cols):
            cells += "<td>" + ("⋮" if i is None else "…" if j is None else number(matrix[i, j])) + "</td>"
        body += f"<tr>{cells}</tr>"
    return f"<div class=\"msense-matrix\"><b>{rows}×{cols} matrix</b><table>{body}</table></div>"


def cell(value) -> str:
    """A table cell's text: numbers as `number`, nil as in msense, text escaped."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value, 4)
    return html.escape(str(value))


def table_html(obj) -> str:
    """A table with a text column (a sweep's result: its `stop` and `seed`): its head and tail
    rows, every column."""
    columns = obj["columns"]
    data = {name: obj[name] for name in columns}
    rows = obj["count"]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = body_rows(columns, rows, lambda c, i: cell(data[c][i]))
    return (f"<div class=\"msense-table\"><b>table</b>: {rows} rows × {len(columns)} columns"
            f"<table style=\"white-space: nowrap\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def object_html(obj) -> str:
    """A run (or other host object): its number/string/bool fields in a table, then any trace;
    a table object as a table."""
    from .values import Trace

    if obj.type == "table" and "columns" in obj.fields:
        return table_html(obj)
    cells, traces = "", []
    for name in obj.fields:
        try:
            value = obj[name]
        except Exception:  # noqa: BLE001 - a field that cannot be read is left out
            continue
        if isinstance(value, Trace):
            traces.append(value)
        elif isinstance(value, (bool, str)):
            cells += f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(value).lower() if isinstance(value, bool) else value)}</td></tr>"
        elif isinstance(value, (int, float)):
            cells += f"<tr><th>{html.escape(name)}</th><td>{number(value)}</td></tr>"
        elif isinstance(value, list) and len(value) <= 8 and all(isinstance(v, (int, float, dict)) for v in value):
            cells += f"<tr><th>{html.escape(name)}</th><td>{html.escape(repr_short(value))}</td></tr>"
    out = f"<div class=\"msense-object\"><b>{html.escape(obj.description)}</b><table>{cells}</table>"
    return out + "".join(trace_html(t) for t in traces) + "</div>"


def repr_short(value) -> str:
    if value is None:
        return "nil"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {repr_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(repr_short(v) for v in value) + "]"
    return str(value)


def rich(value):
    """The HTML for a value worth a rich display, or None."""
    from .values import Object, Trace

    if isinstance(value, Trace):
        return trace_html(value)
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return matrix_html(value)
    if isinstance(value, Object):
        return object_html(value)
    return None
