"""The history store: real SQLite files, frozen old schemas, damaged files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from app.backend import store as store_module
from app.backend.store import LATEST_VERSION, Store, StoreError, auto_title

FROZEN = Path(__file__).parent / "data"
V1_MESSAGES = {
    1: ("user", "complete", "Où est le trésor? 🏴‍☠️"),
    2: ("assistant", "complete", "Arr, under the palm tree."),
    3: ("assistant", "stopped", "Buried on the island, ma"),
    4: ("user", "complete", "Where is the treasure?"),
    5: ("assistant", "interrupted", "The treasure is"),  # was left 'streaming' by a crash
    6: ("user", "complete", "```python\nprint('hi')\n```\nWhy?"),
    7: ("assistant", "complete", "It prints **hi**."),
}


def copy_frozen(tmp_path: Path, version: int) -> Path:
    target = tmp_path / "history.sqlite"
    shutil.copyfile(FROZEN / f"history-v{version}.sqlite", target)
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "history.sqlite")
    yield opened
    opened.close()


def test_every_frozen_schema_opens_with_nothing_lost(tmp_path: Path):
    frozen = sorted(FROZEN.glob("history-v*.sqlite"))
    expected = [f"history-v{v}.sqlite" for v in range(1, LATEST_VERSION + 1)]
    assert [p.name for p in frozen] == expected
    opened = Store.open(copy_frozen(tmp_path, 1))
    assert opened.problem is None and not opened.read_only
    listed = opened.conversations()
    assert [c.title for c in listed] == ["Où est le trésor? 🏴‍☠️", "Code help"]  # pinned first
    assert listed[0].pinned and listed[0].message_count == 5
    pirate = opened.conversation(listed[0].id)
    assert pirate.system_prompt == "You are a pirate."
    assert pirate.settings == {"temperature": 0.4, "seed": 7}
    for message in opened.messages(pirate.id) + opened.messages(listed[1].id):
        assert (message.role, message.status, message.content) == V1_MESSAGES[message.id]
    assert opened.message(2).completion_tokens == 7 and opened.message(2).seed == 7
    branch = opened.branch(pirate.id)
    assert [m.id for m in branch.messages] == [4, 5]
    assert branch.positions == ((2, 2), (1, 1))
    assert [h.message_id for h in opened.search("trésor")] == [None, 1]
    opened.close()


def test_schema_2_keeps_the_version_shown_under_each_message(tmp_path: Path):
    """history-v2.sqlite: answer 1 of 2 was chosen under the pirate question, then the
    edited question was shown; going back to the question brings answer 1 back."""
    opened = Store.open(copy_frozen(tmp_path, 2))
    pirate = opened.conversations()[0].id
    assert [m.id for m in opened.branch(pirate).messages] == [4, 5]
    opened.show_branch(pirate, 1)
    assert [m.id for m in opened.branch(pirate).messages] == [1, 2]  # not the newest (3)
    opened.close()
    (tmp_path / "v1").mkdir()
    from_v1 = Store.open(copy_frozen(tmp_path / "v1", 1))
    from_v1.show_branch(pirate, 1)  # nothing chosen in v1's file: the newest answer
    assert [m.id for m in from_v1.branch(pirate).messages] == [1, 3]
    from_v1.close()


def test_the_chosen_version_survives_an_edit_above_it_and_a_restart(store: Store):
    chat = store.create_conversation()
    question = store.add_message(chat.id, None, "user", "Q1")
    answers = [store.add_message(chat.id, question.id, "assistant", f"A{n}").id
               for n in range(3)]
    store.show_branch(chat.id, answers[1])  # the user steps to 2 / 3
    follow = store.add_message(chat.id, answers[1], "user", "Q2")
    store.add_message(chat.id, None, "user", "Q1, asked better")  # edit the first question
    reopened = Store.open(store.path)  # a restart
    reopened.show_branch(chat.id, question.id)  # back to the first version of the question
    branch = reopened.branch(chat.id)
    assert [m.content for m in branch.messages] == ["Q1", "A1", "Q2"]
    assert branch.positions == ((1, 2), (2, 3), (1, 1))
    assert branch.messages[-1].id == follow.id
    reopened.close()


def test_a_new_schema_version_migrates_the_frozen_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    """The machinery every future migration will use: backup first, then each step."""
    path = copy_frozen(tmp_path, 1)
    migrations = {**store_module.MIGRATIONS,
                  LATEST_VERSION + 1: "ALTER TABLE messages ADD COLUMN rating INTEGER;"}
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "LATEST_VERSION", LATEST_VERSION + 1)
    opened = Store.open(path)
    version = opened._db.execute("PRAGMA user_version").fetchone()[0]
    assert version == LATEST_VERSION + 1
    assert opened._db.execute("SELECT count(rating) FROM messages").fetchone() == (0,)
    for message_id, (_role, _status, content) in V1_MESSAGES.items():
        assert opened.message(message_id).content == content
    opened.close()
    backups = list(tmp_path.glob("history.before-v*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("PRAGMA user_version").fetchone() == (1,)


def test_a_newer_schema_opens_read_only_and_is_left_untouched(tmp_path: Path):
    path = copy_frozen(tmp_path, 1)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    before = digest(path)
    opened = Store.open(path)
    assert opened.read_only
    assert opened.problem and "newer version of LlamaDesk" in opened.problem
    assert len(opened.conversations()) == 2  # still readable
    with pytest.raises(StoreError, match="newer version"):
        opened.create_conversation()
    opened.close()
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"\x00" * 5000,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_file_is_moved_aside_unchanged_and_a_new_history_starts(
        tmp_path: Path, content: bytes):
    path = tmp_path / "history.sqlite"
    path.write_bytes(content)
    opened = Store.open(path)
    assert opened.problem and "nothing in it could be read" in opened.problem
    kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert kept[0].name in opened.problem
    conversation = opened.create_conversation()
    opened.add_message(conversation.id, None, "user", "works again")
    assert opened.conversations()[0].title == "works again"
    opened.close()


def test_a_locked_history_opens_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "history.sqlite"
    Store.open(path).close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        opened = Store.open(path)
        assert opened.read_only and opened.problem and "locked" in opened.problem
        opened.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_window_and_command_line_write_at_the_same_time(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    window, terminal = Store.open(path), Store.open(path)
    a = window.create_conversation()
    b = terminal.create_conversation()
    for index in range(50):
        window.add_message(a.id, None, "user", f"window {index}")
        terminal.add_message(b.id, None, "user", f"terminal {index}")
    assert len(window.messages(b.id)) == 50 and len(terminal.messages(a.id)) == 50
    window.close()
    terminal.close()


def test_edit_and_regenerate_make_branches_and_the_shown_one_is_remembered(store: Store):
    chat = store.create_conversation()
    question = store.add_message(chat.id, None, "user", "Tell me a joke")
    first = store.add_message(chat.id, question.id, "assistant", "Joke one")
    second = store.add_message(chat.id, question.id, "assistant", "Joke two")  # regenerate
    branch = store.branch(chat.id)
    assert [m.content for m in branch.messages] == ["Tell me a joke", "Joke two"]
    assert branch.positions[-1] == (2, 2)
    edited = store.add_message(chat.id, None, "user", "Tell me a pun")  # edit
    store.add_message(chat.id, edited.id, "assistant", "Pun")
    assert store.branch(chat.id).positions[0] == (2, 2)
    store.show_branch(chat.id, question.id)  # back to the first question: its newest answer
    assert [m.id for m in store.branch(chat.id).messages] == [question.id, second.id]
    store.show_branch(chat.id, first.id)
    reopened = Store.open(store.path)
    assert [m.content for m in reopened.branch(chat.id).messages] == ["Tell me a joke",
                                                                      "Joke one"]
    assert {m.content for m in reopened.messages(chat.id)} == {
        "Tell me a joke", "Joke one", "Joke two", "Tell me a pun", "Pun"}  # nothing lost
    reopened.close()


def test_answers_are_saved_while_they_stream(store: Store, monkeypatch: pytest.MonkeyPatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    chat = store.create_conversation()
    question = store.add_message(chat.id, None, "user", "Count")
    writer = store.begin_answer(chat.id, question.id, "model")
    assert store.message(writer.message_id).status == "streaming"
    writer.append("one ")
    clock[0] += 0.5
    writer.append("two ")
    assert store.message(writer.message_id).content == ""  # not yet: under a second
    clock[0] += 0.6
    writer.append("three ")
    assert store.message(writer.message_id).content == "one two three "
    writer.append("four")
    final = writer.finish("stopped", completion_tokens=4, tokens_per_second=9.5, seed=3)
    assert (final.content, final.status, final.completion_tokens) == (
        "one two three four", "stopped", 4)


def test_search_titles_and_text_with_highlights(store: Store):
    chat = store.create_conversation()
    store.add_message(chat.id, None, "user", "How do lighthouses work?")
    other = store.create_conversation()
    message = store.add_message(other.id, None, "user", "Bake bread")
    store.add_message(other.id, message.id, "assistant", "Knead the dough, then bake it.")
    hits = store.search("lighth")
    assert [(h.conversation_id, h.message_id) for h in hits] == [(chat.id, None),
                                                                 (chat.id, hits[1].message_id)]
    assert "[[lighthouses]]" in hits[1].snippet
    assert next(h.snippet for h in store.search("dough bake") if h.message_id).count("[[") == 2
    assert store.search("  ") == [] and store.search('"; DROP TABLE x') == []
    store.delete(other.id)
    assert store.search("dough") == []
    store.restore(other.id)
    assert store.search("dough")


def test_rename_pin_delete_undo_and_auto_titles(store: Store):
    chat = store.create_conversation()
    store.add_message(chat.id, None, "user", "  plan   a trip to Lisbon in May " + "x" * 80)
    title = store.conversation(chat.id).title
    assert title.startswith("plan a trip to Lisbon in May") and title.endswith("…")
    store.rename(chat.id, "Lisbon")
    store.add_message(chat.id, None, "user", "another question")
    assert store.conversation(chat.id).title == "Lisbon"  # a chosen name stays
    store.rename(chat.id, "")
    assert store.conversation(chat.id).title.startswith("plan a trip")
    later = store.create_conversation(title="Later")
    assert [c.id for c in store.conversations()] == [later.id, chat.id]
    store.set_pinned(chat.id, True)
    assert [c.id for c in store.conversations()] == [chat.id, later.id]
    store.delete(chat.id)
    assert [c.id for c in store.conversations()] == [later.id]
    store.restore(chat.id)
    assert len(store.conversations()) == 2
    store.delete(chat.id)
    assert store.purge_deleted(older_than=-1) == 1
    with pytest.raises(StoreError, match="no conversation"):
        store.conversation(chat.id)
    assert auto_title("") == "New chat"


def test_a_full_disk_gives_a_message_and_keeps_what_was_saved(store: Store):
    chat = store.create_conversation()
    store.add_message(chat.id, None, "user", "safe")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreError, match="Free some disk space"):
        store.add_message(chat.id, None, "user", "x" * 200_000)
    assert [m.content for m in store.messages(chat.id)] == ["safe"]


def test_the_command_line_leaves_a_live_answer_alone(tmp_path: Path):
    path = tmp_path / "history.sqlite"
    window = Store.open(path)
    chat = window.create_conversation()
    question = window.add_message(chat.id, None, "user", "q")
    writer = window.begin_answer(chat.id, question.id, "m")
    writer.append("still writing")
    writer.save()
    terminal = Store.open(path, cut_off_after=60)
    assert terminal.message(writer.message_id).status == "streaming"
    terminal.close()
    restarted = Store.open(path)  # the window after a crash: nothing is writing
    assert restarted.message(writer.message_id).status == "interrupted"
    writer.append(" and more")
    writer.save()  # a live writer heals the mark on its next save
    assert restarted.message(writer.message_id).status == "streaming"
    restarted.close()
    window.close()
