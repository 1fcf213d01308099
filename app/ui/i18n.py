"""Translations through Qt's own system.

A user-visible string of the window is written ``tr("...")`` where it is shown (never
at import, before the translator is installed), with named ``{fields}`` filled by
``.format`` after translation, so a translation can put them in its own order.
``pyside6-lupdate`` collects every ``tr()`` call into resources/translations/*.ts (free
calls are filed under the empty context, which ``tr`` uses too); ``pyside6-lrelease``
builds the .qm files the app loads (dev.py does both: ``python3 dev.py translations``).

The app follows the system's language (``QLocale.system()``: LANGUAGE, LC_ALL,
LC_MESSAGES, LANG on Linux); ``LLAMADESK_LANGUAGE`` overrides it (``en``, ``ru``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CONTEXT = ""  # the context lupdate gives free tr() calls
SETTINGS_CONTEXT = "settings"  # the settings schema's words (dev.py settings_strings)
LANGUAGE_ENV = "LLAMADESK_LANGUAGE"
SHIPPED = ("ru",)  # besides English, the source language

_installed: list[QTranslator] = []


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
    locale = locale or chosen_locale()
    directory = directory or translations_dir()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    ours = QTranslator(app)
    if not ours.load(locale, "llamadesk", "_", str(directory)):
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return ours.language().split("_")[0] or "en"
