"""llama.cpp's own llama-bench as the limit: the app's decode and prompt-reading speed on
the built-in model against llama-bench's tg and pp at the same thread count, in the same
run (llama-bench is built from the same pinned sources as the bindings; dev.py)."""

from __future__ import annotations

import json
import subprocess

from bench.common import Row, ratio_row

THREADS = 1
PROMPT_TOKENS = 256
DECODE_TOKENS = 128


def llama_bench(runs: int) -> tuple[list[float], list[float]]:
    """(prompt tokens/s, decode tokens/s), one figure per repetition."""
    from app.backend.llama_tools import BENCH, find_tool
    from app.backend.models import builtin_model_path

    prompt: list[float] = []
    decode: list[float] = []
    # flash attention as the app has it on the CPU (off: runtime.new_llama says why);
    # llama-bench's own default (auto) turns it on
    command = [str(find_tool(BENCH)), "-m", str(builtin_model_path()), "-t", str(THREADS),
               "-r", "1", "-o", "json", "-fa", "0"]
    for _ in range(runs):
        # prompt reading from an empty cache; decoding after the prompt is in the cache
        # (-d: the context depth), as the app decodes an answer after reading its prompt
        for extra, into in ((["-p", str(PROMPT_TOKENS), "-n", "0"], prompt),
                            (["-p", "0", "-n", str(DECODE_TOKENS), "-d", str(PROMPT_TOKENS)],
                             decode)):
            done = subprocess.run([*command, *extra], capture_output=True, text=True,
                                  timeout=600, check=True)
            into.extend(float(test["avg_ts"]) for test in json.loads(done.stdout))
    return prompt, decode


def engine_speeds(runs: int) -> tuple[list[float], list[float]]:
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path

    engine = Engine()
    prompt: list[float] = []
    decode: list[float] = []
    try:
        engine.load(builtin_model_path(), LoadOptions(context_size=2048, threads=THREADS),
                    probe_files=False)
        # one token at a time, as llama-bench's tg (prompt lookup has its own part)
        params = GenerationParams(max_tokens=DECODE_TOKENS, temperature=0.0, seed=1,
                                  ignore_eos=True, prompt_lookup=False)
        for run in range(runs):
            words = f"run {run}: " + " ".join(f"w{i}" for i in range(PROMPT_TOKENS))
            text = words
            while engine.count_tokens([ChatMessage("user", text)]) > PROMPT_TOKENS:
                text = text[: int(len(text) * 0.95)]  # a prompt of about 256 tokens
            result = engine.chat([ChatMessage("user", text)], params)
            prompt.append(result.prompt_evaluated / result.prompt_seconds)
            decode.append(result.decode_tokens / result.decode_seconds)
            print(f"  limit: engine prompt {prompt[-1]:.1f} decode {decode[-1]:.1f} tokens/s",
                  flush=True)
    finally:
        engine.close()
    return prompt, decode


def rows(runs: int) -> list[Row]:
    bench_prompt, bench_decode = llama_bench(runs)
    print(f"  limit: llama-bench pp{PROMPT_TOKENS} {sorted(bench_prompt)[len(bench_prompt)//2]:.1f}"
          f" tg{DECODE_TOKENS} {sorted(bench_decode)[len(bench_decode)//2]:.1f} tokens/s",
          flush=True)
    app_prompt, app_decode = engine_speeds(runs)
    return [
        ratio_row(f"decode speed against llama-bench (tg{DECODE_TOKENS} at depth "
                  f"{PROMPT_TOKENS}, {THREADS} thread)",
                  "tokens/s", "llama-bench", bench_decode, app_decode, at_least=0.93),
        ratio_row(f"prompt reading against llama-bench (pp{PROMPT_TOKENS}, {THREADS} thread)",
                  "tokens/s", "llama-bench", bench_prompt, app_prompt, at_least=0.9),
    ]
