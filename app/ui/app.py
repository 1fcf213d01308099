"""The desktop app: one model and one history shared by every chat window."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent, QFont, QGuiApplication
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__
from app.backend import keychain
from app.backend.catalog import CatalogFile, find, load_catalog
from app.backend.engine import Engine, GenerationResult
from app.backend.engines import EngineRouter, engine_specs
from app.backend.errors import LlamaDeskError
from app.backend.history import HISTORY_FILE, open_history
from app.backend.models import ModelChoice, resolve_model
from app.backend.paths import AppPaths
from app.backend.settings import Settings
from app.backend.store import Store
from app.ui.app_settings import AppSettings
from app.ui.drafts import DRAFTS_FILE, Drafts
from app.ui.i18n import install_translators, shown, tr, translations_found
from app.ui.main_window import MainWindow, SharedParts
from app.ui.messages import MessageFunnel
from app.ui.model_controller import ModelController
from app.ui.server_panel import ServerController
from app.ui.theme import apply_theme, wants_dark
from app.ui.transfer import imported_text
from app.ui.window_session import read_session, write_session
from app.ui.worker import (
    DownloadHost,
    EngineHost,
    LoadedModel,
    RemoteModelsHost,
    RepoListing,
    ServerHost,
)

if TYPE_CHECKING:
    from app.ui.downloads_window import DownloadsWindow

log = logging.getLogger(__name__)
SELF_TEST_PROMPT = "Say hello."
SELF_TEST_TIMEOUT_MS = 120_000
DELETED_KEPT_SECONDS = 30 * 24 * 3600  # deleted chats can be undone until then


class DesktopApp(QObject):
    """Builds the parts every window shares (engine host, history, settings, the
    loaded model, the message funnel) once, opens the windows, and remembers which
    were open."""

    def __init__(self, paths: AppPaths, settings: Settings, model: ModelChoice | None,
                 problem: str | None, store: Store, host: EngineHost | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.store = store
        self.messages = MessageFunnel()  # kept until the first window shows them
        if problem:
            self.messages.error(problem)
        if store.problem:
            self.messages.warning(store.problem)
        specs = engine_specs(settings.remote_engines)
        self.host = host if host is not None else EngineHost(
            EngineRouter(Engine(), specs, log_folder=paths.logs))
        self.host.set_remote_engines(specs)
        self.remote_models = RemoteModelsHost()
        self.remote_models.refresh(specs)
        self._remote_engines = settings.remote_engines
        self.app_settings = AppSettings(settings, self.messages, paths.settings_file,
                                        paths.config / "presets.json")
        # Light or dark, as chosen (or as the system is); the palette found is put back
        # at shutdown, so a process that opens windows again starts as it was.
        self._palette_before = QApplication.palette()
        self._font_before = QApplication.font()
        self._appearance: tuple[str, int, bool] | None = None  # (theme, font size, dark)
        self.app_settings.changed.connect(self._apply_theme)
        self.app_settings.changed.connect(self._follow_remote_engines)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda _scheme: self._apply_theme(self.app_settings.settings))
        self._apply_theme(self.app_settings.settings)
        self.models = ModelController(self.host, self.app_settings, self.messages, model,
                                      paths.data / "loading.json")
        self.shared = SharedParts(self.host, store, self.app_settings, self.models,
                                  self.messages, paths.models,
                                  Drafts(paths.data / DRAFTS_FILE), self.remote_models)
        # The download thread and the download manager are made at the first download
        # (or Hub listing): most starts use neither (they took 25 ms of start-up).
        self._downloads: DownloadHost | None = None
        self._downloads_window: DownloadsWindow | None = None
        self.server = ServerController(ServerHost(self.host), self.app_settings,
                                       paths.data / HISTORY_FILE, lambda: self.host.facts)
        self.server.history_changed.connect(self._on_history_changed)
        self.windows: list[MainWindow] = []  # the open ones
        self._closing = False
        self._session_saved = False
        if not store.read_only:
            with self.messages.guard(tr("remove chats deleted more than 30 days ago")):
                store.purge_deleted(DELETED_KEPT_SECONDS)

    def _follow_remote_engines(self, settings: Settings) -> None:
        if settings.remote_engines != self._remote_engines:
            self._remote_engines = settings.remote_engines
            specs = engine_specs(settings.remote_engines)
            self.host.set_remote_engines(specs)
            self.remote_models.refresh(specs)

    @property
    def downloads(self) -> DownloadHost:
        """The download thread, started when first asked for."""
        if self._downloads is None:
            self._downloads = DownloadHost()
            self._downloads.finished.connect(self._on_download_finished)
        return self._downloads

    @property
    def downloads_window(self) -> DownloadsWindow:
        """The download manager, made when first asked for (with the download thread)."""
        if self._downloads_window is None:
            from app.ui.downloads_window import DownloadsWindow

            window = self._downloads_window = DownloadsWindow(self.downloads)
            self.downloads.listed.connect(window.show_listing)
            window.file_requested.connect(self.download_file)
        return self._downloads_window

    @property
    def session_file(self) -> Path:
        return self.paths.config / "windows.json"

    def new_window(self, conversation_id: int | None = None) -> MainWindow:
        window = MainWindow(self.shared)
        window.window_requested.connect(self.new_window)
        window.models_menu.download_requested.connect(self.download)
        window.models_menu.downloads_requested.connect(self.show_downloads)
        window.models_menu.hub_repo_requested.connect(self.open_from_hub)
        window.quit_requested.connect(self.quit)
        window.closing.connect(functools.partial(self._on_window_closing, window))
        window.closed.connect(functools.partial(self._on_window_closed, window))
        window.history_changed.connect(self._on_history_changed)
        self.server.attach(window)
        self.windows.append(window)
        window.show()
        if conversation_id is not None:
            window.open_conversation(conversation_id)
        return window

    def download(self, model_id: str, quant: str) -> None:
        """Queue a catalog model's download and show the download manager."""
        entry = find(load_catalog(), model_id)
        if entry is None:
            return
        chosen = entry.quant(quant)
        self._start_download(f"{entry.name} {quant}", chosen.repo,
                             [f.path for f in chosen.files], chosen.revision or "main",
                             chosen.files)

    def download_file(self, repo: str, filename: str) -> None:
        self._start_download(f"{filename} ({repo})", repo, [filename])

    def open_from_hub(self, repo: str) -> None:
        window = self.downloads_window  # made before the host can answer
        self.downloads.list_repo(repo, self.app_settings.settings.hub_endpoint,
                                 keychain.get_token())
        window.show_listing(RepoListing(repo, error=tr("Asking the Hub about {repo}…").format(
            repo=repo)))
        self.show_downloads()

    def _start_download(self, name: str, repo: str, files: Sequence[str],
                        revision: str = "main", pins: Sequence[CatalogFile] = ()) -> None:
        window = self.downloads_window  # made before the host can report progress
        request = self.downloads.start(name, repo, files, self.paths.models,
                                       self.app_settings.settings.hub_endpoint,
                                       keychain.get_token(), revision, pins)
        window.add(request)
        self.show_downloads()

    def show_downloads(self) -> None:
        active = QApplication.activeWindow()
        anchor = active if isinstance(active, MainWindow) else (
            self.windows[-1] if self.windows else None)
        self.downloads_window.show_near(anchor)

    def _on_download_finished(self, _download_id: int, path: str) -> None:
        self.messages.info(tr("Downloaded {path}. Choose it in the Models menu.").format(path=path),
                           timeout_ms=10_000)

    def start(self) -> MainWindow:
        """Reopen the windows of the last session (or one new window), load the model."""
        for state in read_session(self.session_file) or [{}]:
            window = self.new_window()
            window.restore_state(state)
        self.models.start()
        if self.app_settings.settings.server_enabled:
            self.server.start()
        return self.windows[0]

    def open_file(self, path: Path) -> MainWindow:
        """A conversations file opened from the desktop (double-click on Windows, Finder on
        macOS, `llamadesk open FILE`): import it and show the first imported chat, in the
        front window if that shows an empty new chat, else in a window of its own."""
        front = next((w for w in reversed(self.windows) if w.isVisible()), None)
        reuse = front if front is not None and front.conversation_id is None else None
        from app.backend.importers import import_into, read_import

        try:
            ids = import_into(self.store, read_import(path))
        except LlamaDeskError as error:
            window = front or self.new_window()
            self.messages.error(tr("Could not open {name}: {error}").format(
                name=path.name, error=shown(error)), window)
            self._bring_forward(window)
            return window
        self._on_history_changed()
        window = reuse or self.new_window()
        if ids:
            window.open_conversation(ids[0])
        self.messages.info(imported_text(len(ids), path.name), window, timeout_ms=8000)
        self._bring_forward(window)
        return window

    @staticmethod
    def _bring_forward(window: MainWindow) -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def raise_window(self) -> None:
        window = next((w for w in reversed(self.windows) if w.isVisible()), None)
        if window is not None:
            self._bring_forward(window)

    def save_session(self) -> None:
        """Remember the open windows; called before they close (Quit, a signal)."""
        open_windows = [w.window_state() for w in self.windows if w.isVisible()]
        if open_windows:
            self._write_session(open_windows)

    def quit(self) -> None:
        """File > Quit, SIGTERM, Ctrl+C: remember every open window, then close them."""
        self.save_session()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def _on_window_closing(self, window: MainWindow, state: dict[str, Any]) -> None:
        """The last window closed by its close button: it is the session."""
        others = [w for w in self.windows if w.isVisible() and w is not window]
        if not others and not self._session_saved and not self._closing:
            self._write_session([state])

    def _on_window_closed(self, window: MainWindow) -> None:
        """A closed window leaves: it no longer follows the history or shows messages."""
        if window in self.windows:
            self.windows.remove(window)
        window.history_changed.disconnect(self._on_history_changed)
        window.deleteLater()

    def _write_session(self, states: list[dict[str, Any]]) -> None:
        with self.messages.guard(tr("remember the open windows")):
            write_session(self.session_file, states)
            self._session_saved = True

    def shutdown(self) -> None:
        """Stop answers, let each window save its final state, close the model."""
        if self._closing:
            return
        if not self._session_saved:
            self.save_session()
        self._closing = True
        self.shared.drafts.save()
        QApplication.setPalette(self._palette_before)
        QApplication.setFont(self._font_before)
        if self._downloads is not None:
            self._downloads.close()  # paused: each resumes from its partial file next time
        if self._downloads_window is not None:
            self._downloads_window.close()
        self.server.stop()  # API answers end; the windows' are stopped by host.close()
        if self.server.dialog is not None:
            self.server.dialog.close()
        self.host.close()
        # Deliver the cancelled answers' last signals, so each is saved as stopped.
        QCoreApplication.processEvents()
        for window in list(self.windows):
            window.close()
        with self.messages.guard(tr("close the chat history")):
            self.store.close()

    def _apply_theme(self, settings: Settings) -> None:
        """The theme and the font size, as set (each follows the system by default).

        Only when they change: a new palette makes every widget (every message) draw
        itself again, and most settings changes (threads, the server) are not about them."""
        appearance = (settings.theme, settings.font_size, wants_dark(settings.theme))
        app = QApplication.instance()
        if appearance == self._appearance or not isinstance(app, QApplication):
            return
        self._appearance = appearance
        apply_theme(app, settings.theme)
        font = QFont(self._font_before)
        if settings.font_size:
            font.setPointSize(settings.font_size)
        if font != QApplication.font():
            QApplication.setFont(font)

    def _on_history_changed(self) -> None:
        for window in self.windows:
            window.sidebar.refresh()
            window.refresh_title()


