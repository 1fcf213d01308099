"""Translations through Qt's own system.

A user-visible string of the window is written ``tr("...")`` where it is shown (never
at import, before the translator is installed), with named ``{fields}`` filled by
``.format`` after translation, so a translation can put them in its own order.
``pyside6-lupdate`` collects every ``tr()`` call into resources/translations/*.ts (free
calls are filed under the empty context, which ``tr`` uses too); ``pyside6-lrelease``
builds the .qm files the app loads (dev.py does both: ``python3 dev.py translations``).

What the backend says (it imports no Qt) comes as ``app.backend.words.Said`` sentences:
``shown(error_or_text)`` translates their templates (context "backend", collected by
dev.py from ``said("...")`` literals) and fills their fields in the user's language.

The app follows the system's language (``QLocale.system()``: LANGUAGE, LC_ALL,
LC_MESSAGES, LANG on Linux); ``LLAMADESK_LANGUAGE`` overrides it (``en``, ``ru``).
"""

from __future__ import annotations

import logging
import os
import string
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.backend.words import CONTEXT as BACKEND_CONTEXT
from app.backend.words import Said, SettingWord, words_of

log = logging.getLogger(__name__)

CONTEXT = ""  # the context lupdate gives free tr() calls
SETTINGS_CONTEXT = "settings"  # the settings schema's words (dev.py settings_strings)
LANGUAGE_ENV = "LLAMADESK_LANGUAGE"
SHIPPED = ("ru",)  # besides English, the source language

_installed: list[QTranslator] = []
_language = "en"  # the language install_translators chose


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the user's language (``%n`` is replaced by ``n`` in plural forms)."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation, n)


def setting_text(text: str) -> str:
    """A word of the settings schema (label, help, a named value) in the user's language:
    the backend cannot call tr(), so dev.py collects its words for lupdate."""
    return QCoreApplication.translate(SETTINGS_CONTEXT, text)


def translations_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return base / "resources" / "translations"


def chosen_locale() -> QLocale:
    wanted = os.environ.get(LANGUAGE_ENV, "").strip()
    return QLocale(wanted) if wanted else QLocale.system()


def install_translators(app: QCoreApplication, locale: QLocale | None = None,
                        directory: Path | None = None) -> str:
    """Install LlamaDesk's translation and Qt's own (standard buttons and dialogs) for
    ``locale`` (the user's by default), from ``directory`` (the app's by default),
    replacing any installed before.  Returns the language now shown ("en" when no
    translation matches: the strings stay as written)."""
    global _language
    directory = directory or translations_dir()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _language = "en"
    language = shown_language((locale or chosen_locale()).uiLanguages())
    ours = QTranslator(app)
    if language == "en" or not ours.load(f"llamadesk_{language}", str(directory)):
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    _language = language
    return language


def translations_found() -> dict[str, list[str]]:
    """For the self-test: per shipped language, the translations that load (LlamaDesk's
    own, and Qt's qtbase for its standard buttons and dialogs)."""
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return {language: [name for name, folder in (("llamadesk", str(translations_dir())),
                                                 ("qtbase", qt_folder))
                       if QTranslator().load(f"{name}_{language}", folder)]
            for language in SHIPPED}


def shown_language(languages: Sequence[str]) -> str:
    """The first of the user's languages (QLocale.uiLanguages, in their order) that
    LlamaDesk speaks: English (the source) or a shipped translation.  English then Russian
    stays English."""
    for name in languages:
        language = name.replace("-", "_").split("_")[0].lower()
        if language == "en" or language in SHIPPED:
            return language
    return "en"


def number(value: float, decimals: int = 0) -> str:
    """A figure as the shown language writes it: 4,096 and 12.5 in English, 4 096 and
    12,5 in Russian (a narrow no-break space between thousands)."""
    return _as_shown(f"{value:,.{decimals}f}")


def _as_shown(figure: str) -> str:
    """A figure written the English way (4,096.5), as the shown language writes it."""
    return figure.replace(",", "\u202f").replace(".", ",") if _language == "ru" else figure


class _Figures(string.Formatter):
    """str.format, writing numeric fields as the shown language writes figures."""

    def format_field(self, value: object, format_spec: str) -> str:
        text = format(value, format_spec)
        is_figure = isinstance(value, int | float) and not isinstance(value, bool)
        return _as_shown(text) if is_figure else text


_FIGURES = _Figures()


def shown(value: object) -> str:
    """A sentence of the backend (a Said, or an exception whose message is one) in the
    user's language; any other text or exception as ``str()`` gives it."""
    value = words_of(value)
    if isinstance(value, SettingWord):
        return setting_text(value)
    if not isinstance(value, Said):
        return str(value)
    template = QCoreApplication.translate(BACKEND_CONTEXT, value.template)
    fields = {name: shown(field) if isinstance(field, Said | SettingWord) else field
              for name, field in value.fields.items()}
    try:
        return _FIGURES.format(template, **fields)
    except Exception:  # a translation that does not fit its fields: the English, always
        log.warning("the translation of %r does not fit its fields", value.template)
        return str(value)
