"""One window's answer being written: the send/stream state machine.

``ask`` stores an empty answer, sends the conversation to the worker and moves to
GENERATING; streamed text is saved and shown in batches (every BATCH_MS), never
per token; ``stop`` moves to STOPPING; the worker's result (or failure) ends the
answer, saves how it ended and goes back to IDLE.  The window shows what this
says through its signals, so the machine runs without a window in tests.
"""

from __future__ import annotations

import contextlib
import enum

from PySide6.QtCore import QObject, QTimer, Signal

from app.backend.engine import ContextFit, GenerationParams, GenerationResult, ModelFacts
from app.backend.history import FINISH_STATUS, ModelInput, model_input
from app.backend.store import AnswerWriter, Message, Status, Store
from app.ui.i18n import number, tr
from app.ui.messages import REPORTED, WindowMessages
from app.ui.worker import ChatRequest, EngineHost, prepare_highlighting

BATCH_MS = 40  # streamed text is applied at most this often


class State(enum.Enum):
    """What a window can do now.  The shared model is NO_MODEL, LOADING or READY; a
    window's answer is READY (none), GENERATING or STOPPING; a window is in its
    answer's state while it has one, else in the model's."""

    NO_MODEL = "no model"
    LOADING = "loading"
    READY = "ready"
    GENERATING = "generating"
    STOPPING = "stopping"


