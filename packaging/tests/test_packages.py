"""The built installers, tested as a user gets them.  Run by `python3 dev.py package`
after packaging/build.py; not part of the everyday test command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
APP_ID = "io.github.llamadesk.LlamaDesk"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the .deb and .tar.gz are built on Linux")


def only(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb unpacked into a temporary root, as dpkg would lay it out."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(only("llamadesk_*.deb")), str(root)], check=True)
    return root


def run_frozen(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update(QT_QPA_PLATFORM="offscreen", LLAMADESK_HOME=str(home), PATH="/usr/bin:/bin")
    return subprocess.run([str(program), *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False, cwd=home.parent)


@linux_only
def test_deb_declares_itself(installed: Path) -> None:
    info = subprocess.run(["dpkg-deb", "--info", str(only("llamadesk_*.deb"))],
                          capture_output=True, text=True, check=True).stdout
    assert "Package: llamadesk" in info and "Depends: libc6" in info and "libgl1" in info
    for path in ("opt/llamadesk/llamadesk", "usr/bin/llamadesk",
                 f"usr/share/applications/{APP_ID}.desktop",
                 f"usr/share/metainfo/{APP_ID}.metainfo.xml",
                 f"usr/share/icons/hicolor/256x256/apps/{APP_ID}.png",
                 f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"):
        assert (installed / path).exists(), path
    assert "/opt/llamadesk/llamadesk" in (installed / "usr/bin/llamadesk").read_text()


@linux_only
def test_installed_doctor_self_test_runs_the_built_in_model(installed: Path,
                                                          tmp_path: Path) -> None:
    done = run_frozen(installed / "opt/llamadesk/llamadesk", "doctor", home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Self-test:         OK" in done.stdout
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in done.stdout
    assert str(installed) in done.stdout  # the model found inside the bundle, offline


@linux_only
def test_installed_window_opens_answers_and_exits_cleanly(installed: Path,
                                                         tmp_path: Path) -> None:
    done = run_frozen(installed / "opt/llamadesk/llamadesk", "--self-test",
                      home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["ok"] is True and outcome["tokens"] > 0 and outcome["saved"] is True


@linux_only
def test_installed_server_answers_a_json_schema_request_and_stops(installed: Path,
                                                                 tmp_path: Path) -> None:
    """`llamadesk serve` frozen: uvicorn, Starlette and the grammar converter are all
    imported by name at run time, which a bundle can miss."""
    import signal
    import urllib.request

    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update(LLAMADESK_HOME=str(home), PATH="/usr/bin:/bin")
    with subprocess.Popen([str(installed / "opt/llamadesk/llamadesk"), "serve", "--port", "0",
                           "--threads", "1", "--context", "1024"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path) as process:
        try:
            assert process.stdout is not None and process.stderr is not None
            line = process.stdout.readline()
            found = re.search(r"as model '([^']+)' at (http://\S+/v1)", line)
            assert found, line + (process.stderr.read() if process.poll() is not None else "")
            body = json.dumps({"model": found.group(1), "max_tokens": 40, "messages": [
                {"role": "user", "content": "A number, please."}], "response_format": {
                "type": "json_schema", "json_schema": {"name": "n", "schema": {
                    "type": "object", "properties": {"n": {"type": "integer"}},
                    "required": ["n"]}}}}).encode()
            request = urllib.request.Request(f"{found.group(2)}/chat/completions", body,
                                             {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as response:
                answer = json.loads(response.read())
            content = json.loads(answer["choices"][0]["message"]["content"])
            assert isinstance(content["n"], int)
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0
            assert "POST /v1/chat/completions 200" in process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


@linux_only
def test_desktop_entry_and_appstream_metadata_validate(installed: Path) -> None:
    desktop = installed / f"usr/share/applications/{APP_ID}.desktop"
    subprocess.run(["desktop-file-validate", str(desktop)], check=True)
    metainfo = installed / f"usr/share/metainfo/{APP_ID}.metainfo.xml"
    done = subprocess.run(["appstreamcli", "validate", "--no-net", "--explain", str(metainfo)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@linux_only
def test_frozen_llama_cpp_stays_on_the_portable_baseline(installed: Path) -> None:
    """No AVX-512 (zmm registers) or AMX (tmm) code: the -DGGML_NATIVE=OFF build."""
    libraries = list((installed / "opt/llamadesk").rglob("libggml-cpu*.so*"))
    assert libraries, "no libggml-cpu in the bundle"
    for library in libraries:
        if library.is_symlink():
            continue
        code = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(library)],
                              capture_output=True, text=True, check=True).stdout
        assert not re.search(r"%zmm\d|%tmm\d|%k[1-7]\b", code), library
        assert "vfmadd" in code  # the baseline (FMA) is there


@linux_only
def test_installed_catalog_lists_the_models(installed: Path, tmp_path: Path) -> None:
    done = run_frozen(installed / "opt/llamadesk/llamadesk", "models", "--json",
                      home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    ids = {row["id"] for row in json.loads(done.stdout)}
    assert {"smollm2-135m", "llama-3.1-8b-instruct", "codellama-70b-instruct"} <= ids


@linux_only
def test_tarball_runs_from_anywhere(tmp_path: Path) -> None:
    with tarfile.open(only("llamadesk-*-linux-*.tar.gz")) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    (program,) = (tmp_path / "unpacked").glob("llamadesk-*/llamadesk")
    done = run_frozen(program, "--version", home=tmp_path / "home")
    assert done.returncode == 0 and done.stdout.startswith("LlamaDesk ")


def test_windows_installer_script_compiles() -> None:
    setup = ROOT / "build" / "nsis-check" / "LlamaDesk-setup.exe"
    assert setup.read_bytes()[:2] == b"MZ"
