"""`llamadesk engines` (remote engines) and `llamadesk worker` (a helper machine's part
of a model split across machines)."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from typing import Any

from app import APP_NAME
from app.backend.errors import LlamaDeskError
from app.backend.paths import AppPaths
from app.backend.schema import is_loopback
from app.backend.settings import Settings, update_settings_file


def add_engine_parsers(commands: Any, positive: Any) -> None:
    engines = commands.add_parser(
        "engines", help="remote engines: OpenAI-compatible servers, or workers to split across",
        description="Models on other machines: any server with the OpenAI chat API "
                    "(llama.cpp's llama-server, vLLM, Ollama, LM Studio, another LlamaDesk), "
                    "or one model split across machines that run `llamadesk worker`. Chat "
                    "with one: llamadesk chat --engine NAME --model MODEL.")
    actions = engines.add_subparsers(dest="engines_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="the remote engines")
    add = actions.add_parser("add", help="add (or change) a server with the OpenAI API")
    add.add_argument("name", help="what to call it (no '/')")
    add.add_argument("url", help="its base address, e.g. http://192.168.1.20:8080")
    add.add_argument("--api-key-stdin", action="store_true",
                     help="read its API key from stdin (kept in the OS keyring)")
    split = actions.add_parser(
        "add-split", help="add (or change) workers to split a model across",
        description="Workers are machines running `llamadesk worker`; the chosen model file "
                    "(on this machine) is split across them by llama.cpp's RPC backend.")
    split.add_argument("name", help="what to call it (no '/')")
    split.add_argument("--workers", required=True, metavar="HOST:PORT,...",
                       help="each worker's address, comma-separated")
    remove = actions.add_parser("remove", help="forget a remote engine and its key")
    remove.add_argument("name")
    models = actions.add_parser("models", help="the models a remote engine offers")
    models.add_argument("name")

    worker = commands.add_parser(
        "worker", help="lend this machine's memory to a model split across machines",
        description="Runs llama.cpp's rpc-server, which holds part of a model for a "
                    "LlamaDesk on another machine. It has no password: it listens on "
                    "127.0.0.1 unless --host says otherwise, and an address other machines "
                    "can reach needs --public (use it only on a network you trust, or reach "
                    "the worker through an SSH tunnel or a VPN).")
    worker.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    worker.add_argument("--port", type=positive, default=50052, metavar="N",
                        help="port (default: 50052)")
    worker.add_argument("--threads", type=positive, metavar="N",
                        help="CPU threads (default: automatic)")
    worker.add_argument("--public", action="store_true",
                        help="allow an address other machines can reach (no authentication!)")


def run_engines(args: argparse.Namespace, settings: Settings, paths: AppPaths) -> int:
    from app.backend import keychain
    from app.backend.engines import EngineSpec, engine_specs
    from app.backend.remote import check_url, list_models
    from app.backend.schema import is_engine

    specs = engine_specs(settings.remote_engines)
    action = args.engines_action
    try:
        if action == "list":
            if not specs:
                print("No remote engines. Add one: llamadesk engines add NAME URL")
            for spec in specs:
                print(f"{spec.name}\t{spec.summary}")
            return 0
        if action in ("add", "add-split"):
            if action == "add":
                spec = EngineSpec(args.name, url=check_url(args.url))
            else:
                spec = EngineSpec(args.name, workers=tuple(
                    w.strip() for w in args.workers.split(",") if w.strip()))
            if not is_engine(spec.to_setting()):
                return _fail(f"{args.name!r} and its addresses are not a valid engine: a name "
                             "without '/', and an http(s):// address or host:port workers.")
            kept = [s for s in specs if s.name != spec.name] + [spec]
            update_settings_file(paths.settings_file,
                                 {"remote_engines": [s.to_setting() for s in kept]})
            if action == "add" and args.api_key_stdin:
                note = keychain.set_engine_key(spec.name, sys.stdin.readline().strip())
                if note:
                    print(f"{APP_NAME}: {note}", file=sys.stderr)
            print(f"Added {spec.name}: {spec.summary}")
            if action == "add":
                models = list_models(spec.endpoint())
                print(f"It offers {len(models)} model(s): "
                      + ", ".join(m.id for m in models[:10]))
            return 0
        chosen = next((s for s in specs if s.name == args.name), None)
        if chosen is None:
            return _fail(f"There is no remote engine named {args.name!r} "
                         "(llamadesk engines list).")
        if action == "remove":
            kept = [s for s in specs if s.name != chosen.name]
            update_settings_file(paths.settings_file,
                                 {"remote_engines": [s.to_setting() for s in kept]})
            keychain.set_engine_key(chosen.name, None)
            print(f"Removed {chosen.name}.")
            return 0
        if chosen.split:
            print("A split runs any model file of this machine: llamadesk chat --engine "
                  f"{chosen.name} --model PATH_OR_CATALOG_ID")
            return 0
        for model in list_models(chosen.endpoint()):
            context = f"\t{model.context_length} tokens" if model.context_length else ""
            print(f"{model.id}{context}")
        return 0
    except LlamaDeskError as error:
        return _fail(str(error))


def run_worker(args: argparse.Namespace) -> int:
    from app.backend import runtime
    from app.backend.llama_tools import RPC_WORKER, find_tool

    if not is_loopback(args.host) and not args.public:
        return _fail(f"{args.host} can be reached from other machines, and a worker has no "
                     "password: anyone who reaches it can use its memory and processor, and "
                     "rpc-server is not hardened against hostile clients. Add --public to do "
                     "it anyway on a network you trust, or keep 127.0.0.1 "
                     "and connect through an SSH tunnel (see --help).")
    try:
        exe = find_tool(RPC_WORKER)
    except LlamaDeskError as error:
        return _fail(str(error))
    problem = _port_problem(args.host, args.port)
    if problem:
        return _fail(problem)
    threads = runtime.choose_threads(args.threads or 0)
    command = [str(exe), "--host", args.host, "--port", str(args.port), "--threads",
               str(threads)]
    shown = args.host if not is_loopback(args.host) else "127.0.0.1"
    print(f"Worker listening on {args.host}:{args.port} ({threads} thread"
          f"{'s' if threads != 1 else ''}). On the main "
          "machine:\n"
          f"  llamadesk engines add-split NAME --workers {shown}:{args.port}[,OTHER:PORT]\n"
          f"  llamadesk chat --engine NAME --model MODEL \"Hello\"", flush=True)
    if is_loopback(args.host):
        print(f"It listens on this machine only. From the main machine, reach it through "
              f"SSH:\n  ssh -N -L {args.port}:127.0.0.1:{args.port} USER@THIS_MACHINE\nand "
              f"give the worker as 127.0.0.1:{args.port} there.", flush=True)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    stopped = []

    def stop(_number: int, _frame: Any) -> None:
        stopped.append(True)
        process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        status = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return 130
    if stopped:
        return 0  # asked to stop (a logout, a service manager): not a failure
    if status != 0:
        print(f"{APP_NAME}: the worker (rpc-server) stopped with status {status}; is port "
              f"{args.port} already in use?", file=sys.stderr)
    return 1 if status != 0 else 0


def _port_problem(host: str, port: int) -> str | None:
    """Why rpc-server could not listen there, asked first: it says only "Failed to create
    server socket" and exits with status 0."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as error:
        return (f"The worker cannot listen on {host}:{port}: {error.strerror}. Another "
                "worker may be using the port: choose another with --port.")
    return None


def _fail(message: str) -> int:
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    return 1
