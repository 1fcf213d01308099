"""The conversation list: grouped by date, pinned on top, searchable."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.store import ConversationSummary, SearchHit, Store
from app.ui.i18n import tr
from app.ui.messages import WindowMessages
from app.ui.palette import base_palette, follow_theme, quiet_colour

ID_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 120


def date_group(updated_at: float, today: dt.date) -> str:
    day = dt.datetime.fromtimestamp(updated_at).date()
    if day >= today:
        return "Today"
    if day == today - dt.timedelta(days=1):
        return "Yesterday"
    if day >= today - dt.timedelta(days=7):
        return "Previous 7 days"
    return "Older"


def grouped(rows: list[ConversationSummary], today: dt.date) -> list[tuple[str, list[
        ConversationSummary]]]:
    groups: dict[str, list[ConversationSummary]] = {}
    for row in rows:
        groups.setdefault("Pinned" if row.pinned else date_group(row.updated_at, today),
                          []).append(row)
    order = ["Pinned", "Today", "Yesterday", "Previous 7 days", "Older"]
    return [(name, groups[name]) for name in order if name in groups]


def group_title(name: str) -> str:
    """A group's heading (grouped's name) in the user's language."""
    return {"Pinned": tr("Pinned"), "Today": tr("Today"), "Yesterday": tr("Yesterday"),
            "Previous 7 days": tr("Previous 7 days"), "Older": tr("Older")}[name]


def highlighted(snippet: str) -> str:
    """Search markers [[...]] as bold, everything else escaped."""
    escaped = html.escape(snippet)
    return escaped.replace("[[", "<b>").replace("]]", "</b>")


