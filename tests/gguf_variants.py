"""Hostile variants of a real GGUF file, for the tests of issue 10.

``Layout.read`` splits a GGUF file into its header fields, its metadata entries (each
kept as raw bytes, so one can be replaced or added) and its tensor table; ``write``
puts a file back together with the original tensor data after the new header.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
           10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9


@dataclass
class Entry:
    key: str
    value_type: int
    raw: bytes  # the value's bytes, after the type
    offset: int = 0  # where the value starts in the original file

    def encode(self) -> bytes:
        key = self.key.encode()
        return struct.pack("<Q", len(key)) + key + struct.pack("<I", self.value_type) + self.raw


@dataclass
class Layout:
    path: Path
    version: int
    entries: list[Entry] = field(default_factory=list)
    tensor_count: int = 0
    tensor_table: bytes = b""
    header_end: int = 0  # end of the tensor table in the original file
    data_start: int = 0

    @classmethod
    def read(cls, path: Path) -> Layout:
        data = path.read_bytes()[: 64 * 2**20]
        version, tensor_count, kv_count = struct.unpack_from("<IQQ", data, 4)
        layout = cls(path, version, tensor_count=tensor_count)
        offset = 24
        for _ in range(kv_count):
            (length,) = struct.unpack_from("<Q", data, offset)
            key = data[offset + 8: offset + 8 + length].decode()
            offset += 8 + length
            (value_type,) = struct.unpack_from("<I", data, offset)
            offset += 4
            start = offset
            offset = _skip(data, offset, value_type)
            layout.entries.append(Entry(key, value_type, data[start:offset], start))
        table_start = offset
        for _ in range(tensor_count):
            (length,) = struct.unpack_from("<Q", data, offset)
            offset += 8 + length
            (dims,) = struct.unpack_from("<I", data, offset)
            offset += 4 + 8 * dims + 4 + 8
        layout.tensor_table = data[table_start:offset]
        layout.header_end = offset
        alignment = layout.alignment()
        layout.data_start = -(-offset // alignment) * alignment
        return layout

    def alignment(self) -> int:
        for entry in self.entries:
            if entry.key == "general.alignment" and entry.value_type == 4:
                return int(struct.unpack("<I", entry.raw)[0])
        return 32

    def entry(self, key: str) -> Entry:
        return next(e for e in self.entries if e.key == key)

    def write(self, target: Path, entries: list[Entry] | None = None,
              alignment: int | None = None) -> Path:
        """A file with ``entries`` as metadata and the original tensors."""
        entries = self.entries if entries is None else entries
        header = b"GGUF" + struct.pack("<IQQ", self.version, self.tensor_count, len(entries))
        header += b"".join(e.encode() for e in entries) + self.tensor_table
        align = alignment or self.alignment()
        padding = (-len(header) % align) if align > 0 else 0
        with self.path.open("rb") as source, target.open("wb") as out:
            out.write(header + b"\0" * padding)
            source.seek(self.data_start)
            while chunk := source.read(16 * 2**20):
                out.write(chunk)
        return target


def scalar(value_type: int, value: object) -> bytes:
    return struct.pack(SCALARS[value_type], value)


def string(text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(data)) + data


def string_array(items: list[bytes]) -> bytes:
    return struct.pack("<IQ", STRING, len(items)) + b"".join(string(i) for i in items)


def replaced(entries: list[Entry], key: str, value_type: int, raw: bytes) -> list[Entry]:
    """``entries`` with ``key`` set to a new typed value (added when missing)."""
    out = [e for e in entries if e.key != key]
    index = next((i for i, e in enumerate(entries) if e.key == key), len(out))
    out.insert(index, Entry(key, value_type, raw))
    return out


def strings_of(entry: Entry) -> list[bytes]:
    """The items of a string array entry."""
    (_, count) = struct.unpack_from("<IQ", entry.raw, 0)
    offset, items = 12, []
    for _ in range(count):
        (length,) = struct.unpack_from("<Q", entry.raw, offset)
        items.append(entry.raw[offset + 8: offset + 8 + length])
        offset += 8 + length
    return items


def _skip(data: bytes, offset: int, value_type: int) -> int:
    if value_type == STRING:
        (length,) = struct.unpack_from("<Q", data, offset)
        return int(offset + 8 + length)
    if value_type == ARRAY:
        element_type, count = struct.unpack_from("<IQ", data, offset)
        offset += 12
        if element_type == STRING:
            for _ in range(count):
                (length,) = struct.unpack_from("<Q", data, offset)
                offset += 8 + length
            return offset
        return int(offset + struct.calcsize(SCALARS[element_type]) * count)
    return offset + struct.calcsize(SCALARS[value_type])
