"""Files offered as models are checked before llama.cpp sees them."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from app.backend.errors import ModelFileError
from app.backend.gguf_file import read_gguf


def test_reads_the_builtin_model_header(builtin_path: Path):
    info = read_gguf(builtin_path)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert info.chat_template is not None and "<|im_start|>" in info.chat_template
    assert 130e6 < info.parameter_count < 140e6
    assert info.vocab_size == 49152
    assert info.tensor_count == 272


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "only 0 bytes"),
        (b"not a model at all, just some text\n" * 10, "not a GGUF model file"),
        (os.urandom(4096), "not a GGUF model file"),
        (b"GGUF" + struct.pack("<I", 99) + b"\0" * 64, "version 99"),
        (b"GGUF" + struct.pack("<IQQ", 3, 2**62, 1) + b"\0" * 64, "impossibly large"),
    ],
)
def test_refuses_files_that_are_not_models(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message):
        read_gguf(path)


@pytest.mark.parametrize("keep", [30, 2_000, 1_000_000, 60_000_000])
def test_refuses_a_truncated_model(builtin_path: Path, tmp_path: Path, keep: int):
    path = tmp_path / "cut.gguf"
    with builtin_path.open("rb") as source:
        path.write_bytes(source.read(keep))
    with pytest.raises(ModelFileError, match="incomplete"):
        read_gguf(path)


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(ModelFileError, match="does not exist"):
        read_gguf(tmp_path / "nope.gguf")
    with pytest.raises(ModelFileError, match="is a folder"):
        read_gguf(tmp_path)
