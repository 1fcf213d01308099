"""The side panel: a conversation's system prompt, generation settings and presets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.backend.presets import Preset, load_presets, save_user_presets
from app.backend.settings import Settings

RANDOM_SEED = -1


class ConversationPanel(QWidget):
    changed = Signal()  # the user changed the system prompt or a setting

    def __init__(self, defaults: Settings, presets_file: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.defaults = defaults
        self.presets_file = presets_file
        self.presets, self.problems = load_presets(presets_file)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)

        self.preset_box = QComboBox()
        self.preset_box.setToolTip("Set the system prompt and settings in one click")
        self._fill_presets()
        self.preset_box.activated.connect(self._on_preset_chosen)
        layout.addWidget(QLabel("Preset"))
        layout.addWidget(self.preset_box)

        layout.addWidget(QLabel("System prompt"))
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setPlaceholderText("Instructions the model keeps for the whole chat")
        self.system_prompt.setObjectName("system-prompt")
        self.system_prompt.textChanged.connect(self._on_edited)
        layout.addWidget(self.system_prompt, 1)

        form = QFormLayout()
        self.fields: dict[str, QSpinBox | QDoubleSpinBox] = {
            "temperature": _double(0, 5, 0.05),
            "top_p": _double(0.01, 1, 0.01),
            "top_k": _int(0, 1000),
            "min_p": _double(0, 1, 0.01),
            "repeat_penalty": _double(0.5, 3, 0.05),
            "max_tokens": _int(1, 1 << 20),
            "context_size": _int(256, 1 << 20),
            "seed": _int(RANDOM_SEED, 2**31 - 1),
        }
        seed = self.fields["seed"]
        assert isinstance(seed, QSpinBox)
        seed.setSpecialValueText("random")
        labels = {"temperature": "Temperature", "top_p": "Top p", "top_k": "Top k",
                  "min_p": "Min p", "repeat_penalty": "Repeat penalty",
                  "max_tokens": "Max tokens", "context_size": "Context length",
                  "seed": "Seed"}
        for name, box in self.fields.items():
            box.setObjectName(f"setting-{name}")
            box.valueChanged.connect(self._on_edited)
            form.addRow(labels[name], box)
        layout.addLayout(form)

        row = QHBoxLayout()
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText("Name")
        self.save_preset_button = QPushButton("Save as preset")
        self.save_preset_button.clicked.connect(self.save_preset)
        row.addWidget(self.preset_name, 1)
        row.addWidget(self.save_preset_button)
        layout.addLayout(row)
        self._loading = False
        self.set_values(defaults.system_prompt, defaults.conversation_defaults())

    def set_values(self, system_prompt: str, settings: dict[str, Any]) -> None:
        """Show a conversation's values (its own, else the defaults) without a signal."""
        self._loading = True
        try:
            if self.system_prompt.toPlainText() != system_prompt:
                self.system_prompt.setPlainText(system_prompt)
            merged = {**self.defaults.conversation_defaults(), **settings}
            for name, box in self.fields.items():
                value = merged.get(name)
                box.setValue(RANDOM_SEED if value is None else value)
        finally:
            self._loading = False

    def values(self) -> tuple[str, dict[str, Any]]:
        settings: dict[str, Any] = {name: box.value() for name, box in self.fields.items()}
        if settings["seed"] == RANDOM_SEED:
            settings["seed"] = None
        return self.system_prompt.toPlainText(), settings

    def apply_preset(self, preset: Preset) -> None:
        merged = {**self.defaults.conversation_defaults(), **preset.settings}
        self.set_values(preset.system_prompt, merged)
        self.changed.emit()

    def save_preset(self) -> None:
        name = " ".join(self.preset_name.text().split())
        if not name:
            self.preset_name.setFocus()
            return
        system_prompt, settings = self.values()
        self.presets = [p for p in self.presets if p.builtin or p.name != name]
        self.presets.append(Preset(name, system_prompt, settings))
        save_user_presets(self.presets, self.presets_file)
        self.preset_name.clear()
        self._fill_presets()

    def _fill_presets(self) -> None:
        self.preset_box.clear()
        self.preset_box.addItem("Choose a preset…")
        for preset in self.presets:
            self.preset_box.addItem(preset.name + ("" if preset.builtin else " (yours)"))

    def _on_preset_chosen(self, index: int) -> None:
        if index > 0:
            self.apply_preset(self.presets[index - 1])
        self.preset_box.setCurrentIndex(0)

    def _on_edited(self) -> None:
        if not self._loading:
            self.changed.emit()


def _double(low: float, high: float, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(2)
    return box


def _int(low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    return box
