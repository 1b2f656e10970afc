"""The Jupyter kernel through a real client (jupyter_client): execution, streams, errors, figures,
rich results, progress, interrupt, completion, inspection, kernel info."""
import time

import pytest

jupyter_client = pytest.importorskip("jupyter_client")
from jupyter_client.manager import start_new_kernel  # noqa: E402

EXPERIMENT = """seed(5)
let problem = sensing(psd(10, eigs: [1.0, 0.5]), gaussian(m: 300, d: 10))
let run = gd(problem, init: small(10, 3, alpha: 1e-4), lr: 0.1, steps: 400, every: 10)
run"""


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name="msense", startup_timeout=180)
    yield manager, client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def execute(client, code, timeout=180):
    """Runs `code`; returns (reply content, iopub messages of this request)."""
    msg_id = client.execute(code)
    messages = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = client.get_iopub_msg(timeout=timeout)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
        messages.append(message)
    return reply_to(client, msg_id, timeout), messages


def reply_to(client, msg_id, timeout=120):
    """The shell reply to request `msg_id` (skipping replies to earlier requests)."""
    while True:
        reply = client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def of_type(messages, kind):
    return [m["content"] for m in messages if m["msg_type"] == kind]


def progress_bars(messages):
    """The progress bars a cell showed, and the labels of their updates in order."""
    bars = [d for d in of_type(messages, "display_data") if "<progress" in d["data"].get("text/html", "")]
    return bars, [u["data"]["text/plain"] for u in of_type(messages, "update_display_data")]


def one_finished_progress_bar(messages, name, total):
    """The labels of the one progress bar of a cell that ran `name` over `total` steps to its end."""
    bars, labels = progress_bars(messages)
    assert len(bars) == 1 and bars[0]["data"]["text/plain"] == f"{name}: 0/{total}"
    assert labels[-1] == f"{name}: finished"
    return labels


def test_kernel_info_names_msense(kernel):
    _, client = kernel
    msg_id = client.kernel_info()
    reply = reply_to(client, msg_id)
    assert reply["language_info"]["name"] == "msense"
    assert reply["language_info"]["pygments_lexer"] == "msense"
    assert reply["language_info"]["file_extension"] == ".msense"


def test_cells_share_one_interpreter_and_print_streams(kernel):
    _, client = kernel
    reply, _ = execute(client, "let shared = 21")
    assert reply["status"] == "ok"
    reply, messages = execute(client, "print(\"twice:\", shared * 2)\nshared + 1")
    assert reply["status"] == "ok"
    assert "".join(s["text"] for s in of_type(messages, "stream")) == "twice: 42\n"
    assert of_type(messages, "execute_result")[0]["data"]["text/plain"] == "22"



def test_a_cell_printing_in_a_loop_sends_its_output_in_a_few_messages(kernel):
    _, client = kernel
    reply, messages = execute(client, "for i in 0..20000 { print(i) }", timeout=60)
    assert reply["status"] == "ok"
    streams = of_type(messages, "stream")
    text = "".join(s["text"] for s in streams)
    assert text == "".join(f"{i}\n" for i in range(20000))  # nothing lost, the cell's end (idle) arrived
    assert len(streams) < 1000  # one message per line made the front end drop messages

def test_errors_show_the_located_diagnostic(kernel):
    _, client = kernel
    reply, messages = execute(client, "let x = 1\nprint(x +)")
    assert reply["status"] == "error" and reply["ename"] == "MSenseError"
    error = of_type(messages, "error")[0]
    text = "\n".join(error["traceback"])
    assert "2:10" in text and "print(x +)" in text and "^" in text
    reply, _ = execute(client, "shared")  # the session survives errors
    assert reply["status"] == "ok"


def test_figures_without_a_path_are_inline_png_and_svg(kernel):
    _, client = kernel
    reply, messages = execute(client, EXPERIMENT + "\nplot(run.trace, y: [\"loss\"], log_y: true)")
    assert reply["status"] == "ok"
    figures = [d for d in of_type(messages, "display_data") if "image/png" in d["data"]]
    assert len(figures) == 1
    assert figures[0]["data"]["image/png"].startswith("iVBORw0KGgo")  # base64 of the PNG signature
    assert "<svg" in figures[0]["data"]["image/svg+xml"]


def test_runs_traces_and_matrices_display_as_html(kernel):
    _, client = kernel
    execute(client, EXPERIMENT)
    _, messages = execute(client, "run.trace")
    data = of_type(messages, "execute_result")[0]["data"]
    assert data["text/plain"].startswith("trace(41 rows")
    assert "<table" in data["text/html"] and "<polyline" in data["text/html"] and "⋮" in data["text/html"]
    _, messages = execute(client, "run")
    assert "rel_err" in of_type(messages, "execute_result")[0]["data"]["text/html"]
    _, messages = execute(client, "[1, 2; 3, 4]")
    assert "2×2 matrix" in of_type(messages, "execute_result")[0]["data"]["text/html"]
    _, messages = execute(client, "zeros(500, 400)")
    data = of_type(messages, "execute_result")[0]["data"]
    assert data["text/plain"].startswith("500×400 matrix, elided:") and len(data["text/plain"]) < 1000


