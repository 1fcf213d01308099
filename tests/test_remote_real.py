"""Remote engines against real servers nobody on the team wrote, started here on loopback
with the built-in model: llama-cpp-python's server, llama.cpp's llama-server (built from
the same pinned sources as the bindings), LlamaDesk's own server; and one model split
across two llama.cpp rpc-server workers through ``llama-server --rpc``."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
from app.backend.engines import EngineRouter, EngineSpec, engine_ref
from app.backend.llama_tools import RPC_WORKER, SERVER, find_tool
from app.backend.remote import (
    RemoteEndpoint,
    RemoteEngine,
    RemoteGenerationError,
    list_models,
)
from app.backend.scheduler import EngineScheduler
from app.backend.server import ApiServer, ServerOptions
from tests.conftest import run_cli

pytestmark = pytest.mark.real_model

QUESTION = [ChatMessage("user", "Name three colours.")]
GREEDY = GenerationParams(max_tokens=24, temperature=0.0, repeat_penalty=1.0, seed=1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(process: subprocess.Popen[bytes], port: int, path: str = "/health",
               timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"no answer on port {port} in {timeout} s")


def start(command: Sequence[str], port: int, path: str = "/health",
          log: Path | None = None) -> subprocess.Popen[bytes]:
    if log is None:
        process = subprocess.Popen(list(command), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.STDOUT)
    else:
        with log.open("wb") as sink:
            process = subprocess.Popen(list(command), stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_ready(process, port, path)
    except BaseException:
        process.kill()
        raise
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def agreeing_tokens(engine: Engine, a: str, b: str) -> int:
    llm: Any = engine._require_model()

    def tokens(text: str) -> list[int]:
        return list(llm.tokenize(text.encode(), add_bos=False, special=False))

    count = 0
    for x, y in zip(tokens(a), tokens(b), strict=False):
        if x != y:
            break
        count += 1
    return count


@pytest.fixture(scope="module")
def local(engine: Engine, builtin_path: Path) -> str:
    """The local engine's greedy answer, from a fresh context: an answer after a cached
    prefix can part from it at a near tie (the prompt is read in other batches)."""
    engine.load(builtin_path, LoadOptions(context_size=2048, threads=1))
    return engine.chat(QUESTION, GREEDY).text


@pytest.fixture(scope="module")
def llama_server(builtin_path: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    port = free_port()
    process = start([str(find_tool(SERVER)), "-m", str(builtin_path), "--host", "127.0.0.1",
                     "--port", str(port), "-c", "2048", "--parallel", "1", "-t", "1",
                     "--no-webui"], port,
                    log=tmp_path_factory.mktemp("llama-server") / "log.txt")
    yield f"http://127.0.0.1:{port}"
    stop(process)


def test_llama_server(llama_server: str, builtin_path: Path, engine: Engine,
                      local: str) -> None:
    remote = RemoteEngine(RemoteEndpoint("llama-server", llama_server))
    facts = remote.load(str(builtin_path))
    # llama.cpp's server says its context and counts with its own tokenizer.
    assert facts.context_size == 2048 and facts.trained_context == 8192
    assert facts.template_note is None
    assert remote.count_tokens(QUESTION) == engine.count_tokens(QUESTION)
    pieces: list[str] = []
    result = remote.chat(QUESTION, GREEDY, on_text=pieces.append)
    assert result.text == "".join(pieces) and result.completion_tokens > 0
    assert result.prompt_tokens == engine.count_tokens(QUESTION)
    agree = agreeing_tokens(engine, result.text, local)
    print(f"llama-server: {agree} leading tokens agree with the local engine")
    assert agree >= 8, (result.text, local)


def test_llama_cpp_pythons_server(builtin_path: Path, engine: Engine, local: str,
                                  tmp_path: Path) -> None:
    port = free_port()
    process = start([sys.executable, "-m", "llama_cpp.server", "--model", str(builtin_path),
                     "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
                     "--n_threads", "1"], port, path="/v1/models", log=tmp_path / "log.txt")
    try:
        remote = RemoteEngine(RemoteEndpoint("llama-cpp-python", f"http://127.0.0.1:{port}/v1"))
        facts = remote.load(str(builtin_path))
        assert "estimates" in (facts.template_note or "")  # no tokenizer endpoint there
        result = remote.chat(QUESTION, GREEDY)
        agree = agreeing_tokens(engine, result.text, local)
        print(f"llama_cpp.server: {agree} leading tokens agree with the local engine")
        assert agree >= 8, (result.text, local)
        cancel = threading.Event()
        stopped = remote.chat(QUESTION, GenerationParams(max_tokens=400, ignore_eos=True),
                              on_text=lambda _text: cancel.set(), cancel=cancel)
        assert stopped.finish_reason == "cancelled" and stopped.text
    finally:
        stop(process)


def test_llamadesks_own_server(builtin_path: Path, local: str) -> None:
    own = Engine()
    scheduler = EngineScheduler(own)
    scheduler.submit("load", lambda e: e.load(builtin_path, LoadOptions(
        context_size=2048, threads=1)), urgent=True).done.wait(60)
    server = ApiServer(scheduler, ServerOptions(port=0), GenerationParams())
    server.start()
    try:
        endpoint = RemoteEndpoint("other desk", server.address)
        [model] = list_models(endpoint)
        remote = RemoteEngine(endpoint)
        remote.load(model.id)
        assert remote.chat(QUESTION, GREEDY).text == local  # the same engine on both sides
    finally:
        server.stop()
        scheduler.close()


def test_chat_on_a_remote_engine_from_the_command_line(llama_server: str, builtin_path: Path,
                                                       tmp_path: Path) -> None:
    added = run_cli("engines", "add", "box", llama_server)
    assert added.returncode == 0, added.stderr
    assert "It offers 1 model(s)" in added.stdout
    listed = run_cli("engines", "models", "box")
    assert listed.stdout.split("\t")[0] == str(builtin_path)
    answered = run_cli("chat", "--engine", "box", "--model", str(builtin_path),
                       "--max-tokens", "8", "--stats", "Hello")
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.strip() and "tokens/s" in answered.stderr
    exported = run_cli("export", "1", "--format", "json", "-o", str(tmp_path / "chat.json"))
    assert exported.returncode == 0, exported.stderr
    # The history says which model answered, and where.
    assert f"{builtin_path} on box" in (tmp_path / "chat.json").read_text()
    missing = run_cli("chat", "--engine", "box", "Hello")
    assert missing.returncode == 1 and "--model MODEL" in missing.stderr
    removed = run_cli("engines", "remove", "box")
    assert removed.returncode == 0 and run_cli("engines", "list").stdout.startswith("No remote")


def test_a_worker_refuses_a_public_address_without_the_flag() -> None:
    refused = run_cli("worker", "--host", "0.0.0.0", "--port", "50999")
    assert refused.returncode == 1 and "--public" in refused.stderr


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = []
    exe = str(find_tool(RPC_WORKER))
    try:
        for index in range(2):
            port = free_port()
            with (tmp_path / f"worker{index}.log").open("wb") as log:
                process = subprocess.Popen([exe, "--host", "127.0.0.1", "--port", str(port),
                                            "--threads", "1"], stdout=log,
                                           stderr=subprocess.STDOUT)
            process.args = f"127.0.0.1:{port}"
            started.append(process)
        time.sleep(0.5)
        yield started
    finally:
        for process in started:
            stop(process)


def test_one_model_split_across_two_workers(workers: list[subprocess.Popen[bytes]],
                                            builtin_path: Path, engine: Engine, local: str,
                                            tmp_path: Path) -> None:
    addresses = tuple(str(worker.args) for worker in workers)
    router = EngineRouter(specs=[EngineSpec("lab", workers=addresses)], log_folder=tmp_path)
    ref = engine_ref("lab", str(builtin_path))
    try:
        facts = router.load(ref, LoadOptions(context_size=2048, threads=1))
        assert facts.path == ref and facts.location == "2 workers (lab)"
        for index in range(2):  # both workers were given their share
            assert "Accepted client connection" in (tmp_path / f"worker{index}.log").read_text()
        result = router.chat(QUESTION, GREEDY)
        agree = agreeing_tokens(engine, result.text, local)
        print(f"split across 2 workers: {agree} leading tokens agree with the local engine")
        assert agree >= 8, (result.text, local)

        # A worker dies mid-answer: a clear error, the words so far kept ...
        pieces: list[str] = []

        def kill_after_some(text: str) -> None:
            pieces.append(text)
            if len(pieces) == 3:
                os.kill(workers[1].pid, signal.SIGKILL)

        with pytest.raises(RemoteGenerationError) as caught:
            router.chat(QUESTION, GenerationParams(max_tokens=1500, ignore_eos=True),
                        on_text=kill_after_some)
        assert caught.value.partial == "".join(pieces) and len(pieces) >= 3
        assert "A worker may have stopped" in str(caught.value), str(caught.value)
        # ... and the user goes on on this computer.
        router.load(str(builtin_path), LoadOptions(context_size=2048, threads=1))
        assert router.remote is None
        assert router.chat(QUESTION, GREEDY).text == local
    finally:
        router.close()


def test_a_worker_stops_cleanly_and_a_taken_port_is_named() -> None:
    exe = Path(sys.executable).parent / "llamadesk"
    port = free_port()
    worker = subprocess.Popen([str(exe), "worker", "--port", str(port), "--threads", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:  # rpc-server accepts connections once it listens
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline and worker.poll() is None
                time.sleep(0.1)
        second = run_cli("worker", "--port", str(port))
        assert second.returncode == 1 and "Another worker may be using the port" in \
            second.stderr
    finally:
        worker.send_signal(signal.SIGTERM)
        out, _err = worker.communicate(timeout=30)
    assert worker.returncode == 0  # asked to stop: not a failure
    assert f"--workers 127.0.0.1:{port}" in out


def test_the_model_setting_may_name_a_remote_model(llama_server: str,
                                                   builtin_path: Path) -> None:
    """`"model": "remote:ENGINE/MODEL"` in the settings: `chat` answers there."""
    from app.backend.paths import AppPaths
    from app.backend.settings import update_settings_file

    settings_file = AppPaths.resolve().settings_file
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    update_settings_file(settings_file, {
        "remote_engines": [{"name": "box", "url": llama_server}],
        "model": engine_ref("box", str(builtin_path))})
    answered = run_cli("chat", "--max-tokens", "4", "--no-save", "Hello")
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.strip()
