"""Render resources/llamadesk.svg into every icon a platform wants.

    python packaging/make_icons.py OUT_DIR

Writes llamadesk-{16..1024}.png, llamadesk.ico (Windows) and llamadesk.icns (macOS),
all from the one SVG, with Qt (no other image tool is needed on any runner).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "resources" / "llamadesk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def main(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        sys.exit(f"cannot read {SOURCE}")
    out.mkdir(parents=True, exist_ok=True)
    images = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(out / f"llamadesk-{size}.png"))
        images[size] = image
    # Qt writes one image per .ico/.icns: the largest each format holds well.
    if not images[256].save(str(out / "llamadesk.ico")):
        sys.exit("Qt could not write the .ico (imageformats plugin missing)")
    if not images[1024].save(str(out / "llamadesk.icns")):
        sys.exit("Qt could not write the .icns (imageformats plugin missing)")
    print(f"icons in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
