"""Translations (issue 12): the window's strings go through Qt's translation system,
collected by PySide6's lupdate, built by lrelease, and the Russian translation is
complete.  Real lupdate and lrelease, a real QTranslator, real widgets offscreen."""

from __future__ import annotations

import importlib.util
import pickle
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QMenu
from pytestqt.qtbot import QtBot

from app.backend.downloads import Progress
from app.backend.downloads import describe as describe_progress
from app.backend.errors import ModelFileError
from app.backend.models import ModelChoice
from app.backend.schema import BY_NAME
from app.backend.settings import Settings
from app.backend.words import Said, said, words_of
from app.ui import i18n
from app.ui.i18n import shown, tr
from app.ui.messages import describe
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, type_and_send, wait_ready

ROOT = Path(__file__).resolve().parents[1]
RUSSIAN = ROOT / "resources" / "translations" / "llamadesk_ru.ts"
CYRILLIC = re.compile("[\u0400-\u04ff]")
FIELD = re.compile(r"\{[a-z_]*(?:![rs])?(?::[^{}]*)?\}")  # {name}, {size:,}, {path!r}


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(ts: Path) -> list[tuple[str, ET.Element]]:
    found = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        assert translation is not None
        found.append((message.findtext("source") or "", translation))
    return found


@pytest.fixture(scope="module")
def russian_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Russian .qm, built by lrelease from the committed .ts, as dev.py builds it."""
    folder = tmp_path_factory.mktemp("translations")
    shutil.copy(RUSSIAN, folder / RUSSIAN.name)
    _dev().build_translations(folder)
    assert (folder / "llamadesk_ru.qm").stat().st_size > 0
    return folder


@pytest.fixture
def in_russian(qtbot: QtBot, russian_qm: Path) -> Iterator[None]:
    app = QApplication.instance()
    assert app is not None
    assert i18n.install_translators(app, QLocale("ru_RU"), russian_qm) == "ru"
    yield
    assert i18n.install_translators(app, QLocale("en_US"), russian_qm) == "en"


def test_the_russian_translation_is_complete_and_up_to_date(tmp_path: Path) -> None:
    """lupdate over today's sources finds nothing new and nothing gone: a string added
    to the window without its translation (or a .ts not updated) fails here."""
    fresh = tmp_path / RUSSIAN.name
    shutil.copy(RUSSIAN, fresh)
    _dev().update_translations([fresh])
    committed = [source for source, _t in _messages(RUSSIAN)]
    found = _messages(fresh)
    unfinished = [source for source, t in found if t.get("type")
                  or not (t.text or t.findall("numerusform"))]
    assert not unfinished, ("strings without a Russian translation (run python3 dev.py "
                            f"translations, then translate them): {unfinished}")
    assert sorted(committed) == sorted(source for source, _t in found), (
        "resources/translations/llamadesk_ru.ts is out of date: run python3 dev.py translations")
    assert len(found) >= 60


KEPT_AS_IS = {"Top p", "Top k", "Min p"}  # sampling's own names, as in every Russian UI


def test_every_translation_keeps_its_fields_accelerator_and_spacing() -> None:
    for source, translation in _messages(RUSSIAN):
        text = translation.text or ""
        assert sorted(FIELD.findall(source)) == sorted(FIELD.findall(text)), source
        assert source.count("&") == text.count("&"), source
        assert source[len(source.rstrip()):] == text[len(text.rstrip()):], source
        assert CYRILLIC.search(text) or source in KEPT_AS_IS or not re.search(
            "[A-Za-z]", FIELD.sub("", source)), source  # words, or only fields


def test_the_window_speaks_russian(qtbot: QtBot, make_window: MakeWindow,
                                   in_russian: None) -> None:
    window = make_window(FakeEngine(words=["Да."]))
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == "&Файл" and "&Справка" in menus
    for menu in (window.file_menu, window.view_menu, window.chat_menu):
        for action in menu.actions():
            if action.text() and not action.menu():
                assert CYRILLIC.search(action.text()), action.text()
    theme_menu = next(a.menu() for a in window.view_menu.actions() if a.menu())
    assert isinstance(theme_menu, QMenu) and theme_menu.title() == "&Тема"
    assert window.send_button.text() == "Отправить"
    assert window.composer.placeholderText().startswith("Сообщение модели")
    assert window.chat.empty.heading.text() == "Начните разговор"
    assert all(CYRILLIC.search(b.text()) for b in window.chat.empty.buttons)
    keys = dict(window.shortcuts())
    assert keys["Enter"] == "Отправить сообщение" and keys["Ctrl+N"] == "Новый чат"
    assert window.sidebar.new_button.text() == "Новый чат"
    type_and_send(qtbot, window, "Hello")
    wait_ready(qtbot, window)
    assert window.sidebar.list.item(0).text() == "Сегодня"
    assert window.conversation_id is not None
    menu = window.sidebar.context_menu(window.conversation_id)
    assert all(CYRILLIC.search(a.text()) for a in menu.actions() if a.text())
    qtbot.waitUntil(lambda: window.meter.text().startswith("Чат занимает"), timeout=10_000)
    answer = window.chat.view_for(window.branch.messages[-1].id)
    assert answer is not None and answer.title.text() == "Ассистент"
    assert answer.copy_button.text() == "Копировать"
    assert answer.regenerate_button.toolTip() == "Написать другой ответ: новая ветка"
    assert "&Модели" in menus and "С&ервер" in menus  # noqa: RUF001
    _assert_alt_keys_distinct(menus)  # every Alt key opens one menu
    for bar_action in window.menuBar().actions():
        bar_menu = bar_action.menu()
        assert isinstance(bar_menu, QMenu)
        _assert_alt_keys_distinct([a.text() for a in bar_menu.actions() if "&" in a.text()])
    window.models_menu.fill()
    assert [a.text() for a in window.models_menu.actions()
            if a.text() and not a.menu()][-4:] == [
        "Добавить файл GGUF…", "Открыть из Hub…", "Скачивания…", "Токен Hub…"]
    labels = [label.text() for label in window.panel.findChildren(QLabel)]
    assert "Температура" in labels and "Системный промпт" in labels
    dialog = window.show_preferences()
    assert dialog.windowTitle() == "Параметры"
    assert [box.title() for box in dialog.findChildren(QGroupBox)] == [
        "Внешний вид", "Запуск моделей", "Новые чаты начинаются с"]  # noqa: RUF001
    assert dialog.editors["theme"].currentText() == "Как в системе"  # type: ignore[attr-defined]
    dialog.reject()
    assert describe(OSError(28, "No space left on device"), tr("save your message")) == (
        "Не удалось сохранить ваше сообщение: No space left on device.")  # noqa: RUF001


def _assert_alt_keys_distinct(texts: list[str]) -> None:
    keys = [text[text.index("&") + 1].lower() for text in texts]
    assert len(set(keys)) == len(keys), texts


def test_the_users_order_of_languages_is_kept() -> None:
    """English before Russian in the user's list stays English: no llamadesk_en.qm exists,
    so QTranslator's own search through the list would have stopped at Russian."""
    assert i18n.shown_language(QLocale("ru_RU").uiLanguages()) == "ru"
    assert i18n.shown_language(QLocale("de_DE").uiLanguages()) == "en"
    assert i18n.shown_language(["en-US", "en", "ru-RU", "ru"]) == "en"  # LANGUAGE=en_US:ru
    assert i18n.shown_language(["de-DE", "de", "ru-RU", "ru"]) == "ru"
    assert i18n.shown_language([]) == "en"


