"""The automatic thread count, chosen from how busy the machine is right now.

ggml's threads wait for each other at every graph node, so one descheduled thread
stalls them all: on 2 cores, 2 threads decode 155-165 tokens/s idle but 31-74 with
another process busy, where 1 thread keeps 145.  No fixed count wins both, so
``ThreadGovernor`` measures the CPU time other processes used since it last looked
(the machine's busy time minus this process's own, which includes ggml's threads
and the window) and gives ggml the cores that are free: all of them (up to the
physical cores) on an idle machine, one fewer for each core another program keeps
busy, never fewer than one.  The engine asks before each answer and again every
quarter second while it writes, and changes the count between two tokens
(``llama_set_n_threads``: decoding and prompt reading alike); a look costs about
20 microseconds.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import psutil

LOOK_EVERY = 0.25  # seconds between looks while an answer is written
MIN_WINDOW = 0.1  # seconds: a shorter window says little; the last choice stands
SLACK = 0.3  # cores: background noise (an editor, the desktop) does not cost a thread


@dataclass
class _Sample:
    wall: float
    busy: float  # CPU seconds every process used, all CPUs together
    own: float  # CPU seconds this process used


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    return float(sum(times) - idle - getattr(times, "guest", 0.0)
                 - getattr(times, "guest_nice", 0.0))


class ThreadGovernor:
    """How many threads ggml gets now (see the module's doc)."""

    def __init__(self, limit: int, physical: int | None = None,
                 logical: int | None = None) -> None:
        self.logical = logical or psutil.cpu_count(logical=True) or os.cpu_count() or 1
        self.physical = physical or psutil.cpu_count(logical=False) or self.logical
        self.limit = max(1, min(limit, self.physical))
        self.current = self.limit
        self._process = psutil.Process()
        self._last = self._sample()

    def _sample(self) -> _Sample:
        own = self._process.cpu_times()
        return _Sample(time.monotonic(), _busy_seconds(), own.user + own.system)

    def others_busy(self) -> float | None:
        """Cores other processes kept busy since the last look (None: too soon to say)."""
        now = self._sample()
        wall = now.wall - self._last.wall
        if wall < MIN_WINDOW:
            return None
        others = max(0.0, (now.busy - self._last.busy) - (now.own - self._last.own)) / wall
        self._last = now
        return min(others, float(self.logical))

    def due(self) -> bool:
        return time.monotonic() - self._last.wall >= LOOK_EVERY

    def choose(self) -> int:
        """The count for the work about to start: the free physical cores."""
        others = self.others_busy()
        if others is not None:
            self.current = self.count_for(others)
        return self.current

    def count_for(self, others: float) -> int:
        """Threads when other processes keep ``others`` logical CPUs busy."""
        free_logical = self.logical - max(0.0, others - SLACK)
        free_physical = int(free_logical * self.physical / self.logical + 1e-9)
        return max(1, min(self.limit, free_physical))
