"""How tests/data/history-v2.sqlite was made (schema 2: the version shown under each
message is kept): history-v1.sqlite opened by the LlamaDesk that brought schema 2, and
the first answer of the pirate chat chosen before going to the edited question.

The file is frozen: it stands for what users of that release have on disk.
Never regenerate it after a release; add history-vN.sqlite for a new schema.

    .venv/bin/python tests/data/make_history_v2.py tests/data/history-v2.sqlite
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

from app.backend.store import Store


def make(path: Path) -> None:
    shutil.copyfile(Path(__file__).with_name("history-v1.sqlite"), path)
    store = Store.open(path)
    pirate = store.conversations()[0].id
    store.show_branch(pirate, 2)  # "Arr, under the palm tree.": answer 1 of 2
    store.show_branch(pirate, 4)  # then the edited question
    store.close()
    for backup in path.parent.glob(f"{path.stem}.before-v*{path.suffix}"):
        backup.unlink()
    with sqlite3.connect(path) as db:  # one self-contained file, no -wal beside it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")


if __name__ == "__main__":
    make(Path(sys.argv[1]))
