"""What the window does not load or keep before it is painted (issue 15: start-up time
and idle memory).  Each check runs in a fresh interpreter, as the app starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run_python(code: str, tmp_path: Path) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LLAMADESK_HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path, env=env)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
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
