"""Export conversations for every kind of reader, and import them back.

Formats: Markdown, plain text, HTML (one self-contained file, light and dark),
LlamaDesk JSON (versioned; every branch, setting and timestamp: an import gives
the same conversation back) and OpenAI-style messages JSON (the branch shown).
PDF is made from the HTML by the Qt side (app/ui/pdf_export.py).

Message text is data.  HTML export renders Markdown with raw HTML escaped,
links limited to safe schemes and no images (nothing loads from elsewhere);
Markdown export puts each message in a fence longer than any inside it.
Imports are checked whole before anything is stored, and stored in one
transaction: a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from app import APP_NAME, __version__
from app.backend.errors import LlamaDeskError
from app.backend.files import atomic_write_text
from app.backend.store import Message, Store, build_branch

FORMAT_NAME = "llamadesk-conversations"
FORMAT_VERSION = 1
FORMATS = {"md": "Markdown", "txt": "Plain text", "html": "HTML", "pdf": "PDF",
           "json": "LlamaDesk JSON", "openai": "OpenAI messages JSON"}
# LlamaDesk JSON is JSON inside; its own extension lets the installers register it.
EXTENSIONS = {"md": ".md", "txt": ".txt", "html": ".html", "pdf": ".pdf",
              "json": ".llamadesk", "openai": ".json"}
ROLES = ("system", "user", "assistant")
STATUSES = ("complete", "streaming", "stopped", "interrupted", "error")
ROLE_NAMES = {"user": "You", "assistant": "Assistant", "system": "System"}
MAX_IMPORT_BYTES = 512 * 2**20


class TranscriptError(LlamaDeskError):
    """An export or import failed; the message says why and what to do."""


@dataclass
class Transcript:
    """A conversation as exported: every message (all branches) and the one shown."""

    title: str
    system_prompt: str
    settings: dict[str, Any]
    pinned: bool
    created_at: float
    updated_at: float
    messages: list[Message]
    current_leaf: int | None
    source_id: int | None = None

    @property
    def shown(self) -> list[Message]:
        return list(build_branch(self.messages, self.current_leaf).messages)

    @property
    def models(self) -> list[str]:
        return sorted({m.model for m in self.shown if m.model})


def load_transcript(store: Store, conversation_id: int) -> Transcript:
    conversation = store.conversation(conversation_id)
    return Transcript(conversation.title, conversation.system_prompt, conversation.settings,
                      conversation.pinned, conversation.created_at, conversation.updated_at,
                      store.messages(conversation_id), conversation.current_leaf,
                      conversation_id)


# -- writing ------------------------------------------------------------------

def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _heading(message: Message) -> str:
    parts = [ROLE_NAMES[message.role], _when(message.created_at)]
    if message.role == "assistant" and message.model:
        parts.insert(1, message.model)
    if message.status not in ("complete", "streaming"):
        parts.append(message.status)
    return " · ".join(parts)


def _facts(transcript: Transcript) -> str:
    facts = [f"Exported from {APP_NAME} {__version__} on {_when(_now())}"]
    if transcript.models:
        facts.append("model: " + ", ".join(transcript.models))
    return "; ".join(facts)


def to_markdown(transcripts: Sequence[Transcript]) -> str:
    out: list[str] = []
    for transcript in transcripts:
        out.append(f"# {_one_line(transcript.title)}\n")
        out.append(f"*{_facts(transcript)}*\n")
        if transcript.system_prompt.strip():
            out.append(_fenced_block("System prompt", transcript.system_prompt))
        for message in transcript.shown:
            out.append(_fenced_block(_heading(message), message.content))
    return "\n".join(out)


def _fenced_block(heading: str, text: str) -> str:
    fence = _fence(text)
    return f"## {_one_line(heading)}\n\n{fence}markdown\n{text}\n{fence}\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "Untitled"


def to_text(transcripts: Sequence[Transcript]) -> str:
    out: list[str] = []
    for transcript in transcripts:
        title = _one_line(transcript.title)
        out.append(f"{title}\n{'=' * len(title)}\n")
        if transcript.system_prompt.strip():
            out.append(f"System prompt:\n{_indent(transcript.system_prompt)}\n")
        for message in transcript.shown:
            out.append(f"{_heading(message)}:\n{_indent(message.content)}\n")
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.splitlines()) or "    "


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_MARKDOWN.disable("image")  # nothing in the file may load from elsewhere
_SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)
_MARKDOWN.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]

HTML_STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #656d76;
  --user: #f3f4f6; --code: #f6f8fa; --border: #d0d7de; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3;
  --muted: #8d96a0; --user: #161b22; --code: #161b22; --border: #30363d; } }
body { background: var(--bg); color: var(--fg); max-width: 52rem; margin: 2rem auto;
  padding: 0 1rem; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
.meta, .who span { color: var(--muted); font-size: 0.85rem; }
.message { padding: 0.6rem 1rem; margin: 0.8rem 0; border-radius: 8px; }
.user { background: var(--user); border: 1px solid var(--border); }
.who { font-weight: 600; margin-bottom: 0.3rem; }
pre, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { background: var(--code); padding: 0.75rem; border-radius: 6px; overflow-x: auto; }
.system { border-left: 3px solid var(--border); padding-left: 1rem; white-space: pre-wrap; }
"""


