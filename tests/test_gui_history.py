"""History in the window: conversations, branches, search, settings, several windows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.backend.engine import ChatMessage, ContextFit
from app.backend.models import builtin_model
from app.backend.settings import Settings
from app.ui.app import DesktopApp
from app.ui.main_window import State
from app.ui.sidebar import ID_ROLE
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, stored, type_and_send, wait_ready


def current(window) -> int:
    assert window.conversation_id is not None
    return int(window.conversation_id)


def sidebar_titles(window) -> list[str]:
    return [i.text() for i in window.sidebar.items() if i.data(ID_ROLE) is not None]


def test_new_chat_rename_pin_delete_and_undo(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["ok"]))
    type_and_send(qtbot, window, "Plan a trip to Lisbon")
    wait_ready(qtbot, window)
    first = current(window)
    assert sidebar_titles(window) == ["Plan a trip to Lisbon"]  # titled from the message

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.conversation_id is None and window.chat.messages == []
    type_and_send(qtbot, window, "Bake bread")
    wait_ready(qtbot, window)
    assert sidebar_titles(window) == ["Bake bread", "Plan a trip to Lisbon"]  # newest first

    item = window.sidebar.item_for(first)
    assert item is not None
    item.setText("Lisbon in May")  # what the inline editor does on Enter
    assert window.store.conversation(first).title == "Lisbon in May"

    window.sidebar._pin(first, True)
    headers = [i.text() for i in window.sidebar.items() if i.data(ID_ROLE) is None]
    assert headers[0] == "Pinned" and sidebar_titles(window)[0] == "Lisbon in May"

    window.delete_conversation(first)
    assert sidebar_titles(window) == ["Bake bread"]
    assert window.info.isVisible() and window.info.action.text() == "Undo"
    qtbot.mouseClick(window.info.action, Qt.MouseButton.LeftButton)
    assert sidebar_titles(window) == ["Lisbon in May", "Bake bread"]


def test_search_as_you_type_highlights_and_opens_the_message(qtbot: QtBot,
                                                             make_window: MakeWindow):
    window = make_window(FakeEngine(words=["The lighthouse keeper waved."]))
    type_and_send(qtbot, window, "Tell me about the sea")
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "Now about bread")
    wait_ready(qtbot, window)
    target = window.store.branch(current(window)).messages[1].id
    window.new_chat()

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.search.hasFocus()
    qtbot.keyClicks(window.sidebar.search, "lighth")
    qtbot.waitUntil(lambda: window.sidebar.list.itemWidget(window.sidebar.items()[0]) is not None)
    results = window.sidebar.items()
    assert len(results) == 2  # both answers say it
    label = window.sidebar.list.itemWidget(results[0])
    assert isinstance(label, QLabel) and "<b>lighthouse</b>" in label.text()
    window.sidebar.list.itemClicked.emit(results[0])
    assert window.conversation_id is not None
    view = window.chat.view_for(target)
    assert view is not None and "lighthouse" in view.text


def test_edit_makes_a_branch_and_versions_can_be_stepped(qtbot: QtBot,
                                                         make_window: MakeWindow):
    engine = FakeEngine(words=["answer"])
    window = make_window(engine)
    type_and_send(qtbot, window, "first question")
    wait_ready(qtbot, window)
    question = window.chat.messages[0]
    question.edit_button.click()
    assert window.composer.toPlainText() == "first question"
    window.composer.setPlainText("better question")
    window.send()
    wait_ready(qtbot, window)
    assert [c for _r, _s, c in stored(window)] == ["better question", "answer"]
    edited = window.chat.messages[0]
    assert edited.position_label.text() == "2 / 2" and edited.previous_button.isEnabled()
    assert engine.requests[-1][-1].content == "better question"

    edited.previous_button.click()
    assert [c for _r, _s, c in stored(window)] == ["first question", "answer"]
    assert window.chat.messages[0].position_label.text() == "1 / 2"
    # The branch shown is remembered.
    conversation = current(window)
    window.new_chat()
    window.open_conversation(conversation)
    assert window.chat.messages[0].text == "first question"
    assert len(window.store.messages(conversation)) == 4  # nothing overwritten


def test_regenerate_keeps_the_old_answer_as_a_version(qtbot: QtBot, make_window: MakeWindow):
    engine = FakeEngine(words=["one"])
    window = make_window(engine)
    type_and_send(qtbot, window, "q")
    wait_ready(qtbot, window)
    engine.words = ["two"]
    window.chat.messages[1].regenerate_button.click()
    wait_ready(qtbot, window)
    answer = window.chat.messages[1]
    assert answer.text == "two" and answer.position_label.text() == "2 / 2"
    answer.previous_button.click()
    assert window.chat.messages[1].text == "one"


def test_each_conversation_keeps_its_own_system_prompt_and_settings(
        qtbot: QtBot, make_window: MakeWindow):
    engine = FakeEngine(words=["ok"])
    window = make_window(engine)
    window.panel.system_prompt.setPlainText("You are a pirate.")
    window.panel.fields["temperature"].setValue(0.2)
    type_and_send(qtbot, window, "hello")
    wait_ready(qtbot, window)
    pirate = current(window)
    assert engine.requests[-1][0] == ChatMessage("system", "You are a pirate.")

    window.new_chat()
    assert window.panel.system_prompt.toPlainText() == ""  # defaults for a new chat
    type_and_send(qtbot, window, "hi")
    wait_ready(qtbot, window)
    assert engine.requests[-1][0].role == "user"  # no system prompt here

    window.open_conversation(pirate)
    assert window.panel.system_prompt.toPlainText() == "You are a pirate."
    assert window.panel.fields["temperature"].value() == pytest.approx(0.2)
    window.panel.system_prompt.setPlainText("You are a poet.")  # takes effect next answer
    type_and_send(qtbot, window, "again")
    wait_ready(qtbot, window)
    assert engine.requests[-1][0] == ChatMessage("system", "You are a poet.")
    qtbot.waitUntil(lambda: window.store.conversation(pirate).system_prompt ==
                    "You are a poet.")


def test_presets_set_prompt_and_settings_and_user_presets_are_saved(
        qtbot: QtBot, make_window: MakeWindow, data_home: Path):
    window = make_window(FakeEngine())
    panel = window.panel
    concise = next(p for p in panel.presets if p.name == "Concise answers")
    panel.apply_preset(concise)
    assert panel.system_prompt.toPlainText() == concise.system_prompt
    assert panel.fields["max_tokens"].value() == 256
    panel.preset_name.setText("Haiku")
    panel.system_prompt.setPlainText("Answer in haiku.")
    panel.save_preset_button.click()
    saved = json.loads((data_home / "config" / "presets.json").read_text())
    assert saved[0]["name"] == "Haiku" and saved[0]["system_prompt"] == "Answer in haiku."
    assert panel.preset_box.findText("Haiku (yours)") > 0


def test_context_meter_counts_before_sending(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine())
    qtbot.keyClicks(window.composer, "one two three")
    qtbot.waitUntil(lambda: "With your message" in window.meter.text())
    assert "of 4,096 tokens" in window.meter.text()


def test_messages_outside_the_context_are_marked(qtbot: QtBot, make_window: MakeWindow):
    class TrimmingEngine(FakeEngine):
        def fit_context(self, messages, max_tokens, keep_from=0):
            turns = len(messages) - 1
            return ContextFit(max(0, turns - 1), 10, 4096, 100)

    window = make_window(TrimmingEngine(words=["a"]))
    window.panel.system_prompt.setPlainText("Keep me.")
    for text in ("one", "two"):
        type_and_send(qtbot, window, text)
        wait_ready(qtbot, window)
    views = window.chat.messages
    assert [v.title.text().endswith("(outside the context)") for v in views] == [
        True, True, False, False]
    assert "system prompt is always kept" in window.info.label.text()


def test_copy_message_and_code_block(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["Try:\n\n```python\nprint(1)\n```\n"]))
    type_and_send(qtbot, window, "code please")
    wait_ready(qtbot, window)
    answer = window.chat.messages[1]
    answer.copy_button.click()
    assert QGuiApplication.clipboard().text().startswith("Try:")
    actions = answer.code_button.menu().actions()
    assert [a.text() for a in actions] == ["Code block 1 (python)"]
    actions[0].trigger()
    assert QGuiApplication.clipboard().text() == "print(1)"


def test_two_windows_share_the_model_and_the_second_waits_its_turn(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine(words=["w "] * 300, delay=0.005))
    first = desktop.new_window()
    desktop.models.start()
    qtbot.waitUntil(lambda: first.state is State.READY)
    type_and_send(qtbot, first, "long one")
    qtbot.waitUntil(lambda: bool(first.chat.messages[-1].text))
    second = desktop.new_window()
    assert second.state is State.READY  # the loaded model is shared
    type_and_send(qtbot, second, "me too")
    assert "Waiting for another answer" in second.chat.messages[-1].note.text()
    wait_ready(qtbot, second, timeout=20_000)
    wait_ready(qtbot, first)
    assert stored(second)[-1] == ("assistant", "complete", "w " * 300)
    assert sidebar_titles(first) == ["me too", "long one"]  # both windows' lists follow


def test_windows_and_conversations_come_back_after_a_restart(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine(words=["ok"]))
    window = desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "remember me")
    wait_ready(qtbot, window)
    conversation = current(window)
    other = desktop.new_window(conversation)
    other.resize(700, 500)
    desktop.shutdown()

    again = make_desktop(FakeEngine())
    again.start()
    assert len(again.windows) == 2
    assert [w.conversation_id for w in again.windows] == [conversation, conversation]
    assert again.windows[1].size().width() == 700
    assert again.windows[0].chat.messages[0].text == "remember me"


def test_a_long_conversation_opens_a_page_at_a_time(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine())
    chat = window.store.create_conversation()
    parent = None
    for index in range(450):
        parent = window.store.add_message(chat.id, parent, "user" if index % 2 == 0
                                          else "assistant", f"message {index}").id
    window.open_conversation(chat.id)
    assert len(window.chat.messages) == 50
    assert window.chat.messages[-1].text == "message 449"
    assert window.chat.earlier_button.isVisible()
    window.chat.earlier_button.click()
    assert len(window.chat.messages) == 100
    assert window.chat.messages[0].text == "message 350"


def test_a_damaged_history_is_reported_in_the_window(qtbot: QtBot, data_home: Path,
                                                     make_window: MakeWindow):
    history = data_home / "data" / "history.sqlite"
    history.parent.mkdir(parents=True)
    history.write_bytes(b"garbage" * 1000)
    window = make_window(FakeEngine())
    assert window.errors.isVisible() and "nothing in it could be read" in window.errors.label.text()
    type_and_send(qtbot, window, "still works")
    wait_ready(qtbot, window)
    assert stored(window)[0][2] == "still works"


@pytest.mark.real_model
def test_real_model_branches_and_system_prompt(qtbot: QtBot, make_window: MakeWindow):
    settings = Settings.of(threads=1, context_size=1024, max_tokens=24, temperature=0.7)
    window = make_window(None, builtin_model(), settings)
    window.panel.system_prompt.setPlainText("You are a pirate.")
    type_and_send(qtbot, window, "Who are you?")
    wait_ready(qtbot, window, 60_000)
    first_answer = stored(window)[-1]
    assert first_answer[1] == "complete" and first_answer[2]
    assert window.session.request is None
    window.chat.messages[1].regenerate_button.click()
    wait_ready(qtbot, window, 60_000)
    assert window.chat.messages[1].position_label.text() == "2 / 2"
    window.chat.messages[0].edit_button.click()
    window.composer.setPlainText("What is your ship called?")
    window.send()
    wait_ready(qtbot, window, 60_000)
    assert [r for r, _s, _c in stored(window)] == ["user", "assistant"]
    assert window.chat.messages[0].position_label.text() == "2 / 2"
    assert len(window.store.messages(current(window))) == 5


def test_a_second_instance_brings_the_first_to_the_front(qtbot: QtBot, data_home: Path):
    from PySide6.QtNetwork import QLocalServer

    from app.backend.paths import AppPaths
    from app.ui.app import already_running, single_instance_name

    name = single_instance_name(AppPaths.under(data_home))
    assert not already_running(name)
    server = QLocalServer()
    QLocalServer.removeServer(name)
    assert server.listen(name)
    knocks: list[bool] = []
    server.newConnection.connect(lambda: knocks.append(True))
    assert already_running(name)
    qtbot.waitUntil(lambda: knocks == [True])
    server.close()


def test_a_full_disk_keeps_the_typed_message_and_says_so(qtbot: QtBot,
                                                         make_window: MakeWindow):
    window = make_window(FakeEngine())
    pages = window.store._db.execute("PRAGMA page_count").fetchone()[0]
    window.store._db.execute(f"PRAGMA max_page_count = {pages + 2}")
    huge = "a long pasted text " * 20_000
    window.composer.setPlainText(huge)
    window.send()
    assert "Free some disk space" in window.errors.label.text()
    assert window.composer.toPlainText() == huge  # nothing the user typed is lost
    assert window.state is State.READY


@pytest.mark.real_model
def test_real_model_a_pasted_book_gets_a_message_not_a_crash(qtbot: QtBot,
                                                            make_window: MakeWindow):
    settings = Settings.of(threads=1, context_size=512, max_tokens=64)
    window = make_window(None, builtin_model(), settings)
    window.composer.setPlainText("Summarise: " + "it was the best of times " * 400)
    window.send()
    wait_ready(qtbot, window, 60_000)
    assert "last message needs" in window.errors.label.text()
    assert stored(window)[0][0] == "user"  # the pasted text is kept
    assert stored(window)[-1][1] == "error"
    type_and_send(qtbot, window, "Hi")  # and the chat goes on
    wait_ready(qtbot, window, 60_000)
    assert stored(window)[-1][1] == "complete"


def test_export_through_the_menu_and_import_back(qtbot: QtBot, make_window: MakeWindow,
                                                 tmp_path: Path):
    window = make_window(FakeEngine(words=["**bold** answer"]))
    type_and_send(qtbot, window, "Question <script>alert(1)</script>")
    wait_ready(qtbot, window)
    chosen: list[str] = []

    def ask(suggested: str) -> tuple[Path, str]:
        chosen.append(suggested)
        return tmp_path / "chat.html", "html"

    window.transfer.ask_export_path = ask  # type: ignore[method-assign]
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert chosen == ["Question script alert(1) script.md"]
    page = (tmp_path / "chat.html").read_text()
    assert "<strong>bold</strong> answer" in page and "<script>alert" not in page
    assert "Exported 1 conversation" in window.info.label.text()

    window.transfer.ask_export_path = lambda _s: (  # type: ignore
        tmp_path / "chat.json", "json")
    window.transfer.export([current(window)])
    window.transfer.ask_import_path = lambda: tmp_path / "chat.json"  # type: ignore
    import_action = next(a for a in window.file_menu.actions() if a.text() == "&Import…")
    import_action.trigger()
    assert sidebar_titles(window) == ["Question <script>alert(1)</script>"] * 2
    assert stored(window)[1] == ("assistant", "complete", "**bold** answer")

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "llamadesk-conversations", "version": 1, "conv')
    window.transfer.ask_import_path = lambda: broken  # type: ignore[method-assign]
    import_action.trigger()
    assert "not valid JSON" in window.errors.label.text()
    assert len(sidebar_titles(window)) == 2


def test_copy_as_markdown_from_the_sidebar(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine(words=["answer"]))
    type_and_send(qtbot, window, "question")
    wait_ready(qtbot, window)
    menu = window.sidebar.context_menu(current(window))
    next(a for a in menu.actions() if a.text() == "Copy as Markdown").trigger()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("# question") and "Fake model · " in copied and copied.endswith(
        "\n\nanswer\n")


def test_quit_and_closing_the_last_window_both_remember_the_session(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home: Path):
    desktop = make_desktop(FakeEngine(words=["ok"]))
    first = desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, first)
    type_and_send(qtbot, first, "one")
    wait_ready(qtbot, first)
    second = desktop.new_window(current(first))
    second.close()  # closed on its own: not part of the session any more
    first.close()  # the last window, by its close button
    saved = json.loads((data_home / "config" / "windows.json").read_text())
    assert [s["conversation"] for s in saved] == [current(first)]

    again = make_desktop(FakeEngine())
    a = again.new_window()
    again.new_window()
    a.open_conversation(current(first))
    again.quit()  # File > Quit, SIGTERM: every open window is remembered
    saved = json.loads((data_home / "config" / "windows.json").read_text())
    assert [s["conversation"] for s in saved] == [current(first), None]


def test_a_closed_window_leaves_the_app_and_stops_following_the_history(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine(words=["ok"]))
    staying, leaving = desktop.new_window(), desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, staying)
    refreshed: list[bool] = []
    leaving.sidebar.refresh = lambda: refreshed.append(True)  # type: ignore[method-assign]
    leaving.close()
    assert desktop.windows == [staying]
    type_and_send(qtbot, staying, "still here")
    wait_ready(qtbot, staying)
    assert refreshed == []  # the closed window no longer refreshes its list
    desktop.messages.error("for whoever is open")
    assert "for whoever is open" in staying.errors.label.text()
