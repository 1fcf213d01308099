"""Check every file of the model catalog against the Hugging Face Hub.

    python packaging/check_catalog.py [--endpoint URL] [--catalog PATH] [--json]
    python packaging/check_catalog.py --update      # a maintainer, to pin new entries

For every model and quantisation, asks the Hub (huggingface_hub's model_info with
files_metadata, at the catalog's pinned revision) that the repository exists under
that exact name, and that every file is there with the catalog's size and sha256.
Prints one row per file and exits 1 on any mismatch, a missing file or an entry that
is not pinned, so a moved or deleted file stops a release instead of reaching users.

Files not pinned yet (no commit, sha256 or exact size) are reported as UNPINNED and
fail only with ``--require-pinned``; their known facts must still agree.
``--update`` pins them to what the Hub says now (the commit of "main", sizes,
sha256); files already pinned are never changed, only reported: run it when adding
entries, then review the diff.  HF_ENDPOINT or --endpoint chooses the Hub; HF_TOKEN is sent if set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.backend.catalog import Quant, catalog_path, load_catalog  # noqa: E402
from app.backend.downloads import hub_endpoint  # noqa: E402

SIZE_ESTIMATE_TOLERANCE = 0.03  # a size read from a rounded figure ("44.5 GB")
WARNINGS = {"UNPINNED"}  # reported; fail only with --require-pinned


@dataclass(frozen=True)
class Row:
    model: str
    quant: str
    file: str
    status: str  # "ok" or what is wrong, in capitals
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def check_quant(api: Any, model_id: str, quant: Quant) -> list[Row]:
    """One row per file of ``quant``, after asking the Hub once."""
    from huggingface_hub.errors import HfHubHTTPError

    def rows(status: str, detail: str) -> list[Row]:
        return [Row(model_id, quant.name, f.path, status, detail) for f in quant.files]

    try:
        info = api.model_info(quant.repo, revision=quant.revision or "main",
                              files_metadata=True)
    except HfHubHTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        return rows("MISSING", f"{quant.repo}@{quant.revision or 'main'}: HTTP {status}")
    except Exception as error:  # the Hub unreachable (httpx's errors are not OSErrors)
        return rows("ERROR", f"cannot reach the Hub: {error}")
    if info.id != quant.repo:
        return rows("NAME", f"the Hub names the repository {info.id!r}, "
                            f"the catalog {quant.repo!r}")
    siblings = {s.rfilename: s for s in info.siblings or []}
    result = []
    for wanted in quant.files:
        sibling = siblings.get(wanted.path)
        if sibling is None:
            result.append(Row(model_id, quant.name, wanted.path, "MISSING",
                              f"not in {quant.repo}@{(quant.revision or 'main')[:12]}"))
            continue
        lfs = getattr(sibling, "lfs", None)
        size = int(getattr(lfs, "size", None) or sibling.size or 0)
        sha256 = getattr(lfs, "sha256", None)
        off = abs(size - wanted.size) / max(wanted.size, 1)
        if size != wanted.size and (wanted.size_exact or off > SIZE_ESTIMATE_TOLERANCE):
            result.append(Row(model_id, quant.name, wanted.path, "SIZE",
                              f"catalog {wanted.size:,} bytes, Hub {size:,}"))
        elif wanted.sha256 and sha256 != wanted.sha256:
            result.append(Row(model_id, quant.name, wanted.path, "SHA256",
                              f"catalog {wanted.sha256}, Hub {sha256}"))
        elif not (wanted.sha256 and wanted.size_exact and quant.revision):
            missing = [what for what, known in (("revision", quant.revision),
                                                ("sha256", wanted.sha256),
                                                ("exact size", wanted.size_exact)) if not known]
            result.append(Row(model_id, quant.name, wanted.path, "UNPINNED",
                              f"no {', '.join(missing)}; the Hub has {size:,} bytes, sha256 "
                              f"{sha256} at {info.sha}"))
        else:
            result.append(Row(model_id, quant.name, wanted.path, "ok",
                              f"{size:,} bytes @ {quant.revision[:12]}"))
    return result


def update_catalog(api: Any, path: Path) -> list[str]:
    """Pin every quantisation to what the Hub has on "main" now; returns the changes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    changes = []
    for entry in data["models"]:
        for name, raw in entry["quants"].items():
            repo = raw.get("repo") or entry["repo"]
            pinned_ok = True
            info = api.model_info(repo, revision="main", files_metadata=True)
            siblings = {s.rfilename: s for s in info.siblings or []}
            if info.id != repo:
                changes.append(f"{entry['id']} {name}: repository {repo} -> {info.id}")
                raw["repo"] = info.id
            for item in raw["files"]:
                sibling = siblings.get(item["path"])
                if sibling is None:
                    changes.append(f"{entry['id']} {name}: {item['path']} is MISSING (left as is)")
                    pinned_ok = False
                    continue
                lfs = getattr(sibling, "lfs", None)
                size = int(getattr(lfs, "size", None) or sibling.size or 0)
                sha256 = getattr(lfs, "sha256", None)
                known = item.get("sha256") and item.get("size_exact", True)
                if known and (item["size"], item["sha256"]) != (size, sha256):
                    changes.append(f"{entry['id']} {name}: {item['path']} differs on the Hub "
                                   f"now ({size} bytes, {sha256}); left as pinned")
                    pinned_ok = False
                    continue
                if not known:
                    changes.append(f"{entry['id']} {name}: {item['path']} {item.get('size')} "
                                   f"{item.get('sha256')} -> {size} {sha256}")
                    item["size"], item["sha256"] = size, sha256
                    item.pop("size_exact", None)
            if raw.get("revision") is None and pinned_ok:
                raw["revision"] = info.sha
                changes.append(f"{entry['id']} {name}: revision -> {info.sha}")
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", help="the Hub's address (default: HF_ENDPOINT or "
                                           "https://huggingface.co)")
    parser.add_argument("--catalog", type=Path, default=None, help="default: the app's own")
    parser.add_argument("--json", action="store_true", help="the rows as one JSON array")
    parser.add_argument("--update", action="store_true",
                        help="pin the files not pinned yet to what the Hub has now (for "
                             "maintainers; pinned files are never changed)")
    parser.add_argument("--require-pinned", action="store_true",
                        help="fail on files that are not pinned yet, too")
    args = parser.parse_args(argv)
    from huggingface_hub import HfApi

    endpoint = hub_endpoint(args.endpoint)
    api = HfApi(endpoint=endpoint, token=os.environ.get("HF_TOKEN") or False)
    path = args.catalog or catalog_path()
    if args.update:
        for change in update_catalog(api, path):
            print(change)
        return 0
    rows = [row for model in load_catalog(path) for quant in model.quants.values()
            for row in check_quant(api, model.id, quant)]
    if args.json:
        print(json.dumps([row.__dict__ for row in rows]))
    else:
        print(f"Catalog {path} against {endpoint}:")
        print(f"{'MODEL':26} {'QUANT':7} {'STATUS':8} FILE / DETAIL")
        for row in rows:
            print(f"{row.model:26} {row.quant:7} {row.status:8} {row.file}  {row.detail}")
    bad = [row for row in rows if not row.ok and (args.require_pinned
                                                   or row.status not in WARNINGS)]
    unpinned = sum(row.status == "UNPINNED" for row in rows)
    print(f"{sum(row.ok for row in rows)} of {len(rows)} files as pinned, {unpinned} not "
          f"pinned yet; {len(bad)} problem{'s' if len(bad) != 1 else ''}.", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
