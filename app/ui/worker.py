"""The one place in the GUI that crosses a thread boundary.

The engine thread belongs to app/backend/scheduler.EngineScheduler (plain
Python): it is the one thread that ever calls the engine, for the windows and
for the local API server alike, and it gives them fair turns (round robin
between the sources "window" and "api").  Model loads and generation never run
on the GUI thread.

The GUI talks to the engine only through EngineHost: it submits EngineWorker
methods as scheduler jobs (source "window"; loads and token counts as urgent
jobs), and the worker's signals, emitted on the engine thread, come back
queued to the GUI thread as signals carrying plain data (str, int, float,
frozen dataclasses).  Stop is the request's threading.Event, which the GUI
sets directly.

ServerHost runs the local OpenAI-compatible server (app/backend/server.py) on
its own thread over the same scheduler, and brings its request log back to the
GUI thread the same way.  The download thread (DownloadHost) is a QThread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.backend.catalog import CatalogFile
from app.backend.engine import (
    ChatMessage,
    ContextFit,
    Engine,
    GenerationParams,
    GenerationResult,
    LoadOptions,
    ModelFacts,
)
from app.backend.engines import EngineRouter, EngineSpec
from app.backend.errors import LlamaDeskError, ModelFileError
from app.backend.scheduler import EngineScheduler, SchedulerClosedError
from app.ui.i18n import shown, tr

if TYPE_CHECKING:
    from app.backend.server import ApiServer, ServerOptions

log = logging.getLogger(__name__)


class ChatEngine(Protocol):
    """What the worker needs of an engine (the real one, or a fake in tests)."""

    def load(self, path: str, options: LoadOptions | None = None,
             on_progress: Callable[[float], None] | None = None) -> ModelFacts: ...

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        prefix: str = "",
        on_prompt: Callable[[float], None] | None = None,
    ) -> GenerationResult: ...

    def close(self) -> None: ...

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int: ...

    def fit_context(self, messages: Sequence[ChatMessage], max_tokens: int,
                    keep_from: int = 0) -> ContextFit: ...

    def use_context(self, size: int) -> ModelFacts | None: ...

    @property
    def facts(self) -> ModelFacts | None: ...


@dataclass(frozen=True)
class LoadRequest:
    path: str
    display_name: str
    options: LoadOptions = field(default_factory=LoadOptions)


@dataclass(frozen=True)
class ChatRequest:
    """Messages as stored (system prompt first); the worker fits them to the context,
    keeping the turns from ``keep_from`` on while they fit (see Engine.fit_context)."""

    request_id: int
    messages: tuple[ChatMessage, ...]
    params: GenerationParams = field(default_factory=GenerationParams)
    keep_from: int = 0
    cancel: threading.Event = field(default_factory=threading.Event, compare=False)
    context_size: int | None = None  # the chat's own context length, if it has one
    prefix: str = ""  # the answer's beginning, to go on from (Continue)


@dataclass(frozen=True)
class CountRequest:
    request_id: int
    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True)
class TokenCount:
    request_id: int
    tokens: int
    context_size: int


@dataclass(frozen=True)
class LoadedModel:
    display_name: str
    facts: ModelFacts
    path: str = ""
    note: str | None = None  # e.g. "X could not load (...); back on Y"


WINDOW = "window"  # the scheduler source of every chat window


class EngineWorker(QObject):
    """Its methods run as jobs on the scheduler's engine thread; its signals are
    emitted there and reach the GUI through EngineHost (queued)."""

    model_loaded = Signal(object)  # LoadedModel
    load_failed = Signal(str)
    load_progressed = Signal(float)  # 0..1 while llama.cpp reads the weights
    started = Signal(int)  # request id: the worker began it (it may have waited)
    context_fitted = Signal(int, object)  # request id, ContextFit
    context_resized = Signal(int, object)  # request id, ModelFacts with the new context
    token_received = Signal(int, str)  # request id, text
    prompt_progressed = Signal(int, float)  # request id, share of the prompt read
    finished = Signal(int, object)  # request id, GenerationResult
    failed = Signal(int, str)  # request id, message
    counted = Signal(object)  # TokenCount

    def __init__(self, engine: ChatEngine) -> None:
        super().__init__()
        self._engine = engine
        self._last_good: LoadRequest | None = None

    def load(self, request: LoadRequest) -> None:
        """Load; if the GPU fails, try the CPU; if that fails too, go back to the model
        that worked before, so a failed switch never leaves the app without a model."""
        attempts = [request]
        if request.options.gpu_layers < 0:  # automatic; a chosen number is used as it is
            attempts.append(replace(request, options=replace(request.options, gpu_layers=0)))
        message = ""
        last = [0.0]

        def progressed(fraction: float) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY / 2 or fraction >= 1.0:
                last[0] = now
                self.load_progressed.emit(fraction)

        for attempt in attempts:
            try:
                facts = self._engine.load(attempt.path, attempt.options, progressed)
            except ModelFileError as error:  # the file itself: another device will not help
                message = shown(error)
                break
            except LlamaDeskError as error:
                message = shown(error)
                continue
            except Exception as error:
                log.exception("unexpected error loading %s", attempt.path)
                message = tr("Loading {name} failed unexpectedly: {error}").format(
                    name=shown(attempt.display_name), error=error)
                continue
            note = None if attempt is request else (
                tr("{name} did not load on the GPU ({error}); it runs on the CPU "
                   "instead.").format(name=shown(request.display_name), error=message))
            self._last_good = attempt
            self.model_loaded.emit(LoadedModel(attempt.display_name, facts, attempt.path, note))
            return
        previous = self._last_good
        running = self._engine.facts
        if previous is not None and running is not None and running.path == previous.path:
            # The file was refused before the model in use was closed: it still runs,
            # with its KV snapshots; loading it again would only throw them away.
            self.model_loaded.emit(LoadedModel(
                previous.display_name, running, previous.path,
                tr("{name} could not be loaded: {error} {previous} is still loaded.").format(
                    name=shown(request.display_name), error=message,
                    previous=shown(previous.display_name))))
            return
        if previous is not None and previous.path != request.path:
            try:
                facts = self._engine.load(previous.path, previous.options)
            except LlamaDeskError as error:
                message += " " + tr("Going back to {previous} failed too: {error}").format(
                    previous=shown(previous.display_name), error=shown(error))
            else:
                self.model_loaded.emit(LoadedModel(
                    previous.display_name, facts, previous.path,
                    tr("{name} could not be loaded: {error} {previous} is loaded again.").format(
                        name=shown(request.display_name), error=message,
                        previous=shown(previous.display_name))))
                return
        self.load_failed.emit(message)

    def generate(self, request: ChatRequest) -> None:
        if request.cancel.is_set():  # stopped before it started
            self.failed.emit(request.request_id, "")
            return

        def on_text(text: str) -> None:
            self.token_received.emit(request.request_id, text)

        def on_prompt(fraction: float) -> None:
            self.prompt_progressed.emit(request.request_id, fraction)

        self.started.emit(request.request_id)
        try:
            if request.context_size is not None:
                resized = self._engine.use_context(request.context_size)
                if resized is not None:
                    self.context_resized.emit(request.request_id, resized)
            fit = self._engine.fit_context(request.messages, request.params.max_tokens,
                                           request.keep_from)
            self.context_fitted.emit(request.request_id, fit)
            result = self._engine.chat(fit.apply(request.messages), request.params, on_text,
                                       request.cancel, request.prefix, on_prompt)
        except LlamaDeskError as error:
            self.failed.emit(request.request_id, shown(error))
        except Exception as error:
            log.exception("unexpected error while generating")
            self.failed.emit(request.request_id,
                             tr("Generation failed unexpectedly: {error}").format(error=error))
        else:
            self.finished.emit(request.request_id, result)

    def count(self, request: CountRequest) -> None:
        facts = self._engine.facts
        if facts is None:
            return
        try:
            tokens = self._engine.count_tokens(request.messages)
        except LlamaDeskError:
            return
        self.counted.emit(TokenCount(request.request_id, tokens, facts.context_size))

_highlighting_ready = threading.Event()


def prepare_highlighting() -> None:
    """Import Pygments and build the commonest lexers on a short-lived thread, once: done
    on the GUI thread by the first code block of an answer, it stalled the window for
    30-70 ms.  Plain Python; nothing Qt crosses."""
    if _highlighting_ready.is_set():
        return
    _highlighting_ready.set()

    def prepare() -> None:
        from app.ui.highlight import prepare_lexers

        try:
            prepare_lexers()
        except Exception:  # the first code block then does it, as before
            log.exception("preparing the code highlighter failed")

    threading.Thread(target=prepare, name="llamadesk-highlight", daemon=True).start()


def _return_to_gui_thread(worker: QObject) -> None:
    """Hand a worker back to the GUI thread, which outlives the worker thread and is
    where Python eventually destroys it.  Runs on the worker's own thread."""
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())


