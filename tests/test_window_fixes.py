"""Issue 12, "broken today": the window's faults a user meets in the first hour.
Real widgets, offscreen; a fake engine where the model does not matter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.app import DesktopApp
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, type_and_send, wait_ready


def test_line_breaks_in_the_users_message_are_kept(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine())
    qtbot.keyClicks(window.composer, "first line")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.composer, "second line *not emphasis*")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_ready(qtbot, window)
    question = window.chat.messages[0]
    assert question.role == "user"
    assert question.body.document().toPlainText() == "first line\nsecond line *not emphasis*"
    assert question.body.document().blockCount() == 2


def test_the_window_title_follows_a_rename_and_the_first_message(
        qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine())
    assert window.windowTitle() == "LlamaDesk"
    type_and_send(qtbot, window, "Plan a trip to Lisbon")
    wait_ready(qtbot, window)
    assert window.windowTitle() == "Plan a trip to Lisbon - LlamaDesk"
    assert window.conversation_id is not None
    window.store.rename(window.conversation_id, "Lisbon")
    window.history_changed.emit()  # what the sidebar's rename does
    assert window.windowTitle() == "Lisbon - LlamaDesk"


def test_a_draft_stays_with_its_chat_and_survives_a_restart(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home: Path):
    desktop = make_desktop(FakeEngine())
    window = desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "chat one")
    wait_ready(qtbot, window)
    first = window.conversation_id
    qtbot.keyClicks(window.composer, "half a thought for chat one")
    window.new_chat()
    assert window.composer.toPlainText() == ""  # it did not follow into the new chat
    type_and_send(qtbot, window, "chat two")
    wait_ready(qtbot, window)
    second = window.conversation_id
    assert first is not None and second is not None
    window.open_conversation(first)
    assert window.composer.toPlainText() == "half a thought for chat one"
    window.open_conversation(second)
    assert window.composer.toPlainText() == ""
    desktop.shutdown()
    again = make_desktop(FakeEngine())
    restored = again.new_window(first)
    assert restored.composer.toPlainText() == "half a thought for chat one"
    restored.composer.clear()  # sent or deleted: the draft goes
    again.shutdown()
    assert "half a thought" not in (data_home / "data" / "drafts.json").read_text()


def _visible_in_chat(window: object, view: object) -> bool:
    chat = window.chat  # type: ignore[attr-defined]
    top = view.mapTo(chat.viewport(), view.rect().topLeft()).y()  # type: ignore[attr-defined]
    return bool(0 <= top < chat.viewport().height())


def test_a_search_result_opens_the_chat_at_the_matching_message(
        qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["A long answer line.\n\n" * 12]))
    window.resize(900, 600)
    for index in range(12):
        word = "pelican" if index == 1 else f"topic {index}"
        type_and_send(qtbot, window, f"Question about {word}")
        wait_ready(qtbot, window)
    qtbot.wait(50)
    chat_id = window.conversation_id
    assert chat_id is not None
    target = next(m.id for m in window.store.branch(chat_id).messages
                  if "pelican" in m.content)
    for already_open in (True, False):
        if not already_open:
            window.new_chat()
        window.chat.verticalScrollBar().setValue(window.chat.verticalScrollBar().maximum())
        window.sidebar.search.setText("pelican")
        qtbot.waitUntil(lambda: window.sidebar.list.itemWidget(window.sidebar.items()[0])
                        is not None)
        window.sidebar.list.itemClicked.emit(window.sidebar.items()[0])
        qtbot.wait(100)  # the layout settles
        view = window.chat.view_for(target)
        assert view is not None and _visible_in_chat(window, view), already_open
        window.sidebar.search.clear()


def test_arrow_keys_and_enter_reach_the_search_results(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["The lighthouse keeper waved."]))
    type_and_send(qtbot, window, "Tell me about the sea")
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "And the coast")
    wait_ready(qtbot, window)
    window.new_chat()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.sidebar.search, "lighthouse")
    qtbot.waitUntil(lambda: window.sidebar.list.itemWidget(window.sidebar.items()[0]) is not None)
    assert len(window.sidebar.items()) == 2  # both answers say it
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Down)
    assert window.sidebar.list.currentRow() == 0
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Down)
    assert window.sidebar.list.currentRow() == 1
    assert window.sidebar.search.hasFocus()  # typing can go on
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Return)
    assert window.conversation_id is not None
    chosen = window.sidebar.items()[1].data(Qt.ItemDataRole.UserRole + 1)
    assert window.chat.view_for(chosen) is not None


def test_secondary_text_meets_aa_contrast_in_light_and_dark(qtbot: QtBot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QLabel, QWidget

    from app.ui.palette import AA_CONTRAST, contrast, make_alert, make_quiet

    for window_colour, text_colour in (("#ffffff", "#1a1a1a"), ("#efefef", "#000000"),
                                       ("#1e1e1e", "#e6e6e6"), ("#2b2b2b", "#ffffff")):
        parent = QWidget()
        qtbot.addWidget(parent)
        palette = parent.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(window_colour))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text_colour))
        parent.setPalette(palette)
        for style in (make_quiet, make_alert):
            label = QLabel("secondary", parent)
            style(label)
            shown = label.palette().color(QPalette.ColorRole.WindowText)
            ratio = contrast(shown, QColor(window_colour))
            assert ratio >= AA_CONTRAST, (window_colour, style.__name__, ratio)
            assert shown != QColor(text_colour)  # and it is told apart from body text
            style(label)  # applying it again does not fade it further
            assert label.palette().color(QPalette.ColorRole.WindowText) == shown


def test_the_meter_turns_to_a_warning_over_the_limit(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QPalette

    from app.ui.palette import contrast

    window = make_window(FakeEngine())
    quiet = window.meter.palette().color(QPalette.ColorRole.WindowText)
    window.composer.setPlainText("word " * 5000)  # the fake engine counts words
    qtbot.waitUntil(lambda: "more than fits" in window.meter.text(), timeout=5000)
    warning = window.meter.palette().color(QPalette.ColorRole.WindowText)
    assert warning != quiet and warning.red() > warning.green()
    background = window.palette().color(QPalette.ColorRole.Window)
    assert contrast(warning, background) >= 4.5
    window.composer.clear()
    qtbot.waitUntil(lambda: "more than fits" not in window.meter.text(), timeout=5000)
    assert window.meter.palette().color(QPalette.ColorRole.WindowText) == quiet


def test_an_added_gguf_is_listed_with_the_installed_models(
        qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, builtin_path: Path):
    window = make_window(FakeEngine())
    models_dir = window.models_dir
    assert models_dir is not None
    added = tmp_path / "My-Llama.Q4_1.gguf"
    added.write_bytes(builtin_path.read_bytes())
    window.models_menu.ask_model_file = lambda: added  # type: ignore[method-assign]
    window.models_menu.add_model_file()
    for part in ("Big-00001-of-00002.gguf", "Big-00002-of-00002.gguf"):
        (models_dir / part).write_bytes(b"GGUF")  # a split model: listed once
    window.models_menu.fill()  # what opening the menu does, now and after any restart
    from PySide6.QtWidgets import QMenu

    (installed,) = [cast(QMenu, a.menu()) for a in window.models_menu.actions()
                    if a.text() == "Installed models"]
    names = [a.text().split(" · ")[0] for a in installed.actions()]
    assert names[0] == builtin_path.name
    assert "My-Llama.Q4_1.gguf" in names and "Big-00001-of-00002.gguf" in names
    assert "Big-00002-of-00002.gguf" not in names
    chosen: list[object] = []
    window.models_menu.model_chosen.connect(chosen.append)
    next(a for a in installed.actions() if a.text().startswith("My-Llama")).trigger()
    assert chosen and chosen[0].path == models_dir / "My-Llama.Q4_1.gguf"  # type: ignore[attr-defined]


def _outside(child: object, parent: object) -> bool:
    geometry = child.geometry()  # type: ignore[attr-defined]
    return bool(geometry.left() < 0 or geometry.right() > parent.width())  # type: ignore[attr-defined]


def test_at_800_by_600_the_transcript_reflows_and_nothing_is_clipped(
        qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["A fairly long answer with words. " * 30]))
    window.resize(800, 600)
    qtbot.wait(20)
    assert not window.panel.isVisible()  # the drawer closed to make room
    type_and_send(qtbot, window, "x" * 400)  # a pasted line without spaces
    wait_ready(qtbot, window)
    qtbot.wait(50)
    viewport = window.chat.viewport()
    for view in window.chat.messages:
        right = view.mapTo(viewport, view.rect().topRight()).x()
        assert right <= viewport.width(), (view.role, right, viewport.width())
        for button in (view.copy_button, view.edit_button, view.regenerate_button,
                       view.previous_button, view.next_button):
            if button.isVisible():
                assert not _outside(button, view), (view.role, button.toolTip())
        body = view.body
        assert body.document().size().width() <= body.width() + 1  # wrapped, not cut
    window.panel_action.setChecked(True)  # the drawer opens again on demand
    assert window.panel.isVisible()
    qtbot.wait(50)
    for view in window.chat.messages:
        right = view.mapTo(viewport, view.rect().topRight()).x()
        assert right <= window.chat.viewport().width(), (view.role, right)
        for button in (view.copy_button, view.edit_button, view.regenerate_button):
            if button.isVisible():
                assert not _outside(button, view), (view.role, button.toolTip())
    window.panel_action.setChecked(False)
    window.sidebar_action.setChecked(False)
    assert not window.sidebar.isVisible()


def test_the_chosen_version_comes_back_after_an_edit_above_it(qtbot: QtBot,
                                                              make_window: MakeWindow):
    window = make_window(FakeEngine(words=["answer"]))
    type_and_send(qtbot, window, "Q1")
    wait_ready(qtbot, window)
    for _ in range(2):  # three versions of the answer
        window.chat.messages[1].regenerate_button.click()
        wait_ready(qtbot, window)
    window.chat.messages[1].previous_button.click()  # the user chooses 2 / 3
    assert window.chat.messages[1].position_label.text() == "2 / 3"
    type_and_send(qtbot, window, "Q2")
    wait_ready(qtbot, window)
    window.chat.messages[0].edit_button.click()  # edit the first question: a new branch
    window.composer.setPlainText("Q1, asked better")
    window.send()
    wait_ready(qtbot, window)
    assert [v.text for v in window.chat.messages] == ["Q1, asked better", "answer"]
    window.chat.messages[0].previous_button.click()  # back to the first question
    shown = [(v.text, v.position_label.text()) for v in window.chat.messages]
    assert shown == [("Q1", "1 / 2"), ("answer", "2 / 3"), ("Q2", "1 / 1"), ("answer", "1 / 1")]


def test_the_meter_and_the_status_bar_agree_and_count_the_answer(qtbot: QtBot,
                                                                  make_window: MakeWindow):
    """The fake engine counts words + 4 per message: the figures are exact."""
    import re

    window = make_window(FakeEngine(words=["one ", "two ", "three ", "four"]))
    type_and_send(qtbot, window, "count these words")
    wait_ready(qtbot, window)
    # question (3 words + 4) and answer (4 words + 4)
    qtbot.waitUntil(lambda: "15 of" in window.meter.text(), timeout=5000)
    status = re.search(r"context ([\d,]+) /", window.context_label.text())
    assert status and status.group(1) == "15", window.context_label.text()


def test_a_failed_download_reads_as_an_error_and_the_window_stays_on_screen(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], tmp_path: Path):
    from PySide6.QtGui import QPalette

    from app.ui.palette import contrast
    from app.ui.worker import DownloadRequest

    desktop = make_desktop(FakeEngine())
    window = desktop.new_window()
    area = window.screen().availableGeometry()
    window.resize(700, 500)
    window.move(area.right() - 150, area.bottom() - 100)  # mostly off to the bottom right
    desktop.show_downloads()
    shown = desktop.downloads_window.frameGeometry()
    assert area.contains(shown), (area, shown)
    request = DownloadRequest(1, "Llama 3.2 1B Instruct Q4_K_M", "owner/repo",
                              ("model.gguf",), str(tmp_path))
    row = desktop.downloads_window.add(request)
    desktop.downloads.failed.emit(1, "LlamaDesk cannot reach the Hub at https://huggingface.co "
                                     "(offline?): Name or service not known.")
    assert not row.bar.isVisible()  # no empty progress box beside the message
    assert row.pause_button.text() == "Retry"
    colour = row.status.palette().color(QPalette.ColorRole.WindowText)
    background = desktop.downloads_window.palette().color(QPalette.ColorRole.Window)
    assert colour.red() > colour.green() and contrast(colour, background) >= 4.5
    desktop.downloads_window.close()


def test_an_empty_chat_says_what_to_do(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["Sure."]))
    empty = window.chat.empty
    assert empty.isVisible()
    assert "Fake model" in empty.model.text() and "Ctrl+N" in empty.shortcuts.text()
    empty.buttons[1].click()  # a starter prompt: in the box, to finish
    assert window.composer.toPlainText() == "Write a short, friendly email that says "
    assert window.composer.hasFocus() or window.composer.textCursor().atEnd()
    qtbot.keyClicks(window.composer, "the meeting moved")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_ready(qtbot, window)
    assert not empty.isVisible()
    window.new_chat()
    assert empty.isVisible()


def test_keyboard_shortcuts_work_and_are_listed(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QTableWidget

    window = make_window(FakeEngine(words=["the ", "answer"]))
    type_and_send(qtbot, window, "question")
    wait_ready(qtbot, window)
    window.sidebar.search.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.composer.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "the answer"
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_ready(qtbot, window)
    assert window.chat.messages[-1].position_label.text() == "2 / 2"
    listed = {what: keys for keys, what in window.shortcuts()}
    dialog = window.show_shortcuts()
    table = dialog.findChild(QTableWidget)
    assert table is not None and table.rowCount() == len(window.shortcuts())
    dialog.close()
    for what, keys in (("Regenerate the last answer", "Ctrl+R"),
                       ("Copy the last answer", "Ctrl+Shift+C"),
                       ("Go to the message box", "Ctrl+L"), ("Keyboard shortcuts", "F1"),
                       ("New chat", "Ctrl+N"), ("Search the chats", "Ctrl+K or Ctrl+F"),
                       ("Chat settings panel", "Ctrl+Shift+P"), ("Stop the answer", "Esc")):
        assert listed.get(what) == keys, (what, listed)


def test_every_control_has_an_accessible_name(qtbot: QtBot,
                                              make_desktop: Callable[..., DesktopApp]):
    """A screen reader can name every control: the main window (with a chat, so the
    message buttons exist), the download manager and the server panel."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QSlider,
        QTextEdit,
        QWidget,
    )

    desktop = make_desktop(FakeEngine(words=["an answer"]))
    window = desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "a question")
    wait_ready(qtbot, window)
    controls = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox,
                QAbstractSpinBox, QSlider, QListWidget)
    unnamed = []
    for top in (window, desktop.downloads_window):
        for widget in top.findChildren(QWidget):
            if not isinstance(widget, controls) or widget.objectName().startswith("qt_") or \
                    isinstance(widget.parent(), QLineEdit):  # Qt's own clear button
                continue
            name = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else "")
            if not any(character.isalpha() for character in name):
                unnamed.append((type(widget).__name__, widget.toolTip(), widget.objectName(),
                                type(widget.parent()).__name__))
    assert unnamed == []


