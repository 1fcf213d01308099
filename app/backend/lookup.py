"""Prompt lookup: draft tokens for speculative decoding, copied from the chat itself.

An answer that repeats its input (code being edited, a text being rewritten) goes on
the way the chat went on after the same few tokens.  ``PromptLookup`` finds the most
recent earlier place where the chat's last 4 (else 3) tokens occur, and offers the
tokens that followed there as a draft; llama.cpp checks the whole draft in one batch
and keeps the tokens the model would have chosen anyway, so answers are the model's own.
Its length follows how much of the last draft was kept: doubled when all of it was
(at most ``most``), down to what was kept when part was, halved when none was; after
a draft of which nothing was kept, the next few chances to draft are let go (1, 2, 4
... up to 16 after failures in a row).  A rejected token is not free: on a small model
on the CPU a batch of a few tokens costs noticeably more than one, so free text, which
rarely repeats 3-4 tokens, must seldom pay for drafts.

Used by the Engine as llama-cpp-python's ``draft_model`` (the bindings' own
``LlamaPromptLookupDecoding`` takes the *first* match of the last 1-2 tokens with a
fixed 10-token draft: on free text it made answers 2.6x slower here; and with it the
bindings keep every logit of the whole context, see Engine._ask_logits_for_drafts).
"""

from __future__ import annotations

from typing import Any

LONGEST_NGRAM = 4
SHORTEST_NGRAM = 3
MOST_DRAFTED = 10
FIRST_LENGTH = 4


class PromptLookup:
    """One answer's drafts (it learns how far drafts are kept in this answer)."""

    def __init__(self, most: int = MOST_DRAFTED) -> None:
        self.most = most
        self.length = min(FIRST_LENGTH, most)
        self._last: tuple[int, Any] | None = None  # (where it starts, the draft)
        self._failures = 0  # drafts in a row of which nothing was kept
        self._skip = 0  # chances to draft still to let go
        self.drafted = 0  # tokens offered
        self.kept = 0  # of those, tokens the model chose too

    def __call__(self, ids: Any, /, **_kwargs: Any) -> Any:
        """Draft tokens to follow ``ids`` (a numpy array of the context's tokens)."""
        import numpy as np

        size = int(ids.shape[0])
        if self._last is not None:
            self._learn(ids)
        if self._skip:
            self._skip -= 1
            return np.zeros(0, dtype=np.intc)
        end = self._match(np, ids, size)
        if end is not None:
            draft = np.array(ids[end:min(end + self.length, size)], dtype=np.intc)
            if draft.size:
                self._last = (size, draft)
                self.drafted += int(draft.size)
                return draft
        return np.zeros(0, dtype=np.intc)

    @staticmethod
    def _match(np: Any, ids: Any, size: int) -> int | None:
        """Where the tokens after the most recent earlier run of the last
        LONGEST_NGRAM (else SHORTEST_NGRAM) tokens begin; None without one."""
        if size <= SHORTEST_NGRAM:
            return None
        # places (before the last token) holding the last token, narrowed to those
        # preceded by the tokens before it: one pass over the context, then a few
        ends = np.flatnonzero(ids[:-1] == ids[-1])
        found = None
        for back in range(1, LONGEST_NGRAM):
            ends = ends[ends >= back]
            ends = ends[ids[ends - back] == ids[size - 1 - back]]
            if not ends.size:
                break
            if back + 1 >= SHORTEST_NGRAM:
                found = int(ends[-1]) + 1
        return found

    def _learn(self, ids: Any) -> None:
        """How much of the last draft the model kept sets the next draft's length."""
        assert self._last is not None
        start, draft = self._last
        self._last = None
        got = ids[start:start + draft.size]
        kept = 0
        while kept < got.size and got[kept] == draft[kept]:
            kept += 1
        self.kept += kept
        if kept == draft.size:
            self.length = min(self.most, self.length * 2)
        elif kept:
            self.length = kept
        else:
            self.length = max(1, self.length // 2)
            self._skip = min(16, 1 << self._failures)
            self._failures += 1
            return
        self._failures = 0
