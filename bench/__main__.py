"""Every benchmark in one command: the app measured against its own engine.

    .venv/bin/python -m bench [--runs 5] [--check] [--only decode,ttft,...]

Each figure is a ratio to a reference measured in the same run, median and spread
of repeated runs, so the figures hold on a noisy shared machine.  Writes
bench/results/summary.json and summary.md; exits 1 on a missed goal only with
--check.  Parts: decode, ttft, gui (responsiveness, start-up, memory), threads,
history, server (the local OpenAI-compatible server: decode, first token, fairness),
probe (the first-use model probe, and the second start that only looks it up), limit
(decode and prompt reading against llama.cpp's own llama-bench at the same threads),
remote (decode through llama-server on loopback, and split across two loopback rpc-server
workers, against the local engine), lookup (prompt lookup on against off: a rewrite and
free text).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from typing import Any

from bench import history, llama_limit, lookup, model_probe, remote, server
from bench.common import Row, cli_stream, probe, ratio_row, summary, write_report
from bench.probe_decode import PROMPT

TOKENS = 200
SEED = 7
BUSY = "while True: pass"


def painted(run: dict[str, Any]) -> float:
    """Seconds from starting the process to its first window painted."""
    return float(run["painted_at"] - run["spawned_at"])


def rate(run: dict[str, Any]) -> float:
    return float((run["tokens"] - 1) / (run["last"] - run["first"]))


def decode(runs: int) -> tuple[list[Row], list[dict[str, Any]]]:
    """Bare llama-cpp-python vs the Engine, `llamadesk chat` and the whole GUI path,
    in rotating order so that machine noise hits all alike."""
    samples: dict[str, list[dict[str, Any]]] = {"bare": [], "engine": [], "cli": [],
                                                "gui": []}
    order = list(samples)
    for index in range(runs):
        for kind in order[index % 4:] + order[:index % 4]:
            if kind == "gui":
                result = probe("bench.probe_gui", str(TOKENS), "1", str(SEED), "0")
            elif kind == "cli":
                result = cli_stream(PROMPT, "--threads", "1", "--max-tokens", str(TOKENS),
                                    "--seed", str(SEED), "--ignore-eos", "--no-save",
                                    "--no-prompt-lookup")
            else:
                result = probe("bench.probe_decode", kind, str(TOKENS), "1", str(SEED))
            samples[kind].append(result)
            print(f"  decode {kind:6} {rate(result):6.1f} tokens/s", flush=True)
    bare = [rate(r) for r in samples["bare"]]
    rows = [
        ratio_row("decode speed: Engine", "tokens/s", "bare loop", bare,
                  [rate(r) for r in samples["engine"]], at_least=0.97),
        ratio_row("decode speed: `llamadesk chat`", "tokens/s", "bare loop", bare,
                  [rate(r) for r in samples["cli"]], at_least=0.97),
        ratio_row("decode speed: whole GUI path (worker, signals, view, database)",
                  "tokens/s", "bare loop", bare, [rate(r) for r in samples["gui"]],
                  at_least=0.97),
        ratio_row("model load", "s", "bare Llama()",
                  [r["load_seconds"] for r in samples["bare"]],
                  [r["load_seconds"] for r in samples["engine"]], at_most=1.3),
    ]
    return rows, samples["gui"]


def gui(runs: int, idle_gui: list[dict[str, Any]]) -> list[Row]:
    """Responsiveness and memory with a 2,000-message chat open; start-up."""
    loaded = [probe("bench.probe_gui", str(TOKENS), "1", str(SEED), "2000")
              for _ in range(max(2, runs // 2))]
    coding = [probe("bench.probe_gui", str(TOKENS), "1", str(SEED), "2000", "code")
              for _ in range(max(2, runs // 2))]
    bare = [probe("bench.probe_decode", "bare", "8", "1", str(SEED))
            for _ in range(max(2, runs // 2))]
    windows = [probe("bench.probe_qt_window") for _ in range(runs)]
    model = loaded[0]["model_bytes"]
    stalls = [r["stall_while_decoding"] * 1000 for r in loaded]
    idle = [r["stall_idle"] * 1000 for r in loaded]
    stall_row = Row("longest GUI-thread stall while streaming, 2,000-message chat open",
                    "ms", "idle window", summary(idle), summary(stalls), "< 50 ms (every run)",
                    max(stalls) < 50)
    code_stalls = [r["stall_while_decoding"] * 1000 for r in coding]
    code_row = Row("longest GUI-thread stall while a highlighted code answer streams, "
                   "2,000-message chat open", "ms", "idle window",
                   summary([r["stall_idle"] * 1000 for r in coding]), summary(code_stalls),
                   "< 50 ms (every run)",
                   max(code_stalls) < 50 and all(r["code_blocks"] for r in coding))
    extra = [(r["rss_idle"] - model) / 2**20 for r in idle_gui]
    extra_history = [(r["rss_history"] - model) / 2**20 for r in loaded]
    bare_extra = [(r["rss"] - model) / 2**20 for r in bare]
    return [
        stall_row,
        code_row,
        ratio_row("start-up: process start to first window painted", "s",
                  "empty Qt window", [painted(w) for w in windows],
                  [painted(r) for r in idle_gui + loaded], at_most=1.3),
        ratio_row("memory beyond the model file, idle", "MiB", "bare llama-cpp-python",
                  bare_extra, extra, at_most=1.4),
        ratio_row("memory beyond the model file, 2,000-message chat open", "MiB",
                  "bare llama-cpp-python", bare_extra, extra_history, at_most=1.7),
    ]


def ttft(runs: int) -> list[Row]:
    """First-token latency: a new chat, turn 30, and coming back to a long chat."""
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path

    engine = Engine()
    engine.load(builtin_model_path(), LoadOptions(context_size=8192, threads=1))
    params = GenerationParams(max_tokens=24, seed=SEED)

    def first_token(messages: list[Any]) -> tuple[float, str]:
        stamps: list[float] = []
        started = time.perf_counter()
        result = engine.chat(engine_fit(messages), params,
                             on_text=lambda _t: stamps.append(time.perf_counter()))
        return stamps[0] - started, result.text

    def engine_fit(messages: list[Any]) -> list[Any]:
        return engine.fit_context(messages, params.max_tokens).apply(messages)

    turn_1: list[float] = []
    turn_30: list[float] = []
    back: list[float] = []
    scratch: list[float] = []
    for run in range(max(2, runs // 2)):
        chat = [ChatMessage("system", "You are a helpful assistant.")]
        for turn in range(1, 31):
            chat.append(ChatMessage("user", f"Run {run}, question {turn}: one fact about "
                                    f"{history.WORDS[turn % len(history.WORDS)]}s?"))
            seconds, text = first_token(chat)
            if turn == 1:
                turn_1.append(seconds)
            if turn == 30:
                turn_30.append(seconds)
            chat.append(ChatMessage("assistant", text))
        other = [ChatMessage("user", f"Run {run}: something else entirely.")]
        for _ in range(3):
            _seconds, text = first_token(other)
            other += [ChatMessage("assistant", text), ChatMessage("user", "Go on.")]
        chat.append(ChatMessage("user", "Back to where we were: summarise."))
        back.append(first_token(chat)[0])
        # The reference: the same prompt with nothing cached.
        engine.chat([ChatMessage("user", "reset")], GenerationParams(max_tokens=1))
        engine._states.clear()
        scratch.append(first_token(chat)[0])
        print(f"  ttft turn1 {turn_1[-1]:.3f} turn30 {turn_30[-1]:.3f} back {back[-1]:.3f} "
              f"scratch {scratch[-1]:.3f}", flush=True)
    engine.close()
    return [
        ratio_row("time to first token: follow-up at turn 30", "s", "turn 1", turn_1, turn_30,
                  at_most=1.5),
        ratio_row("time to first token: back to a 30-turn chat after another chat", "s",
                  "same prompt, nothing cached", scratch, back, at_most=0.25),
    ]


def threads(runs: int) -> list[Row]:
    """The automatic thread count against each fixed one: idle, with one core busy, and
    with every core busy (another program spinning on each)."""
    cores = os.cpu_count() or 1
    choices = sorted({1, 2, cores})
    rows = []
    for hogs, condition in ((0, "idle"), (1, "one core busy"), (cores, "every core busy")):
        speeds: dict[int, list[float]] = {n: [] for n in [0, *choices]}
        spinning = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(hogs)]
        try:
            time.sleep(0.5 if hogs else 0)  # the governor sees the load it will meet
            for _ in range(max(2, runs // 2)):
                for count in speeds:
                    speeds[count].append(rate(probe("bench.probe_decode", "engine", "100",
                                                    str(count), str(SEED))))
        finally:
            for hog in spinning:
                hog.kill()
                hog.wait()
        best = max(choices, key=lambda n: sorted(speeds[n])[len(speeds[n]) // 2])
        print(f"  threads {condition}: " + ", ".join(
            f"{'auto' if n == 0 else n}: {sorted(v)[len(v) // 2]:.1f}" for n, v in
            speeds.items()), flush=True)
        rows.append(ratio_row(f"decode speed, automatic threads, {condition}", "tokens/s",
                              f"best fixed ({best})", speeds[best], speeds[0], at_least=0.95))
    return rows


PARTS = ("decode", "ttft", "gui", "threads", "history", "server", "probe", "limit",
         "remote", "lookup")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts: {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    rows: list[Row] = []
    idle_gui: list[dict[str, Any]] = []
    if wanted & {"decode", "gui"}:
        decode_rows, idle_gui = decode(args.runs)
        rows += decode_rows if "decode" in wanted else []
    if "ttft" in wanted:
        rows += ttft(args.runs)
    if "gui" in wanted:
        rows += gui(args.runs, idle_gui)
    if "threads" in wanted:
        rows += threads(args.runs)
    if "history" in wanted:
        rows += history.rows(args.runs)
    if "server" in wanted:
        rows += server.rows(args.runs)
    if "probe" in wanted:
        rows += model_probe.rows(args.runs)
    if "limit" in wanted:
        rows += llama_limit.rows(args.runs)
    if "remote" in wanted:
        rows += remote.rows(args.runs)
    if "lookup" in wanted:
        rows += lookup.rows(args.runs)
    print(write_report("summary", rows))
    return 1 if args.check and not all(row.met for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
