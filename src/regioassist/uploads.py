"""Documents added and removed while the chat runs: checked uploads in ``INDEX/files/``.

An upload is checked (type, size, not empty), copied under a safe name into the
managed folder and indexed under the writer lock; a file the reader rejects leaves
the folder again, so nothing stays half-added. Removing a document takes its chunks
out of both indexes, and its file too when it lives in the managed folder (the
shipped ``documents/`` are never deleted).

>>> # report, errors = add_documents(settings, [(Path("/tmp/gradio/x1"), "Resumé april.pdf")], embedder)
>>> # errors -> ["rapport.exe: dit bestandstype wordt niet ondersteund (toegestaan: PDF, DOCX, TXT, MD)"]
>>> # remove_document(settings, index, status.documents[0].path)   # -> chunks removed
>>> safe_name("../../etc/passwd.txt"), safe_name("Résumé PFHO 2023.PDF")
('passwd.txt', 'Résumé PFHO 2023.pdf')
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from regioassist.config import Settings
from regioassist.index import LocalIndex
from regioassist.ingest import IngestReport

ALLOWED_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
MB = 1024 * 1024  # the limit is upload_max_mb megabytes of 2**20 bytes
MAX_STEM = 100  # characters of a stored name before its suffix
ALLOWED_ASCII = re.compile(r"[A-Za-z0-9._ -]")


class UploadError(ValueError):
    """Why one upload was refused, as one Dutch line for the chat user: 'naam: reden'."""


def managed_folder(settings: Settings) -> Path:
    """Where uploads are stored: ``INDEX/files/`` (for a Chroma server, in its local folder: location.py)."""
    return Path(settings.index_dir) / "files"


def _allowed(ch: str) -> bool:
    """ASCII letters, digits, '._ -', and accented Latin letters such as é or ï."""
    if ALLOWED_ASCII.fullmatch(ch):
        return True
    base = unicodedata.normalize("NFKD", ch)[0]
    return ch.isalpha() and base.isascii() and base.isalpha()


def _clean(text: str) -> str:
    """Disallowed characters become '_', runs of them one '_', runs of spaces one space."""
    text = "".join(ch if _allowed(ch) else "_" for ch in text)
    return re.sub(r" {2,}", " ", re.sub(r"_{2,}", "_", text))


def safe_name(original: str) -> str:
    """A name that is safe to store: 'Résumé PFHO 2023.PDF' -> 'Résumé PFHO 2023.pdf'.

    Only the last path part counts ('../../etc/passwd.txt' -> 'passwd.txt', Windows
    back-slashes too); no leading dot; the stem is cut at 100 characters; the suffix
    is lower-cased. A name with nothing left becomes 'document'.
    """
    name = unicodedata.normalize("NFKC", original).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(". "):  # "README", ".bashrc", "..": the whole name is the stem
        stem, suffix = name, ""
    stem = _clean(stem).strip(" ._-")[:MAX_STEM].rstrip(" ._-") or "document"
    suffix = _clean(suffix).strip(" ._-").lower()
    return f"{stem}.{suffix}" if suffix else stem


def _display(original: str) -> str:
    """The name the user gave, on one line, for the error messages."""
    return " ".join(original.replace("\\", "/").split("/")[-1].split()) or "(naamloos)"


def _megabytes(size: int) -> str:
    """76_546_048 bytes -> '73'; 52_533_658 -> '50,1' (rounded up, Dutch decimal comma)."""
    return f"{math.ceil(size * 10 / MB) / 10:.1f}".removesuffix(".0").replace(".", ",")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _candidates(name: str):
    """'a.pdf', 'a (2).pdf', 'a (3).pdf', ..."""
    stem, suffix = os.path.splitext(name)
    yield name
    n = 2
    while True:
        yield f"{stem} ({n}){suffix}"
        n += 1


def store_upload(temp_path: Path, original_name: str, folder: Path, max_bytes: int) -> Path:
    """Check one upload and copy it into ``folder``; the stored path.

    Raises :class:`UploadError` for a type that is not allowed, a file over ``max_bytes``
    (checked with ``stat``, before anything is read) or an empty one. A file with the same
    bytes as one already stored returns that one; a different file under a taken name is
    stored as 'naam (2).pdf'.
    """
    shown = _display(original_name)
    name = safe_name(original_name)
    if not name.endswith(ALLOWED_SUFFIXES):
        raise UploadError(f"{shown}: dit bestandstype wordt niet ondersteund (toegestaan: PDF, DOCX, TXT, MD)")
    try:
        size = Path(temp_path).stat().st_size
    except OSError:
        raise UploadError(f"{shown}: het bestand is niet goed aangekomen; probeer het opnieuw") from None
    if size > max_bytes:
        raise UploadError(f"{shown}: het bestand is {_megabytes(size)} MB; de grens is {_megabytes(max_bytes)} MB")
    if size == 0:
        raise UploadError(f"{shown}: het bestand is leeg")

    folder.mkdir(parents=True, exist_ok=True)
    digest = _sha256(temp_path)
    for stored in sorted(folder.iterdir()):
        if stored.is_file() and not stored.name.startswith(".") and stored.stat().st_size == size:
            if _sha256(stored) == digest:
                return stored
    # Copy under a hidden name first (ingestion skips dot-files), then claim the final name.
    fd, part = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=folder)
    os.close(fd)
    try:
        shutil.copyfile(temp_path, part)
        for candidate in _candidates(name):
            target = folder / candidate
            try:
                target.open("xb").close()  # claim the name; fails if taken, even by a racing upload
            except FileExistsError:
                continue
            os.replace(part, target)
            return target
    finally:
        Path(part).unlink(missing_ok=True)
    raise AssertionError("unreachable")  # _candidates never ends


def add_documents(
    settings: Settings,
    files: list[tuple[Path, str]],
    embedder,
    index: LocalIndex | None = None,
    progress: Callable[[str, str], None] = lambda path, status: None,
) -> tuple[IngestReport, list[str]]:
    """Store and index uploads given as (temporary path, the user's file name); (report, errors).

    Every refused upload adds one Dutch line to ``errors`` and the others go on. The
    stored files are indexed under the writer lock; any that did not end up in the
    index (the reader rejected it, or indexing broke off) is deleted from the folder.
    """
    from regioassist.pipeline import ingest_into

    index = index or LocalIndex.open(settings.index_dir, settings.collection, server=settings.index_url)
    folder = managed_folder(settings)
    errors: list[str] = []
    report = IngestReport()
    with index.writing():
        stored: list[Path] = []
        for temp_path, original_name in files:
            try:
                stored.append(store_upload(Path(temp_path), original_name, folder, settings.upload_max_mb * MB))
            except UploadError as error:
                errors.append(str(error))
        try:
            if stored:
                report = ingest_into(settings, stored, embedder=embedder, index=index, progress=progress)
        finally:
            indexed = index.store.indexed_files()
            for path in stored:
                if str(path.resolve()) not in indexed:
                    path.unlink(missing_ok=True)
    return report, errors


def remove_document(settings: Settings, index: LocalIndex, path_key: str) -> int:
    """Remove a document's chunks from both indexes; its file too when it is an upload.

    Only files inside the managed folder are deleted; for any other file (the shipped
    ``documents/``) only the chunks go. Returns the number of chunks removed.
    """
    with index.writing():
        removed = index.remove(path_key)
        path = Path(path_key).resolve()
        if path.is_relative_to(managed_folder(settings).resolve()) and path.is_file():
            path.unlink()
    return removed
