"""The one owner of the settings and the presets while the app runs.

Windows never keep a copy of their own: they read ``settings`` when they need a
value and follow ``changed`` / ``presets_changed``.  A change is validated by the
schema, written to the file (only the keys that changed, see
``update_settings_file``) and announced to every window at once, so one window
can no longer overwrite what another one saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.backend.presets import Preset, load_presets, save_user_presets
from app.backend.schema import CHAT_KEYS, validate
from app.backend.settings import Settings, update_settings_file
from app.ui.i18n import shown, tr
from app.ui.messages import MessageFunnel, MessageTarget


class AppSettings(QObject):
    changed = Signal(object)  # Settings
    presets_changed = Signal(object)  # tuple[Preset, ...]

    def __init__(self, settings: Settings, messages: MessageFunnel,
                 settings_file: Path | None = None, presets_file: Path | None = None) -> None:
        super().__init__()
        self._settings = settings
        self.messages = messages
        self.settings_file = settings_file
        self.presets_file = presets_file
        for problem in settings.problems:
            messages.warning(problem)
        presets, problems = load_presets(presets_file) if presets_file else ([], [])
        for problem in problems:
            messages.warning(problem)
        self._presets = tuple(presets)

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def presets(self) -> tuple[Preset, ...]:
        return self._presets

    def update(self, values: Mapping[str, Any], target: MessageTarget | None = None) -> bool:
        """Validate, apply, save and announce; False (with a message) if a value is wrong.

        A value that cannot be saved still applies until the app closes, and the
        message says so.
        """
        valid, problems = validate(values)
        if problems:
            self.messages.error(" ".join(map(shown, problems)), target)
            return False
        self._settings = self._settings.with_values(valid)
        if self.settings_file is not None:
            with self.messages.guard(tr("save the settings"), target):
                update_settings_file(self.settings_file, valid)
        self.changed.emit(self._settings)
        return True

    def set_gpu_layers(self, model_path: str, layers: int,
                       target: MessageTarget | None = None) -> bool:
        """The GPU offload of one model file."""
        return self.update({"gpu_layers_per_model": {
            **self._settings.gpu_layers_per_model, model_path: layers}}, target)

    def save_preset(self, name: str, system_prompt: str, values: Mapping[str, Any],
                    target: MessageTarget | None = None) -> bool:
        """Add a preset of the user's (replacing theirs of the same name)."""
        valid, problems = validate({k: v for k, v in values.items() if k in CHAT_KEYS})
        if problems:
            self.messages.error(" ".join(map(shown, problems)), target)
            return False
        preset = Preset(name, system_prompt, valid)
        presets = (*(p for p in self._presets if p.builtin or p.name != name), preset)
        return self._set_presets(presets, target)

    def delete_preset(self, name: str, target: MessageTarget | None = None) -> bool:
        presets = tuple(p for p in self._presets if p.builtin or p.name != name)
        return self._set_presets(presets, target)

    def _set_presets(self, presets: tuple[Preset, ...], target: MessageTarget | None) -> bool:
        if self.presets_file is not None:
            with self.messages.guard(tr("save the presets"), target) as attempt:
                save_user_presets(list(presets), self.presets_file)
            if attempt.failed:
                return False
        self._presets = presets
        self.presets_changed.emit(presets)
        return True
