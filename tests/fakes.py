"""A fake engine for fast GUI-logic tests.  Every feature also has a test through
the real engine; this one only makes timing and failures easy to arrange."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from app.backend.engine import (
    ChatMessage,
    ContextFit,
    GenerationParams,
    GenerationResult,
    LoadOptions,
    ModelFacts,
)
from app.backend.errors import LlamaDeskError


def fake_facts(path: str = "/models/fake.gguf") -> ModelFacts:
    return ModelFacts(
        path=path, name="Fake", architecture="llama", parameter_count=1_000_000_000,
        quantization="Q4_K_M", file_size=1, trained_context=8192, context_size=4096,
        has_chat_template=True, template_source="gguf", template_note=None, backend="CPU",
        gpu_layers=0, total_layers=17, threads=1, load_seconds=0.0,
    )


class FakeEngine:
    def __init__(self, words: Sequence[str] = ("Hello", " there", "!"), delay: float = 0.0,
                 load_error: LlamaDeskError | None = None) -> None:
        self.words = list(words)
        self.delay = delay
        self.load_error = load_error
        self.requests: list[tuple[ChatMessage, ...]] = []
        self.threads: set[int] = set()
        self.closed = False
        self.started = threading.Event()

    def load(self, path: str, options: LoadOptions | None = None,
             on_progress: Callable[[float], None] | None = None) -> ModelFacts:
        self.threads.add(threading.get_ident())
        if on_progress is not None:
            on_progress(0.5)
        if self.load_error:
            raise self.load_error
        return fake_facts(path)

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        self.threads.add(threading.get_ident())
        self.requests.append(tuple(messages))
        self.started.set()
        written = []
        finish = "stop"
        for word in self.words:
            if cancel is not None and cancel.is_set():
                finish = "cancelled"
                break
            written.append(word)
            if on_text:
                on_text(word)
            if self.delay:
                time.sleep(self.delay)
        return GenerationResult(
            text="".join(written), finish_reason=finish,  # type: ignore[arg-type]
            prompt_tokens=10, prompt_evaluated=10, completion_tokens=len(written),
            prompt_seconds=0.01, decode_tokens=len(written), decode_seconds=0.5,
            seed=1, context_used=10 + len(written), context_size=4096,
        )

    @property
    def facts(self) -> ModelFacts | None:
        return fake_facts()

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(len(m.content.split()) + 4 for m in messages)

    def fit_context(self, messages: Sequence[ChatMessage], max_tokens: int,
                    keep_from: int = 0) -> ContextFit:
        return ContextFit(keep_from, self.count_tokens(messages), 4096, min(max_tokens, 1024))

    def close(self) -> None:
        self.threads.add(threading.get_ident())
        self.closed = True
