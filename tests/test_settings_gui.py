"""Settings in the window: the panel built from the schema, one owner of settings and
presets that every window follows, and a chat's own context length."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend.models import ModelChoice, builtin_model
from app.backend.schema import BY_NAME, CHAT_KEYS
from app.backend.settings import Settings
from app.ui.app import DesktopApp
from app.ui.main_window import State
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, stored, type_and_send, wait_ready


def test_the_panel_keeps_every_value_the_settings_allow(qtbot: QtBot,
                                                        make_window: MakeWindow):
    window = make_window(FakeEngine())
    for end in ("minimum", "maximum"):
        wanted = {}
        for name in CHAT_KEYS:
            value = getattr(BY_NAME[name], end)
            wanted[name] = value if isinstance(BY_NAME[name].default, float) else int(value)
        window.panel.set_values("", wanted)
        assert window.panel.values()[1] == wanted  # nothing clamped (top k was cut at 1,000)
    window.panel.set_values("", {"seed": None, "top_k": 0})
    assert window.panel.fields["seed"].text() == "random"
    assert window.panel.fields["top_k"].text() == "off"
    assert window.panel.values()[1]["seed"] is None
    assert window.panel.fields["temperature"].toolTip() == BY_NAME["temperature"].help


def test_what_the_panel_shows_is_what_the_engine_gets(qtbot: QtBot, make_window: MakeWindow):
    engine = FakeEngine(words=["ok"])
    window = make_window(engine)
    chosen = {"temperature": 1.25, "top_p": 0.5, "top_k": 5000, "min_p": 0.1,
              "repeat_penalty": 1.3, "max_tokens": 77, "seed": 7}
    for name, value in chosen.items():
        window.panel.fields[name].setValue(value)
    window.panel.fields["context_size"].setValue(2048)
    type_and_send(qtbot, window, "hello")
    wait_ready(qtbot, window)
    sent = asdict(engine.params[-1])
    assert {name: sent[name] for name in chosen} == chosen
    assert engine.facts is not None and engine.facts.context_size == 2048
    saved = window.store.conversation(window.conversation_id or 0).settings
    assert saved == {**chosen, "context_size": 2048}


def test_a_chats_context_length_applies_and_the_status_bar_says_so(
        qtbot: QtBot, make_window: MakeWindow):
    engine = FakeEngine(words=["ok"])
    window = make_window(engine)
    assert window.context_label.text() == "context 0 / 4,096"
    window.panel.fields["context_size"].setValue(1024)
    qtbot.waitUntil(lambda: "of 1,024 tokens" in window.meter.text())
    type_and_send(qtbot, window, "short context")
    wait_ready(qtbot, window)
    assert "context length applies: 1,024 tokens" in window.statusBar().currentMessage()
    assert window.context_label.text().endswith("/ 1,024")
    window.new_chat()  # a new chat has the default again
    type_and_send(qtbot, window, "default context")
    wait_ready(qtbot, window)
    assert window.context_label.text().endswith("/ 4,096")
    assert engine.facts is not None and engine.facts.context_size == 4096


def test_presets_saved_in_two_windows_are_both_kept_and_shown_in_both(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home: Path):
    desktop = make_desktop(FakeEngine())
    one, two = desktop.new_window(), desktop.new_window()
    for window, name in ((one, "Pirate"), (two, "Poet")):
        window.panel.preset_name.setText(name)
        window.panel.system_prompt.setPlainText(f"You are a {name.lower()}.")
        window.panel.save_preset_button.click()
    saved = json.loads((data_home / "config" / "presets.json").read_text())
    assert [p["name"] for p in saved] == ["Pirate", "Poet"]
    for window in (one, two):
        assert window.panel.preset_box.findText("Pirate (yours)") > 0
        assert window.panel.preset_box.findText("Poet (yours)") > 0


def test_settings_changed_in_two_windows_and_by_hand_are_all_kept(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home: Path):
    desktop = make_desktop(FakeEngine())
    one, two = desktop.new_window(), desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, one)
    settings_file = data_home / "config" / "settings.json"
    one.set_gpu_layers(0)  # for /models/fake.gguf
    wait_ready(qtbot, one)
    raw = json.loads(settings_file.read_text())
    settings_file.write_text(json.dumps({**raw, "threads": 3}))  # a hand edit meanwhile
    two.switch_model(ModelChoice("other", "Other", Path("/models/other.gguf")))
    wait_ready(qtbot, two)
    two.set_gpu_layers(12)
    wait_ready(qtbot, two)
    saved = json.loads(settings_file.read_text())
    assert saved["gpu_layers_per_model"] == {"/models/fake.gguf": 0, "/models/other.gguf": 12}
    assert saved["threads"] == 3  # the hand edit was not overwritten


def test_a_settings_file_that_cannot_be_read_is_not_overwritten(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], data_home: Path):
    settings_file = data_home / "config" / "settings.json"
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text('{"threads": 2,')  # a hand edit cut short
    desktop = make_desktop(FakeEngine())
    window = desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, window)
    window.set_gpu_layers(0)
    wait_ready(qtbot, window)
    assert settings_file.read_text() == '{"threads": 2,'
    assert "was not saved" in window.errors.label.text()
    assert desktop.app_settings.settings.load_options("/models/fake.gguf").gpu_layers == 0


def test_a_new_chat_follows_changed_defaults_but_keeps_the_users_edits(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    desktop = make_desktop(FakeEngine())
    untouched, edited = desktop.new_window(), desktop.new_window()
    edited.panel.fields["temperature"].setValue(0.3)
    assert desktop.app_settings.update({"system_prompt": "Be brief.", "temperature": 1.0})
    assert untouched.panel.system_prompt.toPlainText() == "Be brief."
    assert untouched.panel.values()[1]["temperature"] == 1.0
    assert edited.panel.values()[1]["temperature"] == 0.3
    assert not desktop.app_settings.update({"temperature": 9})  # refused, with a message
    assert "'temperature' is 9" in untouched.errors.label.text() + edited.errors.label.text()
    assert desktop.app_settings.settings.generation.temperature == 1.0


@pytest.mark.real_model
def test_real_model_a_chats_context_length_applies(qtbot: QtBot, make_window: MakeWindow):
    settings = Settings.of(threads=1, context_size=2048, max_tokens=16, temperature=0.5)
    window = make_window(None, builtin_model(), settings)
    assert window.context_label.text() == "context 0 / 2,048"
    window.panel.fields["context_size"].setValue(512)
    type_and_send(qtbot, window, "Hello")
    wait_ready(qtbot, window, 60_000)
    assert stored(window)[-1][1] == "complete"
    assert window.host.facts is not None and window.host.facts.context_size == 512
    assert window.context_label.text().endswith("/ 512")
    assert "context length applies: 512 tokens" in window.statusBar().currentMessage()
    window.composer.setPlainText("Summarise: " + "it was the best of times " * 120)
    window.send()  # fits 2,048 but not this chat's 512
    wait_ready(qtbot, window, 60_000)
    assert "the context holds 512" in window.errors.label.text()
    window.new_chat()
    type_and_send(qtbot, window, "Hello again")
    wait_ready(qtbot, window, 60_000)
    assert window.host.facts.context_size == 2048
    assert window.state is State.READY


def test_every_editable_setting_has_a_form_field_that_keeps_its_values(qtbot: QtBot):
    """What a Preferences dialog builds: a field per editable setting, from the schema."""
    from typing import Any

    from app.backend.schema import SCHEMA, Kind, Scope, Setting
    from app.ui.setting_widgets import editor_for

    samples: dict[str, list[Any]] = {
        "threads": [0, 3], "gpu_layers": [-1, 0, 999], "model": [None, "/m/x.gguf"],
        "hub_endpoint": [None, "https://mirror.example/"], "system_prompt": ["", "Be\tkind"],
        "server_enabled": [True, False], "server_host": ["0.0.0.0", "127.0.0.1"],
        "server_allowed_origins": [("http://localhost:3000", "https://a.example"), ()]}
    theme = Setting("theme", Kind.TEXT, "system", "Theme", "Colours.", Scope.APP,
                    choices=(("system", "As the system"), ("dark", "Dark")))
    for setting in [*[s for s in SCHEMA if s.editable], theme]:
        editor: Any = editor_for(setting)
        qtbot.addWidget(editor)
        assert editor.objectName() == f"setting-{setting.name}"
        assert editor.accessibleName() == setting.label
        changes: list[bool] = []
        editor.on_change(lambda changes=changes: changes.append(True))
        values = samples.get(setting.name, [setting.default])
        if setting.choices:
            values = ["dark", "system"]
        for value in values:
            editor.set_setting_value(value)
            assert editor.setting_value() == value, setting.name
        assert changes or len(values) == 1
    with pytest.raises(ValueError, match="not edited in a form"):
        editor_for(BY_NAME["gpu_layers_per_model"])
