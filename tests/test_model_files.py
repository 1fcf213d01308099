"""Issue 10, parts 1 and 2: no model file can crash LlamaDesk or make it hang.

Hostile variants of the built-in model go through ``Engine.load``, the code path of
``chat --model``, ``doctor --model``, the window and the *model* setting: the header
check refuses what it can name, the probe (a child process that loads the file first)
refuses what makes llama.cpp abort, and chat templates render with limits.
"""

from __future__ import annotations

import math
import os
import random
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import probe
from app.backend.engine import ChatMessage, Engine
from app.backend.errors import LlamaDeskError, ModelFileError
from app.backend.gguf_file import read_gguf
from app.backend.models import ModelChoice
from tests.gguf_variants import (
    SCALARS,
    Entry,
    Layout,
    replaced,
    scalar,
    string,
    string_array,
    strings_of,
)
from tests.gui_helpers import MakeWindow

pytestmark = pytest.mark.real_model
EXE = Path(sys.executable).parent / ("llamadesk.exe" if os.name == "nt" else "llamadesk")


@pytest.fixture(scope="module")
def layout(builtin_path: Path) -> Layout:
    return Layout.read(builtin_path)


@pytest.fixture
def verdicts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A verdict file of this test's own, so every variant is really probed."""
    file = tmp_path / "verdicts.json"
    monkeypatch.setenv(probe.CACHE_ENV, str(file))
    return file


def load(path: Path) -> tuple[str, float, str]:
    """('loaded' | 'refused', seconds, message or template note) for one file."""
    started = time.perf_counter()
    engine = Engine()
    try:
        facts = engine.load(path)
        note = facts.template_note or ""
        engine.render_prompt([ChatMessage("user", "Hello")])
        return "loaded", time.perf_counter() - started, note or facts.name
    except LlamaDeskError as error:
        return "refused", time.perf_counter() - started, str(error)
    finally:
        engine.close()


def variant(layout: Layout, tmp_path: Path, name: str, key: str, value_type: int,
            raw: bytes) -> Path:
    return layout.write(tmp_path / f"{name}.gguf", replaced(layout.entries, key, value_type, raw))


# -- each class the issue names -------------------------------------------------------

def test_a_duplicated_token_is_refused_by_name(layout: Layout, tmp_path: Path, verdicts: Path):
    tokens = strings_of(layout.entry("tokenizer.ggml.tokens"))
    path = variant(layout, tmp_path, "dup", "tokenizer.ggml.tokens", 9,
                   string_array([tokens[5], *tokens[1:5], tokens[5], *tokens[6:]][:len(tokens)]))
    outcome, _, message = load(path)
    assert outcome == "refused" and "twice" in message


def test_a_vocabulary_of_empty_strings_is_refused(layout: Layout, tmp_path: Path,
                                                  verdicts: Path):
    count = len(strings_of(layout.entry("tokenizer.ggml.tokens")))
    path = variant(layout, tmp_path, "empty", "tokenizer.ggml.tokens", 9,
                   string_array([b""] * count))
    assert load(path)[0] == "refused"


@pytest.mark.parametrize("key, value_type, value, words", [
    ("llama.block_count", 4, 0, "llama.block_count is 0"),
    ("llama.context_length", 4, 2**32 - 1, "llama.context_length is 4,294,967,295"),
    ("llama.attention.layer_norm_rms_epsilon", 6, math.nan, "not a positive number"),
    ("llama.attention.head_count", 4, 0, "head_count is 0"),
    ("llama.attention.head_count_kv", 4, 7, "cannot be shared"),
    ("llama.embedding_length", 6, 576.0, "not a whole number"),
    ("tokenizer.ggml.eos_token_id", 4, 10**6, "the vocabulary has"),
])
def test_impossible_hyperparameters_get_a_precise_message(
        layout: Layout, tmp_path: Path, verdicts: Path, key: str, value_type: int,
        value: object, words: str):
    path = variant(layout, tmp_path, "hp", key, value_type, scalar(value_type, value))
    outcome, _seconds, message = load(path)
    assert outcome == "refused" and words in message, message
    assert not verdicts.exists()  # the header check said it: no probe was needed


@pytest.mark.parametrize("value_type, value, words", [
    (5, 32, "not stored as a 32-bit unsigned number"),
    (4, 3, "not a power of two"),
    (4, 16, "less than the 32 bytes"),
])
def test_a_bad_alignment_is_refused(layout: Layout, tmp_path: Path, verdicts: Path,
                                    value_type: int, value: int, words: str):
    path = layout.write(tmp_path / "align.gguf", replaced(
        layout.entries, "general.alignment", value_type, scalar(value_type, value)),
        alignment=value)
    outcome, _, message = load(path)
    assert outcome == "refused" and words in message, message


