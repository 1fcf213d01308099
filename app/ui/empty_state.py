"""What an empty chat shows: the model in use, a few prompts to start from, the main
shortcuts.  A click on a prompt puts it in the message box, to send or change."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import tr
from app.ui.palette import make_quiet


def starters() -> tuple[str, ...]:
    """The starter prompts, in the user's language."""
    return (
        tr("Explain a concept to me as if I were new to it: "),
        tr("Write a short, friendly email that says "),
        tr("Review this code and suggest improvements:\n\n"),
        tr("Summarise this text in three bullet points:\n\n"),
    )


def shortcuts() -> str:
    return tr("Enter sends, Shift+Enter starts a new line · Esc stops an answer · "
              "Ctrl+N new chat · Ctrl+K search · Ctrl+Shift+P settings panel")


class EmptyState(QWidget):
    prompt_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty-state")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 48, 24, 24)
        layout.setSpacing(10)
        self.heading = QLabel(tr("Start a conversation"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.model = QLabel()
        self.model.setWordWrap(True)
        make_quiet(self.model)
        layout.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.model, 0, Qt.AlignmentFlag.AlignHCenter)
        self.buttons: list[QPushButton] = []
        for text in starters():
            button = QPushButton(text.strip().rstrip(":") + ("…" if text.endswith(
                (": ", " ", "\n")) else ""))
            button.setFlat(True)
            button.setAccessibleName(tr("Start with: {prompt}").format(prompt=text.strip()))
            button.clicked.connect(lambda _checked=False, t=text: self.prompt_chosen.emit(t))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.buttons.append(button)
        self.shortcuts = QLabel(shortcuts())
        self.shortcuts.setWordWrap(True)
        self.shortcuts.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        make_quiet(self.shortcuts)
        layout.addSpacing(12)
        layout.addWidget(self.shortcuts)
        self.set_model(None)

    def set_model(self, name: str | None) -> None:
        self.model.setText(tr("Model: {name}").format(name=name) if name else
                           tr("No model is loaded yet: choose one in the Models menu."))
