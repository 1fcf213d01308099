"""The engine, files and settings of LlamaDesk: plain Python, no Qt.

Everything here is usable from the command line and testable without a display;
a test fails if any module here imports PySide6.
"""
