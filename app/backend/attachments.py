"""Files attached to a message: text, code, Markdown, and the text of a PDF (pypdf).

An attachment becomes part of the message the model reads and the history keeps: a
heading with its name and its text in a fence longer than any inside it, so the
message (and every export) carries it.  A file that is not text, too large, or a PDF
without text is refused with a message that says which and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.backend.errors import LlamaDeskError
from app.backend.words import said

MAX_TEXT_BYTES = 2 * 2**20  # 2 MiB of text: far beyond any context
MAX_PDF_BYTES = 50 * 2**20
PDF_SUFFIXES = (".pdf",)


class AttachmentError(LlamaDeskError):
    """A file could not be attached; the message says why."""


@dataclass(frozen=True)
class Attachment:
    name: str
    text: str


def read_attachment(path: Path) -> Attachment:
    """The file's text, or AttachmentError."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise AttachmentError(said("{name} is not a file.", name=path.name))
        if path.suffix.lower() in PDF_SUFFIXES:
            return Attachment(path.name, _pdf_text(path, size))
        if size > MAX_TEXT_BYTES:
            raise AttachmentError(said(
                "{name} is {size_mb:.1f} MB; LlamaDesk attaches text files up to {limit_mb} MB.",
                name=path.name, size_mb=size / 2**20, limit_mb=MAX_TEXT_BYTES // 2**20))
        data = path.read_bytes()
    except OSError as error:
        raise AttachmentError(said("{name} cannot be read: {reason}.", name=path.name,
                                   reason=error.strerror)) from None
    if b"\0" in data[:8192]:
        raise AttachmentError(said("{name} is not a text file (images and other binary "
                                   "files cannot be attached).", name=path.name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # every byte is a character: nothing is lost
    return Attachment(path.name, text.replace("\r\n", "\n"))


def _pdf_text(path: Path, size: int) -> str:
    if size > MAX_PDF_BYTES:
        raise AttachmentError(said(
            "{name} is {size_mb:.0f} MB; LlamaDesk attaches PDFs up to {limit_mb} MB.",
            name=path.name, size_mb=size / 2**20, limit_mb=MAX_PDF_BYTES // 2**20))
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise AttachmentError(said("{name} is encrypted; open it, save an unencrypted "
                                       "copy, and attach that.", name=path.name))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise AttachmentError(said("{name} could not be read as a PDF ({error}).",
                                   name=path.name, error=error)) from None
    # pypdf puts a tab where some writers leave a gap between words
    pages = [re.sub(r"[ \t]+", " ", page) for page in pages]
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise AttachmentError(said("{name} has no text to read (a scanned PDF holds only "
                                   "pictures of pages).", name=path.name))
    return text


def with_attachments(text: str, attachments: list[Attachment]) -> str:
    """The message as the model reads it and the history keeps it."""
    parts = [text.strip()] if text.strip() else []
    for attachment in attachments:
        longest = max((len(run) for run in re.findall(r"`+", attachment.text)), default=0)
        fence = "`" * max(3, longest + 1)
        parts.append(f"Attached file: {attachment.name}\n{fence}\n{attachment.text.rstrip()}\n"
                     f"{fence}")
    return "\n\n".join(parts)
