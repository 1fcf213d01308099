"""The engine: one loaded GGUF model and streamed chat completions from it.

Not thread-safe, like the ``Llama`` object under it: one thread owns an Engine
(the worker thread in the GUI, the main thread on the command line).  The only
thing another thread may touch is a request's ``cancel`` event.
"""

from __future__ import annotations

import ctypes
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from app.backend.errors import (
    ContextOverflowError,
    GenerationError,
    ModelLoadError,
    NoModelError,
    TemplateError,
)
from app.backend.schema import default
from app.backend.words import Said, said, words_of

if TYPE_CHECKING:
    from app.backend.gguf_file import GGUFInfo
    from app.backend.templates import ChatTemplate
    from app.backend.threads import ThreadGovernor

log = logging.getLogger(__name__)

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "cancelled"]
_ABORTED = "llama_decode returned 2"


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class LoadOptions:
    """How to load a model (defaults and meanings: app/backend/schema.py)."""

    context_size: int = default("context_size")
    threads: int = default("threads")
    gpu_layers: int = default("gpu_layers")


@dataclass(frozen=True)
class GenerationParams:
    """How to write an answer (defaults and meanings: app/backend/schema.py)."""

    max_tokens: int = default("max_tokens")
    temperature: float = default("temperature")
    top_p: float = default("top_p")
    top_k: int = default("top_k")
    min_p: float = default("min_p")
    repeat_penalty: float = default("repeat_penalty")
    seed: int | None = default("seed")  # None: a fresh random seed per request
    prompt_lookup: bool = default("prompt_lookup")  # drafts copied from the chat (lookup.py)
    # Not settings: what a caller asks of one answer.
    grammar: str | None = None  # GBNF, to constrain the answer's form
    stop: tuple[str, ...] = ()  # the answer ends before any of these (besides the template's)
    presence_penalty: float = 0.0  # as in the OpenAI API: -2 to 2
    frequency_penalty: float = 0.0
    ignore_eos: bool = False  # write until max_tokens (benchmarks, tests)


def effective_context(requested: int, trained: int | None) -> int:
    """The context a model gets: what was asked, at most what it was trained for."""
    return min(requested, trained) if trained else requested


@dataclass(frozen=True)
class ModelFacts:
    """What the app shows about a loaded model."""

    path: str
    name: str
    architecture: str
    parameter_count: int
    quantization: str
    file_size: int
    trained_context: int | None
    context_size: int
    has_chat_template: bool
    template_source: str
    template_note: str | None
    backend: str
    gpu_layers: int
    total_layers: int
    threads: int
    load_seconds: float
    fallback: str | None = None  # why the GPU build of llama.cpp is not in use, if not
    location: str | None = None  # the remote engine answers come from; None: this computer
    automatic_threads: bool = False  # the count follows the machine's load (threads.py)

    @property
    def backend_label(self) -> str:
        if self.location is not None:
            return said("on {location}", location=self.location)
        if self.backend == "CPU" or self.gpu_layers == 0:
            if self.automatic_threads:
                return said("CPU, automatic threads")
            if self.threads == 1:
                return said("CPU, 1 thread")
            return said("CPU, {threads} threads", threads=self.threads)
        return said("{backend}, {gpu_layers}/{total_layers} layers", backend=self.backend,
                    gpu_layers=self.gpu_layers, total_layers=self.total_layers)

    @property
    def size_label(self) -> str:
        count = self.parameter_count
        if count <= 0:
            return "size unknown"
        if count >= 1e9:
            return f"{count / 1e9:.1f}B"
        return f"{count / 1e6:.0f}M"


@dataclass(frozen=True)
class GenerationResult:
    text: str
    finish_reason: FinishReason
    prompt_tokens: int
    prompt_evaluated: int  # prompt tokens llama.cpp evaluated: fewer when a prefix was cached
    completion_tokens: int  # tokens sampled for the answer
    prompt_seconds: float
    decode_tokens: int  # tokens llama.cpp evaluated after the prompt
    decode_seconds: float
    seed: int
    context_used: int
    context_size: int

    @property
    def tokens_per_second(self) -> float:
        if self.decode_seconds <= 0:
            return 0.0
        return self.decode_tokens / self.decode_seconds


