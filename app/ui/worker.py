"""The one place that crosses the thread boundary.

An EngineWorker on its own QThread owns the engine: model loads and generation
never run on the GUI thread.  The GUI talks to it only through EngineHost:
requests go by queued signals, results come back as signals carrying plain
data (str, int, frozen dataclasses).  Stop is the request's threading.Event,
which the GUI sets directly: a queued "stop" slot could not run while the
worker's loop is busy generating.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.backend.engine import (
    ChatMessage,
    Engine,
    GenerationParams,
    GenerationResult,
    LoadOptions,
    ModelFacts,
)
from app.backend.errors import LlamaDeskError

log = logging.getLogger(__name__)


class ChatEngine(Protocol):
    """What the worker needs of an engine (the real one, or a fake in tests)."""

    def load(self, path: str, options: LoadOptions | None = None) -> ModelFacts: ...

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class LoadRequest:
    path: str
    display_name: str
    options: LoadOptions = field(default_factory=LoadOptions)


@dataclass(frozen=True)
class ChatRequest:
    request_id: int
    messages: tuple[ChatMessage, ...]
    params: GenerationParams = field(default_factory=GenerationParams)
    cancel: threading.Event = field(default_factory=threading.Event, compare=False)


@dataclass(frozen=True)
class LoadedModel:
    display_name: str
    facts: ModelFacts


class EngineWorker(QObject):
    """Lives on the worker thread; every slot runs there."""

    model_loaded = Signal(object)  # LoadedModel
    load_failed = Signal(str)
    token_received = Signal(int, str)  # request id, text
    finished = Signal(int, object)  # request id, GenerationResult
    failed = Signal(int, str)  # request id, message

    def __init__(self, engine: ChatEngine) -> None:
        super().__init__()
        self._engine = engine

    @Slot(object)
    def load(self, request: LoadRequest) -> None:
        try:
            facts = self._engine.load(request.path, request.options)
        except LlamaDeskError as error:
            self.load_failed.emit(str(error))
        except Exception as error:
            log.exception("unexpected error loading %s", request.path)
            self.load_failed.emit(f"Loading {request.display_name} failed unexpectedly: {error}")
        else:
            self.model_loaded.emit(LoadedModel(request.display_name, facts))

    @Slot(object)
    def generate(self, request: ChatRequest) -> None:
        if request.cancel.is_set():  # stopped before it started
            self.failed.emit(request.request_id, "")
            return

        def on_text(text: str) -> None:
            self.token_received.emit(request.request_id, text)

        try:
            result = self._engine.chat(request.messages, request.params, on_text, request.cancel)
        except LlamaDeskError as error:
            self.failed.emit(request.request_id, str(error))
        except Exception as error:
            log.exception("unexpected error while generating")
            self.failed.emit(request.request_id, f"Generation failed unexpectedly: {error}")
        else:
            self.finished.emit(request.request_id, result)

    @Slot()
    def shutdown(self) -> None:
        self._engine.close()
        # Hand the object back to the GUI thread, which outlives the worker thread
        # and is where Python will eventually destroy it.
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())


class EngineHost(QObject):
    """Lives on the GUI thread: starts the worker thread, sends it requests, and
    re-emits its results on the GUI thread (connect to these, not the worker's)."""

    load_requested = Signal(object)
    generate_requested = Signal(object)
    model_loaded = Signal(object)  # LoadedModel
    load_failed = Signal(str)
    token_received = Signal(int, str)
    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, engine: ChatEngine | None = None) -> None:
        super().__init__()
        self.worker = EngineWorker(engine if engine is not None else Engine())
        self._thread = QThread()
        self._thread.setObjectName("engine")
        self.worker.moveToThread(self._thread)
        self.load_requested.connect(self.worker.load, Qt.ConnectionType.QueuedConnection)
        self.generate_requested.connect(self.worker.generate, Qt.ConnectionType.QueuedConnection)
        self._current: ChatRequest | None = None
        self._next_id = 0
        self._closed = False
        queued = Qt.ConnectionType.QueuedConnection
        self.worker.model_loaded.connect(self.model_loaded, queued)
        self.worker.load_failed.connect(self.load_failed, queued)
        self.worker.token_received.connect(self.token_received, queued)
        self.worker.finished.connect(self._on_worker_finished, queued)
        self.worker.failed.connect(self._on_worker_failed, queued)
        self._thread.start()

    def load(self, request: LoadRequest) -> None:
        self.load_requested.emit(request)

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> ChatRequest:
        self._next_id += 1
        request = ChatRequest(self._next_id, tuple(messages), params)
        self._current = request
        self.generate_requested.emit(request)
        return request

    def stop(self) -> None:
        """Ask the running answer to end now; thread-safe, returns at once."""
        if self._current is not None:
            self._current.cancel.set()

    def close(self) -> None:
        """Stop generation, close the model on its own thread, join the thread."""
        if self._closed:
            return
        self._closed = True
        self.stop()
        # Blocking: runs after the (now cancelled) generation returns, so the model
        # is closed by the thread that used it, before the thread ends.
        QMetaObject.invokeMethod(self.worker, "shutdown",
                                 Qt.ConnectionType.BlockingQueuedConnection)
        self._thread.quit()
        self._thread.wait()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def busy(self) -> bool:
        return self._current is not None

    def _on_worker_finished(self, request_id: int, result: object) -> None:
        self._request_done(request_id)
        self.finished.emit(request_id, result)

    def _on_worker_failed(self, request_id: int, message: str) -> None:
        self._request_done(request_id)
        self.failed.emit(request_id, message)

    def _request_done(self, request_id: int) -> None:
        if self._current is not None and self._current.request_id == request_id:
            self._current = None
