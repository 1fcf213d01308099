"""The Models menu: the catalog by family (installed models switch, the others
download), GPU offload for the loaded model, adding a GGUF file, the Hub.

The dialogs (``ask_*``) are seams that tests replace.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from app.backend.catalog import CatalogModel, fit, free_memory, load_catalog, memory_needed
from app.backend.errors import LlamaDeskError
from app.backend.models import ModelChoice, add_local_model, builtin_model_path_or_none
from app.backend.schema import BY_NAME
from app.ui.app_settings import AppSettings
from app.ui.i18n import number, setting_text, shown, tr
from app.ui.messages import WindowMessages
from app.ui.model_controller import ModelController
from app.ui.remote_menu import RemoteEnginesMenu
from app.ui.worker import RemoteModelsHost

if TYPE_CHECKING:
    from app.ui.hub_token_dialog import HubTokenDialog

AUTOMATIC, ALL_LAYERS, CPU_ONLY = -1, 999, 0


class ModelsMenu(QMenu):
    model_chosen = Signal(object)  # ModelChoice
    gpu_layers_chosen = Signal(int)
    download_requested = Signal(str, str)  # catalog model id, quantisation
    downloads_requested = Signal()  # show the download manager
    hub_repo_requested = Signal(str)  # list this repository's GGUF files

    def __init__(self, models: ModelController, app_settings: AppSettings,
                 messages: WindowMessages, models_dir: Path | None,
                 parent: QWidget | None = None,
                 remote_models: RemoteModelsHost | None = None) -> None:
        super().__init__(tr("&Models"), parent)
        self.models = models
        self.app_settings = app_settings
        self.messages = messages
        self.models_dir = models_dir
        self.remote = RemoteEnginesMenu(
            app_settings, remote_models, messages,
            lambda: installed_models(self.models_dir, None),
            lambda: self.models.loaded_path, parent)
        self.remote.model_chosen.connect(self.model_chosen)
        self.aboutToShow.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        """The catalog by family: installed models switch, the others download."""
        self.clear()
        try:
            catalog = load_catalog()
        except LlamaDeskError as error:
            self.addAction(shown(error)).setEnabled(False)
            catalog = []
        current = self.models.loaded_path
        self._fill_installed(self.addMenu(tr("Installed models")), current)
        self.addSeparator()
        context = self.app_settings.settings.load.context_size
        free = free_memory()  # read once for the menu, not twice per quantisation
        families: dict[str, QMenu] = {}
        for entry in catalog:
            family = families.get(entry.family) or self.addMenu(entry.family)
            families[entry.family] = family
            installed = {entry.default_quant: builtin_model_path_or_none()} if entry.builtin \
                else entry.installed(self.models_dir) if self.models_dir else {}
            for quant_name, quant in entry.quants.items():
                needed = memory_needed(entry, quant_name, context)
                fits = fit(needed, free)
                label = (f"{entry.name} {quant_name} · "
                         + tr("{size} GB").format(size=number(quant.size_bytes / 1e9, 1))
                         + f" · {fit_label(fits)}")
                path = installed.get(quant_name)
                if path is None and fits == "too big":
                    # Not a dead end: another machine, or several, can run it.
                    action = family.addAction(label + " · " + tr("Run on other machines…"))
                    action.triggered.connect(
                        lambda _checked=False, e=entry, q=quant_name: self.too_big(e, q))
                elif path is not None:
                    action = family.addAction(label)
                    action.setCheckable(True)
                    action.setChecked(str(path) == current)
                    choice = ModelChoice(f"{entry.id}:{quant_name}",
                                         entry.name + ("" if entry.builtin else f" {quant_name}"),
                                         path)
                    action.triggered.connect(
                        lambda _checked=False, m=choice: self.model_chosen.emit(m))
                else:
                    action = family.addAction(label + " · " + tr("Download…"))
                    action.triggered.connect(
                        lambda _checked=False, i=entry.id, q=quant_name:
                        self.download_requested.emit(i, q))
        self.addSeparator()
        self.addMenu(self.remote)
        self._fill_gpu_menu(self.addMenu(tr("GPU offload for this model")))
        self.addAction(tr("Add a GGUF file…"), self.add_model_file)
        self.addAction(tr("Open from the Hub…"), self.open_from_hub)
        self.addAction(tr("Downloads…"), self.downloads_requested.emit)
        self.addAction(tr("Hub token…"), self.edit_hub_token)

    def _fill_installed(self, menu: QMenu, current: str | None) -> None:
        """Every model on this computer: the built-in one, every GGUF in the models folder
        (catalog downloads and files added with *Add a GGUF file…*), and the one in use."""
        files = installed_models(self.models_dir, current)
        for path in files:
            size = path.stat().st_size if path.exists() else 0
            action = menu.addAction(f"{path.name} · "
                                    + tr("{size} GB").format(size=number(size / 1e9, 2)))
            action.setCheckable(True)
            action.setChecked(str(path) == current)
            action.setToolTip(str(path))
            choice = ModelChoice(str(path), path.stem, path)
            action.triggered.connect(lambda _checked=False, m=choice: self.model_chosen.emit(m))
        if not files:
            menu.addAction(tr("No models installed yet")).setEnabled(False)

    def too_big(self, entry: CatalogModel, quant: str) -> None:
        """A model this computer cannot hold: a remote engine, workers, or the download."""
        answer = self.ask_too_big(f"{entry.name} {quant}")
        if answer == "download":
            self.download_requested.emit(entry.id, quant)
        elif answer in ("remote", "split"):
            self.remote.add_engine(split=answer == "split")

    def ask_too_big(self, name: str) -> str:
        """"remote", "split", "download" or ""; tests replace this method."""
        from app.ui.remote_engine_dialog import ask_where_to_run  # dialogs: when first used

        return ask_where_to_run(name, self.parentWidget())

    def _fill_gpu_menu(self, menu: QMenu) -> None:
        path = self.models.loaded_path
        current = self.app_settings.settings.load_options(path).gpu_layers
        setting = BY_NAME["gpu_layers"]
        for layers, label in ((AUTOMATIC, tr("Automatic (all layers; the CPU if that fails)")),
                              (ALL_LAYERS, tr("All layers (no CPU fallback)")),
                              (CPU_ONLY, tr("None (CPU only)"))):
            assert setting.special_label(layers) is not None  # the schema names it
            action = menu.addAction(label)
            action.triggered.connect(
                lambda _checked=False, n=layers: self.gpu_layers_chosen.emit(n))
            action.setCheckable(True)
            action.setChecked(current == layers)
        custom = menu.addAction(tr("A number of layers…"), self._ask_and_choose_gpu_layers)
        custom.setCheckable(True)
        custom.setChecked(current not in (AUTOMATIC, ALL_LAYERS, CPU_ONLY))
        menu.setEnabled(bool(path))

    def _ask_and_choose_gpu_layers(self) -> None:
        layers = self.ask_gpu_layers()
        if layers is not None:
            self.gpu_layers_chosen.emit(layers)

    def ask_gpu_layers(self) -> int | None:
        """A number prompt; tests replace this method."""
        setting = BY_NAME["gpu_layers"]
        layers, ok = QInputDialog.getInt(self.parentWidget(), setting_text(setting.label),
                                         tr("Layers on the GPU:"), 20, 1,
                                         int(setting.maximum or 1))
        return layers if ok else None

    def add_model_file(self) -> None:
        source = self.ask_model_file()
        if source is None or self.models_dir is None:
            return
        with self.messages.guard(tr("add {name}").format(name=source.name)) as attempt:
            target = add_local_model(source, self.models_dir)
        if not attempt.failed:
            self.model_chosen.emit(ModelChoice(str(target), target.stem, target))

    def ask_model_file(self) -> Path | None:
        """An open dialog; tests replace this method."""
        name, _chosen = QFileDialog.getOpenFileName(
            self.parentWidget(), tr("Add a GGUF model"), str(Path.home()),
            tr("GGUF models") + " (*.gguf);;" + tr("All files") + " (*)")
        return Path(name) if name else None

    def open_from_hub(self) -> None:
        repo = self.ask_hub_repo()
        if repo:
            self.hub_repo_requested.emit(repo.strip())

    def ask_hub_repo(self) -> str | None:
        """A text prompt; tests replace this method."""
        text, ok = QInputDialog.getText(self.parentWidget(), tr("Open from the Hub"),
                                        tr("Repository id (owner/name), e.g. {example}:").format(
                                            example="bartowski/Llama-3.2-1B-Instruct-GGUF"))
        return text if ok and text.strip() else None

    def edit_hub_token(self) -> HubTokenDialog:
        from app.ui.hub_token_dialog import HubTokenDialog

        dialog = HubTokenDialog(self.parentWidget())
        dialog.open()
        return dialog


def fit_label(fits: str) -> str:
    """How a model fits this computer's free memory (catalog.fit), in the user's language."""
    return {"fits": tr("fits"), "tight": tr("tight"), "too big": tr("too big")}.get(fits, fits)


SPLIT_PART = re.compile(r"-(\d{5})-of-\d{5}\.gguf$", re.IGNORECASE)


def installed_models(models_dir: Path | None, current: str | None) -> list[Path]:
    """Every model on this computer: the built-in one, the models folder's GGUF files, and
    the one in use (wherever it is)."""
    files = installed_model_files(models_dir)
    builtin = builtin_model_path_or_none()
    if builtin is not None:
        files.insert(0, builtin)
    if current and not current.startswith("remote:") and Path(current) not in files:
        files.append(Path(current))
    return files


def installed_model_files(models_dir: Path | None) -> list[Path]:
    """The GGUF files in the models folder; of a split model, its first part."""
    if models_dir is None:
        return []
    try:
        found = sorted(p for p in models_dir.glob("*.gguf") if p.is_file())
    except OSError:
        return []
    return [p for p in found if (m := SPLIT_PART.search(p.name)) is None or m.group(1) == "00001"]
