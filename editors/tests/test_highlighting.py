"""The Pygments lexer and the TextMate grammar agree with grammar/msense.ebnf, and colour every
example without an error token."""

import json
import re
import shutil
import subprocess

import pytest
from pygments.lexers import get_lexer_by_name
from pygments.token import Error

from conftest import MALFORMED, ROOT, scripts

EBNF = (ROOT / "grammar" / "msense.ebnf").read_text(encoding="utf-8")
GRAMMAR = json.loads((ROOT / "editors" / "vscode" / "syntaxes" / "msense.tmLanguage.json").read_text(encoding="utf-8"))


def ebnf_keywords():
    """The spellings of the KEYWORD production."""
    production = re.search(r"^KEYWORD\s*=(.*?);", EBNF, re.S | re.M).group(1)
    return set(re.findall(r'"([a-z]+)"', production))


def ebnf_symbols():
    """Every quoted non-word terminal of the syntactic productions (before the lexical part)."""
    syntactic = EBNF.split("lexical grammar")[0]
    syntactic = re.sub(r"\(\*.*?\*\)", "", syntactic, flags=re.S)  # drop comments
    literals = set(re.findall(r'"([^"\w\s]+)"', syntactic)) | set(re.findall(r"'([^'\w\s]+)'", syntactic))
    return literals


def test_the_grammar_lists_are_found():
    assert {"let", "fn", "import", "nil"} <= ebnf_keywords()
    assert {"..=", "=>", "@", "'", "+=", ";"} <= ebnf_symbols()


def test_pygments_lists_match_the_grammar():
    import msense_pygments as m

    assert set(m.KEYWORDS) | set(m.CONSTANTS) == ebnf_keywords()
    assert set(m.OPERATORS) | set(m.PUNCTUATION) == ebnf_symbols()


def test_pygments_lexes_each_keyword_and_symbol_as_one_token():
    lexer = get_lexer_by_name("msense")
    for word in sorted(ebnf_keywords() | ebnf_symbols()):
        tokens = [t for t in lexer.get_tokens(word) if t[1] != "\n"]
        assert len(tokens) == 1 and tokens[0][0] is not Error, (word, tokens)


def textmate_matches(name_prefix):
    """The `match` regexes of the grammar whose scope name starts with `name_prefix`."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("name", "").startswith(name_prefix) and "match" in node:
                found.append(node["match"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(GRAMMAR)
    return found


def scope_of(text, prefixes):
    """The scope prefix whose regex matches all of `text`, or None."""
    for prefix in prefixes:
        for pattern in textmate_matches(prefix):
            if re.fullmatch(pattern.replace("\\b", ""), text):
                return prefix
    return None


def test_textmate_keywords_match_the_grammar():
    keyword_scopes = ["keyword.control", "storage.type", "keyword.operator.logical", "constant.language"]
    for word in ebnf_keywords():
        assert scope_of(word, keyword_scopes), word
    for not_keyword in ["lets", "iff", "nothing", "x"]:
        assert scope_of(not_keyword, keyword_scopes) is None, not_keyword
    listed = set()
    for prefix in keyword_scopes:
        for pattern in textmate_matches(prefix):
            listed |= set(re.findall(r"[a-z]+", pattern.replace("\\b", "")))
    assert listed == ebnf_keywords()


def test_textmate_operators_match_the_grammar():
    for symbol in ebnf_symbols():
        assert scope_of(symbol, ["keyword.operator", "punctuation"]), symbol


HIGHLIGHTED = [p for p in scripts("examples") + scripts("Tests/Scripts") if MALFORMED not in p.parents]


@pytest.mark.parametrize("path", HIGHLIGHTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_error_tokens(path):
    lexer = get_lexer_by_name("msense")
    errors = [(kind, value) for kind, value in lexer.get_tokens(path.read_text(encoding="utf-8")) if kind in Error]
    assert errors == []


def test_pygmentize_html_on_every_example():
    pygmentize = shutil.which("pygmentize", path=str(ROOT / ".build" / "venv" / "bin")) or shutil.which("pygmentize")
    assert pygmentize, "pygmentize is not installed"
    for path in scripts("examples"):
        html = subprocess.run([pygmentize, "-l", "msense", "-f", "html", str(path)],
                              check=True, capture_output=True, text=True).stdout
        assert 'class="err"' not in html, path
        assert 'class="k"' in html, path
