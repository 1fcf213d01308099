"""`llamadesk models`, `llamadesk download ID` and `llamadesk token`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import threading
from pathlib import Path

from app import APP_NAME
from app.backend import keychain
from app.backend.catalog import (
    CatalogFile,
    CatalogModel,
    find,
    fit,
    load_catalog,
    memory_needed,
)
from app.backend.downloads import (
    DownloadCancelled,
    Downloader,
    Hub,
    MissingFileError,
    Progress,
    describe,
)
from app.backend.errors import LlamaDeskError
from app.backend.paths import AppPaths


def run_models_command(args: argparse.Namespace, paths: AppPaths,
                       hub_endpoint: str | None = None) -> int:
    try:
        if args.command == "models":
            return _models(args, paths)
        if args.command == "download":
            return _download(args, paths, hub_endpoint)
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
                "memory_gb": round(needed / 1e9, 1), "gated": model.gated, "repo": quant.repo,
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


def _download(args: argparse.Namespace, paths: AppPaths, hub_endpoint: str | None) -> int:
    # the setting first, as in the window; then HF_ENDPOINT; then the Hub itself
    hub = Hub(hub_endpoint or None, token=keychain.get_token())
    if _is_hub_file(args.model_id):  # owner/name/path/to/file.gguf: any file on the Hub
        owner, name, filename = args.model_id.split("/", 2)
        return _fetch(hub, paths, f"{owner}/{name}", [(filename, None)], "main", filename)
    model = find(load_catalog(), args.model_id)
    if model is None:
        print(f"{APP_NAME}: no model {args.model_id!r} in the catalog; "
              "`llamadesk models` lists them (or name a Hub file: OWNER/REPO/FILE.gguf).",
              file=sys.stderr)
        return 1
    if model.builtin:
        print(f"{model.name} is built in: nothing to download.")
        return 0
    quant = model.quant(args.quant)
    code = _fetch(hub, paths, quant.repo, [(f.path, f) for f in quant.files],
                  quant.revision or "main", f"{model.name} {quant.name}")
    if code == 0:
        print(f"Chat with it: llamadesk chat --model {_spec(model, quant.name)} \"Hello\"")
    return code


def _is_hub_file(spec: str) -> bool:
    return spec.count("/") >= 2 and spec.lower().endswith(".gguf")


def _fetch(hub: Hub, paths: AppPaths, repo: str, files: list[tuple[str, CatalogFile | None]],
           revision: str, label: str) -> int:
    """Download every part; a missing file offers the repository's closest one."""
    loader = Downloader(hub, paths.models)
    cancel = threading.Event()
    first: Path | None = None
    for index, (filename, expected) in enumerate(files, 1):
        try:
            remote = hub.remote_file(repo, filename, revision, expected)
        except MissingFileError as missing:
            return _offer_closest(hub, paths, missing)
        part = f" (part {index} of {len(files)})" if len(files) > 1 else ""
        print(f"Downloading {label}{part}: {remote.size / 1e9:.2f} GB", file=sys.stderr)
        try:
            done = loader.download(remote, progress=_bar, cancel=cancel)
            first = first or done
        except KeyboardInterrupt:
            cancel.set()
            print("\nStopped; run the same command again to resume.", file=sys.stderr)
            return 130
        except DownloadCancelled as error:
            print(f"\n{error}", file=sys.stderr)
            return 130
        print(file=sys.stderr)
    if first is not None:  # the first use of a new file: prove llama.cpp can load it
        from app.backend.gguf_file import read_gguf
        from app.backend.probe import ensure_loadable

        ensure_loadable(read_gguf(first).path)
    print(f"Installed {label} in {paths.models}.")
    return 0


def _offer_closest(hub: Hub, paths: AppPaths, missing: MissingFileError) -> int:
    print(f"{APP_NAME}: {missing}", file=sys.stderr)
    listed = [f"  {name}  ({size / 1e9:.2f} GB)" for name, size in missing.files]
    if listed:
        print(f"GGUF files in {missing.repo}:\n" + "\n".join(listed), file=sys.stderr)
    if missing.closest is None:
        return 1
    spec = f"{missing.repo}/{missing.closest}"
    if not sys.stdin.isatty():
        print(f"To download the closest one: llamadesk download {spec}", file=sys.stderr)
        return 1
    answer = input(f"Download {missing.closest} instead? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        return 1
    return _fetch(hub, paths, missing.repo, [(missing.closest, None)], "main", missing.closest)


def _spec(model: CatalogModel, quant: str) -> str:
    return model.id if quant == model.default_quant else f"{model.id}:{quant}"


def _bar(progress: Progress) -> None:
    width = 30
    done = int(width * progress.done / max(progress.total, 1))
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {describe(progress)}   ")
    sys.stderr.flush()


def _token(args: argparse.Namespace) -> int:
    if args.action == "clear":
        keychain.clear_token()
        print("The Hub token was removed.")
        return 0
    if args.action == "status":
        problem = keychain.keyring_problem()
        if keychain.env_token():
            print("Hub token: set (from HF_TOKEN, which overrides the keyring)")
            return 0
        state = "set" if keychain.get_token() else "not set"
        print(f"Hub token: {state}" + (f" ({problem})" if problem else " (OS keyring)"))
        return 0
    token = getpass.getpass("Hugging Face token (input hidden): ") if sys.stdin.isatty() \
        else sys.stdin.readline()
    if not token.strip():
        print(f"{APP_NAME}: no token given.", file=sys.stderr)
        return 1
    problem = keychain.set_token(token)
    if problem:
        # A command line run ends here, so "for this run" means: not kept at all.
        print(f"{APP_NAME}: the token was NOT stored. {problem}", file=sys.stderr)
        return 1
    print("The Hub token is stored in the OS keyring.")
    return 0
