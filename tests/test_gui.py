"""The chat window, offscreen: a fake engine for timing-sensitive logic, and the
real model for the whole path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontInfo, QTextCursor
from pytestqt.qtbot import QtBot

from app.backend.errors import ModelFileError
from app.backend.models import builtin_model
from app.backend.settings import Settings
from app.ui.chat_view import MessageBody
from app.ui.main_window import State
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, stored, type_and_send, wait_ready


def test_enter_sends_and_shift_enter_adds_a_line(qtbot: QtBot, make_window: MakeWindow):
    engine = FakeEngine(words=["Fine", ", thanks."])
    window = make_window(engine)
    qtbot.keyClicks(window.composer, "first line")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.composer, "second line")
    assert window.composer.toPlainText() == "first line\nsecond line"
    assert window.chat.messages == []
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_ready(qtbot, window)
    assert window.composer.toPlainText() == ""
    assert [m.role for m in window.chat.messages] == ["user", "assistant"]
    assert stored(window) == [("user", "complete", "first line\nsecond line"),
                              ("assistant", "complete", "Fine, thanks.")]
    assert window.chat.messages[0].text == "first line\nsecond line"
    assert window.chat.messages[1].text == "Fine, thanks."
    assert engine.requests[0][-1].content == "first line\nsecond line"
    assert "2 tokens" in window.chat.messages[1].note.text()


def test_send_becomes_stop_and_esc_stops_keeping_the_text(qtbot: QtBot,
                                                         make_window: MakeWindow):
    window = make_window(FakeEngine(words=["word "] * 5000, delay=0.005))
    type_and_send(qtbot, window, "talk")
    qtbot.waitUntil(lambda: window.chat.messages[-1].text.startswith("word word"))
    assert window.state is State.GENERATING
    assert window.send_button.text() == "Stop"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.state is State.READY, timeout=5000)
    assert window.send_button.text() == "Send"
    kept = window.chat.messages[-1].text
    assert kept.count("word") < 5000
    assert stored(window)[-1] == ("assistant", "stopped", kept)  # what was written is kept
    assert "stopped" in window.chat.messages[-1].note.text()


def test_stop_button_stops(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["x "] * 5000, delay=0.005))
    type_and_send(qtbot, window, "go")
    qtbot.waitUntil(lambda: bool(window.chat.messages[-1].text))
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is State.READY, timeout=5000)
    assert "stopped" in window.chat.messages[-1].note.text()


def test_streamed_text_is_applied_in_batches_to_the_last_message_only(
        qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch):
    renders: dict[int, int] = {}
    original = MessageBody.set_markdown

    def counting(self: MessageBody, text: str) -> None:
        renders[id(self)] = renders.get(id(self), 0) + 1
        original(self, text)

    monkeypatch.setattr(MessageBody, "set_markdown", counting)
    tokens = 400
    window = make_window(FakeEngine(words=["t "] * tokens, delay=0.002))
    type_and_send(qtbot, window, "earlier")
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "stream")
    qtbot.waitUntil(lambda: window.chat.messages[-1].text.startswith("t t"))
    renders.clear()  # from here on the answer is streaming
    wait_ready(qtbot, window)
    user, answer = window.chat.messages[-2:]
    assert answer.text == "t " * tokens
    assert renders.get(id(answer.body), 0) < tokens / 4  # batched, not per token
    assert id(user.body) not in renders  # the question is not rendered again
    earlier = window.chat.messages[:2]
    assert all(id(m.body) not in renders for m in earlier)  # never re-rendered


def test_markdown_headings_lists_and_monospace_code(qtbot: QtBot):
    body = MessageBody()
    qtbot.addWidget(body)
    body.set_markdown("# Title\n\n- one\n- two\n\n```python\nprint('hi')\n```\n\nafter")
    document = body.document()
    blocks = []
    block = document.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    texts = [b.text() for b in blocks]
    assert texts[0] == "Title" and blocks[0].blockFormat().headingLevel() == 1
    assert blocks[1].textList() is not None and texts[1:3] == ["one", "two"]
    code = next(b for b in blocks if b.text() == "print('hi')")
    cursor = QTextCursor(code)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    font = cursor.charFormat().font()
    assert cursor.charFormat().fontFixedPitch() or QFontInfo(font).fixedPitch()
    assert code.blockFormat().background().style() != Qt.BrushStyle.NoBrush  # shaded
    plain = next(b for b in blocks if b.text() == "after")
    assert not QTextCursor(plain).charFormat().fontFixedPitch()


def test_message_html_is_shown_as_text(qtbot: QtBot):
    body = MessageBody()
    qtbot.addWidget(body)
    body.set_markdown('<b>bold?</b> <img src="file:///etc/passwd"> <script>x()</script>')
    assert "<b>bold?</b>" in body.toPlainText()
    assert "<script>" in body.toPlainText()
    assert body.document().allFormats()  # rendered something
    assert "img" not in body.toHtml().split("<body")[1].replace("&lt;img", "")


def test_a_model_that_cannot_load_gives_a_message_and_no_send(qtbot: QtBot,
                                                                make_window: MakeWindow):
    error = ModelFileError("model.gguf is not a GGUF model file (it starts with b'<htm').")
    window = make_window(FakeEngine(load_error=error))
    assert window.state is State.NO_MODEL
    assert window.errors.isVisible()
    assert "not a GGUF model file" in window.errors.label.text()
    assert not window.send_button.isEnabled()
    type_and_send(qtbot, window, "hello?")
    assert window.chat.messages == []  # nothing sent, and the text is still there
    assert window.composer.toPlainText() == "hello?"


def test_missing_builtin_model_is_reported(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(), model=None)
    assert window.state is State.NO_MODEL
    assert not window.send_button.isEnabled()


def test_status_bar_shows_model_backend_speed_and_context(qtbot: QtBot,
                                                          make_window: MakeWindow):
    window = make_window(FakeEngine(words=["a", "b", "c", "d"]))
    assert "Fake model" in window.model_label.text()
    assert window.backend_label.text() == "CPU, 1 thread"
    assert window.context_label.text() == "context 0 / 4,096"
    type_and_send(qtbot, window, "x")
    wait_ready(qtbot, window)
    assert window.speed_label.text() == "8.0 tokens/s"  # fake: 4 tokens in 0.5 s
    assert window.context_label.text() == "context 14 / 4,096"


def test_links_in_answers_open_only_for_web_schemes(qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toString()))
    body = MessageBody()
    qtbot.addWidget(body)
    for link in ("javascript:alert(1)", "file:///etc/passwd", "https://example.org/a"):
        body.anchorClicked.emit(QUrl(link))
    assert opened == ["https://example.org/a"]


@pytest.mark.real_model
def test_real_model_type_send_stream_stop_and_send_again(qtbot: QtBot,
                                                        make_window: MakeWindow):
    settings = Settings.of(threads=1, context_size=1024, max_tokens=400, temperature=0.8)
    window = make_window(None, builtin_model(), settings)
    assert window.state is State.READY, window.errors.label.text()
    assert "SmolLM2 135M (built in)" in window.model_label.text()
    assert window.backend_label.text() == "CPU, 1 thread"

    type_and_send(qtbot, window, "Tell me a long story about a lighthouse keeper.")
    answer = window.chat.messages[-1]
    qtbot.waitUntil(lambda: len(answer.text.split()) >= 5, timeout=60_000)
    assert window.send_button.text() == "Stop"
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is State.READY, timeout=10_000)
    stopped_text = answer.text
    assert stopped_text and stored(window)[-1] == ("assistant", "stopped", stopped_text)
    assert "stopped" in answer.note.text()

    type_and_send(qtbot, window, "Now say goodbye.")
    qtbot.waitUntil(lambda: window.state is State.READY and len(stored(window)) == 4,
                    timeout=60_000)
    second = window.chat.messages[-1]
    assert second.text.strip() and stored(window)[-1][1] == "complete"
    assert stored(window)[1] == ("assistant", "stopped", stopped_text)  # left alone
    assert window.speed_label.text().endswith("tokens/s")
    used = int(window.context_label.text().split()[1].replace(",", ""))
    assert used > 20


def test_code_blocks_are_found_closed_or_cut_off():
    from app.ui.chat_view import code_blocks

    text = "A\n```python\nprint(1)\n```\nB\n~~~\nraw\n~~~\n```sh\necho cut off"
    assert code_blocks(text) == [("python", "print(1)"), ("", "raw"), ("sh", "echo cut off")]
    assert code_blocks("no code here ``` inline") == []


def test_code_blocks_inside_lists_and_quotes_are_found():
    from app.ui.chat_view import code_blocks

    text = ("1. Install:\n\n   ```sh\n   pip install x\n   ```\n2. Run:\n\n"
            "   ```python {.numbered}\n   import x\n   x.run()\n   ```\n\n"
            "> quoted\n> ```\n> q\n> ```\n\n    indented is not fenced\n")
    assert code_blocks(text) == [("sh", "pip install x"), ("python", "import x\nx.run()"),
                                 ("", "q")]


def test_a_cpu_fallback_is_said_in_the_window(qtbot: QtBot, make_window: MakeWindow):
    from dataclasses import replace

    from tests.fakes import fake_facts

    class FallbackEngine(FakeEngine):
        def load(self, path, options=None, on_progress=None):
            return replace(fake_facts(path), fallback="the GPU build could not load (x)")

    window = make_window(FallbackEngine())
    assert "Running on the CPU: the GPU build could not load (x)." in window.errors.label.text()


def test_sending_does_not_render_earlier_messages_again(
        qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch):
    window = make_window(FakeEngine(words=["answer"]))
    type_and_send(qtbot, window, "first")
    wait_ready(qtbot, window)
    earlier_views = list(window.chat.messages)
    earlier = {id(v.body) for v in earlier_views}
    renders: list[int] = []
    original = MessageBody.set_markdown

    def counting(self: MessageBody, text: str) -> None:
        renders.append(id(self))
        original(self, text)

    monkeypatch.setattr(MessageBody, "set_markdown", counting)
    type_and_send(qtbot, window, "second")
    wait_ready(qtbot, window)
    window.chat.messages[-1].regenerate_button.click()
    wait_ready(qtbot, window)
    assert [v.text for v in window.chat.messages] == ["first", "answer", "second", "answer"]
    assert all(a is b for a, b in zip(window.chat.messages[:2], earlier_views, strict=True))
    assert not earlier & set(renders)  # the first exchange kept its widgets, unrendered
    assert window.chat.messages[-1].position_label.text() == "2 / 2"
