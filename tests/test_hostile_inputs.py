"""Issue 10: what a hostile or unlucky user gives LlamaDesk gets a clear answer, never a
crash, a hang or a traceback. One named test per class of fault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from app.backend import keychain

EXE = Path(sys.executable).parent / ("llamadesk.exe" if os.name == "nt" else "llamadesk")
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def test_hf_token_in_the_environment_wins_over_the_keyring(monkeypatch: pytest.MonkeyPatch):
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
        assert keychain.get_token() is None
        monkeypatch.setenv("HF_TOKEN", " hf_from_env ")
        assert keychain.get_token() == "hf_from_env"
    finally:
        keyring.set_keyring(before)


def test_token_set_without_a_keyring_says_so_and_fails(data_home: Path):
    done = cli("token", "set", env=NO_KEYRING, stdin="hf_nowhere\n")
    assert done.returncode == 1
    assert "NOT stored" in done.stderr and "HF_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
    status = cli("token", "status", env={**NO_KEYRING, "HF_TOKEN": "hf_x"})
    assert status.returncode == 0 and "HF_TOKEN" in status.stdout


# -- 7. import and export ----------------------------------------------------------------

def _llamadesk(message: dict[str, object], **conversation: object) -> str:
    import json

    base = {"id": 1, "parent": None, "role": "user", "content": "hello"}
    return json.dumps({"format": "llamadesk-conversations", "version": 1, "conversations": [
        {"title": "t", "messages": [{**base, **message}], **conversation}]})


@pytest.mark.parametrize("name, text", [
    ("huge timestamp", _llamadesk({"created_at": 1e300})),
    ("NaN timestamp", _llamadesk({"created_at": float("nan")})),
    ("2**70 timestamp", _llamadesk({"created_at": 2**70})),
    ("2**70 seed", _llamadesk({"seed": 2**70, "role": "user"})),
    ("list as current leaf", _llamadesk({}, current_leaf=[1, 2])),
    ("dict as current leaf", _llamadesk({}, current_leaf={"a": 1})),
])
def test_odd_values_in_an_import_are_dropped_not_fatal(tmp_path: Path, name: str, text: str):
    from app.backend.importers import import_into, read_import
    from app.backend.store import Store

    source = tmp_path / "in.llamadesk"
    source.write_text(text)
    store = Store.open(tmp_path / "history.sqlite")
    try:
        ids = import_into(store, read_import(source))
        assert len(ids) == 1, name
        (message,) = store.messages(ids[0])
        assert message.content == "hello"
        assert message.seed is None or abs(message.seed) < 2**63
    finally:
        store.close()


@pytest.mark.parametrize("name, text, reason", [
    ("lone surrogate", _llamadesk({"content": "\ud800"}), "lone UTF-16 surrogate"),
    ("list where an id belongs", _llamadesk({"id": [1]}), "no usable id"),
    ("no version", '{"format": "llamadesk-conversations", "conversations": []}',
     "format version is missing"),
    ("NaN in settings", _llamadesk({}, settings={"temperature": float("nan")}),
     "not plain JSON"),
])
def test_malformed_imports_get_one_line_and_import_nothing(tmp_path: Path, name: str,
                                                           text: str, reason: str):
    from app.backend.importers import import_into, read_import
    from app.backend.store import Store
    from app.backend.transcripts import TranscriptError

    source = tmp_path / "in.llamadesk"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    store = Store.open(tmp_path / "history.sqlite")
    try:
        with pytest.raises(TranscriptError) as caught:
            import_into(store, read_import(source))
        assert reason in str(caught.value), name
        assert "\n" not in str(caught.value)
        assert store.conversations() == []
    finally:
        store.close()


def test_import_of_a_lone_surrogate_on_the_command_line(tmp_path: Path, data_home: Path):
    source = tmp_path / "in.llamadesk"
    source.write_text(_llamadesk({"content": "\ud800"}), errors="surrogatepass")
    done = cli("import", str(source))
    assert done.returncode == 1, done.stdout
    assert "surrogate" in done.stderr and "Traceback" not in done.stderr


def test_export_refuses_a_missing_or_unwritable_folder(tmp_path: Path, qapp: object):
    from app.backend.exporters import write_export
    from app.backend.transcripts import Transcript, TranscriptError
    from app.ui.export import save_export

    transcript = Transcript("t", "", {}, False, 0.0, 0.0, [], None)
    missing = tmp_path / "no" / "such" / "folder" / "chat.md"
    with pytest.raises(TranscriptError, match="does not exist"):
        write_export(missing, "text")
    assert not (tmp_path / "no").exists()  # no folder was made
    with pytest.raises(TranscriptError, match="does not exist"):
        save_export([transcript], "pdf", missing)
    for fmt in ("pdf", "md"):
        with pytest.raises(TranscriptError, match="Could not write"):
            save_export([transcript], fmt, unwritable_folder(tmp_path) / f"chat.{fmt}")


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: a read-only one, or for root (whom
    permissions do not stop) sysfs, which refuses new files to everyone."""
    if os.geteuid() == 0:
        return Path("/sys")
    locked = tmp_path / "locked"
    locked.mkdir(exist_ok=True)
    locked.chmod(0o500)
    return locked


