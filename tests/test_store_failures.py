"""Every store call the window makes reports a failure in the window (and the log),
never as a traceback: through the real widgets, with a history that fails in three
ways a user can meet: opened read-only (a newer LlamaDesk, a locked file), writes
refused by SQLite underneath, and reads that fail (a damaged file)."""

from __future__ import annotations

import ast
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend.store import Store
from app.ui.main_window import MainWindow, State
from tests.conftest import ROOT
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, type_and_send, wait_ready

READS = ("conversation", "conversations", "message", "messages", "branch", "search")


def make_read_only(window: MainWindow, _monkeypatch: pytest.MonkeyPatch) -> str:
    window.store.read_only = True
    window.store.problem = "The chat history was written by a newer LlamaDesk; it is open " \
                           "read-only."
    return window.store.problem


def refuse_writes(window: MainWindow, _monkeypatch: pytest.MonkeyPatch) -> str:
    window.store._db.execute("PRAGMA query_only = ON")  # SQLite itself refuses
    return "attempt to write a readonly database"


def break_reads(_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> str:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    for name in READS:
        monkeypatch.setattr(Store, name, fail)
    return "database disk image is malformed"


FAILURES = {"read-only": make_read_only, "writes refused": refuse_writes,
            "reads fail": break_reads}


def context_action(window: MainWindow, conversation_id: int, text: str) -> None:
    menu = window.sidebar.context_menu(conversation_id)
    next(a for a in menu.actions() if a.text() == text).trigger()


def nothing(_window: MainWindow, _conversation: int) -> None:
    pass


# action: what is done before the history fails, what is done through the window
# once it fails, and the failures that reach that action's store calls.
ACTIONS: dict[str, tuple[Callable[..., object], Callable[..., object], set[str]]] = {
    "send": (nothing, lambda w, _c, qtbot: type_and_send(qtbot, w, "one more"),
             set(FAILURES)),
    "regenerate": (nothing, lambda w, _c, _q: w.chat.messages[-1].regenerate_button.click(),
                   set(FAILURES)),
    "previous version": (nothing,
                         lambda w, _c, _q: w.chat.messages[-1].previous_button.click(),
                         set(FAILURES)),
    "edit": (nothing, lambda w, _c, _q: w.chat.messages[0].edit_button.click(),
             {"reads fail"}),
    "delete": (nothing, lambda w, c, _q: context_action(w, c, "Delete"), set(FAILURES)),
    "undo delete": (lambda w, c: context_action(w, c, "Delete"),
                    lambda w, _c, _q: w.info.action.click(), set(FAILURES)),
    "rename": (nothing, lambda w, c, _q: w.sidebar.item_for(c).setText("A new name"),
               set(FAILURES)),
    "pin": (nothing, lambda w, c, _q: context_action(w, c, "Pin"), set(FAILURES)),
    "open": (lambda w, _c: w.new_chat(),
             lambda w, c, _q: w.sidebar.list.itemClicked.emit(w.sidebar.item_for(c)),
             {"reads fail"}),
    "search": (nothing, lambda w, _c, qtbot: (qtbot.keyClicks(w.sidebar.search, "question"),
                                              qtbot.wait(300)), {"reads fail"}),
    "export": (nothing, lambda w, c, _q: w.transfer.export([c]), {"reads fail"}),
    "export all": (nothing, lambda w, _c, _q: w.transfer.export_all(), {"reads fail"}),
    "copy as Markdown": (nothing, lambda w, c, _q: context_action(w, c, "Copy as Markdown"),
                         {"reads fail"}),
    "import": (nothing, lambda w, _c, _q: w.transfer.import_file(), set(FAILURES)),
    "panel settings": (nothing, lambda w, _c, qtbot: (
        w.panel.fields["temperature"].setValue(0.3), qtbot.wait(600)), {"writes refused"}),
}


@pytest.fixture
def chat_window(qtbot: QtBot, make_window: MakeWindow, tmp_path: Path) -> MainWindow:
    engine = FakeEngine(words=["an answer"])
    window = make_window(engine)
    type_and_send(qtbot, window, "a question")
    wait_ready(qtbot, window)
    window.chat.messages[-1].regenerate_button.click()  # two versions of the answer
    wait_ready(qtbot, window)
    exported = tmp_path / "chat.llamadesk"
    window.transfer.ask_export_path = lambda _s: (exported, "json")  # type: ignore
    window.transfer.export([window.conversation_id or 0])
    window.transfer.ask_export_path = lambda _s: (  # type: ignore
        tmp_path / "out.md", "md")
    window.transfer.ask_import_path = lambda: exported  # type: ignore[method-assign]
    window.errors.hide()
    window.info.hide()
    return window


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_failing_history_is_reported_in_the_window(
        qtbot: QtBot, chat_window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, action: str, failure: str):
    window = chat_window
    prepare, do, reached_by = ACTIONS[action]
    conversation = window.conversation_id
    assert conversation is not None
    prepare(window, conversation)
    expected = FAILURES[failure](window, monkeypatch)
    caplog.clear()
    do(window, conversation, qtbot)  # an exception here, or in a slot, fails the test
    qtbot.wait(50)
    text = window.errors.label.text()
    if failure in reached_by:
        assert window.errors.isVisible() and expected in text, (action, failure, text)
        assert any(expected in r.getMessage() and r.levelno >= logging.WARNING
                   for r in caplog.records), "the message is logged"
    else:
        assert not window.errors.isVisible(), text
    wait_ready(qtbot, window)
    assert window.state is State.READY


def test_an_answer_whose_saving_fails_stays_on_screen_with_one_message(
        qtbot: QtBot, make_window: MakeWindow, caplog: pytest.LogCaptureFixture):
    window = make_window(FakeEngine(words=["word "] * 200, delay=0.005))
    type_and_send(qtbot, window, "long answer please")
    qtbot.waitUntil(lambda: window.chat.messages[-1].text.startswith("word word"))
    window.store._db.execute("PRAGMA query_only = ON")
    wait_ready(qtbot, window, 20_000)
    assert window.chat.messages[-1].text == "word " * 200  # everything written is shown
    text = window.errors.label.text()
    assert "The chat history could not be saved" in text and "What was saved before is safe" \
        in text
    shown = [r for r in caplog.records if r.getMessage().startswith("to the user")]
    assert len(shown) == 2  # said once while streaming, once at the end: not per batch
    window.store._db.execute("PRAGMA query_only = OFF")
    type_and_send(qtbot, window, "and now?")  # the chat goes on once the disk is back
    wait_ready(qtbot, window)
    assert window.store.branch(window.conversation_id or 0).messages[-1].status == "complete"


def test_every_store_call_in_the_window_is_guarded():
    """A call to the store (or to the answer's writer) in app/ui sits inside a
    ``with ….guard(…)`` block, so a failure becomes a message."""
    unguarded = []
    for path in sorted((ROOT / "app" / "ui").glob("*.py")):
        receivers = {"store"} | ({"writer", "_writer"} if path.name == "answer_session.py"
                                 else set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = ast.unparse(node.func.value)
            if receiver.split(".")[-1] not in receivers:
                continue
            ancestor = parents.get(node)
            while ancestor is not None and not (
                    isinstance(ancestor, ast.With) and any(
                        "guard(" in ast.unparse(item.context_expr) for item in ancestor.items)):
                ancestor = parents.get(ancestor)
            if ancestor is None:
                unguarded.append(f"{path.name}:{node.lineno} {ast.unparse(node.func)}")
    assert unguarded == []


def test_the_scan_of_store_calls_sees_them():
    """The guard test above is not empty: it finds the store calls it checks."""
    found = sum(ast.unparse(node.func.value).split(".")[-1] == "store"
                for path in (ROOT / "app" / "ui").glob("*.py")
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute))
    assert found >= 20
