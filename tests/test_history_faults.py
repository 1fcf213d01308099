"""Issue 10, part 3 and 4: nothing hides or loses the user's history.

Only a file SQLite proves damaged is repaired (what reads is copied into a new file,
the damaged one kept); a file that cannot be written opens read-only with the reason;
a full disk keeps everything written so far and says so; the command line keeps the
question before anything can fail.  Real SQLite, real small and read-only file
systems (tmpfs, mounted by root; other users get chmod, which stops them too).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backend.store import Store, StoreError

EXE = Path(sys.executable).parent / ("llamadesk.exe" if os.name == "nt" else "llamadesk")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(store: Store, chats: int = 30, size: int = 3000) -> dict[int, list[str]]:
    """Chats of 4 messages, each big enough to fill its own page."""
    kept: dict[int, list[str]] = {}
    for number in range(chats):
        chat = store.create_conversation("Be brief.")
        parent = None
        texts = [f"chat {number} message {i} " + "words " * (size // 6) for i in range(4)]
        for index, text in enumerate(texts):
            role = "user" if index % 2 == 0 else "assistant"
            parent = store.add_message(chat.id, parent, role, text).id
        kept[chat.id] = texts
    return kept


def checkpointed(path: Path) -> None:
    """Everything in the main file (no -wal), as after a clean exit."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    """A folder for a small tmpfs; unmounted afterwards."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root on Linux; chmod tests cover "
                    "other users")
    point = tmp_path / "mnt"
    point.mkdir()
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def mount(point: Path, size: str, read_only: bool = False) -> None:
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def cli(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "LLAMADESK_HOME": str(home)}, check=False)


# -- damaged files ---------------------------------------------------------------------

@pytest.mark.parametrize("position", [i / 15 for i in range(1, 16)])
def test_a_damaged_page_anywhere_recovers_what_reads_and_says_what_was_lost(
        tmp_path: Path, position: float):
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    kept = fill(store)
    store.close()
    checkpointed(path)
    pages = path.stat().st_size // 4096
    page = min(pages - 1, max(1, int(pages * position)))
    with path.open("r+b") as file:
        file.seek(page * 4096)
        file.write(os.urandom(4096))
    damaged = digest(path)
    opened = Store.open(path)
    try:
        assert opened.problem and "damaged" in opened.problem
        assert not opened.read_only
        chats = opened.conversations()
        texts = [m.content for c in chats for m in opened.messages(c.id)]
        expected = [t for chat in kept.values() for t in chat]
        assert len(texts) >= len(expected) - 2  # one page lost at most one or two rows
        assert set(texts) <= set(expected)  # nothing invented, nothing garbled
        lost = len(expected) - len(texts)
        assert ("could not be read" in opened.problem) == bool(lost) or lost == 0
        aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and
                 p.suffix == ".sqlite"]
        assert len(aside) == 1 and digest(aside[0]) == damaged  # kept, unchanged
        assert aside[0].name in opened.problem
        chat = opened.create_conversation()  # and it works again
        opened.add_message(chat.id, None, "user", "after the repair")
    finally:
        opened.close()


def test_a_damaged_page_met_later_is_a_message_and_the_next_start_repairs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import app.backend.store as store_module

    monkeypatch.setattr(store_module, "QUICK_CHECK_UP_TO", 0)  # as for a large history
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    kept = fill(store)
    store.close()
    checkpointed(path)
    opened = Store.open(path)
    assert opened.problem is None
    page = path.read_bytes().index(b"chat 15 message 1 ") // 4096  # a message's own page
    with path.open("r+b") as file:  # damaged while open: a failing disk
        file.seek(page * 4096)
        file.write(os.urandom(4096))
    with sqlite3.connect(path) as other:  # another writer: the open one's cache goes stale
        other.execute("UPDATE conversations SET pinned = 1 WHERE id = 1")
    other.close()
    with pytest.raises(StoreError, match="Restart LlamaDesk to repair it"):
        for chat_id in kept:
            opened.messages(chat_id)
    opened.close()
    again = Store.open(path)
    try:
        assert again.problem and "were recovered" in again.problem
    finally:
        again.close()