class EngineHost(QObject):
    """Lives on the GUI thread: submits requests to the engine scheduler, and
    re-emits the worker's results on the GUI thread (connect to these, not the
    worker's).  ``scheduler`` is shared with the local API server."""

    model_loaded = Signal(object)  # LoadedModel
    load_failed = Signal(str)
    load_progressed = Signal(float)
    started = Signal(int)
    context_fitted = Signal(int, object)
    context_resized = Signal(int, object)
    token_received = Signal(int, str)
    prompt_progressed = Signal(int, float)
    finished = Signal(int, object)
    failed = Signal(int, str)
    counted = Signal(object)

    def __init__(self, engine: ChatEngine | None = None,
                 queue_limits: dict[str, int] | None = None) -> None:
        super().__init__()
        engine = engine if engine is not None else EngineRouter(Engine())
        self._engine = engine
        self.worker = EngineWorker(engine)
        self.scheduler = EngineScheduler(engine, queue_limits)
        self._active: dict[int, ChatRequest] = {}
        self._next_id = 0
        self.facts: ModelFacts | None = None
        self._closed = False
        queued = Qt.ConnectionType.QueuedConnection
        self.worker.model_loaded.connect(self._on_worker_model_loaded, queued)
        self.worker.load_failed.connect(self.load_failed, queued)
        self.worker.load_progressed.connect(self.load_progressed, queued)
        self.worker.started.connect(self.started, queued)
        self.worker.context_fitted.connect(self.context_fitted, queued)
        self.worker.context_resized.connect(self._on_worker_context_resized, queued)
        self.worker.token_received.connect(self.token_received, queued)
        self.worker.prompt_progressed.connect(self.prompt_progressed, queued)
        self.worker.counted.connect(self.counted, queued)
        self.worker.finished.connect(self._on_worker_finished, queued)
        self.worker.failed.connect(self._on_worker_failed, queued)

    def load(self, request: LoadRequest) -> None:
        self._submit(lambda _engine: self.worker.load(request), urgent=True)

    def set_remote_engines(self, specs: Sequence[EngineSpec]) -> None:
        """The remote engines the settings hold now (the router reads them at a load)."""
        if isinstance(self._engine, EngineRouter):
            self._engine.set_engines(specs)

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams,
                 keep_from: int = 0, context_size: int | None = None,
                 prefix: str = "") -> ChatRequest:
        """Queue a request; it waits its turn while another answer is written
        (another window's, or one API answer: see EngineScheduler).
        ``context_size``: the chat's own context length (the model's context is
        reloaded with it first when it differs)."""
        request = ChatRequest(self._new_id(), tuple(messages), params, keep_from,
                              context_size=context_size, prefix=prefix)
        self._active[request.request_id] = request
        if not self._submit(lambda _engine: self.worker.generate(request),
                            cancel=request.cancel):
            self._active.pop(request.request_id, None)
            request.cancel.set()
        return request

    def count(self, messages: Sequence[ChatMessage]) -> int:
        """Ask for a token count; the answer comes as ``counted``."""
        request = CountRequest(self._new_id(), tuple(messages))
        self._submit(lambda _engine: self.worker.count(request), urgent=True)
        return request.request_id

    def _submit(self, work: Callable[[object], None], cancel: threading.Event | None = None,
                urgent: bool = False) -> bool:
        try:
            self.scheduler.submit(WINDOW, work, cancel=cancel, urgent=urgent)
        except SchedulerClosedError:
            return False
        return True

    def stop(self, request: ChatRequest | None = None) -> None:
        """Ask an answer (default: every one) to end now; returns at once."""
        for active in [request] if request else list(self._active.values()):
            active.cancel.set()

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def close(self) -> None:
        """Stop every answer (windows' and API's), close the model on the engine
        thread after the last job, join that thread."""
        if self._closed:
            return
        self._closed = True
        self.stop()
        self.scheduler.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def busy(self) -> bool:
        """An answer (a window's or the API's) is being written or waits."""
        return bool(self._active) or self.scheduler.busy

    def _on_worker_model_loaded(self, loaded: LoadedModel) -> None:
        self.facts = loaded.facts
        self.model_loaded.emit(loaded)

    def _on_worker_context_resized(self, request_id: int, facts: ModelFacts) -> None:
        self.facts = facts
        self.context_resized.emit(request_id, facts)

    def _on_worker_finished(self, request_id: int, result: object) -> None:
        self._request_done(request_id)
        self.finished.emit(request_id, result)

    def _on_worker_failed(self, request_id: int, message: str) -> None:
        self._request_done(request_id)
        self.failed.emit(request_id, message)

    def _request_done(self, request_id: int) -> None:
        self._active.pop(request_id, None)


