"""What the first-use model probe (app/backend/probe.py) costs on the built-in model.

The probe loads a model file in a child process the first time it is used; its
verdict is remembered, so a second start only looks it up.  Both are measured
against loading the model in the process (Engine.load without the probe), in the
same run.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import Row, ratio_row


def rows(runs: int) -> list[Row]:
    from app.backend import probe
    from app.backend.engine import Engine, LoadOptions
    from app.backend.models import builtin_model_path

    model = builtin_model_path()
    options = LoadOptions(context_size=512, threads=1)
    load: list[float] = []
    first: list[float] = []
    second: list[float] = []
    folder = Path(tempfile.mkdtemp(prefix="llamadesk-bench-verdicts-"))
    before = os.environ.get(probe.CACHE_ENV)
    try:
        for index in range(max(3, runs)):
            engine = Engine()
            started = time.perf_counter()
            engine.load(model, options, probe_files=False)
            load.append(time.perf_counter() - started)
            engine.close()
            os.environ[probe.CACHE_ENV] = str(folder / f"verdicts-{index}.json")
            started = time.perf_counter()
            probe.ensure_loadable(model)  # first use: a child loads it
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            probe.ensure_loadable(model)  # a second start: the verdict is looked up
            second.append(time.perf_counter() - started)
            print(f"  probe: load {load[-1]:.3f} s, first use {first[-1]:.3f} s, second "
                  f"start {second[-1] * 1000:.2f} ms", flush=True)
    finally:
        if before is None:
            os.environ.pop(probe.CACHE_ENV, None)
        else:
            os.environ[probe.CACHE_ENV] = before
    return [
        ratio_row("model probe: first use of a file (a child process loads it)", "s",
                  "Engine.load in the process", load, first, at_most=8.0),
        ratio_row("model probe: second start (the verdict is remembered)", "s",
                  "Engine.load in the process", load, second, at_most=0.05),
    ]
