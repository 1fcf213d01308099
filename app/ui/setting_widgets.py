"""Form fields built from the settings schema: range, step, decimals, special values
("random", "automatic"), label and help come from app/backend/schema.py, never from
here.  The side panel uses them; so can a Preferences dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.backend.schema import Kind, Setting
from app.ui.i18n import setting_text, tr


class SettingEditor(Protocol):
    setting: Setting

    def setting_value(self) -> Any: ...

    def set_setting_value(self, value: Any) -> None: ...

    def on_change(self, slot: Callable[[], None]) -> None: ...


class IntEditor(QSpinBox):
    """A whole number; an optional setting's None sits just below the range."""

    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        assert setting.minimum is not None and setting.maximum is not None
        self._none = int(setting.minimum) - 1 if setting.optional else None
        low = self._none if self._none is not None else int(setting.minimum)
        self.setRange(low, int(setting.maximum))
        self.setSingleStep(int(setting.step))
        named = setting.special_label(None if setting.optional else low)
        if named:
            self.setSpecialValueText(setting_text(named))
        _describe(self, setting)

    def setting_value(self) -> int | None:
        value = self.value()
        return None if value == self._none else value

    def set_setting_value(self, value: Any) -> None:
        self.setValue(self._none if value is None and self._none is not None else int(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        self.valueChanged.connect(lambda _value: slot())


class FloatEditor(QDoubleSpinBox):
    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        assert setting.minimum is not None and setting.maximum is not None
        self.setDecimals(setting.decimals)
        self.setRange(setting.minimum, setting.maximum)
        self.setSingleStep(setting.step)
        _describe(self, setting)

    def setting_value(self) -> float:
        return round(self.value(), self.setting.decimals)

    def set_setting_value(self, value: Any) -> None:
        self.setValue(float(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        self.valueChanged.connect(lambda _value: slot())


class ChoiceEditor(QComboBox):
    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        for value, label in setting.choices:
            self.addItem(setting_text(label), value)
        _describe(self, setting)

    def setting_value(self) -> Any:
        return self.currentData()

    def set_setting_value(self, value: Any) -> None:
        self.setCurrentIndex(max(0, self.findData(value)))

    def on_change(self, slot: Callable[[], None]) -> None:
        self.currentIndexChanged.connect(lambda _index: slot())


class LineEditor(QLineEdit):
    """One line of text; empty is None for an optional setting."""

    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        self.setPlaceholderText(setting_text(setting.special_label(None) or ""))
        _describe(self, setting)

    def setting_value(self) -> str | None:
        text = self.text().strip()
        return None if not text and self.setting.optional else text

    def set_setting_value(self, value: Any) -> None:
        self.setText(value or "")

    def on_change(self, slot: Callable[[], None]) -> None:
        self.textChanged.connect(lambda _text: slot())


class TextEditor(QPlainTextEdit):
    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        self.setTabChangesFocus(True)  # Tab leaves the field instead of typing a tab
        _describe(self, setting)
        self.setPlaceholderText(setting_text(setting.help))

    def setting_value(self) -> str:
        return self.toPlainText()

    def set_setting_value(self, value: Any) -> None:
        if self.toPlainText() != value:
            self.setPlainText(value or "")

    def on_change(self, slot: Callable[[], None]) -> None:
        self.textChanged.connect(slot)


class CheckEditor(QCheckBox):
    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(setting_text(setting.label), parent)
        self.setting = setting
        _describe(self, setting)

    def setting_value(self) -> bool:
        return self.isChecked()

    def set_setting_value(self, value: Any) -> None:
        self.setChecked(bool(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        self.toggled.connect(lambda _checked: slot())


class ListEditor(QLineEdit):
    """A list of short values, separated by commas or spaces (kept as a tuple)."""

    def __init__(self, setting: Setting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        self.setPlaceholderText(tr("none"))
        _describe(self, setting)

    def setting_value(self) -> tuple[str, ...]:
        return tuple(part for part in self.text().replace(",", " ").split() if part)

    def set_setting_value(self, value: Any) -> None:
        self.setText(", ".join(value or ()))

    def on_change(self, slot: Callable[[], None]) -> None:
        self.textChanged.connect(lambda _text: slot())


def editor_for(setting: Setting, parent: QWidget | None = None) -> QWidget:
    """The form field for a setting (each also is a SettingEditor)."""
    editor: QWidget
    if setting.choices:
        editor = ChoiceEditor(setting, parent)
    elif setting.kind is Kind.INT:
        editor = IntEditor(setting, parent)
    elif setting.kind is Kind.FLOAT:
        editor = FloatEditor(setting, parent)
    elif setting.kind is Kind.TEXT and setting.multiline:
        editor = TextEditor(setting, parent)
    elif setting.kind in (Kind.TEXT, Kind.URL, Kind.HOST):
        editor = LineEditor(setting, parent)
    elif setting.kind is Kind.BOOL:
        editor = CheckEditor(setting, parent)
    elif setting.kind is Kind.ORIGINS:
        editor = ListEditor(setting, parent)
    else:
        raise ValueError(f"{setting.name} is not edited in a form ({setting.kind.value})")
    return editor


def _describe(widget: QWidget, setting: Setting) -> None:
    widget.setObjectName(f"setting-{setting.name}")
    widget.setToolTip(setting_text(setting.help))
    widget.setAccessibleName(setting_text(setting.label))
    widget.setAccessibleDescription(setting_text(setting.help))
