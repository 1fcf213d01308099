"""A conversation as it leaves or enters LlamaDesk, shared by the exporters and
importers: the Transcript, the format's name and version, roles and statuses.

Writing: app/backend/exporters.py.  Reading: app/backend/importers.py.  PDF is made
from the HTML by the Qt side (app/ui/export.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.backend.errors import LlamaDeskError
from app.backend.store import Message, Store, build_branch

FORMAT_NAME = "llamadesk-conversations"
FORMAT_VERSION = 1
FORMATS = {"md": "Markdown", "txt": "Plain text", "html": "HTML", "pdf": "PDF",
           "json": "LlamaDesk JSON", "openai": "OpenAI messages JSON"}
# LlamaDesk JSON is JSON inside; its own extension lets the installers register it.
EXTENSIONS = {"md": ".md", "txt": ".txt", "html": ".html", "pdf": ".pdf",
              "json": ".llamadesk", "openai": ".json"}
ROLES = ("system", "user", "assistant")
STATUSES = ("complete", "streaming", "stopped", "interrupted", "error")
ROLE_NAMES = {"user": "You", "assistant": "Assistant", "system": "System"}
MAX_IMPORT_BYTES = 512 * 2**20


class TranscriptError(LlamaDeskError):
    """An export or import failed; the message says why and what to do."""


@dataclass
class Transcript:
    """A conversation as exported: every message (all branches) and the one shown."""

    title: str
    system_prompt: str
    settings: dict[str, Any]
    pinned: bool
    created_at: float
    updated_at: float
    messages: list[Message]
    current_leaf: int | None
    source_id: int | None = None

    @property
    def shown(self) -> list[Message]:
        return list(build_branch(self.messages, self.current_leaf).messages)

    @property
    def models(self) -> list[str]:
        return sorted({m.model for m in self.shown if m.model})


def load_transcript(store: Store, conversation_id: int) -> Transcript:
    conversation = store.conversation(conversation_id)
    return Transcript(conversation.title, conversation.system_prompt, conversation.settings,
                      conversation.pinned, conversation.created_at, conversation.updated_at,
                      store.messages(conversation_id), conversation.current_leaf,
                      conversation_id)
