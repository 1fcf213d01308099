"""The local OpenAI-compatible server: Starlette on uvicorn, over the shared engine.

It never loads a model of its own.  Every request becomes a job of the source
"api" on the EngineScheduler (app/backend/scheduler.py), the one thread that
owns the engine, which the chat windows use too: one loaded model, fair turns
between a window's answer and API answers, and a bounded queue (429 with
Retry-After when it is full).  ``llamadesk serve`` runs it in the foreground
with no Qt at all; the window runs it on a thread of its own through
app/ui/worker.ServerHost.

Threads: uvicorn's event loop runs on the server's thread; a job's text comes
back to it through ``loop.call_soon_threadsafe``.  A client that disconnects
sets the job's cancel event, which the engine checks after every token.

Security defaults (the anchors' advisories: unauthenticated APIs, DNS
rebinding):
- it listens on loopback unless told otherwise; any other address requires the
  API key (made once and kept in the OS keyring; compared in constant time);
- the Host header must name the bound address, localhost or this machine, so
  a web page that rebinds its own DNS name to 127.0.0.1 is refused;
- a request from a web page (it carries an Origin) is refused unless its origin
  is listed (then CORS allows exactly those); POSTs must be application/json,
  which browsers cannot send cross-origin without asking first;
- bodies over MAX_BODY_BYTES are refused (413) before they are read, and
  max_tokens may not exceed the context;
- API conversations are not written to the history unless asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import ipaddress
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import uvicorn
from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.backend.engine import ChatMessage, GenerationParams, GenerationResult
from app.backend.errors import (
    ContextOverflowError,
    LlamaDeskError,
    TemplateError,
)
from app.backend.openai_api import (
    FINISH,
    ApiError,
    ApiRequest,
    Reply,
    model_id,
    models_list,
    parse_chat,
    parse_completion,
)
from app.backend.scheduler import EngineScheduler, QueueFullError, SchedulerClosedError
from app.backend.schema import is_loopback as is_loopback  # re-exported: the panel and tests use it
from app.backend.words import message_of, said

log = logging.getLogger(__name__)
API = "api"  # the scheduler source of every API request
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MAX_BODY_BYTES = 4 * 1024 * 1024
QUEUE_LIMIT = 8  # API requests waiting for the model; one more gets 429
MAX_CONNECTIONS = 64  # uvicorn answers 503 beyond this
GRACEFUL_SECONDS = 2.0  # on stop, how long open connections may finish
MIN_KEY_LENGTH = 16


class ServerError(LlamaDeskError):
    """The server could not start (address in use, not available, bad key file)."""


def read_key_file(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ServerError(said("The API key file {path} could not be read ({error}).",
                               path=path, error=error)) from error
    if len(key) < MIN_KEY_LENGTH or any(c.isspace() for c in key):
        raise ServerError(said("The API key in {path} must be one line of at least {count} "
                               "characters with no spaces.", path=path, count=MIN_KEY_LENGTH))
    return key


@dataclass(frozen=True)
class ServerOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT  # 0: any free port (tests, benchmarks)
    api_key: str | None = field(default=None, repr=False)  # None: no key asked (loopback only)
    allowed_origins: tuple[str, ...] = ()
    history_path: Path | None = None  # where API conversations are saved; None: nowhere
    max_body_bytes: int = MAX_BODY_BYTES
    queue_limit: int = QUEUE_LIMIT

    def __post_init__(self) -> None:
        if self.api_key is None and not is_loopback(self.host):
            raise ServerError(said("Listening on {host} makes the model reachable from "
                                   "other computers, so an API key is required.",
                                   host=self.host))


@dataclass(frozen=True)
class RequestRecord:
    """One line of the request log (never the prompt or the answer)."""

    request_id: int
    started: float  # time.time()
    client: str
    method: str
    path: str
    status: int | None = None  # None while it runs
    seconds: float = 0.0
    model: str = ""
    stream: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    note: str = ""  # an error's message, "client left", "saved as chat N"
    conversation_id: int | None = None


class ApiServer:
    """Serves the scheduler's engine over HTTP.  ``on_record`` gets a record when a
    request starts and when it ends, on the server's thread."""

    def __init__(self, scheduler: EngineScheduler, options: ServerOptions,
                 defaults: GenerationParams | None = None,
                 on_record: Callable[[RequestRecord], None] | None = None) -> None:
        self.scheduler = scheduler
        self.options = options
        self.defaults = defaults or GenerationParams()
        self.on_record = on_record
        self.created = int(time.time())
        self._socket: socket.socket | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._store: Any = None
        self._next_id = 0
        self._allowed_hosts = self._hosts()
        self.app = self._build_app()
        if options.queue_limit:
            scheduler.queue_limits[API] = options.queue_limit

    # -- running -------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._socket.getsockname()[1] if self._socket else self.options.port

    @property
    def address(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def bind(self) -> None:
        """Open the listening socket now, so that a port in use is said at once."""
        host = self.options.host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        if sys.platform == "win32":  # there, SO_REUSEADDR would let others take the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # a restart right after a stop must not wait for TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1" if host == "localhost" else host, self.options.port))
            sock.listen(128)
        except OSError as error:
            sock.close()
            if error.errno == errno.EADDRINUSE:
                raise ServerError(said("Port {port} on {host} is in use by another program; "
                                       "choose another port.", port=self.options.port,
                                       host=host)) from error
            raise ServerError(said("The server cannot listen on {host}:{port}: {reason}.",
                                   host=host, port=self.options.port,
                                   reason=error.strerror or error)) from error
        sock.setblocking(False)
        self._socket = sock

    def serve(self, on_started: Callable[[], None] | None = None) -> None:
        """Serve until stopped (or Ctrl+C / SIGTERM when on the main thread)."""
        if self._socket is None:
            self.bind()
        assert self._socket is not None
        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="off", http="h11",
            ws="none", proxy_headers=False, server_header=False,
            timeout_graceful_shutdown=int(GRACEFUL_SECONDS), limit_concurrency=MAX_CONNECTIONS)
        server = _Server(config, self._on_exit)
        server.on_started = on_started
        self._server = server
        try:
            server.run(sockets=[self._socket])
        finally:
            self.scheduler.cancel(API)
            if self._store is not None:
                self._store.close()
                self._store = None
            self._socket.close()
            self._socket = None

    def start(self) -> None:
        """Serve on a thread of its own; returns once it listens."""
        self.bind()
        listening = threading.Event()
        self._thread = threading.Thread(target=self.serve, args=(listening.set,),
                                        name="api-server", daemon=True)
        self._thread.start()
        listening.wait(10)

    def stop(self) -> None:
        """End the answers being written for clients, close the server, join it."""
        self._on_exit()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(GRACEFUL_SECONDS + 5)
            self._thread = None

    def _on_exit(self) -> None:
        self.scheduler.cancel(API)

    # -- the app -------------------------------------------------------------

    def _build_app(self) -> Starlette:
        middleware = [Middleware(_Guard, server=self)]
        if self.options.allowed_origins:
            middleware.append(Middleware(
                CORSMiddleware, allow_origins=list(self.options.allowed_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"], max_age=600))
        routes = [
            Route("/health", self._health, methods=["GET"]),
            Route("/v1/models", self._models, methods=["GET"]),
            Route("/v1/models/{model:path}", self._model, methods=["GET"]),
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/completions", self._completions, methods=["POST"]),
        ]
        return Starlette(routes=routes, middleware=middleware, exception_handlers={
            ApiError: _api_error_response,
            HTTPException: _http_error_response,
            Exception: _unexpected_error_response,
        })

    async def _health(self, request: Request) -> Response:
        facts = self.scheduler.facts
        body = {"status": "ok" if facts else "no model",
                "model": model_id(facts) if facts else None,
                "waiting": self.scheduler.waiting(API), "busy": self.scheduler.busy}
        return JSONResponse(body, status_code=200 if facts else 503)

    async def _models(self, request: Request) -> Response:
        return JSONResponse(models_list(self.scheduler.facts, self.created))

    async def _model(self, request: Request) -> Response:
        listed = models_list(self.scheduler.facts, self.created)["data"]
        wanted = request.path_params["model"]
        for entry in listed:
            if entry["id"] == wanted:
                return JSONResponse(entry)
        raise ApiError(404, f"The model {wanted!r} does not exist here.",
                       code="model_not_found", param="model")

    async def _chat(self, request: Request) -> Response:
        body = await self._json_body(request)
        api = parse_chat(body, self.defaults, self.scheduler.facts)
        return await self._answer(request, api)

    async def _completions(self, request: Request) -> Response:
        body = await self._json_body(request)
        api = parse_completion(body, self.defaults, self.scheduler.facts)
        return await self._answer(request, api)

    async def _json_body(self, request: Request) -> Any:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise ApiError(415, "Send the request body as JSON, with the header "
                           "'Content-Type: application/json'.")
        limit = self.options.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise ApiError(413, f"The request body is {int(declared):,} bytes; the limit is "
                           f"{limit:,}.", code="request_too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"The request body is over the limit of {limit:,} bytes.",
                               code="request_too_large")
            chunks.append(chunk)
        try:
            return json.loads(b"".join(chunks))
        except (ValueError, UnicodeDecodeError) as error:
            raise ApiError(400, f"The request body is not valid JSON: {error}.") from error

    # -- answers -------------------------------------------------------------

    async def _answer(self, request: Request, api: ApiRequest) -> Response:
        loaded = self.scheduler.facts
        assert loaded is not None  # parse_* refused the request otherwise
        run = _Run(asyncio.get_running_loop(), api, loaded.path)
        try:
            self.scheduler.submit(API, run.work, cancel=run.cancel)
        except QueueFullError as full:
            raise ApiError(429, f"LlamaDesk is busy: {full}", code="rate_limit_exceeded",
                           error_type="rate_limit_error",
                           headers={"Retry-After": str(full.retry_after)}) from full
        except SchedulerClosedError as closed:
            raise ApiError(503, message_of(closed), error_type="server_error") from closed
        note = request.state.record = {"model": api.model, "stream": api.stream}
        watcher = asyncio.create_task(_watch_disconnect(request.receive, run.cancel))
        try:
            first = await run.events.get()
        except BaseException:
            run.cancel.set()
            watcher.cancel()
            raise
        if first[0] == "error":
            watcher.cancel()
            raise first[1]
        if first[0] == "cancelled":
            watcher.cancel()
            note["note"] = said("client left while waiting")
            return JSONResponse({}, status_code=499)
        reply = Reply(api)
        if api.stream:
            return self._stream(request, run, first, reply, watcher, note)
        pieces: list[str] = []
        event = first
        try:
            while event[0] == "text":
                pieces.append(event[1])
                event = await run.events.get()
        finally:
            run.cancel.set()  # no effect once done; ends the answer if we were cancelled
            watcher.cancel()
        if event[0] == "error":
            raise event[1]
        result: GenerationResult = event[1]
        self._finish_note(note, result, api)
        return JSONResponse(reply.complete(result))

    def _stream(self, request: Request, run: _Run, first: tuple[str, Any], reply: Reply,
                watcher: asyncio.Task[None], note: dict[str, Any]) -> Response:
        async def events() -> AsyncIterator[str]:
            event: tuple[str, Any] | None = first
            api = run.api
            try:
                if api.kind == "chat":
                    yield json.dumps(reply.chunk("", role=True))
                while event is not None and event[0] == "text":
                    # Text that arrived meanwhile goes out in one event.
                    text = [event[1]]
                    event = None
                    while not run.events.empty():
                        event = run.events.get_nowait()
                        if event[0] != "text":
                            break
                        text.append(event[1])
                        event = None
                    yield reply.text_event("".join(text))
                    if event is None:
                        event = await run.events.get()
                if event is not None and event[0] == "error":
                    note["note"] = event[1].message
                    yield json.dumps(event[1].body())
                    return
                assert event is not None and event[0] == "done"
                result: GenerationResult = event[1]
                if result.finish_reason == "cancelled" and run.cancel.is_set():
                    note["note"] = said("client left")
                yield json.dumps(reply.chunk(finish=FINISH[result.finish_reason]))
                if api.include_usage:
                    yield json.dumps(reply.usage_chunk(result))
                self._finish_note(note, result, api)
                yield "[DONE]"
            finally:
                run.cancel.set()
                watcher.cancel()

        return EventSourceResponse(events(), sep="\n", send_timeout=30)

    def _finish_note(self, note: dict[str, Any], result: GenerationResult,
                     api: ApiRequest) -> None:
        note.update(prompt_tokens=result.prompt_tokens,
                    completion_tokens=result.completion_tokens)
        if self.options.history_path is not None and result.text:
            try:
                note["conversation_id"] = self._save(api, result)
            except LlamaDeskError as error:
                log.warning("an API conversation could not be saved: %s", error)
                note["note"] = said("not saved: {error}", error=error)

    def _save(self, api: ApiRequest, result: GenerationResult) -> int:
        """Write the exchange as a new chat (called on the server's thread only)."""
        from app.backend.history import CLI_CUT_OFF_AFTER, FINISH_STATUS
        from app.backend.store import Store, auto_title

        if self._store is None:
            assert self.options.history_path is not None
            self._store = Store.open(self.options.history_path, CLI_CUT_OFF_AFTER)
        store = self._store
        if store.read_only:
            raise LlamaDeskError(store.problem or said("The history is read-only."))
        messages = list(api.messages) or []
        system = messages[0].content if messages and messages[0].role == "system" else ""
        turns = messages[1:] if system else messages
        if api.kind == "completion":
            turns = [ChatMessage("user", api.prompt)]
        first_user = next((m.content for m in turns if m.role == "user"), "")
        conversation = store.create_conversation(system, {}, title=f"API: "
                                                 f"{auto_title(first_user)}")
        parent = None
        for message in turns:
            parent = store.add_message(conversation.id, parent, message.role,
                                       message.content).id
        writer = store.begin_answer(conversation.id, parent, api.model)
        writer.append(result.text)
        writer.finish(FINISH_STATUS[result.finish_reason], prompt_tokens=result.prompt_tokens,
                      completion_tokens=result.completion_tokens,
                      tokens_per_second=result.tokens_per_second, seed=result.seed)
        return int(conversation.id)

    # -- the request log -----------------------------------------------------

    def _new_record(self, scope: dict[str, Any]) -> RequestRecord:
        self._next_id += 1
        client = scope.get("client")
        return RequestRecord(self._next_id, time.time(),
                             f"{client[0]}:{client[1]}" if client else "?",
                             scope.get("method", ""), scope.get("path", ""))

    def _emit(self, record: RequestRecord) -> None:
        if record.status is not None:
            log.info("API %s %s -> %s in %.2f s %s", record.method, record.path, record.status,
                     record.seconds, record.note)
        if self.on_record is not None:
            try:
                self.on_record(record)
            except Exception:
                log.exception("the request log listener failed")

    def _hosts(self) -> set[str]:
        """Host header values accepted (DNS-rebinding protection)."""
        host = self.options.host
        hosts = {"localhost", "127.0.0.1", "::1", host.lower()}
        if not is_loopback(host):
            with contextlib.suppress(OSError):
                hosts.update({socket.gethostname().lower(), socket.getfqdn().lower()})
        return hosts

    def host_allowed(self, value: str) -> bool:
        """A Host header naming this server: the bound address, localhost, this
        machine's name; any IP address when listening on all of them."""
        name = value.strip().lower()
        if name.startswith("["):
            name = name[1:].split("]", 1)[0]
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        name = name.rstrip(".")
        if name in self._allowed_hosts:
            return True
        if self.options.host in ("0.0.0.0", "::"):
            try:
                ipaddress.ip_address(name)
            except ValueError:
                return False
            return True
        return False

    def key_matches(self, header: str | None) -> bool:
        key = self.options.api_key
        if key is None:
            return True
        given = ""
        if header and header[:7].lower() == "bearer ":
            given = header[7:].strip()
        return hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8"))


class _Run:
    """One API answer: the job on the engine thread and its events on the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, api: ApiRequest,
                 model_path: str) -> None:
        self.loop = loop
        self.api = api
        self.model_path = model_path
        self.cancel = threading.Event()
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._pending: list[tuple[str, Any]] = []
        self._lock = threading.Lock()

    def post(self, kind: str, value: Any = None) -> None:
        """From the engine thread to the server's loop.  The loop is woken once for
        whatever piled up meanwhile, not once per token: when it lags (a busy
        machine), it catches up with one event instead of many."""
        with self._lock:
            wake = not self._pending
            self._pending.append((kind, value))
        if wake:
            try:
                self.loop.call_soon_threadsafe(self._deliver)
            except RuntimeError:  # the loop has closed: nobody listens any more
                self.cancel.set()

    def _deliver(self) -> None:
        """On the loop: move the piled-up events to the queue, text joined."""
        with self._lock:
            pending, self._pending = self._pending, []
        text: list[str] = []
        for kind, value in pending:
            if kind == "text":
                text.append(value)
                continue
            if text:
                self.events.put_nowait(("text", "".join(text)))
                text = []
            self.events.put_nowait((kind, value))
        if text:
            self.events.put_nowait(("text", "".join(text)))

    def work(self, engine: Any) -> None:
        """Runs on the engine thread."""
        if self.cancel.is_set():
            self.post("cancelled")
            return
        facts = engine.facts
        if facts is None or facts.path != self.model_path:
            now = model_id(facts) if facts else "none"
            self.post("error", ApiError(
                404, f"The model changed (now {now!r}) while this request waited; send it "
                "again naming the model loaded now.", code="model_not_found", param="model"))
            return
        api = self.api

        def on_text(text: str) -> None:
            self.post("text", text)

        try:
            if api.kind == "chat":
                result = engine.chat(api.messages, api.params, on_text, self.cancel)
            else:
                result = engine.complete(api.prompt, api.params, on_text, self.cancel)
        except ContextOverflowError as error:
            self.post("error", ApiError(400, message_of(error), code="context_length_exceeded",
                                        param="messages"))
        except TemplateError as error:
            self.post("error", ApiError(400, message_of(error), param="messages"))
        except LlamaDeskError as error:
            self.post("error", ApiError(500, message_of(error), error_type="server_error"))
        except Exception as error:
            log.exception("unexpected error in an API answer")
            self.post("error", ApiError(500, f"Generation failed unexpectedly: {error}",
                                        error_type="server_error"))
        else:
            self.post("done", result)


async def _watch_disconnect(receive: Any, cancel: threading.Event) -> None:
    """Set ``cancel`` when the client goes away (the body has been read by now)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            cancel.set()
            return


class _Guard:
    """Pure ASGI middleware in front of everything: Host, Origin and key checks,
    and the request log."""

    def __init__(self, app: Any, server: ApiServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server = self.server
        record = server._new_record(scope)
        server._emit(record)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        status: list[int] = []

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        refusal = self._refusal(scope, headers)
        state = scope.setdefault("state", {})
        try:
            if refusal is not None:
                state["record"] = {"note": refusal.message}
                await _send_error(refusal, sending)
            else:
                await self.app(scope, receive, sending)
        finally:
            extra = dict(state.get("record") or {})
            note = extra.pop("note", "")
            if not status:
                note = note or said("client left")
            elif status[0] >= 400 and not note:
                note = said("refused")
            saved = extra.get("conversation_id")
            if saved is not None and note:
                note = said("{note}; saved as chat {chat}", note=note, chat=saved)
            elif saved is not None:
                note = said("saved as chat {chat}", chat=saved)
            server._emit(replace(record, status=status[0] if status else 499,
                                 seconds=time.time() - record.started, note=note, **{
                                     k: v for k, v in extra.items()
                                     if k in ("model", "stream", "prompt_tokens",
                                              "completion_tokens", "conversation_id")}))

    def _refusal(self, scope: dict[str, Any], headers: dict[str, str]) -> ApiError | None:
        server = self.server
        host = headers.get("host", "")
        if not server.host_allowed(host):
            return ApiError(403, f"The Host header {host!r} does not name this server; "
                            "use the address LlamaDesk shows (this protects against DNS "
                            "rebinding).", code="host_not_allowed",
                            error_type="permission_error")
        origin = headers.get("origin")
        if origin is not None and origin not in server.options.allowed_origins:
            return ApiError(403, f"Requests from web pages at {origin} are not allowed; add "
                            "the origin to the server's allowed origins to allow them.",
                            code="origin_not_allowed", error_type="permission_error")
        if scope.get("method") == "OPTIONS" or scope.get("path") == "/health":
            return None
        if not server.key_matches(headers.get("authorization")):
            given = "authorization" in headers
            return ApiError(401, "Incorrect API key provided." if given else
                            "This server needs an API key: send 'Authorization: Bearer KEY' "
                            "(LlamaDesk shows the key in the Server menu).",
                            code="invalid_api_key", error_type="invalid_request_error",
                            headers={"WWW-Authenticate": "Bearer"})
        return None


class _Server(uvicorn.Server):
    """uvicorn's Server, telling us when it listens and when it is asked to exit
    (Ctrl+C, SIGTERM), so that answers in progress are cancelled at once."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_exit = on_exit
        self.on_started: Callable[[], None] | None = None

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.on_exit()
        super().handle_exit(sig, frame)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.on_started is not None:
            self.on_started()


async def _send_error(error: ApiError, send: Any) -> None:
    body = json.dumps(error.body()).encode("utf-8")
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1"))
                for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _api_error_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    record = getattr(request.state, "record", None)
    if isinstance(record, dict):
        record["note"] = error.message
    else:
        request.state.record = {"note": error.message}
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def _http_error_response(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = "Unknown URL: the API is at /v1 (GET /v1/models, POST /v1/chat/completions, " \
              "POST /v1/completions) and GET /health." if error.status_code == 404 else \
        str(error.detail)
    return await _api_error_response(request, ApiError(
        error.status_code, message, code="not_found" if error.status_code == 404 else None))


async def _unexpected_error_response(request: Request, error: Exception) -> Response:
    log.exception("unexpected error in the API server", exc_info=error)
    return await _api_error_response(request, ApiError(
        500, f"Unexpected server error: {error}", error_type="server_error"))
