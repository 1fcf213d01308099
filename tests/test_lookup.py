"""Prompt lookup (app/backend/lookup.py): drafts copied from the chat, checked by
llama.cpp in one batch; answers are the model's own, with or without it."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.backend.engine import (
    ChatMessage,
    Engine,
    GenerationParams,
    GenerationResult,
    LoadOptions,
)
from app.backend.lookup import PromptLookup
from app.backend.settings import Settings
from bench.lookup import REWRITE, STORY


def ids(*tokens: int) -> np.ndarray:
    return np.array(tokens, dtype=np.intc)


def test_drafts_what_followed_the_most_recent_match_of_the_last_tokens():
    lookup = PromptLookup(most=8)
    # 1 2 3 occurs twice before the end: the later place (followed by 7 8 9) is taken
    draft = lookup(ids(1, 2, 3, 4, 5, 6, 1, 2, 3, 7, 8, 9, 0, 1, 2, 3))
    assert draft.tolist() == [7, 8, 9, 0]  # the first draft is 4 tokens long
    assert draft.dtype == np.intc


def test_no_draft_without_a_repeated_run_of_three_tokens():
    lookup = PromptLookup()
    assert lookup(ids(1, 2, 3, 4, 5, 6, 7, 2, 3)).size == 0  # only "2 3" repeats
    assert lookup(ids(5)).size == 0 and lookup(ids()).size == 0


def test_draft_length_follows_what_the_model_kept():
    text = list(range(100, 140))
    lookup = PromptLookup(most=10)
    context = [*text, *text[:3]]
    first = lookup(ids(*context))
    assert first.tolist() == text[3:7]
    context += [*text[3:7], text[7]]  # all 4 kept, and the next token
    second = lookup(ids(*context))
    assert second.size == 8 and lookup.kept == 4
    context += [*text[8:11], 999]  # 3 of 8 kept, then the model went elsewhere
    context += text[:3]  # ... and back to a known run
    assert lookup(ids(*context)).size == 3 and lookup.kept == 7
    context += [555]  # none kept: the next chances are let go, then drafts resume
    context += text[:3]
    assert lookup(ids(*context)).size == 0
    assert lookup(ids(*context, *text[3:4], *text[:3])).size == 1


@pytest.fixture(scope="module")
def lookup_engine(builtin_path: Path) -> Iterator[Engine]:
    engine = Engine()
    engine.load(builtin_path, LoadOptions(context_size=2048, threads=1))
    # the first answer after a load may part from later ones at a near tie (llama.cpp's
    # cache cells fill in another order): comparisons start after one
    engine.chat([ChatMessage("user", REWRITE)], GenerationParams(max_tokens=200,
                                                                 temperature=0.0))
    yield engine
    engine.close()


def answer(engine: Engine, prompt: str, params: GenerationParams,
           **kwargs: Any) -> GenerationResult:
    engine.chat([ChatMessage("user", prompt)], GenerationParams(max_tokens=1))  # same cache
    return engine.chat([ChatMessage("user", prompt)], params, **kwargs)


def test_a_rewrite_is_the_same_with_lookup_and_most_of_it_is_drafted(
        lookup_engine: Engine, caplog: pytest.LogCaptureFixture):
    without = answer(lookup_engine, REWRITE, GenerationParams(
        max_tokens=200, temperature=0.0, prompt_lookup=False))
    with caplog.at_level(logging.DEBUG, logger="app.backend.engine"):
        with_lookup = answer(lookup_engine, REWRITE, GenerationParams(
            max_tokens=200, temperature=0.0, prompt_lookup=True))
    assert with_lookup.text == without.text and "the harbour" in without.text
    assert with_lookup.completion_tokens == without.completion_tokens
    kept = [re.search(r"prompt lookup: (\d+) of (\d+)", r.getMessage())
            for r in caplog.records]
    counts = [(int(m.group(1)), int(m.group(2))) for m in kept if m]
    assert counts and counts[-1][0] >= without.completion_tokens // 2, counts
    # the answer's speed counts its tokens, not the drafted ones; the prompt was 1 token
    assert with_lookup.decode_tokens == with_lookup.completion_tokens
    assert with_lookup.prompt_evaluated == without.prompt_evaluated == 1
    assert with_lookup.decode_seconds > 0


def test_sampled_free_text_with_lookup_repeats_with_the_same_seed(builtin_path: Path):
    """Sampling with drafts is as repeatable as without, from the same start (a fresh
    load: where llama.cpp's cache cells lie changes the last bits of attention).  Against
    lookup off the text can part at a near tie: the CPU kernels round a token's logits
    in a batch a little differently from the token alone (up to 0.6 here)."""
    params = GenerationParams(max_tokens=80, seed=5, ignore_eos=True, prompt_lookup=True)
    texts = []
    for _ in range(2):
        engine = Engine()
        engine.load(builtin_path, LoadOptions(context_size=2048, threads=1))
        try:
            result = engine.chat([ChatMessage("user", STORY)], params)
        finally:
            engine.close()
        assert result.completion_tokens == 80
        texts.append(result.text)
    assert texts[0] == texts[1]


def test_no_logits_kept_for_the_whole_context(lookup_engine: Engine):
    """The bindings' own draft support keeps n_ctx x n_vocab floats (logits_all)."""
    llm = lookup_engine._llm
    answer(lookup_engine, REWRITE, GenerationParams(max_tokens=40, temperature=0.0,
                                                    prompt_lookup=True))
    assert llm._logits_all is False and llm.scores.shape[0] <= llm.n_batch
    assert llm.draft_model is None  # only while an answer is written


def test_stop_with_lookup_keeps_the_text_and_the_engine_answers_after(
        lookup_engine: Engine):
    cancel = threading.Event()
    pieces: list[str] = []

    def on_text(text: str) -> None:
        pieces.append(text)
        if len(pieces) == 10:
            cancel.set()

    result = answer(lookup_engine, REWRITE, GenerationParams(
        max_tokens=200, temperature=0.0, prompt_lookup=True), on_text=on_text, cancel=cancel)
    assert result.finish_reason == "cancelled" and result.text == "".join(pieces)
    assert len(pieces) <= 11
    after = answer(lookup_engine, REWRITE, GenerationParams(max_tokens=200, temperature=0.0,
                                                            prompt_lookup=False))
    again = answer(lookup_engine, REWRITE, GenerationParams(max_tokens=200, temperature=0.0,
                                                            prompt_lookup=True))
    assert again.text == after.text and again.text.startswith(result.text)


def test_the_setting_reaches_every_answer():
    assert GenerationParams().prompt_lookup is False  # off by default: bench/lookup.py
    assert Settings.of(prompt_lookup=True).generation_params().prompt_lookup is True
    assert Settings.of(prompt_lookup=False).generation_params(
        {"temperature": 0.1}).prompt_lookup is False
    with pytest.raises(ValueError, match="must be true or false"):
        Settings.of(prompt_lookup="yes")
