"""The catalog of Llama models (resources/catalog.json): what can be downloaded,
what is installed, and whether it fits this machine.

Every file in the catalog is pinned to what was checked on the Hub: the repository
(each quantisation may live in its own), the commit it was checked at, its exact
size and its sha256.  A download is verified against the catalog's own hash, not
only against what the server says that day; ``packaging/check_catalog.py`` asks the
Hub that every pinned file is still there, byte for byte, before a release.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import psutil

from app.backend.errors import LlamaDeskError
from app.backend.words import said

CATALOG_FORMAT = "llamadesk-catalog"
CATALOG_VERSION = 2
OVERHEAD_BYTES = 400 << 20  # compute buffers, the app itself
Fit = Literal["fits", "tight", "too big"]
_SHA256 = re.compile(r"[0-9a-f]{64}")
_COMMIT = re.compile(r"[0-9a-f]{40}")


class CatalogError(LlamaDeskError):
    pass


@dataclass(frozen=True)
class CatalogFile:
    """One file of a quantisation, as it was checked on the Hub."""

    path: str  # inside the repository (may be in a sub-folder)
    size: int  # in bytes
    sha256: str | None  # the LFS sha256; None only for a file not yet pinned
    size_exact: bool = True  # False: read from a rounded figure (fit estimates only)

    @property
    def name(self) -> str:
        """The file's name in the models folder."""
        return Path(self.path).name


@dataclass(frozen=True)
class Quant:
    name: str
    repo: str  # exactly as the Hub displays it
    revision: str | None  # the commit the files were checked at; None: "main", unpinned
    files: tuple[CatalogFile, ...]  # one file, or the parts of a split GGUF in order

    @property
    def size_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def pinned(self) -> bool:
        """Every file known by commit, exact size and sha256."""
        return self.revision is not None and all(f.sha256 and f.size_exact
                                                 for f in self.files)


@dataclass(frozen=True)
class CatalogModel:
    id: str
    name: str
    family: str
    parameters_b: float
    gated: bool
    license: str
    context: int
    layers: int
    kv_heads: int
    head_dim: int
    default_quant: str
    quants: dict[str, Quant]
    builtin: bool = False

    @property
    def repo(self) -> str:
        """The repository of the default quantisation (others may live elsewhere)."""
        return self.quants[self.default_quant].repo

    def quant(self, name: str | None) -> Quant:
        chosen = name or self.default_quant
        if chosen not in self.quants:
            raise CatalogError(said("{name} comes in {quants}, not {chosen!r}.", name=self.name,
                                    quants=", ".join(self.quants), chosen=chosen))
        return self.quants[chosen]

    def kv_cache_bytes(self, context: int) -> int:
        """f16 keys and values for every layer and position of the context."""
        return 2 * self.layers * context * self.kv_heads * self.head_dim * 2

    def installed(self, models: Path) -> dict[str, Path]:
        """Installed quantisations: name -> the file to load (the first part if split)."""
        found = {}
        for name, quant in self.quants.items():
            paths = [models / f.name for f in quant.files]
            if all(p.is_file() for p in paths):
                found[name] = paths[0]
        return found


CATALOG_ENV = "LLAMADESK_CATALOG"  # another catalog: a mirror's, an organisation's


def catalog_path() -> Path:
    chosen = os.environ.get(CATALOG_ENV)
    if chosen:
        return Path(chosen)
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return base / "resources" / "catalog.json"


def load_catalog(path: Path | None = None) -> list[CatalogModel]:
    path = path or catalog_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogError(said("The model catalog {path} cannot be read: {error}", path=path,
                                error=error)) from None
    if not isinstance(data, dict) or data.get("format") != CATALOG_FORMAT \
            or data.get("version") != CATALOG_VERSION:
        raise CatalogError(said("{path} is not a version-{version} LlamaDesk catalog.",
                                path=path, version=CATALOG_VERSION))
    try:
        models = [_model(entry) for entry in data["models"]]
    except (KeyError, TypeError, ValueError) as error:
        # the detail is the catalog's own fault, for whoever wrote it: repr, untranslated
        raise CatalogError(said("The model catalog {path} is malformed: {detail}", path=path,
                                detail=repr(error))) from None
    ids = [m.id for m in models]
    if len(set(ids)) != len(ids):
        raise CatalogError(said("The model catalog {path} lists a model twice.", path=path))
    return models


def _model(entry: dict[str, Any]) -> CatalogModel:
    quants = {name: _quant(name, raw, entry.get("repo")) for name, raw in entry["quants"].items()}
    arch = entry["arch"]
    model = CatalogModel(
        id=entry["id"], name=entry["name"], family=entry["family"],
        parameters_b=float(entry["parameters_b"]), gated=bool(entry["gated"]),
        license=entry["license"], context=int(entry["context"]),
        layers=int(arch["layers"]), kv_heads=int(arch["kv_heads"]),
        head_dim=int(arch["head_dim"]), default_quant=entry["default_quant"], quants=quants,
        builtin=bool(entry.get("builtin", False)))
    model.quant(None)  # the default must exist
    return model


def _quant(name: str, raw: dict[str, Any], default_repo: str | None) -> Quant:
    repo = raw.get("repo") or default_repo
    if not isinstance(repo, str) or repo.count("/") != 1:
        raise ValueError(f"{name}: no repository")
    revision = raw.get("revision")
    if revision is not None and not _COMMIT.fullmatch(revision):
        raise ValueError(f"{name}: revision {revision!r} is not a commit id")
    files = []
    for item in raw["files"]:
        size, sha256 = item["size"], item.get("sha256")
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise ValueError(f"{name}: {item['path']} has no size")
        if sha256 is not None and not _SHA256.fullmatch(sha256):
            raise ValueError(f"{name}: {item['path']} has a malformed sha256")
        files.append(CatalogFile(str(item["path"]), size, sha256,
                                 bool(item.get("size_exact", True))))
    if not files:
        raise ValueError(f"{name}: no files")
    return Quant(name, repo, revision, tuple(files))


def find(catalog: list[CatalogModel], model_id: str) -> CatalogModel | None:
    return next((m for m in catalog if m.id == model_id), None)


def memory_needed(model: CatalogModel, quant: str | None, context: int) -> int:
    return model.quant(quant).size_bytes + model.kv_cache_bytes(
        min(context, model.context)) + OVERHEAD_BYTES


def free_memory() -> int:
    """What ``fit`` measures against: available RAM, in bytes."""
    return int(psutil.virtual_memory().available)


def fit(needed: int, available: int | None = None) -> Fit:
    """Against free memory (RAM; VRAM counts too once a GPU build reports it)."""
    free = free_memory() if available is None else available
    if needed <= free * 0.8:
        return "fits"
    if needed <= free:
        return "tight"
    return "too big"
