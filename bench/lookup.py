"""Prompt lookup (speculative decoding with drafts copied from the chat, lookup.py):
answer speed with it against without it, on the built-in model at 1 thread, in the same
run, on two tasks:

- rewrite: the model repeats a paragraph with one change, greedy (temperature 0), as
  one asks for an edit of a text or of code;
- free text: a story with the app's default sampling (temperature 0.7 ...).

Speed as the window sees it: tokens after the first / seconds from the first piece of
text to the last.  Off and on alternate, and each pair starts from the same cached
prompt (one answer to the same prompt before), so both write the same answer.
"""

from __future__ import annotations

import time
from dataclasses import replace

from bench.common import Row, ratio_row

THREADS = 1
PARAGRAPH = (
    "The lighthouse keeper climbed the narrow stairs every evening at dusk. He carried a "
    "lamp, a flask of tea and a small notebook in which he wrote down the weather, the "
    "ships he saw and the birds that rested on the railing. In winter the storms came "
    "from the north and the whole tower shook, but the light never went out. His "
    "daughter lived in the village below and visited him on Sundays with fresh bread "
    "and news from the harbour.")
REWRITE = ("Repeat the following text exactly, word for word, changing only 'lighthouse "
           "keeper' to 'old sailor':\n\n" + PARAGRAPH)
STORY = "Write a long, detailed story about a lighthouse keeper and a storm."


def speeds(runs: int) -> dict[tuple[str, bool], list[float]]:
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path

    tasks = {
        "rewrite": (REWRITE, GenerationParams(max_tokens=200, temperature=0.0, seed=1)),
        "free": (STORY, GenerationParams(max_tokens=160, ignore_eos=True)),
    }
    found: dict[tuple[str, bool], list[float]] = {}
    engine = Engine()
    try:
        engine.load(builtin_model_path(), LoadOptions(context_size=2048, threads=THREADS),
                    probe_files=False)
        for prompt, params in tasks.values():
            # the first answer after a load may part from later ones at a near tie
            # (llama.cpp's cache cells fill in another order), so it is not measured
            engine.chat([ChatMessage("user", prompt)], params)
        for run in range(runs):
            for task, (prompt, params) in tasks.items():
                messages = [ChatMessage("user", prompt)]
                texts = []
                for lookup in (run % 2 == 1, run % 2 == 0):
                    engine.chat(messages, GenerationParams(max_tokens=1))  # prompt cached
                    arrived: list[float] = []

                    def on_text(_text: str, into: list[float] = arrived) -> None:
                        into.append(time.perf_counter())

                    result = engine.chat(
                        messages, replace(params, seed=run + 1, prompt_lookup=lookup),
                        on_text=on_text)
                    speed = (result.completion_tokens - 1) / (arrived[-1] - arrived[0])
                    found.setdefault((task, lookup), []).append(speed)
                    texts.append(result.text)
                    print(f"  lookup {task:7} {'on ' if lookup else 'off'} {speed:6.1f} "
                          f"tokens/s ({result.completion_tokens} tokens)", flush=True)
                if texts[0] != texts[1]:
                    print(f"  lookup {task}: the answers differ", flush=True)
    finally:
        engine.close()
    return found


def rows(runs: int) -> list[Row]:
    found = speeds(max(2, runs))
    return [
        ratio_row("prompt lookup: rewrite a paragraph (greedy)", "tokens/s", "lookup off",
                  found["rewrite", False], found["rewrite", True], at_least=1.3),
        ratio_row("prompt lookup: free text (default sampling)", "tokens/s", "lookup off",
                  found["free", False], found["free", True], at_least=0.97),
    ]
