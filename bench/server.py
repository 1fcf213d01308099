"""The local OpenAI-compatible server against the engine it serves.

    .venv/bin/python -m bench --only server [--runs 5]
    .venv/bin/python -m bench.server [--runs 5]

- decode: `llamadesk serve` (its own process, 1 thread), streamed to the official
  `openai` client in this process and timed there, vs the bare llama-cpp-python
  loop (bench.probe_decode bare), same prompt, 200 tokens, seed, in rotation; and
  the same read by http.client (the server's own cost: the openai client's
  parsing competes for the same 2 cores);
- first token: the server (client side, from sending the request) vs the Engine
  in a process of its own (bench.probe_ttft), on the same new prompts, each after
  a warm-up so that both have the template's prefix cached;
- fairness: 1 API answer running and 3 waiting when a window's answer is
  submitted; its wait vs the running API answer's whole time (the slice), both
  timed on the engine thread: at most 1 if the window goes next, about 3+ if it
  queued behind every API request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, Row, probe, ratio_row, summary, write_report
from bench.probe_decode import PROMPT

TOKENS = 200
SEED = 7


class Served:
    """`llamadesk serve` in a process of its own, on a free loopback port."""

    def __init__(self) -> None:
        exe = Path(sys.executable).parent / "llamadesk"
        self.process = subprocess.Popen(
            [str(exe), "serve", "--port", "0", "--threads", "1", "--context", "4096"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"as model '([^']+)' at (http://\S+/v1)", line)
        if not found:
            self.close()
            raise SystemExit(f"llamadesk serve did not start: {line!r}")
        self.model, self.base = found.group(1), found.group(2)
        import openai

        self.client = openai.OpenAI(base_url=self.base, api_key="bench", max_retries=0)

    def stream(self, prompt: str, tokens: int) -> dict[str, Any]:
        """One streamed answer, timed as the client sees it."""
        sent = time.perf_counter()
        first = last = 0.0
        count = 0
        for chunk in self.client.chat.completions.create(
                model=self.model, messages=[{"role": "user", "content": prompt}],
                max_tokens=tokens, seed=SEED, temperature=0.7, top_p=0.95, stream=True,
                stream_options={"include_usage": True}, extra_body={"ignore_eos": True}):
            if chunk.choices and chunk.choices[0].delta.content:
                last = time.perf_counter()
                first = first or last
            if chunk.usage is not None:
                count = chunk.usage.completion_tokens
        return {"tokens": count, "first": first, "last": last, "ttft": first - sent}

    def raw_stream(self, prompt: str, tokens: int) -> dict[str, Any]:
        """The same answer read with the standard library only: the server's own cost,
        without the openai client's parsing (which shares these 2 cores)."""
        import http.client
        import json

        address = self.base.split("//")[1].split("/")[0]
        connection = http.client.HTTPConnection(address, timeout=600)
        connection.request("POST", "/v1/chat/completions", json.dumps({
            "model": self.model, "messages": [{"role": "user", "content": prompt}],
            "max_tokens": tokens, "seed": SEED, "temperature": 0.7, "top_p": 0.95,
            "stream": True, "stream_options": {"include_usage": True},
            "ignore_eos": True}), {"Content-Type": "application/json"})
        response = connection.getresponse()
        first = last = 0.0
        count = 0
        while data := response.read1(65536):
            if b'"content": "' in data:
                last = time.perf_counter()
                first = first or last
            found = re.search(rb'"completion_tokens": (\d+)', data)
            if found:
                count = int(found.group(1))
        connection.close()
        return {"tokens": count, "first": first, "last": last}

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def rate(run: dict[str, Any]) -> float:
    return float((run["tokens"] - 1) / (run["last"] - run["first"]))


