"""Import conversations: LlamaDesk JSON, OpenAI-style messages, ChatGPT exports.

Imports are checked whole before anything is stored, and stored in one
transaction: a bad file changes nothing, and says in one line why.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.backend.store import Store
from app.backend.transcripts import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_IMPORT_BYTES,
    ROLES,
    STATUSES,
    TranscriptError,
)
from app.backend.words import Said, said

# -- reading ------------------------------------------------------------------
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_TIMESTAMP = 253402300799.0  # 9999-12-31, the last second a date can show


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
            raise TranscriptError(said(
                "{name} is {size_mb:.0f} MB; LlamaDesk imports files up to {limit_mb} MB.",
                name=path.name, size_mb=size / 2**20, limit_mb=MAX_IMPORT_BYTES // 2**20))
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TranscriptError(said("{path} does not exist.", path=path)) from None
    except UnicodeDecodeError:
        raise TranscriptError(said("{name} is not a text file in UTF-8.",
                                   name=path.name)) from None
    except json.JSONDecodeError as error:
        raise TranscriptError(said("{name} is not valid JSON (line {line}, column {column}: "
                                   "{reason}); it may be truncated.", name=path.name,
                                   line=error.lineno, column=error.colno,
                                   reason=error.msg)) from None
    except (OSError, RecursionError) as error:
        raise TranscriptError(said("{name} could not be read: {error}.", name=path.name,
                                   error=error)) from None
    try:
        return parse_import(data)
    except TranscriptError as error:
        raise TranscriptError(said("{name}: {error} Nothing was imported.", name=path.name,
                                   error=error)) from None


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
    raise TranscriptError(said("It is not a LlamaDesk export, an OpenAI-style messages list "
                               "or a ChatGPT conversations.json."))


def _parse_llamadesk(data: dict[str, Any]) -> list[ImportedConversation]:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TranscriptError(said("Its format version is missing or not a number "
                                   "({version!r}); the file is damaged or was not written "
                                   "by LlamaDesk.", version=version))
    if version > FORMAT_VERSION:
        raise TranscriptError(said("It was written by a newer LlamaDesk (format version "
                                   "{version!r}); update LlamaDesk to import it.",
                                   version=version))
    conversations = _expect(data.get("conversations"), list, "conversations")
    result = []
    for number, raw in enumerate(conversations, 1):
        item = _expect(raw, dict, "conversation", number)
        messages = [_check_message(_expect(m, dict, "conversation message", number), number)
                    for m in _expect(item.get("messages", []), list, "conversation messages",
                                     number)]
        ids = [m["id"] for m in messages]
        if len(set(ids)) != len(ids):
            raise TranscriptError(said("In conversation {number}, two messages share an id.",
                                       number=number))
        seen: set[Any] = set()
        for message in messages:
            if message["parent"] is not None and message["parent"] not in seen:
                raise TranscriptError(said("In conversation {number}, message {message_id!r} "
                                           "answers a message that is missing or comes after "
                                           "it.", number=number, message_id=message["id"]))
            seen.add(message["id"])
        leaf = item.get("current_leaf")
        if not isinstance(leaf, (int, str)) or isinstance(leaf, bool):
            leaf = None  # a list or a dict where an id belongs: show the newest branch
        result.append(ImportedConversation(
            title=_text(item.get("title", ""), "title", number) or "Imported chat",
            system_prompt=_text(item.get("system_prompt", ""), "system prompt", number),
            settings=_expect(item.get("settings", {}), dict, "settings", number),
            pinned=bool(item.get("pinned", False)),
            created_at=_number(item.get("created_at")),
            updated_at=_number(item.get("updated_at")),
            messages=messages,
            current_leaf=leaf if leaf in seen else None,
        ))
    return result


def _check_message(raw: dict[str, Any], number: int) -> dict[str, Any]:
    """A message of conversation ``number`` (1-based) of a LlamaDesk export, checked."""
    role = raw.get("role")
    if role not in ROLES:
        raise TranscriptError(said("In conversation {number}, a message has the role {role!r}; "
                                   "expected one of {roles}.", number=number, role=role,
                                   roles=", ".join(ROLES)))
    status = raw.get("status", "complete")
    if status not in STATUSES:
        raise TranscriptError(said("In conversation {number}, a message has the status "
                                   "{status!r}.", number=number, status=status))
    message_id = raw.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, (int, str)):
        raise TranscriptError(said("In conversation {number}, a message has no usable id.",
                                   number=number))
    parent = raw.get("parent")
    if parent is not None and (isinstance(parent, bool) or not isinstance(parent, (int, str))):
        raise TranscriptError(said("In conversation {number}, message {message_id!r} has a bad "
                                   "parent.", number=number, message_id=message_id))
    checked = {
        "id": message_id, "parent": parent, "role": role,
        "content": _text(raw.get("content", ""), "message content", number),
        "status": "interrupted" if status == "streaming" else status,
        "created_at": _number(raw.get("created_at")),
    }
    for name, kind in (("model", str), ("error", str), ("prompt_tokens", int),
                       ("completion_tokens", int), ("seed", int),
                       ("tokens_per_second", (int, float))):
        value = raw.get(name)
        if isinstance(value, str):
            value = _text(value, "message field", number, name)
        elif isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
            value = None  # a 2**70 seed cannot be stored, and could not have been used
        elif isinstance(value, float) and not math.isfinite(value):
            value = None
        checked[name] = value if isinstance(value, kind) and not isinstance(value, bool) \
            else None
    return checked


def _parse_chatgpt(item: Any, index: int) -> ImportedConversation:
    """One conversation of a ChatGPT data export: a mapping of nodes with parents."""
    number = index + 1
    item = _expect(item, dict, "conversation", number)
    mapping = _expect(item.get("mapping"), dict, "mapping", number)
    nodes: dict[str, dict[str, Any]] = {}
    for key, node in mapping.items():
        nodes[str(key)] = _expect(node, dict, "node", number)
    order = _topological(nodes, number)
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
        text = _text("\n".join(p for p in parts if isinstance(p, str)), "message text",
                     number) if isinstance(parts, list) else ""
        if role == "system" and not messages and text.strip():
            system_prompt = text
        if role in ("user", "assistant") and text.strip():
            messages.append({
                "id": key, "parent": anchor, "role": role, "content": text,
                "status": "complete", "created_at": _number(_dig(message, "create_time")),
                "model": _slug(message) if role == "assistant" else None,
                "prompt_tokens": None, "completion_tokens": None,
                "tokens_per_second": None, "seed": None, "error": None,
            })
            kept[key] = key
        else:
            kept[key] = anchor
    current = item.get("current_node")
    return ImportedConversation(
        title=_text(str(item.get("title") or "Imported ChatGPT chat"), "title", number),
        system_prompt=system_prompt,
        created_at=_number(item.get("create_time")), updated_at=_number(item.get("update_time")),
        messages=messages, current_leaf=kept.get(str(current)) if current else None)


def _topological(nodes: dict[str, dict[str, Any]], number: int) -> list[str]:
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
        raise TranscriptError(said("In conversation {number}, the messages form a loop.",
                                   number=number))
    return order


def _from_openai(title: str, items: Any) -> ImportedConversation:
    items = _expect(items, list, "messages")
    system_prompt = ""
    messages: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        raw = _expect(raw, dict, "message", index + 1)
        role = raw.get("role")
        content = raw.get("content", "")
        if isinstance(content, list):  # content parts: keep the text ones
            content = "\n".join(str(p.get("text", "")) for p in content
                                if isinstance(p, dict) and p.get("type") == "text")
        content = _text(content, "content", index + 1)
        if role == "system" and not messages:
            system_prompt = content
            continue
        if role not in ("user", "assistant"):
            raise TranscriptError(said("Message {number} has the role {role!r}; LlamaDesk "
                                       "imports system, user and assistant messages.",
                                       number=index + 1, role=role))
        messages.append({"id": index, "parent": messages[-1]["id"] if messages else None,
                         "role": role, "content": content, "status": "complete",
                         "created_at": None, "model": None, "prompt_tokens": None,
                         "completion_tokens": None, "tokens_per_second": None, "seed": None,
                         "error": None})
    return ImportedConversation(title=title, system_prompt=system_prompt, messages=messages)


# What a message calls each part of a file, by the key the checks below name it with:
# made only when a part is wrong (a said() for every message would slow a large import).
_PARTS: dict[str, Callable[[int, str], Said]] = {
    "conversations": lambda number, name: said("conversations"),
    "conversation": lambda number, name: said("conversation {number}", number=number),
    "conversation message": lambda number, name: said("conversation {number}, message",
                                                      number=number),
    "conversation messages": lambda number, name: said("conversation {number} messages",
                                                       number=number),
    "title": lambda number, name: said("conversation {number} title", number=number),
    "system prompt": lambda number, name: said("conversation {number} system prompt",
                                               number=number),
    "settings": lambda number, name: said("conversation {number} settings", number=number),
    "message content": lambda number, name: said("conversation {number} message content",
                                                 number=number),
    "message field": lambda number, name: said("conversation {number} message {name}",
                                               number=number, name=name),
    "mapping": lambda number, name: said("conversation {number} mapping", number=number),
    "node": lambda number, name: said("conversation {number} node", number=number),
    "message text": lambda number, name: said("conversation {number} message", number=number),
    "messages": lambda number, name: said("messages"),
    "message": lambda number, name: said("message {number}", number=number),
    "content": lambda number, name: said("message {number} content", number=number),
    "model name": lambda number, name: said("model name"),
}


def _expect(value: Any, kind: type, what: str, number: int = 0, name: str = "") -> Any:
    """``value`` if it is a ``kind``; else TranscriptError naming the part ``what`` (a key
    of _PARTS) of conversation or message ``number`` (field ``name``)."""
    if not isinstance(value, kind):
        raise TranscriptError(said("The {what} should be a {kind}, not {actual}.",
                                   what=_PARTS[what](number, name), kind=kind.__name__,
                                   actual=type(value).__name__))
    return value


def _text(value: Any, what: str, number: int = 0, name: str = "") -> str:
    """``value`` if it is valid Unicode text; else TranscriptError, as ``_expect``."""
    if not isinstance(value, str):
        raise TranscriptError(said("The {what} should be text, not {actual}.",
                                   what=_PARTS[what](number, name),
                                   actual=type(value).__name__))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise TranscriptError(said("The {what} holds a broken character (a lone UTF-16 "
                                   "surrogate), so it is not valid Unicode text.",
                                   what=_PARTS[what](number, name))) from None
    return value


def _number(value: Any) -> float | None:
    """A timestamp, or None for anything that is not one (NaN, 1e300, 2**70, text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) > MAX_TIMESTAMP:
        return None
    number = float(value)
    return number if math.isfinite(number) and abs(number) <= MAX_TIMESTAMP else None


def _slug(message: Any) -> str | None:
    slug = _dig(message, "metadata", "model_slug")
    return _text(slug, "model name") if isinstance(slug, str) else None


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def import_into(store: Store, conversations: Iterable[ImportedConversation]) -> list[int]:
    """Store checked conversations in one transaction; returns their new ids."""
    conversations = list(conversations)
    for conversation in conversations:
        try:  # settings go to the database as JSON: they must be plain, finite JSON
            json.dumps(conversation.settings, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError, UnicodeEncodeError, RecursionError):
            raise TranscriptError(said("The settings of \"{title}\" are not plain JSON (NaN, "
                                       "infinity or broken text); nothing was imported.",
                                       title=conversation.title[:60])) from None
    return store.import_conversations([
        (c.title, c.system_prompt, c.settings, c.pinned, c.created_at, c.updated_at,
         c.messages, c.current_leaf) for c in conversations])
