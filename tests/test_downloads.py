"""Downloads against a Hub on loopback, with faults: each ends byte-exact or with a
clear error and nothing broken."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backend.downloads import (
    DownloadCancelled,
    Downloader,
    DownloadError,
    GatedModelError,
    Hub,
)
from tests.conftest import ROOT
from tests.hub_server import FakeHub, Faults, serve

REPO = "test-org/SmolLM2-135M-GGUF"
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def model_bytes(builtin_path: Path) -> bytes:
    return builtin_path.read_bytes()[:6_000_000]  # real GGUF bytes; a slice keeps tests fast


@pytest.fixture
def hub(model_bytes: bytes) -> Iterator[FakeHub]:
    fake = FakeHub()
    fake.add(REPO, NAME, model_bytes)
    with serve(fake) as running:
        yield running


def downloader(hub: FakeHub, models: Path, token: str | None = None, **kw) -> Downloader:
    return Downloader(Hub(hub.url, token), models, backoff_base=0.01, **kw)


def fetch(hub: FakeHub, models: Path, **kw) -> Path:
    loader = downloader(hub, models, **kw)
    return loader.download(loader.hub.remote_file(REPO, NAME))


def test_a_clean_download_is_byte_exact(hub: FakeHub, tmp_path: Path, model_bytes: bytes):
    seen: list[int] = []
    loader = downloader(hub, tmp_path)
    remote = loader.hub.remote_file(REPO, NAME)
    assert remote.size == len(model_bytes)
    assert remote.sha256 == hashlib.sha256(model_bytes).hexdigest()
    path = loader.download(remote, progress=lambda p: seen.append(p.done))
    assert path == tmp_path / NAME and path.read_bytes() == model_bytes
    assert seen[-1] == len(model_bytes) and seen == sorted(seen)
    assert not list((tmp_path / ".partial").iterdir())  # nothing left behind


def test_a_dropped_connection_resumes_where_it_stopped(hub: FakeHub, tmp_path: Path,
                                                       model_bytes: bytes):
    hub.faults = Faults(drop_after=1_000_000, drop_times=3)
    path = fetch(hub, tmp_path)
    assert path.read_bytes() == model_bytes
    ranges = [h.get("range") for m, p, h in hub.requests if "/resolve/" in p]
    assert ranges[0] is None and all(r and r.startswith("bytes=") for r in ranges[1:])
    assert len(ranges) == 4


def test_a_stalled_server_is_reconnected(hub: FakeHub, tmp_path: Path, model_bytes: bytes):
    hub.faults = Faults(stall_seconds=3.0, stall_times=1)
    started = time.monotonic()
    path = fetch(hub, tmp_path, stall_seconds=0.5)
    assert path.read_bytes() == model_bytes
    assert time.monotonic() - started < 3.0  # it did not wait the stall out


def test_server_errors_are_retried_with_backoff(hub: FakeHub, tmp_path: Path,
                                                model_bytes: bytes):
    hub.faults = Faults(server_errors=3)
    assert fetch(hub, tmp_path).read_bytes() == model_bytes


def test_wrong_bytes_never_reach_the_models_folder(hub: FakeHub, tmp_path: Path):
    hub.faults = Faults(corrupt=True)
    with pytest.raises(DownloadError, match="does not match the Hub's record"):
        fetch(hub, tmp_path)
    assert not (tmp_path / NAME).exists()
    assert list((tmp_path / ".partial").glob("*.mismatch"))


def test_gated_repositories_say_what_to_do(hub: FakeHub, tmp_path: Path, model_bytes: bytes):
    hub.gated[REPO] = "hf_secret_token_123"
    with pytest.raises(GatedModelError, match=r"accept its licence at .*set your Hub token"):
        fetch(hub, tmp_path)
    with pytest.raises(GatedModelError, match="with the account whose token"):
        downloader(hub, tmp_path, "hf_wrong").hub.remote_file(REPO, NAME)
    path = downloader(hub, tmp_path, "hf_secret_token_123")
    assert path.download(path.hub.remote_file(REPO, NAME)).read_bytes() == model_bytes


def test_missing_repositories_and_files(hub: FakeHub, tmp_path: Path):
    loader = downloader(hub, tmp_path)
    with pytest.raises(DownloadError, match="no repository"):
        loader.hub.remote_file("nobody/nothing", NAME)
    with pytest.raises(DownloadError, match="has no file"):
        loader.hub.remote_file(REPO, "missing.gguf")


def test_not_enough_disk_space_is_checked_first(hub: FakeHub, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    import shutil

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage._replace(free=1_000_000))
    with pytest.raises(DownloadError, match="Not enough free disk space"):
        fetch(hub, tmp_path)
    assert not any(p for p in hub.requests if "/resolve/" in p[1])  # nothing fetched


def test_a_full_disk_mid_download_keeps_what_was_written(hub: FakeHub, tmp_path: Path,
                                                         model_bytes: bytes):
    """A file-size limit makes the disk 'full' at 2 MB, in a child process."""
    code = f"""
