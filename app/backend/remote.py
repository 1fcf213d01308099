"""A remote engine: any server with the OpenAI chat API, used like the local engine.

llama.cpp's ``llama-server``, llama-cpp-python's server, vLLM, Ollama, LM Studio or
another LlamaDesk: ``RemoteEngine`` lists their models (``/v1/models``) and streams
answers from ``/v1/chat/completions``, with the same methods as the local Engine, so
the window, the history and the CLI use it unchanged.

HTTP is the standard library's, so every fault is ours to name: a server that is down,
a first byte that never comes, a stream cut mid-answer (what was written is returned
to the caller inside the error, and kept), 401, 429, an event stream that is not one,
and TLS errors.  Certificates are always verified (the system's authorities and
certifi's); there is no silent fallback to plain HTTP.

Where the server offers llama.cpp's ``/apply-template`` and ``/tokenize`` the context
meter counts with the server's own tokenizer; elsewhere it estimates, and says so.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import secrets
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app.backend.engine import (
    ChatMessage,
    ContextFit,
    FinishReason,
    GenerationParams,
    GenerationResult,
    LoadOptions,
    ModelFacts,
    fit_turns,
)
from app.backend.errors import ContextOverflowError, GenerationError, LlamaDeskError
from app.backend.words import said, words_of

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0  # seconds to open a connection
READ_TIMEOUT = 300.0  # seconds without a byte from the server (a long prompt on a big model)
CHARS_PER_TOKEN = 3.5  # the estimate where the server cannot count: errs on the long side
MESSAGE_OVERHEAD = 4  # tokens a chat template adds per message (role header and end)
# Sampling fields the OpenAI API itself does not define; llama.cpp, llama-cpp-python
# and vLLM honour them.  A server that refuses them gets the request again without.
EXTRA_FIELDS = ("top_k", "min_p", "repeat_penalty", "ignore_eos")


class RemoteError(LlamaDeskError):
    """A remote engine failed; the message says what to do."""


class RemoteGenerationError(GenerationError):
    """The answer broke off; ``partial`` is what the server wrote before, kept."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


@dataclass(frozen=True)
class RemoteEndpoint:
    """Where an OpenAI-compatible server is, and how to talk to it."""

    name: str  # what the user calls it (the Models menu, --engine)
    base_url: str  # http(s)://host[:port][/prefix], with or without a trailing /v1
    api_key: str | None = None
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT

    @property
    def root(self) -> str:
        """The base address without a trailing slash or /v1."""
        url = self.base_url.strip().rstrip("/")
        return url[:-3].rstrip("/") if url.endswith("/v1") else url

    @property
    def where(self) -> str:
        """The host (and port) answers come from, for the status bar."""
        return urlsplit(self.root).netloc or self.root


@dataclass(frozen=True)
class RemoteModel:
    id: str
    context_length: int | None = None  # what the server says the model was trained for
    parameter_count: int = 0
    size: int = 0
    quantization: str = ""


