"""The toolbar's model picker: the installed models, the one in use chosen; picking
another switches to it (as the Models menu does)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.ui.i18n import tr
from app.ui.models_menu import installed_models
from app.ui.remote_menu import choice_for


class ModelPicker(QComboBox):
    model_chosen = Signal(object)  # ModelChoice

    def __init__(self, models_dir: Path | None, parent: QWidget | None = None,
                 remote_items: Callable[[], list[tuple[str, str]]] = list) -> None:
        super().__init__(parent)
        self.models_dir = models_dir
        self.remote_items = remote_items  # (reference, label) of the remote engines' models
        self.setAccessibleName(tr("Model"))
        self.setToolTip(tr("The model that answers; the Models menu has the catalog"))
        self.setMinimumContentsLength(18)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._filling = False
        self.activated.connect(self._on_activated)

    def fill(self, current: str | None) -> None:
        """List the installed models now (files come and go), the one in use chosen."""
        self._filling = True
        try:
            self.clear()
            for path in installed_models(self.models_dir, current):
                self.addItem(path.stem, str(path))
                self.setItemData(self.count() - 1, str(path), 3)  # Qt.ToolTipRole
            remote = self.remote_items()
            if remote:
                self.insertSeparator(self.count())
            for ref, label in remote:
                self.addItem(label, ref)
                self.setItemData(self.count() - 1, ref, 3)
            index = self.findData(current) if current else -1
            if index < 0 and current is None:
                self.insertItem(0, tr("No model loaded"), None)
                index = 0
            self.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        self.fill(self.currentData())
        super().showPopup()

    def _on_activated(self, index: int) -> None:
        path = self.itemData(index)
        if not self._filling and path:
            self.model_chosen.emit(choice_for(path))
