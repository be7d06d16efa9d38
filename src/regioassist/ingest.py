"""Ingestion: files on disk -> parsed documents -> chunks -> embeddings -> the index.

Re-ingesting an unchanged file changes nothing (its content hash is already
indexed); a changed file replaces only its own chunks; a file that fails to
read is reported in one line and the rest of the batch is still indexed.
Each file's chunks carry the time it was indexed (``indexed_at``), and every
write holds the index's writer lock.

A process killed mid-batch loses nothing the next ingest does not restore:
a file's old chunks are deleted only after its new ones are embedded, and
its new ones are stored right after, in one Chroma call; killed between the
two, the file is no longer indexed, so the next ingest reads it again. Files
stored before the kill are found unchanged. A file whose stored chunks are
damaged (two versions, a passage twice: ``integrity.settled_files``) is read
again too. The keyword index is rebuilt once at the end, and whenever it does
not hold exactly the stored chunks (as after a kill before that rebuild).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from regioassist.chunking import chunk_document
from regioassist.config import REPO_ROOT
from regioassist.embedding import Embedder
from regioassist.index import LocalIndex
from regioassist.integrity import settled_files
from regioassist.readers import ReadError, read_document
from regioassist.store import utc_now
from regioassist.structure import parse_document

# Bump when reading, structure finding or chunking changes what a file becomes: every
# file is then re-indexed once, though its bytes did not change.
PIPELINE_VERSION = "6"  # 3: outline on the first chunk; 4: compounds split in the keyword index; 5: more structure shapes; 6: OCR of scanned pages, each chunk's ocr mark and document language


@dataclass
class IngestReport:
    read: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each: "path: why"
    pruned: list[str] = field(default_factory=list)
    chunks_added: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__)


def source_name(path: Path) -> str:
    """How a file is named in citations: relative to the repo when inside it, else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(REPO_ROOT))
    except ValueError:
        return str(resolved)


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Files to ingest (folders walked, sorted) and one error line per path that does not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{path}: no such file or directory")
    return files, missing


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pipeline_fingerprint(chunk_chars: int, chunk_overlap: int) -> str:
    """What a file's stored hash ends in when this pipeline version and chunking indexed it."""
    return f"|v{PIPELINE_VERSION}:{chunk_chars}:{chunk_overlap}"


def stale_files(index: LocalIndex, chunk_chars: int = 900, chunk_overlap: int = 150) -> list[Path]:
    """Indexed files, still on disk, that another pipeline version or chunking indexed."""
    fingerprint = pipeline_fingerprint(chunk_chars, chunk_overlap)
    return sorted(
        Path(key) for key, (_, doc_hash) in index.store.indexed_files().items()
        if not doc_hash.endswith(fingerprint) and Path(key).is_file()
    )


def ingest_paths(
    paths: Sequence[Path],
    index: LocalIndex,
    embedder: Embedder,
    *,
    chunk_chars: int = 900,
    chunk_overlap: int = 150,
    progress: Callable[[str, str], None] = lambda path, status: None,
) -> IngestReport:
    """Ingest files and folders into ``index``; ``progress(path, status)`` is told about each file."""
    report = IngestReport()
    files, missing = expand_paths(paths)
    report.failed.extend(missing)
    with index.writing():  # read what is indexed and write it back as one step
        indexed = settled_files(index)
        fingerprint = pipeline_fingerprint(chunk_chars, chunk_overlap)
        changed = False
        for path in files:
            key = str(path.resolve())
            source = source_name(path)
            try:
                if key in indexed and indexed[key][1] == file_hash(path) + fingerprint:
                    report.unchanged.append(source)
                    progress(source, "unchanged")
                    continue
                raw = read_document(path, source=source)
                doc = parse_document(raw)
                doc = dataclasses.replace(doc, content_hash=doc.content_hash + fingerprint)
                chunks = chunk_document(doc, chunk_chars, chunk_overlap)
                if not chunks:
                    raise ReadError(f"{source}: no text to index")
                vectors = embedder.embed([c.indexed_text for c in chunks], kind="passage")
            except ReadError as error:
                report.failed.append(str(error))
                progress(source, "failed")
                continue
            except Exception as error:  # a parser bug must not stop the batch; say which file
                report.failed.append(f"{source}: {type(error).__name__}: {error}")
                progress(source, "failed")
                continue
            index.store.delete_path(key)
            index.store.upsert(key, chunks, vectors, indexed_at=utc_now())
            changed = True
            report.read.append(source)
            report.chunks_added += len(chunks)
            progress(source, f"{len(chunks)} chunks")
        if changed or not index.keyword_agrees():
            index.rebuild_keyword()
    return report


def prune_missing(index: LocalIndex) -> list[str]:
    """Remove the chunks of indexed files that no longer exist on disk."""
    pruned = []
    with index.writing():
        for key, (source, _) in index.store.indexed_files().items():
            if not Path(key).exists():
                index.store.delete_path(key)
                pruned.append(source)
        if pruned:
            index.rebuild_keyword()
    return pruned
