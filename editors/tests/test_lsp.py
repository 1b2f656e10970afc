"""End to end: a real LSP client (pytest-lsp) drives `msense lsp` over standard input/output."""

import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import MSENSE

HELPERS = """# Shared helpers.
fn helper(x) => 2 * x
"""

MAIN = """import "lib/helpers.msense"
let d = 20
print(lerning)
let y = helpr(d)
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(MSENSE), "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


def open_document(client, path, text, version=1):
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="msense", version=version, text=text)))
    return uri


def change_document(client, uri, text, version):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def at(line, character):
    return types.Position(line=line, character=character)


async def test_session(client: LanguageClient, tmp_path: pathlib.Path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "helpers.msense").write_text(HELPERS, encoding="utf-8")
    main = tmp_path / "main.msense"
    main.write_text(MAIN, encoding="utf-8")

    # Two errors, both reported at their ranges, the hint as related information.
    uri = open_document(client, main, MAIN)
    await client.wait_for_notification("textDocument/publishDiagnostics")
    diagnostics = sorted(client.diagnostics[uri], key=lambda d: d.range.start.line)
    assert [d.message for d in diagnostics] == ["'lerning' is not defined", "'helpr' is not defined"]
    assert diagnostics[0].range == types.Range(start=at(2, 6), end=at(2, 13))
    assert diagnostics[1].range == types.Range(start=at(3, 8), end=at(3, 13))
    assert "did you mean 'helper'?" in diagnostics[1].related_information[0].message

    # Completion of `gau` proposes `gaussian`.
    text = MAIN.replace("print(lerning)", "print(d)").replace("helpr", "helper") + "let A = gau\n"
    change_document(client, uri, text, 2)
    await client.wait_for_notification("textDocument/publishDiagnostics")
    assert [d.message for d in client.diagnostics[uri]] == ["'gau' is not defined"]  # while it is typed
    completion = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(4, 11)))
    labels = [item.label for item in completion.items]
    assert "gaussian" in labels and all(label.startswith("gau") for label in labels)

    # Hover on `gd` shows its signature and documentation.
    text = text.replace("let A = gau\n", "let A = gaussian(m: 100, d: d)\nlet run = gd(sensing(psd(d, eigs: [1.0]), A), init: small(d, 2), lr: 0.1, steps: 10)\n")
    change_document(client, uri, text, 3)
    await client.wait_for_notification("textDocument/publishDiagnostics")
    assert list(client.diagnostics[uri]) == []
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(5, 11)))
    assert "gd(problem, init, lr, steps" in hover.contents.value
    assert "Gradient descent" in hover.contents.value

    # Go to the definition of `helper` in the imported file.
    locations = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(3, 10)))
    assert len(locations) == 1
    assert locations[0].uri == (tmp_path / "lib" / "helpers.msense").as_uri()
    assert locations[0].range == types.Range(start=at(1, 3), end=at(1, 9))

    # Format a document.
    messy = tmp_path / "messy.msense"
    messy_uri = open_document(client, messy, "let x=[1,2]\nfor i in 0..2{print( x[i] )}\n")
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=messy_uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert len(edits) == 1
    assert edits[0].new_text == "let x = [1, 2]\nfor i in 0..2 { print(x[i]) }\n"


async def test_references_highlights_and_rename_of_a_parameter(client: LanguageClient, tmp_path: pathlib.Path):
    text = "fn scale(x, factor = 2) => x * factor\nprint(scale(1, factor: 3))\n"
    uri = open_document(client, tmp_path / "params.msense", text)
    await client.wait_for_notification("textDocument/publishDiagnostics")
    document = types.TextDocumentIdentifier(uri=uri)

    references = await client.text_document_references_async(types.ReferenceParams(
        text_document=document, position=at(0, 12), context=types.ReferenceContext(include_declaration=True)))
    assert [(r.range.start.line, r.range.start.character) for r in references] == [(0, 12), (0, 31), (1, 15)]
    assert all(r.uri == uri for r in references)

    highlights = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        text_document=document, position=at(1, 16)))
    assert [h.kind for h in highlights] == [types.DocumentHighlightKind.Write, types.DocumentHighlightKind.Text,
                                            types.DocumentHighlightKind.Text]

    # Renaming from the label renames the parameter, its use and the label.
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=document, position=at(1, 16), new_name="k"))
    starts = sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri])
    assert starts == [(0, 12), (0, 31), (1, 15)]


async def test_references_of_a_library_function_across_open_documents(client: LanguageClient, tmp_path: pathlib.Path):
    (tmp_path / "lib").mkdir()
    library = tmp_path / "lib" / "common.msense"
    library.write_text(HELPERS, encoding="utf-8")
    script_text = 'import "lib/common.msense"\nprint(helper(1), helper(2))\n'
    script = tmp_path / "run.msense"
    script.write_text(script_text, encoding="utf-8")
    script_uri = open_document(client, script, script_text)
    library_uri = open_document(client, library, HELPERS)
    await client.wait_for_notification("textDocument/publishDiagnostics")

    def places(references):
        return sorted((r.uri, r.range.start.line, r.range.start.character) for r in references)

    expected = [(library_uri, 1, 3), (script_uri, 1, 6), (script_uri, 1, 17)]
    # From the library's declaration: its uses in the script that imports it.
    from_library = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=library_uri), position=at(1, 4),
        context=types.ReferenceContext(include_declaration=True)))
    assert places(from_library) == sorted(expected)
    # From a use in the script: the same places, the declaration left out when not asked for.
    from_script = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=script_uri), position=at(1, 18),
        context=types.ReferenceContext(include_declaration=False)))
    assert places(from_script) == sorted(expected[1:])
    # Highlights stay in the document: both uses of the imported function.
    highlights = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        text_document=types.TextDocumentIdentifier(uri=script_uri), position=at(1, 7)))
    assert sorted((h.range.start.line, h.range.start.character) for h in highlights) == [(1, 6), (1, 17)]
