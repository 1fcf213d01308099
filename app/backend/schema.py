"""Every setting once: its type, default, range, step, label, help text and scope.

Everything else is derived from this table: the defaults of ``Settings`` and of the
engine's ``GenerationParams`` and ``LoadOptions``, the side panel's widgets (and the
Preferences dialog's), the validation messages, and the README's settings block
(``python -m app.backend.schema`` prints it; a test fails when the README differs).

This module imports nothing from the app but app/backend/words.py (which imports
nothing), so the engine can take its defaults here.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.backend.words import Said, SettingWord, joined, said


class Scope(enum.Enum):
    """Where a value applies."""

    APP = "app"  # one value for the whole app
    MODEL = "model"  # a default, and a value per model file (the Models menu)
    CHAT = "chat"  # what a new chat starts with; each chat then keeps its own


class Kind(enum.Enum):
    INT = "int"
    FLOAT = "float"
    TEXT = "text"
    URL = "url"  # text that starts with http:// or https://
    LAYERS_BY_MODEL = "layers by model"  # {model file path: GPU layers}
    BOOL = "bool"
    HOST = "host"  # an address to listen on: an IP literal, or localhost
    ORIGINS = "origins"  # browser origins (scheme://host[:port]); kept as a tuple
    ENGINES = "engines"  # remote engines: ({"name", "url"} or {"name", "workers"}, ...)


SCOPE_TEXT = {Scope.APP: "app", Scope.MODEL: "each model", Scope.CHAT: "each chat"}


@dataclass(frozen=True)
class Setting:
    """One setting, with everything a form needs to show and check it.

    ``special`` names values with a meaning of their own (0 threads: automatic; a
    seed of None: random); ``choices``, when given, are the only values allowed.
    Floats keep ``decimals`` digits: what the file holds is what the panel shows
    and what the engine gets.
    """

    name: str
    kind: Kind
    default: Any
    label: str
    help: str
    scope: Scope
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    decimals: int = 0
    optional: bool = False  # None is allowed
    special: tuple[tuple[Any, str], ...] = ()
    choices: tuple[tuple[Any, str], ...] = ()
    unit: str = ""
    multiline: bool = False
    editable: bool = True  # False: changed by a menu, not by a form field

    def special_label(self, value: Any) -> str | None:
        return next((label for special, label in self.special if special == value
                     and type(special) is type(value)), None)

    def allowed(self) -> Said:
        """What the value may be, in words (used in messages and the README)."""
        if self.choices:
            return said("one of {choices}", choices=", ".join(
                json.dumps(value) for value, _label in self.choices))
        # the values with a name of their own, as the file writes them: 0 (automatic)
        named: list[str] = [said("{value} ({label})", value=_json(value),
                                 label=SettingWord(label)) for value, label in self.special]
        if self.optional and not any(value is None for value, _label in self.special):
            named.insert(0, "null")
        kind = self._kind_in_words()
        if not named:
            return kind
        return said("{named} or {kind}", named=joined(named), kind=kind)

    def _kind_in_words(self) -> Said:
        if self.kind is Kind.INT:
            low, high = self._plain_range()
            return said("a whole number from {low} to {high}", low=int(low), high=int(high))
        if self.kind is Kind.FLOAT:
            places = {1: said("one decimal"), 2: said("two decimals")}.get(self.decimals) \
                or said("{decimals} decimals", decimals=self.decimals)
            return said("a number from {low:g} to {high:g} ({places})", low=self.minimum,
                        high=self.maximum, places=places)
        if self.kind is Kind.URL:
            return said("an http:// or https:// address")
        if self.kind is Kind.LAYERS_BY_MODEL:
            return said("an object of model file paths to GPU layers (-1, 0 or a number)")
        if self.kind is Kind.BOOL:
            return said("true or false")
        if self.kind is Kind.HOST:
            return said("an IP address such as 127.0.0.1 (this computer only) or 0.0.0.0, or "
                        "localhost")
        if self.kind is Kind.ORIGINS:
            return said('a list of origins such as "http://localhost:3000"')
        if self.kind is Kind.ENGINES:
            return said('a list of {{"name": ..., "url": "http(s)://..."}} or {{"name": ..., '
                        '"workers": ["host:port", ...]}}, names unique and without "/"')
        return said("text")

    def check(self, value: Any) -> Any:
        """The value as kept (floats rounded to ``decimals``); ValueError if not allowed."""
        if value is None and self.optional:
            return None
        if self.choices:
            if any(value == choice and type(value) is type(choice)
                   for choice, _label in self.choices):
                return value
            raise ValueError(self.allowed())
        if self.kind is Kind.INT and _is_int(value) and self._in_range(value):
            return value
        if self.kind is Kind.FLOAT and _is_number(value) and self._in_range(value):
            return round(float(value), self.decimals)
        if self.kind is Kind.TEXT and isinstance(value, str):
            return value
        if self.kind is Kind.URL and isinstance(value, str) and value.startswith(
                ("http://", "https://")):
            return value
        if self.kind is Kind.LAYERS_BY_MODEL and isinstance(value, dict) and all(
                isinstance(k, str) and _is_int(n) and n >= -1 for k, n in value.items()):
            return dict(value)
        if self.kind is Kind.BOOL and isinstance(value, bool):
            return value
        if self.kind is Kind.HOST and isinstance(value, str) and is_bind_address(value):
            return value
        if self.kind is Kind.ORIGINS and isinstance(value, list | tuple) and all(
                is_origin(origin) for origin in value):
            return tuple(value)
        if self.kind is Kind.ENGINES and isinstance(value, list | tuple) and all(
                is_engine(engine) for engine in value) and len(
                {engine["name"] for engine in value}) == len(value):
            return tuple(dict(engine) for engine in value)
        raise ValueError(self.allowed())

    def _in_range(self, value: float) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum)

    def _plain_range(self) -> tuple[float, float]:
        """The range without the special values at its ends (0 threads: automatic)."""
        assert self.minimum is not None and self.maximum is not None
        low, high = self.minimum, self.maximum
        named = {value for value, _label in self.special if value is not None}
        while low in named:
            low += 1
        while high in named:
            high -= 1
        return low, high


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
        value)


def _json(value: Any) -> str:
    return json.dumps(value)


def is_bind_address(value: str) -> bool:
    """An address the local server can listen on: an IP literal, or localhost."""
    if value == "localhost":
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    """An address only this computer can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_origin(value: object) -> bool:
    """A browser origin (scheme://host[:port], no path); "*" is refused on purpose:
    every web page could then use the server."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return False
    rest = value.split("://", 1)[1]
    return bool(rest) and "/" not in rest and "*" not in rest and " " not in rest


def is_worker_address(value: object) -> bool:
    """host:port of an rpc-server worker (an IPv6 host in brackets)."""
    if not isinstance(value, str) or ":" not in value or " " in value:
        return False
    host, _, port = value.rpartition(":")
    return bool(host.strip("[]")) and port.isdigit() and 0 < int(port) < 65536


def is_engine(value: object) -> bool:
    """A remote engine: a name (no "/") and either a server address or workers."""
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return False
    name = value["name"]
    if not name.strip() or "/" in name or "\\" in name or len(name) > 80:
        return False
    if set(value) == {"name", "url"}:
        url = value["url"]
        return isinstance(url, str) and url.startswith(("http://", "https://"))
    if set(value) == {"name", "workers"}:
        workers = value["workers"]
        return isinstance(workers, list | tuple) and bool(workers) and all(
            is_worker_address(worker) for worker in workers)
    return False


SCHEMA: tuple[Setting, ...] = (
    Setting("threads", Kind.INT, 0, "Threads",
            "CPU threads llama.cpp uses. Automatic follows how busy the machine is: the "
            "free physical cores (at most 8), one fewer for each core another program keeps "
            "busy, looked at before each answer and every quarter second while it is "
            "written.",
            Scope.APP, minimum=0, maximum=512, special=((0, "automatic"),)),
    Setting("gpu_layers", Kind.INT, -1, "GPU offload",
            "Model layers on the GPU (in a GPU build of llama.cpp). Automatic puts all of "
            "them there and falls back to the CPU if that fails; a number (999: all) is "
            "used as it is, without a fallback; 0 keeps the model on the CPU.",
            Scope.MODEL, minimum=-1, maximum=999,
            special=((-1, "automatic"), (0, "CPU only"), (999, "all layers"))),
    Setting("prompt_lookup", Kind.BOOL, False, "Prompt lookup",
            "Speculative decoding with drafts copied from the chat: when an answer repeats "
            "it (code being edited, a text being rewritten), llama.cpp checks several "
            "tokens at once (1.17x faster on a rewrite on a 2-core CPU, 0.97x on free "
            "text: under the 1.3x that would turn it on for everyone); the answer is the "
            "model's own either way.",
            Scope.APP),
    Setting("temperature", Kind.FLOAT, 0.7, "Temperature",
            "Randomness: 0 always takes the most likely next word, higher values vary more.",
            Scope.CHAT, minimum=0, maximum=5, step=0.05, decimals=2),
    Setting("top_p", Kind.FLOAT, 0.95, "Top p",
            "Choose only among the most likely words that together make up this share of "
            "the probability; 1 turns it off.",
            Scope.CHAT, minimum=0.01, maximum=1, step=0.01, decimals=2),
    Setting("top_k", Kind.INT, 40, "Top k",
            "Choose only among this many most likely words.", Scope.CHAT, minimum=0,
            maximum=100_000, special=((0, "off"),)),
    Setting("min_p", Kind.FLOAT, 0.05, "Min p",
            "Leave out words less likely than this share of the most likely one; 0 turns "
            "it off.", Scope.CHAT, minimum=0, maximum=1, step=0.01, decimals=2),
    Setting("repeat_penalty", Kind.FLOAT, 1.1, "Repeat penalty",
            "Above 1 the model repeats itself less; 1 turns it off.", Scope.CHAT,
            minimum=0.5, maximum=3, step=0.05, decimals=2),
    Setting("max_tokens", Kind.INT, 1024, "Max tokens",
            "The longest answer, in tokens.", Scope.CHAT, minimum=1, maximum=1 << 20,
            step=64, unit="tokens"),
    Setting("context_size", Kind.INT, 4096, "Context length",
            "How many tokens the model reads at once: system prompt, chat and answer. "
            "Capped at what the model was trained for; larger needs more memory. A chat "
            "with its own length reloads the model's context when it answers.",
            Scope.CHAT, minimum=256, maximum=1 << 20, step=256, unit="tokens"),
    Setting("seed", Kind.INT, None, "Seed",
            "A fixed seed answers the same chat the same way again; random gives every "
            "answer a fresh seed.", Scope.CHAT, minimum=0, maximum=2**31 - 1,
            optional=True, special=((None, "random"),)),
    Setting("system_prompt", Kind.TEXT, "", "System prompt",
            "Instructions the model keeps for the whole chat; never dropped when a long "
            "chat no longer fits.", Scope.CHAT, multiline=True),
    Setting("model", Kind.TEXT, None, "Model",
            "The model loaded at start: a catalog id (llama-3.2-1b-instruct, or ID:QUANT) "
            "or the path of a .gguf file.", Scope.APP, optional=True,
            special=((None, "the built-in model"),)),
    Setting("hub_endpoint", Kind.URL, None, "Hub address",
            "Where models are downloaded from (a mirror of the Hugging Face Hub).",
            Scope.APP, optional=True, special=((None, "HF_ENDPOINT, else the Hugging Face "
                                                      "Hub"),)),
    Setting("gpu_layers_per_model", Kind.LAYERS_BY_MODEL, {}, "GPU offload per model",
            "The GPU offload chosen for a model file in Models > GPU offload for this model.",
            Scope.MODEL, editable=False),
    Setting("theme", Kind.TEXT, "system", "Theme",
            "Light or dark window (View > Theme); \"system\" follows the system's setting.",
            Scope.APP, choices=(("system", "Follow the system"), ("light", "Light"),
                                ("dark", "Dark")), editable=False),
    Setting("font_size", Kind.INT, 0, "Font size",
            "The window's text size in points (File > Preferences); 0 follows the system.",
            Scope.APP, minimum=0, maximum=32, special=((0, "system"),)),
    Setting("remote_engines", Kind.ENGINES, (), "Remote engines",
            "OpenAI-compatible servers (a url) and llama.cpp rpc-server workers that one "
            "model is split across (workers); Models > Remote engines. API keys are kept "
            "in the keyring, never here.", Scope.APP, editable=False),
    Setting("server_enabled", Kind.BOOL, False, "Local server",
            "Serve the loaded model with the OpenAI API while the window is open (Server "
            "menu; `llamadesk serve` without a window).", Scope.APP),
    Setting("server_host", Kind.HOST, "127.0.0.1", "Listen on",
            "The local server's address: 127.0.0.1 is this computer only; any other "
            "address requires the API key.", Scope.APP),
    Setting("server_port", Kind.INT, 8080, "Port", "The local server's port.", Scope.APP,
            minimum=1, maximum=65535),
    Setting("server_allowed_origins", Kind.ORIGINS, (), "Allowed web origins",
            "Web pages (origins) allowed to call the local server from a browser; none "
            "keeps CORS off.", Scope.APP),
    Setting("server_save_history", Kind.BOOL, False, "Save API chats",
            "Keep the local server's conversations in the history, one chat per request.",
            Scope.APP),
)

BY_NAME: Mapping[str, Setting] = {setting.name: setting for setting in SCHEMA}
# The values a chat keeps for itself (its system prompt is kept beside them).
CHAT_KEYS = tuple(s.name for s in SCHEMA if s.scope is Scope.CHAT and s.name != "system_prompt")


def default(name: str) -> Any:
    """A setting's default (a fresh copy for mutable ones)."""
    value = BY_NAME[name].default
    return dict(value) if isinstance(value, dict) else value


