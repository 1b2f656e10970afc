"""The Python package over the C API: values, globals, Python builtins, figures, errors, cancel."""
import copy
import gc
import os
import pickle
import signal
import threading
import time

import numpy as np
import pytest

import msense

EXPERIMENT = """
seed(3)
let problem = sensing(psd(8, eigs: [1.0, 0.5]), gaussian(m: 200, d: 8))
let run = gd(problem, init: small(8, 3, alpha: 1e-3), lr: 0.1, steps: 200, every: 10)
run
"""


@pytest.fixture
def m():
    printed = []
    interpreter = msense.Interpreter(args=["first", "second"], output=printed.append)
    interpreter.printed = printed
    yield interpreter
    interpreter.close()


def test_scalars_strings_lists_records_ranges(m):
    assert m.evaluate("1 + 2") == 3 and isinstance(m.evaluate("1 + 2"), int)
    assert m.evaluate("1 / 4") == 0.25
    assert m.evaluate('"α" + "β"') == "αβ"
    assert m.evaluate("true and not false") is True
    assert m.evaluate("nil") is None
    assert m.evaluate('[1, "two", [3]]') == [1.0, "two", [3.0]]
    assert m.evaluate("{lr: 0.05, name: \"gd\"}") == {"lr": 0.05, "name": "gd"}
    assert m.evaluate("2..5") == range(2, 5)
    assert m.evaluate("args") == ["first", "second"]


def test_print_goes_to_output_and_globals_persist(m):
    m.run('let greeting = "hello"\nprint(greeting, 42)')
    assert "".join(m.printed) == "hello 42\n"
    assert m["greeting"] == "hello"
    assert "greeting" in m.names()
    assert m.globals()["greeting"] == "hello"
    with pytest.raises(KeyError):
        m["no_such_name"]


def test_matrices_are_numpy_arrays_both_ways(m):
    a = m.evaluate("[1, 2, 3; 4, 5, 6]")
    assert isinstance(a, np.ndarray) and a.shape == (2, 3) and a.dtype == np.float64
    assert a[1, 0] == 4
    m["B"] = np.arange(6.0).reshape(3, 2)
    assert m.evaluate("B[2, 1]") == 5.0
    assert m.evaluate("B.rows * 10 + B.cols") == 32.0
    np.testing.assert_array_equal(m["B"], np.arange(6.0).reshape(3, 2))
    m["C"] = np.asfortranarray(np.arange(4.0).reshape(2, 2))
    assert m.evaluate("C[0, 1]") == 1.0  # Fortran-ordered input keeps its element positions


def test_runs_and_traces(m):
    run = m.run(EXPERIMENT, path="experiment.msense")
    assert isinstance(run, msense.Object) and run.type == "run"
    assert "trace" in run.fields and run.loss < 0.01
    trace = run.trace
    assert isinstance(trace, msense.Trace)
    assert list(trace)[:3] == ["step", "loss", "rel_err"]
    assert trace.rows == 21 and trace["step"][-1] == 200
    assert trace["loss"][-1] < trace["loss"][0]
    assert trace["loss"].dtype == np.float64
    assert run["loss"] == run.loss


def test_trace_to_pandas(m):
    pandas = pytest.importorskip("pandas")
    frame = m.run(EXPERIMENT).trace.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns)[:2] == ["step", "loss"]


def test_a_sweep_table_reads_as_columns_and_to_pandas(m):
    pandas = pytest.importorskip("pandas")
    table = m.run('sweep({alpha: [0.1, 0.01]}, fn(p) => {loss: p.alpha * 2, stop: "budget", phase1: nil}, jobs: 1)')
    assert table.type == "table" and table.loss == [0.2, 0.02] and table.columns[0] == "alpha"
    frame = table.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == table.columns
    assert list(frame["stop"]) == ["budget", "budget"] and frame["loss"].tolist() == [0.2, 0.02]
    with pytest.raises(TypeError, match="takes a table"):
        m.run(EXPERIMENT).to_pandas()


def test_trace_without_pandas_says_what_to_install(m, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="pip install pandas"):
        m.run(EXPERIMENT).trace.to_pandas()


