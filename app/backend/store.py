"""Chat history in SQLite: every word kept, nothing overwritten, found in an instant.

- WAL, foreign keys, a busy timeout: the window and the command line can use the
  file at once.  ``PRAGMA user_version`` is the schema version; MIGRATIONS holds a
  script per version and a frozen database of every released schema lives in
  tests/data, migrated by the tests.
- Conversations are message trees.  Editing a user message or regenerating an
  answer adds a sibling; the conversation remembers the leaf it shows.
- An answer is written as it streams (AnswerWriter commits at least every second),
  so a killed process loses at most the last second; its status says whether it
  finished, was stopped, failed, or was cut off by a crash.
- A file is never deleted or overwritten.  Only a file SQLite itself proves
  damaged (SQLITE_CORRUPT / SQLITE_NOTADB at open, or ``PRAGMA quick_check``) is
  repaired: what reads cleanly is copied into a new file (history_repair.py) and
  the damaged one is kept beside it.  A file that cannot be written (disk full,
  permissions, an immutable file, a read-only folder) is opened read-only; one
  from a newer LlamaDesk too.  ``Store.problem`` says in words what happened and
  what to do.  Every SQLite failure later on reaches callers as a StoreError.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.backend.errors import LlamaDeskError
from app.backend.words import Said, said

log = logging.getLogger(__name__)

Status = Literal["complete", "streaming", "stopped", "interrupted", "error"]
SAVE_INTERVAL = 1.0  # seconds: the most of a streaming answer a crash can lose
TITLE_LENGTH = 60
BUSY_TIMEOUT_MS = 5000
# Files up to this size get SQLite's quick_check at every start (about 25 ms); larger
# ones (0.27 s for 100,000 messages) only after a read has met a damaged page.
QUICK_CHECK_UP_TO = 8 * 2**20
LOW_DISK_BYTES = 2**20  # below this much free space a failed write is a full disk
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 3, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 13, 14, 26

SCHEMA_V1 = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    title_is_auto INTEGER NOT NULL DEFAULT 1,
    system_prompt TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    pinned INTEGER NOT NULL DEFAULT 0,
    current_leaf INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    deleted_at REAL
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'complete'
        CHECK (status IN ('complete', 'streaming', 'stopped', 'interrupted', 'error')),
    model TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    tokens_per_second REAL,
    seed INTEGER,
    error TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX messages_by_parent ON messages(parent_id);
CREATE INDEX conversations_by_recency ON conversations(deleted_at, pinned, updated_at);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;

CREATE VIRTUAL TABLE conversations_fts USING fts5(
    title, content='conversations', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversations_fts(conversations_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO conversations_fts(conversations_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
    INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
END;
"""

# 2: the version of each message shown last below it (edit and regenerate make
# versions), so that going back to an earlier version of a question brings back the
# answers chosen under it, after a restart too.
SCHEMA_V2 = """
ALTER TABLE messages ADD COLUMN shown_child INTEGER REFERENCES messages(id) ON DELETE SET NULL;
"""

# Version N is reached by running MIGRATIONS[N] on a database at version N-1.
# Released schemas are frozen: add a new version, never edit an old one.
MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: SCHEMA_V2}
LATEST_VERSION = max(MIGRATIONS)


class StoreError(LlamaDeskError):
    """The history could not be read or written; the message says what to do."""


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    status: Status
    created_at: float
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    tokens_per_second: float | None = None
    seed: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    system_prompt: str
    settings: dict[str, Any] = field(hash=False)
    pinned: bool
    current_leaf: int | None
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class ConversationSummary:
    id: int
    title: str
    pinned: bool
    updated_at: float
    message_count: int


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int | None  # None: the title matched
    snippet: str  # matches wrapped in [[ ]]


@dataclass(frozen=True)
class Branch:
    """The messages shown (root to leaf) and, for each, its place among siblings."""

    messages: tuple[Message, ...]
    positions: tuple[tuple[int, int], ...]  # (1-based index, sibling count) per message


def _now() -> float:
    return time.time()


def auto_title(text: str) -> str:
    line = " ".join(text.strip().split())
    if len(line) <= TITLE_LENGTH:
        return line or "New chat"
    return line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


