"""`msense lsp` driven over raw standard input/output by a client that breaks the rules: positions
inside surrogate pairs and past every end, line breaks of every kind, edits that overlap or run
past the document, renames the server must refuse, a Content-Length that lies, ids that cannot
be echoed, and requests outside the lifecycle. Every request gets exactly one reply, per the
Language Server Protocol (3.17) and JSON-RPC 2.0."""

import json
import os
import select
import subprocess
import time

import pytest

from conftest import MSENSE

URI = "file:///nowhere/adversarial.msense"
TEXT = "let v = 1  # 𝔸\r\nfn f(a, b) {\r    let c = a + b\n    return c\r\n}\rprint(\"😀e\u0301\", v, f(a: 1, b: 2))"
POSITIONS = [(line, character) for line in (-1, 0, 1, 2, 5, 6, 99) for character in (-3, 0, 1, 5, 6, 7, 9, 10, 99, 2**40)]
METHODS = ["textDocument/completion", "textDocument/hover", "textDocument/signatureHelp", "textDocument/definition",
           "textDocument/references", "textDocument/documentHighlight", "textDocument/prepareRename"]


class Server:
    def __init__(self):
        self.process = subprocess.Popen([str(MSENSE), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.buffer = b""
        self.next_id = 0

    def raw(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                length = int(self.buffer[:end].split(b":")[1])
                if len(self.buffer) >= end + 4 + length:
                    message = json.loads(self.buffer[end + 4:end + 4 + length])
                    self.buffer = self.buffer[end + 4 + length:]
                    return message
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.reply(self.next_id)

    def reply(self, id):
        while True:
            message = self.read()
            assert message is not None, "no reply"
            if "method" not in message and message.get("id") == id:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def open(self, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "msense", "version": version,
                                                               "text": text}})

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=20)


@pytest.fixture
def server():
    s = Server()
    assert "result" in s.request("initialize", {"capabilities": {}})
    s.notify("initialized", {})
    yield s
    if s.process.poll() is None:
        s.close()


def at(line, character, **extra):
    return {"textDocument": {"uri": URI}, "position": {"line": line, "character": character}, **extra}


def error_code(reply):
    return reply.get("error", {}).get("code")


def test_every_position_of_a_document_of_every_line_break(server):
    server.open(TEXT)
    for line, character in POSITIONS:
        for method in METHODS:
            reply = server.request(method, at(line, character))
            assert "result" in reply or error_code(reply) == -32602, (method, line, character, reply)
    for method in ["textDocument/documentSymbol", "textDocument/semanticTokens/full", "textDocument/formatting"]:
        assert "result" in server.request(method, {"textDocument": {"uri": URI}, "options": {}})
    # Line 5 is `print("😀é", v, …)`: the emoji is two UTF-16 units, e and its accent two more.
    hover = server.request("textDocument/hover", at(5, 14))["result"]
    assert hover["range"]["start"] == {"line": 5, "character": 14} and "let v = 1" in hover["contents"]["value"]
    assert "result" in server.request("textDocument/hover", at(5, 8))  # inside the emoji's surrogate pair


def test_edits_that_overlap_run_past_the_end_or_split_line_breaks(server):
    server.open(TEXT)
    changes = [
        {"range": {"start": {"line": 9, "character": 0}, "end": {"line": 99, "character": 9}}, "text": "\nprint(1)"},
        {"range": {"start": {"line": 2, "character": 9}, "end": {"line": 1, "character": 2}}, "text": "x"},
        {"range": {"start": {"line": 0, "character": 99}, "end": {"line": 1, "character": 0}}, "text": "\r"},
        {"range": {"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}}, "text": "\n"},
        {"text": 5},
    ]
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": changes})
    assert "result" in server.request("textDocument/semanticTokens/full", {"textDocument": {"uri": URI}})
    for line, character in POSITIONS[::7]:
        assert "result" in server.request("textDocument/hover", at(line, character))


def test_renames_the_server_refuses(server):
    server.open("fn f(x) {\n    let y = gaussian(m: 2, d: x)\n    return y\n}\nlet top = f(x: 3)\n")
    for new_name in ["", "1x", "let", "a b", "α", "y", "gaussian", "top"]:
        reply = server.request("textDocument/rename", at(0, 5, newName=new_name))
        assert error_code(reply) == -32803, (new_name, reply)
    assert error_code(server.request("textDocument/rename", at(1, 14, newName="g"))) == -32803  # a builtin
    assert error_code(server.request("textDocument/rename", at(1, 22, newName="g"))) == -32803  # its label
    assert server.request("textDocument/references", at(1, 22, context={"includeDeclaration": True}))["result"] == []
    edits = server.request("textDocument/rename", at(4, 12, newName="z"))["result"]["changes"][URI]
    assert len(edits) == 3  # the parameter, its use and the label at the call


def test_a_lying_content_length_loses_one_message(server):
    body = json.dumps({"jsonrpc": "2.0", "id": 100, "method": "shutdownx"}).encode()
    server.raw(b"Content-Length: 10\r\n\r\n" + body)
    assert error_code(server.read()) == -32700
    reply = server.request("textDocument/unknown", {})
    assert error_code(reply) == -32601


def test_requests_outside_the_lifecycle():
    server = Server()
    server.send({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": at(0, 0)})
    assert error_code(server.reply(1)) == -32002
    assert "result" in server.request("initialize", {"capabilities": {}})
    server.send({"jsonrpc": "2.0", "id": [3], "method": "initialize"})
    reply = server.read()
    assert reply["id"] is None and error_code(reply) == -32600
    assert error_code(server.request("textDocument/hover", at(0, 0))) == -32602  # not open
    server.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 7}})
    assert server.request("shutdown", None)["result"] is None
    assert error_code(server.request("initialize", {"capabilities": {}})) == -32600
    server.notify("exit", None)
    assert server.process.wait(timeout=20) == 0
