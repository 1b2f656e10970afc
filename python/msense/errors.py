"""Script failures as Python exceptions carrying msense's structured diagnostics."""
from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class Diagnostic:
    """One message about a script: where (path, 1-based line and column; 0 when not tied to
    source), what (message), how to fix it (hint), the source line, and the rendered text
    (`file:line:col: error: …`, the line, a caret, the hint)."""

    severity: str
    path: str
    line: int
    column: int
    message: str
    hint: Optional[str]
    source_line: str
    rendered: str
    rendered_color: str


class MSenseError(Exception):
    """A script failed: every diagnostic is in `diagnostics`; the first one's fields are also
    `path`, `line`, `column`, `message`, `hint`; `str(error)` is the rendered text."""

    def __init__(self, diagnostics: List[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else Diagnostic("error", "", 0, 0, "the script failed", None, "", "", "")
        self.path, self.line, self.column = first.path, first.line, first.column
        self.message, self.hint = first.message, first.hint
        super().__init__("".join(d.rendered for d in diagnostics).rstrip("\n"))


class Cancelled(MSenseError):
    """The run was stopped by `Interpreter.cancel()` (Ctrl-C raises KeyboardInterrupt instead)."""