def test_a_file_that_aborts_llama_cpp_is_refused_by_the_probe(
        layout: Layout, tmp_path: Path, verdicts: Path, monkeypatch: pytest.MonkeyPatch):
    """An alignment of 16 passes a power-of-two check and makes llama.cpp abort
    (GGML_ASSERT on a misaligned tensor).  With the header check told to let it through,
    only the probe stands between the file and the app process: this test's process
    would die with it."""
    import app.backend.gguf_file as gguf_file

    path = layout.write(tmp_path / "align16.gguf", replaced(
        layout.entries, "general.alignment", 4, scalar(4, 16)), alignment=16)
    monkeypatch.setattr(gguf_file, "DEFAULT_ALIGNMENT", 16)
    outcome, seconds, message = load(path)
    assert outcome == "refused", message
    assert "llama.cpp stops on align16.gguf" in message and "SIGABRT" in message
    assert seconds < 30
    again = load(path)  # remembered: refused at once, without a second child
    assert again[0] == "refused" and again[2] == message


def test_the_verdict_is_remembered_per_file(builtin_path: Path, tmp_path: Path,
                                            verdicts: Path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "model.gguf"
    copy.write_bytes(builtin_path.read_bytes())
    probe.ensure_loadable(copy)
    calls: list[Path] = []
    real = probe.probe
    def counted(path: Path, *_args: object) -> probe.Verdict:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(probe, "probe", counted)
    probe.ensure_loadable(copy)
    assert calls == []  # the second start costs no child
    os.utime(copy, ns=(time.time_ns(), time.time_ns() + 10**9))  # the file changed
    probe.ensure_loadable(copy)
    assert calls == [copy.resolve()] or calls == [copy]


@pytest.mark.parametrize("name, template, words", [
    ("syntax", "{% for %}", ("Expected an expression",)),
    # the loop budget or, on a slow or busy machine, the deadline stops it first
    ("loops", "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}"
              "{% endfor %}", ("loops more than", "took longer than 2 seconds")),
    ("huge string", "{{ 'x' * 10**10 }}", ("too large",)),
    ("huge power", "{{ 10 ** 10 ** 10 }}", ("number",)),
])
def test_a_hostile_chat_template_falls_back_within_seconds(
        layout: Layout, tmp_path: Path, verdicts: Path, name: str, template: str,
        words: tuple[str, ...]):
    path = variant(layout, tmp_path, "template", "tokenizer.chat_template", 8,
                   string(template))
    outcome, seconds, note = load(path)
    assert outcome == "loaded"
    assert any(w in note for w in words) and "uses the chatml format instead" in note, note
    assert seconds < 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path):
    fifo = tmp_path / "model.gguf"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(ModelFileError, match="FIFO"):
        read_gguf(fifo)
    with pytest.raises(ModelFileError, match="device"):
        read_gguf("/dev/zero")
    assert time.perf_counter() - started < 1
    done = subprocess.run([str(EXE), "chat", "hi", "--model", str(fifo), "--no-save"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "FIFO" in done.stderr and "Traceback" not in done.stderr


def test_doctor_model_and_the_window_refuse_it_too(layout: Layout, tmp_path: Path,
                                                  verdicts: Path, qtbot: QtBot,
                                                  make_window: MakeWindow):
    """The other ways a file is used: `doctor --model`, and the window starting with a
    *model* setting that names it (the window stays up, says why, and Send waits for a
    model the user picks)."""
    tokens = strings_of(layout.entry("tokenizer.ggml.tokens"))
    path = variant(layout, tmp_path, "dup", "tokenizer.ggml.tokens", 9,
                   string_array([tokens[0], *tokens[:-1]]))
    done = subprocess.run([str(EXE), "doctor", "--model", str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 1 and "twice" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    window = make_window(None, ModelChoice("dup", "Dup", path))
    qtbot.waitUntil(lambda: window.errors.isVisible(), timeout=60_000)
    assert "twice" in window.errors.label.text()


# -- the fuzz test ------------------------------------------------------------------------

EXTREMES: dict[int, list[object]] = {
    0: [0, 255], 1: [-128, 127], 2: [0, 65535], 3: [-32768, 32767], 4: [0, 2**32 - 1],
    5: [-(2**31), 2**31 - 1], 6: [math.nan, math.inf, -math.inf, 0.0, -1.0, 3.4e38],
    7: [False, True], 10: [0, 2**64 - 1], 11: [-(2**63), 2**63 - 1],
    12: [math.nan, math.inf, -1.0],
}


def hostile_variants(layout: Layout, folder: Path, rng: random.Random) -> Iterator[
        tuple[str, Path]]:
    """At least 300 files: truncations, byte flips in the metadata, every scalar set to
    its type's extremes, wrong value types, odd alignments, non-GGUF and special files."""
    source = layout.path
    size = source.stat().st_size
    data_head = source.read_bytes()[: layout.header_end + 4096]
    count = 0

    def out(name: str) -> Path:
        nonlocal count
        count += 1
        return folder / f"{count:03d}-{name}.gguf"

    ends = [layout.header_end - 1, layout.data_start, size - 1]
    for cut in [*sorted(rng.sample(range(1, size), 40)), *ends]:
        path = out(f"cut{cut}")
        with source.open("rb") as reader, path.open("wb") as writer:
            writer.write(reader.read(cut))
        yield f"truncated at {cut}", path
    for index in range(120):
        path = out(f"flip{index}")
        path.write_bytes(source.read_bytes())
        with path.open("r+b") as file:
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(4, layout.header_end)
                file.seek(at)
                file.write(bytes([rng.randrange(256)]))
        yield f"bytes flipped ({index})", path
    for entry in [e for e in layout.entries if e.value_type in SCALARS]:
        for value in EXTREMES[entry.value_type]:
            path = layout.write(out(f"{entry.key}={value}"), replaced(
                layout.entries, entry.key, entry.value_type, scalar(entry.value_type, value)))
            yield f"{entry.key} = {value}", path
        for other in (8, 6, 10):  # the same key, another type
            if other == entry.value_type:
                continue
            raw = string("x") if other == 8 else scalar(other, 1)
            path = layout.write(out(f"{entry.key}-type{other}"), replaced(
                layout.entries, entry.key, other, raw))
            yield f"{entry.key} as type {other}", path
    for entry in [e for e in layout.entries if e.value_type == 8]:
        for text in ("", "\xff" * 3, "x" * 70_000):
            path = layout.write(out(f"{entry.key}-str{len(text)}"), replaced(
                layout.entries, entry.key, 8, string(text)))
            yield f"{entry.key} = {len(text)} chars", path
    for alignment in (0, 1, 3, 8, 64, 2**31):
        path = layout.write(out(f"align{alignment}"), replaced(
            layout.entries, "general.alignment", 4, scalar(4, alignment)),
            alignment=alignment if 0 < alignment < 2**16 else 32)
        yield f"alignment {alignment}", path
    path = out("noarch")
    layout.write(path, [e for e in layout.entries if e.key != "general.architecture"])
    yield "no architecture", path
    for name, content in (("empty", b""), ("text", b"hello, I am not a model\n" * 100),
                          ("zeros", bytes(4096)), ("header only", data_head[:24]),
                          ("ggml", b"ggml" + data_head[4:])):
        path = out(name)
        path.write_bytes(content)
        yield name, path
    yield "folder", folder
    yield "device", Path("/dev/zero") if os.name != "nt" else folder
    if hasattr(os, "mkfifo"):
        fifo = out("fifo")
        os.mkfifo(fifo)
        yield "fifo", fifo
    extra = Entry("general.x", 4, struct.pack("<I", 1))
    path = layout.write(out("duplicate-key"), [*layout.entries, extra, extra])
    yield "a key twice", path


def test_fuzz_300_hostile_model_files(layout: Layout, tmp_path: Path, verdicts: Path):
    """0 crashes of this process, 0 runs over 30 s, 0 tracebacks: each gets an answer
    (it loads and renders a prompt) or a LlamaDeskError with a message."""
    rng = random.Random(20261204)
    results: list[tuple[str, str, float, str]] = []
    unexpected: list[tuple[str, BaseException]] = []

    def one(item: tuple[str, Path]) -> None:
        name, path = item
        try:
            outcome, seconds, message = load(path)
            results.append((name, outcome, seconds, message))
        except BaseException as error:
            unexpected.append((name, error))
        finally:
            if path.is_file() and not path.is_fifo() and path.parent == tmp_path:
                path.unlink()

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        list(pool.map(one, hostile_variants(layout, tmp_path, rng)))
    assert not unexpected, unexpected[:5]
    assert len(results) >= 300, len(results)
    slowest = max(results, key=lambda r: r[2])
    assert slowest[2] < 30, slowest
    refused = [r for r in results if r[1] == "refused"]
    assert all(r[3].strip() and "Traceback" not in r[3] for r in refused)
    loaded = len(results) - len(refused)
    by_probe = [r[0] for r in refused if r[3].startswith("llama.cpp stops on")]
    print(f"\n{len(results)} variants: {len(refused)} refused ({len(by_probe)} by the probe: "
          f"{', '.join(by_probe[:12])}), {loaded} loaded; slowest {slowest[2]:.1f} s "
          f"({slowest[0]})")
