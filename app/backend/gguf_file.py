"""Read and check a GGUF file's header before llama.cpp sees it.

llama.cpp trusts its input: a truncated or foreign file can crash the process.
This reader walks the whole header (metadata and tensor table) with bounds checks
and proves that every tensor's data lies inside the file, so a bad file is refused
with a message instead.  It reads only the header: 0.1 s where ``gguf.GGUFReader``,
which decodes every vocabulary array, takes seconds.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import mmap
import stat
import struct
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from app.backend.errors import ModelFileError
from app.backend.words import said

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
# Sanity limits: far above any real model, low enough to stop a hostile header
# from making us loop for hours.
MAX_COUNT = 10_000_000
MAX_DIMS = 8

# GGUF value types: (struct format, size); STRING=8 and ARRAY=9 are handled apart.
_SCALARS: dict[int, tuple[str, int]] = {
    0: ("<B", 1), 1: ("<b", 1), 2: ("<H", 2), 3: ("<h", 2), 4: ("<I", 4), 5: ("<i", 4),
    6: ("<f", 4), 7: ("<?", 1), 10: ("<Q", 8), 11: ("<q", 8), 12: ("<d", 8),
}
_STRING = 8
_ARRAY = 9
MetadataValue = int | float | bool | str


@dataclass(frozen=True)
class ArrayInfo:
    """An array value in the header, summarised: its element type and length."""

    element_type: int
    length: int


@dataclass(frozen=True)
class GGUFInfo:
    """What the header says about a model, read without loading it."""

    path: Path
    version: int
    file_size: int
    tensor_count: int
    parameter_count: int
    metadata: Mapping[str, MetadataValue] = field(repr=False)
    arrays: Mapping[str, ArrayInfo] = field(repr=False)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def name(self) -> str:
        name = self.metadata.get("general.name")
        return str(name) if name else self.path.stem

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if isinstance(value, int) else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def quantization(self) -> str:
        file_type = self.metadata.get("general.file_type")
        if isinstance(file_type, int):
            try:
                return str(gguf_constants().LlamaFileType(file_type).name).removeprefix(
                    "MOSTLY_")
            except ValueError:
                return said("type {number}", number=file_type)
        return said("unknown")

    @property
    def vocab_size(self) -> int | None:
        tokens = self.arrays.get("tokenizer.ggml.tokens")
        return tokens.length if tokens else None


class _Cursor:
    """Bounds-checked reads over the mapped file."""

    def __init__(self, buffer: mmap.mmap, path: Path) -> None:
        self.buffer = buffer
        self.offset = 0
        self.size = len(buffer)
        self.path = path

    def need(self, count: int) -> None:
        if count < 0 or self.offset + count > self.size:
            raise _truncated(self.path, self.offset + max(count, 0), self.size)

    def scalar(self, fmt: str, size: int) -> Any:
        self.need(size)
        (value,) = struct.unpack_from(fmt, self.buffer, self.offset)
        self.offset += size
        return value

    def u32(self) -> int:
        return int(self.scalar("<I", 4))

    def u64(self) -> int:
        return int(self.scalar("<Q", 8))

    def string(self) -> str:
        length = self.u64()
        self.need(length)
        raw = self.buffer[self.offset : self.offset + length]
        self.offset += length
        return raw.decode("utf-8", errors="replace")


def _truncated(path: Path, needed: int, size: int) -> ModelFileError:
    return ModelFileError(said(
        "The model file {name} is incomplete: it has {size:,} bytes but its header needs at "
        "least {needed:,}. The download or copy was probably cut short; download or copy it "
        "again.", name=path.name, size=size, needed=needed))


def _not_gguf(path: Path, reason: str) -> ModelFileError:
    return ModelFileError(said(
        "{name} is not a GGUF model file ({reason}). LlamaDesk runs quantised models in the "
        "GGUF format, e.g. a file named like model.Q4_K_M.gguf.", name=path.name,
        reason=reason))


def _read_value(cursor: _Cursor, value_type: int) -> MetadataValue:
    if value_type == _STRING:
        return cursor.string()
    if value_type in _SCALARS:
        fmt, size = _SCALARS[value_type]
        return cursor.scalar(fmt, size)  # type: ignore[no-any-return]
    raise _not_gguf(cursor.path, said("unknown metadata type {value_type}",
                                      value_type=value_type))


_U64 = struct.Struct("<Q")


def _skip_array(cursor: _Cursor, element_type: int, length: int,
                unique: bool = False) -> None:
    """Step over an array; with ``unique``, refuse a string array with a repeated entry
    (llama.cpp aborts on a vocabulary with a duplicated token)."""
    if element_type == _STRING:
        # The vocabulary: ~100k strings.  A tight loop with locals (4x faster than
        # a method call per string) keeps the check cheap next to the model load.
        buffer, offset, size, unpack = cursor.buffer, cursor.offset, cursor.size, \
            _U64.unpack_from
        seen: set[bytes] = set()
        for index in range(length):
            if offset + 8 > size:
                raise _truncated(cursor.path, offset + 8, size)
            end = offset + 8 + unpack(buffer, offset)[0]
            if unique:
                if end > size:
                    raise _truncated(cursor.path, end, size)
                token = buffer[offset + 8:end]
                if token in seen:
                    raise _inconsistent(cursor.path, said(
                        "its vocabulary lists the token {token!r} twice (again at {index})",
                        token=token[:40], index=index))
                seen.add(token)
            offset = end
        if offset > size:
            raise _truncated(cursor.path, offset, size)
        cursor.offset = offset
    elif element_type in _SCALARS:
        size = _SCALARS[element_type][1] * length
        cursor.need(size)
        cursor.offset += size
    else:
        raise _not_gguf(cursor.path, said("unknown array element type {element_type}",
                                          element_type=element_type))


_UINT32 = 4
_INTEGER_TYPES = (0, 1, 2, 3, 4, 5, 10, 11)
_FLOAT_TYPES = (6, 12)
# Hyper-parameters llama.cpp reads for every architecture: (key suffix, lowest, highest).
# The limits are far beyond any real model and stop values that make llama.cpp abort,
# divide by zero or try to allocate the impossible.
_HPARAMS = (
    ("block_count", 1, 100_000),
    ("context_length", 1, 2**27),
    ("embedding_length", 1, 2**20),
    ("feed_forward_length", 0, 2**22),
    ("attention.head_count", 1, 2**14),
    ("attention.head_count_kv", 0, 2**14),
    ("vocab_size", 1, 2**24),
)
_POSITIVE_FLOATS = ("attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon",
                    "rope.freq_base")


def _inconsistent(path: Path, reason: str) -> ModelFileError:
    return ModelFileError(said(
        "{name} cannot be used: {reason}. The file's metadata is inconsistent, so it is "
        "damaged or was made by a broken converter; download it again or choose another "
        "file.", name=path.name, reason=reason))


def _check_metadata(path: Path, metadata: Mapping[str, MetadataValue],
                    arrays: Mapping[str, ArrayInfo], types: Mapping[str, int]) -> None:
    """Cheap sanity checks of what llama.cpp trusts, with a precise message for each."""
    architecture = metadata.get("general.architecture")
    if "general.architecture" in types and not isinstance(architecture, str):
        raise _inconsistent(path, said("its architecture is not a name"))
    if not isinstance(architecture, str):
        return
    for suffix, lowest, highest in _HPARAMS:
        key = f"{architecture}.{suffix}"
        if key not in types:
            continue
        value = metadata.get(key)
        if types[key] not in _INTEGER_TYPES or isinstance(value, bool) or \
                not isinstance(value, int):
            raise _inconsistent(path, said("{key} is not a whole number", key=key))
        if not lowest <= value <= highest:
            raise _inconsistent(path, said("{key} is {value:,}, outside {lowest:,} to "
                                           "{highest:,}", key=key, value=value, lowest=lowest,
                                           highest=highest))
    heads, kv_heads = (metadata.get(f"{architecture}.attention.{name}")
                       for name in ("head_count", "head_count_kv"))
    if isinstance(heads, int) and isinstance(kv_heads, int) and kv_heads and heads % kv_heads:
        raise _inconsistent(path, said("{heads} attention heads cannot be shared by "
                                       "{kv_heads} key/value heads", heads=heads,
                                       kv_heads=kv_heads))
    for suffix in _POSITIVE_FLOATS:
        key = f"{architecture}.{suffix}"
        if key not in types:
            continue
        value = metadata.get(key)
        if types[key] not in _FLOAT_TYPES or not isinstance(value, float) or \
                not math.isfinite(value) or value <= 0:
            raise _inconsistent(path, said("{key} is {value!r}, not a positive number",
                                           key=key, value=value))
    tokens = arrays.get("tokenizer.ggml.tokens")
    if "tokenizer.ggml.tokens" in types and (tokens is None or tokens.element_type != _STRING
                                              or tokens.length == 0):
        raise _inconsistent(path, said("its vocabulary is not a list of tokens"))
    if tokens is None:
        return
    for name in ("scores", "token_type", "merges"):
        other = arrays.get(f"tokenizer.ggml.{name}")
        if name != "merges" and other is not None and other.length != tokens.length:
            raise _inconsistent(path, said(
                "it has {count:,} token scores for {tokens:,} tokens", count=other.length,
                tokens=tokens.length) if name == "scores" else said(
                "it has {count:,} token types for {tokens:,} tokens",
                count=other.length, tokens=tokens.length))
    for name in ("bos", "eos", "unknown", "padding", "separator", "eot", "eom"):
        key = f"tokenizer.ggml.{name}_token_id"
        value = metadata.get(key)
        if key in types and (not isinstance(value, int) or isinstance(value, bool)):
            raise _inconsistent(path, said("{key} is not a token number", key=key))
        if isinstance(value, int) and not isinstance(value, bool) and \
                value >= tokens.length and value != 2**32 - 1 and value != -1:
            raise _inconsistent(path, said("{key} is {value:,}, but the vocabulary has "
                                           "{tokens:,} tokens", key=key, value=value,
                                           tokens=tokens.length))


def _tensor_bytes(path: Path, type_id: int, dims: list[int]) -> tuple[int, int]:
    """(elements, bytes) of one tensor, from ggml's block sizes."""
    constants = gguf_constants()
    try:
        block_size, type_size = constants.GGML_QUANT_SIZES[
            constants.GGMLQuantizationType(type_id)]
    except (ValueError, KeyError):
        raise ModelFileError(said(
            "{name} uses a tensor type ({type_id}) that this version of LlamaDesk does not "
            "know. Update LlamaDesk, or use a more common quantisation such as Q4_K_M.",
            name=path.name, type_id=type_id)) from None
    elements = 1
    for dim in dims:
        elements *= dim
    if dims and dims[0] % block_size:
        raise _not_gguf(path, said("a tensor's shape does not fit its quantisation blocks"))
    return elements, elements // block_size * type_size


