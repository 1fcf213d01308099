"""Recover what can be read from a chat history SQLite proved damaged.

SQLite's own ``.recover`` lives in the sqlite3 shell, not in Python's module, so
this copies what reads cleanly into a new file: every conversation and message
row that SQLite can still return, row by row where a damaged page stops a scan.
The damaged file is never changed; the caller keeps it beside the new one.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.backend.words import Said, said

log = logging.getLogger(__name__)

CONVERSATION_COLUMNS = ("id", "title", "title_is_auto", "system_prompt", "settings", "pinned",
                        "current_leaf", "created_at", "updated_at", "deleted_at")
MESSAGE_COLUMNS = ("id", "conversation_id", "parent_id", "role", "content", "status", "model",
                   "prompt_tokens", "completion_tokens", "tokens_per_second", "seed", "error",
                   "created_at", "updated_at")
# Past the highest rowid SQLite can tell, keep probing this far for rows beyond a
# damaged page before deciding the table has ended.
PROBE_BEYOND = 2000


@dataclass
class Salvage:
    conversations: int = 0
    messages: int = 0
    lost_conversations: int = 0  # rows SQLite could not read (an upper bound)
    lost_messages: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.conversations or self.messages)

    def describe(self) -> Said:
        """What was recovered and what was lost, as a clause (no capital, no full stop)."""
        if self.lost_conversations and self.lost_messages:
            return said("{chats} chats and {messages} messages were recovered; up to "
                        "{lost_chats} chats and {lost_messages} messages could not be read",
                        chats=self.conversations, messages=self.messages,
                        lost_chats=self.lost_conversations, lost_messages=self.lost_messages)
        if self.lost_conversations:
            return said("{chats} chats and {messages} messages were recovered; up to "
                        "{lost_chats} chats could not be read", chats=self.conversations,
                        messages=self.messages, lost_chats=self.lost_conversations)
        if self.lost_messages:
            return said("{chats} chats and {messages} messages were recovered; up to "
                        "{lost_messages} messages could not be read", chats=self.conversations,
                        messages=self.messages, lost_messages=self.lost_messages)
        return said("{chats} chats and {messages} messages were recovered; nothing readable "
                    "was lost", chats=self.conversations, messages=self.messages)


def readable_rows(db: sqlite3.Connection, table: str, columns: tuple[str, ...],
                  index: str) -> tuple[list[tuple[Any, ...]], int]:
    """Every row of ``table`` SQLite can return, and how many known rows it could not.

    A damaged page stops a scan; then each row is read alone.  Which rows exist is
    known from ``index`` (its entries carry every row's id, on pages of their own),
    and beyond that by probing past the highest id found.
    """
    select = f"SELECT {', '.join(columns)} FROM {table}"
    rows: dict[int, tuple[Any, ...]] = {}
    try:
        for row in db.execute(f"{select} ORDER BY id"):
            rows[int(row[0])] = tuple(row)
        return list(rows.values()), 0
    except sqlite3.DatabaseError as error:
        log.warning("scan of %s stopped at a damaged page (%s); reading row by row",
                    table, error)
    known: set[int] = set()
    with contextlib.suppress(sqlite3.DatabaseError, TypeError, ValueError):
        for (row_id,) in db.execute(f"SELECT id FROM {table} INDEXED BY {index}"):
            known.add(int(row_id))
    top = max([*rows, *known], default=0)
    with contextlib.suppress(sqlite3.DatabaseError, TypeError, ValueError):
        top = max(top, int(db.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0))
    lost, rowid, misses = 0, 0, 0
    while rowid < top or misses < PROBE_BEYOND:
        rowid += 1
        if rowid in rows:
            continue
        try:
            row = db.execute(f"{select} WHERE id = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
            if rowid in known or rowid <= top:
                lost += 1
        if row is not None:
            rows[rowid] = tuple(row)
            top = max(top, rowid)
        misses = 0 if rowid <= top else misses + 1
    return list(rows.values()), lost


def salvage(damaged: Path, target: Path, create_schema: Callable[[Path], None]) -> Salvage:
    """Copy what reads cleanly from ``damaged`` into a new history at ``target``."""
    report = Salvage()
    source = sqlite3.connect(f"{damaged.as_uri()}?mode=ro", uri=True)
    try:
        conversations, report.lost_conversations = _rows_or_nothing(
            source, "conversations", CONVERSATION_COLUMNS, "conversations_by_recency")
        messages, report.lost_messages = _rows_or_nothing(
            source, "messages", MESSAGE_COLUMNS, "messages_by_conversation")
    finally:
        source.close()
    if not conversations and not messages:
        return report
    create_schema(target)
    db = sqlite3.connect(target)
    try:
        db.execute("PRAGMA foreign_keys = OFF")
        with db:
            known: set[int] = set()
            for row in conversations:
                if _insert(db, "conversations", CONVERSATION_COLUMNS, row):
                    known.add(int(row[0]))
                    report.conversations += 1
                else:
                    report.lost_conversations += 1
            for row in messages:
                conversation_id = row[1]
                if isinstance(conversation_id, int) and conversation_id not in known:
                    # its chat's row was lost: a placeholder keeps the messages findable
                    now = row[12] if isinstance(row[12], (int, float)) else 0.0
                    db.execute("INSERT INTO conversations (id, title, title_is_auto, "
                               "created_at, updated_at) VALUES (?, ?, 0, ?, ?)",
                               (conversation_id, f"Recovered chat {conversation_id}", now, now))
                    known.add(conversation_id)
                    report.conversations += 1
                if _insert(db, "messages", MESSAGE_COLUMNS, row):
                    report.messages += 1
                else:
                    report.lost_messages += 1
            # links to rows that were lost: a message whose parent is gone starts a branch
            db.execute("UPDATE messages SET parent_id = NULL WHERE parent_id IS NOT NULL AND "
                       "parent_id NOT IN (SELECT id FROM messages)")
            db.execute("UPDATE conversations SET current_leaf = NULL WHERE current_leaf IS "
                       "NOT NULL AND current_leaf NOT IN (SELECT id FROM messages)")
    finally:
        db.close()
    return report


def _rows_or_nothing(db: sqlite3.Connection, table: str, columns: tuple[str, ...],
                     index: str) -> tuple[list[tuple[Any, ...]], int]:
    try:
        return readable_rows(db, table, columns, index)
    except sqlite3.DatabaseError as error:  # the table itself cannot be found
        log.warning("table %s cannot be read at all: %s", table, error)
        return [], 0


def _insert(db: sqlite3.Connection, table: str, columns: tuple[str, ...],
            row: tuple[Any, ...]) -> bool:
    try:
        db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                   f"({', '.join('?' * len(columns))})", row)
        return True
    except (sqlite3.DatabaseError, ValueError, OverflowError) as error:
        log.warning("a damaged %s row was left out: %s", table, error)
        return False