class Sidebar(QWidget):
    conversation_chosen = Signal(int)
    search_result_chosen = Signal(int, int)  # conversation id, message id (0: title)
    new_chat_requested = Signal()
    open_in_window_requested = Signal(int)
    delete_requested = Signal(int)
    export_requested = Signal(list)  # conversation ids
    copy_markdown_requested = Signal(int)
    changed = Signal()

    def __init__(self, store: Store, messages: WindowMessages,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.messages = messages
        self.current_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        self.new_button = QPushButton(tr("New chat"))
        self.new_button.setToolTip(tr("New chat (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_chat_requested)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search chats (Ctrl+K)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search chats"))
        self.search.setAccessibleDescription(tr("Titles and message text; Up and Down choose "
                                                "a result, Enter opens it"))
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Chats"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu)
        self.list.itemActivated.connect(self._on_item_chosen)
        self.list.itemClicked.connect(self._on_item_chosen)
        self.list.itemChanged.connect(self._on_item_renamed)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.installEventFilter(self)
        self._filling = False
        follow_theme(self.list, lambda _list: self.refresh())  # fills it now, and per theme

    # -- filling -------------------------------------------------------------

    def refresh(self) -> None:
        query = self.search.text().strip()
        self._filling = True
        try:
            self.list.clear()
            with self.messages.guard(tr("search the chats") if query else tr("list the chats")):
                if query:
                    self._fill_results(self.store.search(query))
                else:
                    self._fill_conversations(self.store.conversations())
        finally:
            self._filling = False

    def _fill_conversations(self, rows: list[ConversationSummary]) -> None:
        for name, members in grouped(rows, dt.date.today()):
            header = QListWidgetItem(group_title(name))
            # not "disabled" (1.6:1 grey): enabled, not selectable, in the quiet colour
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setForeground(quiet_colour(base_palette(self.list)))
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.list.addItem(header)
            for row in members:
                item = QListWidgetItem(row.title)
                item.setData(ID_ROLE, row.id)
                item.setToolTip(row.title + "\n" + tr("{count} messages").format(
                    count=row.message_count))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsEditable)
                self.list.addItem(item)
                if row.id == self.current_id:
                    item.setSelected(True)

    def _fill_results(self, hits: list[SearchHit]) -> None:
        if not hits:
            empty = QListWidgetItem(tr("No matches"))
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setForeground(quiet_colour(base_palette(self.list)))
            self.list.addItem(empty)
        for hit in hits:
            item = QListWidgetItem()
            item.setData(ID_ROLE, hit.conversation_id)
            item.setData(MESSAGE_ROLE, hit.message_id or 0)
            label = QLabel(f"<b>{html.escape(hit.conversation_title)}</b><br>"
                           f"{highlighted(hit.snippet)}")
            label.setObjectName("search-result")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(4, 2, 4, 2)
            item.setSizeHint(label.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, label)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        return next((i for i in self.items() if i.data(ID_ROLE) == conversation_id), None)

    def select(self, conversation_id: int | None) -> None:
        self.current_id = conversation_id
        for item in self.items():
            item.setSelected(conversation_id is not None
                             and item.data(ID_ROLE) == conversation_id)

    def rename(self, conversation_id: int) -> None:
        item = self.item_for(conversation_id)
        if item is not None:
            self.list.editItem(item)

    # -- events --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's
        """Up and Down in the search box move through the list, Enter opens the one
        chosen; the box keeps the focus, so typing goes on."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step_current(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.list.currentRow() < 0:
                    self._step_current(1)
                if self.list.currentRow() >= 0:
                    self._on_item_chosen(self.list.currentItem())
                return True
        return super().eventFilter(watched, event)

    def _step_current(self, step: int) -> None:
        choosable = [row for row in range(self.list.count())
                     if self.list.item(row).data(ID_ROLE) is not None]
        if not choosable:
            return
        current = self.list.currentRow()
        later = [r for r in choosable if (r > current if step > 0 else r < current)]
        row = (later[0] if step > 0 else later[-1]) if later else current
        if row < 0:
            row = choosable[0]
        self.list.setCurrentRow(row)
        self.list.scrollToItem(self.list.item(row))

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(ID_ROLE)
        if conversation_id is None:
            return
        if self.search.text().strip():
            self.search_result_chosen.emit(conversation_id, item.data(MESSAGE_ROLE) or 0)
        else:
            self.conversation_chosen.emit(conversation_id)

    def _on_item_renamed(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(ID_ROLE)
        if self._filling or conversation_id is None:
            return
        with self.messages.guard(tr("rename the chat")) as attempt:
            self.store.rename(conversation_id, item.text())
        if attempt.failed:
            self.refresh()  # the list shows the name the history still has
            return
        self.changed.emit()

    def _on_list_context_menu(self, point: QPoint) -> None:
        item = self.list.itemAt(point)
        if item is None or item.data(ID_ROLE) is None:
            return
        self.context_menu(item.data(ID_ROLE)).exec(self.list.mapToGlobal(point))

    def context_menu(self, conversation_id: int) -> QMenu:
        menu = QMenu(self)
        pinned = False
        with self.messages.guard(tr("read the chat")):
            pinned = self.store.conversation(conversation_id).pinned
        menu.addAction(tr("Rename"), lambda: self.rename(conversation_id))
        menu.addAction(tr("Unpin") if pinned else tr("Pin"),
                       lambda: self._pin(conversation_id, not pinned))
        menu.addAction(tr("Open in new window"),
                       lambda: self.open_in_window_requested.emit(conversation_id))
        menu.addSeparator()
        menu.addAction(tr("Export…"), lambda: self.export_requested.emit(
            self._selected_or(conversation_id)))
        menu.addAction(tr("Copy as Markdown"),
                       lambda: self.copy_markdown_requested.emit(conversation_id))
        menu.addSeparator()
        menu.addAction(tr("Delete"), lambda: self.delete_requested.emit(conversation_id))
        return menu

    def _selected_or(self, conversation_id: int) -> list[int]:
        """The selected conversations if the one clicked is among them, else that one."""
        selected = [i.data(ID_ROLE) for i in self.list.selectedItems()
                    if i.data(ID_ROLE) is not None]
        return selected if conversation_id in selected else [conversation_id]

    def _pin(self, conversation_id: int, pinned: bool) -> None:
        with self.messages.guard(tr("pin the chat") if pinned else tr("unpin the chat")) as attempt:
            self.store.set_pinned(conversation_id, pinned)
        if not attempt.failed:
            self.changed.emit()