def test_sweep_tables_and_whole_number_fields_display_as_html(kernel):
    _, client = kernel
    execute(client, EXPERIMENT)
    _, messages = execute(client, "problem")
    assert "<th>m</th><td>300</td>" in of_type(messages, "execute_result")[0]["data"]["text/html"]
    _, messages = execute(client, "run")
    markup = of_type(messages, "execute_result")[0]["data"]["text/html"]
    assert "<th>steps</th><td>400</td>" in markup and "None" not in markup
    _, messages = execute(client, 'sweep({alpha: [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]}, '
                                  'fn(p) => {loss: p.alpha * 2, stop: "budget", phase1: nil})')
    markup = of_type(messages, "execute_result")[0]["data"]["text/html"]
    assert "9 rows × 6 columns" in markup and "⋮" in markup  # alpha, seed_index, seed, loss, stop, phase1
    assert "<td>1e-10</td><td>0</td>" in markup and "<td>budget</td><td>nil</td>" in markup


def test_long_runs_show_a_progress_bar(kernel):
    _, client = kernel
    _, messages = execute(client, "let slow = gd(problem, init: small(10, 3, alpha: 1e-4), lr: 0.1, steps: 60000, every: 1000)")
    bars = [d for d in of_type(messages, "display_data") if "<progress" in d["data"].get("text/html", "")]
    assert len(bars) == 1
    updates = of_type(messages, "update_display_data")
    assert updates and updates[-1]["data"]["text/plain"] == "gd: finished"
    assert all(u["transient"]["display_id"] == bars[0]["transient"]["display_id"] for u in updates)


def test_a_progress_bar_ends_as_the_run_did(kernel):
    _, client = kernel
    _, messages = execute(client, "gd(problem, init: small(10, 3, alpha: 1e-4), lr: 0.1, steps: 600, every: 10, "
                                  "stop: fn(r) => r.step >= 200)")
    assert progress_bars(messages)[1][-1] == "gd: finished at 200/600"  # a stop rule's early end
    reply, messages = execute(client, "gd(problem, init: small(10, 3, alpha: 1e-4), lr: 1e6, steps: 600, every: 10)")
    assert reply["status"] == "error"
    label = progress_bars(messages)[1][-1]
    assert label.startswith("gd: failed at ") and label.endswith("/600"), label  # never "finished"


def test_a_long_minimize_shows_a_progress_bar_that_moves(kernel):
    _, client = kernel
    code = ("let slow_min = minimize(fn(x) => (x - 3) ^ 2, init: 1, optimizer: descent(lr: 1e-6), "
            "steps: 400000, every: 1000)")
    reply, messages = execute(client, code)
    assert reply["status"] == "ok"
    labels = one_finished_progress_bar(messages, "minimize", 400000)
    assert any(label.startswith("minimize: ") and label.endswith("/400000") for label in labels[:-1]), labels


def test_interrupt_stops_the_run_and_keeps_the_session(kernel):
    manager, client = kernel
    execute(client, "let counter = 0")
    # stop_on_error=False: the next cell must run, not be aborted with the requests that
    # ipykernel discards after an error (a window a loaded machine can widen).
    msg_id = client.execute("print(\"looping\")\nwhile true { counter = counter + 1 }", stop_on_error=False)
    while True:  # interrupt once the loop runs (an interrupt between cells is ignored by ipykernel)
        message = client.get_iopub_msg(timeout=120)
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "stream":
            break
    time.sleep(0.2)
    manager.interrupt_kernel()
    reply = reply_to(client, msg_id)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    reply, messages = execute(client, "counter > 0")
    assert reply["status"] == "ok"
    assert of_type(messages, "execute_result")[0]["data"]["text/plain"] == "true"


def test_tab_completion_uses_the_repl_completions(kernel):
    _, client = kernel
    execute(client, EXPERIMENT)
    msg_id = client.complete("let e = gau", 11)
    reply = reply_to(client, msg_id)
    assert "gaussian" in reply["matches"] and reply["cursor_start"] == 8
    code = "run.tr"
    msg_id = client.complete(code, len(code))
    assert reply_to(client, msg_id)["matches"] == ["trace"]
    code = "gd(problem, l"
    msg_id = client.complete(code, len(code))
    assert "lr:" in reply_to(client, msg_id)["matches"]
    code = 'print("str run.'  # inside a string: nothing, as in an editor
    msg_id = client.complete(code, len(code))
    assert reply_to(client, msg_id)["matches"] == []
    msg_id = client.complete("gd(", 100)  # a position past the end counts as the end
    reply = reply_to(client, msg_id)
    assert reply["cursor_start"] == 3 and reply["cursor_end"] == 3 and "problem:" in reply["matches"]


