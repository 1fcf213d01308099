"""Models > Remote engines: each engine's models (read from the server in the
background), adding and removing engines, and splitting a model across workers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from app.backend import keychain
from app.backend.engines import EngineSpec, engine_ref, engine_specs
from app.backend.models import ModelChoice, remote_choice
from app.ui.app_settings import AppSettings
from app.ui.i18n import shown, tr
from app.ui.messages import WindowMessages
from app.ui.worker import RemoteModelsHost

MAX_SHOWN_ERROR = 160


def remote_items(app_settings: AppSettings, remote_models: RemoteModelsHost | None,
                 local_files: Callable[[], list[Path]]) -> list[tuple[str, str]]:
    """(reference, label) of every model the remote engines offer, as last read; for a
    split, this computer's model files."""
    items = []
    for spec in engine_specs(app_settings.settings.remote_engines):
        if spec.split:
            for path in local_files():
                items.append((engine_ref(spec.name, str(path)), f"{path.stem} · {spec.name}"))
            continue
        listing = remote_models.listings.get(spec.name) if remote_models else None
        for model in listing.models if listing else ():
            items.append((engine_ref(spec.name, model), f"{Path(model).name} · {spec.name}"))
    return items


class RemoteEnginesMenu(QMenu):
    model_chosen = Signal(object)  # ModelChoice

    def __init__(self, app_settings: AppSettings, remote_models: RemoteModelsHost | None,
                 messages: WindowMessages, local_files: Callable[[], list[Path]],
                 current: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(tr("Remote engines"), parent)
        self.app_settings = app_settings
        self.remote_models = remote_models
        self.messages = messages
        self.local_files = local_files
        self.current = current
        self.aboutToShow.connect(self.fill)
        self.fill()

    @property
    def specs(self) -> list[EngineSpec]:
        return engine_specs(self.app_settings.settings.remote_engines)

    def fill(self) -> None:
        self.clear()
        current = self.current()
        for spec in self.specs:
            menu = self.addMenu(f"{spec.name} · {shown(spec.summary)}")
            if spec.split:
                files = self.local_files()
                for path in files:
                    self._add_model(menu, engine_ref(spec.name, str(path)),
                                    tr("Split {name} across {count} workers").format(
                                        name=path.name, count=len(spec.workers)),
                                    current)
                if not files:
                    menu.addAction(tr("No model files on this computer")).setEnabled(False)
            else:
                listing = self.remote_models.listings.get(spec.name) \
                    if self.remote_models else None
                if listing is None or listing.pending:
                    menu.addAction(tr("Asking the server for its models…")).setEnabled(False)
                elif listing.error:
                    error_text = listing.error if len(listing.error) <= MAX_SHOWN_ERROR \
                        else listing.error[:MAX_SHOWN_ERROR] + "…"
                    failed = menu.addAction(error_text)
                    failed.setEnabled(False)
                    failed.setToolTip(listing.error)
                elif not listing.models:
                    menu.addAction(tr("It offers no models")).setEnabled(False)
                for model in listing.models if listing else ():
                    self._add_model(menu, engine_ref(spec.name, model), model, current)
            menu.addSeparator()
            menu.addAction(tr("Remove {name}").format(name=spec.name),
                           functools.partial(self.remove_engine, spec.name))
        if self.specs:
            self.addSeparator()
            self.addAction(tr("Read the model lists again"), self.refresh)
        self.addAction(tr("Add a remote engine…"), lambda: self.add_engine(split=False))
        self.addAction(tr("Split a model across workers…"), lambda: self.add_engine(split=True))

    def _add_model(self, menu: QMenu, ref: str, label: str, current: str) -> None:
        action = menu.addAction(label)
        action.setCheckable(True)
        action.setChecked(str(Path(ref)) == str(Path(current)) if current else False)
        action.setToolTip(ref)
        choice = remote_choice(ref)
        action.triggered.connect(lambda _checked=False, m=choice: self.model_chosen.emit(m))

    def refresh(self) -> None:
        if self.remote_models is not None:
            self.remote_models.refresh(self.specs)

    def add_engine(self, split: bool) -> bool:
        answer = self.ask_engine(split)
        if answer is None:
            return False
        spec, key = answer
        kept = [s for s in self.specs if s.name != spec.name] + [spec]
        if not self.app_settings.update({"remote_engines": [s.to_setting() for s in kept]},
                                        self.messages.target):
            return False
        if key:
            note = keychain.set_engine_key(spec.name, key)
            if note:
                self.messages.warning(note)
        self.refresh()
        return True

    def ask_engine(self, split: bool) -> tuple[EngineSpec, str] | None:
        """The dialog; tests replace this method."""
        from app.ui.remote_engine_dialog import RemoteEngineDialog  # dialogs: when first used

        dialog = RemoteEngineDialog(split, [s.name for s in self.specs], self.parentWidget())
        if dialog.exec() != RemoteEngineDialog.DialogCode.Accepted or dialog.spec is None:
            return None
        return dialog.spec, dialog.api_key

    def remove_engine(self, name: str) -> None:
        kept = [s for s in self.specs if s.name != name]
        if self.app_settings.update({"remote_engines": [s.to_setting() for s in kept]},
                                    self.messages.target):
            keychain.set_engine_key(name, None)
            self.refresh()


def choice_for(ref_or_path: str) -> ModelChoice:
    """What a picked item stands for: a remote model, or a file here."""
    if ref_or_path.startswith("remote:"):
        return remote_choice(ref_or_path)
    return ModelChoice(ref_or_path, Path(ref_or_path).stem, Path(ref_or_path))
