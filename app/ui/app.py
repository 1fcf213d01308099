"""Start the GUI."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__
from app.backend.errors import LlamaDeskError
from app.backend.models import ModelChoice, resolve_model
from app.backend.settings import Settings
from app.ui.main_window import MainWindow
from app.ui.worker import EngineHost


def run_gui(settings: Settings, model_spec: str | None) -> int:
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
    window.start()
    return app.exec()