def test_shift_tab_shows_the_help_text(kernel):
    _, client = kernel
    code = "gd(problem, "
    msg_id = client.inspect(code, len(code))
    reply = reply_to(client, msg_id)
    assert reply["found"] and reply["data"]["text/plain"].startswith("gd(problem")
    assert "example:" in reply["data"]["text/plain"]
    msg_id = client.inspect("sqrt", 2)
    assert reply_to(client, msg_id)["data"]["text/plain"].startswith("sqrt(x)")


def test_a_name_with_a_question_mark_shows_its_help_and_magics_are_explained(kernel):
    _, client = kernel
    for cell in ["gd?", "?gd", "  gd??  "]:
        reply, messages = execute(client, cell)
        assert reply["status"] == "ok"
        assert "".join(m["text"] for m in of_type(messages, "stream")).startswith("gd(problem")
    reply, _ = execute(client, "nothing_here?")
    assert reply["status"] == "error" and reply["evalue"] == "'nothing_here' is not defined"
    reply, messages = execute(client, "%time 1")
    assert reply["status"] == "error" and "clock()" in "\n".join(of_type(messages, "error")[0]["traceback"])
    reply, _ = execute(client, "1 % 1")  # the remainder operator is untouched
    assert reply["status"] == "ok"


def test_shift_tab_on_a_variable_shows_it_as_msense_does_and_elided(kernel):
    _, client = kernel
    execute(client, 'let pair = {name: "a", weights: [1, 2.5; 3, 4]}\nlet many = []\n'
                    'for i in 0..100000 { push(many, i) }\nlet wide = zeros(100, 100)')
    msg_id = client.inspect("pair", 4)
    assert reply_to(client, msg_id)["data"]["text/plain"] == 'pair = {name: "a", weights: [1, 2.5; 3, 4]}'
    msg_id = client.inspect("many", 4)
    text = reply_to(client, msg_id)["data"]["text/plain"]
    assert text.startswith("many = [0, 1, 2, ") and len(text) < 101_000 and "characters left out" in text
    msg_id = client.inspect("wide", 4)
    assert reply_to(client, msg_id)["data"]["text/plain"].startswith("wide = 100×100 matrix, elided:")
    execute(client, "let nothing = nil")
    msg_id = client.inspect("nothing", 7)
    assert reply_to(client, msg_id)["data"]["text/plain"] == "nothing = nil"


def test_is_complete(kernel):
    _, client = kernel
    msg_id = client.is_complete("for i in 0..3 {")
    assert reply_to(client, msg_id)["status"] == "incomplete"
    msg_id = client.is_complete("1 + 1")
    assert reply_to(client, msg_id)["status"] == "complete"


def test_install_command_writes_the_kernel_spec(tmp_path):
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "msense", "kernel", "install", "--prefix", str(tmp_path)],
                            capture_output=True, text=True, check=True)
    spec_file = tmp_path / "share/jupyter/kernels/msense/kernel.json"
    assert str(spec_file.parent) in result.stdout
    spec = json.loads(spec_file.read_text())
    assert spec["argv"][1:3] == ["-m", "msense.kernel"] and spec["language"] == "msense"
    assert spec["interrupt_mode"] == "signal"


def test_sweeps_show_a_progress_bar_and_their_table(kernel):
    _, client = kernel
    code = ('fn point(p) {\n    return {doubled: p.a * 2}\n}\n'
            'let swept = sweep({a: [1, 2, 3, 4]}, point, jobs: 1)\nswept')
    reply, messages = execute(client, code)
    assert reply["status"] == "ok"
    one_finished_progress_bar(messages, "sweep", 4)
    assert of_type(messages, "execute_result")


def test_a_kernel_spec_environment_confines_the_cells(tmp_path):
    import os

    environment = dict(os.environ, MSENSE_ROOT=str(tmp_path), MSENSE_MAX_STEPS="2000")
    manager, client = start_new_kernel(kernel_name="msense", startup_timeout=180, env=environment)
    try:
        reply, _ = execute(client, 'save([1, 2], "inside.json")')
        assert reply["status"] == "ok" and (tmp_path / "inside.json").exists()
        reply, _ = execute(client, 'load("/etc/hostname")', timeout=60)
        assert reply["status"] == "error" and "outside the directory" in reply["evalue"]
        reply, _ = execute(client, "let k = 0\nwhile true { k = k + 1 }", timeout=60)
        assert reply["status"] == "error" and "step limit exceeded" in reply["evalue"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
