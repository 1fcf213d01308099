"""How tests/data/history-v1.sqlite was made (schema 1, LlamaDesk 0.1.0).

The file is frozen: it stands for what users of that release have on disk.
Never regenerate it after a release; add history-vN.sqlite for a new schema.

    .venv/bin/python tests/data/make_history_v1.py tests/data/history-v1.sqlite
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from app.backend.store import Store


def make(path: Path) -> None:
    store = Store.open(path)
    first = store.create_conversation("You are a pirate.", {"temperature": 0.4, "seed": 7})
    question = store.add_message(first.id, None, "user", "Où est le trésor? 🏴‍☠️")
    answer = store.begin_answer(first.id, question.id, "SmolLM2 135M (built in)")
    answer.append("Arr, under the palm tree.")
    answer.finish("complete", completion_tokens=7, tokens_per_second=120.5, seed=7)
    again = store.begin_answer(first.id, question.id, "SmolLM2 135M (built in)")
    again.append("Buried on the island, ma")
    again.finish("stopped")
    edited = store.add_message(first.id, None, "user", "Where is the treasure?")
    cut = store.begin_answer(first.id, edited.id, "SmolLM2 135M (built in)")
    cut.append("The treasure is")
    cut.save()  # left streaming: a crash; reopening marks it interrupted
    store.set_pinned(first.id, True)

    second = store.create_conversation("", {}, title="Code help")
    ask = store.add_message(second.id, None, "user", "```python\nprint('hi')\n```\nWhy?")
    store.add_message(second.id, ask.id, "assistant", "It prints **hi**.")
    gone = store.create_conversation("", {})
    store.add_message(gone.id, None, "user", "delete me")
    store.delete(gone.id)
    store.close()
    with sqlite3.connect(path) as db:  # one self-contained file, no -wal beside it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")


if __name__ == "__main__":
    make(Path(sys.argv[1]))
