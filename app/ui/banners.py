"""The lines above the chat that show the funnel's messages (app/ui/messages.py).

Errors and warnings go to one banner and add up while it is open (a start-up may
have several); notes go to another, with an optional action such as Undo.  They
are closable lines, never modal dialogs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import tr
from app.ui.messages import Level, UserMessage

STYLES = {
    Level.ERROR: ("#fdecea", "#f5c2c0", "#611a15"),
    Level.WARNING: ("#fff4e5", "#ffd8a8", "#663c00"),
    Level.INFO: ("#e8f0fe", "#c6dafc", "#174ea6"),
}
MAX_LINES = 6  # an error banner keeps the newest lines


class Banner(QFrame):
    """A closable line of text with an optional action button."""

    def __init__(self, name: str, level: Level, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.setAccessibleName(tr("Act on the message"))  # its text names it when shown
        self.action.hide()
        self.action.clicked.connect(self._on_action_clicked)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(tr("Dismiss"))
        close.setAccessibleName(tr("Dismiss the message"))
        close.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._on_action: Callable[[], None] | None = None
        self.level = level
        self._style(level)
        self.hide()

    def _style(self, level: Level) -> None:
        self.level = level
        background, border, colour = STYLES[level]
        name = self.objectName()
        self.setStyleSheet(f"#{name} {{ background: {background}; border: 1px solid {border}; }}"
                           f" #{name} QLabel {{ color: {colour}; }}")

    def show_text(self, text: str, level: Level, action: str = "",
                  on_action: Callable[[], None] | None = None, timeout_ms: int = 0) -> None:
        if level is not self.level:
            self._style(level)
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self._on_action = on_action
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()
        self.show()

    def _on_action_clicked(self) -> None:
        on_action, self._on_action = self._on_action, None
        self.hide()
        if on_action is not None:
            on_action()


class Banners(QWidget):
    """An error/warning banner and a note banner, stacked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.errors = Banner("error-banner", Level.ERROR)
        self.info = Banner("info-banner", Level.INFO)
        layout.addWidget(self.errors)
        layout.addWidget(self.info)
        self._lines: list[str] = []

    def show_message(self, message: UserMessage,
                     on_action: Callable[[], None] | None = None) -> None:
        if message.level is Level.INFO:
            self.info.show_text(message.text, message.level, message.action, on_action,
                                message.timeout_ms)
            return
        if self.errors.isHidden():
            self._lines = []
        if message.text not in self._lines:
            self._lines = [*self._lines, message.text][-MAX_LINES:]
        level = Level.ERROR if message.level is Level.ERROR or (
            not self.errors.isHidden() and self.errors.level is Level.ERROR) else Level.WARNING
        self.errors.show_text("\n".join(self._lines), level, message.action, on_action,
                              message.timeout_ms)
