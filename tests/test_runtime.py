"""llama.cpp's runtime: threads, devices, and a log that never silences the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from app.backend import runtime
from app.backend.templates import choose_template
from tests.conftest import ROOT


def test_thread_choice_leaves_a_core_free(monkeypatch: pytest.MonkeyPatch):
    assert runtime.choose_threads(5) == 5  # the user's setting wins
    for physical, expected in ((1, 1), (2, 1), (4, 3), (16, 8), (64, 8)):
        monkeypatch.setattr(psutil, "cpu_count", lambda logical=True, n=physical: n)
        assert runtime.choose_threads(0) == expected


def test_runtime_info_lists_the_cpu_device():
    info = runtime.runtime_info()
    assert info.backend in ("CPU", "CUDA", "Metal", "Vulkan")
    assert any(device.kind == "CPU" for device in info.devices)
    assert info.cpu_features
    assert info.llama_cpp_python_version == "0.3.36"


def test_backend_name_prefers_a_gpu():
    cpu = runtime.Device("CPU", "Intel", "CPU", 0, 0)
    cuda = runtime.Device("CUDA0", "NVIDIA H100", "GPU", 1, 2)
    metal = runtime.Device("MTL0", "Apple M3", "GPU", 1, 2)
    assert runtime.backend_name((cpu,), "CPU : AVX2 = 1") == "CPU"
    assert runtime.backend_name((cpu, cuda), "") == "CUDA"
    assert runtime.backend_name((metal, cpu), "Metal : EMBED_LIBRARY = 1") == "MTL"


@pytest.mark.real_model
def test_loading_a_model_never_silences_other_threads(builtin_path: Path, tmp_path: Path):
    """The bindings' verbose=False would point fd 1 and 2 at /dev/null during load."""
    code = f"""
import os, sys, threading, time
from app.backend.engine import Engine, LoadOptions
from app.backend.logs import setup_logging
from pathlib import Path
setup_logging(Path({str(tmp_path / 'log.txt')!r}))
stop = threading.Event()
def chatter():
    n = 0
    while not stop.is_set():
        os.write(1, b"tick\\n"); n += 1; time.sleep(0.002)
thread = threading.Thread(target=chatter); thread.start()
engine = Engine()
for _ in range(3):
    engine.load({str(builtin_path)!r}, LoadOptions(context_size=256, threads=1))
stop.set(); thread.join(); engine.close()
print("done")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=True)
    ticks = out.stdout.count("tick")
    assert out.stdout.rstrip().endswith("done")
    assert ticks > 10
    assert out.stderr == ""  # nothing of llama.cpp's chatter on the terminal
    log = (tmp_path / "log.txt").read_text()
    assert "llama_model_loader" in log or "load_tensors" in log
    # The bindings' own prints (verbose=True) go to logging at DEBUG, not stdout.
    assert "Model metadata" not in out.stdout


def test_template_guess_without_any_clue_says_so():
    chosen = choose_template(None, "mystery-model", lambda _text: False)
    assert chosen.source == "plain"
    assert chosen.note and "no chat template" in chosen.note
    llama2 = choose_template(None, "llama-2-7b-chat.Q4_K_M", lambda _text: False)
    assert llama2.source == "llama-2"
    llama3 = choose_template(None, "x", lambda text: text in ("<|start_header_id|>",
                                                              "<|eot_id|>"))
    assert llama3.source == "llama-3"
    own = choose_template("{{ messages }}", "x", lambda _text: True)
    assert own.source == "gguf" and own.note is None


def test_a_gpu_build_that_cannot_load_falls_back_to_the_cpu_libraries(tmp_path: Path):
    """A GPU build whose libraries fail to load is replaced by the CPU libraries."""
    import llama_cpp

    cpu_libs = Path(llama_cpp.__file__).parent / "lib"
    broken = tmp_path / "gpu-lib"
    broken.mkdir()
    (broken / "libllama.so").write_bytes(b"not a library: as when libcudart is missing")
    code = ("from app.backend import runtime\n"
            "runtime.llama_cpp()\n"
            "info = runtime.runtime_info()\n"
            "print(info.backend, '|', info.fallback, '|', info.library_path)\n")
    env = {**os.environ, "LLAMA_CPP_LIB_PATH": str(broken),
           "LLAMADESK_CPU_LIB_DIR": str(cpu_libs)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120, check=True).stdout
    backend, reason, library = (part.strip() for part in out.split("|"))
    assert backend == "CPU"
    assert "could not load" in reason
    assert library == str(cpu_libs)
    env.pop("LLAMADESK_CPU_LIB_DIR")
    failed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=120, check=False)
    assert failed.returncode != 0  # no fallback shipped: the error is not hidden