class AnswerSession(QObject):
    state_changed = Signal(object)  # State: READY, GENERATING or STOPPING
    answer_started = Signal(object, int, bool)  # Branch, answer id, waits for another window
    answer_written = Signal(int, str)  # answer id, the text so far
    answer_noted = Signal(int, str)  # answer id, a note ("Writing…")
    answer_ended = Signal(int, object, object)  # answer id, stored Message | None, result
    context_fitted = Signal(object, bool)  # ids of messages outside the context, trimmed

    def __init__(self, host: EngineHost, store: Store, messages: WindowMessages,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.store = store
        self.messages = messages
        self.state = State.READY
        self.first_turn = 0  # where the model's context starts; kept while it fits
        self.request: ChatRequest | None = None
        self._input: ModelInput | None = None
        self._writer: AnswerWriter | None = None
        self._pending: list[str] = []
        self._save_failed = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(BATCH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._connections = [
            (host.started, self._on_host_started),
            (host.context_fitted, self._on_host_context_fitted),
            (host.context_resized, self._on_host_context_resized),
            (host.token_received, self._on_host_token_received),
            (host.prompt_progressed, self._on_host_prompt_progressed),
            (host.finished, self._on_host_finished),
            (host.failed, self._on_host_failed),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)

    @property
    def answer_id(self) -> int | None:
        return self._writer.message_id if self._writer is not None else None

    def ask(self, conversation_id: int, parent_id: int, model_name: str, system_prompt: str,
            params: GenerationParams, context_size: int | None = None) -> bool:
        """Write a new answer to the message ``parent_id`` (the branch ends there)."""
        if self.state is not State.READY:
            return False
        with self.messages.guard(tr("start the answer")) as attempt:
            writer = self.store.begin_answer(conversation_id, parent_id, model_name)
            try:
                branch = self.store.branch(conversation_id)
            except REPORTED:
                with contextlib.suppress(*REPORTED):  # the first failure is the one to tell
                    writer.finish("error", error=tr("The conversation could not be read."))
                raise
        if attempt.failed:
            return False
        self._writer = writer
        self._save_failed = False
        self._input = model_input(system_prompt, branch.messages)
        waiting = self.host.busy
        self.request = self.host.generate(self._input.messages, params, self.first_turn,
                                          context_size)
        prepare_highlighting()  # while the prompt is read, in case the answer has code
        self._set_state(State.GENERATING)
        self.answer_started.emit(branch, writer.message_id, waiting)
        return True

    def continue_answer(self, conversation_id: int, answer_id: int, system_prompt: str,
                        params: GenerationParams, context_size: int | None = None) -> bool:
        """Go on writing an answer that was stopped or cut at its length: the model reads
        the chat up to it and its text so far, and the new text is added to it."""
        if self.state is not State.READY:
            return False
        with self.messages.guard(tr("continue the answer")) as attempt:
            branch = self.store.branch(conversation_id)
            ids = [m.id for m in branch.messages]
            before = branch.messages[:ids.index(answer_id)] if answer_id in ids else None
            writer = self.store.reopen_answer(answer_id) if before is not None else None
        if attempt.failed or writer is None or before is None:
            return False
        self._writer = writer
        self._save_failed = False
        self._input = model_input(system_prompt, before)
        waiting = self.host.busy
        self.request = self.host.generate(self._input.messages, params, self.first_turn,
                                          context_size, prefix=writer.text)
        self._set_state(State.GENERATING)
        self.answer_started.emit(branch, writer.message_id, waiting)
        return True

    def stop(self) -> None:
        if self.state is State.GENERATING and self.request is not None:
            self.host.stop(self.request)
            self._set_state(State.STOPPING)

    def detach(self) -> None:
        """The window closes: stop the answer and stop listening to the worker.

        The answer is saved as stopped with what was written."""
        if self.request is not None:
            self.host.stop(self.request)
        self._flush_timer.stop()
        self._flush()
        if self._writer is not None:
            self._finish(self._writer, "stopped")
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []

    # -- worker results ------------------------------------------------------

    def _mine(self, request_id: int) -> bool:
        return self.request is not None and self.request.request_id == request_id

    def _on_host_started(self, request_id: int) -> None:
        if self._mine(request_id) and self.answer_id is not None:
            self.answer_noted.emit(self.answer_id, tr("Writing…"))

    def _on_host_context_resized(self, request_id: int, facts: ModelFacts) -> None:
        if self._mine(request_id):
            self.messages.status(tr("This chat's context length applies: {size} tokens (the "
                                    "model's context was loaded again in {seconds} s).").format(
                size=number(facts.context_size), seconds=number(facts.load_seconds, 1)), 15_000)

    def _on_host_context_fitted(self, request_id: int, fit: ContextFit) -> None:
        if not self._mine(request_id) or self._input is None:
            return
        self.first_turn = fit.first_turn
        self.context_fitted.emit(set(self._input.outside(fit)), fit.trimmed)

    def _on_host_prompt_progressed(self, request_id: int, fraction: float) -> None:
        if self._mine(request_id) and self._writer is not None and not self._pending:
            self.answer_noted.emit(self._writer.message_id, tr("Writing…") if fraction >= 1
                                   else tr("Reading the chat: {percent}").format(
                                       percent=f"{fraction:.0%}"))

    def _on_host_token_received(self, request_id: int, text: str) -> None:
        if not self._mine(request_id):
            return
        self._pending.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        """Apply (and save) the text that arrived since the last batch: one re-render."""
        writer = self._writer
        if not self._pending or writer is None:
            return
        batch = "".join(self._pending)
        self._pending.clear()
        # Said once per answer; later batches retry quietly (the text stays on screen,
        # and the end of the answer is saved with all of it).
        with self.messages.guard(tr("save the answer as it is written"),
                                 quiet=self._save_failed) as attempt:
            writer.append(batch)
        self._save_failed = self._save_failed or attempt.failed
        self.answer_written.emit(writer.message_id, writer.text)

    def _on_host_finished(self, request_id: int, result: GenerationResult) -> None:
        if self._mine(request_id):
            self._end(FINISH_STATUS[result.finish_reason], result=result)

    def _on_host_failed(self, request_id: int, message: str) -> None:
        if not self._mine(request_id):
            return
        self._end("error" if message else "stopped", error=message or None)
        if message:
            self.messages.error(message)

    def _end(self, status: Status, result: GenerationResult | None = None,
             error: str | None = None) -> None:
        self._flush_timer.stop()
        self._flush()
        writer = self._writer
        self._writer = self.request = None
        stored = None
        if writer is not None:
            stored = self._finish(writer, status, result, error)
        self._set_state(State.READY)
        if writer is not None:
            self.answer_ended.emit(writer.message_id, stored, result)

    def _finish(self, writer: AnswerWriter, status: Status,
                result: GenerationResult | None = None, error: str | None = None
                ) -> Message | None:
        with self.messages.guard(tr("save the end of the answer")):
            return writer.finish(
                status, error=error,
                prompt_tokens=result.prompt_tokens if result else None,
                completion_tokens=result.completion_tokens if result else None,
                tokens_per_second=result.tokens_per_second if result else None,
                seed=result.seed if result else None)
        return None

    def _set_state(self, state: State) -> None:
        self.state = state
        self.state_changed.emit(state)