def test_objects_pass_back_into_scripts(m):
    run = m.run(EXPERIMENT)
    m["again"] = run
    assert m.evaluate("again.steps") == 200.0


def test_objects_copy_and_refuse_pickling_clearly(m):
    run = m.run(EXPERIMENT)
    for copied in (copy.copy(run), copy.deepcopy(run)):
        assert copied.type == "run" and copied.steps == 200
    del copied
    gc.collect()
    assert run.steps == 200  # the original keeps its own handle
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(run)
    with pytest.raises(AttributeError, match="no field 'nope'"):
        run.nope


def test_python_functions_become_builtins(m):
    @m.register
    def scaled_norm(x, factor=1.0):
        """‖x‖_F times factor."""
        return float(np.linalg.norm(np.asarray(x))) * factor

    assert m.evaluate("scaled_norm([3, 4])") == 5.0
    assert m.evaluate("scaled_norm([3, 4], factor: 2)") == 10.0
    assert m.evaluate("scaled_norm([0, 3; 4, 0])") == 5.0
    assert "‖x‖_F times factor." in m.help("scaled_norm")

    def explode(x):
        raise ValueError(f"cannot use {x}")

    m.register(explode, name="explode")
    with pytest.raises(msense.MSenseError) as failure:
        m.run("let a = 1\nexplode(a + 1)", path="calls.msense")
    error = failure.value
    assert error.line == 2 and "cannot use 2" in error.message
    assert "ValueError" in error.hint and "calls.msense:2:" in str(error)


def test_python_functions_run_on_the_interpreter_thread_in_parallel_sweeps(m):
    # A sweep with jobs > 1 that may call a registered function runs its points in the
    # interpreter: the function is entered once at a time, from one thread, once per call.
    threads, inside, most = set(), [0], [0]

    @m.register
    def probe(x):
        threads.add(threading.get_ident())
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        inside[0] -= 1
        return x * 10

    table = m.run("let first = probe(0)\nfn f(p) => {y: probe(p.a) + first}\n"
                  "sweep({a: [1, 2, 3, 4, 5, 6, 7, 8]}, f, jobs: 4)")
    assert table.y == [10, 20, 30, 40, 50, 60, 70, 80]
    assert (len(threads), most[0]) == (1, 1)


def test_diagnostics_are_structured(m):
    with pytest.raises(msense.MSenseError) as failure:
        m.run("let x = 1\nprint(x +)\nlet y = (", path="broken.msense")
    error = failure.value
    assert len(error.diagnostics) == 2  # every syntax error of the file at once, nothing run
    first = error.diagnostics[0]
    assert (first.path, first.line, first.severity) == ("broken.msense", 2, "error")
    assert first.source_line == "print(x +)" and first.column == 10
    assert "^" in first.rendered and first.rendered.startswith("broken.msense:2:10: error:")
    assert "\x1b[" in first.rendered_color and "\x1b[" not in first.rendered
    with pytest.raises(msense.MSenseError) as failure:
        m.evaluate("let alpha = 1\nalpah")
    assert "alpha" in failure.value.hint


def test_figures_without_a_path_are_shown(m):
    m.run(EXPERIMENT)
    assert m.evaluate("plot(run.trace, y: [\"loss\", \"rel_err\"], log_y: true)") is None
    assert m.evaluate("figure([panel([line(run.trace.step, run.trace.loss)])], title: \"t\")") is None
    assert m.evaluate("show(panel([line([0, 1], [1, 2])]))") is True
    assert len(m.figures) == 3
    figure = m.figures[0]
    assert figure.png.startswith(b"\x89PNG") and "<svg" in figure.svg


def test_figure_save_is_atomic(tmp_path):
    target = tmp_path / "loss.png"
    msense.Figure(b"\x89PNG old", "<svg/>").save(str(target))
    assert target.read_bytes() == b"\x89PNG old"
    with pytest.raises(TypeError):
        msense.Figure(None, "<svg/>").save(target)  # the write fails: the old figure stays whole
    assert target.read_bytes() == b"\x89PNG old"
    assert [p.name for p in tmp_path.iterdir()] == ["loss.png"]  # no temporary left behind
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # permissions as open() gives them


