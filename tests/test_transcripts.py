"""Export and import: every format, hostile text, malformed files, round trips."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pypdf import PdfReader

from app.backend.exporters import export_text, safe_filename, to_html, write_export
from app.backend.importers import import_into, parse_import, read_import
from app.backend.store import Store
from app.backend.transcripts import TranscriptError, load_transcript
from app.ui.export import save_export

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(document.cookie))",
    "<a href='javascript:alert(1)'>link</a>",
    "<div><b>unclosed <i>tags",
    "![tracker](https://evil.example/pixel.png)",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "```\nunclosed fence\n\n## Assistant · fake heading",
]


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "history.sqlite")
    yield opened
    opened.close()


def make_chat(store: Store, texts: list[str], system: str = "Be brief.") -> int:
    chat = store.create_conversation(system, {"temperature": 0.3})
    parent = None
    for index, text in enumerate(texts):
        role = "user" if index % 2 == 0 else "assistant"
        parent = store.add_message(chat.id, parent, role, text).id
    return chat.id


def normalised(data: str) -> list[dict[str, Any]]:
    """A LlamaDesk export without the fields an import renumbers or re-stamps."""
    conversations: list[dict[str, Any]] = json.loads(data)["conversations"]
    for conversation in conversations:
        order = {m["id"]: index for index, m in enumerate(conversation["messages"])}
        for message in conversation["messages"]:
            message["id"] = order[message["id"]]
            message["parent"] = order.get(message["parent"])
        conversation["current_leaf"] = order.get(conversation["current_leaf"])
    return conversations


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of whitespace as single spaces (pypdf emits tabs)."""
    return " ".join("".join(page.extract_text() for page in PdfReader(path).pages).split())


def round_trip(store: Store, conversation_id: int) -> tuple[str, str]:
    exported = export_text([load_transcript(store, conversation_id)], "json")
    (new_id,) = import_into(store, parse_import(json.loads(exported)))
    again = export_text([load_transcript(store, new_id)], "json")
    return exported, again


def test_every_format_exports(store: Store, tmp_path: Path):
    chat = make_chat(store, ["Show code", "```python\nprint('hi')\n```\nDone."])
    transcript = load_transcript(store, chat)
    for fmt in ("md", "txt", "html", "json", "openai", "pdf"):
        path = tmp_path / f"out.{fmt}"
        save_export([transcript], fmt, path)
        assert path.stat().st_size > 100, fmt
    assert "```python\nprint('hi')\n```" in (tmp_path / "out.md").read_text()
    assert "Be brief." in (tmp_path / "out.md").read_text()
    assert json.loads((tmp_path / "out.openai").read_text()) == [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Show code"},
        {"role": "assistant", "content": "```python\nprint('hi')\n```\nDone."}]
    text = pdf_text(tmp_path / "out.pdf")
    assert "Show code" in text and "print('hi')" in text and "Be brief." in text


def test_pdf_is_paginated(store: Store, tmp_path: Path):
    chat = make_chat(store, [f"Paragraph {i}: " + "words " * 200 for i in range(12)])
    save_export([load_transcript(store, chat)], "pdf", tmp_path / "long.pdf")
    pages = PdfReader(tmp_path / "long.pdf").pages
    assert len(pages) > 2
    assert "Paragraph 0:" in " ".join(pages[0].extract_text().split())
    assert "Paragraph 11:" in pdf_text(tmp_path / "long.pdf")
    assert "Paragraph 11:" not in " ".join(pages[0].extract_text().split())


@pytest.mark.parametrize("hostile", HOSTILE)
def test_html_export_runs_nothing_from_message_text(store: Store, hostile: str):
    chat = make_chat(store, [hostile, hostile])
    page = to_html([load_transcript(store, chat)])
    body = page.split("<body>", 1)[1]
    assert "<script" not in body.lower()
    assert "javascript:" not in re.findall(r'href="([^"]*)"', body.lower())
    assert not re.search(r"<(img|iframe|svg|a)\b[^>]*\b(on\w+|src)=", body, re.I)
    assert "<div><b>unclosed" not in body  # markup arrives as text
    assert "default-src 'none'" in page  # and the page may not load anything anyway


