"""The model catalog, memory-fit estimates, the Hub token, and downloads end to end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.backend import keychain
from app.backend.catalog import fit, load_catalog, memory_needed
from app.backend.errors import ModelFileError
from app.backend.models import resolve_model
from tests.conftest import run_cli
from tests.hub_server import FakeHub, serve

REQUIRED = {"llama-3.2-1b-instruct", "llama-3.2-3b-instruct", "llama-3.1-8b-instruct",
            "llama-3.1-70b-instruct", "llama-3.1-405b-instruct", "llama-3.3-70b-instruct",
            "llama-2-7b-chat", "llama-2-13b-chat", "llama-2-70b-chat",
            "codellama-7b-instruct", "codellama-13b-instruct", "codellama-34b-instruct",
            "codellama-70b-instruct", "smollm2-135m"}


def test_the_catalog_covers_the_llama_family():
    catalog = load_catalog()
    assert {m.id for m in catalog} == REQUIRED
    for model in catalog:
        assert model.quant(None).name == model.default_quant
        assert model.license and model.repo and model.context >= 4096
        if not model.builtin:
            assert model.default_quant == "Q4_K_M" and len(model.quants) >= 2
    big = next(m for m in catalog if m.id == "llama-3.1-405b-instruct")
    assert len(big.quant("Q4_K_M").files) > 1  # split files for the big ones
    assert big.quant("Q4_K_M").files[0].path.endswith("-00001-of-00006.gguf")
    # Each quantisation names its own repository: the 405B ones live in two.
    assert big.quant("IQ2_M").repo != big.quant("Q4_K_M").repo
    assert [f.path.split("/")[0] for f in big.quant("IQ2_M").files] == [
        "Meta-Llama-3.1-405B-Instruct-IQ2_M"] * 3


def test_memory_fit_counts_weights_and_kv_cache():
    catalog = {m.id: m for m in load_catalog()}
    small, large = catalog["llama-3.2-1b-instruct"], catalog["llama-3.1-70b-instruct"]
    # Llama 3.1 8B at 8k context: 32 layers x 8 KV heads x 128 dims x 2 (K,V) x 2 bytes.
    assert catalog["llama-3.1-8b-instruct"].kv_cache_bytes(8192) == 1_073_741_824
    assert memory_needed(small, None, 131072) > memory_needed(small, None, 4096)
    assert fit(memory_needed(small, None, 4096), available=16 * 2**30) == "fits"
    assert fit(memory_needed(large, None, 4096), available=16 * 2**30) == "too big"
    needed = memory_needed(small, None, 4096)
    assert fit(needed, available=int(needed * 1.1)) == "tight"


def test_catalog_ids_resolve_to_installed_files(tmp_path: Path):
    with pytest.raises(ModelFileError, match=r"llamadesk download llama-3\.2-1b-instruct"):
        resolve_model("llama-3.2-1b-instruct", tmp_path)
    (tmp_path / "Llama-3.2-1B-Instruct-Q8_0.gguf").write_bytes(b"GGUF")
    chosen = resolve_model("llama-3.2-1b-instruct", tmp_path)  # the installed one
    assert chosen.path.name == "Llama-3.2-1B-Instruct-Q8_0.gguf"
    assert resolve_model("llama-3.2-1b-instruct:Q8_0", tmp_path).id.endswith(":Q8_0")
    assert resolve_model("smollm2-135m", tmp_path).display_name == "SmolLM2 135M (built in)"


class MemoryKeyring(KeyringBackend):
    """A keyring backend in memory: the code under test talks to keyring as usual."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
    keychain.clear_token()


def test_the_token_lives_in_the_keyring(memory_keyring: MemoryKeyring, data_home: Path):
    assert keychain.keyring_problem() is None
    assert keychain.set_token("  hf_abc  ") is None
    assert memory_keyring.items == {("LlamaDesk", "huggingface-token"): "hf_abc"}
    assert keychain.get_token() == "hf_abc"
    keychain.clear_token()
    assert keychain.get_token() is None


def test_without_a_keyring_the_token_is_kept_for_the_session_and_said_so():
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        message = keychain.set_token("hf_session")
        assert message and "for this session only" in message
        assert keychain.get_token() == "hf_session"
    finally:
        keychain.clear_token()
        keyring.set_keyring(before)