def check_url(url: str) -> str:
    """The address as kept, or RemoteError saying what is wrong with it."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(said("{url!r} is not a server address: give one such as "
                               "http://192.168.1.20:8080 or https://example.com/v1.", url=url))
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as error:
        raise RemoteError(said("{url!r} has a bad port: {error}.", url=url,
                               error=error)) from error
    return url


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()  # verifies certificates and host names
    try:
        import certifi

        context.load_verify_locations(certifi.where())
    except (ImportError, OSError):  # the system's authorities alone
        pass
    return context


class _Connection:
    """One HTTP exchange; ``abort()`` (from any thread) ends a blocked read."""

    def __init__(self, endpoint: RemoteEndpoint) -> None:
        self.endpoint = endpoint
        parts = urlsplit(endpoint.root)
        self.host = parts.hostname or ""
        self.prefix = parts.path.rstrip("/")
        self._sock: socket.socket | None = None
        self._response: http.client.HTTPResponse | None = None
        if parts.scheme == "https":
            self.http: http.client.HTTPConnection = http.client.HTTPSConnection(
                self.host, parts.port, timeout=endpoint.connect_timeout, context=_tls_context())
        else:
            self.http = http.client.HTTPConnection(self.host, parts.port,
                                                   timeout=endpoint.connect_timeout)

    def send(self, method: str, path: str, body: Any = None) -> http.client.HTTPResponse:
        headers = {"Accept": "application/json, text/event-stream",
                   "User-Agent": "LlamaDesk"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.endpoint.api_key:
            headers["Authorization"] = f"Bearer {self.endpoint.api_key}"
        try:
            self.http.connect()
            self._sock = self.http.sock  # the response reads from it after http lets go
            if self._sock is not None:
                self._sock.settimeout(self.endpoint.read_timeout)
            self.http.request(method, self.prefix + path, body=data, headers=headers)
            self._response = self.http.getresponse()
            return self._response
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise RemoteError(describe_fault(self.endpoint, error)) from error

    def abort(self) -> None:
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self._response is not None:
            self._response.close()  # it holds the socket once the server says it will close
        self.http.close()


def describe_fault(endpoint: RemoteEndpoint, error: BaseException) -> str:
    """What a connection error means, in words a person can act on."""
    name, url, host = endpoint.name, endpoint.root, endpoint.where
    if isinstance(error, ssl.SSLCertVerificationError):
        return said("The certificate of {host} could not be verified ({reason}). LlamaDesk "
                    "only talks to servers whose certificate checks out: give the server a "
                    "certificate from a known authority (or add its authority to the "
                    "system's), or use http:// on a network you trust.",
                    host=host, reason=error.verify_message or error.reason)
    if isinstance(error, ssl.SSLError):
        return said("The secure connection to {host} failed ({reason}). If the server speaks "
                    "plain HTTP, its address starts with http://.",
                    host=host, reason=error.reason or error)
    if isinstance(error, ConnectionRefusedError):
        return said("Nothing answers at {url} (connection refused). Is the server running, "
                    "and are the address and port right?", url=url)
    if isinstance(error, socket.gaierror):
        return said("The address {host} could not be found ({reason}).", host=host,
                    reason=error.strerror)
    if isinstance(error, TimeoutError):
        return said("{name} ({url}) did not answer within {seconds:g} s. The server may be "
                    "overloaded or stuck; try again, or check it.",
                    name=name, url=url, seconds=endpoint.read_timeout)
    if isinstance(error, http.client.RemoteDisconnected | ConnectionError):
        return said("{name} ({url}) closed the connection without an answer.", name=name,
                    url=url)
    return said("Could not talk to {name} ({url}): {error}.", name=name, url=url, error=error)


def _message(error: BaseException) -> str:
    """An error's message, still translatable where it was (a Said)."""
    words = words_of(error)
    return words if isinstance(words, str) else str(error)


def _error_text(raw: bytes) -> str:
    """The message in an error body (OpenAI's, llama.cpp's, FastAPI's), shortened."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        body = json.loads(text)
    except ValueError:
        return text[:300]
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body.get("message")))
        if isinstance(error, dict):
            error = error.get("message", error)
        if error is not None:
            return str(error)[:300]
    return text[:300]


def describe_status(endpoint: RemoteEndpoint, status: int, raw: bytes,
                    retry_after: str | None = None, model: str | None = None) -> str:
    name = endpoint.name
    detail = _error_text(raw)
    if status in (401, 403):
        return said("{name} refused the request (HTTP {status}: {detail}). Check its API key: "
                    "Models > Remote engines, or `llamadesk engines add {name} URL "
                    "--api-key-stdin`.",
                    name=name, status=status, detail=detail or said("not authorised"))
    if status == 404 and model is not None:
        return said("{name} has no model {model!r} (HTTP 404: {detail}). Choose one it lists "
                    "in the Models menu (`llamadesk engines models {name}`).",
                    name=name, model=model, detail=detail)
    if status == 404:
        return said("{url} has no OpenAI API here (HTTP 404). Give the server's base address, "
                    "such as http://host:8080 or https://host/v1.", url=endpoint.root)
    if status == 429:
        if retry_after:
            return said("{name} is limiting requests (HTTP 429: {detail}). Try again in "
                        "{retry_after} s.", name=name, detail=detail, retry_after=retry_after)
        return said("{name} is limiting requests (HTTP 429: {detail}). Wait a moment and try "
                    "again.", name=name, detail=detail)
    if status >= 500:
        return said("{name} failed on its side (HTTP {status}: {detail}). Try again, or check "
                    "the server.", name=name, status=status, detail=detail)
    return said("{name} refused the request (HTTP {status}: {detail}).", name=name,
                status=status, detail=detail)


def _read_all(response: http.client.HTTPResponse, endpoint: RemoteEndpoint) -> bytes:
    try:
        return response.read()
    except (OSError, http.client.HTTPException) as error:
        raise RemoteError(describe_fault(endpoint, error)) from error


def request_json(endpoint: RemoteEndpoint, method: str, path: str, body: Any = None,
                 model: str | None = None) -> Any:
    """One JSON request; RemoteError with a person's message on any failure."""
    connection = _Connection(endpoint)
    try:
        response = connection.send(method, path, body)
        raw = _read_all(response, endpoint)
        if response.status >= 400:
            raise RemoteError(describe_status(endpoint, response.status, raw,
                                              response.getheader("Retry-After"), model))
        try:
            return json.loads(raw)
        except ValueError as error:
            raise RemoteError(said("{name} answered {path} with something that is not JSON: "
                                   "{raw!r}. Is {url} an OpenAI-compatible server?",
                                   name=endpoint.name, path=path, raw=raw[:120],
                                   url=endpoint.root)) from error
    finally:
        connection.close()