# -- 6. the Hub address setting on the command line ----------------------------------------

def test_download_uses_the_hub_endpoint_setting(data_home: Path):
    import json
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    (data_home / "config").mkdir(parents=True)
    (data_home / "config" / "settings.json").write_text(
        json.dumps({"hub_endpoint": f"http://127.0.0.1:{port}"}))
    env = {k: v for k, v in os.environ.items() if k != "HF_ENDPOINT"}
    done = subprocess.run([str(EXE), "download", "someone/some-GGUF/model.Q4_K_M.gguf"],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert done.returncode == 1
    assert f"cannot reach the Hub at http://127.0.0.1:{port}" in done.stderr


# -- 8. no console (the frozen window app on Windows) ---------------------------------------

@pytest.mark.real_model
def test_the_command_line_works_with_stdout_and_stderr_closed(data_home: Path):
    """Windows starts the frozen window app with no console: sys.stdout and sys.stderr
    are None.  Closing both descriptors before Python starts does the same here."""
    def close_both() -> None:
        os.close(1)
        os.close(2)

    for args in (["chat", "Say hi.", "--max-tokens", "4", "--threads", "1"], ["doctor"],
                 ["conversations"]):
        done = subprocess.run([str(EXE), *args], stdin=subprocess.DEVNULL, timeout=180,
                              preexec_fn=close_both, check=False)
        assert done.returncode == 0, args
    from app.backend.store import Store

    store = Store.open(data_home / "data" / "history.sqlite")
    try:
        (chat,) = store.conversations()
        answer = store.messages(chat.id)[-1]
        assert answer.role == "assistant" and answer.status == "complete" and answer.content
    finally:
        store.close()


# -- 9. the safety net ----------------------------------------------------------------------

def test_an_unexpected_exception_is_logged_and_shown(tmp_path: Path, qapp: object,
                                                     caplog: pytest.LogCaptureFixture):
    from app.ui.app import install_excepthook
    from app.ui.messages import MessageFunnel

    funnel = MessageFunnel()
    before = sys.excepthook
    install_excepthook(funnel, tmp_path / "llamadesk.log")
    try:
        try:
            raise RuntimeError("a bug nobody caught")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = before
    (shown,) = funnel.pending
    assert "Something went wrong inside LlamaDesk (RuntimeError: a bug nobody caught)" in \
        shown.text and "llamadesk.log" in shown.text
    logged = [r for r in caplog.records if r.getMessage() == "unexpected error"]
    assert logged and logged[0].exc_info and "a bug nobody caught" in str(logged[0].exc_info[1])


def test_faulthandler_writes_into_the_log(tmp_path: Path):
    """A fatal signal (an abort in native code) leaves Python's stacks in the log."""
    log_file = tmp_path / "logs" / "llamadesk.log"
    code = ("import os, signal; from pathlib import Path; from app.backend.logs import "
            f"setup_logging; setup_logging(Path({str(log_file)!r})); "
            "os.kill(os.getpid(), signal.SIGABRT)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                          check=False)
    assert done.returncode != 0
    text = log_file.read_text()
    assert "Fatal Python error: Aborted" in text and "<module>" in text
