"""`llamadesk serve`: the OpenAI-compatible server without a window (and without Qt).

The engine runs on the EngineScheduler's thread, the same arrangement as in the
window; uvicorn runs in the foreground and stops on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from app import APP_NAME
from app.backend.errors import LlamaDeskError
from app.backend.paths import AppPaths
from app.backend.settings import Settings


def add_serve_parser(commands: Any, positive: Any) -> None:
    serve = commands.add_parser(
        "serve", help="serve the model with the OpenAI API on this computer",
        description="Serve a model over the OpenAI API (GET /v1/models, POST "
                    "/v1/chat/completions, POST /v1/completions, GET /health) for editors, "
                    "scripts and other tools. Listens on 127.0.0.1 unless told otherwise; any "
                    "other address requires the API key.")
    serve.add_argument("--host", metavar="ADDRESS",
                       help="address to listen on (default: the setting, else 127.0.0.1; "
                            "0.0.0.0 = every network, which requires the API key)")
    serve.add_argument("--port", type=int, metavar="N",
                       help="port (default: the setting, else 8080; 0 = any free port)")
    serve.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS,
                       help="a GGUF file or catalog id (default: the setting, else the "
                            "built-in model)")
    serve.add_argument("--api-key-file", metavar="FILE", type=Path,
                       help="require this key (one line) from every client; without it a key "
                            "is required only off loopback, and kept in the OS keyring")
    serve.add_argument("--allow-origin", action="append", metavar="ORIGIN", default=None,
                       help="let web pages from ORIGIN (e.g. http://localhost:3000) call the "
                            "API (CORS); repeat for more (default: none)")
    serve.add_argument("--save-history", action="store_true",
                       help="save API conversations in the history (default: the setting, "
                            "else not)")
    serve.add_argument("--threads", type=positive, metavar="N",
                       help="ggml threads (default: automatic)")
    serve.add_argument("--context", type=positive, metavar="N", help="context size in tokens")


def run_serve(args: argparse.Namespace, settings: Settings, paths: AppPaths) -> int:
    from app.backend.engine import Engine
    from app.backend.models import resolve_model
    from app.backend.openai_api import model_id
    from app.backend.scheduler import EngineScheduler
    from app.backend.schema import is_bind_address, is_origin
    from app.backend.server import ApiServer, ServerOptions

    for problem in settings.problems:
        print(f"{APP_NAME}: {problem}", file=sys.stderr)
    host = args.host or settings.server_host
    port = args.port if args.port is not None else settings.server_port
    origins = tuple(args.allow_origin) if args.allow_origin else settings.server_allowed_origins
    if not is_bind_address(host):
        return _fail(f"--host {host!r} is not an IP address (or localhost).")
    if not 0 <= port <= 65535:
        return _fail(f"--port {port} is not a port number (0 to 65535).")
    bad = [o for o in origins if not is_origin(o)]
    if bad:
        return _fail(f"--allow-origin {bad[0]!r} is not an origin such as "
                     "http://localhost:3000 (scheme and host, no path; no wildcards).")
    try:
        key, key_note = api_key(host, args.api_key_file)
        model = resolve_model(getattr(args, "model", None) or settings.model, paths.models)
    except LlamaDeskError as error:
        return _fail(str(error))
    options = replace(settings.load_options(str(model.path)), **{
        k: v for k, v in {"threads": args.threads, "context_size": args.context}.items()
        if v is not None})
    engine = Engine()
    scheduler = EngineScheduler(engine)
    failure: list[str] = []

    def load(engine: Engine) -> None:
        try:
            engine.load(model.path, options)
        except LlamaDeskError as error:
            failure.append(str(error))

    try:
        print(f"Loading {model.display_name}…", file=sys.stderr, flush=True)
        scheduler.submit("load", load, urgent=True).done.wait()
        if failure or scheduler.facts is None:
            return _fail(failure[0] if failure else "The model did not load.")
        server = ApiServer(
            scheduler,
            ServerOptions(host, port, key, origins,
                          paths.data / "history.sqlite" if args.save_history
                          or settings.server_save_history else None),
            settings.generation_params(), on_record=_print_record)
        server.bind()
        facts = scheduler.facts
        print(f"Serving {model.display_name} as model {model_id(facts)!r} at "
              f"{server.address}/v1 (API key: {key_note}). Ctrl+C stops.", flush=True)
        # uvicorn shuts down gracefully on Ctrl+C / SIGTERM, then raises the signal
        # again for the previous handler: ours ends the program with status 0.
        signal.signal(signal.SIGTERM, _stopped)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve()
        print("Stopped.", file=sys.stderr, flush=True)
        return 0
    except LlamaDeskError as error:
        return _fail(str(error))
    finally:
        scheduler.close()


def api_key(host: str, key_file: Path | None) -> tuple[str | None, str]:
    """The key clients must send (None: none needed), and what to print about it."""
    from app.backend import keychain
    from app.backend.server import is_loopback, read_key_file

    if key_file is not None:
        return read_key_file(key_file), f"required, from {key_file}"
    if is_loopback(host):
        return None, "none needed on loopback"
    key, problem = keychain.server_key()
    return key, f"required: {key}" + (f" ({problem})" if problem else
                                      " (kept in the OS keyring)")


def _stopped(_number: int, _frame: Any) -> None:
    """SIGTERM, after the server has shut down: end like Ctrl+C."""
    raise KeyboardInterrupt


def _print_record(record: Any) -> None:
    if record.status is None:
        return
    tokens = f" {record.prompt_tokens}+{record.completion_tokens} tokens" \
        if record.completion_tokens else ""
    note = f" ({record.note})" if record.note else ""
    print(f"{record.client} {record.method} {record.path} {record.status} "
          f"{record.seconds:.2f} s{tokens}{note}", file=sys.stderr, flush=True)


def _fail(message: str) -> int:
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    return 1
