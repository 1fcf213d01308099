"""History benchmarks: opening a long chat, searching a big history, follow-up latency.

Each figure is a ratio to a reference measured in the same run:
- opening a 5,000-message conversation until its window is painted, against a
  10-message one (the window builds only the newest page of 50 messages: goal 10x;
  building all 5,000 would be ~300x);
- searching 100,000 messages, against searching 1,000: 100x the data must cost far
  less than 100x the time (the search walks the index newest first and stops at 50
  results; goal 25x; sorting every match, as the first version did, measured 98x);
- time to first token of a follow-up at turn 30 of one conversation, against turn 1
  (the cached prefix is reused; goal within 1.5x).

    .venv/bin/python -m bench.history [--repeats 5] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
WORDS = ["lighthouse", "storm", "harbour", "bread", "garden", "python", "river", "mountain",
         "violin", "orbit", "lantern", "meadow", "copper", "quartz", "falcon", "tundra"]


def timed(function: Any, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


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


def bench_open(folder: Path, repeats: int) -> dict[str, Any]:
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

    figures = {}
    for name, conversation in (("reference_10_messages", small), ("5000_messages", big)):
        samples: list[float] = []
        for _ in range(repeats):
            open_and_paint(conversation)
        figures[name] = summary(samples)
    desktop.shutdown()
    return figures


def bench_search(folder: Path, repeats: int) -> dict[str, Any]:
    from app.backend.store import Store

    figures = {}
    for name, conversations in (("reference_1000_messages", 10), ("100000_messages", 1000)):
        path = folder / f"search-{conversations}.sqlite"
        fill_history(path, conversations, 100)
        store = Store.open(path)
        hits = store.search("falcon quartz")
        assert hits, "the benchmark history should match"
        figures[name] = summary(timed(lambda store=store: store.search("falcon quartz"),
                                      repeats))
        figures[name]["hits"] = len(hits)
        store.close()
    return figures


def bench_follow_up(repeats: int) -> dict[str, Any]:
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path

    engine = Engine()
    engine.load(builtin_model_path(), LoadOptions(context_size=8192, threads=1))
    params = GenerationParams(max_tokens=24, seed=1, temperature=0.7)
    samples: dict[str, list[float]] = {"turn_1": [], "turn_30": []}
    prompt_tokens: list[int] = []
    evaluated: list[int] = []
    for _ in range(repeats):
        messages = [ChatMessage("system", "You are a helpful assistant.")]
        for turn in range(1, 31):
            messages.append(ChatMessage("user", f"Question {turn}: tell me one fact about "
                                        f"{WORDS[turn % len(WORDS)]}s."))
            fit = engine.fit_context(messages, params.max_tokens)
            first = threading.Event()
            stamps: list[float] = []

            def on_text(_text: str, first: threading.Event = first,
                        stamps: list[float] = stamps) -> None:
                if not first.is_set():
                    first.set()
                    stamps.append(time.perf_counter())

            started = time.perf_counter()
            result = engine.chat(fit.apply(messages), params, on_text=on_text)
            if turn in (1, 30) and stamps:
                samples[f"turn_{turn}"].append(stamps[0] - started)
            if turn == 30:
                prompt_tokens.append(result.prompt_tokens)
                evaluated.append(result.prompt_evaluated)
            messages.append(ChatMessage("assistant", result.text))
        engine.chat([ChatMessage("user", "reset")], GenerationParams(max_tokens=1))
    engine.close()
    return {name: summary(values) for name, values in samples.items()} | {
        "turn_30_prompt_tokens": prompt_tokens[-1], "turn_30_evaluated": evaluated[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        os.environ["LLAMADESK_HOME"] = str(folder / "home")
        opening = bench_open(folder, args.repeats)
        search = bench_search(folder, args.repeats)
    follow = bench_follow_up(max(1, args.repeats // 2))
    rows: list[tuple[str, dict[str, float], dict[str, float], float]] = [
        ("open a 5,000-message conversation, to painted (s)",
         opening["reference_10_messages"], opening["5000_messages"], 10.0),
        ("search 100,000 messages (s)",
         search["reference_1000_messages"], search["100000_messages"], 25.0),
        ("time to first token, follow-up at turn 30 vs turn 1 (s)",
         follow["turn_1"], follow["turn_30"], 1.5),
    ]
    report: dict[str, Any] = {"open": opening, "search": search, "follow_up": follow,
                              "rows": []}
    lines = ["| figure | reference | measured | ratio | goal | met |",
             "|---|---|---|---|---|---|"]
    all_met = True
    for label, reference, measured, goal in rows:
        ratio = measured["median"] / reference["median"]
        met = ratio <= goal
        goal_text = f"ratio <= {goal}"
        all_met &= met
        lines.append(f"| {label} | {reference['median']:.4f} ({reference['min']:.4f}-"
                     f"{reference['max']:.4f}) | {measured['median']:.4f} "
                     f"({measured['min']:.4f}-{measured['max']:.4f}) | {ratio:.2f} | "
                     f"{goal_text} | {'yes' if met else 'no'} |")
        report["rows"].append({"figure": label, "reference": reference, "measured": measured,
                               "ratio": ratio, "met": met})
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "history.json").write_text(json.dumps(report, indent=2))
    table = "\n".join(lines) + "\n"
    (RESULTS / "history.md").write_text(table)
    print(table)
    return 1 if args.check and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
