"""One funnel for every message to the user: errors, warnings, notes, status lines.

Modelled on qutebrowser's ``message`` module and novelWriter's ``SHARED.error``:
code never shows a banner itself, it posts here.  The funnel logs the message,
picks the window it belongs to (the one named, else the active one, else the
newest) and hands it over; a message posted while no window exists is kept and
shown by the first window that attaches.

``guard`` turns the failures of a store call (or any file operation) into a
message, so no store error ends as a traceback on stderr with nothing in the
window.  The funnel itself shows nothing: windows (``MessageTarget``) do.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.backend.errors import LlamaDeskError
from app.ui.i18n import shown, tr

log = logging.getLogger(__name__)

# Failures a guarded call reports instead of raising: the backend's own errors, and
# what SQLite and the file system raise underneath it.
REPORTED = (LlamaDeskError, sqlite3.Error, OSError)


class Level(enum.Enum):
    ERROR = logging.ERROR
    WARNING = logging.WARNING
    INFO = logging.INFO  # a note above the chat, often with an action (Undo)
    STATUS = logging.DEBUG + 5  # a passing line in the status bar


@dataclass(frozen=True)
class UserMessage:
    level: Level
    text: str
    action: str = ""  # the label of a button beside the text, e.g. "Undo"
    timeout_ms: int = 0  # 0: until dismissed (or replaced)


class MessageTarget(Protocol):
    """A window that shows messages."""

    def show_user_message(self, message: UserMessage,
                          on_action: Callable[[], None] | None) -> None: ...

    def isActiveWindow(self) -> bool: ...  # noqa: N802 - Qt's name


class MessageFunnel(QObject):
    posted = Signal(object, object)  # UserMessage, the target it went to (None: kept)

    def __init__(self) -> None:
        super().__init__()
        self._targets: list[MessageTarget] = []
        self._pending: list[tuple[UserMessage, Callable[[], None] | None]] = []

    # -- windows -------------------------------------------------------------

    def attach(self, target: MessageTarget) -> None:
        """A window opened: it shows the messages kept until now."""
        self._targets.append(target)
        pending, self._pending = self._pending, []
        for message, on_action in pending:
            self._deliver(message, target, on_action)

    def detach(self, target: MessageTarget) -> None:
        """A window closed: its messages go to another one from now on."""
        if target in self._targets:
            self._targets.remove(target)

    @property
    def pending(self) -> list[UserMessage]:
        return [message for message, _on_action in self._pending]

    # -- posting -------------------------------------------------------------

    def error(self, text: str, target: MessageTarget | None = None) -> None:
        self.post(UserMessage(Level.ERROR, shown(text)), target)

    def warning(self, text: str, target: MessageTarget | None = None) -> None:
        self.post(UserMessage(Level.WARNING, shown(text)), target)

    def info(self, text: str, target: MessageTarget | None = None, *, action: str = "",
             on_action: Callable[[], None] | None = None, timeout_ms: int = 0) -> None:
        self.post(UserMessage(Level.INFO, shown(text), action, timeout_ms), target, on_action)

    def status(self, text: str, target: MessageTarget | None = None,
               timeout_ms: int = 10_000) -> None:
        self.post(UserMessage(Level.STATUS, shown(text), timeout_ms=timeout_ms), target)

    def post(self, message: UserMessage, target: MessageTarget | None = None,
             on_action: Callable[[], None] | None = None) -> None:
        log.log(message.level.value, "to the user: %s", message.text)
        chosen = self._choose(target)
        if chosen is None:
            self._pending.append((message, on_action))
        else:
            self._deliver(message, chosen, on_action)

    def report(self, error: BaseException, doing: str,
               target: MessageTarget | None = None) -> None:
        """An error as a message; the unexpected ones are logged with their traceback."""
        if not isinstance(error, LlamaDeskError):
            log.warning("could not %s", doing, exc_info=error)
        self.error(describe(error, doing), target)

    def guard(self, doing: str, target: MessageTarget | None = None,
              quiet: bool = False) -> Guard:
        """``with funnel.guard("rename the chat") as attempt:`` reports a failure of
        the block and goes on after it; ``attempt.failed`` says whether it failed.
        ``quiet``: only log it (the user was told already)."""
        return Guard(self, doing, target, quiet)

    def bound(self, target: MessageTarget) -> WindowMessages:
        return WindowMessages(self, target)

    # -- internals -----------------------------------------------------------

    def _choose(self, target: MessageTarget | None) -> MessageTarget | None:
        if target is not None and target in self._targets:
            return target
        active = [t for t in self._targets if t.isActiveWindow()]
        if active:
            return active[0]
        return self._targets[-1] if self._targets else None

    def _deliver(self, message: UserMessage, target: MessageTarget,
                 on_action: Callable[[], None] | None) -> None:
        target.show_user_message(message, on_action)
        self.posted.emit(message, target)


def describe(error: BaseException, doing: str) -> str:
    """What to tell the user about a failure while doing something."""
    if isinstance(error, LlamaDeskError):
        return shown(error)
    if isinstance(error, sqlite3.Error):
        return tr("Could not {doing}: the chat history reported “{error}”. What was saved "
                  "before is safe; if this happens again, restart LlamaDesk, and check that "
                  "the disk is not full and the data folder can be written.").format(
                      doing=doing, error=error)
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return tr("Could not {doing}: {error}.").format(doing=doing,
                                                         error=f"{error.strerror or error}{where}")
    return tr("Could not {doing}: {error}.").format(doing=doing, error=error)


class Guard:
    """The context manager behind ``MessageFunnel.guard``."""

    def __init__(self, funnel: MessageFunnel, doing: str, target: MessageTarget | None,
                 quiet: bool = False) -> None:
        self.funnel = funnel
        self.doing = doing
        self.target = target
        self.quiet = quiet
        self.failed = False

    def __enter__(self) -> Guard:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        if isinstance(error, REPORTED):
            self.failed = True
            if self.quiet:
                log.debug("could not %s again: %s", self.doing, error)
            else:
                self.funnel.report(error, self.doing, self.target)
            return True
        return False


class WindowMessages:
    """The funnel, bound to one window: what a window's parts post through."""

    def __init__(self, funnel: MessageFunnel, target: MessageTarget) -> None:
        self.funnel = funnel
        self.target = target

    def error(self, text: str) -> None:
        self.funnel.error(text, self.target)

    def warning(self, text: str) -> None:
        self.funnel.warning(text, self.target)

    def info(self, text: str, *, action: str = "", on_action: Callable[[], None] | None = None,
             timeout_ms: int = 0) -> None:
        self.funnel.info(text, self.target, action=action, on_action=on_action,
                         timeout_ms=timeout_ms)

    def status(self, text: str, timeout_ms: int = 10_000) -> None:
        self.funnel.status(text, self.target, timeout_ms)

    def guard(self, doing: str, quiet: bool = False) -> Guard:
        return self.funnel.guard(doing, self.target, quiet)
