"""The msense Jupyter kernel, on ipykernel's Kernel base class (ipykernel speaks the wire protocol).

One Interpreter per kernel: cells share globals. Prints stream to stdout; figures made without
a path (or with show) appear as PNG and SVG; traces, matrices and runs as HTML; gd, glrl,
minimize and sweep show a live progress bar; errors show the located diagnostic; Interrupt cancels the run
and keeps the session; Tab and Shift-Tab give the REPL's completions and :help text. The
kernel spec's environment may confine the cells (sandbox.py).
"""
import base64
import html
import os
import re
import uuid

from ipykernel.kernelbase import Kernel

import msense
from msense.html import rich

from .sandbox import sandbox_from

IDENTIFIER_END = re.compile(r"\w*$")
# IPython's help request: a cell that is one name with `?` before or after it (`?gd`, `gd?`, `gd??`).
HELP_REQUEST = re.compile(r"^\s*(\?*)([A-Za-z_]\w*)(\?*)\s*$")
IDENTIFIER_START = re.compile(r"^\w*")


class MSenseKernel(Kernel):
    implementation = "msense"
    implementation_version = msense.__version__
    language = "msense"
    language_version = msense.version()
    language_info = {
        "name": "msense",
        "version": msense.version(),
        "mimetype": "text/x-msense",
        "file_extension": ".msense",
        "pygments_lexer": "msense",
    }
    banner = f"msense {msense.version()}: matrix-sensing experiments (Tab completes, Shift-Tab shows :help)"

    #: The run events the progress bar is drawn from (no trace rows: each would cross into Python).
    PROGRESS_EVENTS = frozenset({"started", "progress", "finished"})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        file_access, limits = sandbox_from(os.environ)
        self.interpreter = msense.Interpreter(output=self._stream, display=self._show, on_event=self._progress,
                                              events=self.PROGRESS_EVENTS, file_access=file_access, limits=limits)
        self._bars = {}

    # ---- execution -------------------------------------------------------------------------

    async def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False,
                         *, cell_meta=None, cell_id=None):
        self._silent = silent
        help_request = HELP_REQUEST.match(code)
        if help_request and (help_request.group(1) or help_request.group(3)):
            return self._help(help_request.group(2))
        if code.lstrip().startswith("%"):
            return self._error("MSenseError", "IPython magics are not msense code",
                               ["\x1b[1;31merror\x1b[0m: a cell starting with '%' is an IPython magic, which this kernel does not have",
                                "\x1b[36mhint:\x1b[0m time a block with clock() (let t0 = clock(); …; print(clock() - t0)); name? shows a builtin's help"])
        try:
            value, text = self.interpreter.run_showing(code, path=f"In[{self.execution_count}]")
        except msense.MSenseError as error:
            return self._error("MSenseError", error.message,
                               "".join(d.rendered_color for d in error.diagnostics).rstrip("\n").split("\n"))
        except KeyboardInterrupt:
            return self._error("KeyboardInterrupt", "the run was cancelled",
                               ["\x1b[1;31mKeyboardInterrupt\x1b[0m: the run was cancelled; the session and its variables are kept"])
        if text is not None and not silent:
            data = {"text/plain": text}
            markup = rich(value)
            if markup:
                data["text/html"] = markup
            self.send_response(self.iopub_socket, "execute_result",
                               {"execution_count": self.execution_count, "data": data, "metadata": {}})
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _help(self, name):
        """A `name?` cell: the text Shift-Tab shows for `name`, as the cell's output."""
        text = self._describe(name)
        if text is None:
            return self._error("MSenseError", f"'{name}' is not defined",
                               [f"\x1b[1;31merror\x1b[0m: '{name}' is neither a builtin nor a global of this session"])
        if not self._silent:
            self.send_response(self.iopub_socket, "stream", {"name": "stdout", "text": text.rstrip("\n") + "\n"})
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _error(self, name, value, traceback):
        content = {"ename": name, "evalue": value, "traceback": traceback}
        if not self._silent:
            self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": self.execution_count, **content}

    # ---- what the interpreter sends while it runs (on this thread, between run steps) ------

    def _stream(self, text):
        if not self._silent:
            self.send_response(self.iopub_socket, "stream", {"name": "stdout", "text": text})

    def _show(self, figure):
        if self._silent:
            return
        data = {"image/png": base64.b64encode(figure.png).decode("ascii"), "image/svg+xml": figure.svg,
                "text/plain": "<msense figure>"}
        self.send_response(self.iopub_socket, "display_data", {"data": data, "metadata": {}})

    def _progress(self, event):
        if self._silent:
            return
        if event.type == "started":
            bar = {"id": uuid.uuid4().hex, "total": max(event.total, 1), "done": 0}
            self._bars[event.kind] = bar
            self.send_response(self.iopub_socket, "display_data",
                               {"data": self._bar(event.kind, bar), "metadata": {}, "transient": {"display_id": bar["id"]}})
            return
        bar = self._bars.get(event.kind)
        if bar is None:
            return
        if event.type == "progress":
            bar["done"] = event.done
        else:
            bar["done"], bar["ended"] = event.done, "finished" if event.completed else "failed"
            del self._bars[event.kind]
        self.send_response(self.iopub_socket, "update_display_data",
                           {"data": self._bar(event.kind, bar), "metadata": {}, "transient": {"display_id": bar["id"]}})

    @staticmethod
    def _bar(kind, bar):
        done, total = bar["done"], bar["total"]
        ended = bar.get("ended")
        if ended == "finished" and done >= total:
            state = "finished"
        elif ended:
            state = f"{ended} at {done}/{total}"  # a stop rule's early end, or a run with no result
        else:
            state = f"{done}/{total}"
        label = f"{kind}: {state}"
        return {"text/plain": label,
                "text/html": f'<progress value="{done}" max="{total}" style="width:24em"></progress> '
                             f"<code>{html.escape(label)}</code>"}

    # ---- completion, help, completeness ----------------------------------------------------

    async def do_complete(self, code, cursor_pos):
        cursor_pos = max(0, min(cursor_pos, len(code)))  # a front end's position past the end: the end
        line = code[:cursor_pos].split("\n")[-1]
        word = IDENTIFIER_END.search(line).group(0)
        matches = self.interpreter.complete(line, word)
        return {"status": "ok", "matches": matches, "cursor_start": cursor_pos - len(word),
                "cursor_end": cursor_pos, "metadata": {}}

    async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        cursor_pos = max(0, min(cursor_pos, len(code)))
        text = None
        for name in self._names_at(code, cursor_pos):
            text = self._describe(name)
            if text:
                break
        if text is None:
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        return {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}

    def _names_at(self, code, cursor_pos):
        """The word under the cursor, then the function whose call is open at the cursor."""
        before, after = code[:cursor_pos], code[cursor_pos:]
        word = IDENTIFIER_END.search(before).group(0) + IDENTIFIER_START.search(after).group(0)
        names = [word] if word else []
        depth = 0
        for index in range(len(before) - 1, -1, -1):
            character = before[index]
            if character in ")]}":
                depth += 1
            elif character in "[{":
                depth -= 1
            elif character == "(":
                if depth == 0:
                    callee = IDENTIFIER_END.search(before[:index]).group(0)
                    if callee:
                        names.append(callee)
                    break
                depth -= 1
        return names

    def _describe(self, name):
        help_text = self.interpreter.help(name)
        if help_text:
            return help_text
        if name in self.interpreter:
            return f"{name} = {self.interpreter.text(name)}"
        return None

    async def do_is_complete(self, code):
        if self.interpreter.is_incomplete(code):
            return {"status": "incomplete", "indent": "    "}
        return {"status": "complete"}
