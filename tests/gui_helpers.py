"""Building real windows for tests: a DesktopApp over a temporary data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.backend.models import ModelChoice
from app.ui.main_window import MainWindow, State
from app.ui.messages import UserMessage

FAKE_MODEL = ModelChoice("fake", "Fake model", Path("/models/fake.gguf"))
MakeWindow = Callable[..., MainWindow]


def type_and_send(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClicks(window.composer, text)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)


def wait_ready(qtbot: QtBot, window: MainWindow, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: window.state is State.READY, timeout=timeout)


def stored(window: MainWindow) -> list[tuple[str, str, str]]:
    """The shown branch as saved: (role, status, content)."""
    assert window.conversation_id is not None
    branch = window.store.branch(window.conversation_id)
    return [(m.role, m.status, m.content) for m in branch.messages]


class RecordingTarget(QWidget):
    """A window stand-in for the message funnel: records what it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[UserMessage] = []

    def show_user_message(self, message: UserMessage, on_action: object) -> None:
        self.shown.append(message)
