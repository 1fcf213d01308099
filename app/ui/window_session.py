"""Which windows were open, with their chat, layout and scroll position
(``windows.json``), so a restart brings them back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtWidgets import QScrollArea, QSplitter

from app.backend.files import atomic_write_text


class SessionWindow(Protocol):
    @property
    def conversation_id(self) -> int | None: ...

    @property
    def splitter(self) -> QSplitter: ...

    @property
    def chat(self) -> QScrollArea: ...

    def saveGeometry(self) -> QByteArray: ...  # noqa: N802 - Qt's name

    def restoreGeometry(self, geometry: QByteArray) -> bool: ...  # noqa: N802 - Qt's name

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None: ...


def window_state(window: SessionWindow) -> dict[str, Any]:
    return {
        "conversation": window.conversation_id,
        "geometry": bytes(window.saveGeometry().toBase64().data()).decode(),
        "splitter": bytes(window.splitter.saveState().toBase64().data()).decode(),
        "scroll": window.chat.verticalScrollBar().value(),
    }


def restore_window(window: SessionWindow, state: dict[str, Any]) -> None:
    if isinstance(state.get("geometry"), str):
        window.restoreGeometry(QByteArray.fromBase64(state["geometry"].encode()))
    if isinstance(state.get("splitter"), str):
        window.splitter.restoreState(QByteArray.fromBase64(state["splitter"].encode()))
    if isinstance(state.get("conversation"), int):
        window.open_conversation(state["conversation"])
        scroll = state.get("scroll")
        if isinstance(scroll, int):
            bar = window.chat.verticalScrollBar()
            QTimer.singleShot(0, window.chat, lambda: bar.setValue(scroll))


def read_session(path: Path) -> list[dict[str, Any]]:
    try:
        states = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [s for s in states if isinstance(s, dict)] if isinstance(states, list) else []


def write_session(path: Path, states: list[dict[str, Any]]) -> None:
    atomic_write_text(path, json.dumps(states))
