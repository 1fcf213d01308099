"""Files attached to the message being written: a row of chips above the message box
(the name, and a button to take it off), filled by the Attach button or by dropping
files on the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from app.backend.attachments import Attachment, AttachmentError, read_attachment
from app.ui.i18n import number, shown, tr
from app.ui.icons import icon
from app.ui.messages import WindowMessages


class AttachmentsBar(QWidget):
    changed = Signal()

    def __init__(self, messages: WindowMessages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = messages
        self.attachments: list[Attachment] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 0, 12, 0)
        self._layout.addStretch(1)
        self.chips: list[QToolButton] = []
        self.hide()

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                attachment = read_attachment(path)
            except AttachmentError as error:
                self.messages.error(shown(error))
                continue
            self.attachments.append(attachment)
        self._show_chips()
        self.changed.emit()

    def clear(self) -> None:
        self.attachments = []
        self._show_chips()
        self.changed.emit()

    def remove(self, index: int) -> None:
        del self.attachments[index]
        self._show_chips()
        self.changed.emit()

    def _show_chips(self) -> None:
        for chip in self.chips:
            chip.deleteLater()
        self.chips = []
        for index, attachment in enumerate(self.attachments):
            chip = QToolButton(self)
            chip.setText(f"{attachment.name}  \u2715")
            chip.setIcon(icon("attach"))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            lines = attachment.text.count("\n") + 1
            chip.setToolTip(tr("{name}: {characters} characters, {lines} lines. Click to take "
                               "it off the message.").format(
                name=attachment.name, characters=number(len(attachment.text)),
                lines=number(lines)))
            chip.setAccessibleName(tr("Attached file {name}: remove").format(
                name=attachment.name))
            chip.clicked.connect(lambda _checked=False, i=index: self.remove(i))
            self._layout.insertWidget(index, chip)
            self.chips.append(chip)
        self.setVisible(bool(self.attachments))
