"""The window's parts, each without a window: the answer session, the branch view,
the Models menu and the export/import actions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.backend.engine import GenerationParams
from app.backend.models import ModelChoice
from app.backend.settings import Settings
from app.backend.store import Store
from app.ui.answer_session import AnswerSession, State
from app.ui.app_settings import AppSettings
from app.ui.chat_view import ChatView
from app.ui.conversation_view import ConversationView
from app.ui.messages import MessageFunnel
from app.ui.model_controller import ModelController
from app.ui.models_menu import ModelsMenu
from app.ui.transfer import TransferActions
from app.ui.worker import EngineHost
from tests.fakes import FakeEngine
from tests.gui_helpers import RecordingTarget as Target


def state_of(session: AnswerSession) -> State:
    return session.state



@pytest.fixture
def parts(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[EngineHost, Store, MessageFunnel,
                                                         Target]]:
    host = EngineHost(FakeEngine(words=["one ", "two ", "three"]))
    store = Store.open(tmp_path / "history.sqlite")
    funnel = MessageFunnel()
    target = Target()
    funnel.attach(target)
    yield host, store, funnel, target
    host.close()
    store.close()


def test_the_answer_session_writes_saves_and_ends_an_answer_alone(qtbot: QtBot, parts):
    host, store, funnel, target = parts
    session = AnswerSession(host, store, funnel.bound(target))
    chat = store.create_conversation("Be brief.")
    question = store.add_message(chat.id, None, "user", "count")
    written: list[str] = []
    session.answer_written.connect(lambda _id, text: written.append(text))
    with qtbot.wait_signal(session.answer_ended, timeout=5000) as ended:
        assert session.ask(chat.id, question.id, "Fake", "Be brief.",
                           GenerationParams(max_tokens=5), context_size=None)
        assert session.state is State.GENERATING
        assert not session.ask(chat.id, question.id, "Fake", "", GenerationParams())
    answer_id, stored, result = ended.args
    assert stored.content == "one two three" == written[-1] and stored.status == "complete"
    assert result.completion_tokens == 3 and state_of(session) is State.READY
    assert store.branch(chat.id).messages[-1].id == answer_id
    assert target.shown == []


def test_the_branch_view_shows_pages_and_steps_versions_alone(qtbot: QtBot, parts):
    _host, store, funnel, target = parts
    chat_view = ChatView()
    qtbot.addWidget(chat_view)
    view = ConversationView(chat_view, store, funnel.bound(target))
    chat = store.create_conversation()
    parent = None
    for index in range(120):
        parent = store.add_message(chat.id, parent, "user" if index % 2 == 0 else
                                   "assistant", f"message {index}").id
    other = store.add_message(chat.id, parent - 1 if parent else None, "assistant", "again")
    assert view.show(chat.id)
    assert len(chat_view.messages) == ChatView.PAGE
    assert chat_view.messages[-1].text == "again"
    view.show_earlier()
    assert len(chat_view.messages) == 2 * ChatView.PAGE
    assert view.step(other.id, -1)
    assert chat_view.messages[-1].text == "message 119"
    assert not view.step(chat_view.messages[-1].message_id or 0, -1)  # the first already
    assert chat_view.messages[-1].position_label.text() == "1 / 2"


def test_the_models_menu_adds_a_file_or_says_why_not_alone(qtbot: QtBot, parts, tmp_path: Path,
                                                           builtin_path: Path):
    host, _store, funnel, target = parts
    app_settings = AppSettings(Settings(), funnel)
    models = ModelController(host, app_settings, funnel, None)
    menu = ModelsMenu(models, app_settings, funnel.bound(target), tmp_path / "models")
    chosen: list[ModelChoice] = []
    menu.model_chosen.connect(chosen.append)
    bad = tmp_path / "page.gguf"
    bad.write_text("<html>not a model</html>")
    menu.ask_model_file = lambda: bad  # type: ignore[method-assign]
    menu.add_model_file()
    assert chosen == [] and "not a GGUF model file" in target.shown[-1].text
    menu.ask_model_file = lambda: builtin_path  # type: ignore[method-assign]
    menu.add_model_file()
    assert chosen and chosen[0].path == tmp_path / "models" / builtin_path.name
    families = [a.text() for a in menu.actions() if a.menu()]
    assert "Llama 3.2" in families and "GPU offload for this model" in families


def test_export_and_import_actions_alone(qtbot: QtBot, parts, tmp_path: Path):
    _host, store, funnel, target = parts
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = TransferActions(store, funnel.bound(target), parent)
    actions.export([])
    assert target.shown[-1].text == "There is no conversation to export yet."
    chat = store.create_conversation(title="Trip")
    store.add_message(chat.id, None, "user", "Plan it")
    actions.ask_export_path = lambda _s: (tmp_path / "trip.llamadesk", "json")  # type: ignore
    actions.export_all()
    assert (tmp_path / "trip.llamadesk").exists()
    imported: list[list[int]] = []
    actions.imported.connect(imported.append)
    actions.ask_import_path = lambda: tmp_path / "trip.llamadesk"  # type: ignore
    actions.import_file()
    assert len(imported) == 1 and store.conversation(imported[0][0]).title == "Trip"


def test_an_answer_that_cannot_start_is_marked_and_reported(qtbot: QtBot, parts,
                                                            monkeypatch: pytest.MonkeyPatch):
    import sqlite3

    host, store, funnel, target = parts
    session = AnswerSession(host, store, funnel.bound(target))
    chat = store.create_conversation()
    question = store.add_message(chat.id, None, "user", "hi")

    def unreadable(_conversation_id: int) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(store, "branch", unreadable)
    assert not session.ask(chat.id, question.id, "Fake", "", GenerationParams())
    assert state_of(session) is State.READY
    assert "Could not start the answer" in target.shown[-1].text
    answer = store.messages(chat.id)[-1]
    assert answer.status == "error" and answer.error == "The conversation could not be read."
