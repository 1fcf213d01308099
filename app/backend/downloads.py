"""Model downloads from the Hugging Face Hub that survive anything.

huggingface_hub gives the URLs, headers, metadata and authentication; the bytes
come by ranged GETs done here, because the client no longer resumes across
attempts.  A download writes ``<models>/.partial/<file>.part`` beside a sidecar
(URL, ETag, expected size and sha256), so it resumes after a dropped connection,
a stall, a pause or an app restart.  Free space is checked first; the finished
file is checked against the Hub's size and sha256 and only then moved into the
models folder, atomically.  A file whose hash is wrong never reaches it.

The token is sent only to the Hub's own address (httpx drops the Authorization
header on a redirect to another host) and never written anywhere.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from app.backend.errors import LlamaDeskError
from app.backend.words import Said, said

if TYPE_CHECKING:
    from app.backend.catalog import CatalogFile

log = logging.getLogger(__name__)
DEFAULT_ENDPOINT = "https://huggingface.co"
CHUNK = 1 << 20
HUB_TIMEOUT = 15.0  # seconds for a metadata request: offline is said within seconds
MISMATCH_KEPT_SECONDS = 7 * 86400  # a download that failed its check is kept a week
FREE_SPACE_MARGIN = 256 << 20  # keep this much free beyond the download


class DownloadError(LlamaDeskError):
    """A download failed; the partial data is kept for a resume unless said otherwise."""


class GatedModelError(DownloadError):
    """The repository needs its licence accepted and a token."""


class DownloadCancelled(DownloadError):  # noqa: N818 - reads as what happened
    """The user cancelled or paused; the partial data is kept."""


class MissingFileError(DownloadError):
    """The repository does not have the file (any more).

    ``files`` are the repository's GGUF files (name, size); ``closest`` is the one
    that looks most like the missing file with the same quantisation, if any.
    """

    def __init__(self, message: str, repo: str, filename: str,
                 files: Sequence[tuple[str, int]], closest: str | None) -> None:
        super().__init__(message)
        self.repo = repo
        self.filename = filename
        self.files = tuple(files)
        self.closest = closest


@dataclass(frozen=True)
class RemoteFile:
    repo: str
    filename: str
    revision: str
    url: str
    size: int
    sha256: str | None
    commit: str | None


@dataclass(frozen=True)
class Progress:
    filename: str
    done: int
    total: int
    bytes_per_second: float

    @property
    def seconds_left(self) -> float | None:
        if self.bytes_per_second <= 0:
            return None
        return (self.total - self.done) / self.bytes_per_second


def hub_endpoint(setting: str | None = None) -> str:
    """The Hub's address: a setting, else HF_ENDPOINT (as huggingface_hub users expect)."""
    return (setting or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


class Hub:
    """Metadata and authentication through huggingface_hub, for one endpoint and token."""

    def __init__(self, endpoint: str | None = None, token: str | None = None) -> None:
        self.endpoint = hub_endpoint(endpoint)
        self._token = token

    def remote_file(self, repo: str, filename: str, revision: str = "main",
                    expected: CatalogFile | None = None) -> RemoteFile:
        """Where a file is and what it must be.

        ``expected`` is the catalog's record (size, sha256) of the file at
        ``revision``: the Hub must agree with it, and the download is verified
        against the catalog's hash.  Where the pinned commit is gone (history
        rewritten) or holds other bytes, "main" is asked for the same bytes.
        """
        try:
            return self._remote_file(repo, filename, revision, expected)
        except (_NoRevision, _NotAsPinned) as error:
            if revision == "main" or expected is None or expected.sha256 is None:
                if isinstance(error, _NotAsPinned):
                    raise error.error from None
                raise DownloadError(said("{repo} has no revision {revision!r}.", repo=repo,
                                         revision=revision)) from None
            log.warning("%s@%s does not hold %s as pinned (%s); trying main", repo, revision,
                        filename, type(error).__name__)
        try:
            return self._remote_file(repo, filename, "main", expected)
        except _NotAsPinned as error:
            raise error.error from None
        except _NoRevision:
            raise DownloadError(said("{repo} has no revision {revision!r}.", repo=repo,
                                     revision="main")) from None

    def _remote_file(self, repo: str, filename: str, revision: str,
                     expected: CatalogFile | None) -> RemoteFile:
        from huggingface_hub import hf_hub_url

        info = self._model_info(repo, revision)
        siblings = info.siblings or []
        sibling = next((s for s in siblings if s.rfilename == filename), None)
        if sibling is None:
            raise self._missing(repo, filename, siblings)
        lfs = getattr(sibling, "lfs", None)
        size = int(getattr(lfs, "size", None) or sibling.size or 0)
        sha256 = getattr(lfs, "sha256", None)
        if expected is not None:
            # The sha256 decides; an exact size decides where the catalog has no hash.
            differs = sha256 != expected.sha256 if expected.sha256 else (
                expected.size_exact and size != expected.size)
            if differs:
                raise _NotAsPinned(DownloadError(said(
                    "{repo}/{filename} on the Hub is not the file LlamaDesk's catalog was "
                    "checked against (catalog: {catalog_size:,} bytes, sha256 "
                    "{catalog_hash}; Hub: {hub_size:,} bytes, sha256 {hub_hash}), so it is not "
                    "downloaded. The repository was probably changed: update LlamaDesk, or "
                    "choose a file yourself with Models > Open from the Hub.",
                    repo=repo, filename=filename, catalog_size=expected.size,
                    catalog_hash=expected.sha256, hub_size=size, hub_hash=sha256)))
            sha256 = expected.sha256 or sha256
        if not size:
            raise DownloadError(said("The Hub does not say how large {filename} is.",
                                     filename=filename))
        # A commit id in the URL (when pinned) fetches exactly the bytes that were checked.
        return RemoteFile(repo, filename, revision,
                          hf_hub_url(repo, filename, revision=revision, endpoint=self.endpoint),
                          size, sha256, info.sha)

    def _model_info(self, repo: str, revision: str) -> Any:
        import httpx2
        from huggingface_hub import HfApi
        from huggingface_hub.errors import (
            EntryNotFoundError,
            GatedRepoError,
            HfHubHTTPError,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        api = HfApi(endpoint=self.endpoint, token=self._token or False)
        try:
            return api.model_info(repo, revision=revision, files_metadata=True,
                                  timeout=HUB_TIMEOUT)
        except GatedRepoError:
            raise self._gated(repo) from None
        except RepositoryNotFoundError:
            if self._token:
                raise DownloadError(said("The Hub has no repository {repo!r} that this token "
                                         "can see.", repo=repo)) from None
            raise DownloadError(said("The Hub has no repository {repo!r} that this token can "
                                     "see. If it is private or gated, set your Hub token.",
                                     repo=repo)) from None
        except (RevisionNotFoundError, EntryNotFoundError):
            raise _NoRevision from None
        except HfHubHTTPError as error:
            raise DownloadError(said("The Hub refused the request for {repo}: {error}",
                                     repo=repo, error=error)) from None
        except (OSError, httpx2.TransportError, httpx2.TimeoutException) as error:
            reason = str(error).strip().splitlines()[-1][:160] if str(error).strip() else \
                type(error).__name__
            raise DownloadError(said(
                "LlamaDesk cannot reach the Hub at {endpoint} (offline?): {reason}. Check the "
                "connection, or the Hub address (hub_endpoint in settings.json, or "
                "HF_ENDPOINT).", endpoint=self.endpoint, reason=reason)) from None

    def _missing(self, repo: str, filename: str, siblings: Sequence[Any]) -> MissingFileError:
        files = sorted((s.rfilename, int(getattr(s.lfs, "size", None) or s.size or 0))
                       for s in siblings if s.rfilename.lower().endswith(".gguf"))
        closest = closest_gguf([name for name, _size in files], filename)
        quant = quantisation(filename)
        if closest:
            message = said("{repo} has no file {filename!r} (any more). The closest file it has "
                           "with the same quantisation is {closest}; choose it to download that "
                           "instead.", repo=repo, filename=filename, closest=closest)
        elif files and quant:
            message = said("{repo} has no file {filename!r} (any more). It has no other {quant} "
                           "file; its GGUF files are listed to choose from.", repo=repo,
                           filename=filename, quant=quant)
        elif files:
            message = said("{repo} has no file {filename!r} (any more). It has no other such "
                           "file; its GGUF files are listed to choose from.", repo=repo,
                           filename=filename)
        else:
            message = said("{repo} has no file {filename!r} (any more). It has no GGUF files at "
                           "all.", repo=repo, filename=filename)
        return MissingFileError(message, repo, filename, files, closest)

    def gguf_files(self, repo: str, revision: str = "main") -> list[tuple[str, int]]:
        """The GGUF files of a repository, with their sizes (for "Open from the Hub")."""
        try:
            info = self._model_info(repo, revision)
        except _NoRevision:
            raise DownloadError(said("{repo} has no revision {revision!r}.", repo=repo,
                                     revision=revision)) from None
        files = [(s.rfilename, int(getattr(s.lfs, "size", None) or s.size or 0))
                 for s in info.siblings or [] if s.rfilename.lower().endswith(".gguf")]
        if not files:
            raise DownloadError(said("{repo} has no GGUF files. LlamaDesk runs GGUF models; "
                                     "look for a repository whose name ends in -GGUF.",
                                     repo=repo))
        return sorted(files)

    def headers(self, url: str) -> dict[str, str]:
        """Request headers; the token only ever goes to the Hub's own host."""
        from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

        same_host = urlparse(url).netloc == urlparse(self.endpoint).netloc
        return dict(build_hf_headers(token=self._token if (self._token and same_host)
                                     else False, library_name="llamadesk"))

    def _gated(self, repo: str) -> GatedModelError:
        page = f"{self.endpoint}/{repo}"
        if self._token:
            return GatedModelError(said(
                "{repo} is gated: accept its licence at {page} with the account whose token "
                "is set (Models > Hub token… in the window, or `llamadesk token set`), then "
                "try again.", repo=repo, page=page))
        return GatedModelError(said(
            "{repo} is gated: accept its licence at {page}, then set your Hub token "
            "(Models > Hub token… in the window, or `llamadesk token set`; a read token from "
            "your Hub account settings) and try again.", repo=repo, page=page))


@dataclass
class _Sidecar:
    url: str
    etag: str | None
    size: int
    sha256: str | None
    repo: str
    filename: str
    revision: str


class Downloader:
    """Downloads one file at a time into ``models``; safe to call again to resume."""

    def __init__(self, hub: Hub, models: Path, *, retries: int = 10,
                 stall_seconds: float = 30.0, backoff_cap: float = 30.0,
                 backoff_base: float = 1.0) -> None:
        self.hub = hub
        self.models = models
        self.partials = models / ".partial"
        self.retries = retries
        self.stall_seconds = stall_seconds
        self.backoff_cap = backoff_cap
        self.backoff_base = backoff_base

    def target(self, remote: RemoteFile) -> Path:
        return self.models / Path(remote.filename).name

    def partial(self, remote: RemoteFile) -> Path:
        return self.partials / (Path(remote.filename).name + ".part")

    def download(self, remote: RemoteFile,
                 progress: Callable[[Progress], None] | None = None,
                 cancel: threading.Event | None = None) -> Path:
        target = self.target(remote)
        if target.exists() and target.stat().st_size == remote.size:
            return target
        self.partials.mkdir(parents=True, exist_ok=True)
        partial = self.partial(remote)
        lock = partial.with_suffix(".lock")
        with DownloadLock(lock, remote.filename):
            if target.exists() and target.stat().st_size == remote.size:
                return target  # the other one finished it while this one waited to start
            self._clean_mismatches(partial)
            done = self._download(remote, partial, target, progress, cancel)
            # the file is in place: a process that opened the lock meanwhile finds it there
            lock.unlink(missing_ok=True)
            return done

    def _download(self, remote: RemoteFile, partial: Path, target: Path,
                  progress: Callable[[Progress], None] | None,
                  cancel: threading.Event | None) -> Path:
        sidecar_path = partial.with_suffix(".json")
        sidecar = _Sidecar(remote.url, None, remote.size, remote.sha256, remote.repo,
                           remote.filename, remote.revision)
        have = self._resumable(partial, sidecar_path, sidecar)
        self._check_space(remote.size - have, remote.filename)
        sidecar_path.write_text(json.dumps(asdict(sidecar)))

        failures = 0
        while True:
            have = partial.stat().st_size if partial.exists() else 0
            if have >= remote.size:
                break
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled(said(
                    "The download of {filename} was stopped at {done:,} of {total:,} bytes; it "
                    "can resume.", filename=remote.filename, done=have, total=remote.size))
            try:
                gained = self._fetch(remote, partial, sidecar, sidecar_path, have, progress,
                                     cancel)
            except _Transient as error:
                failures = 0 if error.gained else failures + 1
                if failures > self.retries:
                    raise DownloadError(said(
                        "The download of {filename} failed {failures} times in a row "
                        "({reason}); {done:,} of {total:,} bytes are kept and it will "
                        "resume from there.", filename=remote.filename, failures=failures,
                        reason=error, done=have, total=remote.size)) from None
                delay = min(self.backoff_cap, self.backoff_base * 2 ** max(0, failures - 1))
                log.warning("download of %s interrupted (%s); retrying in %.1f s",
                            remote.filename, error, delay)
                if cancel is not None and cancel.wait(delay):
                    continue
                if cancel is None:
                    time.sleep(delay)
                continue
            if gained:
                failures = 0
        return self._finish(remote, partial, sidecar_path, target)

    # -- internals -----------------------------------------------------------

    def _clean_mismatches(self, partial: Path) -> None:
        """A new attempt replaces this file's mismatch; others go after a week."""
        now = time.time()
        for stale in self.partials.glob("*.mismatch"):
            with contextlib.suppress(OSError):
                if stale == partial.with_suffix(".mismatch") or \
                        now - stale.stat().st_mtime > MISMATCH_KEPT_SECONDS:
                    stale.unlink()
                    log.info("removed the stale %s", stale.name)

    def _resumable(self, partial: Path, sidecar_path: Path, wanted: _Sidecar) -> int:
        """Bytes of an earlier attempt that are safe to keep (same file, same version)."""
        if not partial.exists() or not sidecar_path.exists():
            partial.unlink(missing_ok=True)
            return 0
        try:
            old = _Sidecar(**json.loads(sidecar_path.read_text()))
        except (ValueError, TypeError):
            old = None
        same = old is not None and (old.url, old.size, old.sha256) == (
            wanted.url, wanted.size, wanted.sha256)
        if not same or partial.stat().st_size > wanted.size:
            partial.unlink()
            return 0
        wanted.etag = old.etag if old else None
        return partial.stat().st_size

    def _check_space(self, needed: int, filename: str) -> None:
        free = shutil.disk_usage(self.models).free
        if free < needed + FREE_SPACE_MARGIN:
            raise DownloadError(said(
                "Not enough free disk space for {filename}: it needs {needed:.1f} GiB more and "
                "{free:.1f} GiB is free in {folder}. Free some space or move the data folder "
                "(LLAMADESK_HOME) to a larger disk.", filename=filename, needed=needed / 2**30,
                free=free / 2**30, folder=self.models))

    def _fetch(self, remote: RemoteFile, partial: Path, sidecar: _Sidecar, sidecar_path: Path,
               have: int, progress: Callable[[Progress], None] | None,
               cancel: threading.Event | None) -> int:
        import httpx2
        from huggingface_hub import get_session

        headers = self.hub.headers(remote.url)
        if have:
            headers["Range"] = f"bytes={have}-"
            if sidecar.etag:
                headers["If-Range"] = sidecar.etag
        timeout = httpx2.Timeout(30.0, read=self.stall_seconds)
        gained = 0
        started = time.monotonic()
        try:
            with get_session().stream("GET", remote.url, headers=headers, timeout=timeout,
                                      follow_redirects=True) as response:
                if response.status_code in (401, 403):
                    if response.headers.get("X-Error-Code") == "GatedRepo" or \
                            response.status_code == 403:
                        raise self.hub._gated(remote.repo)
                    raise DownloadError(said(
                        "The Hub refused {filename} (HTTP {status}); check the token (Models > "
                        "Hub token… in the window, or `llamadesk token set`).",
                        filename=remote.filename, status=response.status_code))
                if response.status_code == 404:
                    raise DownloadError(said("{filename} is no longer on the Hub (404).",
                                             filename=remote.filename))
                if response.status_code == 416:
                    return 0  # nothing left to fetch: verification decides
                if response.status_code >= 500 or response.status_code == 429:
                    raise _Transient(f"HTTP {response.status_code}", 0)
                if response.status_code not in (200, 206):
                    raise DownloadError(said(
                        "Unexpected answer from the Hub for {filename}: HTTP {status}.",
                        filename=remote.filename, status=response.status_code))
                etag = response.headers.get("ETag") or response.headers.get("X-Linked-Etag")
                if response.status_code == 200 and have:
                    have = 0  # the server sent the whole file: start over
                if etag and etag != sidecar.etag:
                    sidecar.etag = etag
                    sidecar_path.write_text(json.dumps(asdict(sidecar)))
                mode = "ab" if have else "wb"
                with partial.open(mode) as stream:
                    for chunk in response.iter_bytes(CHUNK):
                        if cancel is not None and cancel.is_set():
                            break
                        stream.write(chunk)
                        gained += len(chunk)
                        if progress is not None:
                            elapsed = max(time.monotonic() - started, 1e-6)
                            progress(Progress(remote.filename, have + gained, remote.size,
                                              gained / elapsed))
        except OSError as error:
            raise DownloadError(said(
                "Could not write {name}: {reason}. Free some disk space; the bytes already "
                "downloaded are kept.", name=partial.name,
                reason=error.strerror or error)) from None
        except (httpx2.TimeoutException, httpx2.TransportError) as error:
            kind = said("no data") if isinstance(error, httpx2.ReadTimeout) else \
                said("connection lost")
            raise _Transient(kind, gained) from None
        return gained

    def _finish(self, remote: RemoteFile, partial: Path, sidecar_path: Path,
                target: Path) -> Path:
        size = partial.stat().st_size
        digest = _sha256(partial) if remote.sha256 else None
        if size != remote.size or (remote.sha256 and digest != remote.sha256):
            bad = partial.with_suffix(".mismatch")
            partial.replace(bad)
            sidecar_path.unlink(missing_ok=True)
            raise DownloadError(said(
                "The downloaded {filename} does not match the Hub's record (expected "
                "{expected_size:,} bytes, sha256 {expected_hash}; got {got_size:,} bytes, sha256 "
                "{got_hash}). It was kept out of the models folder as {path}; download it "
                "again.", filename=remote.filename, expected_size=remote.size,
                expected_hash=remote.sha256, got_size=size, got_hash=digest, path=bad))
        partial.replace(target)
        sidecar_path.unlink(missing_ok=True)
        log.info("downloaded %s/%s to %s", remote.repo, remote.filename, target)
        return target


class DownloadBusyError(DownloadError):
    """Another LlamaDesk (window or command line) is downloading the same file."""


class DownloadLock:
    """One download per file at a time, across processes: an OS lock on a file beside
    the partial download, which says who holds it.  The OS releases it when the holder
    dies, so a killed download never blocks the next one."""

    def __init__(self, path: Path, filename: str) -> None:
        self.path = path
        self.filename = filename
        self._file: Any = None

    def __enter__(self) -> DownloadLock:
        handle = self.path.open("a+", encoding="utf-8")
        try:
            _lock_file(handle)
        except OSError:
            handle.seek(0)
            holder = _holder(handle.read().strip())
            handle.close()
            raise DownloadBusyError(said(
                "{filename} is already being downloaded by {holder}. It will be in the "
                "models folder when that download ends; there is no need to start another.",
                filename=self.filename, holder=holder)) from None
        handle.seek(0)
        handle.truncate()
        program = "the window" if "PySide6.QtWidgets" in sys.modules else "the command line"
        handle.write(f"{program} of LlamaDesk (process {os.getpid()})")
        handle.flush()
        self._file = handle
        return self

    def __exit__(self, *_exc: object) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
            handle.close()  # closing releases the OS lock


_HOLDER = re.compile(r"the (window|command line) of LlamaDesk \(process (\d+)\)")


def _holder(written: str) -> str:
    """Who holds a download's lock, as its lock file says (in English, as written
    above), in words that translate."""
    match = _HOLDER.fullmatch(written)
    if match is None:
        return written or said("another LlamaDesk")
    if match.group(1) == "window":
        return said("the window of LlamaDesk (process {pid})", pid=int(match.group(2)))
    return said("the command line of LlamaDesk (process {pid})", pid=int(match.group(2)))


def _lock_file(handle: Any) -> None:
    """Lock a whole open file without waiting; OSError when another process holds it."""
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class _NoRevision(Exception):  # noqa: N818 - internal: "try another revision"
    pass


class _NotAsPinned(Exception):  # noqa: N818 - internal: "try main, else say this"
    def __init__(self, error: DownloadError) -> None:
        super().__init__(str(error))
        self.error = error


class _Transient(Exception):  # noqa: N818 - internal: "try again", not an error
    def __init__(self, reason: str, gained: int) -> None:
        super().__init__(reason)
        self.gained = gained


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


_QUANT = re.compile(r"(?i)(?:I?Q\d(?:_[A-Z0-9]+)*|BF16|F16|F32)")
_SPLIT_PART = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)


def quantisation(filename: str) -> str | None:
    """The quantisation named in a GGUF file name ("Q4_K_M"), if one is."""
    for token in reversed(re.split(r"[-./\\]", Path(filename).name)):
        if _QUANT.fullmatch(token):
            return token.upper()
    return None


def _part(filename: str) -> int:
    """Which part of a split GGUF this is (1 for a whole file)."""
    match = _SPLIT_PART.search(filename)
    return int(match.group(1)) if match else 1


def closest_gguf(files: Sequence[str], missing: str) -> str | None:
    """The file most like ``missing`` among those with the same quantisation (the first
    part, for a split file), or None."""
    wanted = quantisation(missing)
    if wanted is None:
        return None
    candidates = [name for name in files
                  if quantisation(name) == wanted and _part(name) == _part(missing)]
    if not candidates:
        return None

    def likeness(name: str) -> float:
        return difflib.SequenceMatcher(None, name.lower(), missing.lower()).ratio()

    return max(candidates, key=likeness)


def describe(progress: Progress) -> Said:
    """'42.0 of 98.4 MB, 12.3 MB/s, 5 s left'"""
    left = progress.seconds_left
    if left is None:
        return said("{done:.1f} of {total:.1f} MB, {speed:.1f} MB/s",
                    done=progress.done / 1e6, total=progress.total / 1e6,
                    speed=progress.bytes_per_second / 1e6)
    return said("{done:.1f} of {total:.1f} MB, {speed:.1f} MB/s, {left:.0f} s left",
                done=progress.done / 1e6, total=progress.total / 1e6,
                speed=progress.bytes_per_second / 1e6, left=left)
