"""Remote engines: answer speed through llama.cpp's llama-server on loopback, and split
across two loopback rpc-server workers, against the local engine on the same model and
thread count, in the same run (the runs alternate, so load on the machine hits all three).

Speed is measured the same way for all three, as the window sees it: the words arriving
through ``on_text``, from the first to the last (tokens after the first / seconds).
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Row, ratio_row

THREADS = 1
TOKENS = 128
PROMPT = "Write a long story about a lighthouse keeper."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _speed(chat: Callable[..., object]) -> float:
    from app.backend.engine import ChatMessage, GenerationParams

    arrived: list[float] = []
    chat([ChatMessage("user", PROMPT)],
         GenerationParams(max_tokens=TOKENS, temperature=0.0, seed=1, ignore_eos=True,
                          prompt_lookup=False),
         on_text=lambda _text: arrived.append(time.perf_counter()))
    return (len(arrived) - 1) / (arrived[-1] - arrived[0])


def rows(runs: int) -> list[Row]:
    from app.backend.engine import Engine, LoadOptions
    from app.backend.engines import EngineRouter, EngineSpec, engine_ref
    from app.backend.llama_tools import RPC_WORKER, SERVER, find_tool
    from app.backend.models import builtin_model_path
    from app.backend.remote import RemoteEndpoint, RemoteEngine

    model = str(builtin_model_path())
    options = LoadOptions(context_size=2048, threads=THREADS)
    port = _free_port()
    processes = [subprocess.Popen(
        [str(find_tool(SERVER)), "-m", model, "--host", "127.0.0.1", "--port", str(port),
         "-c", "2048", "--parallel", "1", "-t", str(THREADS), "--no-webui"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    workers = []
    for _ in range(2):
        worker_port = _free_port()
        workers.append(f"127.0.0.1:{worker_port}")
        processes.append(subprocess.Popen(
            [str(find_tool(RPC_WORKER)), "--host", "127.0.0.1", "--port", str(worker_port),
             "--threads", str(THREADS)], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
    local = Engine()
    split = EngineRouter(specs=[EngineSpec("bench", workers=tuple(workers))],
                         log_folder=Path(tempfile.gettempdir()))
    speeds: dict[str, list[float]] = {"local": [], "remote": [], "split": []}
    try:
        local.load(model, options, probe_files=False)
        remote = RemoteEngine(RemoteEndpoint("llama-server", f"http://127.0.0.1:{port}"))
        deadline = time.monotonic() + 60
        while True:
            try:
                remote.load(model)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        split.load(engine_ref("bench", model), options)
        for run in range(runs):
            for name, engine in (("local", local), ("remote", remote), ("split", split)):
                speeds[name].append(_speed(engine.chat))
            print(f"  remote run {run}: local {speeds['local'][-1]:.1f}, llama-server "
                  f"{speeds['remote'][-1]:.1f}, split over 2 workers "
                  f"{speeds['split'][-1]:.1f} tokens/s", flush=True)
    finally:
        local.close()
        split.close()
        for process in processes:
            process.terminate()
            process.wait(10)
    return [
        ratio_row(f"decode through llama-server on loopback ({TOKENS} tokens, {THREADS} "
                  "thread)", "tokens/s", "local engine", speeds["local"], speeds["remote"],
                  at_least=0.9),
        ratio_row(f"decode split across 2 loopback rpc-server workers ({TOKENS} tokens; "
                  "report: slower is expected)", "tokens/s", "local engine", speeds["local"],
                  speeds["split"], at_least=0.0),
    ]
