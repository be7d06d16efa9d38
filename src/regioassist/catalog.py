"""The file catalog: one record per indexed file, kept in Chroma beside the chunks.

What ingestion, ``status`` and pruning ask ("which files are indexed, with which hash, since
when, under which other names?") is a question about files, not chunks. Answering it from the
chunks' metadata means reading every chunk's metadata, and chromadb materialises metadata at
about 0.3 ms a record: 36 s at 100,000 chunks, which made a re-ingest of an unchanged corpus
take 28 s and ``status`` 22 s there. So each file gets one :class:`FileRecord`, summarised
from its chunks when they are written, in a second collection ``<collection>-files`` of the
same Chroma (on disk or on the server, so every process that reaches the chunks reaches it):
2,500 records instead of 100,000.

Records are written so that a crash never leaves one that claims more than is stored:
``ChromaStore.upsert`` writes the chunks first and the record after, ``delete_path`` deletes
the record first and the chunks after. A write cut short therefore leaves chunks without a
record (never a record without its chunks); ingestion indexes such a file again as a new one
(its first step deletes every chunk under the path) and ``regioassist index check`` reports
those of files that are gone.

A record also says what was wrong inside its file when it was written: chunks of two versions
of the file (half replaced) or one passage stored twice. Such a file is not *settled*, so the
next ingest indexes it again (integrity.py).

Two marker records live in the collection too. ``~complete`` exists once the catalog covers
every file, and names the version of its records (:data:`CATALOG_VERSION`): an index built
before the catalog has none, and :meth:`ChromaCatalog.build` fills it from the chunks once
(LocalIndex.open does, under the write lock); until then the store answers from the chunks'
metadata as it did before. ``~revision`` holds a token rewritten on
every change, so that "has the index changed since the keyword index was saved?" costs one
small read instead of comparing 100,000 ids (index.py).

>>> metas = [{"path": "/d/a.txt", "source": "a.txt", "doc_hash": "h1", "start": s, "end": s + 9,
...           "indexed_at": "2026-11-23T10:00:00+00:00", "title": "Resumé", "doc_type": "resumé",
...           "date": "2023-02-23", "language": "nl", "ocr": False, "other_names": ""} for s in (0, 10)]
>>> record = FileRecord.summarise("/d/a.txt", metas)
>>> record.chunks, record.settled, FileRecord.from_metadata(record.to_metadata()) == record
(2, True, True)
>>> FileRecord.summarise("/d/a.txt", metas + [{**metas[0], "doc_hash": "h0"}]).problem
'chunks of 2 versions of the file (half replaced)'
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

COMPLETE_ID = "~complete"  # present once every file has its record, naming the records' version
# What a record holds; a catalog of another version is built again (once) when the index is opened.
# 2: a file's domains and first chunk.
CATALOG_VERSION = 2
REVISION_ID = "~revision"  # a new token on every change
MARKERS = (COMPLETE_ID, REVISION_ID)
NO_VECTOR = [0.0]  # Chroma stores no record without a vector; a record's is this placeholder


@dataclass(frozen=True)
class FileRecord:
    """One indexed file: what status shows and what ingestion compares, summarised from its chunks."""

    path: str  # the path key (absolute path) the chunks were stored under
    source: str  # the name shown and cited
    doc_hash: str  # content hash + pipeline fingerprint of the version indexed
    chunks: int
    indexed_at: str | None  # the newest chunk's stamp (ISO UTC)
    title: str
    doc_type: str
    date: str | None
    language: str
    ocr: bool
    other_names: tuple[str, ...] = ()
    versions: int = 1  # doc hashes among the chunks: more than one is a half-replaced file
    repeated: int = 0  # passages (start, end) stored more than once
    domains: tuple[str, ...] = ()  # the domains its chunks name, as written
    first_chunk: str = ""  # the id of its first chunk, which holds the document's outline

    @classmethod
    def summarise(cls, path: str, metadatas: Iterable[dict]) -> "FileRecord":
        """The record of the file whose chunks have these metadata (``store.chunk_to_metadata``, and
        the chunk's ``"id"``)."""
        metas = list(metadatas)
        if not metas:
            raise ValueError(f"{path}: no chunks to summarise")
        first = min(metas, key=lambda m: m["start"])
        hashes = Counter(m["doc_hash"] for m in metas)
        spans = Counter((m["start"], m["end"]) for m in metas)
        stamps = [m.get("indexed_at") for m in metas if m.get("indexed_at")]
        return cls(
            path=path,
            source=first["source"],
            doc_hash=hashes.most_common(1)[0][0],
            chunks=len(metas),
            indexed_at=max(stamps) if stamps else None,
            title=first["title"],
            doc_type=first["doc_type"],
            date=first["date"] or None,
            language=first.get("language") or "nl",
            ocr=any(m.get("ocr") for m in metas),
            other_names=tuple(json.loads(first.get("other_names") or "[]")),
            versions=len(hashes),
            repeated=sum(1 for n in spans.values() if n > 1) if len(hashes) == 1 else 0,
            domains=tuple(sorted({m["domain"] for m in metas if m.get("domain")})),
            first_chunk=first.get("id", ""),
        )

    @property
    def problem(self) -> str | None:
        """What is wrong inside the file's chunks, as the rest of a line after its name; None when nothing."""
        if self.versions > 1:
            return f"chunks of {self.versions} versions of the file (half replaced)"
        if self.repeated:
            return f"{self.repeated} passage{'s' if self.repeated > 1 else ''} stored more than once"
        return None

    @property
    def settled(self) -> bool:
        """Nothing wrong inside: an ingest that finds its hash unchanged may skip the file."""
        return self.problem is None

    def to_metadata(self) -> dict:
        return {
            "path": self.path, "source": self.source, "doc_hash": self.doc_hash, "chunks": self.chunks,
            "indexed_at": self.indexed_at or "", "title": self.title, "doc_type": self.doc_type,
            "date": self.date or "", "language": self.language, "ocr": self.ocr,
            "other_names": json.dumps(list(self.other_names), ensure_ascii=False),
            "versions": self.versions, "repeated": self.repeated,
            "domains": json.dumps(list(self.domains), ensure_ascii=False),
            "first_chunk": self.first_chunk,
        }

    @classmethod
    def from_metadata(cls, meta: dict) -> "FileRecord":
        return cls(
            path=meta["path"], source=meta["source"], doc_hash=meta["doc_hash"], chunks=meta["chunks"],
            indexed_at=meta["indexed_at"] or None, title=meta["title"], doc_type=meta["doc_type"],
            date=meta["date"] or None, language=meta["language"], ocr=bool(meta["ocr"]),
            other_names=tuple(json.loads(meta["other_names"] or "[]")),
            versions=meta["versions"], repeated=meta["repeated"],
            domains=tuple(json.loads(meta.get("domains") or "[]")),
            first_chunk=meta.get("first_chunk", ""),
        )


def summarise_files(metadatas: Iterable[dict]) -> dict[str, FileRecord]:
    """path key -> its record, from every chunk's metadata (one pass)."""
    by_path: dict[str, list[dict]] = defaultdict(list)
    for meta in metadatas:
        by_path[meta["path"]].append(meta)
    return {path: FileRecord.summarise(path, metas) for path, metas in by_path.items()}


def new_token() -> str:
    return f"{time.time_ns()}-{os.getpid()}"


class ChromaCatalog:
    """The records of one chunk collection, in the Chroma collection ``<name>-files`` beside it.

    ``page`` is the number of records per Chroma call (the store's batch size).
    """

    def __init__(self, client, chunk_collection: str, page: int) -> None:
        self._collection = client.get_or_create_collection(
            name=f"{chunk_collection}-files", embedding_function=None, metadata={"regioassist": "file catalog"}
        )
        self._page = page

    def complete(self) -> bool:
        """Does every file have its record, of this version? (False for an index built before the
        catalog, or before its records held what they hold now.)"""
        got = self._collection.get(ids=[COMPLETE_ID], include=["metadatas"])
        return bool(got["ids"]) and got["metadatas"][0].get("version") == CATALOG_VERSION

    def revision(self) -> str:
        """The token of the last change ("" before the first)."""
        got = self._collection.get(ids=[REVISION_ID], include=["metadatas"])
        return got["metadatas"][0]["token"] if got["ids"] else ""

    def records(self) -> dict[str, FileRecord]:
        """path key -> record, every file."""
        records = {}
        offset = 0
        while True:
            got = self._collection.get(include=["metadatas"], limit=self._page, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"]):
                if cid not in MARKERS:
                    records[cid] = FileRecord.from_metadata(meta)
            if len(got["ids"]) < self._page:
                return records
            offset += len(got["ids"])

    def record(self, path: str) -> FileRecord | None:
        got = self._collection.get(ids=[path], include=["metadatas"])
        return FileRecord.from_metadata(got["metadatas"][0]) if got["ids"] else None

    def put(self, records: Iterable[FileRecord]) -> None:
        """Write records; the last call also writes a new revision (one Chroma write for one file)."""
        records, step = list(records), max(1, self._page - 1)  # room for the revision in the last call
        for at in range(0, len(records), step):
            part = records[at : at + step]
            ids, metadatas = [r.path for r in part], [r.to_metadata() for r in part]
            if at + len(part) == len(records):
                ids.append(REVISION_ID)
                metadatas.append({"token": new_token()})
            self._collection.upsert(ids=ids, metadatas=metadatas, embeddings=[NO_VECTOR] * len(ids))

    def delete(self, path: str) -> None:
        self._collection.delete(ids=[path])
        self._touch()

    def build(self, metadatas: Iterator[dict]) -> int:
        """Fill the catalog from every chunk's metadata, then mark it complete; the number of files."""
        records = summarise_files(metadatas)
        stale = set(self.records()) - set(records)
        for path in stale:  # records of files whose chunks are gone
            self._collection.delete(ids=[path])
        self.put(records.values())  # writes a new revision with the last records
        if not records:
            self._touch()
        self._collection.upsert(ids=[COMPLETE_ID], metadatas=[{"token": new_token(), "version": CATALOG_VERSION}],
                                embeddings=[NO_VECTOR])
        return len(records)

    def _touch(self) -> None:
        self._collection.upsert(ids=[REVISION_ID], metadatas=[{"token": new_token()}], embeddings=[NO_VECTOR])
