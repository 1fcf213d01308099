"""Models > Remote engines > Add…: a server with the OpenAI API, or workers to split a
model across.  The key goes to the keyring; the rest to the remote_engines setting."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.backend.engines import RPC_DEFAULT_PORT, EngineSpec
from app.backend.errors import LlamaDeskError
from app.backend.schema import is_engine, is_worker_address
from app.ui.i18n import shown, tr


def server_help() -> str:
    return tr(
        "Any server with the OpenAI chat API: llama.cpp's llama-server, vLLM, Ollama "
        "(http://HOST:11434/v1), LM Studio (http://HOST:1234/v1) or another LlamaDesk "
        "(Server menu). Its models join the Models menu and the toolbar's picker. The API key, "
        "if it needs one, is kept in the system keyring. https:// certificates are always "
        "checked.")


def workers_help() -> str:
    return tr(
        "One model too big for this computer, split across machines: on each, run "
        "<code>llamadesk worker</code> (it listens on 127.0.0.1:{port}; reach it "
        "with <code>ssh -N -L {port}:127.0.0.1:{port} HOST</code>, or "
        "start it with <code>--host ADDRESS --public</code> on a network you trust: a worker "
        "has no password). Then list the workers here and choose a model file of this "
        "computer under this engine in the Models menu.").format(port=RPC_DEFAULT_PORT)


class RemoteEngineDialog(QDialog):
    """Asks for one engine; ``spec`` and ``api_key`` hold the answer after accept()."""

    def __init__(self, split: bool, taken: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.split = split
        self.taken = set(taken)
        self.spec: EngineSpec | None = None
        self.api_key = ""
        self.setWindowTitle(tr("Split a model across workers") if split
                            else tr("Add a remote engine"))
        layout = QVBoxLayout(self)
        explained = QLabel(workers_help() if split else server_help())
        explained.setWordWrap(True)
        layout.addWidget(explained)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(tr("Name"))
        self.name.setPlaceholderText("lab" if split else "gpu-box")
        form.addRow(tr("&Name:"), self.name)
        self.address = QLineEdit()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(tr("API key"))
        if split:
            self.address.setAccessibleName(tr("Workers"))
            self.address.setPlaceholderText(f"10.0.0.2:{RPC_DEFAULT_PORT}, "
                                            f"10.0.0.3:{RPC_DEFAULT_PORT}")
            form.addRow(tr("&Workers:"), self.address)
        else:
            self.address.setAccessibleName(tr("Address"))
            self.address.setPlaceholderText("http://192.168.1.20:8080")
            form.addRow(tr("&Address:"), self.address)
            self.key.setPlaceholderText(tr("optional"))
            form.addRow(tr("API &key:"), self.key)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(tr("Problem"))
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.spec = self.checked()
        except LlamaDeskError as error:
            self.problem.setText(shown(error))
            self.problem.show()
            return
        self.api_key = self.key.text().strip()
        super().accept()

    def checked(self) -> EngineSpec:
        name = self.name.text().strip()
        if not name or "/" in name:
            raise LlamaDeskError(tr("Give the engine a name without '/'."))
        if name in self.taken:
            raise LlamaDeskError(tr("There is already an engine named {name}; remove it first "
                                    "or choose another name.").format(name=repr(name)))
        if self.split:
            workers = tuple(w.strip() for w in self.address.text().split(",") if w.strip())
            wrong = [w for w in workers if not is_worker_address(w)]
            if not workers or wrong:
                raise LlamaDeskError((tr("Give each worker as HOST:PORT, separated by commas "
                                         "(not {wrong}).") if wrong else
                                      tr("Give each worker as HOST:PORT, separated by "
                                         "commas.")).format(wrong=", ".join(wrong)))
            spec = EngineSpec(name, workers=workers)
        else:
            from app.backend.remote import check_url

            spec = EngineSpec(name, url=check_url(self.address.text()))
        if not is_engine(spec.to_setting()):
            raise LlamaDeskError(tr("That engine cannot be kept: check its name and address."))
        return spec


def ask_where_to_run(name: str, parent: QWidget | None = None) -> str:
    """For a model too big for this computer: "remote", "split", "download" or ""."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("{name} is too big for this computer").format(name=name))
    layout = QVBoxLayout(dialog)
    text = QLabel(tr(
        "{name} needs more memory than this computer has free. It can run on another "
        "machine with the OpenAI API (a remote engine: llama-server, vLLM, Ollama, LM "
        "Studio or another LlamaDesk), or split across several machines that each run "
        "<code>llamadesk worker</code> (download it here, then choose it under the "
        "workers' engine).").format(name=name))
    text.setWordWrap(True)
    layout.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    chosen = [""]
    for label, answer in ((tr("Add a remote engine…"), "remote"),
                          (tr("Split across workers…"), "split"), (tr("Download it"), "download")):
        button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        button.clicked.connect(lambda _checked=False, a=answer: chosen.__setitem__(0, a))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return chosen[0] if dialog.exec() == QDialog.DialogCode.Accepted else ""