PRINT_STYLE = """
body { color: #1f2328; font-size: 11pt; }
.meta, .who span { color: #656d76; font-size: 9pt; }
.who { font-weight: 600; margin-top: 10pt; }
.user { background: #f3f4f6; }
pre, code { font-family: "DejaVu Sans Mono", monospace; }
pre { background: #f6f8fa; }
"""


def to_html(transcripts: Sequence[Transcript], for_print: bool = False) -> str:
    """One self-contained page: no script, no external resource, escaped text.

    ``for_print`` uses plain CSS that Qt's rich text engine (the PDF) understands.
    """
    title = _one_line(transcripts[0].title) if len(transcripts) == 1 else \
        f"{len(transcripts)} conversations"
    body: list[str] = []
    for transcript in transcripts:
        body.append(f"<h1>{html.escape(_one_line(transcript.title))}</h1>")
        body.append(f'<p class="meta">{html.escape(_facts(transcript))}</p>')
        if transcript.system_prompt.strip():
            body.append('<div class="who">System prompt</div>'
                        f'<div class="system">{html.escape(transcript.system_prompt)}</div>')
        for message in transcript.shown:
            who = html.escape(ROLE_NAMES[message.role])
            detail = html.escape(_heading(message).split(" · ", 1)[1])
            body.append(f'<div class="message {message.role}"><div class="who">{who} '
                        f"<span>{detail}</span></div>{_MARKDOWN.render(message.content)}</div>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">"
            f"<title>{html.escape(title)}</title>"
            f"<style>{PRINT_STYLE if for_print else HTML_STYLE}</style></head>"
            f"<body>\n{chr(10).join(body)}\n</body></html>\n")


def to_json(transcripts: Sequence[Transcript]) -> str:
    return json.dumps({
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_by": f"{APP_NAME} {__version__}",
        "exported_at": _now(),
        "conversations": [{
            "title": t.title, "system_prompt": t.system_prompt, "settings": t.settings,
            "pinned": t.pinned, "created_at": t.created_at, "updated_at": t.updated_at,
            "current_leaf": t.current_leaf,
            "messages": [{
                "id": m.id, "parent": m.parent_id, "role": m.role, "content": m.content,
                "status": m.status, "created_at": m.created_at, "model": m.model,
                "prompt_tokens": m.prompt_tokens, "completion_tokens": m.completion_tokens,
                "tokens_per_second": m.tokens_per_second, "seed": m.seed, "error": m.error,
            } for m in t.messages],
        } for t in transcripts],
    }, ensure_ascii=False, indent=1)


def to_openai(transcripts: Sequence[Transcript]) -> str:
    """The shown branch as OpenAI chat messages (one list, or one per conversation)."""
    def messages(t: Transcript) -> list[dict[str, str]]:
        out = [{"role": "system", "content": t.system_prompt}] if t.system_prompt else []
        return out + [{"role": m.role, "content": m.content} for m in t.shown]

    data: Any = messages(transcripts[0]) if len(transcripts) == 1 else [
        {"title": t.title, "messages": messages(t)} for t in transcripts]
    return json.dumps(data, ensure_ascii=False, indent=1)


TEXT_WRITERS = {"md": to_markdown, "txt": to_text, "html": to_html, "json": to_json,
                "openai": to_openai}


def export_text(transcripts: Sequence[Transcript], fmt: str) -> str:
    if fmt not in TEXT_WRITERS:
        raise TranscriptError(f"Unknown export format {fmt!r}; choose one of "
                              f"{', '.join(FORMATS)}.")
    if not transcripts:
        raise TranscriptError("There is no conversation to export.")
    return TEXT_WRITERS[fmt](transcripts)


def refuse_overwrite(path: Path, overwrite: bool) -> None:
    if path.exists() and not overwrite:
        raise TranscriptError(f"{path} already exists; choose another name, or confirm that "
                              "it may be replaced (--force on the command line).")


