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

from app.backend.catalog import CatalogFile
from app.backend.downloads import (
    DownloadBusyError,
    DownloadCancelled,
    Downloader,
    DownloadError,
    GatedModelError,
    Hub,
    MissingFileError,
    closest_gguf,
    quantisation,
)
from tests.conftest import ROOT
from tests.hub_server import COMMIT, FakeHub, Faults, serve

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
    with pytest.raises(MissingFileError, match="has no file"):
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


# -- pinned catalog files ------------------------------------------------------------


def pin(data: bytes, path: str = NAME) -> CatalogFile:
    return CatalogFile(path, len(data), hashlib.sha256(data).hexdigest())


def test_a_pinned_file_downloads_at_its_commit_and_is_verified_against_the_pin(
        hub: FakeHub, tmp_path: Path, model_bytes: bytes):
    loader = downloader(hub, tmp_path)
    remote = loader.hub.remote_file(REPO, NAME, COMMIT, pin(model_bytes))
    assert f"/resolve/{COMMIT}/" in remote.url  # the checked commit, not "main"
    assert loader.download(remote).read_bytes() == model_bytes
    # A pinned revision the Hub lost (history rewritten): "main" with the same bytes.
    (tmp_path / NAME).unlink()
    moved = loader.hub.remote_file(REPO, NAME, "f" * 40, pin(model_bytes))
    assert moved.revision == "main" and loader.download(moved).read_bytes() == model_bytes


def test_a_pinned_commit_holding_other_bytes_falls_back_to_main_by_hash(
        hub: FakeHub, tmp_path: Path, model_bytes: bytes):
    old = "a" * 40
    hub.history[old] = {(REPO, NAME): b"GGUF an older upload"}
    loader = downloader(hub, tmp_path)
    remote = loader.hub.remote_file(REPO, NAME, old, pin(model_bytes))
    assert remote.revision == "main" and loader.download(remote).read_bytes() == model_bytes
    # Pinned to the older upload, which main no longer has: refused, nothing fetched.
    (tmp_path / NAME).unlink()
    hub.requests.clear()
    with pytest.raises(DownloadError, match="not the file LlamaDesk's catalog was checked"):
        loader.hub.remote_file(REPO, NAME, COMMIT, pin(b"GGUF an older upload"))
    assert not any("/resolve/" in p for _m, p, _h in hub.requests)


def test_the_catalog_hash_decides_not_what_the_server_says(hub: FakeHub, tmp_path: Path,
                                                          model_bytes: bytes):
    """The Hub now serves other bytes under the catalog's name: refused before any byte."""
    other = model_bytes[:-1] + bytes([model_bytes[-1] ^ 1])
    loader = downloader(hub, tmp_path)
    with pytest.raises(DownloadError, match="not the file LlamaDesk's catalog was checked"):
        loader.hub.remote_file(REPO, NAME, "main", pin(other))
    assert not any("/resolve/" in p for _m, p, _h in hub.requests)
    # The metadata agrees with the catalog but the bytes served differ: never installed.
    hub.faults = Faults(corrupt=True)
    remote = loader.hub.remote_file(REPO, NAME, "main", pin(model_bytes))
    with pytest.raises(DownloadError, match="does not match"):
        loader.download(remote)
    assert not (tmp_path / NAME).exists()


def test_a_missing_file_offers_the_closest_with_the_same_quantisation(hub: FakeHub,
                                                                      tmp_path: Path):
    for name in ("Llama-3.2-1B-Instruct-Q8_0.gguf", "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf",
                 "Other-Model-Q4_K_M.gguf", "README.md"):
        hub.add("org/Llama-GGUF", name, b"GGUF" + b"\0" * 64)
    with pytest.raises(MissingFileError) as caught:
        Hub(hub.url).remote_file("org/Llama-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf")
    missing = caught.value
    assert missing.closest == "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf"
    assert "closest file it has with the same quantisation" in str(missing)
    assert [name for name, _ in missing.files] == sorted(
        ["Llama-3.2-1B-Instruct-Q8_0.gguf", "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf",
         "Other-Model-Q4_K_M.gguf"])
    with pytest.raises(MissingFileError) as none_alike:
        Hub(hub.url).remote_file("org/Llama-GGUF", "Llama-3.2-1B-Instruct-IQ2_M.gguf")
    assert none_alike.value.closest is None and "listed to choose from" in str(none_alike.value)