def list_models(endpoint: RemoteEndpoint) -> list[RemoteModel]:
    """The models a server offers (``GET /v1/models``)."""
    body = request_json(endpoint, "GET", "/v1/models")
    entries = body.get("data") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        raise RemoteError(said("{name}'s model list is not the OpenAI API's (no 'data' "
                               "list). Is the address the server's base address?",
                               name=endpoint.name))
    models = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        meta: dict[str, Any] = entry["meta"] if isinstance(entry.get("meta"), dict) else {}
        trained = meta.get("n_ctx_train") or entry.get("max_model_len")  # llama.cpp, vLLM
        models.append(RemoteModel(
            id=entry["id"],
            context_length=trained if isinstance(trained, int) and trained > 0 else None,
            parameter_count=_int(meta.get("n_params")),
            size=_int(meta.get("size")),
            quantization=str(meta.get("ftype") or ""),
        ))
    return models


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def estimate_tokens(messages: Sequence[ChatMessage]) -> int:
    """Tokens the messages take, estimated from their length (errs on the long side)."""
    return 3 + sum(MESSAGE_OVERHEAD + int(len(m.content) / CHARS_PER_TOKEN + 0.999)
                   for m in messages)


class RemoteEngine:
    """An OpenAI-compatible server, with the local Engine's methods (see worker.ChatEngine).

    ``load(model_id)`` checks the server lists the model and learns its context;
    nothing is loaded anywhere.  Like the Engine, one thread uses it; ``cancel``
    may be set from any.
    """

    def __init__(self, endpoint: RemoteEndpoint, on_close: Callable[[], None] | None = None,
                 exit_reason: Callable[[], str | None] | None = None) -> None:
        self.endpoint = endpoint
        self._model: str | None = None
        self._facts: ModelFacts | None = None
        self._server_tokenizer = False
        self._counts: OrderedDict[tuple[ChatMessage, ...], int] = OrderedDict()
        self._on_close = on_close
        # Why the server went away, when LlamaDesk runs it (a split across workers)
        self._exit_reason = exit_reason

    @property
    def facts(self) -> ModelFacts | None:
        return self._facts

    def load(self, path: str, options: LoadOptions | None = None,
             on_progress: Callable[[float], None] | None = None) -> ModelFacts:
        options = options or LoadOptions()
        started = time.perf_counter()
        models = list_models(self.endpoint)
        found = next((m for m in models if m.id == path), None)
        if found is None:
            if not models:
                raise RemoteError(said("{name} does not offer the model {model!r} (it offers: "
                                       "none).", name=self.endpoint.name, model=path))
            raise RemoteError(said("{name} does not offer the model {model!r} (it offers: "
                                   "{offered}).", name=self.endpoint.name, model=path,
                                   offered=", ".join(m.id for m in models[:8])))
        context, counted = self._server_context(found, options)
        self._model = path
        self._counts.clear()
        self._server_tokenizer = self._probe_tokenizer()
        note: str | None = None
        if not counted and not self._server_tokenizer:
            note = said("{name} does not say its context length; {size:,} tokens is assumed. "
                        "Token counts are estimates: the server has no tokenizer endpoint.",
                        name=self.endpoint.name, size=context)
        elif not counted:
            note = said("{name} does not say its context length; {size:,} tokens is assumed.",
                        name=self.endpoint.name, size=context)
        elif not self._server_tokenizer:
            note = said("Token counts are estimates: the server has no tokenizer endpoint.")
        if on_progress is not None:
            on_progress(1.0)
        self._facts = ModelFacts(
            path=path,
            name=path.rsplit("/", 1)[-1] or path,
            architecture="remote",
            parameter_count=found.parameter_count,
            quantization=found.quantization or said("remote"),
            file_size=found.size,
            trained_context=found.context_length,
            context_size=context,
            has_chat_template=True,
            template_source=f"{self.endpoint.name}'s",
            template_note=note,
            backend="remote",
            gpu_layers=0,
            total_layers=0,
            threads=0,
            load_seconds=time.perf_counter() - started,
            location=f"{self.endpoint.name} ({self.endpoint.where})",
        )
        return self._facts

    def _server_context(self, model: RemoteModel, options: LoadOptions) -> tuple[int, bool]:
        """The context each request gets, and whether the server said so."""
        try:  # llama.cpp's server: the context of one slot
            props = request_json(self.endpoint, "GET", "/props")
            settings = props.get("default_generation_settings") if isinstance(props, dict) \
                else None
            n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
            if isinstance(n_ctx, int) and n_ctx > 0:
                return n_ctx, True
        except RemoteError:
            pass
        if model.context_length:
            return min(model.context_length, options.context_size), True
        return options.context_size, False

    def _probe_tokenizer(self) -> bool:
        try:
            self._server_count([ChatMessage("user", "Hi")])
        except RemoteError:
            return False
        return True

    def close(self) -> None:
        self._facts = None
        self._model = None
        self._counts.clear()
        if self._on_close is not None:
            self._on_close()

    def use_context(self, size: int) -> ModelFacts | None:
        return None  # the server fixed its context when it started

    # -- counting ------------------------------------------------------------

    def _server_count(self, messages: Sequence[ChatMessage]) -> int:
        body = {"messages": [{"role": m.role, "content": m.content} for m in messages]}
        rendered = request_json(self.endpoint, "POST", "/apply-template", body)
        prompt = rendered.get("prompt") if isinstance(rendered, dict) else None
        if not isinstance(prompt, str):
            raise RemoteError("no template endpoint")
        tokens = request_json(self.endpoint, "POST", "/tokenize",
                              {"content": prompt, "parse_special": True})
        listed = tokens.get("tokens") if isinstance(tokens, dict) else None
        if not isinstance(listed, list):
            raise RemoteError("no tokenizer endpoint")
        return len(listed)

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        key = tuple(messages)
        if key in self._counts:
            self._counts.move_to_end(key)
            return self._counts[key]
        count = estimate_tokens(messages)
        if self._server_tokenizer:
            try:
                count = self._server_count(messages)
            except RemoteError as error:
                log.warning("counting on %s failed, estimating: %s", self.endpoint.name, error)
        self._counts[key] = count
        while len(self._counts) > 256:
            self._counts.popitem(last=False)
        return count

    def fit_context(self, messages: Sequence[ChatMessage], max_tokens: int,
                    keep_from: int = 0) -> ContextFit:
        facts = self._require()
        return fit_turns(messages, max_tokens, keep_from, facts.context_size, self.count_tokens)

    # -- answers -------------------------------------------------------------

    def _require(self) -> ModelFacts:
        if self._facts is None:
            raise RemoteError(said("No model of {name} is chosen.", name=self.endpoint.name))
        return self._facts

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        prefix: str = "",
        on_prompt: Callable[[float], None] | None = None,
    ) -> GenerationResult:
        """Stream an answer from the server; as Engine.chat.

        A stream that breaks off raises RemoteGenerationError with the text written
        so far; ``cancel`` closes the stream (the server stops writing).
        """
        facts = self._require()
        params = params or GenerationParams()
        cancel = cancel or threading.Event()
        sent = [{"role": m.role, "content": m.content} for m in messages]
        if prefix:  # Continue: servers go on from a final assistant message
            sent.append({"role": "assistant", "content": prefix})
        seed = params.seed if params.seed is not None else secrets.randbelow(2**31 - 1)
        body: dict[str, Any] = {
            "model": self._model,
            "messages": sent,
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "seed": seed,
            "presence_penalty": params.presence_penalty,
            "frequency_penalty": params.frequency_penalty,
            "top_k": params.top_k,
            "min_p": params.min_p,
            "repeat_penalty": params.repeat_penalty,
        }
        if params.stop:
            body["stop"] = list(params.stop)
        if params.ignore_eos:  # llama.cpp's servers: write until max_tokens (benchmarks)
            body["ignore_eos"] = True
        prompt_estimate = self.count_tokens(messages)
        if prompt_estimate >= facts.context_size and self._server_tokenizer:
            raise ContextOverflowError(said(
                "The conversation needs {needed:,} tokens but {name}'s context holds {size:,}. "
                "Shorten the message or start a new chat.",
                needed=prompt_estimate, name=self.endpoint.name, size=facts.context_size))
        # As the local engine does: the answer gets what the context has left (vLLM
        # refuses a request whose prompt and max_tokens pass the model's length).
        body["max_tokens"] = max(1, min(params.max_tokens,
                                        facts.context_size - prompt_estimate))
        stream = _Stream(self.endpoint, cancel, self._model or "")
        try:
            outcome = stream.run(body, on_text)
        except RemoteGenerationError as error:
            reason = self._exit_reason() if self._exit_reason is not None else None
            if reason:
                raise RemoteGenerationError(said("{error} {reason}", error=error, reason=reason),
                                            error.partial) from error
            raise
        prompt_tokens = outcome.prompt_tokens or prompt_estimate
        completion = outcome.completion_tokens or outcome.pieces
        return GenerationResult(
            text=outcome.text,
            finish_reason=outcome.finish,
            prompt_tokens=prompt_tokens,
            prompt_evaluated=outcome.prompt_evaluated if outcome.prompt_evaluated is not None
            else prompt_tokens,
            completion_tokens=completion,
            prompt_seconds=outcome.prompt_seconds,
            decode_tokens=outcome.decode_tokens if outcome.decode_tokens is not None
            else max(0, completion - 1),
            decode_seconds=outcome.decode_seconds,
            seed=seed,
            context_used=min(facts.context_size, prompt_tokens + completion),
            context_size=facts.context_size,
        )


