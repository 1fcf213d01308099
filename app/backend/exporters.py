"""Export conversations for every kind of reader.

Formats: Markdown, plain text, HTML (one self-contained file, light and dark),
LlamaDesk JSON (versioned; every branch, setting and timestamp: an import gives
the same conversation back) and OpenAI-style messages JSON (the branch shown).

Message text is data.  HTML export renders Markdown with raw HTML escaped,
links limited to safe schemes and no images (nothing loads from elsewhere);
Markdown export puts each message in a fence longer than any inside it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from app import APP_NAME, __version__
from app.backend.files import atomic_write_text
from app.backend.store import Message
from app.backend.transcripts import (
    FORMAT_NAME,
    FORMAT_VERSION,
    FORMATS,
    ROLE_NAMES,
    Transcript,
    TranscriptError,
)
from app.backend.words import said


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
    """Each message as Markdown under its role's heading, so answers render as Markdown in
    any viewer; nothing in a message can make a heading of the document's levels (1 and
    2) or leave a code fence open over what follows.  The system prompt is fenced."""
    out: list[str] = []
    for transcript in transcripts:
        out.append(f"# {_one_line(transcript.title)}\n")
        out.append(f"*{_facts(transcript)}*\n")
        if transcript.system_prompt.strip():
            out.append(_fenced_block("System prompt", transcript.system_prompt))
        for message in transcript.shown:
            out.append(f"## {_one_line(_heading(message))}\n\n{_contained(message.content)}\n")
    return "\n".join(out)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


def _contained(text: str) -> str:
    """Message Markdown that stays inside its section: its headings start at level 3,
    a setext underline cannot make a heading, and an unclosed fence is closed."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and \
                    len(opening.group(1)) >= len(fence) and not line.strip()[len(
                        opening.group(1)):].strip():
                fence = None
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        heading = _ATX.match(line)
        if heading:
            level = min(6, len(heading.group(2)) + 2)
            line = heading.group(1) + "#" * level + line[heading.end():]
        elif _SETEXT.match(line) and out and out[-1].strip():
            out.append("")  # a rule or a paragraph's end, never a heading
        out.append(line)
    if fence is not None:
        out.append(fence)
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
        raise TranscriptError(said("Unknown export format {fmt!r}; choose one of {formats}.",
                                   fmt=fmt, formats=", ".join(FORMATS)))
    if not transcripts:
        raise TranscriptError(said("There is no conversation to export."))
    return TEXT_WRITERS[fmt](transcripts)


def refuse_overwrite(path: Path, overwrite: bool) -> None:
    """Refuse, with what to do, a target that would replace a file unasked or that sits in
    a folder that does not exist (an export never makes folders the user did not ask for)."""
    if not path.parent.is_dir():
        raise TranscriptError(said("The folder {folder} does not exist; create it first, or "
                                   "choose another folder.", folder=path.parent))
    if path.exists() and not overwrite:
        raise TranscriptError(said("{path} already exists; choose another name, or confirm "
                                   "that it may be replaced (--force on the command line).",
                                   path=path))


def write_export(path: Path, text: str, overwrite: bool = False) -> None:
    """Atomic, and never over an existing file unless the user said so."""
    refuse_overwrite(path, overwrite)
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise TranscriptError(said("Could not write {path}: {reason}.", path=path,
                                   reason=error.strerror)) from error


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
