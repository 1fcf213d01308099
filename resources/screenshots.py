"""Screenshots of the window's main states, made offscreen with a scripted engine, so
anyone can make them again after a change to the window:

    .venv/bin/python resources/screenshots.py [--out resources/screenshots]

Writes empty, streaming, code answer, branches, settings panel open and closed, light and
dark, at 1600x1000 and 800x600; resources/screenshot.png (the README's) is the light
code answer at 1600x1000.  The answers are scripted (tests/fakes.py), so every run shows
the same text; the model name is the built-in model's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ANSWER = [
    "Here is a function that counts the words in a file:\n\n",
    "```python\nfrom collections import Counter\nfrom pathlib import Path\n\n\n",
    "def count_words(path: Path) -> Counter[str]:\n",
    "    \"\"\"How often each word appears, ignoring case.\"\"\"\n",
    "    return Counter(path.read_text(encoding=\"utf-8\").lower().split())\n```\n\n",
    "- `Counter` keeps the counts; `most_common(10)` gives the top ten.\n",
    "- **Large files**: read them line by line instead of all at once.\n",
]
QUESTION = "Write a Python function that counts the words in a text file."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--readme", type=Path, default=ROOT / "resources" / "screenshot.png",
                        help="where the README's screenshot goes ('' for nowhere)")
    args = parser.parse_args(argv)
    readme = None if str(args.readme) in ("", ".") else args.readme
    for path in make(args.out, readme):
        print(path)
    return 0


def make(out: Path, readme: Path | None = None) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from app.backend.history import open_history
    from app.backend.models import ModelChoice, builtin_model_path
    from app.backend.paths import AppPaths
    from app.backend.settings import Settings
    from app.ui.app import DesktopApp
    from app.ui.main_window import State
    from app.ui.worker import EngineHost
    from tests.fakes import FakeEngine

    app = QApplication.instance() or QApplication([])
    out.mkdir(parents=True, exist_ok=True)
    engine = FakeEngine(words=ANSWER)
    model = builtin_model_path()
    paths = AppPaths.under(Path(tempfile.mkdtemp(prefix="llamadesk-shots-")))
    paths.create()
    desktop = DesktopApp(paths, Settings(), ModelChoice("smollm2", "SmolLM2 135M", model),
                         None, open_history(paths), EngineHost(engine))
    window = desktop.new_window()
    desktop.models.start()
    made: list[Path] = []

    def wait(condition: Callable[[], bool], seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there")
            app.processEvents()
            time.sleep(0.005)

    def settle() -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.005)

    def shot(name: str, size: tuple[int, int]) -> None:
        window.resize(*size)
        settle()
        path = out / f"{name}-{size[0]}x{size[1]}.png"
        window.grab().save(str(path))
        made.append(path)

    def send(text: str) -> None:
        window.composer.setPlainText(text)
        window.send()

    try:
        wait(lambda: window.state is State.READY)
        big, small = (1600, 1000), (800, 600)
        shot("empty-light", big)
        engine.delay = 0.15
        send(QUESTION)
        wait(lambda: window.chat.messages[-1].text.count("\n") >= 4)
        shot("streaming-light", big)
        wait(lambda: window.state is State.READY)
        engine.delay = 0.0
        shot("code-answer-light", big)
        shot("code-answer-light", small)
        window.chat.messages[-1].regenerate_button.click()
        wait(lambda: window.state is State.READY)
        shot("branches-light", big)
        window.panel_action.setChecked(False)
        shot("panel-closed-light", big)
        window.panel_action.setChecked(True)
        window.theme_actions["dark"].trigger()
        shot("code-answer-dark", big)
        shot("code-answer-dark", small)
        window.panel_action.setChecked(False)
        shot("panel-closed-dark", big)
        window.theme_actions["system"].trigger()
        window.panel_action.setChecked(True)
        if readme is not None:
            source = out / "code-answer-light-1600x1000.png"
            readme.write_bytes(source.read_bytes())
    finally:
        desktop.shutdown()
    return made


if __name__ == "__main__":
    sys.exit(main())
