"""The Models menu: switching mid-conversation, failures, downloads, the crash guard."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.backend.engine import LoadOptions
from app.backend.errors import ModelFileError, ModelLoadError
from app.backend.models import ModelChoice, builtin_model
from app.backend.settings import Settings
from app.ui.app import DesktopApp
from app.ui.main_window import State
from app.ui.worker import EngineHost, LoadRequest
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, stored, type_and_send, wait_ready
from tests.hub_server import FakeHub, Faults, serve
from tests.test_catalog import pinned_catalog

REAL = Settings.of(threads=1, context_size=1024, max_tokens=12, temperature=0.5)


class FlakyEngine(FakeEngine):
    """Loads anything but files named *broken*; on the GPU, nothing named *gpu-fails*."""

    def load(self, path, options=None, on_progress=None):
        options = options or LoadOptions()
        if "broken" in str(path) or (options.gpu_layers != 0 and "gpu-fails" in str(path)):
            self.loads.append((str(path), options))
            self.fail(ModelLoadError(f"llama.cpp could not load {Path(path).name}: out of "
                                     "memory."))
        return super().load(path, options, on_progress)

    @property
    def tried(self) -> list[tuple[str, int]]:
        return [(Path(path).name, options.gpu_layers) for path, options in self.loads]


def test_a_gpu_failure_retries_on_the_cpu_then_goes_back(qtbot: QtBot):
    engine = FlakyEngine()
    host = EngineHost(engine)
    with qtbot.wait_signal(host.model_loaded):
        host.load(LoadRequest("/m/good.gguf", "Good"))
    with qtbot.wait_signal(host.model_loaded) as cpu:
        host.load(LoadRequest("/m/gpu-fails.gguf", "Big"))
    assert "runs on the CPU instead" in (cpu.args[0].note or "")
    with qtbot.wait_signal(host.model_loaded) as back:
        host.load(LoadRequest("/m/broken.gguf", "Broken"))
    assert back.args[0].display_name == "Big" and "is loaded again" in back.args[0].note
    assert engine.tried[-3:] == [("broken.gguf", -1), ("broken.gguf", 0), ("gpu-fails.gguf", 0)]
    host.close()


@pytest.mark.real_model
def test_switch_models_mid_conversation_and_a_bad_file_changes_nothing(
        qtbot: QtBot, make_window: MakeWindow, builtin_path: Path, tmp_path: Path):
    window = make_window(None, builtin_model(), REAL)
    type_and_send(qtbot, window, "Hello")
    wait_ready(qtbot, window, 60_000)
    second = tmp_path / "Second-Llama.Q4_1.gguf"
    shutil.copyfile(builtin_path, second)
    window.models_menu.ask_model_file = lambda: second  # type: ignore[method-assign]
    window.models_menu.add_model_file()  # checked, copied into the models folder, loaded
    qtbot.waitUntil(lambda: window.state is State.READY and
                    "Second-Llama" in window.loaded_path, timeout=60_000)
    assert (window.models_dir / second.name).is_file()  # type: ignore[operator]
    type_and_send(qtbot, window, "And now?")
    wait_ready(qtbot, window, 60_000)
    answers = window.store.branch(window.conversation_id or 0).messages
    assert [m.model for m in answers if m.role == "assistant"] == [
        "SmolLM2 135M (built in)", "Second-Llama.Q4_1"]  # the same conversation went on

    truncated = tmp_path / "broken.gguf"
    truncated.write_bytes(builtin_path.read_bytes()[:30_000_000])
    before = window.host.facts
    window.switch_model(ModelChoice("broken", "Broken model", truncated))
    assert window.state is State.LOADING
    qtbot.waitUntil(lambda: window.state is State.READY, timeout=60_000)
    assert "Second-Llama.Q4_1 is still loaded" in window.errors.label.text()
    assert "incomplete" in window.errors.label.text()
    assert "Second-Llama" in window.loaded_path  # the model that worked is still there
    assert window.host.facts is before  # and was not loaded again (its KV snapshots stay)
    type_and_send(qtbot, window, "Still there?")
    wait_ready(qtbot, window, 60_000)
    assert stored(window)[-1][1] == "complete"


def test_a_model_that_crashed_the_app_is_not_loaded_again(qtbot: QtBot, data_home: Path,
                                                          make_window: MakeWindow):
    marker = data_home / "data" / "loading.json"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"path": "/models/huge.gguf"}))
    engine = FakeEngine()
    window = make_window(engine, ModelChoice("huge", "Huge model", Path("/models/huge.gguf")))
    assert "closed unexpectedly while loading Huge model" in window.errors.label.text()
    assert "SmolLM2" in window.loaded_path
    assert not marker.exists()  # the built-in model loaded: the marker is cleared


def test_the_models_menu_lists_the_catalog_and_marks_what_fits(qtbot: QtBot,
                                                               make_window: MakeWindow):
    window = make_window(FakeEngine())
    families = {a.text(): cast(QMenu, a.menu()) for a in window.models_menu.actions()
                if a.menu()}
    assert {"Llama 3.2", "Llama 3.1", "Llama 3.3", "Llama 2", "Code Llama", "SmolLM2"} <= set(
        families)
    labels = [a.text() for a in families["Llama 3.1"].actions()]
    assert any("405B" in text and "too big" in text and "Run on other machines" in text
               for text in labels)
    assert any(text.startswith("SmolLM2 135M (built in) Q4_1") for text in
               [a.text() for a in families["SmolLM2"].actions()])


def test_download_from_the_menu_with_pause_and_resume(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], builtin_path: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    data = builtin_path.read_bytes()[:8_000_000]
    hub = FakeHub(faults=Faults(stall_seconds=2.0, stall_times=1))
    hub.add("bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf", data)
    with serve(hub):
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("LLAMADESK_CATALOG", str(pinned_catalog(tmp_path, data)))
        desktop = make_desktop(FakeEngine())
        window = desktop.new_window()
        desktop.models.start()
        window.models_menu.download_requested.emit("llama-3.2-1b-instruct", "Q4_K_M")
        (row,) = desktop.downloads_window.rows.values()
        qtbot.waitUntil(lambda: row.bar.value() > 0, timeout=10_000)
        row.toggle_pause()  # pause mid-file (the server stalls a third of the way in)
        qtbot.waitUntil(lambda: "Paused" in row.status.text(), timeout=10_000)
        row.toggle_pause()  # resume
        qtbot.waitUntil(lambda: row.done, timeout=30_000)
        assert "Installed and verified" in row.status.text()
        installed = window.models_dir / "Llama-3.2-1B-Instruct-Q4_K_M.gguf"  # type: ignore
        assert installed.read_bytes() == data
        ranges = [h.get("range") for _m, p, h in hub.requests if "/resolve/" in p]
        assert len(ranges) >= 2 and ranges[-1] and ranges[-1].startswith("bytes=")


def test_a_catalog_file_gone_from_the_hub_offers_the_closest_one(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], builtin_path: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    data = builtin_path.read_bytes()[:2_000_000]
    repo = "bartowski/Llama-3.2-1B-Instruct-GGUF"
    hub = FakeHub()
    hub.add(repo, "Llama-3.2-1B-Instruct-IQ4_XS.gguf", data)
    hub.add(repo, "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf", data)  # renamed upstream
    hub.add(repo, "Llama-3.2-1B-Instruct-Q8_0.gguf", data)
    with serve(hub):
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("LLAMADESK_CATALOG", str(pinned_catalog(tmp_path, data)))
        desktop = make_desktop(FakeEngine())
        window = desktop.new_window()
        desktop.models.start()
        window.models_menu.download_requested.emit("llama-3.2-1b-instruct", "Q4_K_M")
        downloads = desktop.downloads_window
        (row,) = downloads.rows.values()
        qtbot.waitUntil(lambda: downloads.hub_files.count() == 3, timeout=10_000)
        assert "(any more)" in row.status.text() and "(any more)" in downloads.hub_title.text()
        chosen = downloads.hub_files.currentItem()
        assert chosen.text().startswith("Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf")
        downloads.hub_download.click()
        new_row = downloads.rows[max(downloads.rows)]
        qtbot.waitUntil(lambda: new_row.done, timeout=30_000)
        assert "Installed and verified" in new_row.status.text()
        installed = window.models_dir / "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf"  # type: ignore
        assert installed.read_bytes() == data


def test_open_from_the_hub_lists_gguf_files_and_downloads_one(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], builtin_path: Path):
    data = builtin_path.read_bytes()[:3_000_000]
    hub = FakeHub()
    hub.add("someone/Tiny-GGUF", "tiny.Q4_0.gguf", data)
    hub.add("someone/Tiny-GGUF", "README.md", b"card")
    with serve(hub):
        desktop = make_desktop(FakeEngine(), settings=Settings.of(hub_endpoint=hub.url))
        window = desktop.new_window()
        desktop.models.start()
        window.models_menu.ask_hub_repo = lambda: "someone/Tiny-GGUF"  # type: ignore
        window.models_menu.open_from_hub()
        files = desktop.downloads_window.hub_files
        qtbot.waitUntil(lambda: files.count() == 1, timeout=10_000)
        assert files.item(0).text().startswith("tiny.Q4_0.gguf")
        desktop.downloads_window.hub_download.click()
        (row,) = desktop.downloads_window.rows.values()
        qtbot.waitUntil(lambda: row.done, timeout=30_000)
        assert (window.models_dir / "tiny.Q4_0.gguf").read_bytes() == data  # type: ignore
        window.models_menu.ask_hub_repo = lambda: "nobody/nothing"  # type: ignore
        window.models_menu.open_from_hub()
        qtbot.waitUntil(lambda: "no repository" in desktop.downloads_window.hub_title.text(),
                        timeout=10_000)


def test_the_hub_token_dialog_keeps_the_token_in_the_keyring(
        qtbot: QtBot, make_window: MakeWindow, data_home: Path):
    import keyring

    from tests.test_catalog import MemoryKeyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        window = make_window(FakeEngine())
        dialog = window.models_menu.edit_hub_token()
        dialog.token.setText("hf_window_token_42")
        dialog.save_button.click()
        assert backend.items == {("LlamaDesk", "huggingface-token"): "hf_window_token_42"}
        assert "A token is set" in dialog.status.text()
        dialog.remove_button.click()
        assert backend.items == {}
        dialog.close()
        for path in data_home.rglob("*"):
            if path.is_file():
                assert b"hf_window_token_42" not in path.read_bytes()
    finally:
        keyring.set_keyring(before)


def test_load_progress_is_shown_while_a_model_loads(qtbot: QtBot, make_window: MakeWindow):
    window = make_window(FakeEngine())
    seen: list[int] = []
    window.host.load_progressed.connect(lambda f: seen.append(int(f * 100)))
    window.switch_model(ModelChoice("other", "Other", Path("/models/other.gguf")))
    qtbot.waitUntil(lambda: window.state is State.READY)
    assert seen == [50]  # the fake reports half-way once
    assert not window.load_bar.isVisible()  # hidden again once loaded


def test_gpu_offload_is_a_setting_per_model(qtbot: QtBot, make_desktop, data_home: Path):
    engine = FlakyEngine()
    desktop = make_desktop(engine)
    window = desktop.new_window()
    desktop.models.start()
    qtbot.waitUntil(lambda: window.state is State.READY)
    window.set_gpu_layers(0)
    qtbot.waitUntil(lambda: window.state is State.READY and len(engine.tried) == 2)
    assert engine.tried[-1] == ("fake.gguf", 0)  # loaded again on the CPU only
    saved = json.loads((data_home / "config" / "settings.json").read_text())
    assert saved["gpu_layers_per_model"] == {"/models/fake.gguf": 0}
    window.models_menu.ask_gpu_layers = lambda: 12
    window.models_menu._ask_and_choose_gpu_layers()
    qtbot.waitUntil(lambda: len(engine.tried) == 3)
    assert engine.tried[-1] == ("fake.gguf", 12)
    from app.backend.settings import load_settings

    assert load_settings(data_home / "config" / "settings.json").load_options(
        "/models/fake.gguf").gpu_layers == 12


def test_all_layers_is_used_as_chosen_and_only_automatic_falls_back_to_the_cpu(qtbot: QtBot):
    engine = FlakyEngine()
    host = EngineHost(engine)
    with qtbot.wait_signal(host.model_loaded):
        host.load(LoadRequest("/m/good.gguf", "Good"))
    with qtbot.wait_signal(host.model_loaded) as back:
        host.load(LoadRequest("/m/gpu-fails.gguf", "Big", LoadOptions(gpu_layers=999)))
    assert engine.tried[-2:] == [("gpu-fails.gguf", 999), ("good.gguf", -1)]  # no CPU try
    assert "could not be loaded" in (back.args[0].note or "")
    with qtbot.wait_signal(host.model_loaded) as cpu:
        host.load(LoadRequest("/m/gpu-fails.gguf", "Big", LoadOptions(gpu_layers=-1)))
    assert engine.tried[-2:] == [("gpu-fails.gguf", -1), ("gpu-fails.gguf", 0)]
    assert "runs on the CPU instead" in (cpu.args[0].note or "")
    host.close()


def test_a_refused_file_keeps_the_model_in_use_without_loading_it_again(qtbot: QtBot):
    engine = FakeEngine()
    host = EngineHost(engine)
    with qtbot.wait_signal(host.model_loaded):
        host.load(LoadRequest("/m/good.gguf", "Good"))
    engine.load_error = ModelFileError("bad.gguf is not a GGUF model file.")
    with qtbot.wait_signal(host.model_loaded) as kept:
        host.load(LoadRequest("/m/bad.gguf", "Bad"))
    assert [Path(p).name for p, _o in engine.loads] == ["good.gguf", "bad.gguf"]  # no reload
    assert kept.args[0].note == ("Bad could not be loaded: bad.gguf is not a GGUF model file. "
                                 "Good is still loaded.")
    assert host.facts is not None and host.facts.path == "/m/good.gguf"
    host.close()


class SlowLoadingEngine(FakeEngine):
    """The first load is instant; later loads wait until the test lets them finish."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.release = threading.Event()

    def load(self, path, options=None, on_progress=None):
        if self.loads:
            assert self.release.wait(10)
        return super().load(path, options, on_progress)


def test_switching_models_mid_answer_keeps_send_off_until_the_new_one_is_loaded(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp]):
    engine = SlowLoadingEngine(words=["w "] * 2000, delay=0.005)
    desktop = make_desktop(engine)
    window, other = desktop.new_window(), desktop.new_window()
    desktop.models.start()
    wait_ready(qtbot, window)
    type_and_send(qtbot, window, "a long answer")
    qtbot.waitUntil(lambda: window.chat.messages[-1].text.startswith("w w"))
    window.switch_model(ModelChoice("other", "Other", Path("/models/other.gguf")))
    qtbot.waitUntil(lambda: window.session.state is State.READY)  # the answer stopped
    assert stored(window)[-1][1] == "stopped"
    for each in (window, other):  # every window waits for the shared model
        assert each.state is State.LOADING and not each.send_button.isEnabled()
        assert each.model_label.text() == "Loading Other…"
    engine.release.set()
    wait_ready(qtbot, window)
    assert window.send_button.isEnabled() and other.send_button.isEnabled()
    assert "Other" in window.model_label.text()
