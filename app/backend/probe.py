"""Load a model file once in a short-lived child process before the app loads it.

llama.cpp calls ``abort()`` on some files whose header is well formed but whose
metadata is inconsistent (a duplicated token, an impossible hyper-parameter);
no Python handler can catch that, and no list of known-bad keys is complete.
So the first time a file is used, a child process loads it; only when the child
succeeded does the app load it.  The verdict is remembered per file (path, size,
modification time, llama.cpp version), so the second start costs nothing.

The child is this program itself (``--probe-model-file PATH``), frozen or not.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from app.backend.errors import ModelFileError
from app.backend.words import Said, said

log = logging.getLogger(__name__)

PROBE_FLAG = "--probe-model-file"
REFUSED = 65  # the child's exit status for "refused, with a message on stdout"
CACHE_ENV = "LLAMADESK_PROBE_CACHE"  # a verdict file shared across data folders (tests)
TIMEOUT = 60.0  # seconds: a load that takes longer is refused, never waited on forever
CACHE_NAME = "model-verdicts.json"
MAX_VERDICTS = 500
_lock = threading.Lock()
_cache_file: Path | None = None


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str
    seconds: float


def configure(cache_folder: Path) -> None:
    """Keep verdicts in ``cache_folder`` (the app's cache folder)."""
    global _cache_file
    _cache_file = cache_folder / CACHE_NAME


def cache_file() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if _cache_file is not None:
        return _cache_file
    from app.backend.paths import AppPaths

    return AppPaths.resolve(None).cache / CACHE_NAME


def ensure_loadable(path: Path) -> None:
    """Raise ModelFileError unless llama.cpp has loaded this very file in a child process
    (now, or before: the verdict is remembered)."""
    key, stamp = _identity(path)
    with _lock:
        known = _read_verdicts().get(key)
    if known and known.get("stamp") == stamp:
        if known.get("ok"):
            return
        raise ModelFileError(_remembered(known))
    verdict = probe(path)
    if verdict.message == "inconclusive":
        return
    log.info("probe of %s: %s in %.2f s", path, "ok" if verdict.ok else verdict.message,
             verdict.seconds)
    with _lock:
        verdicts = _read_verdicts()
        verdicts[key] = {"stamp": stamp, "ok": verdict.ok, "message": verdict.message,
                         "at": time.time()}
        if isinstance(verdict.message, Said):  # so that a remembered refusal translates too
            verdicts[key]["said"] = _said_json(verdict.message)
        _write_verdicts(verdicts)
    if not verdict.ok:
        raise ModelFileError(verdict.message)


def probe(path: Path, timeout: float = TIMEOUT) -> Verdict:
    """Load ``path`` in a child process; the verdict says whether it survived."""
    started = time.perf_counter()
    command = child_command(path)
    env = {**os.environ, "LLAMADESK_PROBE_CHILD": "1"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=timeout, env=env, stdin=subprocess.DEVNULL,
                              check=False)
    except subprocess.TimeoutExpired:
        return Verdict(False, said("llama.cpp did not finish loading {name} within "
                                   "{seconds:.0f} seconds, so LlamaDesk does not use it. The "
                                   "file may be damaged; download or copy it again.",
                                   name=path.name, seconds=timeout),
                       time.perf_counter() - started)
    except OSError as error:  # the program itself cannot be started: do not block the user
        log.error("could not start the model probe %s: %s", command, error)
        return Verdict(True, "", time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if done.returncode == 0:
        return Verdict(True, "", seconds)
    if done.returncode == REFUSED:  # the child refused it itself, with a message
        return Verdict(False, _refusal(path, done.stdout.strip().splitlines()[-1])
                       if done.stdout.strip()
                       else said("{name} could not be loaded.", name=path.name), seconds)
    if not _killed(done.returncode):
        # A Python error in the child is LlamaDesk's bug, not the file's: load it here
        # as before (the header check still applies) and probe again next time.
        log.error("model probe of %s failed inconclusively (status %d): %s", path,
                  done.returncode, done.stderr[-2000:])
        return Verdict(True, "inconclusive", seconds)
    last = _last_error(done.stderr)
    if last:
        return Verdict(False, said(
            "llama.cpp stops on {name} ({how}: {error}), so LlamaDesk does not load it. The "
            "file's metadata is inconsistent: it is damaged, or was made by a broken "
            "converter. Download it again or choose another file.",
            name=path.name, how=_how(done.returncode), error=last), seconds)
    return Verdict(False, said(
        "llama.cpp stops on {name} ({how}), so LlamaDesk does not load it. The file's "
        "metadata is inconsistent: it is damaged, or was made by a broken converter. "
        "Download it again or choose another file.",
        name=path.name, how=_how(done.returncode)), seconds)


def _could_not_load(name: str, error: object) -> Said:
    return said("llama.cpp could not load {name}: {error}.", name=name, error=error)


def _refusal(path: Path, line: str) -> str:
    """The child's last line, as a translatable sentence when it is the child's own."""
    before, _, after = _could_not_load(path.name, "\0").partition("\0")
    if line.startswith(before) and line.endswith(after) and \
            len(line) >= len(before) + len(after):
        return _could_not_load(path.name, line[len(before):len(line) - len(after)])
    return line


def _said_json(value: Said) -> dict[str, object]:
    """A sentence's template and fields, as the verdict file keeps them."""
    return {"template": value.template, "fields": {
        name: _said_json(field) if isinstance(field, Said) else
        field if isinstance(field, int | float) and not isinstance(field, bool) else str(field)
        for name, field in value.fields.items()}}


def _said_from_json(value: object) -> object:
    if isinstance(value, dict) and isinstance(value.get("template"), str) and \
            isinstance(value.get("fields"), dict):
        return Said(value["template"], {str(name): _said_from_json(field)
                                        for name, field in value["fields"].items()})
    return value


def _remembered(known: dict[str, object]) -> str:
    """A remembered refusal's message, translatable again where the file kept how."""
    message = str(known.get("message"))
    try:
        again = _said_from_json(known.get("said"))
    except (KeyError, IndexError, ValueError, TypeError):
        return message
    return again if isinstance(again, Said) and again == message else message


def child_command(path: Path) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, PROBE_FLAG, str(path)]
    return [sys.executable, "-m", "app", PROBE_FLAG, str(path)]


def child_main(path_text: str) -> int:
    """In the child: load the file as the app would, tokenize and detokenize a line.
    (The parent has run the header check already.)"""
    from app.backend import runtime

    path = Path(path_text)
    try:
        llm = runtime.new_llama(model_path=str(path), n_ctx=256, n_threads=1,
                                n_threads_batch=1, n_gpu_layers=0, verbose=True)
        tokens = llm.tokenize(b"Hello, world.", add_bos=True, special=True)
        llm.detokenize(tokens)
        llm.close()
    except (ValueError, RuntimeError, OSError) as error:
        print(_could_not_load(path.name, error))
        return REFUSED
    return 0


def _identity(path: Path) -> tuple[str, list[object]]:
    """The file as the verdict knows it: a changed file or llama.cpp is probed again."""
    from app.backend.runtime import llama_cpp

    try:
        stat = path.stat()
    except OSError as error:
        raise ModelFileError(said("The model file {path} cannot be read: {reason}.",
                                  path=path, reason=error.strerror)) from None
    return str(path.resolve()), [stat.st_size, stat.st_mtime_ns,
                                str(getattr(llama_cpp(), "__version__", "?"))]


def _read_verdicts() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_verdicts(verdicts: dict[str, dict[str, object]]) -> None:
    if len(verdicts) > MAX_VERDICTS:  # forget the oldest
        ordered = sorted(verdicts.items(), key=lambda item: float(str(item[1].get("at", 0))))
        verdicts = dict(ordered[-MAX_VERDICTS:])
    target = cache_file()
    try:
        from app.backend.files import atomic_write_text

        atomic_write_text(target, json.dumps(verdicts, indent=1))
    except OSError as error:  # a read-only cache: probe again next time, nothing worse
        log.warning("could not remember model verdicts in %s: %s", target, error)


def _killed(returncode: int) -> bool:
    """Did the child die of a signal or an abort (rather than exit)?"""
    if returncode < 0:
        return True
    # Windows: abort() exits with 3; a fast-fail or stack overrun is 0xC0000409
    return os.name == "nt" and returncode in (3, 0xC0000409, 0xC0000005)


def _how(returncode: int) -> str:
    if returncode < 0:
        import signal

        with contextlib.suppress(ValueError):
            return said("it ended the process with {signal}",
                        signal=signal.Signals(-returncode).name)
        return said("it ended the process with signal {number}", number=-returncode)
    if os.name == "nt":
        return said("it aborted the process")
    return said("the loading process exited with status {status}", status=returncode)


def _last_error(stderr: str) -> str:
    """The line of llama.cpp's log that says why, if there is one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        lowered = line.lower()
        if "ggml_assert" in lowered:
            return line[lowered.index("ggml_assert"):][:300]
        if "error" in lowered or "failed" in lowered or "abort" in lowered or \
                "exception" in lowered:
            return line[:300]
    return ""