def pinned_catalog(tmp_path: Path, data: bytes) -> Path:
    """The app's catalog, with the 1B Q4_K_M entry pinned to ``data`` at the loopback
    Hub's commit (the real pins name files the tests cannot have)."""
    import hashlib
    import json

    from app.backend.catalog import catalog_path
    from tests.hub_server import COMMIT

    catalog = json.loads(catalog_path().read_text())
    entry = next(m for m in catalog["models"] if m["id"] == "llama-3.2-1b-instruct")
    entry["quants"]["Q4_K_M"] = {"revision": COMMIT, "files": [{
        "path": "Llama-3.2-1B-Instruct-Q4_K_M.gguf", "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest()}]}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    return path


def test_download_from_the_command_line_then_chat_with_it(builtin_path: Path, data_home: Path,
                                                          tmp_path: Path):
    """`llamadesk download` against a Hub on loopback (HF_ENDPOINT), then the model runs."""
    import json

    data = builtin_path.read_bytes()  # real GGUF bytes under the catalog's name
    hub = FakeHub()
    hub.add("bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf", data)
    with serve(hub):
        env = {"HF_ENDPOINT": hub.url, "LLAMADESK_CATALOG": str(pinned_catalog(tmp_path, data))}
        done = run_cli("download", "llama-3.2-1b-instruct", env=env)
        assert done.returncode == 0, done.stderr
        assert "Installed Llama 3.2 1B Instruct Q4_K_M" in done.stdout
        installed = data_home / "data" / "models" / "Llama-3.2-1B-Instruct-Q4_K_M.gguf"
        assert installed.read_bytes() == data
        again = run_cli("download", "llama-3.2-1b-instruct", env=env)  # already there
        assert again.returncode == 0
        missing = run_cli("download", "llama-3.2-3b-instruct", env=env)
        assert missing.returncode == 1 and "no repository" in missing.stderr
    listed = run_cli("models", "--json")
    rows = {(r["id"], r["quant"]): r for r in json.loads(listed.stdout)}
    assert rows[("llama-3.2-1b-instruct", "Q4_K_M")]["installed"] is True
    assert rows[("llama-3.2-1b-instruct", "Q8_0")]["installed"] is False
    chat = run_cli("chat", "--model", "llama-3.2-1b-instruct", "Hi", "--max-tokens", "4",
                   "--threads", "1", "--no-save")
    assert chat.returncode == 0, chat.stderr
    assert os.environ.get("HF_ENDPOINT") is None


def test_the_real_catalog_refuses_a_file_that_is_not_the_one_it_pinned(builtin_path: Path,
                                                                        data_home: Path):
    """A repository whose file changed under the catalog's name: nothing is fetched."""
    hub = FakeHub()
    hub.add("bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
            builtin_path.read_bytes()[:1_000_000])
    with serve(hub):
        done = run_cli("download", "llama-3.2-1b-instruct", env={"HF_ENDPOINT": hub.url})
    assert done.returncode == 1
    assert "is not the file LlamaDesk's catalog was checked against" in done.stderr
    assert not any("/resolve/" in p for _m, p, _h in hub.requests)
    assert not list((data_home / "data" / "models").glob("*.gguf"))


def test_a_file_gone_from_its_repository_offers_the_closest_one(builtin_path: Path,
                                                                data_home: Path,
                                                                tmp_path: Path):
    data = builtin_path.read_bytes()  # a whole model: a download is checked before use
    hub = FakeHub()
    repo = "bartowski/Llama-3.2-1B-Instruct-GGUF"
    hub.add(repo, "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf", data)  # renamed upstream
    hub.add(repo, "Llama-3.2-1B-Instruct-Q8_0.gguf", data)
    with serve(hub):
        env = {"HF_ENDPOINT": hub.url, "LLAMADESK_CATALOG": str(pinned_catalog(tmp_path, data))}
        done = run_cli("download", "llama-3.2-1b-instruct", env=env)
        assert done.returncode == 1
        assert "no file 'Llama-3.2-1B-Instruct-Q4_K_M.gguf' (any more)" in done.stderr
        assert "Llama-3.2-1B-Instruct-Q8_0.gguf" in done.stderr  # the listing
        suggestion = f"llamadesk download {repo}/Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf"
        assert suggestion in done.stderr
        closest = run_cli(*suggestion.split()[1:], env=env)
        assert closest.returncode == 0, closest.stderr
    assert (data_home / "data" / "models" / "Llama-3.2-1B-Instruct-Q4_K_M-v2.gguf"
            ).read_bytes() == data


@pytest.mark.parametrize("content", [b"", b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 100,
                                     os.urandom(10_000), b"<html>not found</html>"])
def test_bad_files_offered_as_models_are_refused(tmp_path: Path, content: bytes):
    from app.backend.models import add_local_model

    source = tmp_path / "offered.gguf"
    source.write_bytes(content)
    models = tmp_path / "models"
    models.mkdir()
    with pytest.raises(ModelFileError):
        add_local_model(source, models)
    assert list(models.glob("*.gguf")) == []


def test_a_truncated_model_is_refused_and_a_good_one_added(builtin_path: Path,
                                                           tmp_path: Path):
    from app.backend.engine import Engine, LoadOptions
    from app.backend.models import add_local_model

    models = tmp_path / "models"
    models.mkdir()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(builtin_path.read_bytes()[:40_000_000])
    with pytest.raises(ModelFileError, match="incomplete"):
        add_local_model(cut, models)
    added = add_local_model(builtin_path, models)
    assert added.read_bytes() == builtin_path.read_bytes()
    engine = Engine()
    try:
        assert engine.load(added, LoadOptions(context_size=256, threads=1)).architecture == \
            "llama"
    finally:
        engine.close()
