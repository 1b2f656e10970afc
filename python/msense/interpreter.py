"""The msense interpreter from Python, over the C API (include/msense.h)."""
import ctypes
import inspect
import os
import queue
import sys
import threading
import time
import uuid
from typing import Callable, FrozenSet, Iterable, List, Optional

from . import _library as C
from . import summary
from ._library import lib
from .errors import Cancelled, Diagnostic, MSenseError
from .sandbox import FileAccess, Limits
from .values import make, read, take


class Figure:
    """A figure a script showed (`show(...)`, or `figure`/`plot` without a path): PNG bytes and
    SVG text. Displays itself in IPython/Jupyter."""

    def __init__(self, png: bytes, svg: str):
        self.png, self.svg = png, svg

    def _repr_png_(self):
        return self.png

    def _repr_svg_(self):
        return self.svg

    def save(self, path: str):
        """Writes the PNG (path ending in .png) or the SVG (any other path), atomically: into a
        temporary file in the same folder, then renamed over `path`, so a failed write never
        leaves a truncated figure."""
        path = os.fspath(path)
        data = self.png if path.lower().endswith(".png") else self.svg.encode()
        temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{uuid.uuid4().hex}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to open()
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise


class Event:
    """A run event from gd, glrl, sweep or minimize: `type` is "started", "row", "progress" or
    "finished"; `kind` the builtin; `done`/`total` steps; a row's `columns` and `values`; for
    "finished", `completed`: whether the run returned its result (False when it ended by an
    error, a limit or cancellation; None for the other types)."""

    TYPES = {C.EVENT_STARTED: "started", C.EVENT_ROW: "row", C.EVENT_PROGRESS: "progress", C.EVENT_FINISHED: "finished"}
    #: Every event type, the default of Interpreter.events.
    ALL = frozenset(TYPES.values())

    @classmethod
    def mask(cls, types) -> int:
        """The msense_set_events mask (bit 1 << code per type) of a collection of type names;
        TypeError for a lone string or a non-string name, ValueError for an unknown name."""
        if isinstance(types, (str, bytes)) or not hasattr(types, "__iter__"):
            raise TypeError(f'events must be a collection of event types such as {{"progress"}}, not {type(types).__name__}')
        codes = {name: code for code, name in cls.TYPES.items()}
        mask = 0
        for name in types:
            if not isinstance(name, str):
                raise TypeError(f"an event type is a string, not {type(name).__name__}: {name!r}")
            if name not in codes:
                known = ", ".join(repr(n) for n in cls.TYPES.values())
                raise ValueError(f"unknown event type {name!r}: the types are {known}")
            mask |= 1 << codes[name]
        return mask

    def __init__(self, type, kind, done, total, columns, values, completed=None):
        self.type, self.kind, self.done, self.total, self.columns, self.values = type, kind, done, total, columns, values
        self.completed = completed

    def __repr__(self):
        return f"Event({self.type}, {self.kind}, {self.done}/{self.total})"


