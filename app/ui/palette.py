"""Colours for secondary and warning text that stay readable: WCAG AA (4.5:1) against
the window's background, in light and dark palettes alike.  Disabled-looking text
(``setEnabled(False)``) measured 1.6-1.9:1."""

from __future__ import annotations

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
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    palette.setColor(QPalette.ColorRole.Text, colour)
    widget.setPalette(palette)


def base_palette(widget: QWidget) -> QPalette:
    """The palette the widget would have without its own colours."""
    parent = widget.parentWidget()
    return parent.palette() if parent is not None else QApplication.palette(widget)


def make_quiet(widget: QWidget) -> None:
    """Secondary text (notes, the context meter, statuses): quieter, still readable."""
    set_text_colour(widget, quiet_colour(base_palette(widget)))


def make_alert(widget: QWidget) -> None:
    set_text_colour(widget, alert_colour(base_palette(widget)))
