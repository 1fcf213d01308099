"""The whole app in this process, offscreen: window, worker thread, signals,
rendered view and database writes.  Prints one JSON line.

    python -m bench.probe_gui TOKENS THREADS SEED HISTORY_MESSAGES [story|code]

Measures: process start to the first painted window, model load, the decode
rate as the GUI thread receives the text, the longest gap of a 5 ms heartbeat
timer on the GUI thread while the answer streams (and while idle, as the
reference), and resident memory when idle and with the history open.  ``code`` asks
for a program instead of a story: its code block is highlighted as it streams.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psutil

HEARTBEAT_MS = 5
PROMPTS = {
    "story": "Write a long, detailed story about a lighthouse keeper and a storm.",
    "code": "Write a Python class for a bank account with deposit, withdraw and a history "
            "of transactions. Show only the code.",
}


def main() -> None:
    tokens, threads, seed, history = (int(a) for a in sys.argv[1:5])
    prompt = PROMPTS[sys.argv[5] if len(sys.argv) > 5 else "story"]
    process = psutil.Process()
    folder = Path(tempfile.mkdtemp(prefix="llamadesk-bench-"))
    os.environ["LLAMADESK_HOME"] = str(folder)
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.backend.history import open_history
    from app.backend.models import builtin_model
    from app.backend.paths import AppPaths
    from app.backend.settings import Settings
    from app.ui.app import DesktopApp
    from app.ui.main_window import State

    app = QApplication([])
    paths = AppPaths.under(folder)
    paths.create()
    store = open_history(paths)
    model = builtin_model()
    # prompt lookup off: the decode rows measure the app's layers over the bare loop's work
    settings = Settings.of(threads=threads, seed=seed, max_tokens=tokens, context_size=4096,
                           prompt_lookup=False)
    desktop = DesktopApp(paths, settings, model, None, store)
    window = desktop.new_window()
    window.grab()
    painted_at = time.time()  # the parent knows when it started this process
    desktop.models.start()

    def ready() -> bool:
        return window.state is State.READY

    while not ready():
        app.processEvents()
        time.sleep(0.005)
    load_seconds = window.host.facts.load_seconds if window.host.facts else 0.0
    rss_idle = process.memory_info().rss

    if history:
        chat = store.create_conversation()
        parent = None
        for index in range(history):
            parent = store.add_message(chat.id, parent, "user" if index % 2 == 0
                                       else "assistant", f"Message {index}: " + "word " * 40).id
        window.open_conversation(chat.id)
        app.processEvents()
    rss_history = process.memory_info().rss

    gaps: list[float] = []
    clock = QElapsedTimer()
    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)

    beats: list[float] = []

    def beat() -> None:
        gaps.append(clock.restart() / 1000)
        beats.append(time.perf_counter())

    heartbeat.timeout.connect(beat)
    clock.start()
    heartbeat.start()
    idle_until = time.perf_counter() + 1.0
    while time.perf_counter() < idle_until:
        app.processEvents()
        time.sleep(0.001)
    idle_gaps, gaps[:] = list(gaps), []

    stamps: list[float] = []
    window.host.token_received.connect(lambda _id, _text: stamps.append(time.perf_counter()))
    generate = window.host.generate
    window.host.generate = lambda messages, params, keep_from=0, context_size=None: (  # type: ignore
        generate(messages, replace(params, ignore_eos=True), keep_from, context_size))
    window.composer.setPlainText(prompt)
    sent = time.perf_counter()
    window.send()
    while not ready():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    heartbeat.stop()
    stored = store.branch(window.conversation_id or 0).messages[-1]
    result = {
        "painted_at": painted_at,
        "load_seconds": load_seconds,
        "tokens": stored.completion_tokens,
        "first": stamps[0],
        "last": stamps[-1],
        "saved_characters": len(stored.content),
        "code_blocks": stored.content.count("```") // 2 + stored.content.count("```") % 2,
        "first_token_seconds": stamps[0] - sent,
        "stall_streaming": max(gaps[1:]) - HEARTBEAT_MS / 1000,
        "stall_before_first_token": max([g for g, b in zip(gaps, beats, strict=False)
                                         if b <= stamps[0]][1:] or [0]) - HEARTBEAT_MS / 1000,
        "stall_while_decoding": max([g for g, b in zip(gaps, beats, strict=False)
                                     if b > stamps[0]] or [0]) - HEARTBEAT_MS / 1000,
        "stall_idle": max(idle_gaps[1:]) - HEARTBEAT_MS / 1000,
        "rss_idle": rss_idle,
        "rss_history": rss_history,
        "model_bytes": model.path.stat().st_size,
    }
    desktop.shutdown()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
