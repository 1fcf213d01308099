"""The project's structural promises."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BACKEND = ROOT / "app" / "backend"
UI = ROOT / "app" / "ui"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_backend_sources_import_no_qt():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in imported_modules(path)
                                            if n.split(".")[0] in ("PySide6", "shiboken6"))
        for path in BACKEND.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) >= 8  # the scan really saw the backend


def test_importing_the_whole_backend_loads_no_qt():
    modules = sorted(f"app.backend.{p.stem}" for p in BACKEND.glob("*.py")
                     if p.stem != "__init__")
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "from app.backend import runtime\nruntime.llama_cpp()\n"
            + "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_serving_without_a_window_loads_no_qt():
    """`llamadesk serve` is headless: the server, the scheduler and the CLI need no Qt."""
    code = ("import sys\n"
            "import app.cli, app.cli_serve, app.backend.server, app.backend.scheduler\n"
            "from app.backend.scheduler import EngineScheduler\n"
            "from app.backend.server import ApiServer, ServerOptions\n"
            "from tests.fakes import FakeEngine\n"
            "scheduler = EngineScheduler(FakeEngine())\n"
            "server = ApiServer(scheduler, ServerOptions(port=0))\n"
            "server.start(); server.stop(); scheduler.close()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_one_scheduler_owns_the_engine_and_the_server_only_submits_to_it():
    """The engine thread is made in one place (EngineScheduler), built by the window's
    EngineHost or by `llamadesk serve`; the server reaches the engine only through
    scheduler jobs, and only the server module speaks HTTP."""
    app = ROOT / "app"
    builders = sorted(str(p.relative_to(ROOT)) for p in app.rglob("*.py")
                      if "EngineScheduler(" in p.read_text(encoding="utf-8"))
    assert builders == ["app/cli_serve.py", "app/ui/worker.py"]
    server = imported_modules(BACKEND / "server.py")
    assert "app.backend.scheduler" in server
    tree = ast.parse((BACKEND / "server.py").read_text(encoding="utf-8"))
    engine_names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and node.module == "app.backend.engine" for alias in node.names}
    assert "Engine" not in engine_names
    web = ("uvicorn", "starlette", "sse_starlette")
    speakers = sorted(str(p.relative_to(ROOT)) for p in app.rglob("*.py")
                      if any(n.split(".")[0] in web for n in imported_modules(p)))
    assert speakers == ["app/backend/server.py"]


def test_only_the_worker_module_touches_threads():
    """Threads cross into the GUI in one module only: app/ui/worker.py."""
    crossing = ("QThread", "moveToThread", "BlockingQueuedConnection", "threading")
    users = sorted(
        str(path.relative_to(ROOT)) for path in UI.rglob("*.py")
        if any(word in path.read_text(encoding="utf-8") for word in crossing)
    )
    assert users == ["app/ui/worker.py"]


def test_worker_signals_carry_plain_data():
    """Signal argument types are plain Python: str, int, float, object (frozen dataclasses)."""
    tree = ast.parse((UI / "worker.py").read_text(encoding="utf-8"))
    signal_args = [
        ast.unparse(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Signal"
        for arg in node.args
    ]
    assert signal_args, "no signals found"
    assert set(signal_args) <= {"str", "int", "float", "object"}


def test_every_package_the_app_imports_is_declared():
    """A package used only through another one's dependencies breaks when that one
    changes them (the download code imported httpx2, which huggingface-hub 1.x lacks)."""
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    declared = {normal(re.split(r"[<>=!~ ;\[]", spec, maxsplit=1)[0])
                for spec in project["project"]["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    imported = {name.split(".")[0] for path in (ROOT / "app").rglob("*.py")
                for name in imported_modules(path)}
    third_party = sorted(n for n in imported if n not in sys.stdlib_module_names
                         and n != "app")
    assert "httpx2" in third_party and "PySide6" in third_party  # the scan saw them
    undeclared = {n: providers.get(n) for n in third_party
                  if not {normal(d) for d in providers.get(n, [])} & declared}
    assert undeclared == {}


def test_no_message_sends_the_user_to_a_settings_window_that_does_not_exist():
    """The window has no Settings menu or dialog: messages name the Models menu, the
    command line or settings.json instead."""
    import re

    pointing = re.compile(r"\b(in|the|open) Settings\b|Settings ?>")
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in (ROOT / "app").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and pointing.search(node.value)
    ]
    assert offenders == []
