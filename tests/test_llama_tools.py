"""llama.cpp's own programs are installed by setup and run on the built-in model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from app.backend.llama_tools import BENCH, RPC_WORKER, SERVER, ToolMissingError, find_tool


@pytest.mark.parametrize("name", [SERVER, RPC_WORKER])
def test_the_server_and_the_rpc_worker_are_installed_and_run(name: str):
    done = subprocess.run([str(find_tool(name)), "--help"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "--port" in done.stdout + done.stderr


def test_llama_bench_measures_the_built_in_model(builtin_path: Path):
    done = subprocess.run([str(find_tool(BENCH)), "-m", str(builtin_path), "-p", "0", "-n", "8",
                           "-t", "1", "-r", "1", "-o", "json"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["n_gen"] == 8 and row["avg_ts"] > 0


def test_a_missing_program_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("LLAMADESK_TOOLS_DIR", str(tmp_path))
    assert find_tool(SERVER).name == SERVER  # the venv's copy is still found
    with pytest.raises(ToolMissingError, match=r"python3 dev\.py run"):
        find_tool("llama-no-such-program")