def validate(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The valid values of ``raw``, and a message for each invalid or unknown one."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in raw.items():
        setting = BY_NAME.get(name)
        if setting is None:
            problems.append(said("Unknown setting {name!r} is ignored.", name=name))
            continue
        try:
            values[name] = setting.check(value)
        except ValueError as error:
            problems.append(said("Setting {name!r} is {value!r} but must be {allowed}; using "
                                 "{default}.", name=name, value=value, allowed=error,
                                 default=_json(setting.default)))
            continue
        if setting.kind is Kind.FLOAT and values[name] != value:  # more decimals than kept
            problems.append(said("Setting {name!r} is {value!r} but keeps {decimals} decimals; "
                                 "using {kept!r}.", name=name, value=value,
                                 decimals=setting.decimals, kept=values[name]))
    return values, problems


README_START = "<!-- settings: generated from app/backend/schema.py -->"
README_END = "<!-- settings: end -->"


def readme_block() -> str:
    """The README's settings section, between its markers."""
    defaults = json.dumps({s.name: s.default for s in SCHEMA})
    lines = ["```json", *_wrap_json(defaults), "```", "",
             "| key | in the window | applies to | allowed | what it does |",
             "|---|---|---|---|---|"]
    for s in SCHEMA:
        lines.append(f"| `{s.name}` | {s.label} | {SCOPE_TEXT[s.scope]} | {s.allowed()} | "
                     f"{s.help} |")
    return "\n".join([README_START, *lines, README_END])


def _wrap_json(text: str, width: int = 90) -> list[str]:
    """One-line JSON broken after commas, at most ``width`` characters a line."""
    lines: list[str] = []
    current = ""
    for piece in text.split(", "):
        candidate = f"{current}, {piece}" if current else piece
        if current and len(candidate) + 1 > width:
            lines.append(current + ",")
            current = " " + piece
        else:
            current = candidate
    return [*lines, current]


if __name__ == "__main__":
    print(readme_block())