class Store:
    """One connection to the history; use it from one thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: bool,
                 problem: str | None) -> None:
        self._db = connection
        self.path = path
        self.read_only = read_only
        self.problem = problem

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, cut_off_after: float = 0.0) -> Store:
        """Open or create the history, migrating it; never destroys an existing file.

        Answers still marked as streaming are marked as cut off by a crash when
        their last save is older than ``cut_off_after`` seconds.  The window uses
        0 (it is the only window process); the command line, which may run while
        the window writes an answer, uses a minute.  A live writer's next save
        marks its answer as streaming again in any case.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if not path.exists():
                return cls._in_memory(path, said(
                    "LlamaDesk cannot create its data folder {folder} ({reason}), so chats in "
                    "this session are not saved. Make the folder writable, or choose another "
                    "with LLAMADESK_HOME, and restart.", folder=path.parent,
                    reason=error.strerror))
        try:
            store = cls._open_writable(path, cut_off_after)
        except _NewerSchemaError as newer:
            return cls._read_only(path, said(
                "Your chat history was last used by a newer version of LlamaDesk (schema "
                "{version}; this version knows up to {latest}). It is open read-only, so "
                "nothing in it can be changed or lost; new chats are not saved. Update "
                "LlamaDesk to keep using it.", version=newer.version, latest=LATEST_VERSION))
        except (sqlite3.DatabaseError, StoreError, OSError) as error:
            cause = error.__cause__ if isinstance(error, StoreError) else error
            if isinstance(cause, sqlite3.DatabaseError) and _is_locked(cause):
                return cls._read_only(path, said(
                    "Your chat history is locked by another program that has held it for "
                    "more than 5 seconds. It is open read-only for now; close the other "
                    "LlamaDesk, then restart this one."))
            if isinstance(cause, sqlite3.DatabaseError) and _is_corrupt(cause):
                return cls._repair(path, str(cause), cut_off_after)
            return cls._read_only(path, _unwritable(path, error))
        marker = _damage_marker(path)
        if not marker.exists() and _size(path) > QUICK_CHECK_UP_TO:
            return store  # large and not known damaged: no whole-file read at every start
        damage = store._quick_check()
        if damage is None:
            with contextlib.suppress(OSError):
                marker.unlink(missing_ok=True)
            return store
        store.close()
        return cls._repair(path, damage, cut_off_after)

    @classmethod
    def _read_only(cls, path: Path, problem: str) -> Store:
        """The history as it is, unchangeable; an empty one in memory if even reading fails."""
        log.error("history %s opened read-only: %s", path, problem)
        for immutable in (False, True):  # a read-only folder may stop even read-only WAL
            connection: sqlite3.Connection | None = None
            try:
                connection = _connect(path, read_only=True, immutable=immutable)
                connection.execute("SELECT count(*) FROM conversations").fetchone()
                return cls(connection, path, True, problem)
            except sqlite3.DatabaseError as error:
                log.warning("read-only open (immutable=%s) failed: %s", immutable, error)
                if connection is not None:
                    connection.close()
        return cls._in_memory(path, said("{problem} Its chats cannot be shown either right "
                                         "now.", problem=problem), read_only=True)

    @classmethod
    def _in_memory(cls, path: Path, problem: str, read_only: bool = False) -> Store:
        log.error("history kept in memory only: %s", problem)
        connection = sqlite3.connect(":memory:")
        connection.execute("PRAGMA foreign_keys = ON")
        _migrate(connection, path, 0)
        return cls(connection, path, read_only, problem)

    @classmethod
    def _repair(cls, path: Path, damage: str, cut_off_after: float) -> Store:
        """SQLite proved the file damaged: copy what reads into a new file, keep the old."""
        from app.backend.history_repair import salvage  # rarely needed: not at every start

        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
        rebuilt = path.with_name(f"{path.stem}.recovering{path.suffix}")
        for leftover in (rebuilt, Path(f"{rebuilt}-wal"), Path(f"{rebuilt}-shm")):
            leftover.unlink(missing_ok=True)
        try:
            report = salvage(path, rebuilt, lambda new: cls._open_writable(new, 0.0).close())
            _move_files(path, aside)
            if report.anything:
                _move_files(rebuilt, path)
        except (OSError, sqlite3.DatabaseError, StoreError) as error:
            for leftover in (rebuilt, Path(f"{rebuilt}-wal"), Path(f"{rebuilt}-shm")):
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
            return cls._read_only(path, said(
                "Your chat history file is damaged ({damage}) and could not be repaired "
                "({error}). It is open read-only as it is; free some disk space and restart "
                "LlamaDesk to try again.", damage=damage, error=error))
        log.error("history %s was damaged (%s); kept as %s; %s", path, damage, aside,
                  report.describe())
        with contextlib.suppress(OSError):
            _damage_marker(path).unlink(missing_ok=True)
        store = cls._open_writable(path, cut_off_after)
        kept = said("The damaged file was kept, unchanged, as {name} in {folder}.",
                    name=aside.name, folder=aside.parent)
        store.problem = said(
            "Your chat history file was damaged ({damage}). {recovered}. {kept}",
            damage=damage, recovered=report.describe(), kept=kept) if report.anything else said(
            "Your chat history file was damaged ({damage}) and nothing in it could be read, "
            "so LlamaDesk started a new history. {kept} The sqlite3 tool's .recover command "
            "may still get something out of it.", damage=damage, kept=kept)
        return store

    def _quick_check(self) -> str | None:
        """None when SQLite finds the file sound; else what it found."""
        try:
            rows = self._db.execute("PRAGMA quick_check(3)").fetchall()
        except sqlite3.DatabaseError as error:
            return str(error) if _is_corrupt(error) else None
        found = [str(row[0]) for row in rows]
        return None if found == ["ok"] else "; ".join(found)[:300]

    @classmethod
    def _open_writable(cls, path: Path, cut_off_after: float) -> Store:
        connection = _connect(path, read_only=False)
        try:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if version > LATEST_VERSION:
                raise _NewerSchemaError(version)
            connection.execute("PRAGMA journal_mode=WAL")
            if version < LATEST_VERSION:
                _migrate(connection, path, version)
            store = cls(connection, path, False, None)
            store._recover_interrupted(cut_off_after)
            return store
        except BaseException:
            connection.close()
            raise

    def close(self) -> None:
        self._db.close()

    # -- conversations -------------------------------------------------------

    def create_conversation(self, system_prompt: str = "", settings: dict[str, Any] | None = None,
                            title: str = "") -> Conversation:
        now = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, title_is_auto, system_prompt, settings, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (title or "New chat", 0 if title else 1, system_prompt,
                 json.dumps(settings or {}), now, now))
        return self.conversation(int(cursor.lastrowid or 0))

    def conversation(self, conversation_id: int) -> Conversation:
        row = self._db.execute(
            "SELECT id, title, system_prompt, settings, pinned, current_leaf, created_at, "
            "updated_at FROM conversations WHERE id = ? AND deleted_at IS NULL",
            (conversation_id,)).fetchone()
        if row is None:
            raise StoreError(said("There is no conversation {conversation_id}. "
                                  "`llamadesk conversations` lists them.",
                                  conversation_id=conversation_id))
        return Conversation(id=row[0], title=row[1], system_prompt=row[2],
                            settings=_load_json(row[3]), pinned=bool(row[4]),
                            current_leaf=row[5], created_at=row[6], updated_at=row[7])

    def conversations(self) -> list[ConversationSummary]:
        """Pinned first, then newest first."""
        rows = self._db.execute(
            "SELECT c.id, c.title, c.pinned, c.updated_at, "
            "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) "
            "FROM conversations c WHERE c.deleted_at IS NULL "
            "ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC").fetchall()
        return [ConversationSummary(r[0], r[1], bool(r[2]), r[3], r[4]) for r in rows]

    def rename(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        with self._write() as db:
            if title:
                db.execute("UPDATE conversations SET title = ?, title_is_auto = 0 WHERE id = ?",
                           (title, conversation_id))
            else:  # an empty name goes back to the automatic one
                db.execute("UPDATE conversations SET title_is_auto = 1 WHERE id = ?",
                           (conversation_id,))
                self._refresh_auto_title(db, conversation_id)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        with self._write() as db:
            db.execute("UPDATE conversations SET pinned = ? WHERE id = ?",
                       (int(pinned), conversation_id))

    def delete(self, conversation_id: int) -> None:
        """Hide the conversation; ``restore`` brings it back until ``purge_deleted``."""
        with self._write() as db:
            db.execute("UPDATE conversations SET deleted_at = ? WHERE id = ?",
                       (_now(), conversation_id))

    def restore(self, conversation_id: int) -> None:
        with self._write() as db:
            db.execute("UPDATE conversations SET deleted_at = NULL WHERE id = ?",
                       (conversation_id,))

    def purge_deleted(self, older_than: float) -> int:
        with self._write() as db:
            cursor = db.execute("DELETE FROM conversations WHERE deleted_at IS NOT NULL "
                                "AND deleted_at < ?", (_now() - older_than,))
        return cursor.rowcount

    def set_system_prompt(self, conversation_id: int, text: str) -> None:
        with self._write() as db:
            db.execute("UPDATE conversations SET system_prompt = ? WHERE id = ?",
                       (text, conversation_id))

    def set_settings(self, conversation_id: int, settings: dict[str, Any]) -> None:
        with self._write() as db:
            db.execute("UPDATE conversations SET settings = ? WHERE id = ?",
                       (json.dumps(settings), conversation_id))

    # -- messages ------------------------------------------------------------

    def add_message(self, conversation_id: int, parent_id: int | None, role: str,
                    content: str, status: Status = "complete") -> Message:
        """Commit a message now, as the current leaf of its conversation."""
        now = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, status, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, parent_id, role, content, status, now, now))
            message_id = int(cursor.lastrowid or 0)
            db.execute("UPDATE conversations SET current_leaf = ?, updated_at = ? WHERE id = ?",
                       (message_id, now, conversation_id))
            _remember_path(db, message_id)
            if role == "user":
                self._refresh_auto_title(db, conversation_id)
        return self.message(message_id)

    def begin_answer(self, conversation_id: int, parent_id: int | None,
                     model: str | None) -> AnswerWriter:
        message = self.add_message(conversation_id, parent_id, "assistant", "", "streaming")
        with self._write() as db:
            db.execute("UPDATE messages SET model = ? WHERE id = ?", (model, message.id))
        return AnswerWriter(self, message.id)

    def reopen_answer(self, message_id: int) -> AnswerWriter:
        """Go on writing an answer (Continue): its text so far is kept and added to."""
        message = self.message(message_id)
        with self._write() as db:
            db.execute("UPDATE messages SET status = 'streaming', error = NULL, updated_at = ? "
                       "WHERE id = ?", (_now(), message_id))
        writer = AnswerWriter(self, message_id)
        writer.append(message.content)
        return writer

    def message(self, message_id: int) -> Message:
        row = self._db.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?",
                               (message_id,)).fetchone()
        if row is None:
            raise StoreError(said("Message {message_id} does not exist.",
                                  message_id=message_id))
        return _message(row)

    def messages(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation, all branches, oldest first."""
        rows = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,)).fetchall()
        return [_message(row) for row in rows]

    def branch(self, conversation_id: int) -> Branch:
        """The branch the conversation shows: root to its current leaf."""
        conversation = self.conversation(conversation_id)
        return build_branch(self.messages(conversation_id), conversation.current_leaf)

    def show_branch(self, conversation_id: int, message_id: int) -> None:
        """Show the branch through ``message_id``, down to the version shown last at each
        step below it (kept in the file), else the newest."""
        children: dict[int | None, list[int]] = {}
        chosen: dict[int, int | None] = {}
        for row in self._db.execute(
                "SELECT id, parent_id, shown_child FROM messages WHERE conversation_id = ? "
                "ORDER BY id", (conversation_id,)):
            children.setdefault(row[1], []).append(row[0])
            chosen[row[0]] = row[2]
        leaf = message_id
        while children.get(leaf):
            below = chosen.get(leaf)
            leaf = below if below in children[leaf] else children[leaf][-1]
        with self._write() as db:
            db.execute("UPDATE conversations SET current_leaf = ? WHERE id = ?",
                       (leaf, conversation_id))
            _remember_path(db, leaf)

    def import_conversations(self, items: Sequence[tuple[
            str, str, dict[str, Any], bool, float | None, float | None,
            Sequence[dict[str, Any]], Any]]) -> list[int]:
        """Store whole conversations in one transaction: all of them or none.

        Each item: title, system prompt, settings, pinned, created, updated, messages
        (dicts with id, parent, role, content, status, created_at, model, token
        figures, seed, error; parents before children) and the shown leaf's id.
        """
        now = _now()
        new_ids: list[int] = []
        with self._write() as db:
            for title, system, settings, pinned, created, updated, messages, leaf in items:
                cursor = db.execute(
                    "INSERT INTO conversations (title, title_is_auto, system_prompt, settings, "
                    "pinned, created_at, updated_at) VALUES (?, 0, ?, ?, ?, ?, ?)",
                    (title, system, json.dumps(settings), int(pinned), created or now,
                     updated or created or now))
                conversation_id = int(cursor.lastrowid or 0)
                mapped: dict[Any, int] = {}
                for m in messages:
                    cursor = db.execute(
                        "INSERT INTO messages (conversation_id, parent_id, role, content, "
                        "status, model, prompt_tokens, completion_tokens, tokens_per_second, "
                        "seed, error, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (conversation_id, mapped.get(m["parent"]) if m["parent"] is not None
                         else None, m["role"], m["content"], m["status"], m.get("model"),
                         m.get("prompt_tokens"), m.get("completion_tokens"),
                         m.get("tokens_per_second"), m.get("seed"), m.get("error"),
                         m.get("created_at") or now, m.get("created_at") or now))
                    mapped[m["id"]] = int(cursor.lastrowid or 0)
                shown = mapped.get(leaf) if leaf is not None else None
                if shown is None and mapped:
                    shown = list(mapped.values())[-1]
                db.execute("UPDATE conversations SET current_leaf = ? WHERE id = ?",
                           (shown, conversation_id))
                if shown is not None:
                    _remember_path(db, shown)
                new_ids.append(conversation_id)
        return new_ids

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles and message text; every word must match (prefixes count)."""
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        match = " ".join(f'"{word}"*' for word in words)
        hits = [SearchHit(r[0], r[1], None, r[2]) for r in self._db.execute(
            "SELECT c.id, c.title, highlight(conversations_fts, 0, '[[', ']]') "
            "FROM conversations_fts JOIN conversations c ON c.id = conversations_fts.rowid "
            "WHERE conversations_fts MATCH ? AND c.deleted_at IS NULL "
            "ORDER BY c.updated_at DESC LIMIT ?", (match, limit))]
        hits += [SearchHit(r[0], r[1], r[2], r[3]) for r in self._db.execute(
            "SELECT c.id, c.title, m.id, snippet(messages_fts, 0, '[[', ']]', '…', 12) "
            "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE messages_fts MATCH ? AND c.deleted_at IS NULL "
            # Newest first by the FTS rowid: FTS5 walks its index in that order and
            # stops at the limit (ordering by m.id sorted every match: 55x slower).
            "ORDER BY messages_fts.rowid DESC LIMIT ?", (match, limit))]
        return hits[:limit]

    # -- internals -----------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreError(self.problem or said("The chat history is open read-only."))
        try:
            with self._db:
                yield self._db
        except sqlite3.DatabaseError as error:
            if _is_constraint(error):
                raise
            raise StoreError(_write_failure(self.path, error)) from error


    def _refresh_auto_title(self, db: sqlite3.Connection, conversation_id: int) -> None:
        row = db.execute(
            "SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id "
            "WHERE m.conversation_id = ? AND m.role = 'user' AND c.title_is_auto = 1 "
            "ORDER BY m.id LIMIT 1", (conversation_id,)).fetchone()
        if row is not None:
            db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                       (auto_title(row[0]), conversation_id))

    def _recover_interrupted(self, older_than: float) -> None:
        """Answers left 'streaming' by a process that died are marked as cut off."""
        with self._write() as db:
            cursor = db.execute("UPDATE messages SET status = 'interrupted' "
                                "WHERE status = 'streaming' AND updated_at <= ?",
                                (_now() - older_than,))
        if cursor.rowcount:
            log.warning("marked %d answers cut off by a crash as interrupted", cursor.rowcount)

    def _update_answer(self, message_id: int, content: str, status: Status,
                       extra: dict[str, Any]) -> None:
        columns = ", ".join(f"{name} = ?" for name in extra)
        with self._write() as db:
            db.execute(
                f"UPDATE messages SET content = ?, status = ?, updated_at = ?"
                f"{', ' + columns if columns else ''} WHERE id = ?",
                (content, status, _now(), *extra.values(), message_id))