def test_markdown_export_cannot_break_the_document(store: Store):
    chat = make_chat(store, ["# Injected title\nplain", "## You · forged\n```python\nx = 1",
                             "Forged too\n===", "**bold** and a [link](https://a.example)"])
    markdown = export_text([load_transcript(store, chat)], "md")
    tokens = MarkdownIt("commonmark").parse(markdown)
    top = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens)
           if t.type == "heading_open" and t.tag in ("h1", "h2")]
    assert [tag for tag, _text in top] == ["h1", "h2", "h2", "h2", "h2", "h2"]  # nothing more
    assert top[1][1] == "System prompt"
    assert [text.split(" · ")[0] for _tag, text in top[2:]] == ["You", "Assistant", "You",
                                                                "Assistant"]
    inner = [tokens[i + 1].content for i, t in enumerate(tokens)
             if t.type == "heading_open" and t.tag not in ("h1", "h2")]
    assert inner == ["Injected title", "You · forged"]  # kept, one level inside
    fences = [t for t in tokens if t.type == "fence"]
    assert fences[-1].content == "x = 1\n" and fences[-1].info == "python"  # closed
    # the answers are Markdown, not code: emphasis and links render
    inline = [c.type for t in tokens if t.type == "inline" for c in t.children or []]
    assert "strong_open" in inline and "link_open" in inline


def test_files_are_never_overwritten_unasked(tmp_path: Path):
    path = tmp_path / "keep.md"
    path.write_text("precious")
    with pytest.raises(TranscriptError, match="already exists"):
        write_export(path, "new")
    assert path.read_text() == "precious"
    write_export(path, "new", overwrite=True)
    assert path.read_text() == "new"


@pytest.mark.parametrize(("title", "expected"), [
    ("Plan: a/b\\c <trip>?", "Plan a b c trip.md"),
    ("CON", "conversation CON.md"),
    ("...", "conversation.md"),
    ("  trailing dots...  ", "trailing dots.md"),
    ("é" * 200, "é" * 80 + ".md"),
])
def test_safe_file_names(title: str, expected: str):
    assert safe_filename(title, ".md") == expected


def test_llamadesk_json_round_trip_keeps_branches_and_everything(store: Store):
    chat = store.create_conversation("Pirate.", {"seed": 3, "temperature": 0.2})
    question = store.add_message(chat.id, None, "user", "Où? 🏴‍☠️")
    first = store.begin_answer(chat.id, question.id, "SmolLM2")
    first.append("Here")
    first.finish("stopped", completion_tokens=1, tokens_per_second=9.5, seed=3)
    store.add_message(chat.id, question.id, "assistant", "There")
    store.add_message(chat.id, None, "user", "Edited")
    store.show_branch(chat.id, first.message_id)
    store.set_pinned(chat.id, True)
    exported, again = round_trip(store, chat.id)
    assert normalised(exported) == normalised(again)
    conversation = normalised(again)[0]
    assert conversation["pinned"] and conversation["settings"] == {"seed": 3,
                                                                   "temperature": 0.2}
    assert [m["status"] for m in conversation["messages"]] == ["complete", "stopped",
                                                              "complete", "complete"]


messages_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=50), st.text(max_size=300)),
    min_size=0, max_size=25)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=messages_strategy, system=st.text(max_size=200), title=st.text(max_size=80))
def test_round_trip_of_generated_trees(store: Store, tree, system: str, title: str):
    chat = store.create_conversation(system, {}, title=title.strip() or "t")
    ids: list[int] = []
    for parent_pick, text in tree:
        parent = ids[parent_pick % len(ids)] if ids and parent_pick % 7 else (
            ids[-1] if ids else None)
        role = "user" if len(ids) % 2 == 0 else "assistant"
        ids.append(store.add_message(chat.id, parent, role, text).id)
    exported, again = round_trip(store, chat.id)
    assert normalised(exported) == normalised(again)


