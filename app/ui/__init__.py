"""The Qt user interface.  Only worker.py crosses the thread boundary."""

from app.ui.qt_imports import keep_module_sources_out_of_memory

keep_module_sources_out_of_memory()
