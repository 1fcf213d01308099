"""The conversation: one widget per message, Markdown rendered by Qt.

While an answer streams only its own widget is re-rendered, and only when the
window applies a batch (every 40 ms), never per token.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.empty_state import EmptyState
from app.ui.i18n import tr
from app.ui.icons import icon
from app.ui.palette import base_palette, follow_theme, make_quiet

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Message text is data: raw HTML in it is shown as text, never interpreted.
MARKDOWN_FEATURES = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
                     | QTextDocument.MarkdownFeature.MarkdownNoHTML)
SAFE_LINK_SCHEMES = ("http", "https", "mailto")
COPY_SCHEME = "llamadesk-copy"  # the links above code blocks: llamadesk-copy:N
READING_WIDTH = 860  # px: the widest the messages get (a comfortable line length)
MARGIN = 12  # px around the messages
ANCHOR_SECONDS = 1.0  # how long a message scrolled to is kept in sight as layout settles
WIDE_HEADER = 380  # px: a message view narrower than this shows symbols on its buttons
COMPACT_WIDTH = 180  # px: the narrowest a message view asks to be
# characters: a code block still being written (no closing fence yet) is highlighted up
# to this size; it is lexed again at each redraw while it streams (~1 ms per KB)
MOST_OPEN_HIGHLIGHTED = 4000


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
        # a long word or a pasted line without spaces wraps instead of running off the edge
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._markdown = ""
        self._plain = False
        # shading and link colours come from the palette: drawn again when the theme changes
        follow_theme(self, lambda body: cast(MessageBody, body)._render())

    @property
    def markdown(self) -> str:
        return self._markdown

    def set_markdown(self, text: str) -> None:
        self._markdown, self._plain = text, False
        self._render()

    def set_plain(self, text: str) -> None:
        """Text shown as typed: every line break kept, nothing read as Markdown."""
        self._markdown, self._plain = text, True
        self._render()

    def _render(self) -> None:
        if self._plain:
            self.document().setPlainText(self._markdown)
        else:
            self.document().setMarkdown(self._markdown, MARKDOWN_FEATURES)
            self._shade_code_blocks()
            self._highlight_code()
            self._add_copy_links()
        self._fit_height()

    def _code_shade(self) -> QColor:
        shade = self.palette().color(QPalette.ColorRole.AlternateBase)
        if shade == self.palette().color(QPalette.ColorRole.Base):
            shade = QColor(127, 127, 127, 40)
        return shade

    def _shade_code_blocks(self) -> None:
        """Give fenced code a background, so it reads as code at a glance."""
        shade = self._code_shade()
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().nonBreakableLines():
                cursor = self.textCursor()
                cursor.setPosition(block.position())
                fmt = block.blockFormat()
                fmt.setBackground(shade)
                cursor.setBlockFormat(fmt)
            block = block.next()

    def _code_regions(self) -> list[tuple[int, str]]:
        """(position, text) of each run of code lines in the document, in order."""
        regions: list[tuple[int, list[str]]] = []
        block, in_code = self.document().begin(), False
        while block.isValid():
            code = block.blockFormat().nonBreakableLines()
            if code and not in_code:
                regions.append((block.position(), []))
            if code:
                regions[-1][1].append(block.text())
            in_code = code
            block = block.next()
        return [(start, "\n".join(lines)) for start, lines in regions]

    def _highlight_code(self) -> None:
        """Colour each code block's tokens (highlight.py), in colours that read on its
        shade; a block whose text Qt laid out differently is left plain."""
        blocks = code_blocks(self._markdown)
        if not any(language for language, _code in blocks):
            return
        from app.ui.highlight import kind_colours, token_spans

        shade = self._code_shade()
        if shade.alpha() < 255:
            shade = self.palette().color(QPalette.ColorRole.Base)
        colours = kind_colours(shade.rgb())
        cursor = QTextCursor(self.document())
        still_open = len(blocks) - 1 if open_code_block(self._markdown) else -1
        for index, ((start, text), (language, code)) in enumerate(
                zip(self._code_regions(), blocks, strict=False)):
            if text != code or (index == still_open and len(code) > MOST_OPEN_HIGHLIGHTED):
                continue
            for offset, length, kind in token_spans(language, code):
                fmt = QTextCharFormat()
                fmt.setForeground(colours[kind])
                cursor.setPosition(start + offset)
                cursor.setPosition(start + offset + length, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)

    def _add_copy_links(self) -> None:
        """A "Copy" link above each code block copies that block alone."""
        blocks = code_blocks(self._markdown)
        starts: list[int] = []
        block, in_code = self.document().begin(), False
        while block.isValid():
            code = block.blockFormat().nonBreakableLines()
            if code and not in_code:
                starts.append(block.position())
            in_code = code
            block = block.next()
        link = QTextCharFormat()
        link.setAnchor(True)
        link.setForeground(self.palette().color(QPalette.ColorRole.Link))
        for index in reversed(range(min(len(starts), len(blocks)))):
            cursor = QTextCursor(self.document())
            cursor.setPosition(starts[index])
            cursor.insertBlock()
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
            cursor.setBlockFormat(QTextBlockFormat())
            link.setAnchorHref(f"{COPY_SCHEME}:{index}")
            language = blocks[index][0]
            cursor.insertText(tr("Copy {language} code").format(language=language) if language
                              else tr("Copy code"), link)

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
        if url.scheme() == COPY_SCHEME:
            blocks = code_blocks(self._markdown)
            index = int(url.path()) if url.path().isdigit() else -1
            if 0 <= index < len(blocks):
                _copy(blocks[index][1])
        elif url.scheme() in SAFE_LINK_SCHEMES:
            QDesktopServices.openUrl(url)


def role_title(role: str) -> str:
    """Who wrote a message, as its header says it."""
    return {"user": tr("You"), "assistant": tr("Assistant"), "system": tr("System")}.get(
        role, role)


class MessageView(QFrame):
    """A message: who wrote it, its branch position, actions, text, and a note."""

    edit_requested = Signal(int)  # message id
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)  # answer id: go on writing it
    branch_requested = Signal(int, int)  # message id, step (-1 previous, +1 next)

    def __init__(self, role: str, text: str = "", message_id: int | None = None,
                 position: tuple[int, int] = (1, 1), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.message_id = message_id
        self.setObjectName(f"message-{role}")
        self.setFrameShape(QFrame.Shape.StyledPanel if role == "user" else QFrame.Shape.NoFrame)
        if role == "user":  # the user's words sit on a tint: told apart at a glance
            self.setAutoFillBackground(True)
            follow_theme(self, _tint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        header = QHBoxLayout()
        header.setSpacing(4)
        self.title = QLabel(role_title(role))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        header.addWidget(self.title)
        self.previous_button = self._tool("\u2039", tr("Previous version"),
                                          lambda: self._step(-1), header)
        self.position_label = QLabel()
        header.addWidget(self.position_label)
        self.next_button = self._tool("\u203a", tr("Next version"), lambda: self._step(1),
                                      header)
        header.addStretch(1)
        self.copy_button = self._tool(tr("Copy"), tr("Copy the message"), self.copy_text, header)
        self.code_button = self._tool(tr("Copy code"), tr("Copy a code block"), None, header)
        self.code_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.code_button.setMenu(QMenu(self.code_button))
        self.edit_button = self._tool(tr("Edit"), tr("Edit and resend: a new branch"),
                                      self._request_edit, header)
        self.regenerate_button = self._tool(tr("Regenerate"),
                                            tr("Write another answer: a new branch"),
                                            self._request_regenerate, header)
        self.continue_button = self._tool(tr("Continue"), tr("Go on writing this answer"),
                                          self._request_continue, header)
        self.continue_button.hide()  # on the last answer only (ConversationView)
        self.edit_button.setVisible(role == "user")
        self.regenerate_button.setVisible(role == "assistant")
        for button, name in ((self.copy_button, "copy"), (self.code_button, "code"),
                             (self.edit_button, "edit"), (self.regenerate_button, "regenerate"),
                             (self.continue_button, "continue")):
            button.setIcon(icon(name))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._compact = False
        self.body = MessageBody(self)
        self.body.setAccessibleName(role_title(role))
        self.body.setAccessibleDescription(tr("The message's text; select it to copy part"))
        self.note = QLabel()
        self.note.setObjectName("message-note")
        make_quiet(self.note)
        self.note.hide()
        layout.addLayout(header)
        layout.addWidget(self.body)
        layout.addWidget(self.note)
        self.set_position(*position)
        self.set_text(text)

    @property
    def text(self) -> str:
        return self.body.markdown

    def set_text(self, text: str) -> None:
        # The user's own words are shown as typed (a line break stays a line break);
        # answers are Markdown.
        if self.role == "user":
            self.body.set_plain(text)
        else:
            self.body.set_markdown(text)
        blocks = code_blocks(text)
        menu = self.code_button.menu()
        menu.clear()
        for index, (language, code) in enumerate(blocks, 1):
            label = tr("Code block {number}").format(number=index) + (
                f" ({language})" if language else "")
            menu.addAction(label, functools.partial(_copy, code))
        self.code_button.setVisible(bool(blocks))

    def set_note(self, note: str) -> None:
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def set_position(self, index: int, count: int) -> None:
        for widget in (self.previous_button, self.position_label, self.next_button):
            widget.setVisible(count > 1)
        self.position_label.setText(f"{index} / {count}")
        self.previous_button.setEnabled(index > 1)
        self.next_button.setEnabled(index < count)

    def set_actions_enabled(self, enabled: bool) -> None:
        self.edit_button.setEnabled(enabled)
        self.regenerate_button.setEnabled(enabled)
        self.continue_button.setEnabled(enabled)

    def set_outside_context(self, outside: bool) -> None:
        self.body.setEnabled(not outside)
        self.setToolTip(tr("Outside the context: the model no longer reads this message.")
                        if outside else "")
        self.title.setText(role_title(self.role)
                           + ("  " + tr("(outside the context)") if outside else ""))

    def copy_text(self) -> None:
        _copy(self.text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As narrow as the compact header: the view follows a narrow window."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), COMPACT_WIDTH), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Narrow, the header's buttons show their icons only (tooltips keep the words)."""
        super().resizeEvent(event)
        compact = event.size().width() < WIDE_HEADER
        if compact != self._compact:
            self._compact = compact
            style = Qt.ToolButtonStyle.ToolButtonIconOnly if compact else \
                Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            for button in (self.copy_button, self.code_button, self.edit_button,
                           self.regenerate_button, self.continue_button):
                button.setToolButtonStyle(style)

    def _tool(self, text: str, tip: str, slot: Callable[[], None] | None,
              layout: QHBoxLayout) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)  # the words, also when the button shows a symbol
        button.setAutoRaise(True)
        if slot is not None:
            button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    def _step(self, step: int) -> None:
        if self.message_id is not None:
            self.branch_requested.emit(self.message_id, step)

    def _request_edit(self) -> None:
        if self.message_id is not None:
            self.edit_requested.emit(self.message_id)

    def _request_regenerate(self) -> None:
        if self.message_id is not None:
            self.regenerate_requested.emit(self.message_id)

    def _request_continue(self) -> None:
        if self.message_id is not None:
            self.continue_requested.emit(self.message_id)