def test_figures_are_written_as_the_shown_language_writes_them(qtbot: QtBot,
                                                               russian_qm: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    assert i18n.number(4096) == "4,096" and i18n.number(12.345, 1) == "12.3"
    assert i18n.install_translators(app, QLocale("ru_RU"), russian_qm) == "ru"
    try:
        assert i18n.number(4096) == "4\u202f096" and i18n.number(12.345, 1) == "12,3"
    finally:
        i18n.install_translators(app, QLocale("en_US"), russian_qm)
    assert i18n.number(4096) == "4,096"


def test_english_stays_where_no_translation_matches(qtbot: QtBot, russian_qm: Path,
                                                    make_window: MakeWindow) -> None:
    app = QApplication.instance()
    assert app is not None
    assert i18n.install_translators(app, QLocale("de_DE"), russian_qm) == "en"
    window = make_window(FakeEngine(words=["Yes."]))
    assert window.send_button.text() == "Send"
    assert window.menuBar().actions()[0].text() == "&File"


def test_the_system_language_is_followed_unless_llamadesk_language_is_set(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "ru")
    assert i18n.chosen_locale().language() is QLocale.Language.Russian
    monkeypatch.delenv(i18n.LANGUAGE_ENV)
    assert i18n.chosen_locale() == QLocale.system()


def test_a_backend_sentence_is_english_text_that_carries_its_template() -> None:
    sentence = said("{name} is {size:,} bytes ({gib:.1f} GiB).", name="a.gguf", size=123456,
                    gib=1.25)
    assert sentence == "a.gguf is 123,456 bytes (1.2 GiB)."  # logs, the CLI, tests
    assert isinstance(sentence, Said) and sentence.fields["size"] == 123456
    error = ModelFileError(sentence)
    outer = said("Could not load it: {error}", error=error)
    assert outer == "Could not load it: a.gguf is 123,456 bytes (1.2 GiB)."
    assert outer.fields["error"] is sentence  # the inner sentence translates on its own
    assert words_of(error) is sentence and words_of(ValueError("x")) == "x"
    assert pickle.loads(pickle.dumps(outer)).fields["error"].template == sentence.template
    assert shown(error) == str(error) and shown(ValueError("plain")) == "plain"


class _LosesAField(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return "{nothing} потерял поле" if context == "backend" else ""


def test_a_translation_that_does_not_fit_its_fields_shows_the_english(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    broken = _LosesAField()
    app.installTranslator(broken)
    try:
        assert shown(said("{name} is gone.", name="x.gguf")) == "x.gguf is gone."
    finally:
        app.removeTranslator(broken)


def test_dev_collects_backend_templates_and_refuses_one_it_cannot_translate(
        tmp_path: Path) -> None:
    folder = tmp_path / "backend"
    folder.mkdir()
    (folder / "good.py").write_text('said("The file {name} "\n     "is gone.", name=n)\n'
                                    'other("Not this one.")\n', encoding="utf-8")
    out = _dev().backend_strings(folder, tmp_path / "stub.py")
    assert out.read_text(encoding="utf-8") == (
        "QT_TRANSLATE_NOOP('backend', \"The file {name} is gone.\")\n")
    for bad in ('said(f"The file {name} is gone.")',  # not a literal
                'words.said("The file {name} is gone.", name=n)',  # lupdate would miss it
                'said("The file {name} is gone.", path=p)'):  # a field without its value
        (folder / "bad.py").write_text(f"\n{bad}\n", encoding="utf-8")
        with pytest.raises(SystemExit, match=r"bad\.py:2"):
            _dev().backend_strings(folder, tmp_path / "stub.py")


@pytest.mark.real_model
def test_a_damaged_model_file_is_explained_in_russian(qtbot: QtBot, make_window: MakeWindow,
                                                     builtin_path: Path, tmp_path: Path,
                                                     in_russian: None) -> None:
    """The backend's own sentence (the real GGUF check, on the real engine thread) reaches
    the window in the user's language, its figures written the Russian way."""
    truncated = tmp_path / "broken.gguf"
    truncated.write_bytes(builtin_path.read_bytes()[:30_000_000])
    window = make_window(None, ModelChoice("broken", "Broken model", truncated),
                         Settings.of(threads=1, context_size=512))
    qtbot.waitUntil(lambda: "broken.gguf" in window.errors.label.text(), timeout=60_000)
    text = window.errors.label.text()
    assert CYRILLIC.search(text) and "incomplete" not in text, text
    assert "30\u202f000\u202f000" in text and "token_embd.weight" in text, text


def test_the_backends_sentences_speak_russian(in_russian: None) -> None:
    """Validation (with the schema's own names of values inside), download progress and
    a sentence inside a sentence, each in Russian with Russian figures."""
    allowed = shown(BY_NAME["gpu_layers"].allowed())
    assert CYRILLIC.search(allowed) and "999" in allowed, allowed
    assert "automatic" not in allowed and "all layers" not in allowed, allowed
    progress = shown(describe_progress(Progress("m.gguf", 42_000_000, 98_400_000, 12_300_000)))
    assert progress.startswith("42,0 из 98,4") and CYRILLIC.search(progress), progress
    nested = shown(said("Could not load it: {error}",
                        error=ModelFileError(said("The model file {path} does not exist.",
                                                  path="/m.gguf"))))
    assert "/m.gguf" in nested and "does not exist" not in nested, nested
