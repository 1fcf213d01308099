"""The user's settings, as the schema (app/backend/schema.py) defines them.

A setting that is missing or wrong falls back to its default with a message; the
file itself is never rewritten behind the user's back (``save`` only runs when
the user changes a setting), so a hand edit with a typo loses nothing.

``Settings`` holds the load options and the generation defaults as the engine's
own types, so each setting is declared once: in the dataclass that uses it, with
its default from the schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app.backend.engine import GenerationParams, LoadOptions
from app.backend.errors import LlamaDeskError
from app.backend.files import atomic_write_text
from app.backend.schema import BY_NAME, CHAT_KEYS, SCHEMA, default, validate
from app.backend.words import said

_LOAD = frozenset(f.name for f in fields(LoadOptions))
_GENERATION = frozenset(f.name for f in fields(GenerationParams))


@dataclass(frozen=True)
class Settings:
    load: LoadOptions = field(default_factory=LoadOptions)
    generation: GenerationParams = field(default_factory=GenerationParams)
    system_prompt: str = default("system_prompt")  # for new conversations
    model: str | None = default("model")
    hub_endpoint: str | None = default("hub_endpoint")
    gpu_layers_per_model: dict[str, int] = field(
        default_factory=lambda: default("gpu_layers_per_model"), hash=False)
    theme: str = default("theme")
    font_size: int = default("font_size")
    remote_engines: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    # The local OpenAI-compatible server (Server menu, `llamadesk serve`).
    server_enabled: bool = default("server_enabled")
    server_host: str = default("server_host")
    server_port: int = default("server_port")
    server_allowed_origins: tuple[str, ...] = default("server_allowed_origins")
    server_save_history: bool = default("server_save_history")
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, **values: Any) -> Settings:
        """Settings with these values (by schema name); ValueError if one is not allowed."""
        valid, problems = validate(values)
        if problems:
            raise ValueError(" ".join(problems))
        return cls().with_values(valid)

    def with_values(self, values: Mapping[str, Any]) -> Settings:
        """A copy with these (already valid) values, by schema name."""
        load = {k: v for k, v in values.items() if k in _LOAD}
        generation = {k: v for k, v in values.items() if k in _GENERATION}
        rest = {k: v for k, v in values.items() if k not in _LOAD and k not in _GENERATION}
        return replace(self, load=replace(self.load, **load),
                       generation=replace(self.generation, **generation), **rest)

    def value(self, name: str) -> Any:
        """A setting's value by its schema name (KeyError for a name it does not define)."""
        if name not in BY_NAME:
            raise KeyError(f"{name!r} is not a setting (app/backend/schema.py)")
        holder: object = self.load if name in _LOAD else \
            self.generation if name in _GENERATION else self
        return getattr(holder, name)

    def values(self) -> dict[str, Any]:
        """Every setting by schema name, as saved."""
        return {s.name: self.value(s.name) for s in SCHEMA}

    def chat_values(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What a chat uses: these defaults, with the chat's own valid values."""
        values = {name: self.value(name) for name in CHAT_KEYS}
        if overrides:
            valid, _problems = validate({k: v for k, v in overrides.items() if k in CHAT_KEYS})
            values.update(valid)
        return values

    def load_options(self, model_path: str | None = None,
                     overrides: Mapping[str, Any] | None = None) -> LoadOptions:
        """How to load ``model_path``: its own GPU offload, a chat's context length."""
        layers = self.gpu_layers_per_model.get(model_path or "", self.load.gpu_layers)
        context = self.chat_values(overrides)["context_size"]
        return replace(self.load, gpu_layers=layers, context_size=context)

    def generation_params(self, overrides: Mapping[str, Any] | None = None) -> GenerationParams:
        """These settings, with a conversation's own values where it has valid ones."""
        values = self.chat_values(overrides)
        return replace(self.generation, **{k: v for k, v in values.items() if k in _GENERATION})

    def conversation_defaults(self) -> dict[str, Any]:
        """What a new conversation starts with."""
        return self.chat_values()


def load_settings(path: Path) -> Settings:
    """Read settings, keeping every valid value and reporting every invalid one."""
    defaults = Settings()
    if not path.exists():
        return defaults
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return replace(defaults, problems=(said(
            "The settings file {path} could not be read ({error}); LlamaDesk uses the "
            "default settings and leaves the file as it is.", path=path, error=error),))
    if not isinstance(raw, dict):
        return replace(defaults, problems=(said(
            "The settings file {path} does not hold settings; LlamaDesk uses the defaults.",
            path=path),))
    values, problems = validate(raw)
    return replace(defaults.with_values(values), problems=tuple(problems))


def save_settings(settings: Settings, path: Path) -> None:
    atomic_write_text(path, json.dumps(settings.values(), indent=2))


class SettingsFileError(LlamaDeskError):
    """A changed setting could not be written to the settings file."""


def update_settings_file(path: Path, changes: Mapping[str, Any]) -> None:
    """Write these values into the settings file, keeping every other key as it is.

    Only what changed is written, so a value edited by hand (or by another program)
    since the file was read is not overwritten.  A file that cannot be read as
    settings is left alone: the change is refused with a message instead.
    """
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SettingsFileError(said(
                "The change applies until LlamaDesk closes but was not saved: the settings "
                "file {path} could not be read ({error}). Correct or remove it.", path=path,
                error=error)) from error
        if not isinstance(loaded, dict):
            raise SettingsFileError(said(
                "The change applies until LlamaDesk closes but was not saved: {path} does "
                "not hold settings. Correct or remove it.", path=path))
        raw = loaded
    raw.update(changes)
    try:
        atomic_write_text(path, json.dumps(raw, indent=2, ensure_ascii=False))
    except OSError as error:
        raise SettingsFileError(said(
            "The change applies until LlamaDesk closes but was not saved to {path}: {reason}.",
            path=path, reason=error.strerror or error)) from error
