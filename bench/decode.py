"""Decode speed: `llamadesk chat` against a bare llama-cpp-python loop, same run.

Both run as subprocesses that write each piece of text to stdout as it comes;
this process times the pieces the same way for both: tokens/s = (tokens - 1) /
(last piece - first piece).  Runs alternate (bare, app, bare, app, ...) so that
machine noise hits both alike; the figure is the ratio of the medians.

    .venv/bin/python -m bench.decode [--runs 5] [--tokens 200] [--threads 1] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PROMPT = "Write a long, detailed story about a lighthouse keeper and a storm."
GOAL = 0.97  # the app keeps at least this share of the engine's bare speed

# The reference: llama-cpp-python with nothing of LlamaDesk, the same model,
# threads, context, sampling and seed; it prints what it generates as it comes.
BARE_LOOP = r"""
import sys, llama_cpp
path, threads, tokens, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
llm = llama_cpp.Llama(path, n_ctx=4096, n_threads=threads, n_threads_batch=threads,
                      verbose=False)
messages = [{"role": "user", "content": sys.argv[5]}]
for chunk in llm.create_chat_completion(messages, stream=True, max_tokens=tokens, seed=seed,
                                        temperature=0.7, top_p=0.95, top_k=40, min_p=0.05,
                                        repeat_penalty=1.1):
    text = chunk["choices"][0]["delta"].get("content")
    if text:
        sys.stdout.write(text); sys.stdout.flush()
perf = llama_cpp.llama_perf_context(llm.ctx)
print(f"\nBARE-TOKENS {perf.n_eval + 1}", file=sys.stderr)
llm.close()
"""


@dataclass(frozen=True)
class Run:
    kind: str
    tokens: int
    seconds: float  # first to last piece

    @property
    def tokens_per_second(self) -> float:
        return (self.tokens - 1) / self.seconds if self.seconds > 0 else 0.0


def timed_stream(command: list[str], kind: str) -> Run:
    """Run a command, timestamp each read of its stdout, get its token count."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None and process.stderr is not None
    first = last = 0.0
    while True:
        data = os.read(process.stdout.fileno(), 65536)
        if not data:
            break
        now = time.perf_counter()
        if data.strip():
            first = first or now
            last = now
    stderr = process.stderr.read().decode()
    if process.wait() != 0:
        raise SystemExit(f"{kind} failed: {stderr}")
    match = re.search(r"BARE-TOKENS (\d+)", stderr) or re.search(r"answer (\d+) tokens", stderr)
    if not match:
        raise SystemExit(f"{kind}: no token count in {stderr!r}")
    return Run(kind, int(match.group(1)), last - first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if the goal is missed")
    args = parser.parse_args(argv)

    from app.backend.models import builtin_model_path

    model = str(builtin_model_path())
    llamadesk = str(Path(sys.executable).parent / "llamadesk")
    bare_cmd = [sys.executable, "-c", BARE_LOOP, model, str(args.threads), str(args.tokens),
                str(args.seed), PROMPT]
    app_cmd = [llamadesk, "chat", PROMPT, "--threads", str(args.threads), "--max-tokens",
               str(args.tokens), "--seed", str(args.seed), "--context", "4096",
               "--temperature", "0.7", "--stats"]
    runs: list[Run] = []
    timed_stream(bare_cmd, "warm-up")  # page the model file in for both
    for index in range(args.runs):
        pair = [(bare_cmd, "bare"), (app_cmd, "app")]
        for command, kind in pair if index % 2 == 0 else pair[::-1]:
            runs.append(timed_stream(command, kind))
            print(f"  {runs[-1].kind:4} {runs[-1].tokens:4} tokens "
                  f"{runs[-1].tokens_per_second:7.1f} tokens/s", flush=True)

    def summary(kind: str) -> dict[str, float]:
        speeds = [run.tokens_per_second for run in runs if run.kind == kind]
        return {"median": statistics.median(speeds), "min": min(speeds), "max": max(speeds)}

    bare, app = summary("bare"), summary("app")
    ratio = app["median"] / bare["median"]
    met = ratio >= GOAL
    report = {
        "benchmark": "decode tokens/s, built-in model (SmolLM2-135M Q4_1)",
        "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs, {platform.system()}",
        "threads": args.threads, "tokens": args.tokens, "runs": args.runs,
        "reference_bare_llama_cpp_python": bare, "llamadesk_chat": app,
        "ratio": ratio, "goal": GOAL, "met": met,
        "samples": [asdict(run) | {"tokens_per_second": run.tokens_per_second}
                    for run in runs],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "decode.json").write_text(json.dumps(report, indent=2))
    table = (
        "| figure | reference (bare llama-cpp-python) | LlamaDesk (`llamadesk chat`) "
        "| ratio | goal | met |\n|---|---|---|---|---|---|\n"
        f"| decode tokens/s, median (min-max) of {args.runs} | {bare['median']:.1f} "
        f"({bare['min']:.1f}-{bare['max']:.1f}) | {app['median']:.1f} "
        f"({app['min']:.1f}-{app['max']:.1f}) | {ratio:.3f} | >= {GOAL} | "
        f"{'yes' if met else 'no'} |\n"
    )
    (RESULTS / "decode.md").write_text(table)
    print(table)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
