"""The server's API key: made once, kept in the keyring, required off loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from app.backend import keychain
from app.cli_serve import api_key
from app.ui.app import DesktopApp
from tests.fakes import FakeEngine
from tests.test_catalog import MemoryKeyring
from tests.test_server_gui import SERVER, ask, switch_on


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
    keychain._session_server_key = None


def test_the_key_is_made_once_and_kept_in_the_keyring(memory_keyring: MemoryKeyring):
    key, problem = keychain.server_key()
    assert problem is None and key.startswith("ld-") and len(key) >= 40
    assert memory_keyring.items == {("LlamaDesk", "server-api-key"): key}
    assert keychain.server_key() == (key, None)  # the same key next time
    renewed, _problem = keychain.renew_server_key()
    assert renewed != key and memory_keyring.items[("LlamaDesk", "server-api-key")] == renewed


def test_without_a_keyring_the_key_lasts_for_the_session_and_that_is_said():
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        key, problem = keychain.server_key()
        assert problem and "for this session only" in problem
        assert keychain.server_key()[0] == key
    finally:
        keyring.set_keyring(before)
        keychain._session_server_key = None


def test_serve_needs_the_key_only_off_loopback(memory_keyring: MemoryKeyring, tmp_path: Path):
    assert api_key("127.0.0.1", None) == (None, "none needed on loopback")
    key, note = api_key("0.0.0.0", None)
    assert key and key in note and "OS keyring" in note
    assert api_key("192.168.1.20", None)[0] == key  # the one key, from the keyring
    own = tmp_path / "key"
    own.write_text("my-own-key-of-enough-length\n")
    assert api_key("127.0.0.1", own)[0] == "my-own-key-of-enough-length"


def test_the_panel_shows_the_key_when_it_is_required(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], memory_keyring: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch):
    """As if 127.0.0.1 were another network (nothing here listens beyond loopback)."""
    from app.backend import server

    monkeypatch.setattr(server, "is_loopback", lambda host: False)
    desktop = make_desktop(FakeEngine(), settings=SERVER)
    address = switch_on(qtbot, desktop)
    dialog = desktop.server.show_panel(None)
    key = memory_keyring.items[("LlamaDesk", "server-api-key")]
    assert dialog.key.text() == key and dialog.key_row.isVisibleTo(dialog)
    assert "Required from every client" in dialog.key_note.text()
    status, body = ask(address, "fake")
    assert status == 401 and body["error"]["code"] == "invalid_api_key"
    assert "$LLAMADESK_KEY" in dialog.example.toPlainText()
    dialog.renew.click()  # a new key: the server restarts with it
    renewed = memory_keyring.items[("LlamaDesk", "server-api-key")]
    assert renewed != key and dialog.key.text() == renewed
    address = desktop.server.server.address
    assert ask(address, "fake", headers={"Authorization": f"Bearer {key}"})[0] == 401
    assert ask(address, "fake", headers={"Authorization": f"Bearer {renewed}"})[0] == 200
