"""What the window does not load or keep before it is painted (issue 15: start-up time
and idle memory).  Each check runs in a fresh interpreter, as the app starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT


def run_python(code: str, tmp_path: Path) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LLAMADESK_HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path, env=env)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_pyside_keeps_no_module_source_after_the_ui_is_imported(tmp_path: Path) -> None:
    """PySide6 reads each new module's source to see whether it uses PySide6; the UI
    package makes it keep none of it (16 MiB with llama_cpp and numpy), with the
    same answers."""
    (tmp_path / "qt_user.py").write_text("import PySide6\nVALUE = 1\n")
    (tmp_path / "plain.py").write_text("VALUE = 2\n")
    code = """
import json, linecache, sys
import app.ui
assert "colorsys" not in sys.modules
import qt_user, plain, colorsys
feature = sys.modules["shibokensupport.feature"]
kept = [f for f in linecache.cache if f.endswith(("qt_user.py", "plain.py", "colorsys.py"))]
print(json.dumps({"kept": kept, "qt_user": feature.pyside_feature_dict.get("qt_user"),
                  "plain": feature.pyside_feature_dict.get("plain"),
                  "colorsys": feature.pyside_feature_dict.get("colorsys")}))
"""
    result = run_python(code, tmp_path)
    assert result == {"kept": [], "qt_user": 0, "plain": -1, "colorsys": -1}


BUILD_WINDOW = """
import json, os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.backend.history import open_history
from app.backend.paths import AppPaths
from app.backend.settings import Settings
from app.ui.app import DesktopApp
qt = QApplication([])
paths = AppPaths.under(Path(os.environ["LLAMADESK_HOME"]))
paths.create()
desktop = DesktopApp(paths, Settings.of(), None, None, open_history(paths))
window = desktop.new_window()
window.grab()
painted = sorted(m for m in LATER if m in sys.modules)
threads = desktop._downloads is not None
"""

# Each is imported when first used, not before the first window is painted.
LATER = ("markdown_it", "app.ui.downloads_window", "app.backend.downloads",
         "app.backend.importers", "app.backend.exporters", "app.backend.transcripts",
         "app.ui.export", "app.ui.hub_token_dialog", "app.ui.remote_engine_dialog",
         "app.ui.server_dialog", "app.backend.history_repair",
         # what loading a model needs comes with the first load, on the engine thread
         "app.backend.runtime", "app.backend.probe", "app.backend.gguf_file",
         "app.backend.templates", "app.backend.threads", "app.backend.llama_tools")


def test_the_first_window_is_painted_without_what_it_does_not_show(tmp_path: Path) -> None:
    code = f"LATER = {LATER!r}\n" + BUILD_WINDOW + """
from app.ui.chat_view import code_blocks
code_blocks("```sh\\nls\\n```")  # the first message shown
desktop.show_downloads()  # Models > Downloads
desktop.store.create_conversation()
window.transfer.ask_export_path = lambda suggested: None
window.transfer.export_all()  # File > Export all, cancelled
desktop.server.show_panel(window).close()  # Server > Local server settings and log
used = sorted(m for m in LATER if m in sys.modules)
desktop.shutdown()
print(json.dumps({"painted": painted, "download thread": threads, "used": used}))
"""
    result = run_python(code, tmp_path)
    assert result["painted"] == [] and result["download thread"] is False
    assert set(result["used"]) >= {"markdown_it", "app.ui.downloads_window",
                                   "app.backend.downloads", "app.backend.transcripts",
                                   "app.ui.server_dialog"}


def test_reading_a_model_file_loads_only_the_gguf_tables(tmp_path: Path) -> None:
    """read_gguf needs gguf/constants.py alone; the package's __init__ would bring its
    reader, writer and metadata modules with numpy and yaml (2 MiB, 15 ms)."""
    code = """
import json, sys
from app.backend.gguf_file import gguf_constants, read_gguf
from app.backend.models import builtin_model_path
quantization = read_gguf(builtin_model_path()).quantization
alone = sorted(m for m in sys.modules if m.split(".")[0] in ("gguf", "yaml", "numpy"))
ours = gguf_constants()
import gguf.constants
same = {int(k): v for k, v in ours.GGML_QUANT_SIZES.items()} == {
    int(k): v for k, v in gguf.constants.GGML_QUANT_SIZES.items()}
print(json.dumps({"quantization": quantization, "loaded": alone, "same tables": same}))
"""
    result = run_python(code, tmp_path)
    assert result == {"quantization": "Q4_1", "loaded": [], "same tables": True}


def test_pyside_keeps_no_source_when_qt_is_imported_before_the_app(tmp_path: Path) -> None:
    """As pytest-qt and the benchmark's window probe do: Qt first, then the backend."""
    code = """
import json, linecache, sys
from PySide6.QtWidgets import QApplication
import app.backend.history
kept = [f for f in linecache.cache if "/app/" in f and not f.endswith("qt_imports.py")]
print(json.dumps({"kept": kept, "store": sys.modules["shibokensupport.feature"]
                  .pyside_feature_dict.get("app.backend.store")}))
"""
    assert run_python(code, tmp_path) == {"kept": [], "store": -1}