@dataclass(frozen=True)
class ContextFit:
    """Which messages go to the model: the system prompt (if any) always, then the
    turns from ``first_turn`` on; older turns are outside the context."""

    first_turn: int  # index into the turns (messages after the system prompt)
    tokens: int  # prompt tokens of what is sent
    context_size: int
    reserve: int  # tokens kept free for the answer

    @property
    def trimmed(self) -> bool:
        return self.first_turn > 0

    def apply(self, messages: Sequence[ChatMessage]) -> list[ChatMessage]:
        """The messages that are sent: the system prompt, then the kept turns."""
        system = list(messages[:1]) if messages and messages[0].role == "system" else []
        return [*system, *messages[len(system):][self.first_turn:]]


def fit_turns(messages: Sequence[ChatMessage], max_tokens: int, keep_from: int, size: int,
              count_tokens: Callable[[Sequence[ChatMessage]], int]) -> ContextFit:
    """Choose the turns that fit a context of ``size`` with room for the answer.

    The system prompt never leaves; the oldest turns do, starting at a user
    turn.  ``keep_from`` is the previous first turn: kept while it still fits,
    so the cached prefix stays valid.  ContextOverflowError if even the last
    turn alone does not fit.
    """
    reserve = max(1, min(max_tokens, size // 4))
    budget = size - reserve
    system = list(messages[:1]) if messages and messages[0].role == "system" else []
    turns = list(messages[len(system):])
    if not turns:
        return ContextFit(0, count_tokens(system), size, reserve)

    def tokens_from(start: int) -> int:
        return count_tokens([*system, *turns[start:]])

    starts = [i for i, m in enumerate(turns) if m.role == "user" and i >= keep_from] or [
        len(turns) - 1]
    first = tokens_from(starts[0])
    if first <= budget:
        return ContextFit(starts[0], first, size, reserve)
    last = tokens_from(starts[-1])
    if last > budget:
        raise ContextOverflowError(said(
            "The last message needs {needed:,} tokens with the system prompt, but the "
            "context holds {size:,} and {reserve:,} are kept for the answer. Shorten "
            "the message (or the system prompt), or choose a larger context length.",
            needed=last, size=size, reserve=reserve))
    # The earliest start that leaves TRIM_TARGET of the budget: binary search,
    # since later starts send fewer tokens.
    target = int(budget * TRIM_TARGET)
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high) // 2
        if tokens_from(starts[middle]) <= target:
            high = middle
        else:
            low = middle + 1
    chosen = starts[low]
    return ContextFit(chosen, tokens_from(chosen), size, reserve)


# When turns must leave the context, leave room for this share of the budget, so
# the next turns reuse the cached prefix instead of trimming (and re-evaluating) again.
TRIM_TARGET = 0.75
# KV snapshots of conversations the user left (see Engine._switch_state).
STATE_CACHE_BYTES = 1 << 30
MAX_TEMPLATE_LENGTH = 1 << 20  # characters; real chat templates are under 100,000
MIN_STATE_TOKENS = 128  # shorter histories are cheaper to evaluate again than to keep


class _StateCache:
    """KV-cache snapshots by token sequence, least recently used dropped first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.entries: dict[tuple[int, ...], tuple[Any, int]] = {}  # tokens -> (buffer, size)

    def best(self, prompt: Sequence[int]) -> tuple[tuple[int, ...] | None, int]:
        best_key, best_length = None, 0
        for key in self.entries:
            length = _common_prefix(key, prompt)
            if length > best_length:
                best_key, best_length = key, length
        return best_key, best_length

    def put(self, tokens: tuple[int, ...], buffer: Any, size: int) -> None:
        if size > self.capacity:
            return
        self.entries.pop(tokens, None)
        self.entries[tokens] = (buffer, size)
        while sum(s for _b, s in self.entries.values()) > self.capacity:
            del self.entries[next(iter(self.entries))]

    def take(self, tokens: tuple[int, ...]) -> tuple[Any, int]:
        return self.entries.pop(tokens)

    def clear(self) -> None:
        self.entries.clear()


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


class Engine:
    """Owns at most one loaded model."""

    def __init__(self) -> None:
        self._llm: Any = None
        self._facts: ModelFacts | None = None
        self._template: ChatTemplate | None = None
        self._formatter: Any = None
        self._cancel: threading.Event | None = None
        # Told the size of each batch llama.cpp decodes while a prompt is read
        self._prompt_read: Callable[[int], None] | None = None
        self._abort_callback: Any = None
        self._no_abort_callback: Any = None
        self._states = _StateCache(STATE_CACHE_BYTES)
        self._options = LoadOptions()
        # Automatic threads: the count follows how busy the machine is (threads.py)
        self._governor: ThreadGovernor | None = None
        self._threads_now = 0
        # True while an answer with prompt lookup is written: its batches (the token
        # just chosen and a draft) need llama.cpp's logits at every position
        self._drafting = False

    @property
    def facts(self) -> ModelFacts | None:
        return self._facts

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def load(self, path: str | Path, options: LoadOptions | None = None,
             on_progress: Callable[[float], None] | None = None,
             probe_files: bool = True) -> ModelFacts:
        """Check and load a GGUF; replaces the model loaded before, if any.

        ``on_progress(fraction)`` is called as llama.cpp reads the weights.
        """
        # What loading needs is imported by the first load (on the engine thread, after
        # the window is painted), not by every importer of this module.
        from app.backend import probe, runtime
        from app.backend.gguf_file import read_gguf
        from app.backend.threads import ThreadGovernor

        options = options or LoadOptions()
        info = read_gguf(path)  # refuses broken files before llama.cpp sees them
        llama_cpp = runtime.llama_cpp()
        if probe_files:
            probe.ensure_loadable(info.path)  # a file that aborts llama.cpp aborts a child
        self.close()
        threads = runtime.choose_threads(options.threads)
        context = effective_context(options.context_size, info.context_length)
        offload_lines: list[str] = []
        errors: list[str] = []

        def listen(level: int, line: str) -> None:
            if "offloaded" in line and "layers to GPU" in line:
                offload_lines.append(line)
            if level >= logging.ERROR:
                errors.append(line.strip())

        remove_listener = runtime.add_log_listener(listen)
        started = time.perf_counter()
        try:
            with runtime.load_progress(on_progress):
                llm = runtime.new_llama(
                    model_path=str(info.path),
                    n_ctx=context,
                    n_threads=threads,
                    n_threads_batch=threads,
                    n_gpu_layers=options.gpu_layers,
                    verbose=True,  # False would silence stdout/stderr; see runtime.py
                )
        except (ValueError, RuntimeError, OSError) as error:
            reason = "; ".join(errors[-3:]) or str(error)
            raise ModelLoadError(said(
                "llama.cpp could not load {name}: {reason}. The file may be damaged, too large "
                "for this computer's memory, or made for a newer llama.cpp.",
                name=info.path.name, reason=reason)) from error
        finally:
            remove_listener()
        load_seconds = time.perf_counter() - started
        self._llm = llm
        self._options = options
        self._template, self._formatter = self._template_for(llama_cpp, info)
        self._install_abort_callback(llama_cpp)
        self._count_prompt_batches(llm)
        self._ask_logits_for_drafts(llm)
        self._threads_now = threads
        self._governor = ThreadGovernor(runtime.MAX_AUTO_THREADS) \
            if options.threads <= 0 else None
        info_backend = runtime.runtime_info().backend
        total_layers = int(info.metadata.get(f"{info.architecture}.block_count", 0) or 0) + 1
        self._facts = ModelFacts(
            path=str(info.path),
            name=info.name,
            architecture=info.architecture,
            parameter_count=info.parameter_count,
            quantization=info.quantization,
            file_size=info.file_size,
            trained_context=info.context_length,
            context_size=int(llm.n_ctx()),
            has_chat_template=info.chat_template is not None,
            template_source=self._template.source,
            template_note=self._template.note,
            backend=info_backend,
            gpu_layers=_offloaded_layers(offload_lines, info_backend, options.gpu_layers,
                                         total_layers),
            total_layers=total_layers,
            threads=threads,
            load_seconds=load_seconds,
            fallback=runtime.fallback_reason(),
            automatic_threads=options.threads <= 0,
        )
        log.info("loaded %s in %.2f s: %s", info.path, load_seconds, self._facts)
        if self._template.note:
            log.warning("%s: %s", info.path.name, self._template.note)
        return self._facts

    def use_context(self, size: int) -> ModelFacts | None:
        """Give the loaded model a context of ``size`` tokens (at most its trained one).

        llama.cpp fixes a context's size when it creates it, so a different size
        means loading the model again with the same options (the file is mapped
        and in the page cache: about 0.1 s for the built-in model; the saved KV
        snapshots are dropped).  Returns the new facts, or None if the size was
        already right.
        """
        facts = self._facts
        if facts is None:
            raise NoModelError(said("No model is loaded. Choose a model first."))
        trained = facts.trained_context
        if effective_context(size, trained) == effective_context(self._options.context_size,
                                                                 trained):
            return None
        return self.load(facts.path, replace(self._options, context_size=size))

    def close(self) -> None:
        """Free the model.  Call only when no generation is running."""
        if self._llm is not None:
            llm, self._llm = self._llm, None
            self._facts = None
            self._states.clear()
            llm.close()

    # -- prompts -------------------------------------------------------------

    def render_prompt(self, messages: Sequence[ChatMessage]) -> str:
        """The prompt text exactly as the model will read it."""
        return str(self._format(messages).prompt)

    def prompt_tokens(self, messages: Sequence[ChatMessage]) -> list[int]:
        return self._tokenize(self._format(messages))

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens the messages take, rendered with the model's template."""
        return len(self.prompt_tokens(messages))

    def fit_context(self, messages: Sequence[ChatMessage], max_tokens: int,
                    keep_from: int = 0) -> ContextFit:
        """Choose the turns that fit with room for the answer (see fit_turns)."""
        llm = self._require_model()
        return fit_turns(messages, max_tokens, keep_from, int(llm.n_ctx()), self.count_tokens)

    # -- generation ----------------------------------------------------------

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        prefix: str = "",
        on_prompt: Callable[[float], None] | None = None,
    ) -> GenerationResult:
        """Stream an answer, calling ``on_text`` with each piece of valid text.

        Setting ``cancel`` (from any thread) ends the answer within one token, or
        interrupts the prompt evaluation; what was written so far is returned.
        ``prefix``: the beginning of the answer, already written (Continue): the
        model reads it after the template's answer header and goes on from there.
        ``on_prompt(fraction)``: how much of the prompt llama.cpp has read, after each
        batch, when reading it takes more than one batch.
        """
        formatted = self._format(messages)
        template = self._template
        assert template is not None
        tokens = self._tokenize(formatted)
        if prefix:
            llm = self._require_model()
            tokens += list(llm.tokenize(prefix.encode("utf-8"), add_bos=False,
                                        special=False))
        return self._generate(
            tokens, [*(formatted.stop or []), *template.stop],
            formatted.stopping_criteria, params or GenerationParams(), on_text, cancel,
            on_prompt)

    def complete(
        self,
        prompt: str,
        params: GenerationParams | None = None,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Continue ``prompt`` as raw text, with no chat template (the API's
        /v1/completions).  Otherwise as ``chat``."""
        llm = self._require_model()
        tokens = list(llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True))
        return self._generate(tokens, [], None, params or GenerationParams(), on_text, cancel)

    def _generate(
        self,
        prompt: list[int],
        template_stop: list[str],
        template_stopping: Any,
        params: GenerationParams,
        on_text: Callable[[str], None] | None,
        cancel: threading.Event | None,
        on_prompt: Callable[[float], None] | None = None,
    ) -> GenerationResult:
        from app.backend import runtime

        llm = self._require_model()
        llama_cpp = runtime.llama_cpp()
        cancel = cancel or threading.Event()
        context_size = int(llm.n_ctx())
        if len(prompt) >= context_size:
            raise ContextOverflowError(said(
                "The conversation needs {needed:,} tokens but the model's context holds "
                "{size:,}. Shorten the message or start a new chat.", needed=len(prompt),
                size=context_size))
        max_tokens = max(1, min(params.max_tokens, context_size - len(prompt)))
        if params.seed is not None:
            seed = params.seed
        else:
            import secrets  # hmac and OpenSSL's hashes with it: not at start-up

            seed = secrets.randbelow(2**31 - 1)
        stop = list(dict.fromkeys([*template_stop, *params.stop]))
        grammar = llama_cpp.LlamaGrammar.from_string(params.grammar, verbose=False) \
            if params.grammar else None

        sampled = [0]
        lookup = None
        if params.prompt_lookup:
            from app.backend.lookup import PromptLookup

            lookup = PromptLookup()
        prompt_done: list[Any] = []  # llama.cpp's counters once the prompt is read

        def stopping(tokens: Any, logits: Any) -> bool:
            # Runs after each sampled token.  The prompt is evaluated by now, so
            # the abort callback (a Python call at every graph node) goes away.
            if sampled[0] == 0:
                llama_cpp.llama_set_abort_callback(llm.ctx, self._no_abort_callback, None)
                self._prompt_read = None
                prompt_done.append(llama_cpp.llama_perf_context(llm.ctx))
                self._drafting = lookup is not None
            sampled[0] += 1
            if self._governor is not None and self._governor.due():
                self._use_threads(llama_cpp, llm, self._governor.choose())
            return cancel.is_set() or bool(
                template_stopping and template_stopping(tokens, logits))

        logit_bias = {token: float("-inf") for token in self._end_tokens()} \
            if params.ignore_eos else None
        pieces: list[str] = []
        finish: FinishReason = "stop"
        self._cancel = cancel
        self._switch_state(llama_cpp, prompt)
        to_read = 0 if on_prompt is None else len(prompt) - _common_prefix(
            tuple(int(t) for t in llm.input_ids[: llm.n_tokens]), prompt)
        if on_prompt is not None and to_read > int(llm.n_batch):
            done = [0]

            def read(tokens: int) -> None:
                done[0] += tokens
                on_prompt(min(1.0, done[0] / to_read))

            self._prompt_read = read
        if self._governor is not None:
            self._use_threads(llama_cpp, llm, self._governor.choose())
        llama_cpp.llama_set_abort_callback(llm.ctx, self._abort_callback, None)
        llama_cpp.llama_perf_context_reset(llm.ctx)
        llm.draft_model = lookup
        try:
            stream = llm.create_completion(
                prompt=prompt,
                max_tokens=max_tokens,
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                presence_penalty=params.presence_penalty,
                frequency_penalty=params.frequency_penalty,
                seed=seed,
                stop=stop,
                stopping_criteria=llama_cpp.StoppingCriteriaList([stopping]),
                grammar=grammar,
                logit_bias=logit_bias,
                stream=True,
            )
            for chunk in stream:
                choice = chunk["choices"][0]
                text = choice.get("text") or ""
                if text:
                    pieces.append(text)
                    if on_text is not None:
                        on_text(text)
                if choice.get("finish_reason") == "length":
                    finish = "length"
        except RuntimeError as error:
            if _ABORTED not in str(error) or not cancel.is_set():
                raise GenerationError(said(
                    "llama.cpp failed while generating: {error}. What was written is kept.",
                    error=error)) from error
        finally:
            llama_cpp.llama_set_abort_callback(llm.ctx, self._no_abort_callback, None)
            self._cancel = None
            self._prompt_read = None
            self._drafting = False
            llm.draft_model = None
        if cancel.is_set():
            finish = "cancelled"
        perf = llama_cpp.llama_perf_context(llm.ctx)
        at_prompt_end = prompt_done[0] if prompt_done else perf
        # The library samples one token past the answer's end (the end-of-turn
        # token, the one past max_tokens, or the one after a stop) and drops it.
        completion_tokens = max(0, sampled[0] - 1)
        if lookup is not None:
            # llama.cpp counts a batch of drafts as prompt reading: the answer's
            # decoding is everything after the prompt, for the tokens written
            decode_tokens = completion_tokens
            decode_ms = float(perf.t_eval_ms) + float(perf.t_p_eval_ms) - float(
                at_prompt_end.t_p_eval_ms)
            log.debug("prompt lookup: %d of %d drafted tokens kept", lookup.kept,
                      lookup.drafted)
        else:
            decode_tokens, decode_ms = int(perf.n_eval), float(perf.t_eval_ms)
        return GenerationResult(
            text="".join(pieces),
            finish_reason=finish,
            prompt_tokens=len(prompt),
            prompt_evaluated=int(at_prompt_end.n_p_eval),
            completion_tokens=completion_tokens,
            prompt_seconds=float(at_prompt_end.t_p_eval_ms) / 1000,
            decode_tokens=decode_tokens,
            decode_seconds=decode_ms / 1000,
            seed=seed,
            context_used=int(llm.n_tokens),
            context_size=context_size,
        )

    # -- internals -----------------------------------------------------------

    def _use_threads(self, llama_cpp: Any, llm: Any, count: int) -> None:
        """Decode and read prompts with ``count`` threads from the next batch on."""
        if count != self._threads_now:
            llama_cpp.llama_set_n_threads(llm.ctx, count, count)
            log.debug("threads: %d -> %d", self._threads_now, count)
            self._threads_now = count

    @property
    def threads_now(self) -> int:
        """The thread count in use (automatic: what the machine's load allows now)."""
        return self._threads_now

    def _require_model(self) -> Any:
        if self._llm is None:
            raise NoModelError(said("No model is loaded. Choose a model first."))
        return self._llm

    def _format(self, messages: Sequence[ChatMessage]) -> Any:
        self._require_model()
        try:
            return self._formatter(messages=[{"role": m.role, "content": m.content}
                                             for m in messages])
        except Exception as error:  # a template's raise_exception, or a Jinja error
            raise TemplateError(said(
                "The model's chat template rejected this conversation: {error}",
                error=error)) from error

    def _tokenize(self, formatted: Any) -> list[int]:
        """Tokens of a rendered prompt; the template supplies BOS where it wants one."""
        llm = self._require_model()
        return list(llm.tokenize(formatted.prompt.encode("utf-8"),
                                 add_bos=not formatted.added_special, special=True))

    def _switch_state(self, llama_cpp: Any, prompt: list[int]) -> None:
        """Keep the KV cache of a conversation the user leaves; bring it back later.

        llama.cpp reuses only the prefix the new prompt shares with what is in its
        cache.  When the prompt shares less than half of it (another chat), the
        cache is snapshotted first (0.1-0.3 s), and a snapshot that shares more of
        the prompt than the live cache does is restored: coming back to a long chat
        then costs a restore instead of evaluating the whole history again.
        """
        llm = self._llm
        current = tuple(int(t) for t in llm.input_ids[: llm.n_tokens])
        shared = _common_prefix(current, prompt)
        if shared * 2 >= len(current):
            return  # a follow-up, a regenerate or an edit: the live cache serves
        saved, saved_shared = self._states.best(prompt)
        if len(current) >= MIN_STATE_TOKENS:
            size = int(llama_cpp.llama_state_get_size(llm.ctx))
            buffer = (ctypes.c_uint8 * size)()
            written = int(llama_cpp.llama_state_get_data(llm.ctx, buffer, size))
            self._states.put(current, buffer, written)
        if saved is None or saved_shared < shared + MIN_STATE_TOKENS:
            return
        buffer, size = self._states.take(saved)
        if int(llama_cpp.llama_state_set_data(llm.ctx, buffer, size)) != size:
            log.warning("could not restore a saved KV cache; evaluating the prompt instead")
            llm.reset()
            return
        llm.input_ids[: len(saved)] = saved
        llm.n_tokens = len(saved)
        llm._requires_eval = True
        log.debug("restored the KV cache of %d tokens", len(saved))

    def _end_tokens(self) -> list[int]:
        """Every token that ends a turn (EOS, EOT, <|im_end|>, ...)."""
        from app.backend import runtime

        llm = self._require_model()
        vocab = llm._model.vocab
        is_end = runtime.llama_cpp().llama_vocab_is_eog
        return [token for token in range(llm.n_vocab()) if is_end(vocab, token)]

    def _is_special_token(self, text: str) -> bool:
        tokens = self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
        return len(tokens) == 1

    def _template_for(self, llama_cpp: Any, info: GGUFInfo) -> tuple[ChatTemplate, Any]:
        """The model's template, or the best guess with a note when it cannot be used."""
        from app.backend.templates import choose_template

        name = f"{info.name} {info.path.name}"
        own = info.chat_template
        problem: str | None = None
        if own is not None and len(own) > MAX_TEMPLATE_LENGTH:
            problem = said("it is {length:,} characters long", length=len(own))
        elif own is not None:
            template = choose_template(own, name, self._is_special_token)
            try:
                formatter = self._make_formatter(llama_cpp, template)
                formatter(messages=[{"role": "user", "content": "Hello"}])  # a first render
                return template, formatter
            except Exception as error:  # any Jinja or template error: use a guess
                words = words_of(error)  # a limit's own sentence (chat_template.py)
                problem = words if isinstance(words, Said) and len(words) <= 200 else \
                    str(error)[:200] or type(error).__name__
        guess = choose_template(None, name, self._is_special_token)
        if problem is not None:
            log.warning("chat template of %s unusable: %s", info.path.name, problem)
            guess = replace(guess, note=said(
                "This model's own chat template cannot be used ({problem}); LlamaDesk uses "
                "the {source} format instead. Answers may be poorer; a newer GGUF "
                "conversion of the model usually fixes its template.", problem=problem,
                source=guess.source))
        return guess, self._make_formatter(llama_cpp, guess)

    def _make_formatter(self, llama_cpp: Any, template: ChatTemplate) -> Any:
        llm = self._llm
        eos, bos = llm.token_eos(), llm.token_bos()
        model = llm._model
        from app.backend import runtime
        from app.backend.chat_template import limited_formatter  # Jinja: at load, not start

        return limited_formatter(
            runtime.real_jinja_formatter(),
            template=template.template,
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "",
            stop_token_ids=[eos] if eos != -1 else None,
        )

    def _count_prompt_batches(self, llm: Any) -> None:
        """llama-cpp-python reads a prompt in batches through its context's decode: each
        one, while a prompt is read, is reported (prompt reading progress)."""
        context = llm._ctx
        decode = context.decode

        def counted(batch: Any) -> None:
            decode(batch)
            read = self._prompt_read
            if read is not None:
                read(int(batch.batch.n_tokens))

        context.decode = counted

    def _ask_logits_for_drafts(self, llm: Any) -> None:
        """With a draft model, llama-cpp-python keeps the logits of every position of
        the whole context (logits_all: n_ctx x n_vocab floats, 4 GiB for Llama 3 at 8k,
        and the prompt read with logits it never needs).  The Engine instead asks
        llama.cpp for every position's logits only in the batches of an answer being
        written with drafts; the bindings' sampler reads them from llama.cpp."""
        set_batch = llm._batch.set_batch

        def with_draft_logits(batch: Sequence[int], n_past: int, logits_all: bool) -> None:
            set_batch(batch=batch, n_past=n_past, logits_all=logits_all or self._drafting)

        llm._batch.set_batch = with_draft_logits

    def _install_abort_callback(self, llama_cpp: Any) -> None:
        def should_abort(_data: ctypes.c_void_p) -> bool:
            cancel = self._cancel
            return cancel is not None and cancel.is_set()

        # Keep references: ctypes callbacks must outlive their use in C.
        self._abort_callback = llama_cpp.ggml_abort_callback(should_abort)
        self._no_abort_callback = llama_cpp.ggml_abort_callback(0)


def _offloaded_layers(lines: list[str], backend: str, requested: int, total: int) -> int:
    """Layers on the GPU, from llama.cpp's own log line when it wrote one."""
    for line in reversed(lines):
        match = re.search(r"offloaded (\d+)/(\d+) layers", line)
        if match:
            return int(match.group(1))
    if backend == "CPU":
        return 0
    return total if requested < 0 else min(requested, total)