import resource, sys
from pathlib import Path
from app.backend.downloads import Downloader, Hub, DownloadError
resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))
import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
loader = Downloader(Hub({hub.url!r}), Path({str(tmp_path)!r}), backoff_base=0.01)
try:
    loader.download(loader.hub.remote_file({REPO!r}, {NAME!r}))
except DownloadError as error:
    print("ERROR", error)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=True)
    assert "ERROR" in done.stdout and "Free some disk space" in done.stdout
    assert not (tmp_path / NAME).exists()
    partial = tmp_path / ".partial" / f"{NAME}.part"
    assert partial.stat().st_size <= 2_000_000
    assert fetch(hub, tmp_path).read_bytes() == model_bytes  # space back: it resumes


def test_cancel_keeps_the_partial_and_a_later_call_resumes(hub: FakeHub, tmp_path: Path,
                                                           model_bytes: bytes):
    cancel = threading.Event()
    loader = downloader(hub, tmp_path)
    remote = loader.hub.remote_file(REPO, NAME)

    def stop_early(progress) -> None:
        if progress.done > 1_500_000:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="can resume"):
        loader.download(remote, progress=stop_early, cancel=cancel)
    kept = loader.partial(remote).stat().st_size
    assert 1_500_000 < kept < len(model_bytes)
    assert loader.download(remote).read_bytes() == model_bytes
    resumed = [h.get("range") for _m, p, h in hub.requests if "/resolve/" in p][-1]
    assert resumed == f"bytes={kept}-"


def test_resume_across_a_process_restart_is_byte_exact(hub: FakeHub, tmp_path: Path,
                                                       model_bytes: bytes):
    hub.faults = Faults(stall_seconds=60, stall_times=1)  # the first process hangs mid-file
    code = f"""
from pathlib import Path
from app.backend.downloads import Downloader, Hub
loader = Downloader(Hub({hub.url!r}), Path({str(tmp_path)!r}), stall_seconds=120)
loader.download(loader.hub.remote_file({REPO!r}, {NAME!r}))
"""
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    partial = tmp_path / ".partial" / f"{NAME}.part"
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.stat().st_size > 1_000_000):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    kept = partial.stat().st_size
    hub.faults = Faults()
    assert fetch(hub, tmp_path).read_bytes() == model_bytes
    last = [h.get("range") for _m, p, h in hub.requests if "/resolve/" in p][-1]
    assert last == f"bytes={kept}-"


def test_the_token_is_never_written_anywhere(hub: FakeHub, tmp_path: Path, data_home: Path,
                                             caplog: pytest.LogCaptureFixture):
    token = "hf_do_not_leak_987654321"
    hub.gated[REPO] = token
    hub.faults = Faults(drop_after=500_000, drop_times=1)
    with caplog.at_level("DEBUG"):
        fetch(hub, tmp_path, token=token)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    assert token not in caplog.text
    sent = {h.get("authorization") for _m, p, h in hub.requests}
    assert sent == {f"Bearer {token}"}  # only to the Hub itself


def test_hf_endpoint_is_honoured(hub: FakeHub, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HF_ENDPOINT", hub.url + "/")
    assert Hub().endpoint == hub.url
    assert Hub("http://mirror.local").endpoint == "http://mirror.local"  # the setting wins


def test_a_repository_lists_its_gguf_files(hub: FakeHub, tmp_path: Path):
    hub.add(REPO, "README.md", b"# card")
    hub.add(REPO, "other.Q8_0.gguf", b"GGUF" + b"\0" * 100)
    files = Hub(hub.url).gguf_files(REPO)
    assert [name for name, _size in files] == [NAME, "other.Q8_0.gguf"]
    hub.add("org/no-gguf", "model.safetensors", b"x")
    with pytest.raises(DownloadError, match="has no GGUF files"):
        Hub(hub.url).gguf_files("org/no-gguf")
