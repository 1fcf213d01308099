"""Saving exports: text formats from app.backend.transcripts, and PDF, which Qt's
text engine lays out and paginates from the HTML transcript."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from app.backend.exporters import export_text, refuse_overwrite, to_html, write_export
from app.backend.files import default_file_mode
from app.backend.transcripts import Transcript, TranscriptError
from app.ui.i18n import tr


def save_export(transcripts: list[Transcript], fmt: str, path: Path,
                overwrite: bool = False) -> None:
    """Write ``transcripts`` to ``path`` in ``fmt``; atomic, never over a file unasked."""
    if fmt == "pdf":
        write_pdf(transcripts, path, overwrite)
    else:
        write_export(path, export_text(transcripts, fmt), overwrite)


def ensure_gui_application() -> None:
    """The command line has no window: Qt's offscreen platform draws the pages."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication([])  # a full application: a window may follow in this process


def write_pdf(transcripts: list[Transcript], path: Path, overwrite: bool = False) -> None:
    refuse_overwrite(path, overwrite)
    ensure_gui_application()
    document = QTextDocument()
    document.setHtml(to_html(transcripts, for_print=True))
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-",
                                             suffix=".pdf")
    except OSError as error:
        raise TranscriptError(tr("Could not write {path}: {error}.").format(
            path=path, error=error.strerror)) from error
    os.close(handle)
    Path(temporary).chmod(default_file_mode())
    try:
        writer = QPdfWriter(temporary)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                         QPageLayout.Orientation.Portrait,
                                         QMarginsF(18, 18, 18, 18),
                                         QPageLayout.Unit.Millimeter))
        writer.setTitle(transcripts[0].title if len(transcripts) == 1 else "Conversations")
        writer.setCreator("LlamaDesk")
        document.print_(writer)
        del writer  # finishes the file
        if Path(temporary).stat().st_size == 0:
            raise TranscriptError(tr("Qt wrote an empty PDF for {name}.").format(name=path.name))
        Path(temporary).replace(path)
    except OSError as error:
        raise TranscriptError(tr("Could not write {path}: {error}.").format(
            path=path, error=error.strerror)) from error
    finally:
        Path(temporary).unlink(missing_ok=True)
