"""The engine against the real llama.cpp and the real built-in model."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from app.backend import runtime
from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
from app.backend.errors import ContextOverflowError, ModelFileError, NoModelError

pytestmark = pytest.mark.real_model

QUESTION = [ChatMessage("system", "You are a helpful assistant."),
            ChatMessage("user", "Write three sentences about the sea.")]


def test_model_facts(engine: Engine, builtin_path: Path):
    facts = engine.facts
    assert facts is not None
    assert facts.path == str(builtin_path)
    assert facts.architecture == "llama"
    assert facts.quantization == "Q4_1"
    assert facts.trained_context == 8192
    assert facts.context_size == 2048
    assert facts.has_chat_template and facts.template_source == "gguf"
    assert facts.template_note is None
    assert facts.backend == "CPU" and facts.gpu_layers == 0
    assert facts.threads == 1
    assert facts.size_label == "135M"


def test_streams_an_answer(engine: Engine):
    pieces: list[str] = []
    result = engine.chat(QUESTION, GenerationParams(max_tokens=48, seed=7),
                         on_text=pieces.append)
    assert len(pieces) > 5  # it streamed, not one lump
    assert "".join(pieces) == result.text
    assert len(result.text.split()) >= 5
    assert result.completion_tokens >= len(pieces) - 1
    assert result.finish_reason in ("stop", "length")
    assert result.prompt_tokens == engine.count_tokens(QUESTION)
    assert result.tokens_per_second > 0
    assert result.context_used >= result.prompt_tokens
    assert result.context_size == 2048


def test_same_seed_same_answer_and_fresh_seed_by_default(engine: Engine):
    params = GenerationParams(max_tokens=24, seed=1234, temperature=1.0)
    first = engine.chat(QUESTION, params)
    second = engine.chat(QUESTION, params)
    assert first.text == second.text and first.seed == second.seed == 1234
    free = GenerationParams(max_tokens=24, temperature=1.0)
    seeds = {engine.chat(QUESTION, free).seed for _ in range(3)}
    assert len(seeds) == 3


def test_stop_mid_answer_keeps_the_text_and_the_engine_works_after(engine: Engine):
    cancel = threading.Event()
    pieces: list[str] = []

    def on_text(text: str) -> None:
        pieces.append(text)
        if len(pieces) == 4:
            cancel.set()

    stopped = engine.chat(QUESTION, GenerationParams(max_tokens=200, seed=5),
                          on_text=on_text, cancel=cancel)
    assert stopped.finish_reason == "cancelled"
    assert stopped.text == "".join(pieces)
    assert 4 <= len(pieces) <= 5  # within one token of the request
    assert stopped.completion_tokens <= 6

    params = GenerationParams(max_tokens=30, seed=5)
    after = engine.chat(QUESTION, params)
    assert after.finish_reason != "cancelled" and after.text
    assert after.text.startswith(stopped.text)  # same seed: same start


def test_stop_during_a_long_prompt_evaluation(engine: Engine):
    """A long prompt is interrupted part-way, not evaluated to the end first."""
    long_prompt = [ChatMessage("user", "Summarise this. " + "The tide comes in. " * 350)]
    tokens = engine.count_tokens(long_prompt)
    assert tokens > 1500
    full = engine.chat(long_prompt, GenerationParams(max_tokens=1, seed=1))
    engine.chat([ChatMessage("user", "hi")], GenerationParams(max_tokens=1))  # clear the cache

    cancel = threading.Event()
    timer = threading.Timer(full.prompt_seconds / 5, cancel.set)
    started = time.perf_counter()
    timer.start()
    result = engine.chat(long_prompt, GenerationParams(max_tokens=50, seed=1), cancel=cancel)
    elapsed = time.perf_counter() - started
    timer.join()
    assert result.finish_reason == "cancelled"
    assert result.text == ""
    assert result.completion_tokens == 0  # never got past the prompt
    assert elapsed < full.prompt_seconds * 0.8 + 0.5, (elapsed, full.prompt_seconds)

    again = engine.chat(QUESTION, GenerationParams(max_tokens=8, seed=2))
    assert again.text and again.finish_reason != "cancelled"


def test_counts_tokens_the_way_the_template_renders(engine: Engine):
    rendered = engine.render_prompt(QUESTION)
    assert rendered.startswith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>")
    assert rendered.endswith("<|im_start|>assistant\n")
    longer = [*QUESTION, ChatMessage("assistant", "Waves."), ChatMessage("user", "More.")]
    assert engine.count_tokens(longer) > engine.count_tokens(QUESTION)


def test_token_count_matches_what_llama_cpp_evaluates(builtin_path: Path):
    """On a fresh context llama.cpp evaluates exactly the counted prompt; a follow-up
    reuses the cached prefix and evaluates only the new turn."""
    fresh = Engine()
    try:
        fresh.load(builtin_path, LoadOptions(context_size=1024, threads=1))
        first = fresh.chat(QUESTION, GenerationParams(max_tokens=12, seed=1))
        assert first.prompt_evaluated == fresh.count_tokens(QUESTION) == first.prompt_tokens
        follow_up = [*QUESTION, ChatMessage("assistant", first.text),
                     ChatMessage("user", "And one about rivers.")]
        second = fresh.chat(follow_up, GenerationParams(max_tokens=4, seed=1))
        assert second.prompt_tokens == fresh.count_tokens(follow_up)
        assert second.prompt_evaluated < second.prompt_tokens - first.prompt_tokens + 5
    finally:
        fresh.close()


def test_multibyte_characters_arrive_whole(engine: Engine):
    """Emoji and CJK split across byte tokens never reach the caller as broken text."""
    target = "😀🎉 日本語のテキスト ✓"
    pieces: list[str] = []
    result = engine.chat([ChatMessage("user", "Say something.")],
                         GenerationParams(max_tokens=64, grammar=f'root ::= "{target}"'),
                         on_text=pieces.append)
    assert result.text == target
    assert all("\ufffd" not in piece for piece in pieces)
    assert len(pieces) > 3


def test_a_prompt_larger_than_the_context_is_refused(engine: Engine):
    huge = [ChatMessage("user", "word " * 5000)]
    with pytest.raises(ContextOverflowError, match="context holds 2,048"):
        engine.chat(huge)


def test_max_tokens_gives_finish_length(engine: Engine):
    result = engine.chat(QUESTION, GenerationParams(max_tokens=3, seed=3))
    assert result.finish_reason == "length"
    assert result.completion_tokens == 3


def test_not_a_gguf_is_refused_without_crashing(tmp_path: Path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"<html>404 not found</html>" * 100)
    engine = Engine()
    with pytest.raises(ModelFileError, match="not a GGUF model file"):
        engine.load(bad)
    assert not engine.loaded
    with pytest.raises(NoModelError):
        engine.chat(QUESTION)


def test_model_without_a_template_gets_its_own_format_and_a_note(untemplated_model: Path):
    engine = Engine()
    try:
        facts = engine.load(untemplated_model, LoadOptions(context_size=512, threads=1))
        assert not facts.has_chat_template
        assert facts.template_source == "chatml"  # its special tokens say ChatML, not Llama 2
        assert facts.template_note and "no chat template" in facts.template_note
        prompt = engine.render_prompt([ChatMessage("user", "Hi")])
        assert prompt == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        assert "[INST]" not in prompt
        result = engine.chat([ChatMessage("user", "Hi")], GenerationParams(max_tokens=8))
        assert result.completion_tokens > 0
    finally:
        engine.close()


def test_llama_log_goes_to_python_logging(builtin_path: Path, caplog: pytest.LogCaptureFixture):
    engine = Engine()
    with caplog.at_level("DEBUG", logger="llama.cpp"):
        engine.load(builtin_path, LoadOptions(context_size=256, threads=1))
    engine.close()
    messages = [r.getMessage() for r in caplog.records if r.name == "llama.cpp"]
    assert any("llama" in m and "model" in m for m in messages), messages[:5]
    assert runtime.LLAMA_LOG.name == "llama.cpp"


def test_flash_attention_is_off_on_the_cpu_and_auto_with_a_gpu(
        builtin_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch):
    """On the CPU it costs time deep in a chat (runtime.new_llama); with layers on a GPU
    it is llama.cpp's auto, which the bindings' on/off switch cannot say."""
    import llama_cpp

    def load_log(gpu_layers: int) -> list[str]:
        caplog.clear()
        engine = Engine()
        with caplog.at_level("DEBUG", logger="llama.cpp"):
            engine.load(builtin_path, LoadOptions(context_size=256, threads=1,
                                                  gpu_layers=gpu_layers))
        try:
            assert engine.chat([ChatMessage("user", "Hi")],
                               GenerationParams(max_tokens=4, temperature=0.0)).text
        finally:
            engine.close()
        return [r.getMessage() for r in caplog.records if r.name == "llama.cpp"]

    assert runtime.runtime_info().backend == "CPU"
    assert not runtime.flash_attention(-1) and not runtime.flash_attention(999)
    messages = load_log(-1)
    assert any("flash_attn" in m and "= disabled" in m for m in messages), messages
    # as on a GPU build: the bindings' "off" reads as auto for that load alone
    info = runtime.runtime_info()
    monkeypatch.setattr(runtime, "runtime_info", lambda: replace(info, backend="CUDA"))
    assert runtime.flash_attention(-1) and not runtime.flash_attention(0)
    messages = load_log(-1)
    assert any("flash_attn" in m and "= auto" in m for m in messages), messages
    assert llama_cpp.llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED == 0


def long_conversation(turns: int, words: int = 60) -> list[ChatMessage]:
    messages = [ChatMessage("system", "You are a pirate. Always answer like a pirate.")]
    for index in range(turns):
        messages.append(ChatMessage("user", f"Question {index}: " + "tell me more " * words))
        messages.append(ChatMessage("assistant", f"Answer {index}: " + "arr matey " * words))
    messages.append(ChatMessage("user", "What are you?"))
    return messages


def test_context_fit_drops_oldest_turns_and_keeps_the_system_prompt(builtin_path: Path):
    engine = Engine()
    try:
        engine.load(builtin_path, LoadOptions(context_size=1024, threads=1))
        messages = long_conversation(12)
        assert engine.count_tokens(messages) > 2000
        fit = engine.fit_context(messages, max_tokens=200)
        assert fit.trimmed and fit.first_turn % 2 == 0  # starts at a user turn
        sent = [messages[0], *messages[1:][fit.first_turn:]]
        assert fit.tokens == engine.count_tokens(sent) <= 1024 - fit.reserve
        prompt = engine.render_prompt(sent)
        assert prompt.startswith("<|im_start|>system\nYou are a pirate.")  # never dropped
        assert "Question 0:" not in prompt and "What are you?" in prompt
        result = engine.chat(sent, GenerationParams(max_tokens=8, seed=1))
        assert result.completion_tokens > 0

        # The next turn keeps the same first turn while it fits: the prefix is reused.
        longer = [*messages, ChatMessage("assistant", "A pirate."),
                  ChatMessage("user", "Why?")]
        again = engine.fit_context(longer, max_tokens=200, keep_from=fit.first_turn)
        assert again.first_turn == fit.first_turn
        follow = engine.chat([longer[0], *longer[1:][again.first_turn:]],
                             GenerationParams(max_tokens=4, seed=1))
        assert follow.prompt_evaluated < 40  # only the new turns were evaluated
    finally:
        engine.close()


def test_context_fit_refuses_a_single_message_too_large(engine: Engine):
    book = [ChatMessage("system", "Summarise."), ChatMessage("user", "chapter " * 4000)]
    with pytest.raises(ContextOverflowError, match="last message needs"):
        engine.fit_context(book, max_tokens=256)
    short = [ChatMessage("user", "hi")]
    assert engine.fit_context(short, max_tokens=256).first_turn == 0


def test_ignore_eos_writes_until_max_tokens(engine: Engine):
    short = engine.chat([ChatMessage("user", "Say OK.")], GenerationParams(max_tokens=300, seed=1))
    assert short.finish_reason == "stop" and short.completion_tokens < 300
    # (lookup off: its batches round logits a little differently, and a text ending in
    # a multi-byte character gets a token or two past max_tokens from the bindings)
    long = engine.chat([ChatMessage("user", "Say OK.")],
                       GenerationParams(max_tokens=300, seed=1, ignore_eos=True,
                                        prompt_lookup=False))
    assert long.finish_reason == "length" and long.completion_tokens == 300


def test_coming_back_to_a_long_chat_restores_its_cache(builtin_path: Path):
    engine = Engine()
    try:
        engine.load(builtin_path, LoadOptions(context_size=4096, threads=1))
        chat_a = long_conversation(6, words=30)
        first = engine.chat(chat_a, GenerationParams(max_tokens=6, seed=1))
        assert first.prompt_evaluated == first.prompt_tokens > 500
        other = [ChatMessage("user", "A different chat about bread.")]
        engine.chat(other, GenerationParams(max_tokens=6, seed=1))
        back = [*chat_a, ChatMessage("assistant", first.text), ChatMessage("user", "And?")]
        again = engine.chat(back, GenerationParams(max_tokens=6, seed=1))
        assert again.prompt_evaluated < 60, again  # restored, not evaluated again
        # The restored cache is the one it left: the same answer as never leaving.
        stayed = Engine()
        stayed.load(builtin_path, LoadOptions(context_size=4096, threads=1))
        stayed.chat(chat_a, GenerationParams(max_tokens=6, seed=1))
        reference = stayed.chat(back, GenerationParams(max_tokens=6, seed=1))
        stayed.close()
        assert again.text == reference.text
        assert again.prompt_evaluated == reference.prompt_evaluated
    finally:
        engine.close()


def test_load_reports_progress(builtin_path: Path):
    seen: list[float] = []
    engine = Engine()
    try:
        engine.load(builtin_path, LoadOptions(context_size=256, threads=1),
                    on_progress=seen.append)
    finally:
        engine.close()
    assert len(seen) > 10 and seen == sorted(seen) and seen[-1] == 1.0


def test_use_context_gives_the_loaded_model_another_context_length(builtin_path: Path):
    engine = Engine()
    with pytest.raises(NoModelError):
        engine.use_context(1024)
    engine.load(builtin_path, LoadOptions(context_size=2048, threads=1))
    try:
        resized = engine.use_context(512)
        assert resized is not None and resized.context_size == 512
        assert engine.facts is not None and engine.facts.context_size == 512
        assert resized.threads == 1  # the other load options stay
        assert engine.use_context(512) is None  # already that size: nothing reloaded
        long = [ChatMessage("user", "word " * 700)]
        with pytest.raises(ContextOverflowError, match="context holds 512"):
            engine.fit_context(long, 16)
        again = engine.use_context(100_000)  # capped at the model's trained 8,192
        assert again is not None and again.context_size == 8192
        assert engine.use_context(8192) is None
        assert engine.fit_context(long, 16).context_size == 8192  # now it fits
    finally:
        engine.close()