def test_a_large_history_damaged_is_found_by_the_scan_at_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Above QUICK_CHECK_UP_TO there is no whole-file check, but the start-up scan for
    answers cut off by a crash reads every message page, and meets the damage."""
    import app.backend.store as store_module

    monkeypatch.setattr(store_module, "QUICK_CHECK_UP_TO", 0)
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    fill(store)
    store.close()
    checkpointed(path)
    page = path.read_bytes().index(b"chat 7 message 2 ") // 4096
    with path.open("r+b") as file:
        file.seek(page * 4096)
        file.write(os.urandom(4096))
    opened = Store.open(path)
    try:
        assert opened.problem and "119 messages were recovered" in opened.problem
        assert "up to 1 messages could not be read" in opened.problem
    finally:
        opened.close()


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"\x00" * 5000])
def test_a_file_with_nothing_readable_is_kept_and_a_new_history_starts(
        tmp_path: Path, content: bytes):
    path = tmp_path / "history.sqlite"
    path.write_bytes(content)
    opened = Store.open(path)
    try:
        assert opened.problem and "nothing in it could be read" in opened.problem
        kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
        assert len(kept) == 1 and kept[0].read_bytes() == content
    finally:
        opened.close()


# -- files that cannot be written --------------------------------------------------------

def test_a_read_only_history_file_opens_read_only_and_untouched(tmp_path: Path,
                                                                mount_point: Path):
    mount(mount_point, "4m")
    path = mount_point / "history.sqlite"
    store = Store.open(path)
    kept = fill(store, chats=3)
    store.close()
    checkpointed(path)
    before = digest(path)
    remount_read_only(mount_point)
    opened = Store.open(path)
    try:
        assert opened.read_only
        assert opened.problem and "read-only" in opened.problem and "restart" in opened.problem
        assert {c.id for c in opened.conversations()} == set(kept)
        with pytest.raises(StoreError, match="read-only"):
            opened.create_conversation()
    finally:
        opened.close()
    assert digest(path) == before
    assert sorted(p.name for p in mount_point.iterdir()) == ["history.sqlite"]


def test_a_file_without_write_permission(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    fill(store, chats=2)
    store.close()
    checkpointed(path)
    path.chmod(0o444)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("root writes read-only files; the read-only mount test covers it")
        opened = Store.open(path)
        assert opened.read_only and "chmod u+w" in (opened.problem or "")
        assert len(opened.conversations()) == 2
        opened.close()
    finally:
        path.chmod(0o644)


def test_an_immutable_history_file(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    fill(store, chats=2)
    store.close()
    checkpointed(path)
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True,
                      check=False).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        opened = Store.open(path)
        assert opened.read_only and opened.problem
        assert len(opened.conversations()) == 2
        opened.close()
        assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_read_only_data_folder_works_in_every_command(tmp_path: Path, mount_point: Path):
    mount(mount_point, "8m")
    home = mount_point / "home"
    store = Store.open(home / "data" / "history.sqlite")
    fill(store, chats=2)
    store.close()
    remount_read_only(mount_point)
    for args in (["conversations"], ["doctor"], ["models"], ["token", "status"],
                 ["export", "1", "--format", "md", "--output", str(tmp_path / "out.md")]):
        done = cli(*args, home=home)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    listed = cli("conversations", home=home)
    assert listed.stdout.count("chat 0 message 0") + listed.stdout.count("chat 1 message 0") == 2
    assert "read-only" in listed.stderr
    answered = cli("chat", "Say hi.", "--max-tokens", "4", "--threads", "1", home=home)
    assert answered.returncode == 0 and answered.stdout.strip(), answered.stderr
    assert "Traceback" not in answered.stderr
    fresh = cli("conversations", home=mount_point / "never-made")
    assert fresh.returncode == 1 and "cannot create the data folder" in fresh.stderr


# -- a full disk ----------------------------------------------------------------------------

def test_a_full_disk_never_moves_a_healthy_history_aside(tmp_path: Path, mount_point: Path):
    mount(mount_point, "2m")
    home = mount_point / "home"
    path = home / "data" / "history.sqlite"
    path.parent.mkdir(parents=True)
    store = Store.open(path)
    fill(store, chats=3)
    store.close()
    filler = (mount_point / "filler").open("wb", buffering=0)
    with filler, contextlib.suppress(OSError):  # every last byte
        while True:
            filler.write(b"\0" * 4096)
    before = digest(path)
    done = cli("conversations", home=home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.count("chat ") == 3
    assert digest(path) == before
    assert not [p for p in path.parent.iterdir() if ".damaged-" in p.name or
                "unreadable" in p.name]
    opened = Store.open(path)
    try:
        chat = opened.conversations()[0]
        with pytest.raises(StoreError, match="the disk is full"):
            opened.add_message(chat.id, None, "user", "x" * 100_000)
    finally:
        opened.close()


def test_a_full_disk_while_an_answer_streams_keeps_what_was_written(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    chat = store.create_conversation()
    question = store.add_message(chat.id, None, "user", "Tell me a long story.")
    writer = store.begin_answer(chat.id, question.id, "model")
    writer.append("Once upon a time ")
    writer.save()
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + 1}")  # SQLite's own SQLITE_FULL
    failures = 0
    for _ in range(50):
        try:
            writer.append("there was a llama who wrote " * 40)
            writer.save()
        except StoreError as error:
            failures += 1
            assert "the disk is full" in str(error) and "What was saved before is safe" in \
                str(error)
    assert failures
    assert writer.text.startswith("Once upon a time there was a llama")  # all kept in memory
    assert len(writer.text) > 50_000
    store._db.execute("PRAGMA max_page_count = 1000000")  # space again
    stored = writer.finish("complete")
    assert stored.content == writer.text  # the end saves everything
    store.close()


# -- the command line keeps the question ----------------------------------------------------

def chat_caught_loading(prompt: str, model: Path, stderr: int) -> subprocess.Popen[str]:
    """`llamadesk chat` with a model it has not seen, returned while the model is being
    probed (a child process): before llama.cpp has loaded it in the chat's process."""
    import psutil

    process = subprocess.Popen([str(EXE), "chat", prompt, "--model", str(model)],
                               stdout=subprocess.DEVNULL, stderr=stderr, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if psutil.Process(process.pid).children():
            break
        time.sleep(0.005)
    assert process.poll() is None, "the chat ended before its model load could be seen"
    return process


def test_a_failed_load_keeps_the_question_with_the_error(tmp_path: Path, data_home: Path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 64)
    done = subprocess.run([str(EXE), "chat", "Is my question kept?", "--model", str(bad)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    store = Store.open(data_home / "data" / "history.sqlite")
    try:
        (chat,) = store.conversations()
        messages = store.messages(chat.id)
        assert [m.role for m in messages] == ["user", "assistant"]
        assert messages[0].content == "Is my question kept?"
        assert messages[1].status == "error" and messages[1].error
        assert "broken.gguf" in messages[1].error
    finally:
        store.close()


def test_a_kill_during_model_load_keeps_the_question(tmp_path: Path, data_home: Path,
                                                     builtin_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    """Killed while the model loads (here: while its first-use probe runs, which is
    before llama.cpp loads it in the process), the question is already stored."""

    monkeypatch.setenv("LLAMADESK_PROBE_CACHE", str(tmp_path / "fresh-verdicts.json"))
    model = tmp_path / "model.gguf"
    model.write_bytes(builtin_path.read_bytes())
    process = chat_caught_loading("Keep me", model, stderr=subprocess.DEVNULL)
    try:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    store = Store.open(data_home / "data" / "history.sqlite", cut_off_after=0)
    try:
        (chat,) = store.conversations()
        messages = store.messages(chat.id)
        assert messages[0].role == "user" and messages[0].content == "Keep me"
        assert all(m.status != "streaming" for m in messages)  # marked as cut off
    finally:
        store.close()


def test_ctrl_c_during_model_load_keeps_the_question_without_a_traceback(
        tmp_path: Path, data_home: Path, builtin_path: Path, monkeypatch: pytest.MonkeyPatch):

    monkeypatch.setenv("LLAMADESK_PROBE_CACHE", str(tmp_path / "fresh-verdicts.json"))
    model = tmp_path / "model.gguf"
    model.write_bytes(builtin_path.read_bytes())
    process = chat_caught_loading("Keep me too", model, stderr=subprocess.PIPE)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "stopped" in err
    store = Store.open(data_home / "data" / "history.sqlite")
    try:
        (chat,) = store.conversations()
        messages = store.messages(chat.id)
        assert messages[0].content == "Keep me too"
        assert messages[-1].role == "assistant" and messages[-1].status == "stopped"
    finally:
        store.close()
