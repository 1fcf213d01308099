"""What connects the stored history to the engine: which messages the model reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.backend.engine import ChatMessage, ContextFit, FinishReason
from app.backend.paths import AppPaths
from app.backend.store import Message, Status, Store

HISTORY_FILE = "history.sqlite"
# The command line may run while the window writes an answer: it leaves alone
# answers saved within this many seconds (see Store.open).
CLI_CUT_OFF_AFTER = 60.0
FINISH_STATUS: dict[FinishReason, Status] = {
    "stop": "complete", "length": "complete", "cancelled": "stopped"}


def open_history(paths: AppPaths, cut_off_after: float = 0.0) -> Store:
    return Store.open(paths.data / HISTORY_FILE, cut_off_after)


@dataclass(frozen=True)
class ModelInput:
    """The conversation as the model reads it, and which stored message each turn is."""

    messages: tuple[ChatMessage, ...]  # the system prompt first, if there is one
    turn_ids: tuple[int | None, ...]  # stored message id per turn (None: not stored)

    def outside(self, fit: ContextFit) -> list[int]:
        """Stored ids of the turns that are outside the context."""
        return [i for i in self.turn_ids[: fit.first_turn] if i is not None]


def model_input(system_prompt: str, branch: Sequence[Message],
                draft: str | None = None) -> ModelInput:
    """System prompt, then the branch's user and assistant turns that have text."""
    messages: list[ChatMessage] = []
    if system_prompt.strip():
        messages.append(ChatMessage("system", system_prompt))
    ids: list[int | None] = []
    for message in branch:
        if message.role in ("user", "assistant") and message.content.strip():
            messages.append(ChatMessage(message.role, message.content))  # type: ignore[arg-type]
            ids.append(message.id)
    if draft is not None:
        messages.append(ChatMessage("user", draft))
        ids.append(None)
    return ModelInput(tuple(messages), tuple(ids))
