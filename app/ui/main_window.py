"""A chat window: conversation list, the conversation, its settings panel."""

from __future__ import annotations

import enum
import functools
import json
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.backend.catalog import fit, load_catalog, memory_needed
from app.backend.engine import ContextFit, GenerationResult
from app.backend.errors import LlamaDeskError
from app.backend.files import atomic_write_text
from app.backend.history import FINISH_STATUS, ModelInput, model_input
from app.backend.models import (
    ModelChoice,
    add_local_model,
    builtin_model,
    builtin_model_path_or_none,
)
from app.backend.settings import Settings, save_settings
from app.backend.store import AnswerWriter, Branch, Message, Store
from app.backend.transcripts import (
    EXTENSIONS,
    FORMATS,
    export_text,
    import_into,
    load_transcript,
    read_import,
    safe_filename,
)
from app.ui.chat_view import ChatView, MessageView
from app.ui.composer import Composer
from app.ui.conversation_panel import ConversationPanel
from app.ui.export import save_export
from app.ui.hub_token_dialog import HubTokenDialog
from app.ui.sidebar import Sidebar
from app.ui.worker import ChatRequest, EngineHost, LoadedModel, LoadRequest, TokenCount

log = logging.getLogger(__name__)
BATCH_MS = 40  # streamed text is applied at most this often
COUNT_DELAY_MS = 250  # the context meter recounts this long after typing stops
UNDO_MS = 15_000
PANEL_SAVE_MS = 400
STATUS_NOTES = {"stopped": "stopped", "interrupted": "cut off (the app closed)",
                "error": "interrupted by an error", "streaming": "writing…"}


class State(enum.Enum):
    NO_MODEL = "no model"
    LOADING = "loading"
    READY = "ready"
    GENERATING = "generating"
    STOPPING = "stopping"


class Banner(QFrame):
    """A closable line of text above the chat, with an optional action: errors and
    undo offers go here, never into modal dialogs."""

    def __init__(self, name: str, style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(style)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.hide()
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, message: str, action: str = "", timeout_ms: int = 0) -> None:
        self.label.setText(message)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()
        self.show()


class ErrorBanner(Banner):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("error-banner", "#error-banner { background: #fdecea; border: 1px "
                         "solid #f5c2c0; } #error-banner QLabel { color: #611a15; }", parent)


class InfoBanner(Banner):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("info-banner", "#info-banner { background: #e8f0fe; border: 1px "
                         "solid #c6dafc; } #info-banner QLabel { color: #174ea6; }", parent)


