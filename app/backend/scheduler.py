"""One thread owns the engine; every caller takes turns on it.

The engine (like the ``Llama`` object under it) is not thread-safe and there is
one loaded model per process, never two.  An EngineScheduler owns the only
thread that calls the engine.  Callers from any thread submit *jobs* (a
function that receives the engine) under a *source* name: ``"window"`` for the
chat windows, ``"api"`` for the local OpenAI-compatible server.

Turns are fair: sources take turns round robin, one whole job (one answer) per
turn, and jobs of one source run in the order they came.  So a window's answer
waits at most for the job running now plus one job of each other source
already waiting, whatever the number of API requests queued behind them.  An
answer is one slice (not a few tokens each) because llama.cpp keeps one KV
cache: interleaving two conversations token by token would evaluate each
prompt again at every switch.

Urgent jobs (loading a model, counting tokens for the context meter, closing)
run before the next turn without taking one: they are short, or must not wait.

A source may have a queue limit: ``submit`` then raises QueueFullError, with an
estimate of when to try again (the server answers 429 with Retry-After).

Plain Python, no Qt: ``llamadesk serve`` uses it directly; the window's
EngineHost (app/ui/worker.py) wraps it and turns results into Qt signals.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.backend.engine import ModelFacts
from app.backend.errors import LlamaDeskError
from app.backend.words import said

log = logging.getLogger(__name__)
DEFAULT_JOB_SECONDS = 5.0  # the wait estimate before any job was measured


class QueueFullError(LlamaDeskError):
    """Too many jobs of one source are waiting."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SchedulerClosedError(LlamaDeskError):
    """The scheduler is shutting down and takes no more jobs."""


@dataclass(eq=False)
class Job:
    """A unit of work on the engine thread.  ``work`` must itself look at
    ``cancel`` (a job cancelled while it waited still runs, to report that)."""

    source: str
    work: Callable[[Any], None]
    cancel: threading.Event = field(default_factory=threading.Event)
    urgent: bool = False
    submitted: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)


class EngineScheduler:
    """Runs jobs on one engine thread, sources taking turns round robin."""

    def __init__(self, engine: Any, queue_limits: Mapping[str, int] | None = None,
                 name: str = "engine") -> None:
        self.engine = engine
        self.queue_limits = dict(queue_limits or {})
        self._lock = threading.Condition()
        self._queues: dict[str, deque[Job]] = {}
        self._urgent: deque[Job] = deque()
        self._rotation: list[str] = []  # sources in the order they take turns
        self._last_source: str | None = None
        self._running: Job | None = None
        self._closing = False
        self._seconds: dict[str, float] = {}  # moving average job time per source
        self._facts: ModelFacts | None = None
        self._closing_job = Job("close", lambda engine: engine.close())
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # -- any thread ----------------------------------------------------------

    def submit(self, source: str, work: Callable[[Any], None], *,
               cancel: threading.Event | None = None, urgent: bool = False) -> Job:
        """Queue ``work(engine)``; QueueFullError if ``source`` already has its limit waiting."""
        job = Job(source, work, cancel or threading.Event(), urgent)
        with self._lock:
            if self._closing:
                raise SchedulerClosedError(said("LlamaDesk is shutting down."))
            if urgent:
                self._urgent.append(job)
            else:
                queue = self._queues.get(source)
                if queue is None:
                    queue = self._queues[source] = deque()
                    self._rotation.append(source)
                limit = self.queue_limits.get(source)
                waiting = sum(1 for j in queue if not j.cancel.is_set())
                if limit is not None and waiting >= limit:
                    raise QueueFullError(
                        said("{count} requests are already waiting for the model; try again "
                             "shortly.", count=waiting), self._retry_after(waiting))
                queue.append(job)
            self._lock.notify_all()
        return job

    def waiting(self, source: str | None = None) -> int:
        """Jobs queued (not running, not cancelled), of one source or all."""
        with self._lock:
            queues = [self._queues.get(source, deque())] if source else list(
                self._queues.values())
            return sum(1 for q in queues for j in q if not j.cancel.is_set())

    @property
    def busy(self) -> bool:
        """A job is running or waiting."""
        with self._lock:
            return self._running is not None or any(self._queues.values()) or bool(
                self._urgent)

    @property
    def facts(self) -> ModelFacts | None:
        """The loaded model as of the last job (None: no model)."""
        return self._facts

    def cancel(self, source: str | None = None) -> None:
        """Ask every job (of one source) to end: waiting ones and the one running."""
        with self._lock:
            jobs = [j for q in self._queues.values() for j in q]
            if self._running is not None:
                jobs.append(self._running)
        for job in jobs:
            if source is None or job.source == source:
                job.cancel.set()

    def close(self, final: Callable[[Any], None] | None = None,
              timeout: float | None = None) -> None:
        """Cancel everything, let the jobs report, run ``final(engine)`` (default:
        close it) on the engine thread, then join the thread."""
        with self._lock:
            if self._closing:
                return
            self.cancel()
            if final is not None:
                self._closing_job = Job("close", final)
            self._closing = True
            self._lock.notify_all()
        self._thread.join(timeout)

    @property
    def closed(self) -> bool:
        return self._closing and not self._thread.is_alive()

    # -- the engine thread ---------------------------------------------------

    def _next(self) -> Job | None:
        """The next job: urgent ones first, then the next source in the rotation
        after the one that ran last.  None when closing and nothing is left."""
        with self._lock:
            while True:
                if self._urgent:
                    return self._urgent.popleft()
                start = (self._rotation.index(self._last_source) + 1
                         if self._last_source in self._rotation else 0)
                order = self._rotation[start:] + self._rotation[:start]
                for source in order:
                    if self._queues[source]:
                        self._last_source = source
                        return self._queues[source].popleft()
                if self._closing:
                    return None
                self._lock.wait()

    def _run(self) -> None:
        while (job := self._next()) is not None:
            with self._lock:
                self._running = job
            started = time.monotonic()
            try:
                job.work(self.engine)
            except Exception:
                log.exception("a %s job failed", job.source)
            finally:
                self._note_time(job, time.monotonic() - started)
                self._facts = self.engine.facts
                with self._lock:
                    self._running = None
                job.done.set()
        try:
            self._closing_job.work(self.engine)
        except Exception:
            log.exception("closing the engine failed")
        self._facts = None
        self._closing_job.done.set()

    def _note_time(self, job: Job, seconds: float) -> None:
        if job.urgent or job.cancel.is_set():
            return
        before = self._seconds.get(job.source)
        self._seconds[job.source] = seconds if before is None else 0.7 * before + 0.3 * seconds

    def _retry_after(self, waiting: int) -> int:
        """Seconds until a new job might find room: the jobs ahead of it, at the
        average job time of every source (they take turns)."""
        per_turn = sum(self._seconds.values()) or DEFAULT_JOB_SECONDS
        return max(1, min(600, math.ceil(waiting * per_turn)))
