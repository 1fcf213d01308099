"""llama.cpp's own programs, built from the same pinned sources as the bindings.

``llama-server`` runs a model behind llama.cpp's OpenAI-compatible HTTP API (the seam
for one model split across machines with ``--rpc``), ``ggml-rpc-server`` is the worker a
helper machine runs, and ``llama-bench`` is the benchmarks' upper limit.  Setup
(dev.py) builds them once and copies them beside the virtual environment's python;
installers carry them in the bundle's ``llama_tools`` folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.backend.errors import LlamaDeskError
from app.backend.words import said

TOOLS_ENV = "LLAMADESK_TOOLS_DIR"
SERVER = "llama-server"
RPC_WORKER = "ggml-rpc-server"
BENCH = "llama-bench"


class ToolMissingError(LlamaDeskError):
    """A llama.cpp program this feature needs is not installed."""


def _folders() -> list[Path]:
    folders = []
    chosen = os.environ.get(TOOLS_ENV)
    if chosen:
        folders.append(Path(chosen))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle) / "llama_tools")
    folders.append(Path(sys.executable).parent)
    return folders


def find_tool(name: str) -> Path:
    """The path of one of llama.cpp's programs, or ToolMissingError saying what to do."""
    exe = name + (".exe" if os.name == "nt" else "")
    for folder in _folders():
        candidate = folder / exe
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    if getattr(sys, "frozen", False):  # an installed LlamaDesk whose bundle lost it
        raise ToolMissingError(said(
            "llama.cpp's {name} is missing from this LlamaDesk's installation (its "
            "llama_tools folder). Install LlamaDesk again, or point ${variable} at a folder "
            "with a {name} built from llama.cpp's sources.", name=name, variable=TOOLS_ENV))
    raise ToolMissingError(said(
        "llama.cpp's {name} is not installed with this LlamaDesk. Run the setup command from "
        "the README again (python3 dev.py run), which builds it once, or point ${variable} at "
        "a folder that has it.", name=name, variable=TOOLS_ENV))
