"""Unsent messages belong to their chat: each chat keeps its own draft, across chat
switches, windows and restarts (``drafts.json`` in the data folder)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from app.backend.files import atomic_write_text

log = logging.getLogger(__name__)
DRAFTS_FILE = "drafts.json"
NEW_CHAT = "new"  # the key of the draft typed before a chat exists
SAVE_DELAY_MS = 700


class Drafts(QObject):
    """The drafts of every chat, written a moment after the last change."""

    def __init__(self, path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._drafts: dict[str, str] = self._read()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)

    @staticmethod
    def key(conversation_id: int | None) -> str:
        return NEW_CHAT if conversation_id is None else str(conversation_id)

    def get(self, conversation_id: int | None) -> str:
        return self._drafts.get(self.key(conversation_id), "")

    def put(self, conversation_id: int | None, text: str) -> None:
        key = self.key(conversation_id)
        if self._drafts.get(key, "") == text:
            return
        if text.strip():
            self._drafts[key] = text
        else:
            self._drafts.pop(key, None)
        self._timer.start()

    def save(self) -> None:
        self._timer.stop()
        if self.path is None:
            return
        try:
            atomic_write_text(self.path, json.dumps(self._drafts, ensure_ascii=False))
        except OSError as error:  # a read-only or full data folder: kept in memory
            log.warning("could not save drafts to %s: %s", self.path, error)

    def _read(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}
