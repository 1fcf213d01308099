"""First-token latency of the Engine in this process; prints one JSON line.

    python -m bench.probe_ttft PROMPT...

After a warm-up answer (so the chat template's prefix is cached, as it is in a
running server), each prompt is timed from the call to its first text.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path

    engine = Engine()
    engine.load(builtin_model_path(), LoadOptions(context_size=4096, threads=1))
    params = GenerationParams(max_tokens=4, seed=7, ignore_eos=True)
    engine.chat([ChatMessage("user", "Warm up.")], params)
    ttft = []
    stamps: list[float] = []

    def stamp(_text: str) -> None:
        stamps.append(time.perf_counter())

    for prompt in sys.argv[1:]:
        stamps.clear()
        started = time.perf_counter()
        engine.chat([ChatMessage("user", prompt)], params, on_text=stamp)
        ttft.append(stamps[0] - started)
    engine.close()
    print(json.dumps({"ttft": ttft}))


if __name__ == "__main__":
    main()