@functools.cache
def _markdown_parser() -> MarkdownIt:
    """Made when the first message is shown, not before the window is painted:
    importing markdown-it (62 modules) took 18 ms of start-up."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def open_code_block(markdown: str) -> bool:
    """True while the last fenced code block has no closing fence (an answer still
    writing it, or one stopped inside it)."""
    fences = [token for token in _markdown_parser().parse(markdown) if token.type == "fence"]
    if not fences or fences[-1].map is None:
        return False
    start, end = fences[-1].map
    lines = markdown.splitlines()
    return not (start < end - 1 < len(lines)
                and lines[end - 1].strip().startswith(fences[-1].markup))


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, code) of each fenced code block, wherever it sits (in a list, a
    quote) and also when it is cut off (a model stopped mid-block): markdown-it's
    CommonMark parser finds them as the renderer does."""
    return [(token.info.split()[0] if token.info.strip() else "", token.content.rstrip("\n"))
            for token in _markdown_parser().parse(markdown) if token.type == "fence"]


def _tint(view: QWidget) -> None:
    palette = QPalette()  # only the background is the view's own; the rest is inherited
    palette.setColor(QPalette.ColorRole.Window, user_tint(base_palette(view)))
    view.setPalette(palette)


def user_tint(palette: QPalette) -> QColor:
    """The window colour moved a little towards the highlight: light or dark alike."""
    base = palette.color(QPalette.ColorRole.Window)
    accent = palette.color(QPalette.ColorRole.Highlight)
    share = 0.12
    return QColor.fromRgbF(*(share * a + (1 - share) * b for a, b in (
        (accent.redF(), base.redF()), (accent.greenF(), base.greenF()),
        (accent.blueF(), base.blueF()))))


