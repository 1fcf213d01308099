#!/usr/bin/env python3
"""Install the built .deb into minimal Debian and Ubuntu roots made with debootstrap, and
check that it runs there as a user would get it, then uninstalls cleanly.

    python3 packaging/debootstrap_test.py [--deb dist/llamadesk_*.deb] ROOT...
    ROOT: debian-12 debian-13 ubuntu-22.04 ubuntu-24.04 (or `all`)

Needs root (debootstrap, chroot, mounts) and Debian's debootstrap package (installed when
missing and apt-get is there).  For each root:

1. a minimal base (debootstrap --variant=minbase) is made once and kept as a tarball in
   ~/.cache/llamadesk/roots (LLAMADESK_ROOTS_CACHE moves it), with the .debs apt fetched;
2. a fresh copy is unpacked, and `apt-get install --no-install-recommends ./the.deb`
   installs it: the Depends alone must be enough;
3. every ELF file of /opt/llamadesk (the Qt platform plugins for X11 and Wayland
   included) must find all its libraries (`ldd`), `llamadesk --version`, `llamadesk
   doctor` (the built-in model answers) and `llamadesk --self-test` (the window,
   offscreen, answers) must pass;
4. `apt-get purge` must leave nothing of LlamaDesk in /opt, /usr, and must keep the
   user's chats.

Mirrors: debootstrap's own default for each distribution; LLAMADESK_DEBIAN_MIRROR and
LLAMADESK_UBUNTU_MIRROR replace them.  Archive keys: the distribution's keyring package
(installed when missing and the host has it); Debian 12 has no Ubuntu keyring, so there
LLAMADESK_UBUNTU_KEYRING names one, and without it the Ubuntu roots are made with
--no-check-gpg (the script says so).

A .deb declares the library versions of the system it was built on: one built on
Debian 12 needs libx11-xcb1 >= 1.8.4 and libzstd1 >= 1.5.2, which Ubuntu 22.04 does not
have, so apt refuses it there (rightly).  The release builds on Ubuntu 22.04 for that.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    name: str
    suite: str
    distribution: str  # debian | ubuntu
    script: str = ""  # a debootstrap script to use when this debootstrap lacks the suite

    @property
    def components(self) -> str:
        # libxcb-cursor0 and a few other X libraries are in Ubuntu's universe (on by
        # default on an Ubuntu desktop).
        return "main,universe" if self.distribution == "ubuntu" else "main"


TARGETS = {t.name: t for t in (
    Target("debian-12", "bookworm", "debian"),
    Target("debian-13", "trixie", "debian"),
    Target("ubuntu-22.04", "jammy", "ubuntu", "gutsy"),
    Target("ubuntu-24.04", "noble", "ubuntu", "gutsy"),
)}


def say(message: str) -> None:
    print(f"[debootstrap-test] {message}", flush=True)


def cache_dir() -> Path:
    configured = os.environ.get("LLAMADESK_ROOTS_CACHE")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "llamadesk" / "roots"


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    say("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, text=True, **kwargs)  # type: ignore[call-overload,no-any-return]


KEYRINGS = {"debian": ("debian-archive-keyring", "/usr/share/keyrings/debian-archive-keyring.gpg"),
            "ubuntu": ("ubuntu-keyring", "/usr/share/keyrings/ubuntu-archive-keyring.gpg")}


def ensure_tools(targets: list[Target]) -> None:
    """debootstrap, and each distribution's archive keyring where the host has one."""
    wanted = [] if shutil.which("debootstrap") else ["debootstrap"]
    wanted += [package for distribution, (package, path) in KEYRINGS.items()
               if any(t.distribution == distribution for t in targets)
               and not Path(path).exists()]
    if not wanted:
        return
    if shutil.which("apt-get") is None:
        sys.exit(f"missing {' '.join(wanted)} and there is no apt-get to install them")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    for package in wanted:  # one by one: a keyring this host lacks is not fatal
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                               package], env=env, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            if package == "debootstrap":
                sys.exit(f"cannot install debootstrap:\n{done.stderr}")
            say(f"{package} is not available here")


def base_tarball(target: Target) -> Path:
    """The minimal root for `target`, made once with debootstrap and cached as a tarball."""
    tarball = cache_dir() / f"{target.name}-minbase.tar"
    if tarball.exists():
        return tarball
    tarball.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=tarball.parent))
    cmd = ["debootstrap", "--variant=minbase", f"--components={target.components}"]
    mirror = os.environ.get(f"LLAMADESK_{target.distribution.upper()}_MIRROR", "")
    if target.distribution == "ubuntu":
        keyring = os.environ.get("LLAMADESK_UBUNTU_KEYRING") or (
            KEYRINGS["ubuntu"][1] if Path(KEYRINGS["ubuntu"][1]).exists() else "")
        if keyring:
            cmd.append(f"--keyring={keyring}")
        else:
            say("no Ubuntu archive keyring here (LLAMADESK_UBUNTU_KEYRING): the Ubuntu root "
                "is made WITHOUT checking the archive's signatures")
            cmd.append("--no-check-gpg")
    cmd += [target.suite, str(work / "root")]
    script = Path("/usr/share/debootstrap/scripts") / target.suite
    if target.script and not script.exists():
        cmd += [mirror or default_mirror(target), str(script.parent / target.script)]
    elif mirror:
        cmd.append(mirror)
    started = time.monotonic()
    try:
        run(cmd)
        run(["tar", "-C", str(work / "root"), "-cf", str(tarball) + ".partial", "."])
        Path(str(tarball) + ".partial").replace(tarball)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"{target.name}: base root made in {time.monotonic() - started:.0f} s")
    return tarball


