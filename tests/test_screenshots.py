"""The screenshot script (resources/screenshots.py) keeps working: it is how the README's
pictures are made again after a change to the window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.conftest import ROOT


def test_the_screenshot_script_makes_every_state(tmp_path: Path):
    readme = tmp_path / "screenshot.png"
    done = subprocess.run([sys.executable, str(ROOT / "resources" / "screenshots.py"),
                           "--out", str(tmp_path / "shots"), "--readme", str(readme)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    for state in ("empty-light-1600x1000", "streaming-light-1600x1000",
                  "code-answer-light-1600x1000", "code-answer-light-800x600",
                  "branches-light-1600x1000", "panel-closed-light-1600x1000",
                  "code-answer-dark-1600x1000", "code-answer-dark-800x600"):
        assert f"{state}.png" in names
        image = QImage(str(tmp_path / "shots" / f"{state}.png"))
        width, height = (int(n) for n in state.rsplit("-", 1)[1].split("x"))
        assert (image.width(), image.height()) == (width, height)
    assert readme.read_bytes() == (tmp_path / "shots" / "code-answer-light-1600x1000.png"
                                   ).read_bytes()