@pytest.mark.parametrize(("name", "quant"), [
    ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M"), ("llama-2-7b-chat.Q3_K_M.gguf", "Q3_K_M"),
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "Q4_1"), ("x/M-IQ2_M-00002-of-00003.gguf", "IQ2_M"),
    ("model-f16.gguf", "F16"), ("model.gguf", None)])
def test_quantisations_are_read_from_file_names(name: str, quant: str | None):
    assert quantisation(name) == quant


def test_the_closest_part_of_a_split_file_is_the_same_part():
    files = ["A-Q4_K_M-00001-of-00003.gguf", "A-Q4_K_M-00002-of-00003.gguf",
             "B-Q4_K_M-00001-of-00006.gguf"]
    assert closest_gguf(files, "A-Q4_K_M-00001-of-00004.gguf") == files[0]
    assert closest_gguf(files, "A-Q4_K_M-00002-of-00004.gguf") == files[1]
    assert closest_gguf(files, "A-Q8_0-00001-of-00004.gguf") is None


def test_repository_names_match_whatever_their_case(hub: FakeHub, tmp_path: Path,
                                                   model_bytes: bytes):
    loader = downloader(hub, tmp_path)
    remote = loader.hub.remote_file(REPO.upper(), NAME)
    assert loader.download(remote).read_bytes() == model_bytes


def test_two_downloads_of_one_file_never_share_the_partial_file(
        hub: FakeHub, tmp_path: Path, model_bytes: bytes):
    """Issue 10: a second process (the window and the command line) asking for the same
    file while the first downloads it is told who holds it; the first ends byte-exact;
    nothing is mixed into its partial file and no mismatch is left behind."""
    hub.faults = Faults(stall_seconds=3, stall_times=1)  # keep the first one busy
    code = f"""
from pathlib import Path
from app.backend.downloads import Downloader, Hub
loader = Downloader(Hub({hub.url!r}), Path({str(tmp_path)!r}))
loader.download(loader.hub.remote_file({REPO!r}, {NAME!r}))
"""
    first = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    partial = tmp_path / ".partial" / f"{NAME}.part"
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.stat().st_size > 0):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    with pytest.raises(DownloadBusyError, match=r"already being downloaded by the command "
                                                r"line of LlamaDesk \(process \d+\)"):
        fetch(hub, tmp_path)
    assert first.wait(60) == 0
    assert (tmp_path / NAME).read_bytes() == model_bytes
    assert not list((tmp_path / ".partial").glob("*.mismatch"))
    assert fetch(hub, tmp_path).read_bytes() == model_bytes  # free again afterwards


def test_a_killed_download_leaves_no_lock_behind(hub: FakeHub, tmp_path: Path,
                                                 model_bytes: bytes):
    lock = tmp_path / ".partial" / f"{NAME}.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("the command line of LlamaDesk (process 999999)")  # a dead holder
    assert fetch(hub, tmp_path).read_bytes() == model_bytes


def test_a_stale_mismatch_file_is_cleaned_up(hub: FakeHub, tmp_path: Path,
                                             model_bytes: bytes):
    import os

    partials = tmp_path / ".partial"
    partials.mkdir()
    mine = partials / f"{NAME}.mismatch"
    mine.write_bytes(b"x" * 1000)
    old = partials / "other.gguf.mismatch"
    old.write_bytes(b"y")
    os.utime(old, (time.time() - 8 * 86400,) * 2)
    recent = partials / "recent.gguf.mismatch"
    recent.write_bytes(b"z")
    fetch(hub, tmp_path)
    assert not mine.exists() and not old.exists() and recent.exists()


def test_an_unreachable_hub_says_so_within_seconds(tmp_path: Path, data_home: Path):
    """Nothing listens on the address: one line, no traceback, well within 30 s."""
    import socket

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    started = time.monotonic()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "llamadesk"), "download", f"{REPO}/{NAME}"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**__import__("os").environ, "HF_ENDPOINT": f"http://127.0.0.1:{port}"})
    assert time.monotonic() - started < 30
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot reach the Hub" in done.stderr and "offline?" in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2, done.stderr