def test_light_and_dark_themes_from_the_view_menu(qtbot: QtBot, make_window: MakeWindow,
                                                  data_home: Path):
    import json

    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from app.ui.palette import AA_CONTRAST, contrast, luminance

    window = make_window(FakeEngine())
    light = QApplication.palette().color(QPalette.ColorRole.Window)
    assert luminance(light) > 0.5 and window.theme_actions["system"].isChecked()
    window.theme_actions["dark"].trigger()
    palette = QApplication.palette()
    background = palette.color(QPalette.ColorRole.Window)
    assert luminance(background) < 0.1
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.PlaceholderText):
        against = palette.color(QPalette.ColorRole.Base if role in (
            QPalette.ColorRole.Text, QPalette.ColorRole.PlaceholderText) else
            QPalette.ColorRole.Button if role == QPalette.ColorRole.ButtonText else
            QPalette.ColorRole.Window)
        assert contrast(palette.color(role), against) >= AA_CONTRAST, role
    assert json.loads((data_home / "config" / "settings.json").read_text())["theme"] == "dark"
    assert window.theme_actions["dark"].isChecked()
    window.theme_actions["light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window) == light


def test_preferences_edit_the_apps_settings_from_the_schema(qtbot: QtBot,
                                                            make_window: MakeWindow,
                                                            data_home: Path):
    import json

    window = make_window(FakeEngine())
    dialog = window.show_preferences()
    assert set(dialog.editors) >= {"theme", "threads", "hub_endpoint", "temperature",
                                   "context_size", "system_prompt", "prompt_lookup"}
    dialog.editors["threads"].set_setting_value(2)
    dialog.editors["prompt_lookup"].set_setting_value(True)
    dialog.editors["temperature"].set_setting_value(0.2)
    dialog.editors["system_prompt"].set_setting_value("Answer in French.")
    dialog.accept()
    saved = json.loads((data_home / "config" / "settings.json").read_text())
    assert saved["threads"] == 2 and saved["temperature"] == 0.2
    assert saved["system_prompt"] == "Answer in French."
    assert window.app_settings.settings.load.threads == 2
    assert saved["prompt_lookup"] is True
    assert window.app_settings.settings.generation_params().prompt_lookup is True
    window.new_chat()  # a new chat starts from them
    prompt, values = window.panel.values()
    assert prompt == "Answer in French." and values["temperature"] == 0.2
    again = window.show_preferences()
    again.editors["hub_endpoint"].set_setting_value("ftp://nope")  # refused, and said
    again.accept()
    assert again.isVisible() and "hub_endpoint" not in json.loads(
        (data_home / "config" / "settings.json").read_text())
    again.restore_defaults()
    assert again.values()["threads"] == 0
    again.reject()


def test_preferences_set_the_font_size_and_open_the_token_dialog(qtbot: QtBot,
                                                                 make_window: MakeWindow):
    from app.ui.hub_token_dialog import HubTokenDialog

    window = make_window(FakeEngine())
    system = QApplication.font().pointSize()
    dialog = window.show_preferences()
    dialog.editors["font_size"].set_setting_value(system + 5)
    dialog.accept()
    assert QApplication.font().pointSize() == system + 5
    qtbot.wait(10)  # Qt hands the new font to the widgets in posted events
    assert window.composer.font().pointSize() == system + 5  # the window follows
    again = window.show_preferences()
    token = again.edit_hub_token()
    assert isinstance(token, HubTokenDialog) and token.isVisible()
    token.reject()
    again.editors["font_size"].set_setting_value(0)  # 0: the system's size again
    again.accept()
    assert QApplication.font().pointSize() == system


def test_continue_goes_on_writing_a_stopped_answer_in_place(qtbot: QtBot,
                                                            make_window: MakeWindow):
    engine = FakeEngine(words=["one ", "two ", "three ", "four ", "five "], delay=0.05)
    window = make_window(engine)
    type_and_send(qtbot, window, "count")
    qtbot.waitUntil(lambda: window.chat.messages[-1].text.startswith("one two"), timeout=5000)
    window.stop()
    wait_ready(qtbot, window)
    answer = window.chat.messages[-1]
    stopped = answer.text
    assert answer.continue_button.isVisible() and not window.chat.messages[0].continue_button\
        .isVisible()
    answer.continue_button.click()
    wait_ready(qtbot, window)
    assert engine.prefixes[-1] == stopped  # the model went on from what was written
    assert [m.role for m in engine.requests[-1]] == ["user"]  # the chat up to the answer
    (_question, stored) = window.store.branch(window.conversation_id or 0).messages
    assert stored.content == stopped + "one two three four five " and stored.status == \
        "complete"
    assert window.chat.messages[-1].text == stored.content  # one answer, longer
    assert len(window.chat.messages) == 2


@pytest.mark.real_model
def test_continue_on_the_real_model_goes_on_from_the_prefix(builtin_path: Path):
    """Greedy decoding: going on from the first half of an answer writes what the model
    would have written next (the same words, give or take the token boundary)."""
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions

    engine = Engine()
    try:
        engine.load(builtin_path, LoadOptions(context_size=1024, threads=1))
        chat = [ChatMessage("user", "List the days of the week, one per line.")]
        params = GenerationParams(max_tokens=40, temperature=0.0, seed=1)
        whole = engine.chat(chat, params).text
        cut = whole.rfind(" ", 0, len(whole) // 2)  # the next word starts with its space
        assert 0 < cut < len(whole), whole
        rest = engine.chat(chat, GenerationParams(max_tokens=20, temperature=0.0, seed=1),
                           prefix=whole[:cut]).text
        assert rest.strip()
        expected = whole[cut:].split()
        assert rest.split()[:2] == expected[:2], (whole, rest)
    finally:
        engine.close()


def test_a_long_prompt_shows_reading_progress(qtbot: QtBot, make_window: MakeWindow):
    engine = FakeEngine(words=["done"], delay=0.2)
    engine.prompt_steps = [0.25, 0.5, 1.0]
    window = make_window(engine)
    notes: list[str] = []
    window.session.answer_noted.connect(lambda _id, note: notes.append(note))
    type_and_send(qtbot, window, "a long chat")
    wait_ready(qtbot, window)
    assert notes[:4] == ["Writing…", "Reading the chat: 25%", "Reading the chat: 50%",
                         "Writing…"], notes


@pytest.mark.real_model
def test_the_real_engine_reports_reading_a_long_prompt(builtin_path: Path):
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions

    engine = Engine()
    try:
        engine.load(builtin_path, LoadOptions(context_size=2048, threads=1))
        seen: list[float] = []
        chat = [ChatMessage("user", "word " * 1100 + "Say ok.")]
        engine.chat(chat, GenerationParams(max_tokens=2), on_prompt=seen.append)
        assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == 1.0
        seen.clear()
        engine.chat(chat, GenerationParams(max_tokens=2), on_prompt=seen.append)
        assert seen == []  # read from the cache: nothing to report
    finally:
        engine.close()


def test_the_toolbar_picks_an_installed_model(qtbot: QtBot, make_window: MakeWindow,
                                              builtin_path: Path):
    engine = FakeEngine()
    window = make_window(engine)
    models_dir = window.models_dir
    assert models_dir is not None
    models_dir.mkdir(parents=True, exist_ok=True)
    (models_dir / "Other-Llama.Q4_K_M.gguf").write_bytes(b"GGUF")
    picker = window.model_picker
    picker.fill(window.loaded_path or None)
    names = [picker.itemText(i) for i in range(picker.count())]
    assert builtin_path.stem in names and "Other-Llama.Q4_K_M" in names
    assert picker.currentData() == window.loaded_path or window.loaded_path == ""
    index = names.index("Other-Llama.Q4_K_M")
    picker.activated.emit(index)  # what choosing it in the list does
    qtbot.waitUntil(lambda: "Other-Llama" in (window.loaded_path or ""), timeout=5000)
    assert window.toolbar.isVisible() and picker.isVisible()
    assert window.panel_action in window.toolbar.actions()


def test_a_reading_column_and_the_users_words_told_apart(qtbot: QtBot,
                                                         make_window: MakeWindow):
    from PySide6.QtGui import QPalette

    from app.ui.chat_view import READING_WIDTH

    window = make_window(FakeEngine(words=["An answer."]))
    window.resize(1800, 900)
    type_and_send(qtbot, window, "A question.")
    wait_ready(qtbot, window)
    qtbot.wait(50)
    viewport = window.chat.viewport()
    for view in window.chat.messages:
        assert view.width() <= READING_WIDTH
        left = view.mapTo(viewport, view.rect().topLeft()).x()
        right_gap = viewport.width() - (left + view.width())
        assert abs(left - right_gap) <= 2  # centred
    question, answer = window.chat.messages
    role = QPalette.ColorRole.Window
    assert question.autoFillBackground() and not answer.autoFillBackground()
    assert question.palette().color(role) != window.chat.palette().color(role)


def test_colours_of_its_own_follow_a_theme_change(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QPalette

    from app.ui.palette import AA_CONTRAST, contrast

    window = make_window(FakeEngine(words=["An answer."]))
    type_and_send(qtbot, window, "A question.")
    wait_ready(qtbot, window)
    question = window.chat.messages[0]
    note = window.chat.messages[1].note
    window.theme_actions["dark"].trigger()
    qtbot.wait(20)
    window_colour = window.palette().color(QPalette.ColorRole.Window)
    tint = question.palette().color(QPalette.ColorRole.Window)
    text = question.body.palette().color(QPalette.ColorRole.Text)
    assert tint.lightness() < 80  # a dark tint, not the light one it was made with
    assert contrast(text, tint) >= AA_CONTRAST
    quiet = note.palette().color(QPalette.ColorRole.WindowText)
    assert contrast(quiet, window_colour) >= AA_CONTRAST
    window.theme_actions["light"].trigger()
    qtbot.wait(20)
    assert question.palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_code_blocks_stay_readable_after_a_theme_change(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QPalette

    from app.ui.palette import AA_CONTRAST, contrast

    window = make_window(FakeEngine(words=["Code:\n\n```python\nprint('hi')\n```\n"]))
    type_and_send(qtbot, window, "code please")
    wait_ready(qtbot, window)
    window.theme_actions["dark"].trigger()
    qtbot.wait(20)
    body = window.chat.messages[-1].body
    block = body.document().begin()
    while block.isValid() and not block.blockFormat().nonBreakableLines():
        block = block.next()
    assert block.isValid()
    shade = block.blockFormat().background().color()
    text = body.palette().color(QPalette.ColorRole.Text)
    assert contrast(text, shade) >= AA_CONTRAST, (text.name(), shade.name())
    window.theme_actions["light"].trigger()


def test_tab_moves_focus_and_never_types_a_tab(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine())
    window.activateWindow()
    window.composer.setFocus()
    visited = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert window.send_button in visited and window.panel.system_prompt in visited
    assert "\t" not in window.panel.system_prompt.toPlainText()
    assert "\t" not in window.composer.toPlainText()
    assert len({id(w) for w in visited}) >= 6  # it goes on through the form


def test_the_icons_are_drawn_and_read_on_light_and_dark(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QColor

    from app.ui.icons import ICON_COLOUR, SHAPES, icon
    from app.ui.palette import contrast

    for name in SHAPES:
        pixmap = icon(name).pixmap(24, 24)
        image = pixmap.toImage()
        drawn = sum(1 for x in range(24) for y in range(24) if image.pixelColor(x, y).alpha())
        assert drawn > 20, name  # something was drawn
    for background in ("#ffffff", "#efefef", "#202124", "#17181a"):
        assert contrast(QColor(ICON_COLOUR), QColor(background)) >= 3.0  # WCAG, graphics
    window = make_window(FakeEngine(delay=0.05))
    assert not window.send_button.icon().isNull()
    assert all(not a.icon().isNull() for a in (window.sidebar_action, window.panel_action))
    type_and_send(qtbot, window, "hello")
    wait_ready(qtbot, window)
    assert not window.chat.messages[-1].regenerate_button.icon().isNull()


def test_the_chat_lists_group_headers_are_readable(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QPalette

    from app.ui.palette import AA_CONTRAST, contrast
    from app.ui.sidebar import ID_ROLE

    window = make_window(FakeEngine())
    type_and_send(qtbot, window, "hello")
    wait_ready(qtbot, window)
    for theme in ("light", "dark"):
        window.theme_actions[theme].trigger()
        qtbot.wait(20)
        (header,) = [i for i in window.sidebar.items() if i.data(ID_ROLE) is None]
        background = window.sidebar.list.palette().color(QPalette.ColorRole.Base)
        assert contrast(header.foreground().color(), background) >= AA_CONTRAST, theme
    window.theme_actions["system"].trigger()


def _pdf_with(path: Path, text: str) -> Path:
    from PySide6.QtGui import QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    document = QTextDocument()
    document.setPlainText(text)
    document.print_(writer)
    del writer
    return path


def test_attached_files_go_with_the_message_and_are_kept(qtbot: QtBot, make_window: MakeWindow,
                                                         tmp_path: Path):
    import re

    from app.backend.exporters import export_text
    from app.backend.transcripts import load_transcript

    window = make_window(FakeEngine(words=["Read it."]))
    code = tmp_path / "count.py"
    code.write_text("def count(xs):\n    return len(xs)\n```not a fence end\n")
    pdf = _pdf_with(tmp_path / "notes.pdf", "The llama is a domesticated camelid.")
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    window.ask_attachment_paths = lambda: [code, pdf, binary]  # type: ignore[method-assign]
    qtbot.keyClicks(window.composer, "What do these say?")
    qtbot.waitUntil(lambda: "of 4,096" in window.meter.text(), timeout=5000)
    before = int(re.sub(r"\D", "", window.meter.text().split(" of ")[0]))
    window.attach_button.click()
    assert [a.name for a in window.attachments.attachments] == ["count.py", "notes.pdf"]
    assert "not a text file" in window.errors.label.text()  # the PNG, refused with a reason
    assert [c.text().split()[0] for c in window.attachments.chips] == ["count.py", "notes.pdf"]
    qtbot.waitUntil(lambda: int(re.sub(r"\D", "", window.meter.text().split(" of ")[0]))
                    > before + 10, timeout=5000)  # the meter counts them before sending
    window.send()
    wait_ready(qtbot, window)
    question = window.store.branch(window.conversation_id or 0).messages[0].content
    assert question.startswith("What do these say?")
    assert "Attached file: count.py\n````\ndef count(xs):" in question  # a longer fence
    assert "Attached file: notes.pdf" in question and "domesticated camelid" in question
    assert not window.attachments.isVisible() and not window.attachments.attachments
    exported = export_text([load_transcript(window.store, window.conversation_id or 0)], "md")
    assert "domesticated camelid" in exported
    window.attachments.add_files([code])  # a chip takes itself off when clicked
    window.attachments.chips[0].click()
    assert window.attachments.attachments == []


def test_attachments_refuse_what_they_cannot_read(tmp_path: Path):
    import pytest as _pytest

    from app.backend.attachments import (
        MAX_TEXT_BYTES,
        AttachmentError,
        read_attachment,
    )

    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"x" * (MAX_TEXT_BYTES + 1))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    from pypdf import PdfWriter

    empty = tmp_path / "scanned.pdf"  # pages with no text on them
    blank = PdfWriter()
    blank.add_blank_page(200, 200)
    blank.write(empty)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    for path, words in ((huge, "up to 2 MB"), (broken, "could not be read as a PDF"),
                        (empty, "no text to read"), (tmp_path / "gone.txt", "cannot be read"),
                        (tmp_path, "not a file")):
        with _pytest.raises(AttachmentError, match=words):
            read_attachment(path)
    assert read_attachment(latin).text == "café"  # not UTF-8: read byte for byte


def test_each_code_block_has_its_own_copy_link(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QGuiApplication

    answer = ("Two blocks:\n\n```python\nprint('one')\n```\n\nand\n\n```sh\necho two\n```\n")
    window = make_window(FakeEngine(words=[answer]))
    type_and_send(qtbot, window, "code please")
    wait_ready(qtbot, window)
    body = window.chat.messages[-1].body
    shown = body.document().toPlainText()
    assert "Copy python code\nprint('one')" in shown and "Copy sh code\necho two" in shown
    body.anchorClicked.emit(QUrl("llamadesk-copy:1"))
    assert QGuiApplication.clipboard().text() == "echo two"
    body.anchorClicked.emit(QUrl("llamadesk-copy:0"))
    assert QGuiApplication.clipboard().text() == "print('one')"
    assert window.chat.messages[-1].text == answer  # the stored text is untouched


def test_links_follow_a_theme_change(qtbot: QtBot, make_window: MakeWindow):
    from PySide6.QtGui import QPalette

    from app.ui.palette import contrast

    window = make_window(FakeEngine(words=["See [the docs](https://example.org).\n\n"
                                           "```python\nx = 1\n```\n"]))
    type_and_send(qtbot, window, "links")
    wait_ready(qtbot, window)
    window.theme_actions["dark"].trigger()
    qtbot.wait(20)
    body = window.chat.messages[-1].body
    background = body.palette().color(QPalette.ColorRole.Base)
    block = body.document().begin()
    colours = []
    while block.isValid():
        fragment_iterator = block.begin()
        while not fragment_iterator.atEnd():
            fragment = fragment_iterator.fragment()
            if fragment.charFormat().isAnchor():
                colours.append(fragment.charFormat().foreground().color())
            fragment_iterator += 1
        block = block.next()
    assert len(colours) >= 2  # the link and the copy link
    assert all(contrast(c, background) >= 4.5 for c in colours), [c.name() for c in colours]
    window.theme_actions["light"].trigger()
