"""Models > Hub token…: the Hugging Face token, stored in the OS keyring only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend import keychain
from app.ui.i18n import shown, tr


class HubTokenDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Hugging Face token"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr(
            "A read token from your Hugging Face account lets LlamaDesk download gated "
            "models (such as meta-llama/*) after you accept their licence. It is kept in "
            "the OS keyring and sent only to the Hub.")))
        self.token = QLineEdit()
        self.token.setAccessibleName(tr("Hugging Face token"))
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("hf_…")
        layout.addWidget(self.token)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.save_button = QPushButton(tr("Save"))
        self.remove_button = QPushButton(tr("Remove"))
        close = QPushButton(tr("Close"))
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        close.clicked.connect(self.accept)
        for button in (self.save_button, self.remove_button, close):
            row.addWidget(button)
        layout.addLayout(row)
        self._show_state()

    def save(self) -> None:
        if not self.token.text().strip():
            self.status.setText(tr("Paste a token first."))
            return
        problem = keychain.set_token(self.token.text())
        self.token.clear()
        self._show_state(problem)

    def remove(self) -> None:
        keychain.clear_token()
        self._show_state()

    def _show_state(self, problem: str | None = None) -> None:
        state = tr("A token is set.") if keychain.get_token() else tr("No token is set.")
        extra = shown(problem or keychain.keyring_problem()
                      or tr("It is stored in the OS keyring."))
        self.status.setText(f"{state} {extra}")
