"""Pygments lexer for msense: `pygmentize -l msense`.

The token classes follow grammar/msense.ebnf: KEYWORD, NUMBER, STRING (with escapes and
``\\( … )`` interpolations), COMMENT, IDENT and the operators and punctuation of the grammar.
The keyword and operator lists are checked against the grammar by editors/tests.
"""

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace)

__all__ = ["MsenseLexer", "KEYWORDS", "CONSTANTS", "OPERATORS", "PUNCTUATION"]

#: Keywords of the grammar's KEYWORD production, without the constants.
KEYWORDS = ("let", "fn", "return", "if", "else", "for", "in", "while", "break", "continue",
            "and", "or", "not", "import", "try", "catch")
#: Keywords that are values.
CONSTANTS = ("true", "false", "nil")
#: Operator tokens, longest first so that `..=` wins over `..` and `==` over `=`.
OPERATORS = ("..=", "..", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "=>",
             "+", "-", "*", "/", "%", "^", "@", "<", ">", "=", "'")
#: Punctuation tokens.
PUNCTUATION = ("(", ")", "[", "]", "{", "}", ",", ":", ";", ".")


class MsenseLexer(RegexLexer):
    """Lexer for msense scripts (`.msense`)."""

    name = "msense"
    aliases = ["msense"]
    filenames = ["*.msense"]
    mimetypes = ["text/x-msense"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            (r"[ \t\r]+", Whitespace),
            (r"#.*$", Comment.Single),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (r"(fn)(\s+)([A-Za-z_][A-Za-z0-9_]*)", bygroups(Keyword, Whitespace, Name.Function)),
            (r"\d(?:_?\d)*(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?", Number),
            (r'"', String.Double, "string"),
            (r"[A-Za-z_][A-Za-z0-9_]*(?=\s*\()", Name.Function),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (words(OPERATORS), Operator),
            (words(PUNCTUATION), Punctuation),
        ],
        "string": [
            (r'"', String.Double, "#pop"),
            (r'\\[nt"\\]', String.Escape),
            (r"\\u\{[0-9A-Fa-f]{1,6}\}", String.Escape),
            (r"\\\(", String.Interpol, "interpolation"),
            (r'[^"\\\n]+', String.Double),
        ],
        "interpolation": [
            (r"\)", String.Interpol, "#pop"),
            (r"\(", Punctuation, "parenthesis"),
            include("root"),
        ],
        "parenthesis": [
            (r"\)", Punctuation, "#pop"),
            (r"\(", Punctuation, "#push"),
            include("root"),
        ],
    }
