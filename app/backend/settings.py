"""The user's settings: one typed schema, defaults, validation.

A setting that is missing or wrong falls back to its default with a message; the
file itself is never rewritten behind the user's back (``save`` only runs when
the user changes a setting), so a hand edit with a typo loses nothing.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app.backend.engine import DEFAULT_CONTEXT, GenerationParams, LoadOptions
from app.backend.files import atomic_write_text


@dataclass(frozen=True)
class Settings:
    threads: int = 0  # 0: automatic (one per physical core but one)
    context_size: int = DEFAULT_CONTEXT
    gpu_layers: int = -1  # -1: all that fit, 0: CPU only
    max_tokens: int = 1024
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    seed: int | None = None
    system_prompt: str = ""  # for new conversations
    model: str | None = None  # None: the built-in model
    hub_endpoint: str | None = None  # None: HF_ENDPOINT, else the Hugging Face Hub
    # Per model file: -1 automatic (all layers, the CPU if that fails), 0 the CPU only,
    # N that many layers on the GPU.
    gpu_layers_per_model: dict[str, int] = field(default_factory=dict, hash=False)
    # The local OpenAI-compatible server (Server menu, `llamadesk serve`).
    server_enabled: bool = False  # start it with the window
    server_host: str = "127.0.0.1"  # anything but loopback requires the API key
    server_port: int = 8080
    server_allowed_origins: tuple[str, ...] = ()  # browser origins allowed by CORS; () = off
    server_save_history: bool = False  # keep API conversations in the history
    problems: tuple[str, ...] = field(default=(), compare=False)

    def load_options(self, model_path: str | None = None) -> LoadOptions:
        layers = self.gpu_layers_per_model.get(model_path or "", self.gpu_layers)
        return LoadOptions(context_size=self.context_size, threads=self.threads,
                           gpu_layers=layers)

    def generation_params(self, overrides: Mapping[str, Any] | None = None) -> GenerationParams:
        """These settings, with a conversation's own values where it has valid ones."""
        values = {name: getattr(self, name) for name in GENERATION_KEYS}
        if overrides:
            valid, _problems = validate(
                {k: v for k, v in overrides.items() if k in GENERATION_KEYS})
            values.update(valid)
        values.pop("context_size")
        return GenerationParams(**values)

    def conversation_defaults(self) -> dict[str, Any]:
        """What a new conversation starts with."""
        return {name: getattr(self, name) for name in GENERATION_KEYS}


# The settings a conversation can set for itself.
GENERATION_KEYS = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens",
                   "context_size", "seed")


# name: (accepted types, check, description of what is allowed)
_RULES: dict[str, tuple[tuple[type, ...], Any, str]] = {
    "threads": ((int,), lambda v: 0 <= v <= 512, "0 (automatic) or a number of threads"),
    "context_size": ((int,), lambda v: 256 <= v <= 1 << 20, "a number from 256 to 1048576"),
    "gpu_layers": ((int,), lambda v: v >= -1, "-1 (all), 0 (none) or a number of layers"),
    "max_tokens": ((int,), lambda v: 1 <= v <= 1 << 20, "a positive number"),
    "temperature": ((int, float), lambda v: 0 <= v <= 5, "a number from 0 to 5"),
    "top_p": ((int, float), lambda v: 0 < v <= 1, "a number above 0, at most 1"),
    "top_k": ((int,), lambda v: 0 <= v <= 100_000, "0 (off) or a number of tokens"),
    "min_p": ((int, float), lambda v: 0 <= v <= 1, "a number from 0 to 1"),
    "repeat_penalty": ((int, float), lambda v: 0.5 <= v <= 3, "a number from 0.5 to 3"),
    "system_prompt": ((str,), lambda v: True, "text"),
    "gpu_layers_per_model": ((dict,), lambda v: all(
        isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) and n >= -1
        for k, n in v.items()), "an object of model file paths to layer counts (-1, 0, N)"),
    "hub_endpoint": ((str, type(None)), lambda v: v is None or v.startswith(("http://",
                                                                          "https://")),
                     "null or an http(s) address"),
    "seed": ((int, type(None)), lambda v: v is None or 0 <= v < 2**31,
             "null (random) or a number from 0 to 2147483647"),
    "model": ((str, type(None)), lambda v: True, "null (built-in model) or a file path"),
    "server_enabled": ((bool,), lambda v: True, "true or false"),
    "server_host": ((str,), lambda v: is_bind_address(v),
                    "an IP address such as 127.0.0.1 (this computer only) or 0.0.0.0, or "
                    "localhost"),
    "server_port": ((int,), lambda v: 1 <= v <= 65535, "a port number from 1 to 65535"),
    "server_allowed_origins": ((list, tuple), lambda v: all(is_origin(o) for o in v),
                               "a list of origins such as \"http://localhost:3000\""),
    "server_save_history": ((bool,), lambda v: True, "true or false"),
}


def is_bind_address(value: str) -> bool:
    """An address the server can listen on: an IP literal, or localhost."""
    if value == "localhost":
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_origin(value: object) -> bool:
    """A browser origin (scheme://host[:port], no path); "*" is refused on purpose:
    every web page could then use the server."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return False
    rest = value.split("://", 1)[1]
    return bool(rest) and "/" not in rest and "*" not in rest and " " not in rest


def load_settings(path: Path) -> Settings:
    """Read settings, keeping every valid value and reporting every invalid one."""
    defaults = Settings()
    if not path.exists():
        return defaults
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return replace(defaults, problems=(
            f"The settings file {path} could not be read ({error}); LlamaDesk uses the "
            "default settings and leaves the file as it is.",))
    if not isinstance(raw, dict):
        return replace(defaults, problems=(
            f"The settings file {path} does not hold settings; LlamaDesk uses the defaults.",))
    values, problems = validate(raw)
    return replace(defaults, **values, problems=tuple(problems))


_FLOATS = {"temperature", "top_p", "min_p", "repeat_penalty"}


def validate(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The valid values of ``raw``, and a message for each invalid or unknown one."""
    defaults = Settings()
    values: dict[str, Any] = {}
    problems = []
    for name, value in raw.items():
        if name not in _RULES:
            problems.append(f"Unknown setting {name!r} is ignored.")
            continue
        types, check, allowed = _RULES[name]
        if isinstance(value, types) and (bool in types or not isinstance(value, bool)) \
                and check(value):
            if name in _FLOATS:
                value = float(value)  # type: ignore[arg-type]
            elif isinstance(value, list):
                value = tuple(value)
            values[name] = value
        else:
            problems.append(f"Setting {name!r} is {value!r} but must be {allowed}; "
                            f"using {getattr(defaults, name)!r}.")
    return values, problems


def save_settings(settings: Settings, path: Path) -> None:
    data = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name != "problems"}
    atomic_write_text(path, json.dumps(data, indent=2))


def update_settings_file(path: Path, **changes: Any) -> Settings:
    """Change some settings in the file and leave every other one as the file has
    it: two parts of the app that each changed one setting never undo each other."""
    current = load_settings(path)
    updated = replace(current, **changes)
    save_settings(updated, path)
    return updated

