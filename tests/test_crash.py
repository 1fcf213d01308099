"""Kill the app while it streams an answer: the history survives, word for word."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.backend.store import Store

pytestmark = pytest.mark.real_model
KILLS = 20


def complete_messages(path: Path) -> dict[int, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT id, content FROM messages WHERE status = 'complete'"))


def test_sigkill_while_streaming_loses_no_complete_message(data_home: Path):
    exe = Path(sys.executable).parent / "llamadesk"
    history = data_home / "data" / "history.sqlite"
    rng = random.Random(20261123)
    first = subprocess.run([str(exe), "chat", "Hello, who are you?", "--max-tokens", "16",
                            "--threads", "1"], capture_output=True, text=True, timeout=120,
                           check=True)
    assert first.stdout.strip()
    store = Store.open(history)
    conversation = store.conversations()[0].id
    store.close()
    killed_mid_answer = 0
    for round_number in range(KILLS):
        before = complete_messages(history)
        process = subprocess.Popen(
            [str(exe), "chat", "--conversation", str(conversation), "--threads", "1",
             "--context", "512", "--max-tokens", "300", "--ignore-eos",
             f"Round {round_number}: tell me a long story."],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdout is not None
        os.set_blocking(process.stdout.fileno(), False)
        # Even rounds: any moment from the start (loading, sending, streaming).
        # Odd rounds: a moment after the answer has begun to stream.
        started = time.monotonic()
        delay = rng.uniform(0.0, 2.5) if round_number % 2 == 0 else None
        streamed = b""
        while process.poll() is None:
            streamed += process.stdout.read() or b""
            if delay is None and streamed.strip():
                started, delay = time.monotonic(), rng.uniform(0.0, 1.5)
            if delay is not None and time.monotonic() - started >= delay:
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        killed_mid_answer += bool(streamed.strip()) and process.returncode == -signal.SIGKILL

        with sqlite3.connect(history) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        after = complete_messages(history)
        for message_id, content in before.items():
            assert after.get(message_id) == content, f"round {round_number}: lost {message_id}"

    reopened = Store.open(history)  # marks the answers cut off by a kill
    statuses = {m.status for m in reopened.messages(conversation)}
    reopened.close()
    assert "streaming" not in statuses
    assert killed_mid_answer >= KILLS // 2, killed_mid_answer  # the kills did land mid-answer
    assert "interrupted" in statuses