def test_run_events(m):
    events = []
    with msense.Interpreter(on_event=events.append) as watched:
        watched.run(EXPERIMENT)
    kinds = [e.type for e in events]
    assert kinds[0] == "started" and kinds[-1] == "finished" and kinds.count("row") == 21
    row = next(e for e in events if e.type == "row")
    assert row.kind == "gd" and row.columns[:2] == ["step", "loss"]



def test_the_finished_event_says_whether_the_run_completed():
    heard = []
    m = msense.Interpreter(on_event=heard.append)
    m.run("gd(sensing(psd(6, eigs: [1.0]), gaussian(m: 120, d: 6)), init: small(6, 2, alpha: 1e-3), lr: 0.1, steps: 50)")
    finished = [e for e in heard if e.type == "finished"]
    assert [(e.kind, e.done, e.total, e.completed) for e in finished] == [("gd", 50, 50, True)]
    assert all(e.completed is None for e in heard if e.type != "finished")
    with pytest.raises(msense.MSenseError):
        m.run("sweep({a: [1, 2]}, fn(p) => {x: [1, 2][p.a * 10]})")
    assert (heard[-1].type, heard[-1].kind, heard[-1].done, heard[-1].completed) == ("finished", "sweep", 2, False)
    m.close()


def test_the_host_chooses_which_events_it_hears():
    events = []
    with msense.Interpreter(on_event=events.append, events={"started", "finished"}) as watched:
        assert watched.events == {"started", "finished"}
        watched.run(EXPERIMENT)
        assert [e.type for e in events] == ["started", "finished"]
        events.clear()
        watched.events = ["row"]
        watched.run(EXPERIMENT)
        assert len(events) == 21 and all(e.type == "row" for e in events)
        events.clear()
        watched.events = msense.Event.ALL
        watched.run(EXPERIMENT)
        assert [e.type for e in events].count("row") == 21 and events[0].type == "started"
    assert msense.Interpreter().events == {"started", "row", "progress", "finished"}


def test_unknown_event_types_are_refused_clearly(m):
    with pytest.raises(ValueError, match="unknown event type 'rows': the types are 'started', 'row', 'progress', 'finished'"):
        m.events = {"rows"}
    with pytest.raises(TypeError, match="collection of event types"):
        m.events = "progress"
    with pytest.raises(TypeError, match="an event type is a string, not int"):
        m.events = [2]
    with pytest.raises(TypeError, match="collection of event types"):
        msense.Interpreter(events=4)
    assert m.events == msense.Event.ALL  # unchanged by the refused settings
    m.events = set()
    assert m.events == frozenset()


def test_events_cannot_change_while_a_run_goes_on(m):
    @m.register
    def change_events():
        m.events = {"progress"}

    with pytest.raises(msense.MSenseError, match="the interpreter is running"):
        m.evaluate("change_events()")
    assert m.events == msense.Event.ALL


LOOP = 'let k = 0\nprint("looping")\nwhile true { k = k + 1 }'


def test_cancel_from_another_thread():
    # The cancel is sent once the loop runs (a cancel that arrives before a run starts is forgotten).
    m = msense.Interpreter(output=lambda text: threading.Timer(0.1, m.cancel).start())
    with pytest.raises(msense.Cancelled) as failure:
        m.run(LOOP)
    assert failure.value.message == "cancelled"
    assert m["k"] > 0  # the session is kept


