"""The Local server in the window: the switch, the panel and its log, the history,
and fair turns between a window's answer and API answers (real model)."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.backend.models import builtin_model
from app.backend.settings import Settings, load_settings
from app.ui.app import DesktopApp
from app.ui.main_window import State
from app.ui.server_dialog import ServerDialog
from tests.fakes import FakeEngine
from tests.gui_helpers import stored, type_and_send, wait_ready

SERVER = Settings(server_port=0)  # any free port


def ask(address: str, model: str, headers: dict[str, str] | None = None,
        **fields: Any) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(address.split("//")[1].split(":")[0],
                                      int(address.rsplit(":", 1)[1]), timeout=60)
    conn.request("POST", "/v1/chat/completions", json.dumps(
        {"model": model, "messages": [{"role": "user", "content": "Hi"}], **fields}),
        {"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    return response.status, body


def switch_on(qtbot: QtBot, desktop: DesktopApp) -> str:
    window = desktop.new_window()
    desktop.models.start()
    qtbot.waitUntil(lambda: window.state is State.READY, timeout=60_000)
    [switch] = [a for a in window.menuBar().findChildren(type(window.file_menu.actions()[0]))
                if a.objectName() == "local-server-switch"]
    switch.trigger()
    assert desktop.server.running, desktop.server.error
    return desktop.server.server.address


def test_the_menu_switch_serves_the_windows_model_and_is_remembered(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home: Path):
    fake = FakeEngine()
    desktop = make_desktop(fake, settings=SERVER)
    address = switch_on(qtbot, desktop)
    window = desktop.windows[0]
    note = window.statusBar().findChild(QLabel, "server-status")
    assert note is not None and note.text() == f"API: {address}/v1"
    assert load_settings(desktop.paths.settings_file).server_enabled is True
    status, body = ask(address, "fake", max_tokens=4)
    assert status == 200 and body["choices"][0]["message"]["content"] == "Hello there!"
    type_and_send(qtbot, window, "And the window")
    wait_ready(qtbot, window)
    assert len(fake.requests) == 2 and len(fake.threads) == 1  # one engine thread for both
    desktop.server.set_enabled(False)
    assert note.text() == "" and not desktop.server.running
    assert load_settings(desktop.paths.settings_file).server_enabled is False
    with pytest.raises(ConnectionRefusedError):
        ask(address, "fake")


def test_the_server_starts_with_the_app_when_it_was_left_on(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    from dataclasses import replace

    desktop = make_desktop(FakeEngine(), settings=replace(SERVER, server_enabled=True))
    desktop.start()
    assert desktop.server.running
    qtbot.waitUntil(lambda: desktop.host.facts is not None, timeout=10_000)
    status, body = ask(desktop.server.server.address, "fake", max_tokens=2)
    assert status == 200, body


def test_the_panel_shows_the_address_and_a_live_request_log(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine(), settings=SERVER)
    address = switch_on(qtbot, desktop)
    dialog = desktop.server.show_panel(desktop.windows[0])
    assert isinstance(dialog, ServerDialog)
    assert dialog.address.text() == f"{address}/v1"
    assert "Serving model 'fake'" in dialog.status.text()
    assert not dialog.key_row.isVisibleTo(dialog)  # loopback: no key needed
    assert "Not needed" in dialog.key_note.text()
    assert f"{address}/v1/chat/completions" in dialog.example.toPlainText()
    ask(address, "fake", max_tokens=3)
    ask(address, "gpt-4o")
    def cell(row: int, column: int) -> str:
        item = dialog.log.item(row, column)
        return item.text() if item is not None else ""

    qtbot.waitUntil(lambda: dialog.log.rowCount() == 2 and cell(1, 3) == "404", timeout=5000)
    assert cell(0, 2) == "POST /v1/chat/completions" and cell(0, 3) == "200"
    assert "gpt-4o" in cell(1, 6)


def test_panel_settings_are_checked_saved_and_applied(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine(), settings=SERVER)
    switch_on(qtbot, desktop)
    dialog = desktop.server.show_panel(None)
    dialog.host.setText("my-laptop")
    dialog.apply()
    assert "not an IP address" in dialog.status.text()
    dialog.host.setText("127.0.0.1")
    dialog.origins.setText("https://example.com/path")
    dialog.apply()
    assert "not an origin" in dialog.status.text()
    dialog.origins.setText("http://localhost:3000, https://tools.example")
    dialog.save_history.setChecked(True)
    dialog.apply()
    saved = load_settings(desktop.paths.settings_file)
    assert saved.server_allowed_origins == ("http://localhost:3000", "https://tools.example")
    assert saved.server_save_history and saved.server_enabled
    options = desktop.server.options
    assert options is not None and options.allowed_origins == saved.server_allowed_origins
    assert options.history_path is not None  # restarted with the new settings


def test_api_conversations_appear_in_the_sidebar_when_saved(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    from dataclasses import replace

    desktop = make_desktop(FakeEngine(), settings=replace(SERVER, server_save_history=True))
    address = switch_on(qtbot, desktop)
    window = desktop.windows[0]
    ask(address, "fake", max_tokens=4)
    qtbot.waitUntil(lambda: any(i.text() == "API: Hi" for i in window.sidebar.items()),
                    timeout=5000)


@pytest.mark.real_model
def test_a_windows_answer_waits_for_at_most_one_api_answer(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    """Three API answers are running or waiting when the window asks: the window's
    answer comes right after the one running, before the two waiting ones."""
    settings = SERVER.with_values({"threads": 1, "context_size": 2048, "max_tokens": 12,
                                   "seed": 1})
    desktop = make_desktop(model=builtin_model(), settings=settings)
    address = switch_on(qtbot, desktop)
    model = desktop.server.model_name()
    window = desktop.windows[0]
    times: dict[str, list[float]] = {}
    texts: dict[str, str] = {}
    tokens_written: dict[str, int] = {}
    errors: list[BaseException] = []

    def stream(name: str, tokens: int) -> None:
        try:
            client = openai.OpenAI(base_url=f"{address}/v1", api_key="x", max_retries=0)
            pieces = []
            usage: list[int] = []
            for chunk in client.chat.completions.create(
                    model=model, max_tokens=tokens, stream=True, seed=2,
                    extra_body={"ignore_eos": True}, stream_options={"include_usage": True},
                    messages=[{"role": "user", "content": f"Tell a story, {name}."}]):
                if chunk.choices and chunk.choices[0].delta.content:
                    times.setdefault(name, []).append(time.monotonic())
                    pieces.append(chunk.choices[0].delta.content)
                if chunk.usage is not None:
                    usage.append(chunk.usage.completion_tokens)
            texts[name] = "".join(pieces)
            tokens_written[name] = usage[0]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=stream, args=("first", 100))]
    threads[0].start()
    qtbot.waitUntil(lambda: "first" in times, timeout=30_000)
    for name in ("second", "third"):
        threads.append(threading.Thread(target=stream, args=(name, 16)))
        threads[-1].start()
    qtbot.waitUntil(lambda: desktop.host.scheduler.waiting("api") == 2, timeout=10_000)
    # Timed on the engine thread itself, as the worker emits (not when the GUI hears).
    window_done: list[float] = []
    desktop.host.worker.finished.connect(lambda *_args: window_done.append(time.monotonic()),
                                         Qt.ConnectionType.DirectConnection)
    type_and_send(qtbot, window, "Hello from the window")
    wait_ready(qtbot, window, timeout=120_000)
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert window_done and window_done[0] < min(times["second"][0], times["third"][0])
    assert tokens_written == {"first": 100, "second": 16, "third": 16}  # none cut short
    assert all(texts[n] for n in ("first", "second", "third"))
    (_q, _s, question), (_r, status, answer) = stored(window)
    assert question == "Hello from the window" and status == "complete" and answer
