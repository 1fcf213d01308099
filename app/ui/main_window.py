"""The chat window."""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.backend.engine import ChatMessage, GenerationResult
from app.backend.models import ModelChoice
from app.backend.settings import Settings
from app.ui.chat_view import ChatView, MessageView
from app.ui.composer import Composer
from app.ui.worker import EngineHost, LoadedModel, LoadRequest

log = logging.getLogger(__name__)
BATCH_MS = 40  # streamed text is applied at most this often


class State(enum.Enum):
    NO_MODEL = "no model"
    LOADING = "loading"
    READY = "ready"
    GENERATING = "generating"
    STOPPING = "stopping"


class ErrorBanner(QFrame):
    """The one place the window shows errors: in words, closable, never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("error-banner")
        self.setStyleSheet("#error-banner { background: #fdecea; border: 1px solid #f5c2c0; }"
                           "#error-banner QLabel { color: #611a15; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()


class MainWindow(QMainWindow):
    def __init__(
        self,
        host: EngineHost,
        settings: Settings,
        model: ModelChoice | None,
        startup_problem: str | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.resize(920, 720)
        self.host = host
        self.settings = settings
        self.model = model
        self.state = State.NO_MODEL
        self.conversation: list[ChatMessage] = []
        self._answer: MessageView | None = None
        self._answer_text = ""
        self._pending: list[str] = []
        self._request_id = 0

        self.errors = ErrorBanner()
        self.chat = ChatView()
        self.composer = Composer()
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("send-button")
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.composer.submitted.connect(self.send)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.errors)
        layout.addWidget(self.chat, 1)
        row = QHBoxLayout()
        row.setContentsMargins(12, 0, 12, 0)
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)
        self.setCentralWidget(central)

        self.model_label = QLabel()
        self.backend_label = QLabel()
        self.speed_label = QLabel()
        self.context_label = QLabel()
        for label in (self.model_label, self.backend_label, self.speed_label,
                      self.context_label):
            self.statusBar().addPermanentWidget(label)
        self.statusBar().setSizeGripEnabled(True)

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(BATCH_MS)
        self._flush_timer.timeout.connect(self._flush)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop)

        host.model_loaded.connect(self._on_worker_model_loaded)
        host.load_failed.connect(self._on_worker_load_failed)
        host.token_received.connect(self._on_worker_token_received)
        host.finished.connect(self._on_worker_finished)
        host.failed.connect(self._on_worker_failed)

        for problem in settings.problems:
            log.warning("%s", problem)
        problems = [*settings.problems, *([startup_problem] if startup_problem else [])]
        if problems:
            self.errors.show_message("\n".join(problems))
        self._set_state(State.NO_MODEL)
        self.composer.setFocus()

    # -- actions -------------------------------------------------------------

    def start(self) -> None:
        """Load the chosen model in the background."""
        if self.model is None:
            return
        self._set_state(State.LOADING)
        self.model_label.setText(f"Loading {self.model.display_name}…")
        self.host.load(LoadRequest(str(self.model.path), self.model.display_name,
                                   self.settings.load_options()))

    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self.state is not State.READY:
            return
        self.composer.clear()
        self.errors.hide()
        self.conversation.append(ChatMessage("user", text))
        self.chat.add_message("user", text)
        self._answer = self.chat.add_message("assistant")
        self._answer.set_note("Writing…")
        self._answer_text = ""
        request = self.host.generate(self.conversation, self.settings.generation_params())
        self._request_id = request.request_id
        self._set_state(State.GENERATING)

    def stop(self) -> None:
        if self.state is State.GENERATING:
            self.host.stop()
            self._set_state(State.STOPPING)

    # -- worker results ------------------------------------------------------

    def _on_worker_model_loaded(self, loaded: LoadedModel) -> None:
        facts = loaded.facts
        self.model_label.setText(f"{loaded.display_name} · {facts.quantization}")
        self.model_label.setToolTip(facts.path)
        self.backend_label.setText(facts.backend_label)
        self.context_label.setText(f"context 0 / {facts.context_size:,}")
        if facts.template_note:
            self.errors.show_message(facts.template_note)
        self._set_state(State.READY)

    def _on_worker_load_failed(self, message: str) -> None:
        self.model_label.setText("No model loaded")
        self.errors.show_message(message)
        self._set_state(State.NO_MODEL)

    def _on_worker_token_received(self, request_id: int, text: str) -> None:
        if request_id != self._request_id:
            return
        self._pending.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        """Apply the text that arrived since the last batch: one re-render."""
        if self._pending and self._answer is not None:
            self._answer_text += "".join(self._pending)
            self._pending.clear()
            self._answer.set_text(self._answer_text)

    def _on_worker_finished(self, request_id: int, result: GenerationResult) -> None:
        if request_id != self._request_id:
            return
        self._end_answer(interrupted=result.finish_reason == "cancelled")
        speed = result.tokens_per_second
        if self._answer is not None:
            parts = [f"{result.completion_tokens} tokens", f"{speed:.1f} tokens/s"]
            if result.finish_reason == "cancelled":
                parts.append("stopped")
            elif result.finish_reason == "length":
                parts.append("cut at the length limit")
            self._answer.set_note(" · ".join(parts))
        self.speed_label.setText(f"{speed:.1f} tokens/s")
        self.context_label.setText(
            f"context {result.context_used:,} / {result.context_size:,}")
        self._answer = None
        self._set_state(State.READY)

    def _on_worker_failed(self, request_id: int, message: str) -> None:
        if request_id != self._request_id:
            return
        self._end_answer(interrupted=True)
        if self._answer is not None:
            self._answer.set_note("stopped" if not message else "interrupted by an error")
        if message:
            self.errors.show_message(message)
        self._answer = None
        self._set_state(State.READY)

    def _end_answer(self, interrupted: bool) -> None:
        self._flush_timer.stop()
        self._flush()
        if self._answer_text:
            self.conversation.append(ChatMessage("assistant", self._answer_text))
        elif self._answer is not None and not interrupted:
            self._answer.set_text("*(no answer)*")

    # -- state ---------------------------------------------------------------

    def _set_state(self, state: State) -> None:
        self.state = state
        generating = state in (State.GENERATING, State.STOPPING)
        self.send_button.setText("Stop" if generating else "Send")
        self.send_button.setToolTip("Stop the answer (Esc)" if generating
                                    else "Send the message (Enter)")
        self.send_button.setEnabled(state in (State.READY, State.GENERATING))

    def _on_send_button_clicked(self) -> None:
        if self.state is State.GENERATING:
            self.stop()
        else:
            self.send()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.host.close()
        super().closeEvent(event)
