"""PySide6 reads the source of every module imported after it, and keeps it.

For its ``from __feature__ import ...`` switches, PySide6 (shibokensupport/feature.py)
asks of each newly imported module whether it uses PySide6, by searching its source
for the word: ``inspect.getsource(module)``, which reads the file through ``linecache``
and leaves every line of it in ``linecache.cache`` for the life of the process.  In
LlamaDesk that is every module after the first Qt import: the app's, llama_cpp's,
numpy's, jinja2's (about 180,000 lines, 16 MiB of resident memory, a tenth of the
window's memory beyond the model; measured with tracemalloc and RSS at idle).

The same question is answered here by reading the file's bytes once, keeping nothing:
the answer, and so PySide6's table of modules, is the same.  Modules without a plain
source file are left to PySide6's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads shibokensupport.feature)

FEATURE_MODULE = "shibokensupport.feature"
CHECK = "_mod_uses_pyside"


def keep_module_sources_out_of_memory() -> bool:
    """Install the check that keeps no source; False if this PySide6 has no such
    check (then nothing changes)."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, CHECK, None)
    if feature is None or not callable(original):
        return False
    if getattr(original, "keeps_no_source", False):
        return True
    setattr(feature, CHECK, _without_linecache(original))
    return True


def _without_linecache(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # built in, compiled, or zipped: PySide6 decides
        try:
            return b"PySide6" in Path(path).read_bytes()
        except OSError:
            return False  # as PySide6 answers for a module whose source cannot be read

    uses_pyside.keeps_no_source = True  # type: ignore[attr-defined]
    return uses_pyside
