"""`llamadesk models`, `llamadesk download ID` and `llamadesk token`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import threading

from app import APP_NAME
from app.backend import secrets
from app.backend.catalog import CatalogModel, find, fit, load_catalog, memory_needed
from app.backend.downloads import DownloadCancelled, Downloader, Hub, Progress, describe
from app.backend.errors import LlamaDeskError
from app.backend.paths import AppPaths


def run_models_command(args: argparse.Namespace, paths: AppPaths) -> int:
    try:
        if args.command == "models":
            return _models(args, paths)
        if args.command == "download":
            return _download(args, paths)
        return _token(args)
    except LlamaDeskError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1


def _models(args: argparse.Namespace, paths: AppPaths) -> int:
    rows = []
    for model in load_catalog():
        installed = model.installed(paths.models) if not model.builtin else {
            model.default_quant: None}
        for name, quant in model.quants.items():
            needed = memory_needed(model, name, args.context)
            rows.append({
                "id": model.id, "name": model.name, "family": model.family, "quant": name,
                "size_gb": round(quant.size_bytes / 1e9, 2), "installed": name in installed,
                "default": name == model.default_quant, "fit": fit(needed),
                "memory_gb": round(needed / 1e9, 1), "gated": model.gated, "repo": model.repo,
                "license": model.license, "context": model.context,
            })
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    print(f"{'ID':28} {'QUANT':7} {'SIZE':>8} {'NEEDS':>8}  {'FIT':7}  INSTALLED")
    for row in rows:
        mark = "yes" if row["installed"] else ""
        star = "*" if row["default"] else " "
        print(f"{row['id']:28} {row['quant']:6}{star} {row['size_gb']:6.2f} GB "
              f"{row['memory_gb']:5.1f} GB  {row['fit']:7}  {mark}")
    print(f"\n* the default quantisation. NEEDS: weights + KV cache for {args.context:,} "
          "tokens of context, against free memory.")
    return 0


def _download(args: argparse.Namespace, paths: AppPaths) -> int:
    model = find(load_catalog(), args.model_id)
    if model is None:
        print(f"{APP_NAME}: no model {args.model_id!r} in the catalog; "
              "`llamadesk models` lists them.", file=sys.stderr)
        return 1
    if model.builtin:
        print(f"{model.name} is built in: nothing to download.")
        return 0
    quant = model.quant(args.quant)
    hub = Hub(token=secrets.get_token())
    loader = Downloader(hub, paths.models)
    cancel = threading.Event()
    for index, filename in enumerate(quant.files, 1):
        remote = hub.remote_file(model.repo, filename)
        part = f" (part {index} of {len(quant.files)})" if len(quant.files) > 1 else ""
        print(f"Downloading {model.name} {quant.name}{part}: {remote.size / 1e9:.2f} GB",
              file=sys.stderr)
        try:
            loader.download(remote, progress=_bar, cancel=cancel)
        except KeyboardInterrupt:
            cancel.set()
            print("\nStopped; run the same command again to resume.", file=sys.stderr)
            return 130
        except DownloadCancelled as error:
            print(f"\n{error}", file=sys.stderr)
            return 130
        print(file=sys.stderr)
    print(f"Installed {model.name} {quant.name} in {paths.models}. Chat with it: "
          f"llamadesk chat --model {_spec(model, quant.name)} \"Hello\"")
    return 0


def _spec(model: CatalogModel, quant: str) -> str:
    return model.id if quant == model.default_quant else f"{model.id}:{quant}"


def _bar(progress: Progress) -> None:
    width = 30
    done = int(width * progress.done / max(progress.total, 1))
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {describe(progress)}   ")
    sys.stderr.flush()


def _token(args: argparse.Namespace) -> int:
    if args.action == "clear":
        secrets.clear_token()
        print("The Hub token was removed.")
        return 0
    if args.action == "status":
        problem = secrets.keyring_problem()
        state = "set" if secrets.get_token() else "not set"
        print(f"Hub token: {state}" + (f" ({problem})" if problem else " (OS keyring)"))
        return 0
    token = getpass.getpass("Hugging Face token (input hidden): ") if sys.stdin.isatty() \
        else sys.stdin.readline()
    if not token.strip():
        print(f"{APP_NAME}: no token given.", file=sys.stderr)
        return 1
    problem = secrets.set_token(token)
    print(problem or "The Hub token is stored in the OS keyring.")
    return 0
