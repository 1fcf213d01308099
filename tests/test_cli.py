"""`llamadesk` as a user runs it: a subprocess, the installed entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.ui.highlight import SELF_TEST_LANGUAGES
from tests.conftest import run_cli

pytestmark = pytest.mark.real_model


def test_chat_streams_the_answer_to_stdout(data_home: Path):
    done = run_cli("chat", "What colour is the sky?", "--max-tokens", "24", "--seed", "11",
                   "--temperature", "0.5", "--system", "Answer briefly.", "--threads", "1",
                   "--stats")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().split()) >= 2
    assert "tokens/s" in done.stderr and "seed 11" in done.stderr
    again = run_cli("chat", "What colour is the sky?", "--max-tokens", "24", "--seed", "11",
                    "--temperature", "0.5", "--system", "Answer briefly.", "--threads", "1")
    assert again.stdout == done.stdout  # a fixed seed repeats the answer
    log = (data_home / "logs" / "llamadesk.log").read_text()
    assert "llama.cpp" in log  # llama.cpp's own log went to the file, not the terminal


def test_chat_reads_the_prompt_from_stdin_with_dash():
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "llamadesk"
    done = subprocess.run([str(exe), "chat", "-", "--max-tokens", "6", "--threads", "1"],
                          input="Say hi.", capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_chat_errors_go_to_stderr_with_status_1(tmp_path: Path):
    bad = tmp_path / "weights.gguf"
    bad.write_bytes(b"\x00" * 1000)
    done = run_cli("chat", "hi", "--model", str(bad))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "not a GGUF model file" in done.stderr
    missing = run_cli("chat", "hi", "--model", str(tmp_path / "none.gguf"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_doctor_reports_and_self_tests(data_home: Path):
    done = run_cli("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for label in ("LlamaDesk:", "llama-cpp-python:", "Backend:", "Device:", "CPU features:",
                  "Built-in model:", "Data folder:", "Self-test:"):
        assert label in out, (label, out)
    assert "AVX2" in out or "NEON" in out or "Metal" in out
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in out
    assert str(data_home / "data") in out
    assert "Self-test:         OK" in out


def test_doctor_fails_when_the_self_test_fails(tmp_path: Path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 40)
    done = run_cli("doctor", "--model", str(bad))
    assert done.returncode == 1
    assert "Self-test:         FAILED" in done.stdout


def test_data_dir_flag_moves_every_file(tmp_path: Path):
    target = tmp_path / "elsewhere"
    done = run_cli("--data-dir", str(target), "chat", "hi", "--max-tokens", "2",
                   "--threads", "1")
    assert done.returncode == 0, done.stderr
    assert (target / "logs" / "llamadesk.log").is_file()


def test_version_and_help():
    from app import __version__

    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"LlamaDesk {__version__}"
    helped = run_cli("--help")
    assert helped.returncode == 0
    for word in ("chat", "doctor", "--data-dir", "--version"):
        assert word in helped.stdout
    chat_help = run_cli("chat", "--help")
    for flag in ("--model", "--system", "--max-tokens", "--seed", "--temperature"):
        assert flag in chat_help.stdout


def test_bad_settings_file_falls_back_with_a_message_and_is_kept(data_home: Path):
    settings = data_home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"threads": "lots", "temperature": 0.2')
    done = run_cli("chat", "hi", "--max-tokens", "2", "--threads", "1")
    assert done.returncode == 0, done.stderr
    assert "could not be read" in done.stderr
    assert settings.read_text() == '{"threads": "lots", "temperature": 0.2'


def test_window_self_test_answers_through_the_real_gui(data_home: Path):
    """The `llamadesk` window entry point, offscreen: load, send, answer, exit."""
    import json

    done = run_cli("--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout + done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["ok"] is True and outcome["tokens"] > 0 and outcome["text"]
    assert outcome["backend"] == "CPU, 1 thread"
    assert outcome["highlighting"] == list(SELF_TEST_LANGUAGES)
    assert outcome["translations"] == {"ru": ["llamadesk", "qtbase"]}  # dev.py built the .qm


def test_window_self_test_fails_cleanly_on_a_bad_model(tmp_path: Path):
    import json

    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"nope" * 100)
    done = run_cli("--self-test", "--model", str(bad), env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 1
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["ok"] is False and "not a GGUF model file" in outcome["error"]


def test_chats_are_stored_listed_and_continued(data_home: Path):
    import json

    first = run_cli("chat", "My name is Ada.", "--max-tokens", "8", "--threads", "1",
                    "--system", "You are terse.")
    assert first.returncode == 0, first.stderr
    listed = json.loads(run_cli("conversations", "--json").stdout)
    assert [(c["title"], c["messages"]) for c in listed] == [("My name is Ada.", 2)]
    conversation = listed[0]["id"]
    again = run_cli("chat", "--conversation", str(conversation), "What is my name?",
                    "--max-tokens", "8", "--threads", "1")
    assert again.returncode == 0, again.stderr
    private = run_cli("chat", "--no-save", "secret", "--max-tokens", "4", "--threads", "1")
    assert private.returncode == 0
    listed = json.loads(run_cli("conversations", "--json").stdout)
    assert [(c["id"], c["messages"]) for c in listed] == [(conversation, 4)]
    table = run_cli("conversations").stdout
    assert "My name is Ada." in table and "secret" not in table

    from app.backend.store import Store

    store = Store.open(data_home / "data" / "history.sqlite")
    try:
        messages = store.branch(conversation).messages
        assert [m.content for m in messages][::2] == ["My name is Ada.", "What is my name?"]
        assert store.conversation(conversation).system_prompt == "You are terse."
        assert all(m.status == "complete" for m in messages)
    finally:
        store.close()
    missing = run_cli("chat", "--conversation", "999", "hi")
    assert missing.returncode == 1 and "no conversation 999" in missing.stderr


def test_a_continued_chat_uses_its_own_context_length():
    from app.backend.history import open_history
    from app.backend.paths import AppPaths

    store = open_history(AppPaths.resolve())
    chat = store.create_conversation("", {"context_size": 512})
    store.close()
    long = "Summarise: " + "it was the best of times " * 120  # fits 4,096, not 512
    refused = run_cli("chat", "--conversation", str(chat.id), long, "--threads", "1")
    assert refused.returncode == 1 and "the context holds 512" in refused.stderr
    wider = run_cli("chat", "--conversation", str(chat.id), long, "--context", "4096",
                    "--max-tokens", "4", "--threads", "1")  # the command line still wins
    assert wider.returncode == 0, wider.stderr


def test_export_and_import_from_the_command_line(tmp_path: Path):
    from app.backend.history import open_history
    from app.backend.paths import AppPaths

    store = open_history(AppPaths.resolve())
    chat = store.create_conversation("Sys")
    store.add_message(chat.id, None, "user", "exported words")
    store.close()
    target = tmp_path / "out.pdf"
    done = run_cli("export", str(chat.id), "--format", "pdf", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")
    again = run_cli("export", "--all", "--format", "pdf", "-o", str(target))
    assert again.returncode == 1 and "already exists" in again.stderr
    data = tmp_path / "all.json"
    assert run_cli("export", "--all", "--format", "json", "-o", str(data)).returncode == 0
    imported = run_cli("import", str(data))
    assert imported.returncode == 0 and "Imported 1 conversation" in imported.stdout
    listing = run_cli("conversations").stdout
    assert listing.count("exported words") == 2
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2, 3]")
    failed = run_cli("import", str(bad))
    assert failed.returncode == 1 and "Nothing was imported" in failed.stderr


def test_the_window_quits_cleanly_on_sigterm(data_home: Path):
    """A logout or `kill`: the window quits as with File > Quit and remembers itself."""
    import os
    import signal
    import subprocess
    import sys
    import time

    exe = Path(sys.executable).parent / "llamadesk"
    process = subprocess.Popen([str(exe)], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    log = data_home / "logs" / "llamadesk.log"
    deadline = time.monotonic() + 60
    while not (log.exists() and "app.backend.engine: loaded" in log.read_text()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    process.stdout.close()  # type: ignore[union-attr]
    process.stderr.close()  # type: ignore[union-attr]
    assert (data_home / "config" / "windows.json").is_file()


def test_serve_answers_with_the_key_and_stops_cleanly_on_sigterm(tmp_path: Path):
    """`llamadesk serve` headless: the real entry point, the real model, a key file."""
    import os
    import subprocess
    import sys

    key_file = tmp_path / "key"
    key_file.write_text("ld-a-long-enough-test-key\n")
    exe = Path(sys.executable).parent / "llamadesk"
    with subprocess.Popen(
        [str(exe), "serve", "--port", "0", "--api-key-file", str(key_file), "--threads", "1",
         "--context", "1024"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ}) as process:
        serve_and_stop(process)


def serve_and_stop(process: Any) -> None:
    import re
    import signal

    import openai

    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/v1) \(API key: required", line)
        assert found, line + (process.stderr.read() if process.poll() is not None else "")
        base = found.group(1)
        client = openai.OpenAI(base_url=base, api_key="ld-a-long-enough-test-key",
                               max_retries=0)
        [model] = client.models.list()
        answer = client.chat.completions.create(
            model=model.id, max_tokens=6, messages=[{"role": "user", "content": "Hi"}])
        assert answer.choices[0].message.content
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=base, api_key="nope", max_retries=0).models.list()
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        log = process.stderr.read() if process.stderr else ""
        assert "POST /v1/chat/completions 200" in log and "GET /v1/models 401" in log
        assert "Stopped." in log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_a_bad_key_file_and_a_bad_address(tmp_path: Path):
    short = tmp_path / "short"
    short.write_text("abc")
    done = run_cli("serve", "--api-key-file", str(short), "--port", "0")
    assert done.returncode == 1 and "at least 16 characters" in done.stderr
    done = run_cli("serve", "--host", "example.com", "--port", "0")
    assert done.returncode == 1 and "not an IP address" in done.stderr


def test_chat_stats_shows_reading_a_long_prompt():
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "llamadesk"
    done = subprocess.run([str(exe), "chat", "-", "--max-tokens", "2", "--threads", "1",
                           "--stats", "--no-save"], input="word " * 1100 + "Say ok.",
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert "reading the prompt: 100%" in done.stderr
    assert done.stderr.count("reading the prompt:") >= 2  # it moved on the way


def test_chat_prompt_lookup_flag_leaves_the_answer_as_it_is():
    from bench.lookup import REWRITE

    answers = [run_cli("chat", REWRITE, "--max-tokens", "120", "--temperature", "0",
                       "--threads", "1", "--no-save", flag) for flag in
               ("--prompt-lookup", "--no-prompt-lookup")]
    for done in answers:
        assert done.returncode == 0, done.stderr
    assert "harbour" in answers[0].stdout and answers[0].stdout == answers[1].stdout
    assert "--prompt-lookup" in run_cli("chat", "--help").stdout
