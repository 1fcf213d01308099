"""Code blocks in answers are highlighted (app/ui/highlight.py), readably in both themes."""

from __future__ import annotations

import functools

from PySide6.QtGui import QColor, QPalette, QTextFormat
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui import highlight
from app.ui.chat_view import MessageBody, MessageView
from app.ui.palette import AA_CONTRAST, contrast
from app.ui.theme import apply_theme
from tests.gui_helpers import MakeWindow

ANSWER = ('Here it is:\n\n```python\ndef grow(x):\n    # one more\n    return x + 1, "done"'
          '\n```\n\nand plain:\n\n```\ndef grow(x): return 1\n```\n\n```klingon\nqapla 1\n```\n')


def colours_of(body: MessageBody) -> dict[str, set[str]]:
    """The foreground colour of each piece of text in the document."""
    found: dict[str, set[str]] = {}
    block = body.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fmt = fragment.charFormat()
            colour = fmt.foreground().color().name() if fmt.hasProperty(
                QTextFormat.Property.ForegroundBrush) else "default"
            found.setdefault(fragment.text().strip(), set()).add(colour)
            fragments += 1
        block = block.next()
    return found


def test_python_tokens_get_their_own_colours_and_other_blocks_stay_plain(qtbot: QtBot):
    body = MessageBody()
    qtbot.addWidget(body)
    body.set_markdown(ANSWER)
    found = colours_of(body)
    keyword, comment, string = (found["def"], found["# one more"], found['"done"'])
    assert len(keyword | comment | string) == 3 and "default" not in keyword | comment | string
    assert found["def grow(x): return 1"] == {"default"}  # no language: plain
    assert found["qapla 1"] == {"default"}  # a language Pygments does not know
    # the text itself is unchanged: Copy copies the code exactly
    assert body.toPlainText().count("def grow(x):\n    # one more\n    return x + 1, \"done\"")


def test_every_token_colour_meets_aa_on_the_code_background_in_both_themes(qtbot: QtBot):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            view = MessageView("assistant", ANSWER)
            qtbot.addWidget(view)
            body = view.findChild(MessageBody)
            assert body is not None
            shade = body._code_shade()
            background = shade if shade.alpha() == 255 else body.palette().color(
                QPalette.ColorRole.Base)
            colours = highlight.kind_colours(background.rgb())
            assert set(colours) == set(highlight.HUES)
            for kind, colour in colours.items():
                assert contrast(colour, background) >= AA_CONTRAST, (theme, kind)
            used = {c for texts in colours_of(body).values() for c in texts} - {"default"}
            assert used and used <= {c.name() for c in colours.values()} | {
                body.palette().color(QPalette.ColorRole.Link).name()}
    finally:
        apply_theme(app, "light")


def test_the_theme_changes_the_token_colours(qtbot: QtBot):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    body = MessageBody()
    qtbot.addWidget(body)
    try:
        apply_theme(app, "light")
        body.set_markdown(ANSWER)
        light = colours_of(body)["def"]
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: colours_of(body)["def"] != light)
    finally:
        apply_theme(app, "light")


def test_lexing_is_cached_and_bounded():
    code = "x = 1\n" * 10
    first = highlight.token_spans("python", code)
    assert first and highlight.token_spans("python", code) is first  # kept, not lexed again
    assert highlight.token_spans("python", "x = 1\n" * 10_000) == ()  # too long: plain
    assert highlight.token_spans("", code) == ()
    # offsets index the code as given, tabs and blank first lines included
    code = "\n\n\tif x:\n\t\tpass\n"
    for start, length, _kind in highlight.token_spans("python", code):
        assert code[start:start + length].strip() in {"if", "pass"}


def test_highlight_is_not_loaded_before_a_code_block_is_shown():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
         "from app.ui.chat_view import MessageBody; b = MessageBody();"
         "b.set_markdown('No code here, `inline` only.');"
         "print('pygments' in sys.modules, 'app.ui.highlight' in sys.modules);"
         "b.set_markdown('```python\\nx = 1\\n```');"
         "print('pygments' in sys.modules)"],
        capture_output=True, text=True, check=True, timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.split() == ["False", "False", "True"], done.stdout + done.stderr


def test_colour_choice_falls_back_to_black_or_white():
    # a mid grey background: no hue reaches 4.5:1 at the tried lightness, the text does
    colours = highlight.kind_colours(QColor(128, 128, 128).rgb())
    assert all(contrast(c, QColor(128, 128, 128)) >= AA_CONTRAST or c.name() in
               ("#000000", "#ffffff") for c in colours.values())


def test_a_long_block_still_being_written_waits_for_its_closing_fence(qtbot: QtBot):
    """While an answer streams, its open block is lexed again at each redraw: past
    MOST_OPEN_HIGHLIGHTED characters it stays plain until the fence closes."""
    from app.ui.chat_view import MOST_OPEN_HIGHLIGHTED, open_code_block

    body = MessageBody()
    qtbot.addWidget(body)
    short = "```python\ndef f():\n    return 1\n"
    long = short + "x = 1\n" * (MOST_OPEN_HIGHLIGHTED // 6 + 1)
    assert open_code_block(short) and not open_code_block(long + "```\n")
    def first_word() -> set[str]:
        return next(c for text, c in colours_of(body).items() if text.startswith("def"))

    body.set_markdown(short)
    assert first_word() != {"default"}
    body.set_markdown(long)
    assert first_word() == {"default"}
    body.set_markdown(long + "```\n\nDone.")
    assert first_word() != {"default"}


def test_an_answer_prepares_the_highlighter_off_the_gui_thread(qtbot: QtBot,
                                                               make_window: MakeWindow):
    """The first code block would otherwise import Pygments and build its lexer on the
    GUI thread (a 30-70 ms stall in the benchmark)."""
    import threading

    from app.ui import worker
    from tests.fakes import FakeEngine
    from tests.gui_helpers import type_and_send, wait_ready

    worker._highlighting_ready.clear()
    highlight._lexer.cache_clear()
    highlight.token_spans.cache_clear()
    built_on: list[str] = []
    real_lexer = highlight._lexer.__wrapped__

    def lexer(language: str) -> object:
        built_on.append(threading.current_thread().name)
        return real_lexer(language)

    highlight._lexer = functools.lru_cache(maxsize=64)(lexer)
    try:
        window = make_window(FakeEngine(words=["```python\n", "x = 1\n", "```"], delay=0.3))
        type_and_send(qtbot, window, "Some code, please")
        qtbot.waitUntil(lambda: len(built_on) >= len(highlight.PREPARED_LANGUAGES))
        wait_ready(qtbot, window)
        assert set(built_on[:len(highlight.PREPARED_LANGUAGES)]) == {"llamadesk-highlight"}
        assert highlight.token_spans("python", "x = 1")  # ready for the GUI thread
    finally:
        highlight._lexer = functools.lru_cache(maxsize=64)(real_lexer)
