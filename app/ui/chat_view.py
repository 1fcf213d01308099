"""The conversation: one widget per message, Markdown rendered by Qt.

While an answer streams only its own widget is re-rendered, and only when the
window applies a batch (every 40 ms), never per token.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

# Message text is data: raw HTML in it is shown as text, never interpreted.
MARKDOWN_FEATURES = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
                     | QTextDocument.MarkdownFeature.MarkdownNoHTML)
SAFE_LINK_SCHEMES = ("http", "https", "mailto")


class MessageBody(QTextBrowser):
    """Read-only rich text that is exactly as tall as its content."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._markdown = ""

    @property
    def markdown(self) -> str:
        return self._markdown

    def set_markdown(self, text: str) -> None:
        self._markdown = text
        self.document().setMarkdown(text, MARKDOWN_FEATURES)
        self._shade_code_blocks()
        self._fit_height()

    def _shade_code_blocks(self) -> None:
        """Give fenced code a background, so it reads as code at a glance."""
        shade = self.palette().color(QPalette.ColorRole.AlternateBase)
        if shade == self.palette().color(QPalette.ColorRole.Base):
            shade = QColor(127, 127, 127, 40)
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().nonBreakableLines():
                cursor = self.textCursor()
                cursor.setPosition(block.position())
                fmt = block.blockFormat()
                fmt.setBackground(shade)
                cursor.setBlockFormat(fmt)
            block = block.next()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        margins = self.contentsMargins()
        height = int(self.document().size().height() + 0.999) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(max(height, 1))

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in SAFE_LINK_SCHEMES:
            QDesktopServices.openUrl(url)


class MessageView(QFrame):
    """A message: who wrote it, and its text."""

    ROLE_TITLES: ClassVar[dict[str, str]] = {
        "user": "You", "assistant": "Assistant", "system": "System"}

    def __init__(self, role: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.setObjectName(f"message-{role}")
        self.setFrameShape(QFrame.Shape.StyledPanel if role == "user" else QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        self.title = QLabel(self.ROLE_TITLES.get(role, role))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.body = MessageBody(self)
        self.note = QLabel()
        self.note.setObjectName("message-note")
        self.note.setEnabled(False)  # drawn in the palette's quieter colour
        self.note.hide()
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.note)
        if text:
            self.body.set_markdown(text)

    @property
    def text(self) -> str:
        return self.body.markdown

    def set_text(self, text: str) -> None:
        self.body.set_markdown(text)

    def set_note(self, note: str) -> None:
        self.note.setText(note)
        self.note.setVisible(bool(note))


class ChatView(QScrollArea):
    """The message list; keeps the newest text in sight while the user is at the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.setWidget(self._content)
        self.messages: list[MessageView] = []
        self._follow = True
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)

    def add_message(self, role: str, text: str = "") -> MessageView:
        view = MessageView(role, text, self._content)
        self._layout.insertWidget(self._layout.count() - 1, view)
        self.messages.append(view)
        self._follow = True
        return view

    def clear(self) -> None:
        for view in self.messages:
            view.deleteLater()
        self.messages.clear()

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 4

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            # After the layout settles, so the bottom is the real bottom.
            QTimer.singleShot(0, self, self._scroll_to_bottom)

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