def single_instance_name(paths: AppPaths) -> str:
    digest = hashlib.sha256(str(paths.data).encode()).hexdigest()[:16]
    return f"{APP_NAME}-{digest}"


class FileOpenFilter(QObject):
    """macOS hands a document opened in Finder (or with `open`) to the running app as a
    QFileOpenEvent, at start-up too: it is imported and shown like `llamadesk open`."""

    def __init__(self, desktop: DesktopApp) -> None:
        # No Qt parent: as the desktop's child it was destroyed with it while the
        # application still passed it events, and calling into the half-destroyed
        # object crashed the app at quit (a SIGTERM just after start, 3 runs in 8).
        super().__init__()
        self.desktop = desktop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            self.desktop.open_file(Path(event.file()))
            return True
        return False  # every other event goes on as it is (QObject's own answer)


def already_running(name: str, open_path: Path | None = None) -> bool:
    """True if another LlamaDesk owns this data folder; it is asked to come forward
    (and to open `open_path`)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(300):
        return False
    socket.write(b"raise\n" if open_path is None
                 else b"open " + str(open_path.resolve()).encode() + b"\n")
    socket.flush()
    socket.waitForBytesWritten(300)
    socket.disconnectFromServer()
    return True


def run_gui(paths: AppPaths, settings: Settings, model_spec: str | None,
            self_test: bool = False, open_path: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_translators(app)
    name = single_instance_name(paths)
    if not self_test and already_running(name, open_path):
        print(f"{APP_NAME} is already running; its window was brought to the front"
              + (f" and opens {open_path.name}." if open_path else "."))
        return 0
    server = QLocalServer()
    if not self_test:
        QLocalServer.removeServer(name)  # a stale socket left by a killed instance
        server.listen(name)
    model: ModelChoice | None = None
    problem = None
    try:
        model = resolve_model(model_spec or settings.model, paths.models)
    except LlamaDeskError as error:
        problem = shown(error)
    if self_test:
        settings = settings.with_values({"max_tokens": 8, "seed": 42, "temperature": 0.0,
                                         "threads": 1, "context_size": 512,
                                         "server_enabled": False})
    desktop = DesktopApp(paths, settings, model, problem, open_history(paths))
    install_excepthook(desktop.messages, paths.log_file)
    server.newConnection.connect(lambda: _on_instance_knock(server, desktop))
    app.aboutToQuit.connect(desktop.shutdown)
    file_filter = FileOpenFilter(desktop)
    app.installEventFilter(file_filter)
    app.aboutToQuit.connect(lambda: app.removeEventFilter(file_filter))
    _quit_on_signals(app, desktop)
    outcome: dict[str, object] = {"ok": False}
    if self_test:
        window = desktop.new_window()
        _drive_self_test(app, window, outcome, problem)
        desktop.models.start()
    else:
        desktop.start()
        if open_path is not None:
            desktop.open_file(open_path)
    status = app.exec()
    if self_test:
        print(json.dumps(outcome), flush=True)
        return 0 if outcome["ok"] else 1
    return status


def install_excepthook(messages: MessageFunnel, log_file: Path) -> None:
    """An exception nothing caught (in a slot, a timer, a signal) is logged with its
    traceback and shown in the window, never only printed to a stderr nobody reads."""
    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("unexpected error", exc_info=(kind, error, trace))
        try:
            messages.error(tr("Something went wrong inside LlamaDesk ({error}). Your chats are "
                              "safe; the details are in {log}.").format(
                error=f"{kind.__name__}: {str(error)[:200]}", log=log_file))
        except Exception:  # the funnel itself failed: the log already has it
            log.exception("could not show an unexpected error")

    sys.excepthook = hook


def _quit_on_signals(app: QApplication, desktop: DesktopApp) -> None:
    """A logout or `kill` (SIGTERM) or Ctrl+C quits like the window's Quit: answers
    stop and are saved as stopped, the open windows are remembered.  Python runs
    signal handlers only between bytecodes, so a timer wakes it now and then."""
    # The handler runs between any two bytecodes of the GUI thread, possibly inside Qt
    # code half-way through destroying a widget: it only asks the event loop to quit at
    # its next turn (quitting from inside the handler crashed at times).
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda _number, _frame: QTimer.singleShot(0, desktop.quit))
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)


def _on_instance_knock(server: QLocalServer, desktop: DesktopApp) -> None:
    socket = server.nextPendingConnection()
    if socket is not None:
        socket.readyRead.connect(lambda: _on_instance_message(socket, desktop))
        socket.disconnected.connect(socket.deleteLater)
    desktop.raise_window()


def _on_instance_message(socket: QLocalSocket, desktop: DesktopApp) -> None:
    """`open PATH` from a second `llamadesk open PATH` (or a double-click)."""
    while socket.canReadLine():
        line = bytes(socket.readLine().data()).decode(errors="replace").rstrip("\n")
        if line.startswith("open "):
            desktop.open_file(Path(line[len("open "):]))


def _drive_self_test(app: QApplication, window: MainWindow, outcome: dict[str, object],
                     problem: str | None) -> None:
    """Through the real window: load the model, send a message, wait for the answer.

    Prints one line of JSON and exits: 0 if the answer came.  Installers run this
    on the packaged program; tests run it on the checkout.
    """

    def finish(**fields: object) -> None:
        outcome.update(fields)
        app.quit()

    def on_loaded(loaded: LoadedModel) -> None:
        outcome.update(model=loaded.facts.name, backend=loaded.facts.backend_label)
        window.composer.setPlainText(SELF_TEST_PROMPT)
        window.send()

    def on_finished(_request_id: int, result: GenerationResult) -> None:
        from app.ui.highlight import SELF_TEST_LANGUAGES, languages_highlighted

        finish(ok=result.completion_tokens > 0, tokens=result.completion_tokens,
               tokens_per_second=round(result.tokens_per_second, 1), text=result.text,
               saved=window.conversation_id is not None,
               # code blocks: the lexers a bundle must carry (packaging/bundle_rules.py)
               highlighting=languages_highlighted(SELF_TEST_LANGUAGES),
               translations=translations_found())

    window.host.model_loaded.connect(on_loaded)
    window.host.finished.connect(on_finished)
    window.host.load_failed.connect(lambda message: finish(error=message))
    window.host.failed.connect(lambda _id, message: finish(error=message))
    QTimer.singleShot(SELF_TEST_TIMEOUT_MS, app, lambda: finish(error="timed out"))
    if problem:
        QTimer.singleShot(0, app, lambda: finish(error=problem))
