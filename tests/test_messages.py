"""The message funnel: logged, delivered to the right window, kept until a window
exists; and no other code shows messages itself."""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from app.backend.errors import LlamaDeskError
from app.ui.app import DesktopApp
from app.ui.banners import Banners
from app.ui.messages import Level, MessageFunnel, UserMessage
from tests.conftest import ROOT
from tests.fakes import FakeEngine
from tests.gui_helpers import RecordingTarget as Target


def test_messages_before_any_window_are_kept_and_shown_by_the_first(
        qtbot: QtBot, caplog: pytest.LogCaptureFixture):
    funnel = MessageFunnel()
    with caplog.at_level(logging.INFO):
        funnel.error("The model file is missing.")
        funnel.info("Downloaded x.gguf.")
    assert [m.text for m in funnel.pending] == ["The model file is missing.",
                                                "Downloaded x.gguf."]
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.ERROR, "to the user: The model file is missing."),
        (logging.INFO, "to the user: Downloaded x.gguf.")]
    first = Target()
    funnel.attach(first)
    assert [m.level for m in first.shown] == [Level.ERROR, Level.INFO]
    assert funnel.pending == []


def test_a_message_goes_to_its_window_else_the_newest_and_not_to_a_closed_one(qtbot: QtBot):
    funnel = MessageFunnel()
    one, two = Target(), Target()
    funnel.attach(one)
    funnel.attach(two)
    funnel.warning("for one", one)
    funnel.warning("for anyone")  # no window is active offscreen: the newest
    assert [m.text for m in one.shown] == ["for one"]
    assert [m.text for m in two.shown] == ["for anyone"]
    funnel.detach(two)
    funnel.error("two was closed", two)
    assert [m.text for m in one.shown] == ["for one", "two was closed"]
    funnel.detach(one)
    funnel.error("nobody is there")
    assert [m.text for m in funnel.pending] == ["nobody is there"]


def test_a_guard_reports_the_failure_and_goes_on(qtbot: QtBot,
                                                 caplog: pytest.LogCaptureFixture):
    funnel = MessageFunnel()
    target = Target()
    funnel.attach(target)
    with funnel.guard("rename the chat", target) as attempt:
        raise LlamaDeskError("The chat history is open read-only.")
    assert attempt.failed
    with funnel.guard("write the file", target) as attempt:
        raise PermissionError(13, "Permission denied", "/x/out.md")
    with funnel.guard("do nothing", target) as fine:
        pass
    assert not fine.failed
    assert [m.text for m in target.shown] == [
        "The chat history is open read-only.",
        "Could not write the file: Permission denied (/x/out.md)."]
    assert any(r.exc_info for r in caplog.records)  # the unexpected one keeps its traceback
    with pytest.raises(ZeroDivisionError), funnel.guard("divide", target):
        _ = 1 / 0  # a programming error is not hidden


def level_of(banners: Banners) -> Level:
    return banners.errors.level


def test_errors_add_up_in_one_banner_and_notes_carry_their_action(qtbot: QtBot):
    banners = Banners()
    qtbot.addWidget(banners)
    banners.show_message(UserMessage(Level.WARNING, "Settings: 'threads' is wrong."))
    assert banners.errors.level is Level.WARNING
    banners.show_message(UserMessage(Level.ERROR, "The history is read-only."))
    banners.show_message(UserMessage(Level.ERROR, "The history is read-only."))
    assert banners.errors.label.text() == ("Settings: 'threads' is wrong.\n"
                                           "The history is read-only.")
    assert level_of(banners) is Level.ERROR
    undone: list[bool] = []
    banners.show_message(UserMessage(Level.INFO, "Deleted “x”.", "Undo"),
                         lambda: undone.append(True))
    banners.info.action.click()
    assert undone == [True] and banners.info.isHidden()
    banners.errors.hide()
    banners.show_message(UserMessage(Level.WARNING, "A new start."))
    assert banners.errors.label.text() == "A new start."  # a closed banner starts afresh


def test_start_up_problems_reach_the_first_window_in_one_banner(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home):
    (data_home / "config").mkdir(parents=True)
    (data_home / "config" / "presets.json").write_text("[{\"settings\": {}}]")
    desktop = make_desktop(FakeEngine())
    desktop.messages.error("The model file /m/x.gguf does not exist.")
    window = desktop.new_window()
    text = window.errors.label.text()
    assert "A preset without a name was skipped." in text
    assert "/m/x.gguf does not exist" in text


def test_a_store_failure_shows_in_the_window_it_happened_in(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine())
    one = desktop.new_window()
    two = desktop.new_window()
    desktop.models.start()
    two.delete_conversation(12345)  # no such chat
    assert "There is no conversation 12345" in two.errors.label.text()
    assert not one.errors.isVisible()


def test_only_the_window_shows_messages():
    """Banners and the status bar are written by the funnel's target alone."""
    showing = ("show_message(", "showMessage(", "show_text(", "QMessageBox")
    offenders = []
    for path in (ROOT / "app" / "ui").glob("*.py"):
        if path.name == "banners.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name != "show_user_message":
                body = "\n".join(ast.unparse(statement) for statement in node.body)
                offenders += [f"{path.name}:{node.name}: {word}" for word in showing
                              if word in body]
    assert offenders == []


def test_each_banner_wears_its_level(qtbot: QtBot):
    banners = Banners()
    qtbot.addWidget(banners)
    assert "#e8f0fe" in banners.info.styleSheet()  # notes: blue
    assert "#fdecea" in banners.errors.styleSheet()  # errors: red
    banners.show_message(UserMessage(Level.WARNING, "careful"))
    assert "#fff4e5" in banners.errors.styleSheet()  # warnings: amber
