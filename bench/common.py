"""What every benchmark shares: summaries, result rows, reports, subprocess probes."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYCACHE = Path.home() / ".cache" / "llamadesk" / "bench-pycache"
RESULTS = Path(os.environ.get("LLAMADESK_BENCH_RESULTS", ROOT / "bench" / "results"))


def summary(samples: list[float]) -> dict[str, float]:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "runs": len(samples)}


@dataclass(frozen=True)
class Row:
    """One figure: measured against a reference from the same run."""

    figure: str
    unit: str
    reference_name: str
    reference: dict[str, float]
    measured: dict[str, float]
    goal: str  # e.g. ">= 0.97" or "<= 1.5" on the ratio, or "< 50 ms" on the figure
    met: bool

    @property
    def ratio(self) -> float:
        base = self.reference["median"]
        return self.measured["median"] / base if base else float("inf")


def ratio_row(figure: str, unit: str, reference_name: str, reference: list[float],
              measured: list[float], at_least: float | None = None,
              at_most: float | None = None) -> Row:
    ref, got = summary(reference), summary(measured)
    ratio = got["median"] / ref["median"] if ref["median"] else float("inf")
    if at_least is not None:
        return Row(figure, unit, reference_name, ref, got, f"ratio >= {at_least}",
                   ratio >= at_least)
    assert at_most is not None
    return Row(figure, unit, reference_name, ref, got, f"ratio <= {at_most}", ratio <= at_most)


def fmt(value: dict[str, float], unit: str) -> str:
    digits = 1 if value["median"] >= 10 else 3
    return (f"{value['median']:.{digits}f} ({value['min']:.{digits}f}-"
            f"{value['max']:.{digits}f}) {unit}")


def table(rows: list[Row]) -> str:
    lines = ["| figure | reference | measured | ratio | goal | met |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.figure} | {row.reference_name}: {fmt(row.reference, row.unit)} "
                     f"| {fmt(row.measured, row.unit)} | {row.ratio:.2f} | {row.goal} | "
                     f"{'yes' if row.met else '**no**'} |")
    return "\n".join(lines) + "\n"


def write_report(name: str, rows: list[Row], extra: dict[str, Any] | None = None) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"rows": [asdict(r) | {"ratio": r.ratio} for r in rows], **(extra or {})}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2))
    text = table(rows)
    (RESULTS / f"{name}.md").write_text(text)
    return text


def probe_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A probe's environment: offscreen Qt, and Python's bytecode cached (outside the
    checkout) as an installed app has it, even where PYTHONDONTWRITEBYTECODE is set:
    compiling the app's source at every start is not what users wait for."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(PYCACHE),
            **(extra or {})}


def probe(module: str, *args: str, env: dict[str, str] | None = None,
          timeout: float = 600) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh process; it prints one JSON line last.
    ``spawned_at`` (time.time() as the process is started) is added to it: a probe's
    own clock for its start (psutil's create_time) is off by up to a second, the
    fraction of the boot time that /proc/stat rounds away."""
    import time

    spawned_at = time.time()
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, check=False,
                          env=probe_environment(env))
    if done.returncode != 0:
        raise SystemExit(f"{module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "spawned_at": spawned_at}


def cli_stream(*args: str) -> dict[str, Any]:
    """Run `llamadesk chat ... --stats` and time its stdout as a user's terminal sees it."""
    import re
    import time

    exe = Path(sys.executable).parent / "llamadesk"
    process = subprocess.Popen([str(exe), "chat", *args, "--stats"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    first = last = 0.0
    while data := os.read(process.stdout.fileno(), 65536):
        if data.strip():
            first = first or time.perf_counter()
            last = time.perf_counter()
    stderr = process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    if process.wait() != 0:
        raise SystemExit(f"llamadesk chat failed: {stderr}")
    match = re.search(r"answer (\d+) tokens", stderr)
    if not match:
        raise SystemExit(f"no token count in {stderr!r}")
    return {"tokens": int(match.group(1)), "first": first, "last": last}
