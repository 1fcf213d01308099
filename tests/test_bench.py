"""The benchmarks stay runnable (their figures are not asserted: they are not tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.common import ratio_row, table
from tests.conftest import ROOT


def test_rows_compare_against_their_reference():
    faster = ratio_row("speed", "tokens/s", "bare", [100, 110, 90], [99, 101, 98],
                       at_least=0.97)
    assert faster.met and round(faster.ratio, 2) == 0.99
    slower = ratio_row("latency", "s", "turn 1", [1.0, 1.0], [2.0, 2.0], at_most=1.5)
    assert not slower.met
    assert "**no**" in table([faster, slower])


def test_history_benchmark_runs_end_to_end(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "bench", "--runs", "1", "--only", "history"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
                          env={**os.environ, "LLAMADESK_BENCH_RESULTS": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((tmp_path / "summary.json").read_text())
    assert [row["figure"] for row in report["rows"]] == [
        "open a 5,000-message chat, to painted", "search 100,000 messages"]


def test_the_probe_and_llama_bench_parts_run_end_to_end(tmp_path: Path):
    """The model probe's cost and llama-bench as the limit (llama-bench is built by setup)."""
    done = subprocess.run([sys.executable, "-m", "bench", "--runs", "1", "--only",
                           "probe,limit"], capture_output=True, text=True, timeout=600,
                          cwd=ROOT, check=False,
                          env={**os.environ, "LLAMADESK_BENCH_RESULTS": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((tmp_path / "summary.json").read_text())
    figures = [row["figure"] for row in report["rows"]]
    assert figures[0].startswith("model probe: first use") and len(figures) == 4
    assert all(row["reference"]["median"] > 0 and row["measured"]["median"] >= 0
               for row in report["rows"])


def test_the_remote_part_runs_end_to_end(tmp_path: Path):
    """llama-server on loopback and a two-worker split against the local engine."""
    done = subprocess.run([sys.executable, "-m", "bench", "--runs", "1", "--only", "remote"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
                          env={**os.environ, "LLAMADESK_BENCH_RESULTS": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((tmp_path / "summary.json").read_text())
    figures = [row["figure"] for row in report["rows"]]
    assert figures[0].startswith("decode through llama-server") and len(figures) == 2
    assert all(row["reference"]["median"] > 0 and row["measured"]["median"] > 0
               for row in report["rows"])
