"""Start the GUI."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__
from app.backend.engine import GenerationResult
from app.backend.errors import LlamaDeskError
from app.backend.models import ModelChoice, resolve_model
from app.backend.settings import Settings
from app.ui.main_window import MainWindow
from app.ui.worker import EngineHost, LoadedModel

SELF_TEST_PROMPT = "Say hello."
SELF_TEST_TIMEOUT_MS = 120_000


def run_gui(settings: Settings, model_spec: str | None, self_test: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    model: ModelChoice | None = None
    problem = None
    try:
        model = resolve_model(model_spec or settings.model)
    except LlamaDeskError as error:
        problem = str(error)
    host = EngineHost()
    app.aboutToQuit.connect(host.close)
    window = MainWindow(host, settings, model, problem)
    window.show()
    outcome: dict[str, object] = {"ok": False}
    if self_test:
        _drive_self_test(app, window, outcome, problem)
    window.start()
    status = app.exec()
    if self_test:
        print(json.dumps(outcome), flush=True)
        return 0 if outcome["ok"] else 1
    return status


def _drive_self_test(app: QApplication, window: MainWindow, outcome: dict[str, object],
                     problem: str | None) -> None:
    """Through the real window: load the model, send a message, wait for the answer.

    Prints one line of JSON and exits: 0 if the answer came.  Installers run this
    on the packaged program; tests run it on the checkout.
    """
    window.settings = replace(window.settings, max_tokens=8, seed=42, temperature=0.0,
                              threads=1, context_size=512)

    def finish(**fields: object) -> None:
        outcome.update(fields)
        window.close()
        app.quit()

    def on_loaded(loaded: LoadedModel) -> None:
        outcome.update(model=loaded.facts.name, backend=loaded.facts.backend_label)
        window.composer.setPlainText(SELF_TEST_PROMPT)
        window.send()

    def on_finished(_request_id: int, result: GenerationResult) -> None:
        finish(ok=result.completion_tokens > 0, tokens=result.completion_tokens,
               tokens_per_second=round(result.tokens_per_second, 1), text=result.text)

    window.host.model_loaded.connect(on_loaded)
    window.host.finished.connect(on_finished)
    window.host.load_failed.connect(lambda message: finish(error=message))
    window.host.failed.connect(lambda _id, message: finish(error=message))
    QTimer.singleShot(SELF_TEST_TIMEOUT_MS, app, lambda: finish(error="timed out"))
    if problem:
        QTimer.singleShot(0, app, lambda: finish(error=problem))
