"""The download manager: progress, speed, time left, pause, resume, cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backend.downloads import Progress, describe
from app.ui.i18n import number, shown, tr
from app.ui.palette import make_alert, make_quiet
from app.ui.worker import DownloadHost, DownloadProgress, DownloadRequest, RepoListing


class DownloadRow:
    def __init__(self, window: DownloadsWindow, request: DownloadRequest, row: int) -> None:
        self.request = request
        self.window = window
        self.name = QLabel(request.display_name)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.status = QLabel(tr("Waiting…"))
        self.status.setWordWrap(True)
        make_quiet(self.status)
        self.pause_button = QPushButton(tr("Pause"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.cancel)
        grid = window.grid
        grid.addWidget(self.name, row * 2, 0, 1, 3)
        grid.addWidget(self.bar, row * 2 + 1, 0)
        grid.addWidget(self.pause_button, row * 2 + 1, 1)
        grid.addWidget(self.cancel_button, row * 2 + 1, 2)
        grid.addWidget(self.status, row * 2, 3)
        self.paused = False
        self.done = False

    def show_progress(self, progress: DownloadProgress) -> None:
        self.bar.show()
        make_quiet(self.status)
        self.bar.setValue(int(1000 * progress.done / max(progress.total, 1)))
        part = tr("part {part} of {parts}: ").format(
            part=progress.part, parts=progress.parts) if progress.parts > 1 else ""
        said = describe(Progress(self.request.display_name, progress.done, progress.total,
                                 progress.bytes_per_second))
        self.status.setText(part + shown(said))

    def toggle_pause(self) -> None:
        host = self.window.host
        if self.paused:
            self.request = host.resume(self.request)
            self.paused = False
            self.pause_button.setText(tr("Pause"))
            self.status.setText(tr("Resuming…"))
        else:
            host.pause(self.request.download_id)
            self.paused = True
            self.pause_button.setText(tr("Resume"))

    def cancel(self) -> None:
        self.window.host.discard(self.request.download_id)
        self.finish(tr("Cancelled; the partial download was deleted."))

    def finish(self, text: str) -> None:
        self.done = True
        self.status.setText(text)
        self.pause_button.setEnabled(False)
        self.cancel_button.setEnabled(False)


class DownloadsWindow(QWidget):
    file_requested = Signal(str, str)  # repository, file name

    def __init__(self, host: DownloadHost) -> None:
        super().__init__()
        self.setWindowTitle(tr("Downloads") + " - LlamaDesk")
        self.resize(640, 240)
        self.host = host
        self.rows: dict[int, DownloadRow] = {}
        layout = QVBoxLayout(self)
        self.empty = QLabel(tr("No downloads. Choose a model in the Models menu to download it."))
        layout.addWidget(self.empty)
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        self.hub_title = QLabel()
        self.hub_files = QListWidget()
        self.hub_files.setAccessibleName(tr("GGUF files in the repository"))
        self.hub_download = QPushButton(tr("Download"))
        self.hub_download.clicked.connect(self._on_hub_download)
        for widget in (self.hub_title, self.hub_files, self.hub_download):
            layout.addWidget(widget)
            widget.hide()
        layout.addStretch(1)
        self._hub_repo = ""
        host.progressed.connect(self._on_progress)
        host.finished.connect(self._on_finished)
        host.failed.connect(self._on_failed)

    def show_listing(self, listing: RepoListing) -> None:
        """The GGUF files of a repository opened from the Hub, to pick one."""
        self._hub_repo = listing.repo
        self.hub_files.clear()
        files_in = tr("GGUF files in {repo}:").format(repo=listing.repo)
        title = listing.error or files_in
        if listing.note and not listing.error:
            title = f"{listing.note}\n\n{files_in}"
        self.hub_title.setText(title)
        self.hub_title.setWordWrap(True)
        preferred = 0
        for row, (name, size) in enumerate(listing.files):
            item = QListWidgetItem(f"{name}  ("
                                   + tr("{size} GB").format(size=number(size / 1e9, 2)) + ")")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.hub_files.addItem(item)
            if name == listing.preferred:
                preferred = row
        if listing.files:
            self.hub_files.setCurrentRow(preferred)
        self.hub_title.show()
        self.hub_files.setVisible(bool(listing.files))
        self.hub_download.setVisible(bool(listing.files))

    def _on_hub_download(self) -> None:
        item = self.hub_files.currentItem()
        if item is not None:
            self.file_requested.emit(self._hub_repo, item.data(Qt.ItemDataRole.UserRole))

    def add(self, request: DownloadRequest) -> DownloadRow:
        row = DownloadRow(self, request, len(self.rows))
        self.rows[request.download_id] = row
        self.empty.hide()
        return row

    def _on_progress(self, progress: DownloadProgress) -> None:
        row = self.rows.get(progress.download_id)
        if row is not None and not row.paused:
            row.show_progress(progress)

    def _on_finished(self, download_id: int, path: str) -> None:
        row = self.rows.get(download_id)
        if row is not None:
            row.bar.setValue(1000)
            row.finish(tr("Installed and verified: {path}").format(path=path))

    def _on_failed(self, download_id: int, message: str) -> None:
        row = self.rows.get(download_id)
        if row is None or row.done:
            return
        if not message:
            row.status.setText(tr("Paused; Resume continues where it stopped."))
            return
        row.paused = True
        row.pause_button.setText(tr("Retry"))
        row.status.setText(message)
        make_alert(row.status)  # an error reads as one, at AA contrast
        if row.bar.value() == 0:
            row.bar.hide()  # nothing was fetched: no empty progress box beside the message

    def show_near(self, anchor: QWidget | None) -> None:
        """Show the window over ``anchor`` (the window the user works in), wholly on the
        screen that window is on."""
        self.show()
        screen = (anchor.screen() if anchor is not None else None) or self.screen()
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        centre = anchor.frameGeometry().center() if anchor is not None else area.center()
        frame.moveCenter(centre)
        frame.moveLeft(max(area.left(), min(frame.left(), area.right() - frame.width())))
        frame.moveTop(max(area.top(), min(frame.top(), area.bottom() - frame.height())))
        self.move(frame.topLeft())
        self.raise_()
