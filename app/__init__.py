"""LlamaDesk: chat with Llama models on your own computer."""

import sys

__version__ = "0.1.0"
APP_NAME = "LlamaDesk"


def _keep_module_sources_out_of_memory_if_qt_came_first() -> None:
    """Qt imported before LlamaDesk (pytest-qt, the benchmark's window probe, a host
    program): PySide6's source check is replaced now, not only when app.ui is first
    imported, so the sources of the modules imported until then are not kept either
    (app/ui/qt_imports.py).  Without Qt loaded, nothing happens and nothing is imported."""
    if "shibokensupport.feature" in sys.modules:
        from app.ui.qt_imports import keep_module_sources_out_of_memory

        keep_module_sources_out_of_memory()


_keep_module_sources_out_of_memory_if_qt_came_first()