def write_export(path: Path, text: str, overwrite: bool = False) -> None:
    """Atomic, and never over an existing file unless the user said so."""
    refuse_overwrite(path, overwrite)
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise TranscriptError(f"Could not write {path}: {error.strerror}.") from error


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(title: str, extension: str, max_length: int = 80) -> str:
    """A file name from a title that works on Windows, macOS and Linux."""
    name = unicodedata.normalize("NFC", title)
    name = _UNSAFE.sub(" ", name)
    name = " ".join(name.split()).strip(" .")[:max_length].strip(" .")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"conversation {name}".strip()
    return name + extension


def _now() -> float:
    return dt.datetime.now().timestamp()


# -- reading ------------------------------------------------------------------

@dataclass
class ImportedConversation:
    title: str
    system_prompt: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    pinned: bool = False
    created_at: float | None = None
    updated_at: float | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)  # id, parent, role, ...
    current_leaf: Any = None


def read_import(path: Path) -> list[ImportedConversation]:
    """Parse and check a file completely; TranscriptError on anything wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise TranscriptError(f"{path.name} is {size / 2**20:.0f} MB; LlamaDesk imports "
                                  f"files up to {MAX_IMPORT_BYTES // 2**20} MB.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TranscriptError(f"{path} does not exist.") from None
    except UnicodeDecodeError:
        raise TranscriptError(f"{path.name} is not a text file in UTF-8.") from None
    except json.JSONDecodeError as error:
        raise TranscriptError(f"{path.name} is not valid JSON (line {error.lineno}, column "
                              f"{error.colno}: {error.msg}); it may be truncated.") from None
    except (OSError, RecursionError) as error:
        raise TranscriptError(f"{path.name} could not be read: {error}.") from None
    try:
        return parse_import(data)
    except TranscriptError as error:
        raise TranscriptError(f"{path.name}: {error} Nothing was imported.") from None


def parse_import(data: Any) -> list[ImportedConversation]:
    if isinstance(data, dict) and data.get("format") == FORMAT_NAME:
        return _parse_llamadesk(data)
    if isinstance(data, list) and data and all(isinstance(i, dict) and "mapping" in i
                                               for i in data):
        return [_parse_chatgpt(item, index) for index, item in enumerate(data)]
    if isinstance(data, list) and all(isinstance(i, dict) and "role" in i for i in data):
        return [_from_openai("Imported chat", data)]
    if isinstance(data, list) and all(isinstance(i, dict) and "messages" in i for i in data):
        return [_from_openai(str(i.get("title") or "Imported chat"), i["messages"])
                for i in data]
    raise TranscriptError("It is not a LlamaDesk export, an OpenAI-style messages list or a "
                          "ChatGPT conversations.json.")


def _parse_llamadesk(data: dict[str, Any]) -> list[ImportedConversation]:
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise TranscriptError(f"It was written by a newer LlamaDesk (format version "
                              f"{version!r}); update LlamaDesk to import it.")
    conversations = _expect(data.get("conversations"), list, "conversations")
    result = []
    for number, raw in enumerate(conversations, 1):
        where = f"conversation {number}"
        item = _expect(raw, dict, where)
        messages = [_check_message(_expect(m, dict, f"{where}, message"), where)
                    for m in _expect(item.get("messages", []), list, f"{where} messages")]
        ids = [m["id"] for m in messages]
        if len(set(ids)) != len(ids):
            raise TranscriptError(f"In {where}, two messages share an id.")
        seen: set[Any] = set()
        for message in messages:
            if message["parent"] is not None and message["parent"] not in seen:
                raise TranscriptError(f"In {where}, message {message['id']!r} answers a "
                                      "message that is missing or comes after it.")
            seen.add(message["id"])
        leaf = item.get("current_leaf")
        result.append(ImportedConversation(
            title=_text(item.get("title", ""), f"{where} title") or "Imported chat",
            system_prompt=_text(item.get("system_prompt", ""), f"{where} system prompt"),
            settings=_expect(item.get("settings", {}), dict, f"{where} settings"),
            pinned=bool(item.get("pinned", False)),
            created_at=_number(item.get("created_at")),
            updated_at=_number(item.get("updated_at")),
            messages=messages,
            current_leaf=leaf if leaf in seen else None,
        ))
    return result


def _check_message(raw: dict[str, Any], where: str) -> dict[str, Any]:
    role = raw.get("role")
    if role not in ROLES:
        raise TranscriptError(f"In {where}, a message has the role {role!r}; expected "
                              f"one of {', '.join(ROLES)}.")
    status = raw.get("status", "complete")
    if status not in STATUSES:
        raise TranscriptError(f"In {where}, a message has the status {status!r}.")
    message_id = raw.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, (int, str)):
        raise TranscriptError(f"In {where}, a message has no usable id.")
    parent = raw.get("parent")
    if parent is not None and (isinstance(parent, bool) or not isinstance(parent, (int, str))):
        raise TranscriptError(f"In {where}, message {message_id!r} has a bad parent.")
    checked = {
        "id": message_id, "parent": parent, "role": role,
        "content": _text(raw.get("content", ""), f"{where} message content"),
        "status": "interrupted" if status == "streaming" else status,
        "created_at": _number(raw.get("created_at")),
    }
    for name, kind in (("model", str), ("error", str), ("prompt_tokens", int),
                       ("completion_tokens", int), ("seed", int),
                       ("tokens_per_second", (int, float))):
        value = raw.get(name)
        checked[name] = value if isinstance(value, kind) and not isinstance(value, bool) \
            else None
    return checked


def _parse_chatgpt(item: Any, index: int) -> ImportedConversation:
    """One conversation of a ChatGPT data export: a mapping of nodes with parents."""
    where = f"conversation {index + 1}"
    item = _expect(item, dict, where)
    mapping = _expect(item.get("mapping"), dict, f"{where} mapping")
    nodes: dict[str, dict[str, Any]] = {}
    for key, node in mapping.items():
        nodes[str(key)] = _expect(node, dict, f"{where} node")
    order = _topological(nodes, where)
    messages: list[dict[str, Any]] = []
    kept: dict[str, Any] = {}  # node id -> nearest kept ancestor's message id
    system_prompt = ""
    for key in order:
        node = nodes[key]
        parent = node.get("parent")
        anchor = kept.get(str(parent)) if parent is not None else None
        message = node.get("message")
        role = _dig(message, "author", "role")
        parts = _dig(message, "content", "parts")
        text = "\n".join(p for p in parts if isinstance(p, str)) if isinstance(parts, list) \
            else ""
        if role == "system" and not messages and text.strip():
            system_prompt = text
        if role in ("user", "assistant") and text.strip():
            messages.append({
                "id": key, "parent": anchor, "role": role, "content": text,
                "status": "complete", "created_at": _number(_dig(message, "create_time")),
                "model": _dig(message, "metadata", "model_slug") if role == "assistant"
                else None, "prompt_tokens": None, "completion_tokens": None,
                "tokens_per_second": None, "seed": None, "error": None,
            })
            kept[key] = key
        else:
            kept[key] = anchor
    current = item.get("current_node")
    return ImportedConversation(
        title=str(item.get("title") or "Imported ChatGPT chat"), system_prompt=system_prompt,
        created_at=_number(item.get("create_time")), updated_at=_number(item.get("update_time")),
        messages=messages, current_leaf=kept.get(str(current)) if current else None)


def _topological(nodes: dict[str, dict[str, Any]], where: str) -> list[str]:
    children: dict[str | None, list[str]] = {}
    for key, node in nodes.items():
        parent = node.get("parent")
        parent_key = str(parent) if parent is not None and str(parent) in nodes else None
        children.setdefault(parent_key, []).append(key)
    order: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        key = stack.pop()
        order.append(key)
        stack.extend(reversed(children.get(key, [])))
    if len(order) != len(nodes):
        raise TranscriptError(f"In {where}, the messages form a loop.")
    return order


def _from_openai(title: str, items: Any) -> ImportedConversation:
    items = _expect(items, list, "messages")
    system_prompt = ""
    messages: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        raw = _expect(raw, dict, f"message {index + 1}")
        role = raw.get("role")
        content = raw.get("content", "")
        if isinstance(content, list):  # content parts: keep the text ones
            content = "\n".join(str(p.get("text", "")) for p in content
                                if isinstance(p, dict) and p.get("type") == "text")
        content = _text(content, f"message {index + 1} content")
        if role == "system" and not messages:
            system_prompt = content
            continue
        if role not in ("user", "assistant"):
            raise TranscriptError(f"Message {index + 1} has the role {role!r}; LlamaDesk "
                                  "imports system, user and assistant messages.")
        messages.append({"id": index, "parent": messages[-1]["id"] if messages else None,
                         "role": role, "content": content, "status": "complete",
                         "created_at": None, "model": None, "prompt_tokens": None,
                         "completion_tokens": None, "tokens_per_second": None, "seed": None,
                         "error": None})
    return ImportedConversation(title=title, system_prompt=system_prompt, messages=messages)


def _expect(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise TranscriptError(f"The {what} should be a {kind.__name__}, not "
                              f"{type(value).__name__}.")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TranscriptError(f"The {what} should be text, not {type(value).__name__}.")
    return value


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def import_into(store: Store, conversations: Iterable[ImportedConversation]) -> list[int]:
    """Store checked conversations in one transaction; returns their new ids."""
    return store.import_conversations([
        (c.title, c.system_prompt, c.settings, c.pinned, c.created_at, c.updated_at,
         c.messages, c.current_leaf) for c in conversations])