def _reported(method: Callable[..., Any]) -> Callable[..., Any]:
    """A failure of SQLite in a public Store method reaches the caller as a StoreError
    that says what happened and what to do, never as a bare sqlite3 traceback."""
    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            if _is_constraint(error):
                raise
            if _is_corrupt(error):
                # the next start checks the whole file and repairs
                with contextlib.suppress(OSError):
                    _damage_marker(self.path).touch()
                raise StoreError(said(
                    "Part of your chat history could not be read: the file is damaged "
                    "({error}). Restart LlamaDesk to repair it; what can be read is kept.",
                    error=error)) from error
            raise StoreError(said("The chat history could not be read: {error}.",
                                  error=error)) from error
    return wrapper


for _name, _member in list(vars(Store).items()):
    if not _name.startswith("_") and callable(_member) and \
            not isinstance(_member, (classmethod, staticmethod)):
        setattr(Store, _name, _reported(_member))


class AnswerWriter:
    """Saves an answer while it streams: at most SAVE_INTERVAL seconds unsaved."""

    def __init__(self, store: Store, message_id: int) -> None:
        self.store = store
        self.message_id = message_id
        self._parts: list[str] = []
        self._saved_at = time.monotonic()
        self._unsaved = False
        self.closed = False

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def append(self, text: str) -> None:
        self._parts.append(text)
        self._unsaved = True
        if time.monotonic() - self._saved_at >= SAVE_INTERVAL:
            self.save()

    def save(self) -> None:
        if self._unsaved and not self.closed:
            self.store._update_answer(self.message_id, self.text, "streaming", {})
            self._unsaved = False
        self._saved_at = time.monotonic()

    def finish(self, status: Status, *, prompt_tokens: int | None = None,
               completion_tokens: int | None = None, tokens_per_second: float | None = None,
               seed: int | None = None, error: str | None = None) -> Message:
        extra = {k: v for k, v in {
            "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "tokens_per_second": tokens_per_second, "seed": seed, "error": error,
        }.items() if v is not None}
        self.store._update_answer(self.message_id, self.text, status, extra)
        self.closed = True
        return self.store.message(self.message_id)