def default_mirror(target: Target) -> str:
    """The mirror debootstrap's own script for this distribution uses."""
    script = Path("/usr/share/debootstrap/scripts") / (target.script or target.suite)
    for line in script.read_text().splitlines():
        if line.strip().startswith("default_mirror") and "old-releases" not in line \
                and "ports" not in line:
            return line.split()[1]
    sys.exit(f"no default mirror in {script}: set LLAMADESK_{target.distribution.upper()}"
             "_MIRROR")


@contextmanager
def mounted(root: Path, archives: Path) -> Iterator[None]:
    """/proc, /sys, /dev for the programs inside, and apt's download cache kept outside."""
    mounts: list[Path] = []
    try:
        for kind, source, point in (("proc", "proc", "proc"), ("sysfs", "sys", "sys"),
                                    ("bind", "/dev", "dev"),
                                    ("bind", str(archives), "var/cache/apt/archives")):
            target = root / point
            target.mkdir(parents=True, exist_ok=True)
            if kind == "bind":
                run(["mount", "--bind", source, str(target)])
            else:
                run(["mount", "-t", kind, source, str(target)])
            mounts.append(target)
        yield
    finally:
        for target in reversed(mounts):
            subprocess.run(["umount", "-l", str(target)], check=False)


def inside(root: Path, script: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a shell script in the root as root, with a user's environment."""
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
           "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["chroot", str(root), "/bin/sh", "-ec", script], env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"in {root.name}: `{script}` failed ({done.returncode}):\n"
                           f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


ELF_CHECK = r"""
dirs=$(find /opt/llamadesk -name '*.so*' -printf '%h\n' | sort -u | tr '\n' ':')
find /opt/llamadesk -type f \( -name '*.so*' -o -name llamadesk \) | while read -r f; do
  if head -c4 "$f" | grep -q ELF; then
    LD_LIBRARY_PATH="$dirs" ldd "$f" | grep 'not found' | sed "s|^|$f: |" || true
  fi
done
"""


def test_root(target: Target, deb: Path) -> dict[str, object]:
    started = time.monotonic()
    tarball = base_tarball(target)
    archives = cache_dir() / f"{target.name}-apt-archives"
    (archives / "partial").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"llamadesk-{target.name}-"))
    root = work / "root"
    root.mkdir()
    try:
        run(["tar", "-C", str(root), "-xf", str(tarball)])
        shutil.copy(deb, root / "tmp" / deb.name)
        (root / "usr/sbin/policy-rc.d").write_text("#!/bin/sh\nexit 101\n")
        (root / "usr/sbin/policy-rc.d").chmod(0o755)
        shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
        with mounted(root, archives):
            inside(root, "apt-get update -qq")
            install = inside(root, f"apt-get install -y -q --no-install-recommends "
                                   f"/tmp/{deb.name}")
            pulled = sum(1 for line in install.stdout.splitlines()
                         if line.startswith("Setting up "))
            missing = inside(root, ELF_CHECK).stdout.strip()
            if missing:
                raise RuntimeError(f"{target.name}: libraries not found:\n{missing}")
            home = "export LLAMADESK_HOME=/tmp/home QT_QPA_PLATFORM=offscreen; "
            version = inside(root, home + "llamadesk --version").stdout.strip()
            doctor = inside(root, home + "llamadesk doctor").stdout
            if "Self-test:         OK" not in doctor:
                raise RuntimeError(f"{target.name}: doctor failed:\n{doctor}")
            window = inside(root, home + "llamadesk --self-test").stdout.strip()
            outcome = json.loads(window.splitlines()[-1])
            if outcome.get("ok") is not True:
                raise RuntimeError(f"{target.name}: window self-test failed: {window}")
            package = inside(root, f"dpkg-deb -f /tmp/{deb.name} Package").stdout.strip()
            inside(root, f"apt-get purge -y -q {package}")
            left = inside(root, "ls -d /opt/llamadesk /usr/bin/llamadesk "
                                "/usr/share/applications/io.github.llamadesk.LlamaDesk.desktop "
                                f"/usr/share/doc/{package} 2>/dev/null || true").stdout.strip()
            if left:
                raise RuntimeError(f"{target.name}: purge left {left}")
            kept = inside(root, "test -f /tmp/home/data/history.sqlite && echo kept",
                          check=False).stdout.strip()
            if kept != "kept":
                raise RuntimeError(f"{target.name}: the user's history is gone after purge")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = round(time.monotonic() - started)
    say(f"{target.name}: OK in {seconds} s ({pulled} packages installed with it; {version}; "
        f"window answered {outcome.get('tokens')} tokens)")
    return {"root": target.name, "ok": True, "seconds": seconds, "packages": pulled}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="+", metavar="ROOT",
                        choices=[*TARGETS, "all"], help=" ".join(TARGETS) + " or all")
    parser.add_argument("--deb", type=Path, help="the package (default: the one in dist/)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("debootstrap and chroot need root")
    deb = args.deb or next(iter(sorted((ROOT / "dist").glob("llamadesk*.deb"))), None)
    if deb is None or not deb.exists():
        sys.exit("no .deb: run `python3 dev.py package` first, or pass --deb")
    names = list(TARGETS) if "all" in args.roots else list(dict.fromkeys(args.roots))
    ensure_tools([TARGETS[name] for name in names])
    failures = []
    for name in names:
        try:
            test_root(TARGETS[name], deb.resolve())
        except (RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
            say(f"{name}: FAILED: {err}")
            failures.append(name)
    print(f"debootstrap: {len(names) - len(failures)} passed, {len(failures)} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
