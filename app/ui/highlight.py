"""Syntax highlighting of the code blocks in answers, with Pygments' lexers.

Colours are not a fixed Pygments style: each kind of token has a hue, and its lightness
is chosen against the code block's own background (light or dark theme, or whatever
the system's palette is) so that every token's text meets WCAG AA (4.5:1), like the
rest of the window's text.  Lexing happens on the GUI thread when a message is drawn;
a block's tokens are kept (a completed block is lexed once), and a block over
``MOST_HIGHLIGHTED`` characters is shown plain.  Pygments is imported by the first
highlighted block, not at start-up.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtGui import QColor

from app.ui.palette import AA_CONTRAST, contrast, luminance

MOST_HIGHLIGHTED = 40_000  # characters: a longer block stays plain (lexing ~1 ms per KB)

# The kinds of tokens that get a colour, by Pygments' token type (the most specific
# one wins: Name.Builtin before Name), and the hue of each (HSL hue, 0-1).
KINDS: tuple[tuple[str, str], ...] = (
    ("Comment", "comment"),
    ("Keyword", "keyword"),
    ("Operator.Word", "keyword"),
    ("Name.Builtin", "builtin"),
    ("Name.Function", "function"),
    ("Name.Class", "function"),
    ("Name.Decorator", "builtin"),
    ("Name.Tag", "keyword"),
    ("Name.Attribute", "builtin"),
    ("Literal.String", "string"),
    ("Literal.Number", "number"),
    ("Literal", "number"),
)
HUES: dict[str, float | None] = {
    "comment": None,  # grey
    "keyword": 0.78,  # purple
    "builtin": 0.52,  # teal
    "function": 0.60,  # blue
    "string": 0.33,  # green
    "number": 0.07,  # orange
}


@functools.lru_cache(maxsize=512)
def token_spans(language: str, code: str) -> tuple[tuple[int, int, str], ...]:
    """(start, length, kind) of each coloured token of ``code``; () for a language
    Pygments does not know (or is not shipped), no language, or a block too long."""
    if not language or len(code) > MOST_HIGHLIGHTED:
        return ()
    lexer = _lexer(language.lower())
    if lexer is None:
        return ()
    spans: list[tuple[int, int, str]] = []
    try:
        for start, token, value in lexer.get_tokens_unprocessed(code):
            kind = _kind(str(token))
            if kind is not None and value.strip():
                spans.append((start, len(value), kind))
    except Exception:  # a lexer's bug must not cost the message
        return ()
    return tuple(spans)


# Languages whose highlighting the self-test (`llamadesk --self-test`) reports: a frozen
# bundle must carry their lexers.
SELF_TEST_LANGUAGES = ("python", "javascript", "typescript", "c++", "rust", "go", "java",
                       "bash", "json", "yaml", "html", "css", "sql")
_SAMPLE = 'x = f(1, "two")  # three\n<b class="four">5</b>\n'


PREPARED_LANGUAGES = ("python", "javascript", "bash", "json", "c++")


def prepare_lexers() -> None:
    """Import Pygments and build (compile the rules of) the commonest lexers, so that
    the first code block costs only its lexing (worker.prepare_highlighting)."""
    languages_highlighted(PREPARED_LANGUAGES)


def languages_highlighted(languages: tuple[str, ...]) -> list[str]:
    """Those of ``languages`` whose code gets colours (their lexers are here)."""
    return [language for language in languages if token_spans(language, _SAMPLE)]


@functools.lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # pragma: no cover - Pygments is a dependency
        return None
    try:
        # offsets into the code as given: no newline stripped or added, tabs kept
        return get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)
    except (ClassNotFound, ImportError):  # unknown, or its module left out of the bundle
        return None


@functools.lru_cache(maxsize=256)
def _kind(token: str) -> str | None:
    """The kind of a token type such as 'Token.Literal.String.Double'."""
    name = token.removeprefix("Token.")
    for prefix, kind in KINDS:
        if name == prefix or name.startswith(prefix + "."):
            return kind
    return None


@functools.lru_cache(maxsize=16)
def kind_colours(background: int) -> dict[str, QColor]:
    """A colour per kind that reads at AA contrast on ``background`` (its RGB)."""
    back = QColor.fromRgb(background)
    dark = luminance(back) < 0.4
    colours: dict[str, QColor] = {}
    for kind, hue in HUES.items():
        steps = (0.62, 0.66, 0.70, 0.74, 0.78, 0.82, 0.86, 0.90) if dark else \
            (0.42, 0.38, 0.34, 0.30, 0.26, 0.22, 0.18, 0.14)
        chosen = QColor("white" if dark else "black")
        for lightness in steps:
            colour = QColor.fromHslF(hue if hue is not None else 0.0,
                                     0.0 if hue is None else 0.7, lightness)
            if contrast(colour, back) >= AA_CONTRAST:
                chosen = colour
                break
        colours[kind] = chosen
    return colours
