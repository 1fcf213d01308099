"""A fake engine for fast GUI-logic tests.  Every feature also has a test through
the real engine; this one only makes timing and failures easy to arrange."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from app.backend.engine import (
    ChatMessage,
    ContextFit,
    GenerationParams,
    GenerationResult,
    LoadOptions,
    ModelFacts,
    effective_context,
)
from app.backend.errors import LlamaDeskError, ModelFileError, NoModelError


def fake_facts(path: str = "/models/fake.gguf") -> ModelFacts:
    return ModelFacts(
        path=path, name="Fake", architecture="llama", parameter_count=1_000_000_000,
        quantization="Q4_K_M", file_size=1, trained_context=8192, context_size=4096,
        has_chat_template=True, template_source="gguf", template_note=None, backend="CPU",
        gpu_layers=0, total_layers=17, threads=1, load_seconds=0.0,
    )


class FakeEngine:
    """Records what it is asked (messages, generation parameters, context lengths),
    and fails where the real engine does: a ModelFileError before the model in use
    is closed (the header check), any other load error after it."""

    def __init__(self, words: Sequence[str] = ("Hello", " there", "!"), delay: float = 0.0,
                 load_error: LlamaDeskError | None = None) -> None:
        self.words = list(words)
        self.delay = delay
        self.load_error = load_error
        self.requests: list[tuple[ChatMessage, ...]] = []
        self.prefixes: list[str] = []  # the answer beginnings it was asked to go on from
        self.prompt_steps: list[float] = []  # prompt reading progress it reports
        self.params: list[GenerationParams] = []
        self.loads: list[tuple[str, LoadOptions]] = []
        self.threads: set[int] = set()
        self.closed = False
        self.started = threading.Event()
        self._facts: ModelFacts | None = None

    def load(self, path: str, options: LoadOptions | None = None,
             on_progress: Callable[[float], None] | None = None) -> ModelFacts:
        options = options or LoadOptions()
        self.threads.add(threading.get_ident())
        self.loads.append((str(path), options))
        if on_progress is not None:
            on_progress(0.5)
        if self.load_error is not None:
            self.fail(self.load_error)
        facts = fake_facts(str(path))
        self._facts = replace(facts, context_size=effective_context(
            options.context_size, facts.trained_context), gpu_layers=options.gpu_layers)
        return self._facts

    def fail(self, error: LlamaDeskError) -> None:
        if not isinstance(error, ModelFileError):
            self._facts = None  # llama.cpp failed after the model in use was closed
        raise error

    def use_context(self, size: int) -> ModelFacts | None:
        if self._facts is None:
            raise NoModelError("No model is loaded.")
        context = effective_context(size, self._facts.trained_context)
        if context == self._facts.context_size:
            return None
        self._facts = replace(self._facts, context_size=context)
        return self._facts

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        prefix: str = "",
        on_prompt: Callable[[float], None] | None = None,
    ) -> GenerationResult:
        self.threads.add(threading.get_ident())
        self.requests.append(tuple(messages))
        self.prefixes.append(prefix)
        for fraction in self.prompt_steps:  # a prompt read in batches
            if on_prompt is not None:
                on_prompt(fraction)
            time.sleep(self.delay)
        self.params.append(params or GenerationParams())
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
            seed=1, context_used=10 + len(written), context_size=self.context_size,
        )

    @property
    def context_size(self) -> int:
        return self._facts.context_size if self._facts else 4096

    @property
    def facts(self) -> ModelFacts | None:
        return self._facts

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(len(m.content.split()) + 4 for m in messages)

    def fit_context(self, messages: Sequence[ChatMessage], max_tokens: int,
                    keep_from: int = 0) -> ContextFit:
        return ContextFit(keep_from, self.count_tokens(messages), self.context_size,
                          min(max_tokens, 1024))

    def close(self) -> None:
        self.threads.add(threading.get_ident())
        self.closed = True
        self._facts = None
