"""The one owner of "which model is loaded": every window shares it.

Loads go through the engine host (app/ui/worker.py); the state here (no model,
loading, ready) is what every window's Send button follows, so a switch made in
one window disables sending everywhere until the new model is ready.  A crash
marker written before each load keeps a model that crashed the app from being
loaded automatically again.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.backend.engine import ModelFacts
from app.backend.errors import LlamaDeskError
from app.backend.files import atomic_write_text
from app.backend.models import ModelChoice, builtin_model
from app.ui.answer_session import State
from app.ui.app_settings import AppSettings
from app.ui.i18n import shown, tr
from app.ui.messages import MessageFunnel, MessageTarget
from app.ui.worker import EngineHost, LoadedModel, LoadRequest


class ModelController(QObject):
    state_changed = Signal(object)  # State: NO_MODEL, LOADING or READY
    loaded = Signal(object)  # LoadedModel
    facts_changed = Signal(object)  # ModelFacts: after a load or a context change
    progressed = Signal(float)

    def __init__(self, host: EngineHost, app_settings: AppSettings, messages: MessageFunnel,
                 choice: ModelChoice | None, crash_marker: Path | None = None) -> None:
        super().__init__()
        self.host = host
        self.app_settings = app_settings
        self.messages = messages
        self.choice = choice
        self.crash_marker = crash_marker
        self.state = State.READY if host.facts is not None else State.NO_MODEL
        self.loaded_name = choice.display_name if choice and host.facts else ""
        self.loading_name = ""
        self._requester: MessageTarget | None = None
        host.model_loaded.connect(self._on_host_model_loaded)
        host.load_failed.connect(self._on_host_load_failed)
        host.load_progressed.connect(self.progressed)
        host.context_resized.connect(self._on_host_context_resized)

    @property
    def facts(self) -> ModelFacts | None:
        return self.host.facts

    @property
    def loaded_path(self) -> str:
        facts = self.host.facts
        return facts.path if facts is not None else ""

    @property
    def model_name(self) -> str:
        """The name answers are stored with."""
        return self.loaded_name or (self.choice.display_name if self.choice else "model")

    def start(self) -> None:
        """Load the chosen model in the background (once, when the app starts).

        A model that was loading when the app last died is not loaded again
        automatically: the built-in one is, and the user is told.
        """
        if self.choice is None:
            return
        crashed = self._crashed_on()
        if crashed and crashed == str(self.choice.path):
            try:
                fallback = builtin_model()
            except LlamaDeskError:
                fallback = None
            if fallback is not None and str(fallback.path) != crashed:
                self.messages.error(
                    tr("LlamaDesk closed unexpectedly while loading {name} last time, so it "
                       "started with the built-in model instead. Choose the model in the "
                       "Models menu to try it again.").format(
                           name=shown(self.choice.display_name)))
                self.choice = fallback
        self._load(self.choice)

    def switch(self, choice: ModelChoice, target: MessageTarget | None = None) -> None:
        """Load ``choice`` in the background; a failure goes back to the model before."""
        self.choice = choice
        self._requester = target
        self._load(choice)

    def set_gpu_layers(self, layers: int, target: MessageTarget | None = None) -> None:
        """Remember the offload for the loaded model's file and load it again with it."""
        path = self.loaded_path
        if not path or self.choice is None:
            return
        self.app_settings.set_gpu_layers(path, layers, target)
        self.switch(ModelChoice(self.choice.id, self.loaded_name, Path(path)), target)

    def _load(self, choice: ModelChoice) -> None:
        self.loading_name = choice.display_name
        self._set_state(State.LOADING)
        if self.crash_marker is not None:
            with self.messages.guard(tr("note which model is loading"), self._requester):
                atomic_write_text(self.crash_marker, json.dumps({"path": str(choice.path)}))
        options = self.app_settings.settings.load_options(str(choice.path))
        self.host.load(LoadRequest(str(choice.path), choice.display_name, options))

    def _crashed_on(self) -> str | None:
        if self.crash_marker is None or not self.crash_marker.exists():
            return None
        try:
            return str(json.loads(self.crash_marker.read_text()).get("path"))
        except (OSError, ValueError, AttributeError):
            return None

    def _clear_crash_marker(self) -> None:
        if self.crash_marker is not None:
            with self.messages.guard(tr("clear the loading note"), self._requester):
                self.crash_marker.unlink(missing_ok=True)

    def _set_state(self, state: State) -> None:
        self.state = state
        self.state_changed.emit(state)

    def _on_host_model_loaded(self, loaded: LoadedModel) -> None:
        self._clear_crash_marker()
        self.loaded_name = loaded.display_name
        notes = [loaded.note, loaded.facts.template_note,
                 tr("Running on the CPU: {reason}.").format(reason=shown(loaded.facts.fallback))
                 if loaded.facts.fallback
                 else None]
        for note in notes:
            if note:
                self.messages.warning(note, self._requester)
        self._requester = None
        self._set_state(State.READY)
        self.loaded.emit(loaded)
        self.facts_changed.emit(loaded.facts)

    def _on_host_load_failed(self, message: str) -> None:
        self._clear_crash_marker()
        self.loaded_name = ""
        self.messages.error(message, self._requester)
        self._requester = None
        self._set_state(State.NO_MODEL)

    def _on_host_context_resized(self, _request_id: int, facts: ModelFacts) -> None:
        self.facts_changed.emit(facts)
