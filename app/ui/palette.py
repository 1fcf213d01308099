"""Colours for secondary and warning text that stay readable: WCAG AA (4.5:1) against
the window's background, in light and dark palettes alike.  Disabled-looking text
(``setEnabled(False)``) measured 1.6-1.9:1."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

AA_CONTRAST = 4.5


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(text: QColor, background: QColor, share: float) -> QColor:
    return QColor.fromRgbF(*(share * t + (1 - share) * b for t, b in (
        (text.redF(), background.redF()), (text.greenF(), background.greenF()),
        (text.blueF(), background.blueF()))))


def quiet_colour(palette: QPalette) -> QColor:
    """Text colour toned towards the background, as far as AA contrast allows."""
    text = palette.color(QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorRole.Window)
    for share in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        colour = _mix(text, background, share)
        if contrast(colour, background) >= AA_CONTRAST:
            return colour
    return text


def alert_colour(palette: QPalette) -> QColor:
    """A red that reads on this background (darker on light, lighter on dark)."""
    background = palette.color(QPalette.ColorRole.Window)
    dark_theme = luminance(background) < 0.4
    for lightness in ((0.70, 0.75, 0.8, 0.85) if dark_theme else (0.45, 0.4, 0.35, 0.3)):
        colour = QColor.fromHslF(0.0, 0.75, lightness)
        if contrast(colour, background) >= AA_CONTRAST:
            return colour
    return palette.color(QPalette.ColorRole.WindowText)


def set_text_colour(widget: QWidget, colour: QColor) -> None:
    """Only the text colours are the widget's own: the rest follows the app's palette."""
    palette = QPalette()  # no role set: the widget inherits every other one
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    palette.setColor(QPalette.ColorRole.Text, colour)
    widget.setPalette(palette)


def base_palette(widget: QWidget) -> QPalette:
    """The palette the widget would have without its own colours."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
            return parent.palette()  # a part of the window with colours of its own
        parent = parent.parentWidget()
    return QApplication.palette(widget)  # the app's, already new when the theme changes


class _Follow(QObject):
    """Applies a widget's own colours again when the app's palette changes (a theme)."""

    def __init__(self, widget: QWidget, apply: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self.apply = apply
        self.busy = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange) \
                and not self.busy and isinstance(watched, QWidget):
            self.busy = True
            try:
                self.apply(watched)
            finally:
                self.busy = False
        return False


def follow_theme(widget: QWidget, apply: Callable[[QWidget], None]) -> None:
    """Apply ``apply`` now, and again whenever the theme changes."""
    for old in widget.findChildren(_Follow):
        if old.parent() is widget:
            widget.removeEventFilter(old)
            old.deleteLater()
    apply(widget)
    _Follow(widget, apply)


def make_quiet(widget: QWidget) -> None:
    """Secondary text (notes, the context meter, statuses): quieter, still readable."""
    follow_theme(widget, lambda w: set_text_colour(w, quiet_colour(base_palette(w))))


def make_alert(widget: QWidget) -> None:
    follow_theme(widget, lambda w: set_text_colour(w, alert_colour(base_palette(w))))
