"""Shared fixtures.  Every test runs with its own temporary LLAMADESK_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui_helpers import FAKE_MODEL, MakeWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Model verdicts (app/backend/probe.py) for the whole run, whatever data folder a test
# uses: the built-in model is probed once per run, not once per test.
if "LLAMADESK_PROBE_CACHE" not in os.environ:
    import tempfile

    os.environ["LLAMADESK_PROBE_CACHE"] = str(
        Path(tempfile.mkdtemp(prefix="llamadesk-verdicts-")) / "model-verdicts.json")

from app.backend.history import open_history
from app.backend.models import ModelChoice
from app.backend.paths import AppPaths
from app.backend.settings import Settings
from app.ui.app import DesktopApp
from app.ui.main_window import MainWindow, State
from app.ui.worker import EngineHost

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def trace_worker_threads() -> Iterator[None]:
    """Coverage (on Python < 3.12) traces only threads that `threading` starts; the
    worker QThreads run Python too.  Each starts coverage's tracer when it starts,
    and holds its Python thread state until it ends (else every queued slot call
    would get a fresh thread state, without the tracer)."""
    import ctypes
    import threading

    from PySide6.QtCore import Qt, QThread

    import app.ui.worker

    tracer = threading.gettrace()
    if tracer is None:  # not measuring
        yield
        return

    class TracedThread(QThread):
        def __init__(self) -> None:
            super().__init__()
            held: list[int] = []

            def begin() -> None:
                held.append(ctypes.pythonapi.PyGILState_Ensure())
                sys.settrace(tracer)

            def end() -> None:
                if held:
                    ctypes.pythonapi.PyGILState_Release(held.pop())

            direct = Qt.ConnectionType.DirectConnection
            self.started.connect(begin, direct)  # both run on the new thread
            self.finished.connect(end, direct)

    patch = pytest.MonkeyPatch()
    patch.setattr(app.ui.worker, "QThread", TracedThread)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "llamadesk-home"
    monkeypatch.setenv("LLAMADESK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def builtin_path() -> Path:
    from app.backend.models import builtin_model_path

    return builtin_model_path()


@pytest.fixture(scope="module")
def engine(builtin_path: Path) -> Iterator[object]:
    from app.backend.engine import Engine, LoadOptions

    loaded = Engine()
    loaded.load(builtin_path, LoadOptions(context_size=2048, threads=1))
    yield loaded
    loaded.close()


@pytest.fixture(scope="session")
def untemplated_model(builtin_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in model with its chat template removed, written by the gguf package."""
    out = tmp_path_factory.mktemp("models") / "SmolLM2-no-template.gguf"
    subprocess.run(
        [sys.executable, "-m", "gguf.scripts.gguf_new_metadata", "--force",
         "--remove-metadata", "tokenizer.chat_template", str(builtin_path), str(out)],
        check=True, capture_output=True,
    )
    return out


@pytest.fixture
def make_desktop(qtbot: QtBot, data_home: Path) -> Iterator[Callable[..., DesktopApp]]:
    desktops: list[DesktopApp] = []  # strong references: qtbot keeps only weak ones

    def make(engine: object | None = None, model: ModelChoice | None = FAKE_MODEL,
             settings: Settings | None = None) -> DesktopApp:
        paths = AppPaths.under(data_home)
        paths.create()
        desktop = DesktopApp(paths, settings or Settings(), model, None, open_history(paths),
                             EngineHost(engine))  # type: ignore[arg-type]
        desktops.append(desktop)
        return desktop

    yield make
    for desktop in desktops:
        desktop.shutdown()  # stops generation, closes the model, joins the thread
        assert desktop.host.closed


@pytest.fixture
def make_window(qtbot: QtBot, make_desktop: Callable[..., DesktopApp]) -> MakeWindow:
    def make(engine: object | None = None, model: ModelChoice | None = FAKE_MODEL,
             settings: Settings | None = None) -> MainWindow:
        desktop = make_desktop(engine, model, settings)
        window = desktop.new_window()
        desktop.models.start()
        if model is not None:
            qtbot.waitUntil(lambda: window.state is not State.LOADING, timeout=60_000)
        return window

    return make


def run_cli(*args: str, env: dict[str, str] | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the installed `llamadesk` entry point as a user would."""
    exe = Path(sys.executable).parent / ("llamadesk.exe" if os.name == "nt" else "llamadesk")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, check=False)
