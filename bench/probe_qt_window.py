"""The start-up reference: an empty Qt main window of the app's size, painted
offscreen.  Prints one JSON line: when it was painted (time.time())."""

from __future__ import annotations

import json
import time


def main() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1180, 760)
    window.show()
    window.grab()
    print(json.dumps({"painted_at": time.time()}))
    del app


if __name__ == "__main__":
    main()
