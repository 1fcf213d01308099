"""Opening a conversations file from the desktop: `llamadesk open FILE` (what a
double-click on Windows runs), macOS's QFileOpenEvent, and a second instance handing the
file to the running one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.cli import build_parser
from app.ui.app import DesktopApp, FileOpenFilter, _on_instance_knock, already_running
from tests.fakes import FakeEngine
from tests.gui_helpers import stored, type_and_send, wait_ready


def chat_file(folder: Path, text: str = "Where do llamas live?") -> Path:
    path = folder / "chat.llamadesk"
    path.write_text(json.dumps([{"role": "user", "content": text},
                                {"role": "assistant", "content": "In the Andes."}]))
    return path


def test_open_shows_the_imported_chat_in_the_empty_window(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], tmp_path: Path):
    desktop = make_desktop(FakeEngine())
    window = desktop.start()
    wait_ready(qtbot, window)
    shown = desktop.open_file(chat_file(tmp_path))
    assert shown is window and len(desktop.windows) == 1
    assert stored(window) == [("user", "complete", "Where do llamas live?"),
                              ("assistant", "complete", "In the Andes.")]
    assert "Imported 1 conversation from chat.llamadesk" in window.info.label.text()


def test_open_uses_a_new_window_when_the_front_one_shows_a_chat(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], tmp_path: Path):
    desktop = make_desktop(FakeEngine(words=["ok"]))
    window = desktop.start()
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "mine")
    wait_ready(qtbot, window)
    mine = window.conversation_id
    shown = desktop.open_file(chat_file(tmp_path))
    assert shown is not window and window.conversation_id == mine
    assert stored(shown)[0][2] == "Where do llamas live?"


def test_a_broken_file_says_why_and_imports_nothing(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], tmp_path: Path):
    desktop = make_desktop(FakeEngine())
    window = desktop.start()
    wait_ready(qtbot, window)
    broken = tmp_path / "broken.llamadesk"
    broken.write_text('{"format": "llamadesk-conversations", "conv')
    desktop.open_file(broken)
    assert "Could not open broken.llamadesk" in window.errors.label.text()
    assert desktop.store.conversations() == []


def test_macos_file_open_event_imports_the_file(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], tmp_path: Path):
    desktop = make_desktop(FakeEngine())
    window = desktop.start()
    wait_ready(qtbot, window)
    app = QApplication.instance()
    assert app is not None
    opener = FileOpenFilter(desktop)
    app.installEventFilter(opener)
    try:
        QCoreApplication.sendEvent(app, QFileOpenEvent(str(chat_file(tmp_path, "From Finder"))))
    finally:
        app.removeEventFilter(opener)
    assert stored(window)[0][2] == "From Finder"


def test_a_second_instance_hands_the_file_to_the_running_one(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], tmp_path: Path):
    desktop = make_desktop(FakeEngine())
    window = desktop.start()
    wait_ready(qtbot, window)
    name = f"llamadesk-test-{tmp_path.name}"
    server = QLocalServer()
    QLocalServer.removeServer(name)
    assert server.listen(name)
    server.newConnection.connect(lambda: _on_instance_knock(server, desktop))
    try:
        assert already_running(name, chat_file(tmp_path, "Double-clicked"))
        qtbot.waitUntil(lambda: window.conversation_id is not None, timeout=5000)
    finally:
        server.close()
    assert stored(window)[0][2] == "Double-clicked"


def test_open_is_a_command():
    args = build_parser().parse_args(["open", "chat.llamadesk"])
    assert args.command == "open" and args.path == "chat.llamadesk"
