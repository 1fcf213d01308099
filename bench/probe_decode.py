"""One decode run in this process, timed at the consumer; prints one JSON line.

    python -m bench.probe_decode bare|engine TOKENS THREADS SEED

bare: llama-cpp-python alone (the reference). engine: LlamaDesk's Engine.
Both ban the end-of-turn tokens so that every run writes exactly TOKENS tokens.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import psutil

PROMPT = "Write a long, detailed story about a lighthouse keeper and a storm."


def main() -> None:
    mode, tokens, threads, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4])  # threads 0: LlamaDesk's automatic choice (engine only)
    from app.backend.models import builtin_model_path

    path = str(builtin_model_path())
    stamps: list[float] = []
    if mode == "bare":
        import llama_cpp

        started = time.perf_counter()
        llm = llama_cpp.Llama(path, n_ctx=4096, n_threads=threads, n_threads_batch=threads,
                              verbose=False)
        load = time.perf_counter() - started
        rss = psutil.Process().memory_info().rss
        vocab = llm._model.vocab
        ban = {t: float("-inf") for t in range(llm.n_vocab())
               if llama_cpp.llama_vocab_is_eog(vocab, t)}
        chunks: Any = llm.create_chat_completion(
                [{"role": "user", "content": PROMPT}], stream=True, max_tokens=tokens,
                seed=seed, temperature=0.7, top_p=0.95, top_k=40, min_p=0.05,
                repeat_penalty=1.1, logit_bias=ban)
        for chunk in chunks:
            if chunk["choices"][0]["delta"].get("content"):
                stamps.append(time.perf_counter())
        count = tokens
        llm.close()
    else:
        from app.backend import runtime
        from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions

        # modules imported before the clock starts, as `import llama_cpp` in the bare run
        # (the Engine imports these at its first load, after the window is painted)
        runtime.llama_cpp()
        import app.backend.chat_template
        import app.backend.gguf_file
        import app.backend.probe
        import app.backend.templates
        import app.backend.threads  # noqa: F401
        engine = Engine()
        started = time.perf_counter()
        engine.load(path, LoadOptions(context_size=4096, threads=threads))
        load = time.perf_counter() - started
        rss = psutil.Process().memory_info().rss
        result = engine.chat([ChatMessage("user", PROMPT)],
                             GenerationParams(max_tokens=tokens, seed=seed, ignore_eos=True,
                                              prompt_lookup=False),
                             on_text=lambda _text: stamps.append(time.perf_counter()))
        count = result.completion_tokens
        engine.close()
    print(json.dumps({"tokens": count, "pieces": len(stamps), "first": stamps[0],
                      "last": stamps[-1], "load_seconds": load, "rss": rss}))


if __name__ == "__main__":
    main()
