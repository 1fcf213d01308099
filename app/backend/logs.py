"""Logging to a file in the data folder; llama.cpp's own log goes there too."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_handlers: list[logging.Handler] = []


def setup_logging(log_file: Path, verbose: bool = False) -> None:
    """Log to ``log_file`` (rotated at 5 MB); with ``verbose`` also to stderr.

    Calling it again replaces the handlers it added before, so tests and a
    changed data folder never write to a stale file.
    """
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    file_handler.setLevel(logging.DEBUG)
    _handlers.append(file_handler)
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        _handlers.append(console)
    for handler in _handlers:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
