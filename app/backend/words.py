"""Sentences the backend says to a person, kept translatable without Qt.

The backend imports no Qt, so it cannot call ``tr()``.  It writes what it tells the user
as ``said("The model file {path} cannot be read: {reason}.", path=path, reason=...)``:
a ``str`` (the English sentence, for logs, the command line and tests) that also carries
its template and fields.  The window translates the template and fills the fields in the
user's language (``app.ui.i18n.shown``); ``python3 dev.py translations`` finds every
``said("...")`` literal of app/backend for lupdate (context "backend").

Templates use ``str.format``'s named fields, with format specs where a figure needs one
(``{size:,}``, ``{gib:.1f}``); a field may itself be a ``Said`` (a phrase translated on
its own) or a LlamaDeskError whose message is one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

CONTEXT = "backend"  # the translation context of every said() template


class Said(str):
    """The English sentence, with the template and fields it was made from."""

    template: str
    fields: Mapping[str, object]

    def __new__(cls, template: str, fields: Mapping[str, object]) -> Said:
        made = super().__new__(cls, template.format(**fields))
        made.template = template
        made.fields = fields
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (and copies) keep the template
        return (Said, (self.template, dict(self.fields)))


def said(template: str, /, **fields: object) -> Said:
    """``template`` (a literal, English, with ``{named}`` fields) filled with ``fields``.

    An exception given as a field keeps its own Said message, so the whole sentence
    translates."""
    return Said(template, {name: words_of(value) for name, value in fields.items()})


def message_of(error: BaseException) -> str:
    """What an exception says: its Said message when it has one, else ``str(error)``."""
    if len(error.args) == 1 and isinstance(error.args[0], Said):
        return error.args[0]
    return str(error)


def words_of(value: object) -> object:
    """``message_of`` an exception; anything else as it is."""
    return message_of(value) if isinstance(value, BaseException) else value


class SettingWord(str):
    """A word of the settings schema (a setting's label, a value's name) inside a sentence:
    the window translates it with the schema's other words (context "settings")."""


def joined(parts: Sequence[str], separator: str = ", ") -> str:
    """``separator.join(parts)``, still translatable part by part where a part is a Said
    or a SettingWord (the joining template has only fields: nothing in it to translate)."""
    if not any(isinstance(part, Said | SettingWord) for part in parts):
        return separator.join(parts)
    return Said(separator.join(f"{{part_{index}}}" for index in range(len(parts))),
                {f"part_{index}": part for index, part in enumerate(parts)})