class ServerHost(QObject):
    """GUI side of the local API server (app/backend/server.py): it runs on a
    thread of its own over the EngineHost's scheduler, so API requests and the
    windows share the one model and take turns.  Its request log comes back here,
    on the GUI thread, as ``record_logged`` (RequestRecord)."""

    record_logged = Signal(object)  # RequestRecord, when a request starts and ends
    _relayed = Signal(object)  # emitted on the server's thread

    def __init__(self, host: EngineHost) -> None:
        super().__init__()
        self._host = host
        self._server: ApiServer | None = None
        self._relayed.connect(self.record_logged, Qt.ConnectionType.QueuedConnection)

    def start(self, options: ServerOptions, defaults: GenerationParams) -> str:
        """(Re)start listening; returns the address.  ServerError if it cannot."""
        from app.backend.server import ApiServer

        self.stop()
        server = ApiServer(self._host.scheduler, options, defaults,
                           on_record=self._relayed.emit)
        server.start()
        self._server = server
        return server.address

    def stop(self) -> None:
        """Stop listening; API answers being written end now (the windows' go on)."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> str:
        return self._server.address if self._server is not None else ""

    @property
    def options(self) -> ServerOptions | None:
        return self._server.options if self._server is not None else None


@dataclass(frozen=True)
class DownloadRequest:
    download_id: int
    display_name: str
    repo: str
    files: tuple[str, ...]
    models_dir: str
    endpoint: str | None = None
    token: str | None = field(default=None, repr=False)
    cancel: threading.Event = field(default_factory=threading.Event, compare=False)
    revision: str = "main"
    pins: tuple[CatalogFile | None, ...] = ()  # the catalog's record of each file, if any


@dataclass(frozen=True)
class DownloadProgress:
    download_id: int
    done: int
    total: int
    bytes_per_second: float
    part: int
    parts: int


PROGRESS_EVERY = 0.1  # seconds between progress signals


@dataclass(frozen=True)
class RepoListing:
    repo: str
    files: tuple[tuple[str, int], ...] = ()  # GGUF file names and sizes
    error: str = ""
    note: str = ""  # why the listing is shown, e.g. a catalog file that is missing
    preferred: str = ""  # the file to offer first


class DownloadWorker(QObject):
    """Lives on the download thread: one download at a time, the rest queue."""

    progressed = Signal(object)  # DownloadProgress
    finished = Signal(int, str)  # download id, path of the (first) file
    failed = Signal(int, str)  # download id, message ("" when paused or cancelled)
    listed = Signal(object)  # RepoListing

    @Slot(str, object, object)
    def list_repo(self, repo: str, endpoint: object, token: object) -> None:
        from app.backend.downloads import Hub

        try:
            files = Hub(endpoint if isinstance(endpoint, str) else None,
                        token if isinstance(token, str) else None).gguf_files(repo)
        except LlamaDeskError as error:
            self.listed.emit(RepoListing(repo, error=shown(error)))
        else:
            self.listed.emit(RepoListing(repo, tuple(files)))

    @Slot(object)
    def download(self, request: DownloadRequest) -> None:
        from app.backend.downloads import (
            DownloadCancelled,
            Downloader,
            Hub,
            MissingFileError,
            Progress,
        )

        if request.cancel.is_set():
            self.failed.emit(request.download_id, "")
            return
        hub = Hub(request.endpoint, request.token)
        loader = Downloader(hub, Path(request.models_dir))
        last = [0.0]
        first = ""
        try:
            for part, filename in enumerate(request.files, 1):
                pin = request.pins[part - 1] if len(request.pins) >= part else None
                remote = hub.remote_file(request.repo, filename, request.revision, pin)

                def report(progress: Progress, part: int = part) -> None:
                    now = time.monotonic()
                    if now - last[0] >= PROGRESS_EVERY or progress.done == progress.total:
                        last[0] = now
                        self.progressed.emit(DownloadProgress(
                            request.download_id, progress.done, progress.total,
                            progress.bytes_per_second, part, len(request.files)))

                path = loader.download(remote, progress=report, cancel=request.cancel)
                first = first or str(path)
        except DownloadCancelled:
            self.failed.emit(request.download_id, "")
        except MissingFileError as missing:  # offer the repository's closest file
            self.failed.emit(request.download_id, shown(missing))
            self.listed.emit(RepoListing(missing.repo, missing.files, note=shown(missing),
                                         preferred=missing.closest or ""))
        except LlamaDeskError as error:
            self.failed.emit(request.download_id, shown(error))
        except Exception as error:
            log.exception("unexpected download error")
            self.failed.emit(request.download_id,
                             tr("The download failed unexpectedly: {error}").format(error=error))
        else:
            self.finished.emit(request.download_id, first)

    @Slot()
    def shutdown(self) -> None:
        _return_to_gui_thread(self)


class DownloadHost(QObject):
    """GUI side of the download thread; re-emits its signals on the GUI thread."""

    requested = Signal(object)
    list_requested = Signal(str, object, object)
    progressed = Signal(object)
    finished = Signal(int, str)
    failed = Signal(int, str)
    listed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.worker = DownloadWorker()
        self._thread = QThread()
        self._thread.setObjectName("downloads")
        self.worker.moveToThread(self._thread)
        queued = Qt.ConnectionType.QueuedConnection
        self.requested.connect(self.worker.download, queued)
        self.list_requested.connect(self.worker.list_repo, queued)
        self.worker.listed.connect(self.listed, queued)
        self.worker.progressed.connect(self.progressed, queued)
        self.worker.finished.connect(self._on_worker_finished, queued)
        self.worker.failed.connect(self._on_worker_failed, queued)
        self.active: dict[int, DownloadRequest] = {}
        self._discard: set[int] = set()
        self._next_id = 0
        self._closed = False
        self._thread.start()

    def start(self, display_name: str, repo: str, files: Sequence[str], models_dir: Path,
              endpoint: str | None = None, token: str | None = None, revision: str = "main",
              pins: Sequence[CatalogFile | None] = ()) -> DownloadRequest:
        self._next_id += 1
        request = DownloadRequest(self._next_id, display_name, repo, tuple(files),
                                  str(models_dir), endpoint, token, revision=revision,
                                  pins=tuple(pins))
        self.active[request.download_id] = request
        self.requested.emit(request)
        return request

    def list_repo(self, repo: str, endpoint: str | None, token: str | None) -> None:
        """Ask for a repository's GGUF files; the answer comes as ``listed``."""
        self.list_requested.emit(repo, endpoint, token)

    def resume(self, request: DownloadRequest) -> DownloadRequest:
        """Start a paused download again: it continues from its partial file."""
        again = replace(request, cancel=threading.Event())
        self.active[again.download_id] = again
        self.requested.emit(again)
        return again

    def pause(self, download_id: int) -> None:
        request = self.active.get(download_id)
        if request is not None:
            request.cancel.set()

    def discard(self, download_id: int) -> None:
        """Stop a download and delete what it fetched so far."""
        self._discard.add(download_id)
        if download_id in self.active and not self.active[download_id].cancel.is_set():
            self.pause(download_id)
        else:
            self._delete_partials(download_id)

    def close(self) -> None:
        """Pause every download (its partial file stays for next time), join the thread."""
        if self._closed:
            return
        self._closed = True
        for request in self.active.values():
            request.cancel.set()
        QMetaObject.invokeMethod(self.worker, "shutdown",
                                 Qt.ConnectionType.BlockingQueuedConnection)
        self._thread.quit()
        self._thread.wait()

    def _delete_partials(self, download_id: int) -> None:
        request = self.active.pop(download_id, None)
        self._discard.discard(download_id)
        if request is None:
            return
        partials = Path(request.models_dir) / ".partial"
        for filename in request.files:
            for suffix in (".part", ".json"):
                (partials / (Path(filename).name + suffix)).unlink(missing_ok=True)

    def _on_worker_finished(self, download_id: int, path: str) -> None:
        self.active.pop(download_id, None)
        self.finished.emit(download_id, path)

    def _on_worker_failed(self, download_id: int, message: str) -> None:
        if download_id in self._discard:
            self._delete_partials(download_id)
        self.failed.emit(download_id, message)


