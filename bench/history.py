"""History benchmarks: opening a long chat, searching a big history, follow-up latency.

Each figure is a ratio to a reference measured in the same run:
- opening a 5,000-message conversation until its window is painted, against a
  10-message one (the window builds only the newest page of 50 messages: goal 10x;
  building all 5,000 would be ~300x);
- searching 100,000 messages, against searching 1,000: 100x the data must cost far
  less than 100x the time (the search walks the index newest first and stops at 50
  results; goal 25x; sorting every match, as the first version did, measured 98x);

    .venv/bin/python -m bench.history [--repeats 5] [--check]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Row, ratio_row, write_report

WORDS = ["lighthouse", "storm", "harbour", "bread", "garden", "python", "river", "mountain",
         "violin", "orbit", "lantern", "meadow", "copper", "quartz", "falcon", "tundra"]


def timed(function: Any, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def fill_history(path: Path, conversations: int, per_conversation: int) -> list[int]:
    """Write conversations straight through SQL in one transaction (fast to build)."""
    from app.backend.store import Store

    store = Store.open(path)
    ids = []
    db = store._db
    with db:
        for number in range(conversations):
            now = time.time()
            cursor = db.execute("INSERT INTO conversations (title, created_at, updated_at) "
                                "VALUES (?, ?, ?)", (f"Chat {number}", now, now))
            conversation = int(cursor.lastrowid or 0)
            parent = None
            for index in range(per_conversation):
                text = " ".join(WORDS[(number + index + k) % len(WORDS)] for k in range(12))
                cursor = db.execute(
                    "INSERT INTO messages (conversation_id, parent_id, role, content, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (conversation, parent, "user" if index % 2 == 0 else "assistant",
                     f"Message {index}: {text}", now, now))
                parent = cursor.lastrowid
            db.execute("UPDATE conversations SET current_leaf = ? WHERE id = ?",
                       (parent, conversation))
            ids.append(conversation)
    store.close()
    return ids


def bench_open(folder: Path, repeats: int) -> dict[str, list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.backend.history import open_history
    from app.backend.paths import AppPaths
    from app.backend.settings import Settings
    from app.ui.app import DesktopApp

    paths = AppPaths.under(folder / "open")
    paths.create()
    small, = fill_history(paths.data / "history.sqlite", 1, 10)
    big, = fill_history(paths.data / "history.sqlite", 1, 5000)
    app = QApplication.instance() or QApplication([])
    desktop = DesktopApp(paths, Settings(), None, None, open_history(paths))
    window = desktop.new_window()
    app.processEvents()

    def open_and_paint(conversation: int) -> None:
        window.new_chat()
        app.processEvents()
        started = time.perf_counter()
        window.open_conversation(conversation)
        window.grab()  # lays out and paints the whole window
        samples.append(time.perf_counter() - started)

    figures: dict[str, list[float]] = {}
    for name, conversation in (("reference_10_messages", small), ("5000_messages", big)):
        samples: list[float] = []
        for _ in range(repeats):
            open_and_paint(conversation)
        figures[name] = samples
    desktop.shutdown()
    return figures


def bench_search(folder: Path, repeats: int) -> dict[str, list[float]]:
    from app.backend.store import Store

    figures: dict[str, list[float]] = {}
    for name, conversations in (("reference_1000_messages", 10), ("100000_messages", 1000)):
        path = folder / f"search-{conversations}.sqlite"
        fill_history(path, conversations, 100)
        store = Store.open(path)
        hits = store.search("falcon quartz")
        assert hits, "the benchmark history should match"
        figures[name] = timed(lambda store=store: store.search("falcon quartz"), repeats)
        store.close()
    return figures


def rows(repeats: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        os.environ["LLAMADESK_HOME"] = str(folder / "home")
        opening = bench_open(folder, repeats)
        search = bench_search(folder, repeats)
    return [
        ratio_row("open a 5,000-message chat, to painted", "s", "10 messages",
                  opening["reference_10_messages"], opening["5000_messages"], at_most=10.0),
        ratio_row("search 100,000 messages", "s", "1,000 messages",
                  search["reference_1000_messages"], search["100000_messages"], at_most=25.0),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args(argv)
    results = rows(args.repeats)
    print(write_report("history", results))
    return 1 if args.check and not all(r.met for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
