"""The *Local server* switch: a Server menu in every window, a status-bar note, and a
small window with the address, the API key, the server's settings and a live
request log.

ServerController is built once by DesktopApp and attached to each window
(``attach``); the server itself runs through app/ui/worker.ServerHost.  The small
window is in server_dialog.py, imported when it is first opened.  Nothing
here touches another thread.  The menu and the status-bar note are added to a
window from outside, so the window's own module needs no change for them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from app.backend import keychain
from app.backend.errors import LlamaDeskError
from app.backend.settings import Settings
from app.ui.app_settings import AppSettings
from app.ui.i18n import shown, tr
from app.ui.worker import ServerHost

if TYPE_CHECKING:
    from app.backend.server import RequestRecord, ServerOptions
    from app.ui.server_dialog import ServerDialog

LOG_ROWS = 500  # the request log keeps this many requests
LOG_COLUMNS = ("Time", "Client", "Request", "Status", "Tokens", "Seconds", "Note")


def log_columns() -> list[str]:
    """The request log's column titles (LOG_COLUMNS), in the user's language."""
    return [tr("Time"), tr("Client"), tr("Request"), tr("Status"), tr("Tokens"), tr("Seconds"),
            tr("Note")]


class ServerController(QObject):
    """Starts and stops the local server for the whole app and keeps its log."""

    changed = Signal()  # running / address / error changed
    record_logged = Signal(object)  # RequestRecord, on the GUI thread
    history_changed = Signal()  # an API conversation was saved

    def __init__(self, server: ServerHost, app_settings: AppSettings, history_file: Path,
                 facts: Callable[[], object]) -> None:
        super().__init__()
        self.server = server
        self.app_settings = app_settings  # the owner: changes are saved and announced there
        self.history_file = history_file
        self._facts = facts
        self.error = ""
        self.key_note = ""
        self.records: dict[int, RequestRecord] = {}
        self._order: deque[int] = deque()
        self.dialog: ServerDialog | None = None
        server.record_logged.connect(self._on_server_record_logged)

    # -- the switch ----------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.app_settings.settings

    @property
    def running(self) -> bool:
        return self.server.running

    def set_enabled(self, enabled: bool) -> None:
        """The switch: start or stop, and remember the choice for next time."""
        if enabled:
            self.start()
        else:
            self.stop()
        self._save(server_enabled=self.running)

    def start(self) -> bool:
        from app.backend.server import ServerOptions, is_loopback

        settings = self.settings
        key = None
        self.key_note = ""
        if not is_loopback(settings.server_host):
            key, problem = keychain.server_key()
            self.key_note = shown(problem or "")
        try:
            options = ServerOptions(
                settings.server_host, settings.server_port, key,
                settings.server_allowed_origins,
                self.history_file if settings.server_save_history else None)
            self.server.start(options, settings.generation_params())
        except LlamaDeskError as error:
            self.error = shown(error)
        else:
            self.error = ""
        self.changed.emit()
        return self.running

    def stop(self) -> None:
        self.server.stop()
        self.error = ""
        self.changed.emit()

    def apply(self, **changes: object) -> None:
        """New server settings: saved, and the server restarted with them if it runs."""
        if not self._save(**changes):
            return
        if self.running:
            self.start()
        else:
            self.changed.emit()

    @property
    def options(self) -> ServerOptions | None:
        return self.server.options

    def _save(self, **changes: object) -> bool:
        """Through the settings' owner: validated, saved, announced to every window."""
        return self.app_settings.update(changes)

    # -- windows -------------------------------------------------------------

    def attach(self, window: QMainWindow) -> None:
        """Give a window the Server menu and the status-bar note."""
        ServerNote(self, window)

    def _on_switch_toggled(self, checked: bool) -> None:
        self.set_enabled(checked)
        if checked and not self.running:
            self.show_panel(None)  # say why it could not start

    def show_panel(self, parent: QWidget | None) -> ServerDialog:
        if self.dialog is None:
            from app.ui.server_dialog import ServerDialog  # when first opened

            self.dialog = ServerDialog(self, parent)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def model_name(self) -> str:
        from app.backend.openai_api import model_id

        facts = self._facts()
        return model_id(facts) if facts is not None else "MODEL"  # type: ignore[arg-type]

    # -- the log -------------------------------------------------------------

    def _on_server_record_logged(self, record: RequestRecord) -> None:
        if record.request_id not in self.records:
            self._order.append(record.request_id)
            while len(self._order) > LOG_ROWS:
                self.records.pop(self._order.popleft(), None)
        self.records[record.request_id] = record
        self.record_logged.emit(record)
        if record.conversation_id is not None:
            self.history_changed.emit()


class ServerNote(QLabel):
    """A window's status-bar note and its Server menu; both go with the window."""

    def __init__(self, controller: ServerController, window: QMainWindow) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("server-status")
        self.setToolTip(tr("The local OpenAI-compatible server is on (Server menu)."))
        menu = window.menuBar().addMenu(tr("&Server"))
        self.switch = menu.addAction(tr("&Local server (OpenAI API)"))
        self.switch.setObjectName("local-server-switch")
        self.switch.setCheckable(True)
        self.switch.toggled.connect(controller._on_switch_toggled)
        menu.addAction(tr("Local server &settings and log…"),
                       lambda: controller.show_panel(window))
        window.statusBar().addPermanentWidget(self)
        controller.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        running = self.controller.running
        self.switch.blockSignals(True)
        self.switch.setChecked(running)
        self.switch.blockSignals(False)
        self.setText(f"API: {self.controller.server.address}/v1" if running else "")
