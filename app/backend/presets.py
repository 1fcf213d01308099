"""Named presets: a system prompt and generation settings, set in one click."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.backend.files import atomic_write_text
from app.backend.schema import CHAT_KEYS, validate
from app.backend.words import said


@dataclass(frozen=True)
class Preset:
    name: str
    system_prompt: str
    settings: dict[str, Any] = field(default_factory=dict, hash=False)
    builtin: bool = False


BUILTIN_PRESETS = (
    Preset("Plain assistant", "You are a helpful assistant.", {}, True),
    Preset("Concise answers",
           "You are a helpful assistant. Answer in as few words as the question allows; "
           "no preamble, no summary.", {"temperature": 0.3, "max_tokens": 256}, True),
    Preset("Coding helper",
           "You are an expert programmer. Answer with working code in fenced code blocks "
           "that name their language, then explain briefly. Say so when you are unsure.",
           {"temperature": 0.2, "max_tokens": 2048}, True),
)


def load_presets(path: Path) -> tuple[list[Preset], list[str]]:
    """Built-in presets, then the user's; a bad file gives messages, never an exception."""
    presets = list(BUILTIN_PRESETS)
    if not path.exists():
        return presets, []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return presets, [said("Your presets in {path} could not be read ({error}); the file "
                              "is left as it is.", path=path, error=error)]
    problems: list[str] = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.append(said("A preset without a name was skipped."))
            continue
        settings, bad = validate({k: v for k, v in dict(entry.get("settings", {})).items()
                                  if k in CHAT_KEYS})
        problems.extend(said("Preset {name!r}: {problem}", name=entry["name"], problem=p)
                        for p in bad)
        presets.append(Preset(entry["name"], str(entry.get("system_prompt", "")), settings))
    return presets, problems


def save_user_presets(presets: list[Preset], path: Path) -> None:
    data = [{"name": p.name, "system_prompt": p.system_prompt, "settings": p.settings}
            for p in presets if not p.builtin]
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False))