@dataclass
class _Outcome:
    text: str = ""
    finish: FinishReason = "stop"
    pieces: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_evaluated: int | None = None
    decode_tokens: int | None = None
    prompt_seconds: float = 0.0
    decode_seconds: float = 0.0


class _Stream:
    """One streamed chat completion."""

    def __init__(self, endpoint: RemoteEndpoint, cancel: threading.Event, model: str) -> None:
        self.endpoint = endpoint
        self.cancel = cancel
        self.model = model

    def run(self, body: dict[str, Any], on_text: Callable[[str], None] | None) -> _Outcome:
        response, connection = self._open(body)
        outcome = _Outcome()
        pieces: list[str] = []
        started = time.perf_counter()
        first: float | None = None
        finished = False
        done = threading.Event()

        def watch() -> None:  # a stop closes the stream, even while a read waits
            while not done.wait(0.05):
                if self.cancel.is_set():
                    connection.abort()
                    return

        watcher = threading.Thread(target=watch, name="remote-stop", daemon=True)
        watcher.start()
        try:
            for event in self._events(response):
                if event == "[DONE]":
                    finished = True
                    break
                chunk = self._parse(event, "".join(pieces))
                if "error" in chunk:
                    raise RemoteGenerationError(said(
                        "{name} stopped with an error: {detail}. What was written is kept.",
                        name=self.endpoint.name, detail=_error_text(json.dumps(chunk).encode())),
                        "".join(pieces))
                for choice in chunk.get("choices") or []:
                    delta = choice.get("delta") or {}
                    message = choice.get("message") or {}  # a JSON body, not a stream
                    text = delta.get("content") or message.get("content") or \
                        choice.get("text") or ""
                    if text:
                        if first is None:
                            first = time.perf_counter()
                        pieces.append(text)
                        outcome.pieces += 1
                        if on_text is not None:
                            on_text(text)
                    reason = choice.get("finish_reason")
                    if reason:
                        finished = True
                        if reason == "length":
                            outcome.finish = "length"
                self._read_usage(chunk, outcome)
        except (OSError, http.client.HTTPException) as error:
            if not self.cancel.is_set():
                raise self._broken(error, pieces) from error
        finally:
            done.set()
            connection.close()
        ended = time.perf_counter()
        outcome.text = "".join(pieces)
        if self.cancel.is_set():
            outcome.finish = "cancelled"
        elif not finished:
            raise RemoteGenerationError(said(
                "{name} closed the connection in the middle of the answer. What was written is "
                "kept; Regenerate or Continue to try again.", name=self.endpoint.name),
                outcome.text)
        if outcome.prompt_seconds == 0.0:
            outcome.prompt_seconds = (first or ended) - started
        if outcome.decode_seconds == 0.0 and first is not None:
            outcome.decode_seconds = ended - first
        return outcome

    def _open(self, body: dict[str, Any]) -> tuple[http.client.HTTPResponse, _Connection]:
        for attempt in range(2):
            connection = _Connection(self.endpoint)
            try:
                response = connection.send("POST", "/v1/chat/completions", body)
            except RemoteError as error:
                raise RemoteGenerationError(_message(error)) from error
            if response.status < 400:
                return response, connection
            raw = _read_all(response, self.endpoint)
            connection.close()
            if attempt == 0 and response.status in (400, 422) and any(
                    field in raw.decode("utf-8", "replace") for field in EXTRA_FIELDS):
                body = {k: v for k, v in body.items() if k not in EXTRA_FIELDS}
                continue  # a strict server (OpenAI's own) refuses llama.cpp's samplers
            raise RemoteGenerationError(describe_status(
                self.endpoint, response.status, raw, response.getheader("Retry-After"),
                self.model))
        raise AssertionError("unreachable")

    def _events(self, response: http.client.HTTPResponse) -> Iterator[str]:
        """The data of each server-sent event; a JSON body (no stream) is one event."""
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/json":
            yield response.read().decode("utf-8", "replace")
            yield "[DONE]"
            return
        data: list[str] = []
        while True:
            line = response.readline()
            if not line:
                if data:
                    yield "\n".join(data)
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            if not text:
                if data:
                    yield "\n".join(data)
                    data = []
            elif text.startswith("data:"):
                data.append(text[5:].lstrip(" "))
            elif text.startswith("error:"):  # llama.cpp's server before the OpenAI form
                data.append(json.dumps({"error": text[6:].strip()}))

    def _parse(self, event: str, written: str) -> dict[str, Any]:
        try:
            chunk = json.loads(event)
        except ValueError:
            chunk = None
        if not isinstance(chunk, dict):
            raise RemoteGenerationError(said(
                "{name} sent a malformed event stream ({event!r} is not an event of the OpenAI "
                "API). What was written is kept.", name=self.endpoint.name, event=event[:80]),
                written)
        return chunk

    @staticmethod
    def _read_usage(chunk: dict[str, Any], outcome: _Outcome) -> None:
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            outcome.prompt_tokens = _int(usage.get("prompt_tokens")) or outcome.prompt_tokens
            outcome.completion_tokens = _int(usage.get("completion_tokens")) or \
                outcome.completion_tokens
        timings = chunk.get("timings")  # llama.cpp's server: its own measurement
        if isinstance(timings, dict):
            try:
                outcome.prompt_evaluated = int(timings["prompt_n"])
                outcome.prompt_seconds = float(timings["prompt_ms"]) / 1000
                outcome.decode_tokens = int(timings["predicted_n"])
                outcome.decode_seconds = float(timings["predicted_ms"]) / 1000
            except (KeyError, TypeError, ValueError):
                pass

    def _broken(self, error: BaseException, pieces: list[str]) -> RemoteGenerationError:
        written = "".join(pieces)
        name, seconds = self.endpoint.name, self.endpoint.read_timeout
        if isinstance(error, TimeoutError) and not written:
            message = said("{name} sent nothing for {seconds:g} s before the first word. What "
                           "was written is kept; Regenerate or Continue to try again.",
                           name=name, seconds=seconds)
        elif isinstance(error, TimeoutError):
            message = said("{name} sent nothing for {seconds:g} s in the middle of the answer. "
                           "What was written is kept; Regenerate or Continue to try again.",
                           name=name, seconds=seconds)
        else:
            message = said("The connection to {name} broke: {error}. What was written is kept; "
                           "Regenerate or Continue to try again.", name=name, error=error)
        return RemoteGenerationError(message, written)
