"""The branch view: the stored conversation's shown branch, on a ChatView.

It reads the branch from the store, shows its newest page (or down to a search
hit), adds earlier pages on request, brings the view up to date after a change
without rebuilding what did not change, and steps between versions.  Every store
call is guarded: a failure is a message in the window, never a traceback.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from app.backend.store import Branch, Message, Status, Store
from app.ui.chat_view import ChatView, MessageView
from app.ui.i18n import number, tr
from app.ui.messages import WindowMessages


def status_note(status: Status) -> str:
    """How an answer ended, in the user's language ("" for a finished one)."""
    notes: dict[Status, str] = {
        "stopped": tr("stopped"), "interrupted": tr("cut off (the app closed)"),
        "error": tr("interrupted by an error"), "streaming": tr("writing…")}
    return notes.get(status, "")


def message_note(message: Message) -> str:
    """The line under an answer: model, time, tokens, speed, how it ended."""
    if message.role != "assistant":
        return ""
    parts = [message.model or "", time.strftime("%H:%M", time.localtime(message.created_at))]
    if message.completion_tokens is not None:
        parts.append(tr("{count} tokens").format(count=message.completion_tokens))
    if message.tokens_per_second:
        parts.append(tr("{speed} tokens/s").format(speed=number(message.tokens_per_second, 1)))
    parts.append(status_note(message.status))
    if message.error:
        parts.append(message.error)
    return " · ".join(p for p in parts if p)


class ConversationView(QObject):
    edit_requested = Signal(int)  # message id
    regenerate_requested = Signal(int)  # answer id
    continue_requested = Signal(int)  # answer id
    branch_requested = Signal(int, int)  # message id, step (-1 previous, +1 next)

    def __init__(self, chat: ChatView, store: Store, messages: WindowMessages,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chat = chat
        self.store = store
        self.messages = messages
        self.conversation_id: int | None = None
        self.branch = Branch((), ())
        self.shown_from = 0
        self.actions_enabled = False
        chat.earlier_requested.connect(self.show_earlier)

    def show(self, conversation_id: int | None, scroll_to: int = 0) -> bool:
        """Show a conversation's current branch: its newest page, or down to a message."""
        self.chat.clear()
        self.conversation_id = conversation_id
        self.branch = Branch((), ())
        if conversation_id is None:
            return True
        with self.messages.guard(tr("read the conversation")) as attempt:
            self.branch = self.store.branch(conversation_id)
        if attempt.failed:
            return False
        count = len(self.branch.messages)
        start = max(0, count - ChatView.PAGE)
        ids = [m.id for m in self.branch.messages]
        if scroll_to in ids:
            start = min(start, ids.index(scroll_to))
        for index in range(start, count):
            self._add_view(index)
        self.chat.earlier_button.setVisible(start > 0)
        self.shown_from = start
        if scroll_to:
            view = self.chat.view_for(scroll_to)
            if view is not None:
                QTimer.singleShot(0, self.chat, lambda: self.chat.scroll_to(view))
        return True

    def replace(self, message: Message) -> None:
        """The stored version of a message shown (an answer that ended), in the branch the
        context meter counts."""
        self.branch = Branch(tuple(message if m.id == message.id else m
                                   for m in self.branch.messages), self.branch.positions)

    def sync(self, branch: Branch | None = None) -> None:
        """Bring the view to the current branch, rebuilding only what changed.

        After a send, a regenerate, an edit or a version step, the messages before
        the change keep their widgets: rebuilding the whole page per message cost
        about 30 ms and re-rendered text that had not changed.
        """
        if self.conversation_id is None:
            return
        if branch is None:
            with self.messages.guard(tr("read the conversation")) as attempt:
                branch = self.store.branch(self.conversation_id)
            if attempt.failed or branch is None:
                return
        ids = [m.id for m in branch.messages]
        shown = self.chat.messages
        kept = 0
        while (kept < len(shown) and self.shown_from + kept < len(ids)
               and shown[kept].message_id == ids[self.shown_from + kept]):
            kept += 1
        if shown and kept == 0:
            self.show(self.conversation_id)
            return
        self.chat.truncate(kept)
        self.branch = branch
        for index in range(self.shown_from + kept, len(ids)):
            self._add_view(index)

    def show_earlier(self) -> None:
        start = max(0, self.shown_from - ChatView.PAGE)
        for index in range(self.shown_from - 1, start - 1, -1):
            self._add_view(index, prepend=True)
        self.shown_from = start
        self.chat.earlier_button.setVisible(start > 0)

    def step(self, message_id: int, step: int) -> bool:
        """Show the previous (-1) or next (+1) version of a message; True if it moved."""
        if self.conversation_id is None:
            return False
        with self.messages.guard(tr("show the other version")) as attempt:
            message = self.store.message(message_id)
            siblings = [m.id for m in self.store.messages(self.conversation_id)
                        if m.parent_id == message.parent_id]
            index = siblings.index(message_id) + step
            if not 0 <= index < len(siblings):
                return False
            self.store.show_branch(self.conversation_id, siblings[index])
        if attempt.failed:
            return False
        self.sync()
        return True

    def set_actions_enabled(self, enabled: bool) -> None:
        self.actions_enabled = enabled
        for view in self.chat.messages:
            view.set_actions_enabled(enabled)

    def mark_outside(self, outside: set[int]) -> None:
        for view in self.chat.messages:
            view.set_outside_context(view.message_id in outside)

    def _add_view(self, index: int, prepend: bool = False) -> MessageView:
        message, position = self.branch.messages[index], self.branch.positions[index]
        if prepend:
            view = self.chat.prepend_message(message.role, message.content, message.id,
                                             position)
        else:
            view = self.chat.add_message(message.role, message.content, message.id, position)
        view.set_note(message_note(message))
        view.edit_requested.connect(self.edit_requested)
        view.regenerate_requested.connect(self.regenerate_requested)
        view.continue_requested.connect(self.continue_requested)
        view.branch_requested.connect(self.branch_requested)
        view.set_actions_enabled(self.actions_enabled)
        self._offer_continue()
        return view

    def _offer_continue(self) -> None:
        """Continue sits on the branch's last message when it is an answer."""
        last = self.branch.messages[-1].id if self.branch.messages else None
        for view in self.chat.messages:
            view.continue_button.setVisible(view.role == "assistant"
                                            and view.message_id == last)