def test_ctrl_c_raises_keyboard_interrupt_and_keeps_the_session():
    m = msense.Interpreter(output=lambda text: os.kill(os.getpid(), signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        m.run(LOOP)
    assert m.evaluate("k + 0") > 0


def test_ctrl_c_is_not_lost_when_the_run_completes_before_it_can_stop():
    m = msense.Interpreter()

    @m.register
    def slow(x):  # a long call with no cancel point after it, as a big svd at a script's end
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.3)
        return x

    with pytest.raises(KeyboardInterrupt):
        m.run("let y = slow(7)")
    assert m["y"] == 7  # the run completed
    assert m.evaluate("1 + 1") == 2


def test_closing_a_running_interpreter_is_refused_not_leaked():
    looping = threading.Event()
    m = msense.Interpreter(output=lambda text: looping.set())
    outcome = {}

    def work():
        try:
            m.run(LOOP)
        except msense.Cancelled as error:
            outcome["cancelled"] = error

    worker = threading.Thread(target=work)
    worker.start()
    assert looping.wait(30)
    with pytest.raises(RuntimeError, match="cannot be closed"):
        m.close()
    m.cancel()
    worker.join(30)
    assert outcome["cancelled"].message == "cancelled"  # the run's diagnostics, read from a live interpreter
    m.close()
    with pytest.raises(ValueError, match="closed"):
        m.evaluate("1")


def test_a_failing_output_callback_does_not_abandon_the_run():
    def broken(text):
        raise RuntimeError("sink is full")

    m = msense.Interpreter(output=broken)
    assert m.run('print("a")\nprint("b")\n42') == 42
    # the two lines arrive together or apart (output is gathered over OUTPUT_INTERVAL)
    assert [str(e) for e in m.callback_errors] in (["sink is full"], ["sink is full", "sink is full"])


def test_completion_and_help_match_the_repl(m):
    assert "gaussian" in m.complete("let e = gau", "gau")
    m.run(EXPERIMENT)
    assert m.complete("run.tr", "tr") == ["trace"]
    assert "lr:" in m.complete("gd(problem, l", "l")
    assert m.help("gd").startswith("gd(problem")
    assert m.help("no_such_builtin") is None
    assert m.is_incomplete("for i in 0..3 {") and not m.is_incomplete("1 + 1")


def test_bad_input_is_an_exception_not_a_crash(m):
    with pytest.raises(TypeError):
        m["x"] = object()
    with pytest.raises(ValueError):
        m["while"] = 1  # a keyword
    with pytest.raises(ValueError, match="at most 8 dimensions"):
        m["t"] = np.zeros((1,) * 9)
    m["t"] = list(np.arange(8.0).reshape(2, 2, 2))  # a list of matrices is a stack too
    assert m.evaluate('str(given_stack(t))') == "ensemble(given_stack, m: 2, 2×2)"
    with pytest.raises(msense.MSenseError):
        m.run_file("/no/such/file.msense")
    with pytest.raises(msense.MSenseError, match="not a regular file") as device:
        m.run_file("/dev/zero")  # refused at once, not read
    assert "run it as source" in device.value.hint
    m.close()
    with pytest.raises(ValueError, match="closed"):
        m.evaluate("1")


def test_arrays_going_in_hold_real_numbers_or_are_refused(m):
    m["scalar"] = np.array(2.5)  # a 0-D array is a number
    assert m.evaluate("scalar * 2") == 5
    m["objects"] = np.array([[1, 2.5]], dtype=object)
    assert m.evaluate("objects[0, 1]") == 2.5
    for array in (np.array([[1 + 2j, 3]]), np.array([1 + 2j]), np.array([["1.5"]]), np.array([[None]])):
        with pytest.raises(TypeError, match="real numbers"):
            m["bad"] = array  # never an imaginary part dropped, text read as a number or None as NaN
    assert "bad" not in m


def test_integer_arrays_hold_exact_doubles_or_are_refused(m):
    for array in (np.array([2**53 + 1]), np.array([[1, 2**53 + 1]]), np.array(2**53 + 1),
                  np.array([2**63, 2**64 - 1], dtype=np.uint64), np.array([2**63 - 1]), np.array([1, 2**53 + 1], dtype=object)):
        with pytest.raises(ValueError, match=r"not one exactly; pass a\.astype\(float\)"):
            m["big"] = array  # as for one integer: never a silently different number
    assert "big" not in m
    m["big"] = np.array([2**53, -2**63, 2**60])  # exact doubles, however large
    assert m.evaluate("big[2]") == 2**60 and m.evaluate("big[1]") == -2**63
    m["big"] = np.array([2**63, 2**63 + 2048], dtype=np.uint64)  # above 2⁶³, exact when the 11 low bits are 0
    assert m.evaluate("big[0]") == 2**63 and m.evaluate("big[1]") == 2**63 + 2048
    with pytest.raises(ValueError, match="beyond the largest one"):
        m["huge"] = np.array([10**400], dtype=object)  # never an OverflowError from the cast
    m["near"] = np.array([2**53 + 1]).astype(float)
    assert m.evaluate("near[0]") == 2**53


def test_masked_entries_are_never_read_as_data(m):
    with pytest.raises(TypeError, match="filled"):
        m["observed"] = np.ma.masked_array([[1.0, 2.0]], mask=[[False, True]])
    assert "observed" not in m
    m["observed"] = np.ma.masked_array([[1.0, 2.0]], mask=[[False, True]]).filled(np.nan)
    assert np.isnan(m["observed"][0, 1])
    m["whole"] = np.ma.masked_array([[1.0, 2.0]])  # nothing masked
    assert m["whole"].tolist() == [[1.0, 2.0]]


class _ArrayLike:
    """What a pandas Series or DataFrame, or a CPU tensor, offers NumPy: `__array__`."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


class _Unconvertible:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("cannot convert a tensor that requires grad")


def test_array_likes_go_in_as_their_numpy_arrays(m):
    m["frame"] = _ArrayLike([[1, 2], [3, 4.5]])  # a DataFrame's values: a matrix
    assert m.evaluate("frame.rows") == 2 and m.evaluate("frame[1, 1]") == 4.5
    m["series"] = _ArrayLike([0.5, 1.5, 2.5])  # a Series: a list of numbers
    assert m.evaluate("len(series)") == 3 and m.evaluate("series[2]") == 2.5
    m["objects"] = _ArrayLike(np.array([1.0, 2], dtype=object))  # an object column of numbers
    assert m.evaluate("objects[1]") == 2
    with pytest.raises(TypeError, match="_ArrayLike whose values are real numbers.*dtype <U1"):
        m["text"] = _ArrayLike(["a", "b"])
    with pytest.raises(TypeError, match="cannot read a _Unconvertible as an array: cannot convert a tensor"):
        m["tensor"] = _Unconvertible()
    assert "text" not in m and "tensor" not in m


def test_vectors_cross_as_lists_of_numbers_both_ways(m):
    vector = np.linspace(-1, 1, 1_000_001)
    m["v"] = vector  # one call for the whole array, not a handle per number
    assert m.evaluate("len(v)") == 1_000_001 and m.evaluate("v[500000]") == 0 and m.evaluate("v[-1]") == 1
    back = m["v"]
    assert isinstance(back, list) and back == vector.tolist()
    m["w"] = np.array([1.0, 2.5, -0.0, 3, np.inf, np.nan, 2.0**53, -7])
    w = m["w"]
    assert [type(x) for x in w] == [int, float, float, int, float, float, float, int]
    assert w[:2] == [1, 2.5] and np.signbit(w[2]) and w[3] == 3 and w[4] == np.inf and np.isnan(w[5])
    m["plain"] = [1, 2.5, 2**53, -3]  # a Python list of numbers takes the same road
    assert m.evaluate("plain") == [1, 2.5, 2**53, -3] and isinstance(m.evaluate("plain[0]"), int)
    m["mixed"] = [1, True, "x", [2.0], None]  # anything else keeps its own kind
    assert m.evaluate("mixed") == [1, True, "x", [2], None] and m.evaluate("mixed[1]") is True
    assert m.evaluate('[1, 2.5, "three", 4]') == [1, 2.5, "three", 4]  # read in bulk up to "three"
    assert m.evaluate("[]") == [] and m.evaluate("range(3, 6)") == [3, 4, 5]
    m["empty"] = np.zeros(0)
    assert m.evaluate("len(empty)") == 0


def test_stacks_cross_as_arrays_both_ways(m):
    stack = np.random.default_rng(1).standard_normal((30, 4, 3))
    m["A"] = stack  # what load("A.npy") gives a script
    assert m.evaluate("A.shape") == [30, 4, 3] and m.evaluate("type(A)") == "array"
    assert m.evaluate("str(given_stack(A))") == "ensemble(given_stack, m: 30, 4×3)"
    assert m.evaluate("A[2][1, 0]") == stack[2, 1, 0]
    back = m["A"]
    assert isinstance(back, np.ndarray) and back.shape == (30, 4, 3) and np.array_equal(back, stack)
    m["B"] = np.asfortranarray(np.arange(24.0).reshape(2, 3, 4))  # any memory order
    assert m.evaluate("B[1][2, 3]") == 23
    m["E"] = np.zeros((0, 2, 2))
    assert m.evaluate("E.shape") == [0, 2, 2] and m["E"].shape == (0, 2, 2)
    with pytest.raises(msense.MSenseError, match="a host array: measurement matrices must be an \\(m, d, d\\) array"):
        m.run("explicit(A)")  # 4×3 matrices cannot be symmetric


def test_negative_zero_keeps_its_sign(m):
    value = m.evaluate("0 * -1")
    assert value == 0 and isinstance(value, float) and np.signbit(value)
    assert isinstance(m.evaluate("0 * 1"), int)


def test_a_large_matrix_result_is_shown_by_its_corners(m):
    value, text = m.run_showing("zeros(2000, 2000) + 1/3")
    assert value.shape == (2000, 2000)
    assert text.startswith("2000×2000 matrix, elided:\n[0.3333333333333333, ") and len(text) < 2000
    assert text.count("\n") == 7 and "⋮" in text and "…" in text
    small, small_text = m.run_showing("[1, 2; 3, 4.5]")
    assert small_text == "[1, 2; 3, 4.5]"  # small matrices as print shows them


def test_a_large_matrix_inside_a_list_or_record_is_not_shown_whole(m):
    m.run("let X = zeros(500, 500) + 1/3")
    for source in ("[X]", "{weights: X}"):
        value, text = m.run_showing(source)
        assert len(text) < 101_000 and "characters left out" in text
        assert text.startswith(source[0] + ("[0.3333333333333333, " if source == "[X]" else "weights: [0.3"))
    assert np.array_equal(value["weights"], np.full((500, 500), 1 / 3))  # the value itself is whole


def test_a_run_inside_a_run_is_an_error_not_a_hang(m):
    @m.register
    def nested(x):
        return m.evaluate("1 + 1")

    with pytest.raises(msense.MSenseError, match="the interpreter is running") as error:
        m.evaluate("nested(1)")
    assert error.value.hint == "raised RuntimeError in the Python function nested"
    started, outcome = threading.Event(), {}
    m.register(lambda: started.set(), name="started")

    def endless():
        try:
            m.run("started()\nwhile true { }")
        except msense.Cancelled as cancelled:
            outcome["cancelled"] = cancelled

    worker = threading.Thread(target=endless)
    worker.start()
    assert started.wait(60)
    with pytest.raises(RuntimeError, match="running"):
        m.evaluate("2")  # from another thread while the run goes on
    m.cancel()
    worker.join(60)
    assert "cancelled" in outcome
    assert m.evaluate("3") == 3


def test_a_name_msense_cannot_use_is_named_in_the_error(m):
    with pytest.raises(ValueError, match=r"cannot register '<lambda>'.*name=") as lam:
        m.register(lambda x: x)
    assert "(x)" in str(lam.value)

    def f(let):
        return let

    with pytest.raises(ValueError, match=r"cannot register 'f' with parameters \(let\)"):
        m.register(f)
    m.register(lambda x: 2 * x, name="double")
    assert m.evaluate("double(2)") == 4


def test_help_of_a_python_builtin_states_its_python_defaults(m):
    @m.register
    def scaled(x, scale=2.5, label="a", flag=True, nothing=None):
        """x times scale."""
        return x * scale

    assert m.help("scaled") == ('scaled(x, scale = nil, label = nil, flag = nil, nothing = nil)\n'
                                '  x times scale. Omitted or nil: scale = 2.5, label = "a", flag = true.')
    assert m.evaluate("scaled(2)") == 5


def test_integers_going_in_are_exact_or_refused(m):
    m["big"] = 2**53
    assert m.evaluate("big - 1") == 2**53 - 1
    m["power"] = 2**64  # a power of two is exact
    assert m["power"] == 2.0**64
    for integer in (2**53 + 1, -(2**60 + 1), 10**400, np.int64(2**62 + 1)):
        with pytest.raises(ValueError, match="not one exactly|beyond the largest"):
            m["inexact"] = integer  # never silently a different number
    m["rounded"] = float(2**53 + 1)  # the nearest double, when asked for
    assert m["rounded"] == 2.0**53
