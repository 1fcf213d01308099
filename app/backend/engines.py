"""Where answers run: this computer, a remote server, or a model split across machines.

A model is named by a path (a GGUF file here) or by ``remote:ENGINE/MODEL``: MODEL
of the remote engine ENGINE (the ``remote_engines`` setting).  ``EngineRouter`` is the
one engine the window's worker and ``llamadesk chat`` use: it loads a file with the
local Engine and a reference with a RemoteEngine, and passes every call to the one in
use, so nothing above it knows the difference.

An engine with ``workers`` is one model split across machines with llama.cpp's RPC
backend: each worker runs llama.cpp's rpc-server (``llamadesk worker``), and
``SplitServer`` starts llama.cpp's llama-server here with ``--rpc`` for the chosen
model file, on loopback, and talks to it as a remote engine.  llama-cpp-python does
not expose RPC devices, which is why the server process is the seam.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from app.backend import keychain
from app.backend.engine import (
    ChatMessage,
    ContextFit,
    Engine,
    GenerationParams,
    GenerationResult,
    LoadOptions,
    ModelFacts,
    effective_context,
)
from app.backend.errors import NoModelError
from app.backend.words import said

if TYPE_CHECKING:  # imported when first used: HTTP and TLS need not load with the window
    from app.backend.remote import RemoteEndpoint, RemoteEngine

log = logging.getLogger(__name__)

REMOTE_PREFIX = "remote:"
SPLIT_START_TIMEOUT = 600.0  # seconds for llama-server to send a big model to its workers
RPC_DEFAULT_PORT = 50052  # rpc-server's own default


def engine_ref(engine: str, model: str) -> str:
    """How a remote model is named wherever a model path goes.  The model id is
    percent-encoded: ids are often paths, and a reference may pass through a
    pathlib.Path (which would fold "//" and, on Windows, turn "/" into "\\")."""
    return f"{REMOTE_PREFIX}{engine}/{quote(model, safe='')}"


def parse_ref(ref: str) -> tuple[str, str] | None:
    """(engine, model) of a remote reference; None for a file path."""
    if not ref.startswith(REMOTE_PREFIX):
        return None
    rest = ref[len(REMOTE_PREFIX):]
    cut = min((i for i in (rest.find("/"), rest.find("\\")) if i >= 0), default=-1)
    if cut <= 0 or cut == len(rest) - 1:
        return None
    return rest[:cut], unquote(rest[cut + 1:])


@dataclass(frozen=True)
class EngineSpec:
    """One remote engine as the settings keep it (the key is in the keyring)."""

    name: str
    url: str | None = None  # an OpenAI-compatible server
    workers: tuple[str, ...] = ()  # rpc-server workers (host:port): a split model

    @classmethod
    def from_setting(cls, value: Mapping[str, Any]) -> EngineSpec:
        return cls(name=value["name"], url=value.get("url"),
                   workers=tuple(value.get("workers") or ()))

    def to_setting(self) -> dict[str, Any]:
        if self.workers:
            return {"name": self.name, "workers": list(self.workers)}
        return {"name": self.name, "url": self.url}

    @property
    def split(self) -> bool:
        return bool(self.workers)

    @property
    def summary(self) -> str:
        if self.split:
            return said("split across {workers}", workers=", ".join(self.workers))
        return str(self.url)

    def endpoint(self) -> RemoteEndpoint:
        from app.backend.remote import RemoteEndpoint

        assert self.url is not None
        return RemoteEndpoint(self.name, self.url, keychain.engine_key(self.name))


def engine_specs(values: Sequence[Mapping[str, Any]]) -> list[EngineSpec]:
    return [EngineSpec.from_setting(value) for value in values]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SplitServer:
    """llama.cpp's llama-server for one model, its layers on rpc-server workers.

    It listens on loopback only, with a random API key, and lives as long as the
    model is chosen.  Its log goes to a file; its last lines explain a failure.
    """

    def __init__(self, name: str, workers: Sequence[str], model_path: str,
                 options: LoadOptions, log_folder: Path | None = None) -> None:
        self.name = name
        self.workers = tuple(workers)
        self.model_path = model_path
        self.options = options
        self.alias = Path(model_path).stem
        self._log_folder = log_folder or Path(tempfile.gettempdir())
        self._process: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None
        self._stopping = False

    def start(self, cancel: threading.Event | None = None,
              timeout: float = SPLIT_START_TIMEOUT) -> RemoteEndpoint:
        """Start the server and wait until the model is on the workers."""
        from app.backend import llama_tools, runtime
        from app.backend.gguf_file import read_gguf
        from app.backend.remote import RemoteEndpoint

        info = read_gguf(self.model_path)  # refuses a broken file before the workers see it
        exe = llama_tools.find_tool(llama_tools.SERVER)
        port = _free_port()
        import secrets  # hmac and OpenSSL's hashes with it: not at start-up

        key = secrets.token_urlsafe(24)
        key_file = self._private_file("llamadesk-split-key-", key)
        self._log_path = self._log_folder / f"split-{self.name}.log"
        context = effective_context(self.options.context_size, info.context_length)
        threads = runtime.choose_threads(self.options.threads)
        command = [str(exe), "-m", str(info.path), "--rpc", ",".join(self.workers),
                   "-ngl", "999", "--host", "127.0.0.1", "--port", str(port),
                   "-c", str(context), "--parallel", "1", "-t", str(threads),
                   "--alias", self.alias, "--no-webui", "--api-key-file", str(key_file)]
        log.info("starting %s", " ".join(command))
        self._log_folder.mkdir(parents=True, exist_ok=True)
        with self._log_path.open("wb") as sink:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=sink,
                                             stderr=subprocess.STDOUT)
        endpoint = RemoteEndpoint(self.name, f"http://127.0.0.1:{port}", key,
                                  connect_timeout=5.0)
        try:
            self._wait_ready(endpoint, cancel, timeout)
        except BaseException:
            self.stop()
            raise
        finally:
            with contextlib.suppress(OSError):
                key_file.unlink()
        return endpoint

    @staticmethod
    def _private_file(prefix: str, text: str) -> Path:
        handle, name = tempfile.mkstemp(prefix=prefix, text=True)  # mode 0600
        with os.fdopen(handle, "w") as file:
            file.write(text + "\n")
        return Path(name)

    def _wait_ready(self, endpoint: RemoteEndpoint, cancel: threading.Event | None,
                    timeout: float) -> None:
        from app.backend.remote import RemoteError, request_json

        deadline = time.monotonic() + timeout
        quick = replace(endpoint, read_timeout=5.0)
        while True:
            reason = self.exit_reason()
            if reason:
                raise RemoteError(said("The split of {name} across {workers} did not start. "
                                       "{reason}", name=Path(self.model_path).name,
                                       workers=", ".join(self.workers), reason=reason))
            with contextlib.suppress(RemoteError):
                health = request_json(quick, "GET", "/health")
                if isinstance(health, dict) and health.get("status") == "ok":
                    return
            if cancel is not None and cancel.is_set():
                raise RemoteError(said("Starting the split was stopped."))
            if time.monotonic() > deadline:
                raise RemoteError(said("The split server did not get ready in {seconds:g} s "
                                       "(its log: {log}).", seconds=timeout,
                                       log=self._log_path))
            time.sleep(0.1)

    def last_lines(self, count: int = 3) -> str:
        if self._log_path is None:
            return ""
        try:
            text = self._log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        wanted = [line for line in lines if " E " in f" {line} " or "error" in line.lower()
                  or "failed" in line.lower()] or lines
        return " | ".join(wanted[-count:])

    def exit_reason(self) -> str | None:
        """Why the server is gone, or None while it runs."""
        process = self._process
        if process is None or process.poll() is None or self._stopping:
            return None
        last = self.last_lines()
        if last:
            return said("llama-server stopped (exit status {status}): {last}. A worker may "
                        "have stopped or become unreachable: check each `llamadesk worker`, "
                        "then choose the model again, or choose a model on this computer to "
                        "go on.", status=process.returncode, last=last)
        return said("llama-server stopped (exit status {status}). A worker may have stopped "
                    "or become unreachable: check each `llamadesk worker`, then choose the "
                    "model again, or choose a model on this computer to go on.",
                    status=process.returncode)

    def why_broken(self) -> str | None:
        """After an answer broke off: why, if the server died (given a moment to)."""
        process = self._process
        if process is not None and not self._stopping:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(2)
        return self.exit_reason()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        self._stopping = True
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class EngineRouter:
    """The engine in use: the local Engine, or a RemoteEngine (see the module's doc)."""

    def __init__(self, local: Engine | None = None,
                 specs: Sequence[EngineSpec] = (), log_folder: Path | None = None) -> None:
        self._local = local if local is not None else Engine()
        self._lock = threading.Lock()
        self._specs = {spec.name: spec for spec in specs}
        self._remote: RemoteEngine | None = None
        self._remote_facts: ModelFacts | None = None
        self._log_folder = log_folder

    def set_engines(self, specs: Sequence[EngineSpec]) -> None:
        """The remote engines the settings now hold (from any thread)."""
        with self._lock:
            self._specs = {spec.name: spec for spec in specs}

    def spec(self, name: str) -> EngineSpec:
        from app.backend.remote import RemoteError

        with self._lock:
            spec = self._specs.get(name)
        if spec is None:
            raise RemoteError(said("There is no remote engine named {name!r}. Add it in "
                                   "Models > Remote engines (or `llamadesk engines add`).",
                                   name=name))
        return spec

    @property
    def local(self) -> Engine:
        return self._local

    @property
    def facts(self) -> ModelFacts | None:
        return self._remote_facts if self._remote is not None else self._local.facts

    @property
    def remote(self) -> RemoteEngine | None:
        return self._remote

    def load(self, path: str, options: LoadOptions | None = None,
             on_progress: Callable[[float], None] | None = None) -> ModelFacts:
        ref = parse_ref(path)
        if ref is None:
            facts = self._local.load(path, options, on_progress)
            self._close_remote()
            return facts
        from app.backend.remote import RemoteEngine

        name, model = ref
        spec = self.spec(name)
        options = options or LoadOptions()
        if spec.split:
            split = SplitServer(name, spec.workers, model, options, self._log_folder)
            endpoint = split.start()
            remote = RemoteEngine(endpoint, on_close=split.stop, exit_reason=split.why_broken)
            model_id = split.alias
        else:
            remote = RemoteEngine(spec.endpoint())
            model_id = model
        try:
            facts = remote.load(model_id, options, on_progress)
        except BaseException:
            remote.close()
            raise
        # The new engine works: the model in use goes, and its memory with it.
        self._close_remote()
        self._local.close()
        self._remote = remote
        self._remote_facts = replace(facts, path=path)
        if spec.split:
            self._remote_facts = replace(self._remote_facts, name=Path(model).name,
                                         location=said("{count} workers ({name})",
                                                       count=len(spec.workers), name=name))
        return self._remote_facts

    def _close_remote(self) -> None:
        remote, self._remote, self._remote_facts = self._remote, None, None
        if remote is not None:
            remote.close()

    def _active(self) -> Engine | RemoteEngine:
        return self._remote if self._remote is not None else self._local

    def close(self) -> None:
        self._close_remote()
        self._local.close()

    def use_context(self, size: int) -> ModelFacts | None:
        if self._remote is not None:
            return None  # the server's context is fixed
        return self._local.use_context(size)

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return self._active().count_tokens(messages)

    def fit_context(self, messages: Sequence[ChatMessage], max_tokens: int,
                    keep_from: int = 0) -> ContextFit:
        if self._remote is None and not self._local.loaded:
            raise NoModelError(said("No model is loaded. Choose a model first."))
        return self._active().fit_context(messages, max_tokens, keep_from)

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        prefix: str = "",
        on_prompt: Callable[[float], None] | None = None,
    ) -> GenerationResult:
        return self._active().chat(messages, params, on_text, cancel, prefix, on_prompt)

    def complete(
        self,
        prompt: str,
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Raw text completion (the local server's /v1/completions): a local model only."""
        if self._remote is not None:
            from app.backend.remote import RemoteError

            where = self._remote_facts.location if self._remote_facts else "a remote engine"
            raise RemoteError(f"Text completions need a model on this computer; the model in "
                              f"use runs on {where}. Use the chat API, or choose a local "
                              "model.")
        return self._local.complete(prompt, params, on_text, cancel)
