"""The engine scheduler: one thread, fair turns between sources, a bounded queue."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from app.backend.scheduler import EngineScheduler, QueueFullError, SchedulerClosedError
from tests.fakes import FakeEngine


def blocked_scheduler(**limits: int) -> tuple[EngineScheduler, threading.Event, list[str]]:
    """A scheduler whose engine thread is held by a first job until ``release`` is set,
    so the test can queue jobs and then watch the order they run in."""
    scheduler = EngineScheduler(FakeEngine(), limits)
    release = threading.Event()
    order: list[str] = []
    started = threading.Event()

    def hold(_engine: Any) -> None:
        started.set()
        release.wait(10)

    scheduler.submit("hold", hold)
    assert started.wait(5)
    return scheduler, release, order


def record(order: list[str], name: str) -> Any:
    return lambda _engine: order.append(name)


def test_sources_take_turns_one_job_each():
    scheduler, release, order = blocked_scheduler()
    for name in ("api1", "api2", "api3"):
        scheduler.submit("api", record(order, name))
    scheduler.submit("window", record(order, "win1"))
    scheduler.submit("window", record(order, "win2"))
    release.set()
    scheduler.close()
    # The window's first answer waits for one API answer only, not for all three.
    assert order == ["api1", "win1", "api2", "win2", "api3"]


def test_urgent_jobs_run_first_without_taking_a_turn():
    scheduler, release, order = blocked_scheduler()
    scheduler.submit("api", record(order, "api1"))
    scheduler.submit("window", record(order, "win1"))
    scheduler.submit("window", record(order, "count"), urgent=True)
    release.set()
    scheduler.close()
    assert order == ["count", "api1", "win1"]


def test_a_full_queue_refuses_with_a_retry_estimate():
    scheduler, release, order = blocked_scheduler(api=2)
    scheduler.submit("api", record(order, "a"))
    scheduler.submit("api", record(order, "b"))
    with pytest.raises(QueueFullError) as full:
        scheduler.submit("api", record(order, "c"))
    assert full.value.retry_after >= 1
    assert "2 requests are already waiting" in str(full.value)
    scheduler.submit("window", record(order, "w"))  # other sources are not limited
    assert scheduler.waiting("api") == 2 and scheduler.waiting() == 3
    release.set()
    scheduler.close()
    assert order == ["a", "w", "b"]


def test_a_cancelled_waiting_job_frees_its_place():
    scheduler, release, order = blocked_scheduler(api=1)
    first = scheduler.submit("api", record(order, "a"))
    first.cancel.set()
    scheduler.submit("api", record(order, "b"))  # room again
    release.set()
    scheduler.close()
    assert order == ["a", "b"]  # the cancelled job still runs, to report that it ended


def test_cancel_by_source_and_close_runs_everything_on_one_thread():
    engine = FakeEngine()
    scheduler = EngineScheduler(engine)
    seen: list[int] = []
    job = scheduler.submit("api", lambda e: seen.append(threading.get_ident()))
    assert job.done.wait(5)
    cancels = [threading.Event(), threading.Event()]
    scheduler.submit("api", lambda e: None, cancel=cancels[0])
    scheduler.submit("window", lambda e: None, cancel=cancels[1])
    scheduler.cancel("api")
    assert cancels[0].is_set() and not cancels[1].is_set()
    scheduler.close()
    assert engine.closed and scheduler.closed
    assert engine.threads == set(seen) and threading.get_ident() not in seen
    with pytest.raises(SchedulerClosedError):
        scheduler.submit("api", lambda e: None)


def test_a_failing_job_does_not_stop_the_thread(caplog: pytest.LogCaptureFixture):
    scheduler = EngineScheduler(FakeEngine())

    def fail(_engine: Any) -> None:
        raise RuntimeError("boom")

    scheduler.submit("api", fail).done.wait(5)
    assert scheduler.submit("api", lambda e: None).done.wait(5)
    assert "a api job failed" in caplog.text
    scheduler.close()
