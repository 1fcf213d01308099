"""Remote engines in the window: added from the Models menu, their models listed there
and in the toolbar's picker, chosen, and answering, through a real llama-server; and
the catalog's models too big for this computer lead there instead of a dead end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from app.backend.engine import Engine
from app.backend.engines import EngineRouter, EngineSpec, engine_ref
from app.backend.llama_tools import SERVER, find_tool
from app.backend.models import ModelChoice
from app.ui.app import DesktopApp
from app.ui.models_menu import ModelsMenu
from app.ui.remote_engine_dialog import RemoteEngineDialog, ask_where_to_run
from tests.fakes import FakeEngine
from tests.gui_helpers import MakeWindow, stored, type_and_send, wait_ready
from tests.test_remote_real import free_port, start, stop


@pytest.fixture(scope="module")
def box(builtin_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    process = start([str(find_tool(SERVER)), "-m", str(builtin_path), "--host", "127.0.0.1",
                     "--port", str(port), "-c", "2048", "--parallel", "1", "-t", "1",
                     "--no-webui"], port, log=tmp_path_factory.mktemp("box") / "log.txt")
    yield f"http://127.0.0.1:{port}"
    stop(process)


def actions(menu: object) -> dict[str, object]:
    return {a.text(): a for a in menu.actions()}  # type: ignore[attr-defined]


@pytest.mark.real_model
def test_a_remote_engine_from_the_models_menu_answers_in_the_window(
        qtbot: QtBot, make_desktop: Callable[..., DesktopApp], box: str,
        builtin_path: Path) -> None:
    desktop = make_desktop(EngineRouter(Engine()), model=None)
    window = desktop.new_window()
    remote_menu = window.models_menu.remote
    remote_menu.ask_engine = lambda split: (EngineSpec("box", url=box), "")  # type: ignore[method-assign]
    assert remote_menu.add_engine(split=False)
    assert desktop.app_settings.settings.remote_engines == ({"name": "box", "url": box},)
    qtbot.waitUntil(lambda: not desktop.remote_models.listings["box"].pending, timeout=10_000)
    assert desktop.remote_models.listings["box"].models == (str(builtin_path),)

    remote_menu.fill()
    engine_menu = actions(remote_menu)[f"box · {box}"].menu()  # type: ignore[attr-defined]
    actions(engine_menu)[str(builtin_path)].trigger()  # type: ignore[attr-defined]
    wait_ready(qtbot, window, 30_000)
    where = f"on box ({box.removeprefix('http://')})"
    assert window.backend_label.text() == where
    ref = engine_ref("box", str(builtin_path))
    window.model_picker.fill(ref)
    assert window.model_picker.currentData() == ref  # the picker lists it, chosen

    type_and_send(qtbot, window, "Say hello.")
    qtbot.waitUntil(lambda: len(stored(window)) == 2 and stored(window)[1][1] != "streaming",
                    timeout=60_000)
    role, status, content = stored(window)[1]
    assert role == "assistant" and status == "complete" and content.strip()
    assert "tokens/s" in window.speed_label.text()

    remote_menu.remove_engine("box")
    assert desktop.app_settings.settings.values()["remote_engines"] == ()
    assert "box" not in desktop.remote_models.listings


def test_an_unreachable_engine_says_why_in_its_menu(qtbot: QtBot,
                                                  make_window: MakeWindow) -> None:
    window = make_window(FakeEngine())
    remote_menu = window.models_menu.remote
    remote_menu.ask_engine = lambda split: (  # type: ignore[method-assign]
        EngineSpec("gone", url=f"http://127.0.0.1:{free_port()}"), "")
    remote_menu.add_engine(split=False)
    listings = window.models_menu.remote.remote_models.listings  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not listings["gone"].pending, timeout=10_000)
    remote_menu.fill()
    engine_menu = cast(QMenu, next(a.menu() for a in remote_menu.actions()
                                   if a.text().startswith("gone")))
    texts = [a.text() for a in engine_menu.actions()]
    assert any("connection refused" in text for text in texts), texts


def test_workers_list_this_computers_models_to_split(qtbot: QtBot, make_window: MakeWindow,
                                                     builtin_path: Path) -> None:
    window = make_window(FakeEngine())
    remote_menu = window.models_menu.remote
    remote_menu.ask_engine = lambda split: (  # type: ignore[method-assign]
        EngineSpec("lab", workers=("10.0.0.2:50052", "10.0.0.3:50052")), "")
    remote_menu.add_engine(split=True)
    remote_menu.fill()
    engine_menu = cast(QMenu, next(a.menu() for a in remote_menu.actions()
                                   if a.text().startswith("lab")))
    chosen: list[ModelChoice] = []
    window.models_menu.model_chosen.connect(chosen.append)
    actions(engine_menu)[f"Split {builtin_path.name} across 2 workers"].trigger()  # type: ignore[attr-defined]
    assert [c.id for c in chosen] == [engine_ref("lab", str(builtin_path))]


def test_a_model_too_big_offers_other_machines(qtbot: QtBot, make_window: MakeWindow,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(FakeEngine())
    menu: ModelsMenu = window.models_menu
    family = actions(menu)["Llama 3.1"].menu()  # type: ignore[attr-defined]
    too_big = next(a for a in family.actions() if "405B" in a.text())
    assert "Run on other machines" in too_big.text()
    downloads: list[tuple[str, str]] = []
    menu.download_requested.connect(lambda i, q: downloads.append((i, q)))
    asked: list[bool] = []
    menu.remote.ask_engine = lambda split: asked.append(split)  # type: ignore[method-assign]
    for answer in ("download", "split", "remote", ""):
        monkeypatch.setattr(menu, "ask_too_big", lambda _name, a=answer: a)
        too_big.trigger()
    assert len(downloads) == 1 and downloads[0][0] == "llama-3.1-405b-instruct"
    assert asked == [True, False]  # the workers dialog, then the remote engine's


def test_the_engine_dialog_checks_what_it_is_given(qtbot: QtBot) -> None:
    dialog = RemoteEngineDialog(split=False, taken=["box"])
    qtbot.addWidget(dialog)
    dialog.name.setText("box")
    dialog.address.setText("http://10.0.0.2:8080")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "already an engine named 'box'" in dialog.problem.text()
    dialog.name.setText("gpu-box")
    dialog.address.setText("10.0.0.2:8080")
    dialog.accept()
    assert "not a server address" in dialog.problem.text()
    dialog.address.setText("https://10.0.0.2:8080/v1")
    dialog.key.setText(" sk-1 ")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.spec == EngineSpec("gpu-box", url="https://10.0.0.2:8080/v1")
    assert dialog.api_key == "sk-1"

    workers = RemoteEngineDialog(split=True, taken=[])
    qtbot.addWidget(workers)
    workers.name.setText("lab")
    workers.address.setText("10.0.0.2:50052, nowhere")
    workers.accept()
    assert "not nowhere" in workers.problem.text()
    workers.address.setText("10.0.0.2:50052, [::1]:50053")
    workers.accept()
    assert workers.spec == EngineSpec("lab", workers=("10.0.0.2:50052", "[::1]:50053"))


def test_the_too_big_question_returns_the_button_pressed(qtbot: QtBot) -> None:
    def press(label: str) -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == label)
        button.click()

    for label, answer in (("Download it", "download"), ("Split across workers…", "split"),
                          ("Cancel", "")):
        QTimer.singleShot(0, lambda text=label: press(text))
        assert ask_where_to_run("Llama 3.1 405B Q4_K_M") == answer
