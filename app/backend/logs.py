"""Logging to a file in the data folder; llama.cpp's own log goes there too."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_handlers: list[logging.Handler] = []
_fault_file: TextIO | None = None


def setup_logging(log_file: Path, verbose: bool = False) -> None:
    """Log to ``log_file`` (rotated at 5 MB); with ``verbose`` also to stderr.

    Calling it again replaces the handlers it added before, so tests and a
    changed data folder never write to a stale file.
    """
    # A log line that cannot be written (a full disk) is dropped quietly: never a
    # "--- Logging error ---" traceback on the user's terminal.
    logging.raiseExceptions = False
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
        _enable_faulthandler(log_file)
    except OSError as error:
        # A read-only or full data folder: say so once, and go on without a log file.
        if sys.stderr is not None:
            sys.stderr.write(f"LlamaDesk: cannot write the log file {log_file} "
                             f"({error.strerror}); logging to this terminal's stderr "
                             "(warnings only).\n")
        file_handler = logging.StreamHandler(sys.stderr)
        file_handler.setLevel(logging.WARNING)
    else:
        file_handler.setLevel(logging.DEBUG)
    file_handler.setFormatter(logging.Formatter(FORMAT))
    _handlers.append(file_handler)
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        _handlers.append(console)
    for handler in _handlers:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


def _enable_faulthandler(log_file: Path) -> None:
    """A fatal signal (a segfault or an abort in llama.cpp or Qt) writes every thread's
    Python stack into the log, where a bug report can find it."""
    global _fault_file
    stream = log_file.open("a", encoding="utf-8")
    faulthandler.enable(file=stream, all_threads=True)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = stream
