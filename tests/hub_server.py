"""A Hugging Face Hub on loopback that speaks the client's protocol, with faults on demand.

Serves model metadata (/api/models/REPO[/revision/REV], with blobs: sizes and sha256)
and files (/REPO/resolve/REV/FILE: ETag, X-Repo-Commit, Content-Length, Range), and
answers 401/403 (with X-Error-Code: GatedRepo) for gated repositories without the
right token.  Repository ids are matched case-insensitively, as on the Hub, and the
metadata names a repository the way it was added.  Revisions: "main" and COMMIT;
any other answers 404 RevisionNotFound.  Faults: drop the connection after N bytes,
stall for a while, serve wrong bytes, 404, 500s.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class Faults:
    drop_after: int | None = None  # close the connection after this many body bytes...
    drop_times: int = 0  # ...this many times
    stall_seconds: float = 0.0  # pause this long mid-body...
    stall_times: int = 0  # ...this many times
    corrupt: bool = False  # serve other bytes than the metadata says
    server_errors: int = 0  # answer 500 this many times first


@dataclass
class FakeHub:
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (repo, name) -> data
    # Older commits: revision -> their own files; "main" and COMMIT serve ``files``.
    history: dict[str, dict[tuple[str, str], bytes]] = field(default_factory=dict)
    gated: dict[str, str] = field(default_factory=dict)  # repo -> token that may read it
    faults: Faults = field(default_factory=Faults)
    # method, path, headers (names in lower case)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def add(self, repo: str, filename: str, data: bytes) -> None:
        self.files[(repo, filename)] = data

    def canonical(self, repo: str) -> str | None:
        """The repository id as added, for any spelling of its case."""
        return next((r for r, _name in self.files if r.lower() == repo.lower()), None)

    def at(self, revision: str | None) -> dict[tuple[str, str], bytes]:
        return self.history.get(revision or "main", self.files)


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_GET(self) -> None:
            self._serve(head=False)

        def _refuse(self, repo: str) -> bool:
            token = hub.gated.get(repo)
            if token is None:
                return False
            sent = self.headers.get("Authorization", "")
            if sent == f"Bearer {token}":
                return False
            self.send_response(401 if not sent else 403)
            self.send_header("X-Error-Code", "GatedRepo")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True

        def _serve(self, head: bool) -> None:
            hub.requests.append((self.command, self.path,
                                 {k.lower(): v for k, v in self.headers.items()}))
            path = self.path.split("?", 1)[0]
            meta = re.fullmatch(r"/api/models/(.+?)(?:/revision/([^/]+))?", path)
            if meta:
                if not self._unknown_revision(meta.group(2)):
                    self._metadata(hub.canonical(meta.group(1)) or meta.group(1),
                                   hub.at(meta.group(2)), meta.group(2))
                return
            resolve = re.fullmatch(r"/(.+?)/resolve/([^/]+)/(.+)", path)
            if not resolve:
                self._empty(404)
                return
            repo, revision, filename = resolve.groups()
            repo = hub.canonical(repo) or repo
            if self._refuse(repo) or self._unknown_revision(revision):
                return
            data = hub.at(revision).get((repo, filename))
            if data is None:
                self.send_response(404)
                self.send_header("X-Error-Code", "EntryNotFound")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if hub.faults.server_errors > 0:
                hub.faults.server_errors -= 1
                self._empty(500)
                return
            body = bytes(b ^ 0xFF for b in data) if hub.faults.corrupt else data
            etag = '"' + hashlib.sha256(data).hexdigest() + '"'
            start = 0
            match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
            if match:
                start = int(match.group(1))
                if start >= len(body):
                    self._empty(416)
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("ETag", etag)
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if head:
                return
            self._body(body[start:])

        def _unknown_revision(self, revision: str | None) -> bool:
            if revision in (None, "main", COMMIT) or revision in hub.history:
                return False
            self.send_response(404)
            self.send_header("X-Error-Code", "RevisionNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True

        def _body(self, body: bytes) -> None:
            faults = hub.faults
            sent = 0
            step = 64 * 1024
            while sent < len(body):
                if faults.drop_times > 0 and faults.drop_after is not None and \
                        sent >= faults.drop_after:
                    faults.drop_times -= 1
                    self.connection.shutdown(2)  # the connection drops mid-file
                    return
                if faults.stall_times > 0 and sent >= len(body) // 3:
                    faults.stall_times -= 1
                    time.sleep(faults.stall_seconds)
                piece = body[sent:sent + step]
                try:
                    self.wfile.write(piece)
                except OSError:
                    return
                sent += len(piece)

        def _metadata(self, repo: str, files: dict[tuple[str, str], bytes],
                      revision: str | None) -> None:
            if self._refuse(repo):
                return
            siblings = [{"rfilename": name, "size": len(data),
                         "lfs": {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                                 "pointerSize": 134}}
                        for (r, name), data in files.items() if r == repo]
            if not siblings:
                self.send_response(404)
                self.send_header("X-Error-Code", "RepoNotFound")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            sha = revision if revision in hub.history else COMMIT
            payload = json.dumps({"id": repo, "modelId": repo, "sha": sha, "private": False,
                                  "gated": repo in hub.gated, "siblings": siblings}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _empty(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def serve(hub: FakeHub) -> Iterator[FakeHub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    server.daemon_threads = True
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
