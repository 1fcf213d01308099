"""Server > Local server settings and log: the address, the API key, the server's
settings and the live request log (the controller is in server_panel.py)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.backend import keychain
from app.backend.schema import is_bind_address, is_origin
from app.ui.i18n import number, setting_text, shown, tr
from app.ui.server_panel import LOG_COLUMNS, LOG_ROWS, ServerController, log_columns

if TYPE_CHECKING:
    from app.backend.server import RequestRecord


class ServerDialog(QDialog):
    """Address, key, settings and the live request log."""

    def __init__(self, controller: ServerController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(tr("Local server"))
        self.resize(760, 560)
        settings = controller.settings
        layout = QVBoxLayout(self)

        self.switch = QCheckBox(tr("Serve the loaded model with the OpenAI API"))
        self.switch.setObjectName("server-switch")
        self.switch.toggled.connect(self._on_switch_toggled)
        self.status = QLabel()
        self.status.setObjectName("server-state")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.switch)
        layout.addWidget(self.status)

        form = QFormLayout()
        self.address = QLineEdit()
        self.address.setAccessibleName(tr("Server address"))
        self.address.setReadOnly(True)
        copy_address = QPushButton(tr("Copy"))
        copy_address.clicked.connect(lambda: _copy(self.address.text()))
        form.addRow(tr("Address"), _row(self.address, copy_address))
        self.key = QLineEdit()
        self.key.setAccessibleName(tr("API key"))
        self.key.setObjectName("server-key")
        self.key.setReadOnly(True)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        show = QPushButton(tr("Show"))
        show.setCheckable(True)
        show.toggled.connect(lambda on: self.key.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        copy_key = QPushButton(tr("Copy"))
        copy_key.clicked.connect(lambda: _copy(self.key.text()))
        self.renew = QPushButton(tr("New key"))
        self.renew.setToolTip(tr("Make a new key; clients must then use it."))
        self.renew.clicked.connect(self._renew_key)
        self.key_row = _row(self.key, show, copy_key, self.renew)
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        key_box = QWidget()
        key_layout = QVBoxLayout(key_box)
        key_layout.setContentsMargins(0, 0, 0, 0)
        key_layout.addWidget(self.key_row)
        key_layout.addWidget(self.key_note)
        form.addRow(tr("API key"), key_box)

        self.host = QLineEdit(settings.server_host)
        self.host.setObjectName("server-host")
        self.host.setToolTip(tr("127.0.0.1: this computer only. 0.0.0.0: every network (other "
                                "computers then need the API key)."))
        self.port = QSpinBox()
        self.port.setObjectName("server-port")
        self.port.setRange(1, 65535)
        self.port.setValue(max(1, settings.server_port))
        self.origins = QLineEdit(", ".join(settings.server_allowed_origins))
        self.origins.setObjectName("server-origins")
        self.origins.setPlaceholderText(tr("none: web pages cannot call the API"))
        self.save_history = QCheckBox(tr("Save API conversations in the history"))
        self.save_history.setObjectName("server-save-history")
        self.save_history.setChecked(settings.server_save_history)
        apply = QPushButton(tr("Apply"))
        apply.setObjectName("server-apply")
        apply.clicked.connect(self.apply)
        form.addRow(setting_text("Listen on"), _row(self.host, QLabel(tr("port")), self.port))
        form.addRow(setting_text("Allowed web origins"), self.origins)
        form.addRow("", _row(self.save_history, apply))
        layout.addLayout(form)

        self.example = QPlainTextEdit()
        self.example.setObjectName("server-example")
        self.example.setReadOnly(True)
        self.example.setMaximumHeight(70)
        layout.addWidget(QLabel(tr("Try it:")))
        layout.addWidget(self.example)

        layout.addWidget(QLabel(tr("Requests")))
        self.log = QTableWidget(0, len(LOG_COLUMNS))
        self.log.setObjectName("server-log")
        self.log.setHorizontalHeaderLabels(log_columns())
        self.log.verticalHeader().hide()
        self.log.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.log.setWordWrap(False)
        header = self.log.horizontalHeader()
        for column in range(len(LOG_COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(LOG_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.log, 1)
        self._rows: dict[int, int] = {}
        controller.changed.connect(self.refresh)
        controller.record_logged.connect(self.show_record)
        for record_id in controller._order:
            self.show_record(controller.records[record_id])

    def refresh(self) -> None:
        controller = self.controller
        running = controller.running
        self.switch.blockSignals(True)
        self.switch.setChecked(running)
        self.switch.blockSignals(False)
        options = controller.options
        address = f"{controller.server.address}/v1" if running else ""
        self.address.setText(address)
        if controller.error:
            self.status.setText(tr("Not running: {error}").format(error=controller.error))
        elif running:
            self.status.setText(tr("Serving model '{model}' at {address}.").format(
                model=controller.model_name(), address=address))
        else:
            self.status.setText(tr("Off. Turn it on to let editors, scripts and other tools use "
                                   "the loaded model on this computer."))
        key = options.api_key if options is not None else None
        self.key.setText(key or "")
        self.key_row.setVisible(key is not None)
        self.key_note.setText(
            (tr("Required from every client (send 'Authorization: Bearer KEY'). It is kept "
                "in the OS keyring.") + " " + controller.key_note).strip() if key else
            tr("Not needed: the server listens on this computer only. Listening on another "
               "address requires the key."))
        model = controller.model_name()
        base = address or "http://127.0.0.1:8080/v1"
        auth = ' -H "Authorization: Bearer $LLAMADESK_KEY"' if key else ""
        self.example.setPlainText(
            f"curl {base}/chat/completions -H \"Content-Type: application/json\"{auth} "
            f"-d '{{\"model\": \"{model}\", \"messages\": [{{\"role\": \"user\", "
            f"\"content\": \"Hello\"}}]}}'")

    def apply(self) -> None:
        host = self.host.text().strip()
        origins = tuple(o.strip() for o in self.origins.text().replace(" ", ",").split(",")
                        if o.strip())
        if not is_bind_address(host):
            self.status.setText(tr("{host} is not an IP address such as 127.0.0.1 or "
                                   "0.0.0.0.").format(host=repr(host)))
            return
        bad = [o for o in origins if not is_origin(o)]
        if bad:
            self.status.setText(tr("{origin} is not an origin such as http://localhost:3000 "
                                   "(scheme and host, no path, no wildcards).").format(
                                       origin=repr(bad[0])))
            return
        self.controller.apply(server_host=host, server_port=self.port.value(),
                              server_allowed_origins=origins,
                              server_save_history=self.save_history.isChecked())

    def show_record(self, record: RequestRecord) -> None:
        row = self._rows.get(record.request_id)
        if row is None:
            row = self.log.rowCount()
            self.log.insertRow(row)
            self._rows[record.request_id] = row
            if row >= LOG_ROWS:
                self.log.removeRow(0)
                self._rows = {k: v - 1 for k, v in self._rows.items() if v > 0}
                row -= 1
        tokens = f"{record.prompt_tokens} + {record.completion_tokens}" \
            if record.completion_tokens else ""
        cells = (time.strftime("%H:%M:%S", time.localtime(record.started)), record.client,
                 f"{record.method} {record.path}" + (" (stream)" if record.stream else ""),
                 "…" if record.status is None else str(record.status), tokens,
                 "" if record.status is None else number(record.seconds, 2), shown(record.note))
        for column, text in enumerate(cells):
            self.log.setItem(row, column, QTableWidgetItem(text))
        self.log.scrollToBottom()

    def _on_switch_toggled(self, checked: bool) -> None:
        self.controller.set_enabled(checked)

    def _renew_key(self) -> None:
        _key, problem = keychain.renew_server_key()
        self.controller.key_note = shown(problem or "")
        if self.controller.running:
            self.controller.start()


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return box


def _copy(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
