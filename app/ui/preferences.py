"""Edit > Preferences…: the app's own settings and what new chats start from, as form
fields made from the settings schema (app/backend/schema.py), like the side panel's."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.schema import BY_NAME, CHAT_KEYS, default
from app.ui.app_settings import AppSettings
from app.ui.hub_token_dialog import HubTokenDialog
from app.ui.i18n import setting_text, tr
from app.ui.messages import MessageTarget
from app.ui.setting_widgets import SettingEditor, editor_for

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Appearance", ("theme", "font_size")),
    ("Running models", ("threads", "prompt_lookup", "hub_endpoint")),
    ("New chats start from", ("system_prompt", *CHAT_KEYS)),
)


def group_title(name: str) -> str:
    return {"Appearance": tr("Appearance"), "Running models": tr("Running models"),
            "New chats start from": tr("New chats start from")}[name]


class PreferencesDialog(QDialog):
    def __init__(self, app_settings: AppSettings, target: MessageTarget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Preferences"))
        self.app_settings = app_settings
        self.target = target  # where a wrong value is said
        self.editors: dict[str, SettingEditor] = {}
        layout = QVBoxLayout(self)
        for title, names in GROUPS:
            box = QGroupBox(group_title(title))
            form = QFormLayout(box)
            for name in names:
                editor = editor_for(BY_NAME[name], box)
                form.addRow(setting_text(BY_NAME[name].label), editor)
                self.editors[name] = cast(SettingEditor, editor)
            if "hub_endpoint" in names:
                self.token_button = QPushButton(tr("Hub token…"))
                self.token_button.setToolTip(tr("Set or remove your Hugging Face token (kept "
                                                "in the OS keyring)"))
                self.token_button.clicked.connect(self.edit_hub_token)
                form.addRow(tr("Hub token"), self.token_button)
            layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)
        layout.addWidget(buttons)
        self.show_values()

    def edit_hub_token(self) -> HubTokenDialog:
        dialog = HubTokenDialog(self)
        dialog.open()
        return dialog

    def show_values(self) -> None:
        settings = self.app_settings.settings
        for name, editor in self.editors.items():
            editor.set_setting_value(settings.value(name))

    def restore_defaults(self) -> None:
        for name, editor in self.editors.items():
            editor.set_setting_value(default(name))

    def values(self) -> dict[str, Any]:
        return {name: editor.setting_value() for name, editor in self.editors.items()}

    def accept(self) -> None:
        """Save what changed (a wrong value is said, and the dialog stays open)."""
        settings = self.app_settings.settings
        changed = {name: value for name, value in self.values().items()
                   if value != settings.value(name)}
        if not changed or self.app_settings.update(changed, self.target):
            super().accept()