def _copy(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class ChatView(QScrollArea):
    """The message list; keeps the newest text in sight while the user is at the bottom.

    A long conversation shows its newest PAGE messages; "Show earlier messages"
    adds the rest a page at a time, so opening it never builds thousands of widgets.
    """

    PAGE = 50  # 0.6 ms a message view on this machine: 30 ms for a page
    earlier_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self._layout.setSpacing(8)
        self.earlier_button = QPushButton(tr("Show earlier messages"))
        self.earlier_button.setFlat(True)
        self.earlier_button.hide()
        self.earlier_button.clicked.connect(self.earlier_requested)
        self._layout.addWidget(self.earlier_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.empty = EmptyState(self._content)
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)
        self.setWidget(self._content)
        self.messages: list[MessageView] = []
        self._follow = True
        self._anchor: MessageView | None = None  # a message scroll_to keeps in sight
        self._anchor_until = 0.0
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """A reading column: messages at most READING_WIDTH wide, centred."""
        super().resizeEvent(event)
        side = max(MARGIN, (self.viewport().width() - READING_WIDTH) // 2)
        self._layout.setContentsMargins(side, MARGIN, side, MARGIN)

    def add_message(self, role: str, text: str = "", message_id: int | None = None,
                    position: tuple[int, int] = (1, 1)) -> MessageView:
        view = MessageView(role, text, message_id, position, self._content)
        self._layout.insertWidget(self._layout.count() - 1, view)
        self.messages.append(view)
        self.empty.hide()
        self._follow = True
        return view

    def prepend_message(self, role: str, text: str, message_id: int,
                        position: tuple[int, int]) -> MessageView:
        view = MessageView(role, text, message_id, position, self._content)
        self._layout.insertWidget(1, view)
        self.messages.insert(0, view)
        return view

    def clear(self) -> None:
        self._anchor = None
        self.truncate(0)
        self.earlier_button.hide()
        self._follow = True

    def truncate(self, count: int) -> None:
        """Remove the message views after the first ``count``."""
        for view in self.messages[count:]:
            view.hide()
            view.deleteLater()
        del self.messages[count:]
        self.empty.setVisible(not self.messages)

    def view_for(self, message_id: int) -> MessageView | None:
        return next((v for v in self.messages if v.message_id == message_id), None)

    def scroll_to(self, view: MessageView) -> None:
        """Bring ``view`` into sight, and keep it there while the layout settles (heights
        of the messages above it are final only after a few layout passes)."""
        self._follow = False
        self._anchor = view
        self._anchor_until = time.monotonic() + ANCHOR_SECONDS
        self._scroll_to_anchor()

    def _scroll_to_anchor(self) -> None:
        view = self._anchor
        if view is None or view not in self.messages:
            return
        self._content.adjustSize()
        self.ensureWidgetVisible(view, 0, 40)

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 4

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._anchor is not None and time.monotonic() < self._anchor_until:
            QTimer.singleShot(0, self, self._scroll_to_anchor)
            return
        self._anchor = None
        if self._follow:
            # After the layout settles, so the bottom is the real bottom.
            QTimer.singleShot(0, self, self._scroll_to_bottom)

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
