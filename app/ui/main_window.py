"""A chat window: the conversation list, the conversation, its settings panel.

The window puts together parts that each do one job and can be tested alone:
the banners (app/ui/banners.py) that show the message funnel's messages, the
branch view (conversation_view.py), the answer being written (answer_session.py),
the Models menu (models_menu.py) and the export/import actions (transfer.py).
What windows share (the engine host, the history, the settings, the loaded
model, the message funnel) comes in as ``SharedParts``, built once by the app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.backend.attachments import with_attachments
from app.backend.engine import GenerationResult, ModelFacts, effective_context
from app.backend.history import model_input
from app.backend.models import ModelChoice
from app.backend.schema import BY_NAME
from app.backend.settings import Settings
from app.backend.store import Branch, Message, Store
from app.ui.answer_session import AnswerSession, State
from app.ui.app_settings import AppSettings
from app.ui.attachments_bar import AttachmentsBar
from app.ui.banners import Banner, Banners
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.conversation_panel import ConversationPanel
from app.ui.conversation_view import ConversationView, message_note
from app.ui.drafts import Drafts
from app.ui.i18n import number, setting_text, shown, tr
from app.ui.icons import icon
from app.ui.messages import Level, MessageFunnel, UserMessage
from app.ui.model_controller import ModelController
from app.ui.model_picker import ModelPicker
from app.ui.models_menu import ModelsMenu, installed_models
from app.ui.palette import make_alert, make_quiet
from app.ui.remote_menu import remote_items
from app.ui.sidebar import Sidebar
from app.ui.transfer import TransferActions
from app.ui.window_session import restore_window, window_state
from app.ui.worker import EngineHost, LoadedModel, RemoteModelsHost, TokenCount

__all__ = ["MainWindow", "SharedParts", "State"]

if TYPE_CHECKING:
    from app.ui.preferences import PreferencesDialog

NARROW = 1000  # px: below this the settings panel starts closed
COUNT_DELAY_MS = 250  # the context meter recounts this long after typing stops
UNDO_MS = 15_000
PANEL_SAVE_MS = 400


@dataclass(frozen=True)
class SharedParts:
    """What every window of the app shares; built once, in DesktopApp."""

    host: EngineHost
    store: Store
    settings: AppSettings
    models: ModelController
    messages: MessageFunnel
    models_dir: Path | None = None
    drafts: Drafts = field(default_factory=lambda: Drafts(None))
    remote_models: RemoteModelsHost | None = None


class MainWindow(QMainWindow):
    window_requested = Signal(int)  # open this conversation in a window of its own
    history_changed = Signal()  # the conversation list changed
    quit_requested = Signal()
    closing = Signal(object)  # this window's state (dict), as it closes while shown
    closed = Signal()

    def __init__(self, shared: SharedParts) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.resize(1180, 760)
        self.shared = shared
        self.host = shared.host
        self.store = shared.store
        self.app_settings = shared.settings
        self.models = shared.models
        self.models_dir = shared.models_dir
        self.editing: Message | None = None
        self._count_id = 0
        self._panel_edited = False  # a new chat's panel was changed by the user
        self._closed = False
        self._placing_draft = False
        self.banners = Banners()
        shared.messages.attach(self)  # before the parts below, which may post at once
        self.messages = shared.messages.bound(self)

        self.chat = ChatView()
        self.chat.empty.prompt_chosen.connect(self._start_with)
        self.view = ConversationView(self.chat, self.store, self.messages, self)
        self.view.edit_requested.connect(self.edit_message)
        self.view.regenerate_requested.connect(self.regenerate)
        self.view.continue_requested.connect(self.continue_answer)
        self.view.branch_requested.connect(self.step_branch)
        self.session = AnswerSession(self.host, self.store, self.messages, self)
        self.session.state_changed.connect(self._refresh_state)
        self.session.answer_started.connect(self._on_session_answer_started)
        self.session.answer_written.connect(self._on_session_answer_written)
        self.session.answer_noted.connect(self._on_session_answer_noted)
        self.session.answer_ended.connect(self._on_session_answer_ended)
        self.session.context_fitted.connect(self._on_session_context_fitted)
        self.transfer = TransferActions(self.store, self.messages, self)
        self.transfer.imported.connect(self._on_imported)

        self.composer = Composer()
        self.attachments = AttachmentsBar(self.messages)
        self.attachments.changed.connect(self._schedule_count)
        self.attach_button = QToolButton()
        self.attach_button.setIcon(icon("attach"))
        self.attach_button.setToolTip(tr("Attach text, code, Markdown or PDF files (or drop "
                                         "them on the window)"))
        self.attach_button.setAccessibleName(tr("Attach files"))
        self.attach_button.clicked.connect(self.attach_files)
        self.setAcceptDrops(True)
        self.send_button = QPushButton(tr("Send"))
        self.send_button.setObjectName("send-button")
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.composer.submitted.connect(self.send)
        self.composer.textChanged.connect(self._schedule_count)
        self.composer.textChanged.connect(self._keep_draft)
        self.meter = QLabel()
        self.meter.setObjectName("context-meter")
        make_quiet(self.meter)
        self._meter_over = False
        self.sidebar = Sidebar(self.store, self.messages)
        self.sidebar.conversation_chosen.connect(self.open_conversation)
        self.sidebar.search_result_chosen.connect(self.open_conversation)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.open_in_window_requested.connect(self.window_requested)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.changed.connect(self.history_changed)
        self.sidebar.export_requested.connect(self.transfer.export)
        self.sidebar.copy_markdown_requested.connect(self.transfer.copy_markdown)
        self.panel = ConversationPanel(self.app_settings, self)
        self.panel.changed.connect(self._on_panel_changed)
        self._build_layout()
        self._build_status_bar()

        self._count_timer = _timer(self, COUNT_DELAY_MS, self._request_count)
        self._panel_timer = _timer(self, PANEL_SAVE_MS, self._save_panel)
        for keys in ("Ctrl+K", "Ctrl+F"):
            QShortcut(QKeySequence(keys), self, self.focus_search)
        self.models_menu = ModelsMenu(self.models, self.app_settings, self.messages,
                                      self.models_dir, self, shared.remote_models)
        self.models_menu.model_chosen.connect(self.switch_model)
        self.model_picker = ModelPicker(self.models_dir, remote_items=functools.partial(
            remote_items, self.app_settings, shared.remote_models,
            lambda: installed_models(self.models_dir, None)))
        self.model_picker.model_chosen.connect(self.switch_model)
        self.models_menu.gpu_layers_chosen.connect(self.set_gpu_layers)
        self._build_menu()
        self._build_toolbar()

        self._following: list[tuple[Any, Callable[..., None]]] = [
            (self.models.state_changed, self._on_models_state_changed),
            (self.models.facts_changed, self._on_models_facts_changed),
            (self.models.loaded, self._on_models_loaded),
            (self.models.progressed, self._on_models_progressed),
            (self.app_settings.changed, self._on_settings_changed),
            (self.host.counted, self._on_host_counted),
        ]
        for signal, slot in self._following:
            signal.connect(slot)
        if self.models.facts is not None:
            self._show_facts(self.models.model_name, self.models.facts)
        self._on_models_state_changed(self.models.state)
        self.model_picker.fill(self.loaded_path or None)
        self._place_draft()
        self.composer.setFocus()

    def _build_layout(self) -> None:
        center = QWidget()
        layout = QVBoxLayout(center)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.banners)
        layout.addWidget(self.chat, 1)
        layout.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.attachments)
        row = QHBoxLayout()
        row.setContentsMargins(12, 0, 12, 0)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 680, 260])
        self.setCentralWidget(self.splitter)

    def _build_status_bar(self) -> None:
        self.load_bar = QProgressBar()
        self.load_bar.setRange(0, 100)
        self.load_bar.setMaximumWidth(160)
        self.load_bar.hide()
        self.statusBar().addWidget(self.load_bar)
        self.model_label = QLabel()
        self.backend_label = QLabel()
        self.speed_label = QLabel()
        self.context_label = QLabel()
        for label in (self.model_label, self.backend_label, self.speed_label,
                      self.context_label):
            self.statusBar().addPermanentWidget(label)

    def _build_menu(self) -> None:
        menu = self.file_menu = self.menuBar().addMenu(tr("&File"))
        menu.addAction(tr("&New chat"), QKeySequence("Ctrl+N"), self.new_chat)
        menu.addAction(tr("Open chat in new &window"), QKeySequence("Ctrl+Shift+N"),
                       self._open_in_new_window)
        menu.addSeparator()
        menu.addAction(tr("&Export…"), QKeySequence("Ctrl+E"),
                       lambda: self.transfer.export(self._current_ids()))
        menu.addAction(tr("Export &all…"), self.transfer.export_all)
        menu.addAction(tr("&Copy as Markdown"), lambda: self.transfer.copy_markdown(
            self.conversation_id) if self.conversation_id else None)
        menu.addAction(tr("&Import…"), self.transfer.import_file)
        menu.addSeparator()
        menu.addAction(tr("&Preferences…"), QKeySequence("Ctrl+,"), self.show_preferences)
        menu.addSeparator()
        menu.addAction(tr("&Quit"), QKeySequence("Ctrl+Q"), self.quit_requested.emit)
        view = self.view_menu = self.menuBar().addMenu(tr("&View"))
        self.sidebar_action = view.addAction(tr("Chat &list"), QKeySequence("Ctrl+Shift+L"))
        self.sidebar_action.setToolTip(tr("Show or hide the chat list (Ctrl+Shift+L)"))
        self.panel_action = view.addAction(tr("Chat &settings panel"),
                                           QKeySequence("Ctrl+Shift+P"))
        self.panel_action.setToolTip(tr("Show or hide the chat's settings (Ctrl+Shift+P)"))
        for action, part in ((self.sidebar_action, self.sidebar),
                             (self.panel_action, self.panel)):
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda shown, w=part: self._show_part(w, shown))
        themes = view.addMenu(tr("&Theme"))
        group = QActionGroup(themes)
        self.theme_actions: dict[str, QAction] = {}
        for value, label in BY_NAME["theme"].choices:
            action = themes.addAction(setting_text(label))
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(
                lambda _checked=False, v=value: self.app_settings.update({"theme": v}, self))
            self.theme_actions[value] = action
        self._check_theme(self.app_settings.settings)
        chat = self.chat_menu = self.menuBar().addMenu(tr("&Chat"))
        chat.addAction(tr("&Regenerate the last answer"), QKeySequence("Ctrl+R"),
                       self.regenerate_last)
        chat.addAction(tr("&Copy the last answer"), QKeySequence("Ctrl+Shift+C"),
                       self.copy_last_answer)
        chat.addAction(tr("Go to the &message box"), QKeySequence("Ctrl+L"),
                       self.focus_composer)
        chat.addAction(tr("&Stop the answer"), QKeySequence(Qt.Key.Key_Escape), self._on_escape)
        self.menuBar().addMenu(self.models_menu)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(tr("&Keyboard shortcuts"), QKeySequence("F1"), self.show_shortcuts)

    # -- layout ----------------------------------------------------------------

    def _build_toolbar(self) -> None:
        """New chat, the chat list and settings drawers, and the model picker."""
        toolbar = self.toolbar = QToolBar(tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.toggleViewAction().setEnabled(False)  # always there
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sidebar_action.setIcon(icon("chat-list"))
        self.panel_action.setIcon(icon("settings-panel"))
        toolbar.addAction(self.sidebar_action)
        new_chat = toolbar.addAction(icon("new-chat"), tr("New chat"), self.new_chat)
        new_chat.setToolTip(tr("New chat (Ctrl+N)"))
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(tr("Model") + " "))
        toolbar.addWidget(self.model_picker)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.panel_action)
        self.addToolBar(toolbar)

    def _show_part(self, part: QWidget, shown: bool) -> None:
        """The chat list and the settings panel open and close like drawers."""
        part.setVisible(shown)
        if shown and self.splitter.sizes()[self.splitter.indexOf(part)] == 0:
            sizes = self.splitter.sizes()
            sizes[self.splitter.indexOf(part)] = 240 if part is self.sidebar else 260
            self.splitter.setSizes(sizes)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Narrower than NARROW, the settings panel closes when the window shrinks past it
        (it opens again from View or Ctrl+Shift+P), so the chat keeps a reading width."""
        super().resizeEvent(event)
        old, new = event.oldSize().width(), event.size().width()
        if new < NARROW <= old or (old < 0 and new < NARROW):
            self.panel_action.setChecked(False)

    # -- messages (the funnel's target) --------------------------------------

    @property
    def errors(self) -> Banner:
        return self.banners.errors

    @property
    def info(self) -> Banner:
        return self.banners.info

    def show_user_message(self, message: UserMessage,
                          on_action: Callable[[], None] | None) -> None:
        if message.level is Level.STATUS:
            self.statusBar().showMessage(message.text, message.timeout_ms)
        else:
            self.banners.show_message(message, on_action)

    # -- state ---------------------------------------------------------------

    @property
    def state(self) -> State:
        answer = self.session.state
        return answer if answer is not State.READY else self.models.state

    @property
    def conversation_id(self) -> int | None:
        return self.view.conversation_id

    @property
    def branch(self) -> Branch:
        return self.view.branch

    def _refresh_state(self, *_args: object) -> None:
        state = self.state
        generating = state in (State.GENERATING, State.STOPPING)
        self.send_button.setText(tr("Stop") if generating else tr("Send"))
        self.send_button.setIcon(icon("stop" if generating else "send"))
        self.send_button.setToolTip(tr("Stop the answer (Esc)") if generating
                                    else tr("Send the message (Enter)"))
        self.send_button.setEnabled(state in (State.READY, State.GENERATING))
        self.view.set_actions_enabled(state is State.READY)

    # -- the shared model ----------------------------------------------------

    @property
    def loaded_path(self) -> str:
        return self.models.loaded_path

    def switch_model(self, choice: ModelChoice) -> None:
        """Stop the answer being written, then load ``choice`` in the background; the
        conversation goes on with it.  Sending waits until it is loaded."""
        self.session.stop()
        self.models.switch(choice, self)

    def set_gpu_layers(self, layers: int) -> None:
        self.session.stop()
        self.models.set_gpu_layers(layers, self)

    def _on_models_state_changed(self, state: State) -> None:
        if state is State.LOADING:
            self.model_label.setText(tr("Loading {name}…").format(
                name=shown(self.models.loading_name)))
        elif state is State.NO_MODEL:
            self.load_bar.hide()
            self.model_label.setText(tr("No model loaded"))
            self.chat.empty.set_model(None)
        self._refresh_state()

    def _on_models_loaded(self, loaded: LoadedModel) -> None:
        self.load_bar.hide()
        self.model_picker.fill(self.loaded_path or None)
        self._show_facts(loaded.display_name, loaded.facts)

    def _on_models_facts_changed(self, facts: ModelFacts) -> None:
        self.context_label.setText(context_text(0, facts.context_size))
        self._schedule_count()

    def _show_facts(self, display_name: str, facts: ModelFacts) -> None:
        name, backend = shown(display_name), shown(facts.backend_label)
        quantization = shown(facts.quantization)
        self.model_label.setText(f"{name} · {quantization}")
        self.chat.empty.set_model(f"{name} · {quantization} · {backend}")
        self.model_label.setToolTip(facts.path)
        self.backend_label.setText(backend)
        self.context_label.setText(context_text(0, facts.context_size))
        self._refresh_state()
        self._schedule_count()

    def _on_models_progressed(self, fraction: float) -> None:
        self.load_bar.setValue(int(fraction * 100))
        self.load_bar.setVisible(fraction < 1.0)

    def _check_theme(self, settings: Settings) -> None:
        for value, action in self.theme_actions.items():
            action.setChecked(value == settings.theme)

    def _on_settings_changed(self, _settings: Settings) -> None:
        self._check_theme(_settings)
        if self.conversation_id is None and not self._panel_edited:
            self.panel.show_defaults()  # a new chat starts from the new defaults
        self._schedule_count()

    # -- conversations -------------------------------------------------------

    def new_chat(self) -> None:
        if self.state in (State.GENERATING, State.STOPPING):
            return
        self._cancel_edit()
        self.session.first_turn = 0
        self.view.show(None)
        self._place_draft()
        self.panel.show_defaults()
        self._panel_edited = False
        self.sidebar.select(None)
        self.setWindowTitle(APP_NAME)
        self.composer.setFocus()
        self._schedule_count()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        if self.state in (State.GENERATING, State.STOPPING):
            self.messages.info(tr("An answer is being written; stop it to open another chat "
                                  "here, or open that chat in a new window (Ctrl+Shift+N)."),
                               timeout_ms=6000)
            return
        with self.messages.guard(tr("open the chat")) as attempt:
            conversation = self.store.conversation(conversation_id)
            if message_id and not self.store.read_only:
                self.store.show_branch(conversation_id, message_id)
        if attempt.failed:
            return
        self._cancel_edit()
        self.session.first_turn = 0
        self.panel.set_values(conversation.system_prompt, conversation.settings)
        self.sidebar.select(conversation_id)
        self.setWindowTitle(f"{conversation.title} - {APP_NAME}")
        self.view.show(conversation_id, scroll_to=message_id)
        self._place_draft()
        self._schedule_count()

    def _start_with(self, text: str) -> None:
        """A starter prompt from the empty chat: in the message box, to finish and send."""
        self.composer.setPlainText(text)
        cursor = self.composer.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.composer.setTextCursor(cursor)
        self.composer.setFocus()

    def _keep_draft(self) -> None:
        """What is typed belongs to the chat shown (not while a message is edited)."""
        if not self._placing_draft and self.editing is None:
            self.shared.drafts.put(self.conversation_id, self.composer.toPlainText())

    def _place_draft(self) -> None:
        """The message box shows the draft of the chat now shown."""
        self._placing_draft = True
        try:
            self.composer.setPlainText(self.shared.drafts.get(self.conversation_id))
        finally:
            self._placing_draft = False

    def refresh_title(self) -> None:
        """The window's title follows its chat's: after a rename, and after the first
        message names a new chat."""
        conversation_id = self.conversation_id
        if conversation_id is None:
            self.setWindowTitle(APP_NAME)
            return
        with self.messages.guard(tr("read the chat's title"), quiet=True) as attempt:
            title = self.store.conversation(conversation_id).title
        if not attempt.failed:
            self.setWindowTitle(f"{title} - {APP_NAME}")

    def delete_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.conversation_id and self.state in (State.GENERATING,
                                                                      State.STOPPING):
            self.messages.error(tr("Stop the answer before deleting this chat."))
            return
        with self.messages.guard(tr("delete the chat")) as attempt:
            title = self.store.conversation(conversation_id).title
            self.store.delete(conversation_id)
        if attempt.failed:
            return
        if conversation_id == self.conversation_id:
            self.new_chat()
        self.messages.info(tr("Deleted “{title}”.").format(title=title), action=tr("Undo"),
                           timeout_ms=UNDO_MS,
                           on_action=lambda: self._restore(conversation_id))
        self.history_changed.emit()

    def _restore(self, conversation_id: int) -> None:
        with self.messages.guard(tr("bring the chat back")) as attempt:
            self.store.restore(conversation_id)
        if not attempt.failed:
            self.history_changed.emit()

    def focus_search(self) -> None:
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    def _open_in_new_window(self) -> None:
        if self.conversation_id is not None:
            self.window_requested.emit(self.conversation_id)

    def _current_ids(self) -> list[int]:
        return [self.conversation_id] if self.conversation_id else []

    def _on_imported(self, ids: list[int]) -> None:
        self.history_changed.emit()
        if ids and self.state is State.READY:
            self.open_conversation(ids[0])

    # -- sending -------------------------------------------------------------

    def send(self) -> None:
        text = with_attachments(self.composer.toPlainText(), self.attachments.attachments)
        if not text or self.state is not State.READY:
            return
        if self.conversation_id is None:
            self.shared.drafts.put(None, "")  # the new chat's draft becomes its message
        system_prompt, settings = self.panel.values()
        with self.messages.guard(tr("save your message")) as attempt:
            # A full disk, a read-only history: the text stays in the box.
            if self.conversation_id is None:
                created = self.store.create_conversation(system_prompt, settings)
                self.view.show(created.id)
                self.sidebar.select(created.id)
            assert self.conversation_id is not None
            if self.editing is not None:
                parent = self.editing.parent_id
                self.session.first_turn = 0  # a new branch: the old trim point may not apply
            else:
                parent = self.branch.messages[-1].id if self.branch.messages else None
            question = self.store.add_message(self.conversation_id, parent, "user", text)
        if attempt.failed:
            return
        self._cancel_edit()
        self.composer.clear()
        self.attachments.clear()  # they are part of the message now
        self.errors.hide()
        self._ask(question.id)
        self.history_changed.emit()

    def attach_files(self) -> None:
        self.attachments.add_files(self.ask_attachment_paths())

    def ask_attachment_paths(self) -> list[Path]:
        """An open dialog; tests replace this method."""
        names, _chosen = QFileDialog.getOpenFileNames(
            self, tr("Attach files"), str(Path.home()),
            tr("Text, code, Markdown and PDF") + " (*.txt *.md *.py *.json *.csv *.pdf *);;"
            + tr("All files") + " (*)")
        return [Path(name) for name in names]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        """Files dropped on the window are attached to the message being written."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.attachments.add_files(paths)
            event.acceptProposedAction()

    def _last_answer(self) -> Message | None:
        return next((m for m in reversed(self.branch.messages) if m.role == "assistant"),
                    None)

    def regenerate_last(self) -> None:
        answer = self._last_answer()
        if answer is not None:
            self.regenerate(answer.id)

    def copy_last_answer(self) -> None:
        view = self.chat.view_for(answer.id) if (answer := self._last_answer()) else None
        if view is not None:
            view.copy_text()
            self.messages.status(tr("The last answer was copied."))

    def focus_composer(self) -> None:
        self.composer.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        """Every keyboard shortcut of the window: (keys, what it does), from the menus and
        the window's own shortcuts, so the list is never out of date."""
        found: list[tuple[str, str]] = [("Enter", tr("Send the message")),
                                        ("Shift+Enter", tr("A new line in the message"))]
        for menu in self.menuBar().findChildren(QMenu):
            for action in menu.actions():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    found.append((keys, action.text().replace("&", "").rstrip("…")))
        searches = [s.key().toString(QKeySequence.SequenceFormat.NativeText)
                    for s in self.findChildren(QShortcut)]
        found.append(((" " + tr("or") + " ").join(sorted(searches, key=lambda k: k != "Ctrl+K")),
                      tr("Search the chats")))
        return found

    def show_preferences(self) -> PreferencesDialog:
        from app.ui.preferences import PreferencesDialog  # on demand: 19 ms of start-up

        dialog = PreferencesDialog(self.app_settings, self, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> QDialog:
        """Help > Keyboard shortcuts: a table of every one (keys, what it does)."""
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("Keyboard shortcuts"))
        rows = self.shortcuts()
        table = QTableWidget(len(rows), 2, dialog)
        table.setAccessibleName(tr("Keyboard shortcuts"))
        table.setHorizontalHeaderLabels([tr("Keys"), tr("What it does")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(520, 480)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def regenerate(self, answer_id: int) -> None:
        if self.state is not State.READY or self.conversation_id is None:
            return
        with self.messages.guard(tr("read the answer")) as attempt:
            answer = self.store.message(answer_id)
        if attempt.failed or answer.parent_id is None:
            return
        self.session.first_turn = 0
        self._ask(answer.parent_id)

    def edit_message(self, message_id: int) -> None:
        if self.state is not State.READY:
            return
        with self.messages.guard(tr("read the message")) as attempt:
            self.editing = self.store.message(message_id)
        if attempt.failed or self.editing is None:
            return
        self.composer.setPlainText(self.editing.content)
        self.composer.setFocus()
        self.messages.info(tr("Editing a message: Send makes a new version beside the old one; "
                              "Esc cancels."))

    def _cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.info.hide()

    def step_branch(self, message_id: int, step: int) -> None:
        if self.state is State.READY and self.view.step(message_id, step):
            self.session.first_turn = 0

    def continue_answer(self, answer_id: int) -> None:
        """Go on writing an answer (stopped, or cut at its length), in place."""
        if self.state is not State.READY or self.conversation_id is None:
            return
        system_prompt, values = self.panel.values()
        settings = self.app_settings.settings
        context = settings.load_options(self.loaded_path, values).context_size
        self.session.continue_answer(self.conversation_id, answer_id, system_prompt,
                                     settings.generation_params(values), context)

    def _ask(self, parent_id: int) -> None:
        """Write a new answer to the message ``parent_id`` with this chat's settings."""
        assert self.conversation_id is not None
        system_prompt, values = self.panel.values()
        settings = self.app_settings.settings
        context = settings.load_options(self.loaded_path, values).context_size
        self.session.ask(self.conversation_id, parent_id, self.models.model_name,
                         system_prompt, settings.generation_params(values), context)

    def stop(self) -> None:
        self.session.stop()

    def _on_escape(self) -> None:
        if self.editing is not None:
            self._cancel_edit()
            self.composer.clear()
        else:
            self.stop()

    def _on_send_button_clicked(self) -> None:
        if self.state is State.GENERATING:
            self.stop()
        else:
            self.send()

    # -- the answer being written --------------------------------------------

    def _on_session_answer_started(self, branch: Branch, answer_id: int, waiting: bool) -> None:
        self.view.sync(branch)
        view = self.chat.view_for(answer_id)
        if view is not None:
            view.set_note(tr("Waiting for another answer (another window's or the local "
                             "server's) to finish…") if waiting
                          else tr("Writing…"))

    def _on_session_answer_noted(self, answer_id: int, note: str) -> None:
        view = self.chat.view_for(answer_id)
        if view is not None:
            view.set_note(note)

    def _on_session_answer_written(self, answer_id: int, text: str) -> None:
        view = self.chat.view_for(answer_id)
        if view is not None:
            view.set_text(text)

    def _on_session_answer_ended(self, answer_id: int, stored: Message | None,
                                 result: GenerationResult | None) -> None:
        view = self.chat.view_for(answer_id)
        if stored is not None:
            self.view.replace(stored)  # the meter counts the answer just written
        if view is not None and stored is not None:
            view.set_text(stored.content)
            view.set_note(message_note(stored))
        if result is not None:
            self.speed_label.setText(tr("{speed} tokens/s").format(
                speed=number(result.tokens_per_second, 1)))
            self.context_label.setText(context_text(result.context_used, result.context_size))
        self.history_changed.emit()
        self._schedule_count()

    def _on_session_context_fitted(self, outside: set[int], trimmed: bool) -> None:
        self.view.mark_outside(outside)
        if trimmed:
            self.messages.info(
                tr("The {count} oldest messages no longer fit in the context and are marked; "
                   "the system prompt is always kept.").format(count=len(outside)),
                timeout_ms=8000)

    # -- context meter -------------------------------------------------------

    def _schedule_count(self) -> None:
        if self.host.facts is not None:
            self._count_timer.start()

    def _request_count(self) -> None:
        system_prompt, _settings = self.panel.values()
        draft = with_attachments(self.composer.toPlainText(), self.attachments.attachments)
        wanted = model_input(system_prompt, self.branch.messages, draft=draft or None)
        self._count_id = self.host.count(wanted.messages)

    def _on_host_counted(self, count: TokenCount) -> None:
        if count.request_id != self._count_id:
            return
        facts = self.host.facts
        _system_prompt, values = self.panel.values()
        chosen = self.app_settings.settings.load_options(self.loaded_path, values).context_size
        context = effective_context(chosen, facts.trained_context if facts else None)
        typed = bool(self.composer.toPlainText().strip())
        if not typed:
            # one figure for the chat: the status bar shows what the meter shows
            self.context_label.setText(context_text(count.tokens, context))
        over = count.tokens > context
        figures = {"used": number(count.tokens), "size": number(context)}
        text = (tr("With your message, the chat takes {used} of {size} tokens") if typed
                else tr("The chat takes {used} of {size} tokens")).format(**figures)
        self.meter.setText(text + (tr(": more than fits, so the oldest turns are left out")
                                   if over else ""))
        if over != self._meter_over:  # restyled when it crosses the limit, not per count
            self._meter_over = over
            (make_alert if over else make_quiet)(self.meter)

    # -- settings panel ------------------------------------------------------

    def _on_panel_changed(self) -> None:
        self._panel_edited = True
        self._panel_timer.start()
        self._schedule_count()

    def _save_panel(self) -> None:
        if self.conversation_id is None or self.store.read_only:
            return
        system_prompt, settings = self.panel.values()
        with self.messages.guard(tr("save the chat's settings")):
            self.store.set_system_prompt(self.conversation_id, system_prompt)
            self.store.set_settings(self.conversation_id, settings)

    # -- window --------------------------------------------------------------

    def window_state(self) -> dict[str, Any]:
        return window_state(self)

    def restore_state(self, state: dict[str, Any]) -> None:
        restore_window(self, state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._closed:
            super().closeEvent(event)
            return
        self._closed = True
        if self.isVisible():
            self.closing.emit(self.window_state())
        self.session.detach()
        if self._panel_timer.isActive():
            self._panel_timer.stop()
            self._save_panel()
        for timer in (self._count_timer, self.sidebar.search_timer):
            timer.stop()
        for signal, slot in self._following:
            signal.disconnect(slot)
        self._following = []
        self.panel.detach()
        self.shared.messages.detach(self)
        super().closeEvent(event)
        self.closed.emit()


def _timer(parent: QWidget, interval: int, slot: Any) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval)
    timer.timeout.connect(slot)
    return timer


def context_text(used: int, size: int) -> str:
    """The status bar's context figure: tokens in use of the context's size."""
    return tr("context {used} / {size}").format(used=number(used), size=number(size))
