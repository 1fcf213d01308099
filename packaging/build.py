"""Build LlamaDesk's installers for this platform.  Run through `python3 dev.py package`.

Linux:   dist/llamadesk-VERSION-linux-ARCH.tar.gz and dist/llamadesk_VERSION_ARCH.deb
Windows: dist/LlamaDesk-VERSION-setup.exe (NSIS, per user)   [on a Windows runner]
macOS:   dist/LlamaDesk-VERSION-macos-ARCH.dmg               [on a macOS runner]
Anywhere makensis exists, the NSIS script is also compiled against a stand-in payload to
prove it valid (build/nsis-check).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
APP_ID = "io.github.llamadesk.LlamaDesk"
# Debian packages the frozen Qt needs at run time (the rest is inside the bundle).
DEB_DEPENDS = ("libc6 (>= 2.36), libgl1, libegl1, libfontconfig1, libfreetype6, libdbus-1-3, "
               "libglib2.0-0, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, "
               "libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, "
               "libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, "
               "libgomp1, fonts-dejavu-core")


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("$", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, env=env)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    return __version__


def icons() -> Path:
    out = BUILD / "icons"
    run(sys.executable, ROOT / "packaging" / "make_icons.py", out)
    return out


def freeze(icon_dir: Path) -> Path:
    """PyInstaller one-folder bundle: build/dist/llamadesk."""
    env = {**os.environ, "ICON_DIR": str(icon_dir)}
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", BUILD / "dist", "--workpath", BUILD / "work",
        ROOT / "packaging" / "llamadesk.spec", env=env)
    return BUILD / "dist" / "llamadesk"


def debian_arch() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def linux(bundle: Path, icon_dir: Path, ver: str) -> list[Path]:
    DIST.mkdir(exist_ok=True)
    tarball = DIST / f"llamadesk-{ver}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=f"llamadesk-{ver}")

    root = BUILD / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "llamadesk", symlinks=True)
    launcher = root / "usr" / "bin" / "llamadesk"
    launcher.parent.mkdir(parents=True)
    launcher.write_text('#!/bin/sh\nexec /opt/llamadesk/llamadesk "$@"\n')
    launcher.chmod(0o755)
    share = root / "usr" / "share"
    linux_files = ROOT / "packaging" / "linux"
    (share / "applications").mkdir(parents=True)
    shutil.copy(linux_files / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir(parents=True)
    metainfo = (linux_files / f"{APP_ID}.metainfo.xml").read_text().replace("@VERSION@", ver)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo)
    for size in (16, 32, 48, 64, 128, 256, 512):
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True)
        shutil.copy(icon_dir / f"llamadesk-{size}.png", target)
    scalable = share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "llamadesk.svg", scalable)
    size_kb = sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) // 1024
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: llamadesk\nVersion: {ver}\nSection: utils\nPriority: optional\n"
        f"Architecture: {debian_arch()}\nInstalled-Size: {size_kb}\n"
        f"Depends: {DEB_DEPENDS}\n"
        "Maintainer: LlamaDesk developers <llamadesk@example.org>\n"
        "Description: chat with Llama models on your own computer\n"
        " LlamaDesk runs quantised Llama-family models locally through llama.cpp,\n"
        " with a chat window, conversation history, search and export. It ships a\n"
        " small built-in model, so it works offline right after installing.\n")
    deb = DIST / f"llamadesk_{ver}_{debian_arch()}.deb"
    run("dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", root, deb)
    return [tarball, deb]


def nsis_check(ver: str) -> Path | None:
    """Compile the Windows installer script against a stand-in payload."""
    makensis = shutil.which("makensis")
    if makensis is None:
        return None
    payload = BUILD / "nsis-check" / "payload"
    shutil.rmtree(payload.parent, ignore_errors=True)
    payload.mkdir(parents=True)
    (payload / "llamadesk.exe").write_bytes(b"MZ stand-in: the real payload is frozen on Windows")
    out = BUILD / "nsis-check" / "LlamaDesk-setup.exe"
    run(makensis, "-V2", f"-DVERSION={ver}", f"-DPAYLOAD={payload}", f"-DOUTFILE={out}",
        f"-DICON={BUILD / 'icons' / 'llamadesk.ico'}",
        ROOT / "packaging" / "windows" / "llamadesk.nsi")
    return out


def main() -> int:
    ver = version()
    icon_dir = icons()
    bundle = freeze(icon_dir)
    built: list[Path] = []
    if sys.platform.startswith("linux"):
        built += linux(bundle, icon_dir, ver)
    elif sys.platform == "win32":
        DIST.mkdir(exist_ok=True)
        out = DIST / f"LlamaDesk-{ver}-setup.exe"
        run("makensis", f"-DVERSION={ver}", f"-DPAYLOAD={bundle}", f"-DOUTFILE={out}",
            f"-DICON={icon_dir / 'llamadesk.ico'}",
            ROOT / "packaging" / "windows" / "llamadesk.nsi")
        built.append(out)
    elif sys.platform == "darwin":
        run("bash", ROOT / "packaging" / "macos" / "make_dmg.sh", BUILD / "dist" / "LlamaDesk.app",
            DIST / f"LlamaDesk-{ver}-macos-{platform.machine()}.dmg")
        built.append(DIST / f"LlamaDesk-{ver}-macos-{platform.machine()}.dmg")
    check = nsis_check(ver) if sys.platform != "win32" else None
    for path in [*built, *([check] if check else [])]:
        print(f"built {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
