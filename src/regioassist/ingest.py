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

from regioassist import readers
from regioassist.chunking import chunk_document
from regioassist.config import REPO_ROOT
from regioassist.embedding import Embedder
from regioassist.index import LocalIndex
from regioassist.integrity import settled_files
from regioassist.models import Chunk
from regioassist.readers import ReadError, read_document
from regioassist.store import utc_now
from regioassist.structure import parse_document
from regioassist.textutil import split_sentences
from regioassist.vectorcache import VectorCache, model_identity

# Bump when reading, structure finding or chunking changes what a file becomes: every
# file is then re-indexed once, though its bytes did not change.
PIPELINE_VERSION = "11"  # 3: outline on the first chunk; 4: compounds split in the keyword index; 5: more structure shapes; 6: OCR of scanned pages, each chunk's ocr mark and document language; 7: sentence vectors stored at ingest; 8: each chunk's parent heading, items under "Mededelingen" grouped; 9: "Het portefeuillehoudersoverleg besluit" is a decision; 10: a long heading read as a sentence is a sub-heading of the one before; 11: a date a preposition makes a point in time ("Sinds 1 januari 2021") does not date a document


@dataclass
class IngestReport:
    read: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each: "path: why"
    pruned: list[str] = field(default_factory=list)
    # Files with the same bytes as an indexed one: "name: same content as other; indexed once".
    duplicates: list[str] = field(default_factory=list)
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
    """SHA-256 of the file's bytes, read in blocks: a large file is never held in memory for it."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _content_hash(path: Path, source: str) -> str | None:
    """The file's hash; None for a file over the size limit (the reader refuses it in one line)."""
    try:
        if path.stat().st_size > readers.MAX_FILE_MB * 1024 * 1024:
            return None
        return file_hash(path)
    except FileNotFoundError:
        raise ReadError(f"{source}: file not found (removed before it could be read)") from None
    except OSError as error:
        raise ReadError(f"{source}: cannot read file ({error.strerror or error})") from None


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
    """Ingest files and folders into ``index``; ``progress(path, status)`` is told about each file.

    A file with the same bytes as another indexed file that is still on disk is indexed once:
    it becomes another name of that file (``VectorStore.add_name``). Such files are settled
    after the rest of the batch, so that a name is only recorded against the final version.
    """
    batch = _Batch(index, embedder, chunk_chars, chunk_overlap, progress)
    report = batch.report
    files, missing = expand_paths(paths)
    report.failed.extend(missing)
    with index.writing():  # read what is indexed and write it back as one step
        indexed = settled_files(index)
        by_content = {doc_hash: key for key, (_, doc_hash) in indexed.items() if Path(key).is_file()}
        changed = False
        same_as_another: list[tuple[Path, str]] = []
        for path in files:
            key, source = str(path.resolve()), source_name(path)
            try:
                digest = _content_hash(path, source)
            except ReadError as error:
                batch.fail(source, str(error))
                continue
            version = f"{digest}{batch.fingerprint}"
            if key in indexed and indexed[key][1] == version:
                report.unchanged.append(source)
                progress(source, "unchanged")
            elif digest is not None and by_content.get(version, key) != key:
                same_as_another.append((path, version))
            elif batch.index_file(path, key, source):
                changed = True
                by_content[version] = key
        if same_as_another:
            names = index.store.indexed_files()
            current = {doc_hash: key for key, (_, doc_hash) in names.items() if Path(key).is_file()}
            for path, version in same_as_another:
                key, source = str(path.resolve()), source_name(path)
                original = current.get(version)
                if original is None:  # the other file changed in this batch: this one is new content
                    changed |= batch.index_file(path, key, source)
                    continue
                changed |= bool(index.store.delete_path(key))  # an older, different version under this name
                index.store.add_name(original, source)
                report.duplicates.append(f"{source}: same content as {names[original][0]}; indexed once")
                progress(source, f"same content as {names[original][0]}")
        if changed or not index.keyword_agrees():
            index.rebuild_keyword()
    return report


class _Batch:
    """What every file of one ingest shares: the index, the embedder, the chunking, the report,
    and the index's sentence-vector cache (opened once per batch, not per file)."""

    def __init__(self, index: LocalIndex, embedder: Embedder, chunk_chars: int, chunk_overlap: int,
                 progress: Callable[[str, str], None]) -> None:
        self.index, self.embedder, self.progress = index, embedder, progress
        self.chunk_chars, self.chunk_overlap = chunk_chars, chunk_overlap
        self.fingerprint = pipeline_fingerprint(chunk_chars, chunk_overlap)
        self.report = IngestReport()
        identity = model_identity(embedder)
        self.sentences = VectorCache.beside(index.directory, identity) if identity else None

    def index_file(self, path: Path, key: str, source: str) -> bool:
        """Read, chunk, embed and store one file; False (and one line in the report) when it fails."""
        try:
            raw = read_document(path, source=source)
            doc = parse_document(raw)
            doc = dataclasses.replace(doc, content_hash=doc.content_hash + self.fingerprint)
            chunks = chunk_document(doc, self.chunk_chars, self.chunk_overlap)
            if not chunks:
                raise ReadError(f"{source}: no text to index")
            vectors = self.embedder.embed([c.indexed_text for c in chunks], kind="passage")
            if self.sentences is not None:
                store_sentence_vectors(self.sentences, self.embedder, chunks)
        except ReadError as error:
            self.fail(source, str(error))
            return False
        except Exception as error:  # a parser bug must not stop the batch; say which file
            self.fail(source, f"{source}: {type(error).__name__}: {error}")
            return False
        self.index.store.delete_path(key)
        self.index.store.upsert(key, chunks, vectors, indexed_at=utc_now())
        self.report.read.append(source)
        self.report.chunks_added += len(chunks)
        self.progress(source, f"{len(chunks)} chunks")
        return True

    def fail(self, source: str, line: str) -> None:
        self.report.failed.append(line)
        self.progress(source, "failed")


def store_sentence_vectors(cache: VectorCache, embedder: Embedder, chunks: Sequence[Chunk]) -> int:
    """Embed the chunks' sentences the answerer will score, once, into the index's vector cache.

    Sentences already stored (shared with another file, or an unchanged one re-read) are skipped.
    Returns how many were embedded.
    """
    sentences = list(dict.fromkeys(s for chunk in chunks for s in split_sentences(chunk.text)))
    known = cache.get("passage", sentences)
    missing = [s for s in sentences if s not in known]
    if missing:
        cache.put("passage", missing, embedder.embed(missing, kind="passage"))
    return len(missing)


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
