"""The side panel: a conversation's system prompt, generation settings and presets.

Its fields are built from the schema (app/backend/schema.py), so they accept every
value the settings accept; the presets and the defaults for a new chat belong to
the app's AppSettings, which every window follows.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.presets import Preset
from app.backend.schema import BY_NAME, CHAT_KEYS
from app.ui.app_settings import AppSettings
from app.ui.i18n import setting_text, tr
from app.ui.messages import MessageTarget
from app.ui.setting_widgets import SettingEditor, TextEditor, editor_for


class ConversationPanel(QWidget):
    changed = Signal()  # the user changed the system prompt or a setting

    def __init__(self, app_settings: AppSettings, target: MessageTarget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_settings = app_settings
        self.target = target
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)

        self.preset_box = QComboBox()
        self.preset_box.setToolTip(tr("Set the system prompt and settings in one click"))
        self.preset_box.setAccessibleName(tr("Preset"))
        self.preset_box.setAccessibleDescription(self.preset_box.toolTip())
        self.preset_box.activated.connect(self._on_preset_chosen)
        layout.addWidget(QLabel(tr("Preset")))
        layout.addWidget(self.preset_box)

        prompt = BY_NAME["system_prompt"]
        layout.addWidget(QLabel(setting_text(prompt.label)))
        self.system_prompt = cast(TextEditor, editor_for(prompt))
        self.system_prompt.setPlaceholderText(
            tr("Instructions the model keeps for the whole chat"))
        self.system_prompt.setObjectName("system-prompt")
        self.system_prompt.on_change(self._on_edited)
        layout.addWidget(self.system_prompt, 1)

        form = QFormLayout()
        self.fields: dict[str, Any] = {}
        for name in CHAT_KEYS:
            editor = editor_for(BY_NAME[name])
            cast(SettingEditor, editor).on_change(self._on_edited)
            form.addRow(setting_text(BY_NAME[name].label), editor)
            self.fields[name] = editor
        layout.addLayout(form)

        row = QHBoxLayout()
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText(tr("Name"))
        self.preset_name.setAccessibleName(tr("Name of the new preset"))
        self.save_preset_button = QPushButton(tr("Save as preset"))
        self.save_preset_button.clicked.connect(self.save_preset)
        row.addWidget(self.preset_name, 1)
        row.addWidget(self.save_preset_button)
        layout.addLayout(row)
        self._loading = False
        self._fill_presets(app_settings.presets)
        app_settings.presets_changed.connect(self._fill_presets)
        self.show_defaults()

    @property
    def presets(self) -> tuple[Preset, ...]:
        return self.app_settings.presets

    def show_defaults(self) -> None:
        """What a new chat starts with."""
        defaults = self.app_settings.settings
        self.set_values(defaults.system_prompt, defaults.conversation_defaults())

    def set_values(self, system_prompt: str, settings: dict[str, Any]) -> None:
        """Show a conversation's values (its own, else the defaults) without a signal."""
        self._loading = True
        try:
            self.system_prompt.set_setting_value(system_prompt)
            merged = self.app_settings.settings.chat_values(settings)
            for name, editor in self.fields.items():
                cast(SettingEditor, editor).set_setting_value(merged[name])
        finally:
            self._loading = False

    def values(self) -> tuple[str, dict[str, Any]]:
        settings = {name: cast(SettingEditor, editor).setting_value()
                    for name, editor in self.fields.items()}
        return self.system_prompt.setting_value(), settings

    def apply_preset(self, preset: Preset) -> None:
        self.set_values(preset.system_prompt, {
            **self.app_settings.settings.conversation_defaults(), **preset.settings})
        self.changed.emit()

    def save_preset(self) -> None:
        name = " ".join(self.preset_name.text().split())
        if not name:
            self.preset_name.setFocus()
            return
        system_prompt, settings = self.values()
        if self.app_settings.save_preset(name, system_prompt, settings, self.target):
            self.preset_name.clear()

    def detach(self) -> None:
        """The window closes: stop following the app's presets."""
        self.app_settings.presets_changed.disconnect(self._fill_presets)

    def _fill_presets(self, presets: tuple[Preset, ...]) -> None:
        self.preset_box.clear()
        self.preset_box.addItem(tr("Choose a preset…"))
        for preset in presets:
            self.preset_box.addItem(preset.name + ("" if preset.builtin else " " + tr("(yours)")))

    def _on_preset_chosen(self, index: int) -> None:
        if index > 0:
            self.apply_preset(self.presets[index - 1])
        self.preset_box.setCurrentIndex(0)

    def _on_edited(self) -> None:
        if not self._loading:
            self.changed.emit()
