"""The setup script: flavour choice, and a second run that installs nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


def load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_variable_overrides_the_flavour(monkeypatch: pytest.MonkeyPatch):
    dev = load_dev()
    monkeypatch.setenv("LLAMADESK_FLAVOUR", "vulkan")
    assert dev.pick_flavour() == "vulkan"
    monkeypatch.setenv("LLAMADESK_FLAVOUR", "turbo")
    with pytest.raises(SystemExit, match="not one of"):
        dev.pick_flavour()


def test_cuda_needs_toolkit_and_driver(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    dev = load_dev()
    monkeypatch.delenv("LLAMADESK_FLAVOUR", raising=False)
    monkeypatch.setattr(dev.sys, "platform", "linux")
    nvcc = tmp_path / "nvcc"
    nvcc.write_text("")
    monkeypatch.setattr(dev.shutil, "which", lambda name: str(nvcc) if name == "nvcc" else None)
    driver = tmp_path / "nvidia-version"
    monkeypatch.setattr(dev, "NVIDIA_DRIVER_FILE", driver)
    assert dev.pick_flavour() == "cpu"  # toolkit without a GPU driver: CPU build
    driver.write_text("NVRM version: 580")
    assert dev.pick_flavour() == "cuda"


def test_apple_silicon_gets_metal(monkeypatch: pytest.MonkeyPatch):
    dev = load_dev()
    monkeypatch.delenv("LLAMADESK_FLAVOUR", raising=False)
    monkeypatch.setattr(dev.sys, "platform", "darwin")
    monkeypatch.setattr(dev.platform, "machine", lambda: "arm64")
    assert dev.pick_flavour() == "metal"


def test_every_flavour_builds_portably_or_for_its_gpu():
    dev = load_dev()
    assert "-DGGML_NATIVE=OFF" in dev.FLAVOUR_CMAKE_ARGS["cpu"]
    assert "-DGGML_CUDA=on" in dev.FLAVOUR_CMAKE_ARGS["cuda"]
    assert "-DGGML_METAL=on" in dev.FLAVOUR_CMAKE_ARGS["metal"]


def test_a_second_setup_installs_nothing():
    done = subprocess.run([sys.executable, str(ROOT / "dev.py"), "setup", "--test"],
                          capture_output=True, text=True, timeout=300, check=True)
    assert "pip" not in done.stdout and "building llama.cpp" not in done.stdout, done.stdout



def test_run_goes_through_setup_to_the_app():
    done = subprocess.run([sys.executable, str(ROOT / "dev.py"), "run", "--version"],
                          capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1].startswith("LlamaDesk ")
