"""File > Export, Export all, Copy as Markdown and Import, for one window.

The file dialogs are seams (``ask_export_path``, ``ask_import_path``) that tests
replace; everything else runs for real, and every failure (of the store, the
disk, a malformed file) becomes a message in the window.

The readers and writers of the file formats (and Qt's PDF writer) are imported when
an action first needs them, not before the window is painted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from app import APP_NAME
from app.backend.store import Store
from app.ui.i18n import tr
from app.ui.messages import WindowMessages


class TransferActions(QObject):
    imported = Signal(list)  # ids of the conversations an import added

    def __init__(self, store: Store, messages: WindowMessages, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self.store = store
        self.messages = messages
        self.dialog_parent = dialog_parent

    def export_all(self) -> None:
        with self.messages.guard(tr("list the conversations")) as attempt:
            ids = [c.id for c in self.store.conversations()]
        if not attempt.failed:
            self.export(ids)

    def export(self, ids: list[int]) -> None:
        """Ask where and in which format, then write (the dialog asks before replacing)."""
        if not ids:
            self.messages.info(tr("There is no conversation to export yet."), timeout_ms=5000)
            return
        from app.backend.exporters import safe_filename
        from app.backend.transcripts import load_transcript
        from app.ui.export import save_export

        with self.messages.guard(tr("export")) as attempt:
            transcripts = [load_transcript(self.store, i) for i in ids]
            title = transcripts[0].title if len(ids) == 1 else f"{APP_NAME} conversations"
            choice = self.ask_export_path(safe_filename(title, ".md"))
            if choice is None:
                return
            path, fmt = choice
            save_export(transcripts, fmt, path, overwrite=True)
        if not attempt.failed:
            self.messages.info((tr("Exported {count} conversations to {path}.") if len(ids) > 1
                                else tr("Exported {count} conversation to {path}.")).format(
                count=len(ids), path=path), timeout_ms=8000)

    def copy_markdown(self, conversation_id: int) -> None:
        from app.backend.exporters import export_text
        from app.backend.transcripts import load_transcript

        with self.messages.guard(tr("copy the conversation")) as attempt:
            text = export_text([load_transcript(self.store, conversation_id)], "md")
        if not attempt.failed:
            QGuiApplication.clipboard().setText(text)
            self.messages.info(tr("Copied the conversation as Markdown."), timeout_ms=4000)

    def import_file(self) -> None:
        path = self.ask_import_path()
        if path is None:
            return
        from app.backend.importers import import_into, read_import

        with self.messages.guard(tr("import {name}").format(name=path.name)) as attempt:
            ids = import_into(self.store, read_import(path))
        if attempt.failed:
            return
        self.messages.info(imported_text(len(ids), path.name), timeout_ms=8000)
        self.imported.emit(ids)

    def ask_export_path(self, suggested: str) -> tuple[Path, str] | None:
        """A save dialog; tests replace this method."""
        from app.backend.transcripts import EXTENSIONS, FORMATS

        filters = {f"{name} (*{EXTENSIONS[fmt]}{' *.json' if fmt == 'json' else ''})": fmt
                   for fmt, name in FORMATS.items()}
        name, chosen = QFileDialog.getSaveFileName(
            self.dialog_parent, tr("Export conversation"), str(Path.home() / suggested),
            ";;".join(filters))
        if not name:
            return None
        fmt = filters.get(chosen, "md")
        path = Path(name)
        if path.suffix.lower() not in (EXTENSIONS[fmt], ".json" if fmt == "json" else ""):
            path = path.with_name(path.name + EXTENSIONS[fmt])
        return path, fmt

    def ask_import_path(self) -> Path | None:
        """An open dialog; tests replace this method."""
        name, _chosen = QFileDialog.getOpenFileName(
            self.dialog_parent, tr("Import conversations"), str(Path.home()),
            tr("Conversations") + " (*.llamadesk *.json);;" + tr("All files") + " (*)")
        return Path(name) if name else None


def imported_text(count: int, name: str) -> str:
    """What the window says after an import from the file ``name``."""
    return (tr("Imported {count} conversation from {name}.") if count == 1
            else tr("Imported {count} conversations from {name}.")).format(count=count, name=name)