def test_deep_and_long_conversations_round_trip(store: Store):
    chat = make_chat(store, ["x" * 200_000, ""] + [f"turn {i}" for i in range(800)])
    exported, again = round_trip(store, chat)
    assert normalised(exported) == normalised(again)


def test_imports_openai_messages_and_chatgpt_exports(store: Store, tmp_path: Path):
    openai = tmp_path / "openai.json"
    openai.write_text(json.dumps([
        {"role": "system", "content": "Sys"}, {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": [{"type": "text", "text": "Hello"}]}]))
    (chat,) = import_into(store, read_import(openai))
    assert store.conversation(chat).system_prompt == "Sys"
    assert [m.content for m in store.branch(chat).messages] == ["Hi", "Hello"]

    chatgpt = tmp_path / "conversations.json"
    chatgpt.write_text(json.dumps([{
        "title": "Trip", "create_time": 1700000000.0, "current_node": "c",
        "mapping": {
            "root": {"id": "root", "parent": None, "message": None},
            "s": {"parent": "root", "message": {"author": {"role": "system"},
                                                "content": {"parts": [""]}}},
            "a": {"parent": "s", "message": {"author": {"role": "user"},
                                             "content": {"parts": ["Plan a trip"]},
                                             "create_time": 1700000001.0}},
            "b": {"parent": "a", "message": {"author": {"role": "assistant"},
                                             "content": {"parts": ["Lisbon"]},
                                             "metadata": {"model_slug": "gpt-4o"}}},
            "c": {"parent": "a", "message": {"author": {"role": "assistant"},
                                             "content": {"parts": ["Porto"]}}},
        }}]))
    (trip,) = import_into(store, read_import(chatgpt))
    branch = store.branch(trip)
    assert store.conversation(trip).title == "Trip"
    assert [m.content for m in branch.messages] == ["Plan a trip", "Porto"]
    assert branch.positions[-1] == (2, 2)  # the other answer is a version beside it
    assert store.message(branch.messages[0].id).created_at == 1700000001.0


@pytest.mark.parametrize(("content", "message"), [
    ("", "not valid JSON"),
    ('{"format": "llamadesk-conversations", "version": 1, "conversations": [', "truncated"),
    ('{"hello": "world"}', "not a LlamaDesk export"),
    ('{"format": "llamadesk-conversations", "version": 99, "conversations": []}', "newer"),
    ('{"format": "llamadesk-conversations", "version": 1, "conversations": [{"messages": '
     '[{"id": 1, "parent": 7, "role": "user", "content": "x"}]}]}', "missing"),
    ('{"format": "llamadesk-conversations", "version": 1, "conversations": [{"messages": '
     '[{"id": 1, "role": "hacker", "content": "x"}]}]}', "role"),
    ('{"format": "llamadesk-conversations", "version": 1, "conversations": [{"messages": '
     '[{"id": 1, "role": "user", "content": 5}]}]}', "should be text"),
    ('[{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}]', "role 'tool'"),
    ('[{"mapping": {"a": {"parent": "b"}, "b": {"parent": "a"}}}]', "loop"),
])
def test_malformed_files_import_nothing(store: Store, tmp_path: Path, content: str,
                                        message: str):
    make_chat(store, ["existing"])
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(TranscriptError, match=message) as caught:
        import_into(store, read_import(path))
    assert "Nothing was imported" in str(caught.value) or "JSON" in str(caught.value)
    assert len(store.conversations()) == 1


def test_a_failure_halfway_stores_nothing(store: Store, monkeypatch: pytest.MonkeyPatch):
    good = {"title": "ok", "messages": [{"id": 1, "parent": None, "role": "user",
                                         "content": "fine"}]}
    data = {"format": "llamadesk-conversations", "version": 1, "conversations": [good, good]}
    conversations = parse_import(data)
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    conversations[1].messages[0]["content"] = "x" * 500_000
    store._db.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(Exception, match="disk"):
        import_into(store, conversations)
    assert store.conversations() == []