class Interpreter:
    """An msense interpreter: globals persist across `run` and `evaluate` calls.

        m = msense.Interpreter()
        run = m.run('seed(1)\\ngd(sensing(psd(10, eigs: [1.0]), gaussian(m: 200, d: 10)), '
                    'init: small(10, 2, alpha: 1e-3), lr: 0.1, steps: 100)')
        run.trace["loss"]        # a NumPy array

    output(text) receives what the script prints (default: sys.stdout), gathered over at most
    OUTPUT_INTERVAL seconds; display(figure) what it
    shows (default: kept in `figures`, and displayed inline under IPython); on_event(event) run
    events, of the types in `events` (default: all; e.g. {"started", "progress", "finished"} for a
    progress bar, so that runs build no rows for it). Callbacks run on the thread that called
    `run`/`evaluate`, except registered Python functions, which run on the interpreter's own
    thread while the script calls them.
    file_access and limits are the host's sandbox (msense.FileAccess, msense.Limits; also
    settable later, between runs, as the properties of the same names).
    """

    #: Seconds printed text may wait before it is handed to `output` (see `_wait`).
    OUTPUT_INTERVAL = 0.05

    def __init__(self, args=(), output: Optional[Callable[[str], None]] = None,
                 display: Optional[Callable[[Figure], None]] = None,
                 on_event: Optional[Callable[[Event], None]] = None,
                 file_access: FileAccess = FileAccess.UNRESTRICTED, limits: Limits = Limits.NONE,
                 events: Optional[Iterable[str]] = None):
        self.figures: List[Figure] = []
        #: Exceptions raised by the output, display or event callbacks (the run goes on).
        self.callback_errors: List[BaseException] = []
        self._output = output or (lambda text: (sys.stdout.write(text), sys.stdout.flush()))
        self._display = display or self._keep_figure
        self._on_event = on_event
        self._pending: "queue.SimpleQueue" = queue.SimpleQueue()
        self._natives = []  # keeps registered callbacks alive
        # Held while a run is in progress: runs on one interpreter never overlap (they share the
        # callback queue, so a nested run would wait for a marker the outer wait consumed).
        self._running = threading.Lock()
        self._c_output = C.OUTPUT_FN(self._on_output)
        self._c_display = C.DISPLAY_FN(self._on_display)
        self._c_event = C.EVENT_FN(self._on_c_event) if on_event else ctypes.cast(None, C.EVENT_FN)
        arguments = [str(a).encode("utf-8") for a in args]
        array = (C.text * max(1, len(arguments)))(*arguments)
        self._handle = lib.msense_new(array, len(arguments), self._c_output, self._c_display, self._c_event, None)
        if not self._handle:
            raise ValueError(C.misuse())
        self._file_access, self._limits, self._events = FileAccess.UNRESTRICTED, Limits.NONE, Event.ALL
        self.file_access, self.limits = file_access, limits
        if events is not None:
            self.events = events

    # ---- sandbox -------------------------------------------------------------------------

    @property
    def file_access(self) -> FileAccess:
        """Which files scripts may read and write (default: FileAccess.UNRESTRICTED)."""
        return self._file_access

    @file_access.setter
    def file_access(self, access: FileAccess):
        self._check_open()
        if not isinstance(access, FileAccess):
            raise TypeError(f"file_access must be an msense.FileAccess, not {type(access).__name__}")
        root = None if access.root is None else os.fsencode(os.fspath(access.root))
        status = lib.msense_set_file_access(self._handle, int(bool(access.can_read)), int(bool(access.can_write)), root)
        if status != C.OK:
            raise ValueError(f"msense: {C.misuse()}")
        self._file_access = access

    @property
    def limits(self) -> Limits:
        """What each run may consume (default: Limits.NONE)."""
        return self._limits

    @limits.setter
    def limits(self, limits: Limits):
        self._check_open()
        if not isinstance(limits, Limits):
            raise TypeError(f"limits must be an msense.Limits, not {type(limits).__name__}")
        counts = []
        for name in ("steps", "memory_bytes"):
            value = getattr(limits, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63):
                raise ValueError(f"Limits.{name} must be None or a whole number from 0 to 2**63 - 1, not {value!r}")
            counts.append(C.UNLIMITED if value is None else value)
        if lib.msense_set_limits(self._handle, *counts) != C.OK:
            raise ValueError(f"msense: {C.misuse()}")
        self._limits = limits

    # ---- events --------------------------------------------------------------------------

    @property
    def events(self) -> FrozenSet[str]:
        """The types of run events `on_event` receives (default: Event.ALL, every type). Set a
        collection of "started", "row", "progress", "finished" between runs; without "row", runs
        gather no trace rows for the host and make no call per recorded row."""
        return self._events

    @events.setter
    def events(self, types: Iterable[str]):
        self._check_open()
        names = list(types) if not isinstance(types, (str, bytes)) and hasattr(types, "__iter__") else types
        mask = Event.mask(names)
        if lib.msense_set_events(self._handle, mask) != C.OK:  # only while running: the mask is checked
            raise RuntimeError(f"msense: {C.misuse()}")
        self._events = frozenset(names)

    # ---- running -------------------------------------------------------------------------

    def run(self, source: str, path: str = "<script>"):
        """Runs `source` (its imports are relative to `path`) and returns the value of its last
        statement when that is an expression, else None. Raises MSenseError with the
        diagnostics when it fails, KeyboardInterrupt when Ctrl-C stopped it (the interpreter and
        its globals stay usable)."""
        data = source.encode("utf-8")
        return self._call(lambda result: lib.msense_run(self._handle, data, len(data), path.encode("utf-8"), result))

    def run_showing(self, source: str, path: str = "<script>"):
        """`run`, returning (value, text): the text is what `print` would show for the value
        (None when the last statement is not an expression or is nil), except that a matrix of
        more than 1000 entries is shown by its corners and other text of more than 100 000
        characters by its ends (msense.summary). Front ends show it."""
        data = source.encode("utf-8")
        return self._call(lambda result: lib.msense_run(self._handle, data, len(data), path.encode("utf-8"), result),
                          with_text=True)

    def run_file(self, path: str):
        """Reads and runs the script at `path`."""
        return self._call(lambda result: lib.msense_run_file(self._handle, str(path).encode("utf-8"), result))

    def evaluate(self, source: str):
        """Evaluates a snippet in this interpreter's globals (as the REPL does) and returns its value."""
        data = source.encode("utf-8")
        return self._call(lambda result: lib.msense_evaluate(self._handle, data, len(data), result))

    def cancel(self):
        """Stops the run in progress (from any thread); it raises msense.Cancelled."""
        lib.msense_cancel(self._handle)

    def _call(self, body, with_text=False):
        """Runs `body` on a worker thread so that this thread can deliver callbacks and notice
        Ctrl-C: KeyboardInterrupt cancels the run, waits for it to stop, then propagates.
        A run while another is in progress (from a registered function or another thread) is
        a RuntimeError."""
        self._check_open()
        if not self._running.acquire(blocking=False):
            raise RuntimeError("msense: the interpreter is running; a registered Python function or another "
                               "thread cannot start a run on it (use another msense.Interpreter)")
        try:
            return self._call_alone(body, with_text)
        finally:
            self._running.release()

    def _call_alone(self, body, with_text):
        outcome = {}

        def work():
            result = C.handle()
            outcome["status"] = body(ctypes.byref(result))
            outcome["result"] = result.value
            self._pending.put(None)

        worker = threading.Thread(target=work, name="msense-run", daemon=True)
        interrupted = self._wait(worker)
        status = outcome.get("status", C.MISUSE)
        if interrupted and status == C.OK:
            # Ctrl-C came when the script had no more cancel points (during a long native call
            # that was its last): the run completed, and Ctrl-C still stops the caller.
            if outcome["result"]:
                lib.msense_value_free(outcome["result"])
            raise KeyboardInterrupt("msense: the run completed before it could be cancelled")
        if status == C.OK:
            handle = outcome["result"]
            if not with_text:
                return take(handle) if handle else None
            if not handle:
                return None, None
            return self._showing(handle)
        if status == C.MISUSE:
            raise RuntimeError(f"msense: {C.misuse()}")
        diagnostics = self._diagnostics()
        if status == C.CANCELLED:
            if interrupted:
                raise KeyboardInterrupt("msense: the run was cancelled")
            raise Cancelled(diagnostics)
        raise MSenseError(diagnostics)

    @staticmethod
    def _showing(handle):
        """The value of `handle` (then freed) and its text (`_text`)."""
        if Interpreter._large_matrix(handle):
            value = take(handle)  # one copy, for the value and its corners
            return value, summary.matrix_text(value)
        text = Interpreter._text(handle)
        return take(handle), text

    @staticmethod
    def _large_matrix(handle) -> bool:
        """Whether `handle` holds a matrix of more than summary.MAX_WHOLE entries."""
        if lib.msense_value_type(handle) != C.MATRIX:
            return False
        rows, cols = ctypes.c_size_t(), ctypes.c_size_t()
        lib.msense_value_matrix(handle, ctypes.byref(rows), ctypes.byref(cols))
        return rows.value * cols.value > summary.MAX_WHOLE

    @staticmethod
    def _text(handle) -> Optional[str]:
        """What `print` shows for the value of `handle` (borrowed), but a large matrix's corners,
        the ends of other long text (msense.summary) and None for nil."""
        if lib.msense_value_type(handle) == C.NIL:
            return None
        if Interpreter._large_matrix(handle):
            return summary.matrix_text(read(handle))
        return summary.long_text(lib.msense_value_display(handle).decode("utf-8", "replace"))

    def text(self, name: str) -> Optional[str]:
        """Global `name` as a cell ending in it shows it (`run_showing`'s text; "nil" for nil),
        without reading the value into Python; KeyError when it is not defined. Front ends show it."""
        self._check_open()
        handle = lib.msense_get_global(self._handle, name.encode("utf-8"))
        if not handle:
            raise KeyError(name)
        try:
            return "nil" if lib.msense_value_type(handle) == C.NIL else self._text(handle)
        finally:
            lib.msense_value_free(handle)

    def _wait(self, worker) -> bool:
        """Starts `worker` and runs the callbacks it queues until it puts its end marker (None).
        Printed text (queued as strings) is gathered and handed to `output` at most every
        OUTPUT_INTERVAL seconds, and before any other callback and the end of the run, so a
        script printing in a tight loop makes a few calls, not one per line (a notebook front
        end drops messages past a few thousand, the cell's end among them). Ctrl-C anywhere in
        here cancels the run and keeps waiting for it to stop (a cancel that arrives before the
        run starts is forgotten, so it is repeated); returns whether Ctrl-C was pressed."""
        interrupted = started = False
        text: List[str] = []
        since = 0.0

        def deliver(callback):
            try:
                callback()
            except Exception:  # noqa: BLE001 - a failing callback must not abandon the run
                self.callback_errors.append(sys.exc_info()[1])

        def flush():
            if text:
                joined = "".join(text)
                text.clear()
                deliver(lambda: self._output(joined))

        while True:
            try:
                if not started:
                    started = True
                    worker.start()
                while True:
                    try:
                        item = self._pending.get(timeout=0.05)
                    except queue.Empty:
                        flush()
                        if interrupted:
                            self.cancel()
                        continue
                    if isinstance(item, str):
                        if not text:
                            since = time.monotonic()
                        text.append(item)
                        if time.monotonic() - since >= self.OUTPUT_INTERVAL:
                            flush()
                        continue
                    flush()
                    if item is None:
                        worker.join()
                        return interrupted
                    deliver(item)
            except KeyboardInterrupt:
                interrupted = True
                if started:
                    self.cancel()
                else:
                    raise

    def _diagnostics(self) -> List[Diagnostic]:
        found = []
        for i in range(lib.msense_diagnostic_count(self._handle)):
            def field(which, i=i):
                value = lib.msense_diagnostic_text(self._handle, i, which)
                return value.decode("utf-8", "replace") if value is not None else None
            line, column = ctypes.c_long(), ctypes.c_long()
            lib.msense_diagnostic_position(self._handle, i, ctypes.byref(line), ctypes.byref(column))
            found.append(Diagnostic(field(C.SEVERITY), field(C.PATH), line.value, column.value, field(C.MESSAGE),
                                    field(C.HINT), field(C.SOURCE_LINE), field(C.RENDERED), field(C.RENDERED_COLOR)))
        return found

    # ---- callbacks (called on the run thread; queued for the calling thread) ---------------

    def _on_output(self, _user, text, length):
        self._pending.put(ctypes.string_at(text, length).decode("utf-8", "replace"))

    def _on_display(self, _user, count, mime_types, data, sizes):
        parts = {mime_types[i].decode(): ctypes.string_at(data[i], sizes[i]) for i in range(count)}
        figure = Figure(parts.get("image/png", b""), parts.get("image/svg+xml", b"").decode("utf-8"))
        self._pending.put(lambda: self._display(figure))

    def _on_c_event(self, _user, type, kind, done, total, count, columns, values):
        name = kind.decode() if kind else ""
        if type == C.EVENT_FINISHED:  # its count is whether the run completed; it has no columns
            event = Event("finished", name, done, total, [], [], completed=bool(count))
        else:
            event = Event(Event.TYPES.get(type, str(type)), name, done, total,
                          [columns[i].decode() for i in range(count)], [values[i] for i in range(count)])
        self._pending.put(lambda: self._on_event(event))

    def _keep_figure(self, figure: Figure):
        self.figures.append(figure)
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        if get_ipython() is not None:
            display(figure)

    # ---- globals -------------------------------------------------------------------------

    def __getitem__(self, name: str):
        """Global `name` as a Python value; KeyError when it is not defined."""
        self._check_open()
        handle = lib.msense_get_global(self._handle, name.encode("utf-8"))
        if not handle:
            raise KeyError(name)
        return take(handle)

    def __setitem__(self, name: str, value):
        """Defines global `name` from a Python value (numbers, strings, lists, dicts, 2-D arrays…)."""
        self._check_open()
        handle = make(value)
        try:
            if lib.msense_set_global(self._handle, name.encode("utf-8"), handle) != C.OK:
                raise ValueError(f"msense: {C.misuse()}")
        finally:
            lib.msense_value_free(handle)

    def __contains__(self, name: str) -> bool:
        self._check_open()
        handle = lib.msense_get_global(self._handle, name.encode("utf-8"))
        if handle:
            lib.msense_value_free(handle)
        return bool(handle)

    def get(self, name: str, default=None):
        return self[name] if name in self else default

    def names(self) -> List[str]:
        """The globals (variables and functions scripts and `m[…] = …` defined, and `args`; not
        builtins), sorted."""
        self._check_open()
        return [lib.msense_global_name(self._handle, i).decode() for i in range(lib.msense_globals(self._handle))]

    def globals(self) -> dict:
        """Every script-defined global as a Python value."""
        return {name: self[name] for name in self.names()}

    # ---- Python functions as builtins ----------------------------------------------------

    def register(self, function: Callable = None, *, name: Optional[str] = None, doc: Optional[str] = None):
        """Makes a Python callable an msense builtin (usable as a decorator). Its positional
        parameters become the builtin's; those with defaults are optional (omitted or nil ones
        take the Python default). Arguments arrive as Python values and the result goes back as
        an msense value; an exception becomes a script error at the call site."""
        if function is None:
            return lambda f: self.register(f, name=name, doc=doc)
        self._check_open()
        builtin_name = name or function.__name__
        parameters = [p for p in inspect.signature(function).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required = sum(1 for p in parameters if p.default is p.empty)
        if any(p.default is p.empty for p in parameters[required:]):
            raise ValueError("required parameters must come before optional ones")
        names = [p.name for p in parameters]

        def native(_user, call):
            try:
                arguments = [read(lib.msense_call_arg(call, i)) for i in range(lib.msense_call_count(call))]
                positional = arguments[:required]
                keywords = {names[i]: a for i, a in enumerate(arguments) if i >= required and a is not None}
                return make(function(*positional, **keywords))
            except BaseException as error:  # noqa: BLE001 - every failure becomes a script error
                message = str(error) or type(error).__name__
                lib.msense_call_fail(call, message.encode("utf-8", "replace"),
                                     f"raised {type(error).__name__} in the Python function {builtin_name}".encode())
                return None

        callback = C.NATIVE_FN(native)
        array = (C.text * max(1, len(names)))(*[n.encode() for n in names])
        text = (doc or inspect.getdoc(function) or "")
        defaults = [f"{p.name} = {_default_text(p.default)}" for p in parameters[required:] if p.default is not None]
        if defaults:  # the usage line says `= nil` (the C API has no defaults): say what nil means
            text += (" " if text else "") + "Omitted or nil: " + ", ".join(defaults) + "."
        text = text.encode("utf-8")
        if lib.msense_register(self._handle, builtin_name.encode("utf-8"), text, array, len(names), required, callback, None) != C.OK:
            raise ValueError(f"msense: cannot register {builtin_name!r} with parameters ({', '.join(names)}): "
                             f"{C.misuse()}; builtin and parameter names are msense identifiers, not keywords "
                             f"(give a lambda its name with register(f, name=...))")
        self._natives.append(callback)
        return function

    # ---- front-end help --------------------------------------------------------------------

    def complete(self, line: str, word: str) -> List[str]:
        """The REPL's completions of `word` at the end of `line` (the text before the cursor)."""
        self._check_open()
        count = lib.msense_complete(self._handle, line.encode("utf-8"), word.encode("utf-8"))
        return [lib.msense_completion(self._handle, i).decode() for i in range(count)]

    def help(self, name: str) -> Optional[str]:
        """The REPL's `:help NAME` text of a builtin, or None."""
        self._check_open()
        text = lib.msense_help(self._handle, name.encode("utf-8"))
        return text.decode("utf-8") if text is not None else None

    def is_incomplete(self, source: str) -> bool:
        """True when more lines could complete `source` (an open bracket or block)."""
        self._check_open()
        return lib.msense_is_incomplete(self._handle, source.encode("utf-8")) == 1

    # ---- life ------------------------------------------------------------------------------

    def _check_open(self):
        if not self._handle:
            raise ValueError("msense: the interpreter is closed")

    def close(self):
        """Frees the interpreter (values already read stay valid). While a run is in progress
        (from another thread, or a registered function) it is a RuntimeError: the library
        cannot free a running interpreter, so `cancel()` the run and close it afterwards."""
        if getattr(self, "_handle", None):
            if self._running.locked():
                raise RuntimeError("msense: the interpreter is running and cannot be closed; "
                                   "cancel() the run and close it when the run has returned")
            lib.msense_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def _default_text(value) -> str:
    """A Python default as msense writes the value: strings in double quotes, true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)
