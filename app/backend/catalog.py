"""The catalog of Llama models (resources/catalog.json): what can be downloaded,
what is installed, and whether it fits this machine."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import psutil

from app.backend.errors import LlamaDeskError

CATALOG_FORMAT = "llamadesk-catalog"
CATALOG_VERSION = 1
OVERHEAD_BYTES = 400 << 20  # compute buffers, the app itself
Fit = Literal["fits", "tight", "too big"]


class CatalogError(LlamaDeskError):
    pass


@dataclass(frozen=True)
class Quant:
    name: str
    files: tuple[str, ...]  # one file, or the parts of a split GGUF in order
    size_bytes: int  # approximate; the Hub's exact size is used at download time


@dataclass(frozen=True)
class CatalogModel:
    id: str
    name: str
    family: str
    parameters_b: float
    repo: str
    gated: bool
    license: str
    context: int
    layers: int
    kv_heads: int
    head_dim: int
    default_quant: str
    quants: dict[str, Quant]
    builtin: bool = False

    def quant(self, name: str | None) -> Quant:
        chosen = name or self.default_quant
        if chosen not in self.quants:
            raise CatalogError(f"{self.name} comes in {', '.join(self.quants)}, not {chosen!r}.")
        return self.quants[chosen]

    def kv_cache_bytes(self, context: int) -> int:
        """f16 keys and values for every layer and position of the context."""
        return 2 * self.layers * context * self.kv_heads * self.head_dim * 2

    def installed(self, models: Path) -> dict[str, Path]:
        """Installed quantisations: name -> the file to load (the first part if split)."""
        found = {}
        for name, quant in self.quants.items():
            paths = [models / Path(f).name for f in quant.files]
            if all(p.is_file() for p in paths):
                found[name] = paths[0]
        return found


def catalog_path() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return base / "resources" / "catalog.json"


def load_catalog(path: Path | None = None) -> list[CatalogModel]:
    path = path or catalog_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogError(f"The model catalog {path} cannot be read: {error}") from None
    if data.get("format") != CATALOG_FORMAT or data.get("version") != CATALOG_VERSION:
        raise CatalogError(f"{path} is not a version-{CATALOG_VERSION} LlamaDesk catalog.")
    return [_model(entry) for entry in data["models"]]


def _model(entry: dict[str, Any]) -> CatalogModel:
    quants = {}
    for name, raw in entry["quants"].items():
        files = tuple(raw["files"]) if "files" in raw else (raw["file"],)
        quants[name] = Quant(name, files, int(float(raw["size_gb"]) * 1e9))
    arch = entry["arch"]
    model = CatalogModel(
        id=entry["id"], name=entry["name"], family=entry["family"],
        parameters_b=float(entry["parameters_b"]), repo=entry["repo"],
        gated=bool(entry["gated"]), license=entry["license"], context=int(entry["context"]),
        layers=int(arch["layers"]), kv_heads=int(arch["kv_heads"]),
        head_dim=int(arch["head_dim"]), default_quant=entry["default_quant"], quants=quants,
        builtin=bool(entry.get("builtin", False)))
    model.quant(None)  # the default must exist
    return model


def find(catalog: list[CatalogModel], model_id: str) -> CatalogModel | None:
    return next((m for m in catalog if m.id == model_id), None)


def memory_needed(model: CatalogModel, quant: str | None, context: int) -> int:
    return model.quant(quant).size_bytes + model.kv_cache_bytes(
        min(context, model.context)) + OVERHEAD_BYTES


def fit(needed: int, available: int | None = None) -> Fit:
    """Against free memory (RAM; VRAM counts too once a GPU build reports it)."""
    free = psutil.virtual_memory().available if available is None else available
    if needed <= free * 0.8:
        return "fits"
    if needed <= free:
        return "tight"
    return "too big"