@dataclass(frozen=True)
class RemoteListing:
    """The models one remote engine offers, or why they could not be read."""

    engine: str
    models: tuple[str, ...] = ()
    error: str | None = None
    pending: bool = False


class RemoteModelsHost(QObject):
    """Reads remote engines' model lists (GET /v1/models) on short-lived threads, so a
    slow or unreachable server never blocks the window; each answer comes back queued
    to the GUI thread as a RemoteListing, and the last one per engine is kept."""

    listed = Signal(object)  # RemoteListing
    _arrived = Signal(object)  # RemoteListing, from a listing thread

    def __init__(self) -> None:
        super().__init__()
        self.listings: dict[str, RemoteListing] = {}
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)

    def refresh(self, specs: Sequence[EngineSpec]) -> None:
        names = {spec.name for spec in specs}
        for name in [n for n in self.listings if n not in names]:
            del self.listings[name]
        for spec in specs:
            if spec.split:
                continue  # a split runs this machine's model files
            self.listings[spec.name] = RemoteListing(spec.name, pending=True)
            threading.Thread(target=self._list, args=(spec,), name="remote-models",
                             daemon=True).start()

    def _list(self, spec: EngineSpec) -> None:
        from app.backend.remote import list_models

        try:
            listing = RemoteListing(spec.name, tuple(m.id for m in list_models(spec.endpoint())))
        except LlamaDeskError as error:
            listing = RemoteListing(spec.name, error=shown(error))
        except Exception as error:  # never let a listing thread die with a traceback
            log.exception("listing %s failed", spec.name)
            listing = RemoteListing(spec.name, error=str(error))
        with contextlib.suppress(RuntimeError):  # the app closed while the server answered
            self._arrived.emit(listing)

    @Slot(object)
    def _on_arrived(self, listing: RemoteListing) -> None:
        if listing.engine in self.listings:  # not removed meanwhile
            self.listings[listing.engine] = listing
            self.listed.emit(listing)
