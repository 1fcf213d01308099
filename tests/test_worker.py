"""The worker thread: requests by queued signals, plain-data results, clean shutdown."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend.engine import ChatMessage, GenerationParams, GenerationResult, LoadOptions
from app.backend.errors import ModelFileError
from app.ui.worker import EngineHost, LoadedModel, LoadRequest
from tests.fakes import FakeEngine


def test_engine_runs_on_the_worker_thread_and_closes_there(qtbot: QtBot):
    fake = FakeEngine()
    host = EngineHost(fake)
    with qtbot.wait_signal(host.model_loaded, timeout=5000) as loaded:
        host.load(LoadRequest("/m.gguf", "Fake"))
    assert isinstance(loaded.args[0], LoadedModel)
    with qtbot.wait_signal(host.finished, timeout=5000) as done:
        host.generate([ChatMessage("user", "hi")], GenerationParams())
    request_id, result = done.args
    assert request_id == 1 and isinstance(result, GenerationResult)
    host.close()
    assert fake.closed
    assert len(fake.threads) == 1  # load, chat and close all ran on one thread...
    assert threading.get_ident() not in fake.threads  # ...and not on this (GUI) one


def test_load_failure_arrives_as_a_message(qtbot: QtBot):
    host = EngineHost(FakeEngine(load_error=ModelFileError("broken file, try again")))
    with qtbot.wait_signal(host.load_failed, timeout=5000) as failed:
        host.load(LoadRequest("/m.gguf", "Fake"))
    assert failed.args == ["broken file, try again"]
    host.close()


def test_close_while_generating_stops_and_joins(qtbot: QtBot):
    fake = FakeEngine(words=["w "] * 10_000, delay=0.01)
    host = EngineHost(fake)
    host.generate([ChatMessage("user", "hi")], GenerationParams())
    assert fake.started.wait(5)
    host.close()  # returns only once the worker has stopped and closed the engine
    assert fake.closed
    assert len(fake.requests) == 1


@pytest.mark.real_model
def test_real_engine_streams_through_the_worker(qtbot: QtBot, builtin_path: Path):
    host = EngineHost()
    with qtbot.wait_signal(host.model_loaded, timeout=60_000) as loaded:
        host.load(LoadRequest(str(builtin_path), "SmolLM2",
                              LoadOptions(context_size=1024, threads=1)))
    assert loaded.args[0].facts.architecture == "llama"
    pieces: list[str] = []
    host.token_received.connect(lambda _id, text: pieces.append(text))
    with qtbot.wait_signal(host.finished, timeout=60_000) as done:
        host.generate([ChatMessage("user", "Name three colours.")],
                      GenerationParams(max_tokens=24, seed=3))
    result = done.args[1]
    assert "".join(pieces) == result.text and result.text
    host.close()