class MainWindow(QMainWindow):
    window_requested = Signal(int)  # open this conversation in a window of its own
    history_changed = Signal()  # the conversation list changed
    download_requested = Signal(str, str)  # catalog model id, quantisation
    downloads_requested = Signal()  # show the download manager
    hub_repo_requested = Signal(str)  # list this repository's GGUF files
    quit_requested = Signal()
    closing = Signal(object)  # this window's state (dict), as it closes

    def __init__(
        self,
        host: EngineHost,
        settings: Settings,
        model: ModelChoice | None,
        store: Store,
        panel: ConversationPanel,
        startup_problem: str | None = None,
        models_dir: Path | None = None,
        crash_marker: Path | None = None,
        settings_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings_file = settings_file
        self.models_dir = models_dir
        self.crash_marker = crash_marker
        self.setWindowTitle(APP_NAME)
        self.resize(1180, 760)
        self.host = host
        self.settings = settings
        self.model = model
        self.store = store
        self.state = State.NO_MODEL
        self.conversation_id: int | None = None
        self.branch = Branch((), ())
        self.first_turn = 0
        self.editing: Message | None = None
        self._request: ChatRequest | None = None
        self._input: ModelInput | None = None
        self._writer: AnswerWriter | None = None
        self._answer: MessageView | None = None
        self._pending: list[str] = []
        self._count_id = 0
        self._deleted: int | None = None
        self._loaded_name = ""
        self._shown_from = 0

        self.errors = ErrorBanner()
        self.info = InfoBanner()
        self.info.action.clicked.connect(self._on_info_action)
        self.chat = ChatView()
        self.chat.earlier_requested.connect(self._show_earlier)
        self.composer = Composer()
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("send-button")
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.composer.submitted.connect(self.send)
        self.composer.textChanged.connect(self._schedule_count)
        self.meter = QLabel()
        self.meter.setObjectName("context-meter")
        self.meter.setEnabled(False)
        self.sidebar = Sidebar(store)
        self.sidebar.conversation_chosen.connect(self.open_conversation)
        self.sidebar.search_result_chosen.connect(self.open_search_result)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.open_in_window_requested.connect(self.window_requested)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.changed.connect(self.history_changed)
        self.panel = panel
        self.panel.changed.connect(self._on_panel_changed)

        center = QWidget()
        layout = QVBoxLayout(center)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.errors)
        layout.addWidget(self.info)
        layout.addWidget(self.chat, 1)
        layout.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout()
        row.setContentsMargins(12, 0, 12, 0)
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

        self._flush_timer = _timer(self, BATCH_MS, self._flush)
        self._count_timer = _timer(self, COUNT_DELAY_MS, self._request_count)
        self._panel_timer = _timer(self, PANEL_SAVE_MS, self._save_panel)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._on_escape)
        QShortcut(QKeySequence("Ctrl+K"), self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        self._build_menu()
        self.sidebar.export_requested.connect(self.export_conversations)
        self.sidebar.copy_markdown_requested.connect(self.copy_as_markdown)

        host.model_loaded.connect(self._on_worker_model_loaded)
        host.load_failed.connect(self._on_worker_load_failed)
        host.load_progressed.connect(self._on_worker_load_progressed)
        host.started.connect(self._on_worker_started)
        host.context_fitted.connect(self._on_worker_context_fitted)
        host.token_received.connect(self._on_worker_token_received)
        host.finished.connect(self._on_worker_finished)
        host.failed.connect(self._on_worker_failed)
        host.counted.connect(self._on_worker_counted)

        problems = [*settings.problems, *panel.problems, *([store.problem] if store.problem
                                                           else []),
                    *([startup_problem] if startup_problem else [])]
        if problems:
            self.errors.show_message("\n".join(problems))
        if host.facts is not None:
            self._show_facts(self.model.display_name if self.model else host.facts.name,
                             host.facts)
        else:
            self._set_state(State.NO_MODEL)
        self.composer.setFocus()

    def _build_menu(self) -> None:
        menu = self.file_menu = self.menuBar().addMenu("&File")
        menu.addAction("&New chat", QKeySequence("Ctrl+N"), self.new_chat)
        menu.addAction("Open chat in new &window", QKeySequence("Ctrl+Shift+N"),
                       self._open_in_new_window)
        menu.addSeparator()
        menu.addAction("&Export…", QKeySequence("Ctrl+E"), lambda: self.export_conversations())
        menu.addAction("Export &all…", lambda: self.export_conversations(
            [c.id for c in self.store.conversations()]))
        menu.addAction("&Copy as Markdown", lambda: self.copy_as_markdown())
        menu.addAction("&Import…", self.import_file)
        menu.addSeparator()
        menu.addAction("&Quit", QKeySequence("Ctrl+Q"), self.quit_requested.emit)
        self.models_menu = self.menuBar().addMenu("&Models")
        self.models_menu.aboutToShow.connect(self._fill_models_menu)
        self._fill_models_menu()

    # -- models --------------------------------------------------------------

    def _fill_models_menu(self) -> None:
        """The catalog by family: installed models switch, the others download."""
        menu = self.models_menu
        menu.clear()
        try:
            catalog = load_catalog()
        except LlamaDeskError as error:
            menu.addAction(str(error)).setEnabled(False)
            catalog = []
        current = self.loaded_path
        families: dict[str, QMenu] = {}
        for entry in catalog:
            family = families.get(entry.family) or menu.addMenu(entry.family)
            families[entry.family] = family
            installed = {entry.default_quant: builtin_model_path_or_none()} if entry.builtin \
                else entry.installed(self.models_dir) if self.models_dir else {}
            for quant_name, quant in entry.quants.items():
                needed = memory_needed(entry, quant_name, self.settings.load.context_size)
                label = (f"{entry.name} {quant_name} · {quant.size_bytes / 1e9:.1f} GB · "
                         f"{fit(needed)}")
                path = installed.get(quant_name)
                if path is not None:
                    action = family.addAction(label)
                    action.setCheckable(True)
                    action.setChecked(str(path) == current)
                    choice = ModelChoice(f"{entry.id}:{quant_name}",
                                         entry.name + ("" if entry.builtin else f" {quant_name}"),
                                         path)
                    action.triggered.connect(lambda _c=False, m=choice: self.switch_model(m))
                else:
                    action = family.addAction(label + " · Download…")
                    action.triggered.connect(
                        lambda _c=False, i=entry.id, q=quant_name:
                        self.download_requested.emit(i, q))
        menu.addSeparator()
        self._fill_gpu_menu(menu.addMenu("GPU offload for this model"))
        menu.addAction("Add a GGUF file…", self.add_model_file)
        menu.addAction("Open from the Hub…", self.open_from_hub)
        menu.addAction("Downloads…", self.downloads_requested.emit)
        menu.addAction("Hub token…", self.edit_hub_token)

    def _fill_gpu_menu(self, menu: QMenu) -> None:
        current = self.settings.load_options(self.loaded_path).gpu_layers
        for label, layers in (("Automatic (all layers; the CPU if that fails)", -1),
                              ("All layers", 999), ("None (CPU only)", 0)):
            action = menu.addAction(label, functools.partial(self.set_gpu_layers, layers))
            action.setCheckable(True)
            action.setChecked(current == layers)
        custom = menu.addAction("A number of layers…", self._ask_and_set_gpu_layers)
        custom.setCheckable(True)
        custom.setChecked(current not in (-1, 999, 0))
        menu.setEnabled(bool(self.loaded_path))

    def set_gpu_layers(self, layers: int) -> None:
        """Remember the offload for the loaded model's file and load it again with it."""
        path = self.loaded_path
        if not path or self.model is None:
            return
        self.settings = replace(self.settings, gpu_layers_per_model={
            **self.settings.gpu_layers_per_model, path: layers})
        if self.settings_file is not None:
            try:
                save_settings(self.settings, self.settings_file)
            except OSError as error:
                self.errors.show_message(f"The setting could not be saved: {error.strerror}.")
        self.switch_model(ModelChoice(self.model.id, self._loaded_name, Path(path)))

    def _ask_and_set_gpu_layers(self) -> None:
        layers = self.ask_gpu_layers()
        if layers is not None:
            self.set_gpu_layers(layers)

    def ask_gpu_layers(self) -> int | None:
        """A number prompt; tests replace this method."""
        layers, ok = QInputDialog.getInt(self, "GPU offload", "Layers on the GPU:", 20, 0, 999)
        return layers if ok else None

    def open_from_hub(self) -> None:
        repo = self.ask_hub_repo()
        if repo:
            self.hub_repo_requested.emit(repo.strip())

    def ask_hub_repo(self) -> str | None:
        """A text prompt; tests replace this method."""
        text, ok = QInputDialog.getText(self, "Open from the Hub",
                                        "Repository id (owner/name), e.g. "
                                        "bartowski/Llama-3.2-1B-Instruct-GGUF:")
        return text if ok and text.strip() else None

    def edit_hub_token(self) -> HubTokenDialog:
        dialog = HubTokenDialog(self)
        dialog.open()
        return dialog

    @property
    def loaded_path(self) -> str:
        facts = self.host.facts
        return facts.path if facts is not None else ""

    def switch_model(self, choice: ModelChoice) -> None:
        """Stop the answer being written, then load ``choice`` in the background; the
        conversation goes on with it.  A failure goes back to the model before."""
        if self._request is not None:
            self.host.stop(self._request)
        self.model = choice
        self._load(choice)

    def add_model_file(self) -> None:
        source = self.ask_model_file()
        if source is None or self.models_dir is None:
            return
        try:
            target = add_local_model(source, self.models_dir)
        except LlamaDeskError as error:
            self.errors.show_message(str(error))
            return
        self.switch_model(ModelChoice(str(target), target.stem, target))

    def ask_model_file(self) -> Path | None:
        """An open dialog; tests replace this method."""
        name, _chosen = QFileDialog.getOpenFileName(
            self, "Add a GGUF model", str(Path.home()), "GGUF models (*.gguf);;All files (*)")
        return Path(name) if name else None

    def _load(self, choice: ModelChoice) -> None:
        self._set_state(State.LOADING)
        self.model_label.setText(f"Loading {choice.display_name}…")
        if self.crash_marker is not None:
            atomic_write_text(self.crash_marker, json.dumps({"path": str(choice.path)}))
        self.host.load(LoadRequest(str(choice.path), choice.display_name,
                                   self.settings.load_options(str(choice.path))))

    def _clear_crash_marker(self) -> None:
        if self.crash_marker is not None:
            self.crash_marker.unlink(missing_ok=True)

    # -- export and import ---------------------------------------------------

    def export_conversations(self, ids: list[int] | None = None) -> None:
        """Ask where and in which format, then write (the dialog asks before replacing)."""
        ids = ids if ids else ([self.conversation_id] if self.conversation_id else [])
        if not ids:
            self.info.show_message("There is no conversation to export yet.", timeout_ms=5000)
            return
        try:
            transcripts = [load_transcript(self.store, i) for i in ids]
            title = transcripts[0].title if len(ids) == 1 else f"{APP_NAME} conversations"
            choice = self.ask_export_path(safe_filename(title, ".md"))
            if choice is None:
                return
            path, fmt = choice
            save_export(transcripts, fmt, path, overwrite=True)
        except LlamaDeskError as error:
            self.errors.show_message(str(error))
            return
        self.info.show_message(f"Exported {len(ids)} conversation{'s' if len(ids) > 1 else ''} "
                               f"to {path}.", timeout_ms=8000)

    def copy_as_markdown(self, conversation_id: int | None = None) -> None:
        chosen = conversation_id or self.conversation_id
        if chosen is None:
            return
        text = export_text([load_transcript(self.store, chosen)], "md")
        QGuiApplication.clipboard().setText(text)
        self.info.show_message("Copied the conversation as Markdown.", timeout_ms=4000)

    def import_file(self) -> None:
        path = self.ask_import_path()
        if path is None:
            return
        try:
            ids = import_into(self.store, read_import(path))
        except LlamaDeskError as error:
            self.errors.show_message(str(error))
            return
        self.history_changed.emit()
        self.info.show_message(f"Imported {len(ids)} conversation{'s' if len(ids) != 1 else ''}"
                               f" from {path.name}.", timeout_ms=8000)
        if ids and self.state is State.READY:
            self.open_conversation(ids[0])

    def ask_export_path(self, suggested: str) -> tuple[Path, str] | None:
        """A save dialog; tests replace this method."""
        filters = {f"{name} (*{EXTENSIONS[fmt]}{' *.json' if fmt == 'json' else ''})": fmt
                   for fmt, name in FORMATS.items()}
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export conversation", str(Path.home() / suggested), ";;".join(filters))
        if not name:
            return None
        fmt = filters.get(chosen, "md")
        path = Path(name)
        if path.suffix.lower() not in (EXTENSIONS[fmt], ".json" if fmt == "json" else ""):
            path = path.with_name(path.name + EXTENSIONS[fmt])
        return path, fmt

    def ask_import_path(self) -> Path | None:
        """An open dialog; tests replace this method."""
        name, _chosen = QFileDialog.getOpenFileName(
            self, "Import conversations", str(Path.home()),
            "Conversations (*.llamadesk *.json);;All files (*)")
        return Path(name) if name else None

    # -- model ---------------------------------------------------------------

    def start(self) -> None:
        """Load the chosen model in the background (the first window does this).

        A model that was loading when the app last died is not loaded again
        automatically: the built-in one is, and the user is told.
        """
        if self.model is None:
            return
        crashed = self._crashed_on()
        if crashed and crashed == str(self.model.path):
            try:
                fallback = builtin_model()
            except LlamaDeskError:
                fallback = None
            if fallback is not None and str(fallback.path) != crashed:
                self.errors.show_message(
                    f"LlamaDesk closed unexpectedly while loading {self.model.display_name} "
                    "last time, so it started with the built-in model instead. Choose the "
                    "model in the Models menu to try it again.")
                self.model = fallback
        self._load(self.model)

    def _crashed_on(self) -> str | None:
        if self.crash_marker is None or not self.crash_marker.exists():
            return None
        try:
            return str(json.loads(self.crash_marker.read_text()).get("path"))
        except (OSError, ValueError, AttributeError):
            return None

    def _on_worker_model_loaded(self, loaded: LoadedModel) -> None:
        self._clear_crash_marker()
        self.load_bar.hide()
        self._show_facts(loaded.display_name, loaded.facts)
        notes = [loaded.note, loaded.facts.template_note,
                 f"Running on the CPU: {loaded.facts.fallback}." if loaded.facts.fallback
                 else None]
        if any(notes):
            self.errors.show_message("\n".join(n for n in notes if n))

    def _show_facts(self, display_name: str, facts: Any) -> None:
        self._loaded_name = display_name
        self.model_label.setText(f"{display_name} · {facts.quantization}")
        self.model_label.setToolTip(facts.path)
        self.backend_label.setText(facts.backend_label)
        self.context_label.setText(f"context 0 / {facts.context_size:,}")
        if self.state in (State.NO_MODEL, State.LOADING):
            self._set_state(State.READY)
        self._schedule_count()

    def _on_worker_load_progressed(self, fraction: float) -> None:
        self.load_bar.setValue(int(fraction * 100))
        self.load_bar.setVisible(fraction < 1.0)

    def _on_worker_load_failed(self, message: str) -> None:
        self.load_bar.hide()
        self._clear_crash_marker()
        self.model_label.setText("No model loaded")
        self.errors.show_message(message)
        self._set_state(State.NO_MODEL)

    @property
    def model_name(self) -> str:
        return self._loaded_name or (self.model.display_name if self.model else "model")

    # -- conversations -------------------------------------------------------

    def new_chat(self) -> None:
        if self.state in (State.GENERATING, State.STOPPING):
            return
        self.conversation_id = None
        self.branch = Branch((), ())
        self.first_turn = 0
        self._cancel_edit()
        self.chat.clear()
        self.panel.set_values(self.settings.system_prompt,
                              self.settings.conversation_defaults())
        self.sidebar.select(None)
        self.setWindowTitle(APP_NAME)
        self.composer.setFocus()
        self._schedule_count()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        if self.state in (State.GENERATING, State.STOPPING):
            self.info.show_message("An answer is being written; stop it to open another "
                                   "chat here, or open that chat in a new window "
                                   "(Ctrl+Shift+N).", timeout_ms=6000)
            return
        try:
            conversation = self.store.conversation(conversation_id)
        except LlamaDeskError as error:
            self.errors.show_message(str(error))
            return
        if message_id and not self.store.read_only:
            self.store.show_branch(conversation_id, message_id)
        self.conversation_id = conversation_id
        self.first_turn = 0
        self._cancel_edit()
        self.panel.set_values(conversation.system_prompt, conversation.settings)
        self.sidebar.select(conversation_id)
        self.setWindowTitle(f"{conversation.title} - {APP_NAME}")
        self.reload(scroll_to=message_id)
        self._schedule_count()

    def open_search_result(self, conversation_id: int, message_id: int) -> None:
        self.open_conversation(conversation_id, message_id)

    def reload(self, scroll_to: int = 0) -> None:
        """Show the conversation's current branch: its newest page, or down to a message."""
        self.chat.clear()
        if self.conversation_id is None:
            self.branch = Branch((), ())
            return
        self.branch = self.store.branch(self.conversation_id)
        count = len(self.branch.messages)
        start = max(0, count - ChatView.PAGE)
        ids = [m.id for m in self.branch.messages]
        if scroll_to in ids:
            start = min(start, ids.index(scroll_to))
        for index in range(start, count):
            self._add_view(index)
        self.chat.earlier_button.setVisible(start > 0)
        self._shown_from = start
        if scroll_to:
            view = self.chat.view_for(scroll_to)
            if view is not None:
                QTimer.singleShot(0, self, lambda: self.chat.scroll_to(view))

    def _sync(self) -> None:
        """Bring the view to the current branch, rebuilding only what changed.

        After a send, a regenerate, an edit or a version step, the messages before
        the change keep their widgets: rebuilding the whole page per message cost
        about 30 ms and re-rendered text that had not changed.
        """
        assert self.conversation_id is not None
        branch = self.store.branch(self.conversation_id)
        ids = [m.id for m in branch.messages]
        shown = self.chat.messages
        kept = 0
        while (kept < len(shown) and self._shown_from + kept < len(ids)
               and shown[kept].message_id == ids[self._shown_from + kept]):
            kept += 1
        if shown and kept == 0:
            self.reload()
            return
        self.chat.truncate(kept)
        self.branch = branch
        for index in range(self._shown_from + kept, len(ids)):
            self._add_view(index)

    def _show_earlier(self) -> None:
        start = max(0, self._shown_from - ChatView.PAGE)
        for index in range(self._shown_from - 1, start - 1, -1):
            self._add_view(index, prepend=True)
        self._shown_from = start
        self.chat.earlier_button.setVisible(start > 0)

    def _add_view(self, index: int, prepend: bool = False) -> MessageView:
        message, position = self.branch.messages[index], self.branch.positions[index]
        if prepend:
            view = self.chat.prepend_message(message.role, message.content, message.id,
                                             position)
        else:
            view = self.chat.add_message(message.role, message.content, message.id, position)
        view.set_note(self._note(message))
        view.edit_requested.connect(self.edit_message)
        view.regenerate_requested.connect(self.regenerate)
        view.branch_requested.connect(self.step_branch)
        view.set_actions_enabled(self.state is State.READY)
        return view

    def _note(self, message: Message) -> str:
        if message.role != "assistant":
            return ""
        parts = [message.model or "", time.strftime("%H:%M", time.localtime(message.created_at))]
        if message.completion_tokens is not None:
            parts.append(f"{message.completion_tokens} tokens")
        if message.tokens_per_second:
            parts.append(f"{message.tokens_per_second:.1f} tokens/s")
        if message.status in STATUS_NOTES:
            parts.append(STATUS_NOTES[message.status])
        if message.error:
            parts.append(message.error)
        return " · ".join(p for p in parts if p)

    def delete_conversation(self, conversation_id: int) -> None:
        title = self.store.conversation(conversation_id).title
        if conversation_id == self.conversation_id:
            if self.state is not State.READY and self.state is not State.NO_MODEL:
                self.errors.show_message("Stop the answer before deleting this chat.")
                return
            self.new_chat()
        self.store.delete(conversation_id)
        self._deleted = conversation_id
        self.info.show_message(f"Deleted “{title}”.", "Undo", UNDO_MS)
        self.history_changed.emit()

    def _on_info_action(self) -> None:
        if self._deleted is not None:
            self.store.restore(self._deleted)
            self._deleted = None
            self.info.hide()
            self.history_changed.emit()

    def focus_search(self) -> None:
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    def _open_in_new_window(self) -> None:
        if self.conversation_id is not None:
            self.window_requested.emit(self.conversation_id)

    # -- sending -------------------------------------------------------------

    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self.state is not State.READY:
            return
        if self.store.read_only:
            self.errors.show_message(self.store.problem or "The history is read-only.")
            return
        try:
            self._send(text)
        except LlamaDeskError as error:  # e.g. a full disk: the text stays in the box
            self.errors.show_message(str(error))

    def _send(self, text: str) -> None:
        if self.conversation_id is None:
            system_prompt, settings = self.panel.values()
            self.conversation_id = self.store.create_conversation(system_prompt, settings).id
            self.sidebar.select(self.conversation_id)
        if self.editing is not None:
            parent = self.editing.parent_id
            self.first_turn = 0  # a new branch: the old trim point may not apply
        else:
            parent = self.branch.messages[-1].id if self.branch.messages else None
        self._cancel_edit()
        question = self.store.add_message(self.conversation_id, parent, "user", text)
        self.composer.clear()
        self.errors.hide()
        self._ask(question.id)
        self.history_changed.emit()

    def regenerate(self, answer_id: int) -> None:
        if self.state is not State.READY or self.conversation_id is None:
            return
        answer = self.store.message(answer_id)
        if answer.parent_id is None:
            return
        self.first_turn = 0
        self._ask(answer.parent_id)

    def edit_message(self, message_id: int) -> None:
        if self.state is not State.READY:
            return
        self.editing = self.store.message(message_id)
        self.composer.setPlainText(self.editing.content)
        self.composer.setFocus()
        self.info.show_message("Editing a message: Send makes a new version beside the old "
                               "one; Esc cancels.")

    def _cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.info.hide()

    def step_branch(self, message_id: int, step: int) -> None:
        if self.state is not State.READY or self.conversation_id is None:
            return
        message = self.store.message(message_id)
        siblings = [m.id for m in self.store.messages(self.conversation_id)
                    if m.parent_id == message.parent_id]
        index = siblings.index(message_id) + step
        if 0 <= index < len(siblings):
            self.store.show_branch(self.conversation_id, siblings[index])
            self.first_turn = 0
            self._sync()

    def _ask(self, parent_id: int) -> None:
        """Write a new answer to the message ``parent_id`` (the branch ends there)."""
        assert self.conversation_id is not None
        self._writer = self.store.begin_answer(self.conversation_id, parent_id,
                                               self.model_name)
        self._sync()
        self._answer = self.chat.view_for(self._writer.message_id)
        system_prompt, settings = self.panel.values()
        self._input = model_input(system_prompt, self.branch.messages)
        params = self.settings.generation_params(settings)
        waiting = self.host.busy
        self._request = self.host.generate(self._input.messages, params, self.first_turn)
        if self._answer is not None:
            self._answer.set_note("Waiting for another window's answer to finish…"
                                  if waiting else "Writing…")
        self._set_state(State.GENERATING)

    def stop(self) -> None:
        if self.state is State.GENERATING and self._request is not None:
            self.host.stop(self._request)
            self._set_state(State.STOPPING)

    def _on_escape(self) -> None:
        if self.editing is not None:
            self._cancel_edit()
            self.composer.clear()
        else:
            self.stop()

    # -- worker results ------------------------------------------------------

    def _mine(self, request_id: int) -> bool:
        return self._request is not None and self._request.request_id == request_id

    def _on_worker_started(self, request_id: int) -> None:
        if self._mine(request_id) and self._answer is not None:
            self._answer.set_note("Writing…")

    def _on_worker_context_fitted(self, request_id: int, fit: ContextFit) -> None:
        if not self._mine(request_id) or self._input is None:
            return
        self.first_turn = fit.first_turn
        outside = set(self._input.outside(fit))
        for view in self.chat.messages:
            view.set_outside_context(view.message_id in outside)
        if fit.trimmed:
            self.info.show_message(
                f"The {len(outside)} oldest messages no longer fit in the context and are "
                "marked; the system prompt is always kept.", timeout_ms=8000)

    def _on_worker_token_received(self, request_id: int, text: str) -> None:
        if not self._mine(request_id):
            return
        self._pending.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        """Apply (and save) the text that arrived since the last batch: one re-render."""
        if not self._pending or self._writer is None:
            return
        batch = "".join(self._pending)
        self._pending.clear()
        try:
            self._writer.append(batch)
        except LlamaDeskError as error:
            self.errors.show_message(str(error))
        if self._answer is not None:
            self._answer.set_text(self._writer.text)

    def _on_worker_finished(self, request_id: int, result: GenerationResult) -> None:
        if not self._mine(request_id):
            return
        self._end_answer(FINISH_STATUS[result.finish_reason], result=result)
        self.speed_label.setText(f"{result.tokens_per_second:.1f} tokens/s")
        self.context_label.setText(f"context {result.context_used:,} / "
                                   f"{result.context_size:,}")

    def _on_worker_failed(self, request_id: int, message: str) -> None:
        if not self._mine(request_id):
            return
        self._end_answer("error" if message else "stopped", error=message or None)
        if message:
            self.errors.show_message(message)

    def _end_answer(self, status: Any, result: GenerationResult | None = None,
                    error: str | None = None) -> None:
        self._flush_timer.stop()
        self._flush()
        writer, view = self._writer, self._answer
        self._writer = self._answer = self._request = None
        if writer is not None:
            try:
                stored = writer.finish(
                    status, error=error,
                    prompt_tokens=result.prompt_tokens if result else None,
                    completion_tokens=result.completion_tokens if result else None,
                    tokens_per_second=result.tokens_per_second if result else None,
                    seed=result.seed if result else None)
            except LlamaDeskError as save_error:
                self.errors.show_message(str(save_error))
            else:
                if view is not None:
                    view.set_text(stored.content)
                    view.set_note(self._note(stored))
        self._set_state(State.READY)
        self.history_changed.emit()
        self._schedule_count()

    # -- context meter -------------------------------------------------------

    def _schedule_count(self) -> None:
        if self.host.facts is not None:
            self._count_timer.start()

    def _request_count(self) -> None:
        system_prompt, _settings = self.panel.values()
        draft = self.composer.toPlainText().strip()
        wanted = model_input(system_prompt, self.branch.messages, draft=draft or None)
        self._count_id = self.host.count(wanted.messages)

    def _on_worker_counted(self, count: TokenCount) -> None:
        if count.request_id != self._count_id:
            return
        verb = "With your message, the chat takes" if self.composer.toPlainText().strip() \
            else "The chat takes"
        self.meter.setText(f"{verb} {count.tokens:,} of {count.context_size:,} tokens")

    # -- settings panel ------------------------------------------------------

    def _on_panel_changed(self) -> None:
        self._panel_timer.start()
        self._schedule_count()

    def _save_panel(self) -> None:
        if self.conversation_id is None or self.store.read_only:
            return
        system_prompt, settings = self.panel.values()
        self.store.set_system_prompt(self.conversation_id, system_prompt)
        self.store.set_settings(self.conversation_id, settings)

    # -- state ---------------------------------------------------------------

    def _set_state(self, state: State) -> None:
        self.state = state
        generating = state in (State.GENERATING, State.STOPPING)
        self.send_button.setText("Stop" if generating else "Send")
        self.send_button.setToolTip("Stop the answer (Esc)" if generating
                                    else "Send the message (Enter)")
        self.send_button.setEnabled(state in (State.READY, State.GENERATING))
        for view in self.chat.messages:
            view.set_actions_enabled(state is State.READY)

    def _on_send_button_clicked(self) -> None:
        if self.state is State.GENERATING:
            self.stop()
        else:
            self.send()

    def window_state(self) -> dict[str, Any]:
        return {
            "conversation": self.conversation_id,
            "geometry": bytes(self.saveGeometry().toBase64().data()).decode(),
            "splitter": bytes(self.splitter.saveState().toBase64().data()).decode(),
            "scroll": self.chat.verticalScrollBar().value(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("geometry"), str):
            self.restoreGeometry(QByteArray.fromBase64(state["geometry"].encode()))
        if isinstance(state.get("splitter"), str):
            self.splitter.restoreState(QByteArray.fromBase64(state["splitter"].encode()))
        if isinstance(state.get("conversation"), int):
            self.open_conversation(state["conversation"])
            scroll = state.get("scroll")
            if isinstance(scroll, int):
                QTimer.singleShot(0, self, lambda: self.chat.verticalScrollBar().setValue(scroll))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.isVisible():
            self.closing.emit(self.window_state())
        if self._request is not None:
            self.host.stop(self._request)
        self._panel_timer.stop()
        self._save_panel()
        for timer in (self._flush_timer, self._count_timer, self.sidebar.search_timer):
            timer.stop()
        super().closeEvent(event)


def _timer(parent: QWidget, interval: int, slot: Any) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval)
    timer.timeout.connect(slot)
    return timer
