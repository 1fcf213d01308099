"""LlamaDesk's icon set: simple stroke drawings (24x24, LlamaDesk's own, under the
project's licence), kept here as SVG and drawn with Qt's SVG renderer.

One neutral grey reads on light and dark themes alike: it keeps WCAG's 3:1 for
graphics against both (tests/test_window_fixes.py)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_COLOUR = "#7a7f87"
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
       'stroke="{colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
       '{shapes}</svg>')
SHAPES = {
    "new-chat": '<path d="M12 5H6a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2v-6"/>'
                '<path d="M17.5 3.5l3 3L12 15H9v-3z"/>',
    "chat-list": '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M9 4v16"/>',
    "settings-panel": '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M15 4v16"/>',
    "send": '<path d="M4 12l16-8-6 16-2.5-5.5z"/><path d="M11.5 10.5L20 4"/>',
    "stop": '<rect x="6" y="6" width="12" height="12" rx="1.5"/>',
    "copy": '<rect x="8" y="8" width="12" height="12" rx="2"/>'
            '<path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2"/>',
    "code": '<path d="M8 7l-5 5 5 5"/><path d="M16 7l5 5-5 5"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13.5 6.5l4 4"/>',
    "regenerate": '<path d="M20 12a8 8 0 1 1-2.34-5.66"/><path d="M20 4v5h-5"/>',
    "attach": '<path d="M20 11.5l-7.8 7.8a5 5 0 0 1-7.1-7.1L13 4.3a3.3 3.3 0 0 1 4.7 4.7'
              'l-7.9 7.9a1.7 1.7 0 0 1-2.4-2.4L14.6 7.3"/>',
    "continue": '<path d="M4 12h13"/><path d="M12 6l6 6-6 6"/><path d="M21 5v14"/>',
}
_cache: dict[str, QIcon] = {}


def icon(name: str) -> QIcon:
    """The icon ``name`` (a key of SHAPES), drawn sharp at 1x and 2x."""
    if name not in _cache:
        renderer = QSvgRenderer(QByteArray(
            SVG.format(colour=ICON_COLOUR, shapes=SHAPES[name]).encode()))
        made = QIcon()
        for size in (16, 24, 32, 48):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
            made.addPixmap(pixmap)
        _cache[name] = made
    return _cache[name]