def build_branch(messages: Sequence[Message], leaf: int | None) -> Branch:
    """Root-to-leaf path ending at ``leaf`` (or the newest message), with positions."""
    by_id = {m.id: m for m in messages}
    if leaf not in by_id:
        leaf = messages[-1].id if messages else None
    path: list[Message] = []
    while leaf is not None:
        message = by_id[leaf]
        path.append(message)
        leaf = message.parent_id
    path.reverse()
    siblings: dict[int | None, list[int]] = {}
    for message in messages:
        siblings.setdefault(message.parent_id, []).append(message.id)
    positions = tuple((siblings[m.parent_id].index(m.id) + 1, len(siblings[m.parent_id]))
                      for m in path)
    return Branch(tuple(path), positions)


class _NewerSchemaError(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


_MESSAGE_COLUMNS = ("id, conversation_id, parent_id, role, content, status, created_at, model, "
                    "prompt_tokens, completion_tokens, tokens_per_second, seed, error")


def _message(row: Sequence[Any]) -> Message:
    return Message(*row)


def _load_json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _connect(path: Path, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        options = "mode=ro&immutable=1" if immutable else "mode=ro"
        connection = sqlite3.connect(f"{path.as_uri()}?{options}", uri=True,
                                     timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            connection.execute("PRAGMA synchronous = NORMAL")  # durable in WAL at commit
    except BaseException:
        connection.close()
        raise
    return connection


def _remember_path(db: sqlite3.Connection, leaf: int) -> None:
    """Each message on the path to ``leaf`` now shows the version of the next one on it
    (one statement; only rows that change are written)."""
    db.execute(
        "WITH RECURSIVE path(id, parent) AS (SELECT id, parent_id FROM messages WHERE id = ? "
        "UNION ALL SELECT m.id, m.parent_id FROM messages m JOIN path p ON m.id = p.parent) "
        "UPDATE messages SET shown_child = path.id FROM path "
        "WHERE messages.id = path.parent AND messages.shown_child IS NOT path.id", (leaf,))


def _migrate(connection: sqlite3.Connection, path: Path, version: int) -> None:
    if version > 0:
        backup = path.with_name(f"{path.stem}.before-v{LATEST_VERSION}{path.suffix}")
        if not backup.exists():
            with sqlite3.connect(backup) as copy:
                connection.backup(copy)
            log.info("backed up history schema %d to %s before migrating", version, backup)
    for target in range(version + 1, LATEST_VERSION + 1):
        connection.execute("BEGIN")
        try:
            for statement in _statements(MIGRATIONS[target]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        log.info("migrated history to schema %d", target)


def _statements(script: str) -> list[str]:
    """Split a script into statements (sqlite3.complete_statement knows triggers)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _is_locked(error: sqlite3.DatabaseError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _sqlite_code(error: BaseException | None) -> int:
    """SQLite's primary result code (SQLITE_FULL, SQLITE_CORRUPT, ...); 0 if unknown."""
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_corrupt(error: BaseException) -> bool:
    return _sqlite_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB) or \
        "malformed" in str(error) or "not a database" in str(error)


def _is_constraint(error: BaseException) -> bool:
    return isinstance(error, sqlite3.IntegrityError)


def _why_unwritable(path: Path, error: BaseException | None) -> Said:
    """Why the history cannot be written and what to do, as a clause after a colon."""
    code = _sqlite_code(error)
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = -1
    # A full disk shows as SQLITE_FULL, or as an I/O error creating the -shm file
    if code == SQLITE_FULL or "disk is full" in str(error) or \
            getattr(error, "errno", None) == 28 or 0 <= free < LOW_DISK_BYTES:
        return said("the disk is full ({free_mb:.1f} MB free). Free some disk space, then "
                    "restart LlamaDesk", free_mb=max(free, 0) / 2**20)
    try:
        read_only_disk = bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # Windows has no statvfs
        read_only_disk = False
    if read_only_disk:
        return said("it is on a read-only disk ({folder}). Remount it writable or move the "
                    "data folder (LLAMADESK_HOME), then restart LlamaDesk", folder=path.parent)
    if path.exists() and not os.access(path, os.W_OK):
        return said("the file {name} is read-only. Allow writing to it (chmod u+w \"{path}\"), "
                    "then restart LlamaDesk", name=path.name, path=path)
    if not os.access(path.parent, os.W_OK):
        return said("its folder {folder} is read-only. Allow writing to it, then restart "
                    "LlamaDesk", folder=path.parent)
    return said("the system refused ({error}); the file or its folder may be marked immutable "
                "or on a read-only disk. Check them, then restart LlamaDesk", error=error)


def _unwritable(path: Path, error: BaseException) -> Said:
    cause = error.__cause__ if isinstance(error, StoreError) else error
    return said("Your chat history cannot be written: {why}. Until then it is open read-only: "
                "every chat is here, but new messages are not saved.",
                why=_why_unwritable(path, cause))


def _write_failure(path: Path, error: sqlite3.DatabaseError) -> Said:
    if _is_corrupt(error):
        return said("The chat history could not be saved: the file is damaged ({error}). "
                    "Restart LlamaDesk to repair it; what was saved before is kept.",
                    error=error)
    return said("The chat history could not be saved: {why}. What was saved before is safe.",
                why=_why_unwritable(path, error))


def _damage_marker(path: Path) -> Path:
    """Left beside the history when a read met a damaged page: the next start repairs."""
    return path.with_name(f"{path.name}.damaged")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _move_files(source: Path, target: Path) -> None:
    """Move a database and its -wal and -shm files."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.move(Path(f"{source}{suffix}"), Path(f"{target}{suffix}"))