@functools.cache
def gguf_constants() -> ModuleType:
    """The gguf package's tables of tensor types and file types (gguf/constants.py).

    Loaded when a file is first read, not at import (the window need not wait for it),
    and alone: ``import gguf.constants`` runs the package's __init__, which also imports
    its reader, writer, vocabulary and metadata modules with numpy and yaml (2 MiB
    more resident memory and 15 ms, for two tables).  The module is the package's own
    file, so the tables are the installed gguf's; where it is not a plain file (a frozen
    build), the package is imported as usual."""
    loaded = sys.modules.get("gguf.constants")
    if loaded is not None:
        return loaded
    package = importlib.util.find_spec("gguf")  # finds it without running its __init__
    folders = package.submodule_search_locations if package is not None else None
    source = Path(next(iter(folders)), "constants.py") if folders else None
    spec = importlib.util.spec_from_file_location("gguf.constants", source) \
        if source is not None and source.is_file() else None
    if spec is None or spec.loader is None:
        import gguf.constants

        return gguf.constants
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_gguf(path: str | Path) -> GGUFInfo:
    """Check ``path`` is a complete GGUF file and return its header facts.

    Raises ModelFileError with a message for a person on any problem.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ModelFileError(said("The model file {path} does not exist.", path=path)) from None
    except OSError as error:
        raise ModelFileError(said("The model file {path} cannot be read: {reason}.", path=path,
                                  reason=error.strerror)) from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # opening a FIFO would wait forever for a writer; a device never ends
        if stat.S_ISFIFO(mode):
            raise ModelFileError(said("{path} is a FIFO (named pipe), not a model file. Choose "
                                      "a .gguf file.", path=path))
        if stat.S_ISSOCK(mode):
            raise ModelFileError(said("{path} is a socket, not a model file. Choose a .gguf "
                                      "file.", path=path))
        raise ModelFileError(said("{path} is a device, not a model file. Choose a .gguf file.",
                                  path=path))
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise ModelFileError(said("The model file {path} does not exist.", path=path)) from None
    except IsADirectoryError:
        raise ModelFileError(said("{path} is a folder, not a model file.", path=path)) from None
    except OSError as error:
        raise ModelFileError(said("The model file {path} cannot be read: {reason}.", path=path,
                                  reason=error.strerror)) from None
    with handle:
        size = path.stat().st_size
        if size < 24:
            raise _not_gguf(path, said("it is only {size} bytes long", size=size))
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buffer:
            return _parse(path, buffer)


def _parse(path: Path, buffer: mmap.mmap) -> GGUFInfo:
    cursor = _Cursor(buffer, path)
    magic = bytes(buffer[:4])
    if magic != GGUF_MAGIC:
        raise _not_gguf(path, said("it starts with {magic!r}, not b'GGUF'", magic=magic))
    cursor.offset = 4
    version = cursor.u32()
    if version not in SUPPORTED_VERSIONS:
        raise ModelFileError(said(
            "{name} is GGUF version {version}; LlamaDesk reads versions {versions}. Get a "
            "newer conversion of this model.", name=path.name, version=version,
            versions=", ".join(map(str, SUPPORTED_VERSIONS))))
    tensor_count = cursor.u64()
    kv_count = cursor.u64()
    if tensor_count > MAX_COUNT or kv_count > MAX_COUNT:
        raise _not_gguf(path, said("its header counts are impossibly large"))

    metadata: dict[str, MetadataValue] = {}
    arrays: dict[str, ArrayInfo] = {}
    types: dict[str, int] = {}
    for _ in range(kv_count):
        key = cursor.string()
        if key in types:
            raise _inconsistent(path, said("the metadata key {key!r} appears twice",
                                           key=key[:80]))
        value_type = cursor.u32()
        types[key] = value_type
        if value_type == _ARRAY:
            element_type = cursor.u32()
            length = cursor.u64()
            if length > cursor.size:
                raise _truncated(path, length, cursor.size)
            _skip_array(cursor, element_type, length, unique=key == "tokenizer.ggml.tokens")
            arrays[key] = ArrayInfo(element_type, length)
        else:
            metadata[key] = _read_value(cursor, value_type)

    tensors: list[tuple[str, int, int]] = []  # name, offset, bytes
    parameter_count = 0
    for _ in range(tensor_count):
        name = cursor.string()
        n_dims = cursor.u32()
        if n_dims > MAX_DIMS:
            raise _not_gguf(path, said("tensor {name!r} has {dims} dimensions", name=name,
                                       dims=n_dims))
        dims = [cursor.u64() for _ in range(n_dims)]
        type_id = cursor.u32()
        offset = cursor.u64()
        elements, n_bytes = _tensor_bytes(path, type_id, dims)
        parameter_count += elements
        tensors.append((name, offset, n_bytes))

    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if "general.alignment" in types and types["general.alignment"] != _UINT32:
        raise _inconsistent(path, said("its alignment is not stored as a 32-bit unsigned "
                                       "number"))
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise _not_gguf(path, said("its alignment {alignment!r} is not a power of two",
                                   alignment=alignment))
    if alignment < DEFAULT_ALIGNMENT:
        raise _inconsistent(path, said("its tensor alignment is {alignment}, less than the "
                                       "{needed} bytes llama.cpp needs", alignment=alignment,
                                       needed=DEFAULT_ALIGNMENT))
    _check_metadata(path, metadata, arrays, types)
    data_start = -(-cursor.offset // alignment) * alignment
    for name, offset, n_bytes in tensors:
        end = data_start + offset + n_bytes
        if end > cursor.size:
            raise ModelFileError(said(
                "The model file {name} is incomplete: tensor {tensor!r} ends at byte {end:,} "
                "but the file has {size:,}. The download or copy was cut short; download or "
                "copy it again.", name=path.name, tensor=name, end=end, size=cursor.size))
    return GGUFInfo(
        path=path,
        version=version,
        file_size=cursor.size,
        tensor_count=tensor_count,
        parameter_count=parameter_count,
        metadata=metadata,
        arrays=arrays,
    )
