"""The automatic thread count follows how busy the machine is, and changing it while an
answer is written changes nothing in the answer."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
from app.backend.threads import ThreadGovernor


@pytest.mark.parametrize(("physical", "logical", "others", "expected"), [
    (2, 2, 0.0, 2), (2, 2, 0.25, 2), (2, 2, 1.0, 1), (2, 2, 2.0, 1),
    (4, 8, 0.0, 4), (4, 8, 2.0, 3), (4, 8, 8.0, 1), (16, 16, 0.0, 8),
])
def test_free_cores_become_threads(physical: int, logical: int, others: float,
                                   expected: int) -> None:
    governor = ThreadGovernor(8, physical=physical, logical=logical)
    assert governor.count_for(others) == expected


def test_another_programs_load_is_seen_and_its_own_is_not() -> None:
    governor = ThreadGovernor(8)
    time.sleep(0.2)
    deadline = time.perf_counter() + 0.3
    while time.perf_counter() < deadline:  # this process spinning is not "others"
        pass
    quiet = governor.others_busy()
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.6)
        busy = governor.others_busy()
    finally:
        hog.kill()
        hog.wait()
    assert quiet is not None and busy is not None
    assert busy >= quiet + 0.5, (quiet, busy)
    assert governor.others_busy() is None  # too soon after the last look to say


class Alternating:
    """A governor that changes its mind at every look."""

    def __init__(self) -> None:
        self.counts: list[int] = []

    def due(self) -> bool:
        return True

    def choose(self) -> int:
        self.counts.append(2 if len(self.counts) % 2 else 1)
        return self.counts[-1]


@pytest.mark.real_model
def test_changing_threads_mid_answer_changes_nothing_in_it(builtin_path: Path) -> None:
    import llama_cpp

    question = [ChatMessage("user", "Name three colours.")]
    params = GenerationParams(max_tokens=24, temperature=0.0, seed=3)
    fixed = Engine()
    fixed.load(builtin_path, LoadOptions(context_size=1024, threads=1))
    automatic = Engine()
    automatic.load(builtin_path, LoadOptions(context_size=1024, threads=0))
    try:
        assert fixed._governor is None and automatic._governor is not None
        expected = fixed.chat(question, params).text
        governor = Alternating()
        automatic._governor = governor  # type: ignore[assignment]
        got = automatic.chat(question, params).text
        llm: Any = automatic._require_model()
        assert len(governor.counts) > 10  # it looked before the answer and at each token
        assert llama_cpp.llama_n_threads(llm.ctx) == governor.counts[-1]
        assert automatic.threads_now == governor.counts[-1]
        assert got == expected
    finally:
        fixed.close()
        automatic.close()