def decode_and_ttft(runs: int) -> list[Row]:
    served = Served()
    try:
        served.stream("Warm up.", 4)
        speeds: dict[str, list[float]] = {"bare": [], "openai": [], "raw": []}
        order = list(speeds)
        for index in range(runs):
            for kind in order[index % 3:] + order[:index % 3]:
                if kind == "bare":
                    run = probe("bench.probe_decode", "bare", str(TOKENS), "1", str(SEED))
                elif kind == "openai":
                    run = served.stream(PROMPT, TOKENS)
                else:
                    run = served.raw_stream(PROMPT, TOKENS)
                speeds[kind].append(rate(run))
                print(f"  server decode {kind:6} {speeds[kind][-1]:6.1f} tokens/s", flush=True)
        prompts = [f"Run {i}: {PROMPT}" for i in range(runs)]
        engine = probe("bench.probe_ttft", *prompts)["ttft"]
        server = [served.stream(p, 4)["ttft"] for p in prompts]
        print(f"  server ttft engine {engine} server {server}", flush=True)
    finally:
        served.close()
    added = summary(server)["median"] - summary(engine)["median"]
    return [
        ratio_row("decode speed through the local server (openai client, streamed)",
                  "tokens/s", "bare loop", speeds["bare"], speeds["openai"], at_least=0.95),
        ratio_row("decode speed through the local server (plain HTTP client, streamed)",
                  "tokens/s", "bare loop", speeds["bare"], speeds["raw"], at_least=0.95),
        Row("time to first token through the local server", "s",
            "Engine in-process", summary(engine), summary(server),
            f"< 20 ms added (added {added * 1000:.1f} ms)", added < 0.020),
    ]


def fairness(runs: int) -> Row:
    """In one process: the scheduler and server as `llamadesk serve` builds them, API
    load from client threads, and a 'window' job submitted while 3 API answers wait."""
    import openai

    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path
    from app.backend.openai_api import model_id
    from app.backend.scheduler import EngineScheduler
    from app.backend.server import API, ApiServer, ServerOptions

    spans: list[tuple[float, float]] = []  # (start, end) of every answer, engine thread

    class TimedEngine(Engine):
        def chat(self, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return super().chat(*args, **kwargs)
            finally:
                spans.append((started, time.perf_counter()))

    scheduler = EngineScheduler(TimedEngine())
    scheduler.submit("load", lambda e: e.load(builtin_model_path(), LoadOptions(
        context_size=4096, threads=1)), urgent=True).done.wait(60)
    assert scheduler.facts is not None
    model = model_id(scheduler.facts)
    server = ApiServer(scheduler, ServerOptions(port=0))
    server.start()
    client = openai.OpenAI(base_url=f"{server.address}/v1", api_key="bench", max_retries=0)
    slices: list[float] = []
    waits: list[float] = []

    def api_answer() -> None:
        client.chat.completions.create(model=model, max_tokens=100, seed=SEED,
                                       extra_body={"ignore_eos": True},
                                       messages=[{"role": "user", "content": PROMPT}])

    try:
        for _ in range(runs):
            threads = [threading.Thread(target=api_answer) for _ in range(4)]
            threads[0].start()
            while not scheduler.busy:
                time.sleep(0.001)
            for thread in threads[1:]:
                thread.start()
            while scheduler.waiting(API) < 3:
                time.sleep(0.001)
            submitted = time.perf_counter()
            began: list[float] = []

            def window(engine: Any, began: list[float] = began) -> None:
                began.append(time.perf_counter())
                engine.chat([ChatMessage("user", "Hello from a window.")],
                            GenerationParams(max_tokens=24, seed=SEED))

            scheduler.submit("window", window).done.wait(120)
            waits.append(began[0] - submitted)
            # The slice: the API answer that was being written when the window asked.
            running = next(end - start for start, end in spans if start <= submitted <= end)
            slices.append(running)
            for thread in threads:
                thread.join(120)
            print(f"  fairness: window waited {waits[-1]:.2f} s behind 1 running + 3 "
                  f"waiting API answers; the running one took {slices[-1]:.2f} s", flush=True)
    finally:
        server.stop()
        scheduler.close()
    return ratio_row("fairness: a window's wait with 1 API answer running and 3 waiting", "s",
                     "one API answer (the slice)", slices, waits, at_most=1.0)


def rows(runs: int) -> list[Row]:
    return [*decode_and_ttft(runs), fairness(max(2, runs // 2))]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    result = rows(args.runs)
    print(f"load average after: {os.getloadavg()}", flush=True)
    print(write_report("server", result, {"loadavg": os.getloadavg()}))


if __name__ == "__main__":
    main()
