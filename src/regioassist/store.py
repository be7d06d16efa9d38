"""Vector stores: where chunks and their embeddings live.

``ChromaStore`` keeps them in a Chroma collection on disk (``index/chroma``)
with our own embeddings: no call ever passes text without vectors, so Chroma's
default embedding function (which would try to download a model) never runs.
``MemoryStore`` is the same contract in memory, for unit tests.

We talk to chromadb directly rather than through llama-index's
``ChromaVectorStore``: that wrapper reports ``exp(-distance)`` as the score,
and the decline threshold needs the plain cosine similarity.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import numpy as np

from regioassist.models import Chunk, DocType, Outline


def domain_key(name: str | None) -> str:
    """'Jeugd & Onderwijs' and 'JEUGD EN ONDERWIJS' -> 'jeugd en onderwijs'."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.replace("&", " en ").casefold().split())


@dataclass(frozen=True)
class Filters:
    """Restrictions on what may be retrieved; every field is optional."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    domain: str | None = None
    doc_type: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.date_from, self.date_to, self.domain, self.doc_type))

    def matches(self, chunk: Chunk) -> bool:
        if self.date_from and (chunk.date is None or chunk.date < self.date_from):
            return False
        if self.date_to and (chunk.date is None or chunk.date > self.date_to):
            return False
        if self.domain and domain_key(chunk.domain) != domain_key(self.domain):
            return False
        if self.doc_type and chunk.doc_type.value != self.doc_type:
            return False
        return True

    def to_chroma_where(self) -> dict | None:
        clauses: list[dict] = []
        if self.date_from:
            clauses.append({"date_int": {"$gte": _date_int(self.date_from)}})
        if self.date_to:
            clauses.append({"date_int": {"$lte": _date_int(self.date_to)}})
        if self.date_from or self.date_to:
            clauses.append({"date_int": {"$gt": 0}})
        if self.domain:
            clauses.append({"domain_key": domain_key(self.domain)})
        if self.doc_type:
            clauses.append({"doc_type": self.doc_type})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _date_int(value: dt.date | None) -> int:
    """date(2023, 2, 23) -> 20230223, so Chroma can compare dates as numbers; 0 = no date."""
    return value.year * 10000 + value.month * 100 + value.day if value else 0


def utc_now() -> str:
    """The current time as ISO UTC to the second: '2026-11-22T09:41:07+00:00'."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# Metadata key: the JSON list of other files with the same bytes as this chunk's file.
OTHER_NAMES = "other_names"


def chunk_to_metadata(chunk: Chunk, path_key: str, indexed_at: str = "") -> dict:
    """Flat, Chroma-storable metadata (no None values, no lists).

    ``indexed_at`` is when the file was indexed (ISO UTC); indexes from before the
    field lack it, which :meth:`VectorStore.indexed_times` reports as None. So do
    they lack ``ocr`` and ``language``, which :func:`chunk_from_record` reads as
    False and "nl".
    """
    meta = {
        "path": path_key,
        "indexed_at": indexed_at,
        "source": chunk.source,
        "doc_hash": chunk.doc_hash,
        "title": chunk.title,
        "doc_type": chunk.doc_type.value,
        "context": chunk.context,
        "date": chunk.date.isoformat() if chunk.date else "",
        "date_int": _date_int(chunk.date),
        "meeting": chunk.meeting or "",
        "domain": chunk.domain or "",
        "domain_key": domain_key(chunk.domain),
        "section": chunk.section or "",
        "section_kind": chunk.section_kind,
        "page": chunk.page or 0,
        "start": chunk.start,
        "end": chunk.end,
        "decisions": json.dumps(list(chunk.decisions), ensure_ascii=False),
        # The document's outline, JSON, on its first chunk only ("" elsewhere): ~2 kB for a resumé.
        "outline": json.dumps(chunk.outline.to_json(), ensure_ascii=False) if chunk.outline else "",
        "ocr": chunk.ocr,
        OTHER_NAMES: "",  # a new version has no other names yet (ChromaStore.add_name)
        "language": chunk.language,
    }
    return meta


def chunk_from_record(chunk_id: str, document: str, meta: dict) -> Chunk:
    """Rebuild a chunk from what Chroma stored: document = context + '\\n' + passage."""
    context = meta["context"]
    return Chunk(
        id=chunk_id,
        source=meta["source"],
        doc_hash=meta["doc_hash"],
        title=meta["title"],
        doc_type=DocType(meta["doc_type"]),
        text=document[len(context) + 1 :],
        context=context,
        date=dt.date.fromisoformat(meta["date"]) if meta["date"] else None,
        meeting=meta["meeting"] or None,
        domain=meta["domain"] or None,
        section=meta["section"] or None,
        section_kind=meta["section_kind"],
        page=meta["page"] or None,
        start=meta["start"],
        end=meta["end"],
        decisions=tuple(json.loads(meta["decisions"])),
        outline=Outline.from_json(json.loads(meta["outline"])) if meta.get("outline") else None,
        # Indexes from before OCR and language detection lack the keys: their files had a
        # text layer (scans were refused), and the corpus is Dutch.
        ocr=bool(meta.get("ocr", False)),
        language=meta.get("language") or "nl",
    )


class VectorStore(Protocol):
    """Where chunks and vectors live. ``query`` is the one method retrieval needs."""

    def query(self, embedding: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        """The k nearest chunks with their cosine similarity, best first."""
        ...

    def upsert(
        self, path_key: str, chunks: Sequence[Chunk], embeddings: np.ndarray, indexed_at: str | None = None
    ) -> None:
        """Store a file's chunks, stamped ``indexed_at`` (ISO UTC; now when not given)."""
        ...

    def delete_path(self, path_key: str) -> int: ...

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        """path key -> (source, doc_hash) of every indexed file."""
        ...

    def indexed_times(self) -> dict[str, str | None]:
        """path key -> when the file was indexed (ISO UTC), None for chunks stored without the stamp."""
        ...

    def add_name(self, path_key: str, name: str) -> bool:
        """Record ``name``, a file with the same bytes as ``path_key``'s, as another name of it.

        The content stays indexed once. A new version of ``path_key`` forgets its other names:
        they no longer hold the same bytes. True when ``name`` was not known yet.
        """
        ...

    def other_names(self) -> dict[str, tuple[str, ...]]:
        """path key -> the other names of its file, for files that have any."""
        ...

    def all_chunks(self) -> list[Chunk]: ...

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]: ...

    def ids_matching(self, filters: Filters) -> set[str]: ...


class MemoryStore:
    """In-memory ``VectorStore`` for unit tests.

    >>> store = MemoryStore()
    >>> store.indexed_files()
    {}
    """

    def __init__(self) -> None:
        self._rows: dict[str, tuple[str, Chunk, np.ndarray]] = {}
        self._times: dict[str, str] = {}  # chunk id -> indexed_at
        self._names: dict[str, tuple[str, ...]] = {}  # path key -> other names

    def upsert(
        self, path_key: str, chunks: Sequence[Chunk], embeddings: np.ndarray, indexed_at: str | None = None
    ) -> None:
        stamp = indexed_at or utc_now()
        self._names.pop(path_key, None)
        for chunk, vector in zip(chunks, embeddings, strict=True):
            self._rows[chunk.id] = (path_key, chunk, np.asarray(vector, dtype=np.float32))
            self._times[chunk.id] = stamp

    def delete_path(self, path_key: str) -> int:
        doomed = [cid for cid, (key, _, _) in self._rows.items() if key == path_key]
        for cid in doomed:
            del self._rows[cid]
            self._times.pop(cid, None)
        self._names.pop(path_key, None)
        return len(doomed)

    def add_name(self, path_key: str, name: str) -> bool:
        known = self._names.get(path_key, ())
        if name in known or not any(key == path_key for key, _, _ in self._rows.values()):
            return False
        self._names[path_key] = tuple(sorted((*known, name)))
        return True

    def other_names(self) -> dict[str, tuple[str, ...]]:
        return dict(self._names)

    def query(self, embedding: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        rows = [(c, v) for _, c, v in self._rows.values() if not filters or filters.matches(c)]
        scored = [(c, float(np.dot(v, embedding))) for c, v in rows]
        return sorted(scored, key=lambda cs: -cs[1])[:k]

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        return {key: (c.source, c.doc_hash) for key, c, _ in self._rows.values()}

    def indexed_times(self) -> dict[str, str | None]:
        return _latest((key, self._times.get(cid)) for cid, (key, _, _) in self._rows.items())

    def all_chunks(self) -> list[Chunk]:
        return sorted((c for _, c, _ in self._rows.values()), key=lambda c: (c.source, c.start))

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return {cid: self._rows[cid][2] for cid in ids if cid in self._rows}

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return {cid: self._rows[cid][1] for cid in ids if cid in self._rows}

    def ids_matching(self, filters: Filters) -> set[str]:
        return {cid for cid, (_, c, _) in self._rows.items() if filters.matches(c)}


class ChromaStore:
    """A Chroma collection on disk, cosine space, our own vectors.

    >>> # store = ChromaStore(Path("index/chroma")); store.indexed_files()
    """

    def __init__(self, path: Path, collection: str = "regioassist") -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
        )
        self._collection = self._client.get_or_create_collection(
            name=collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def upsert(
        self, path_key: str, chunks: Sequence[Chunk], embeddings: np.ndarray, indexed_at: str | None = None
    ) -> None:
        if not chunks:
            return
        stamp = indexed_at or utc_now()
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=np.asarray(embeddings, dtype=np.float32),
            documents=[c.indexed_text for c in chunks],
            metadatas=[chunk_to_metadata(c, path_key, stamp) for c in chunks],
        )

    def delete_path(self, path_key: str) -> int:
        ids = self._collection.get(where={"path": path_key}, include=[])["ids"]
        if ids:
            self._collection.delete(ids=ids)
        return len(ids)

    def query(self, embedding: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        count = self._collection.count()
        if count == 0:
            return []
        result = self._collection.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=min(k, count),
            where=filters.to_chroma_where() if filters else None,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0])
        # cosine space: distance = 1 - cosine similarity
        return [(chunk_from_record(cid, doc, meta), 1.0 - dist) for cid, doc, meta, dist in rows]

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        metas = self._collection.get(include=["metadatas"])["metadatas"]
        return {m["path"]: (m["source"], m["doc_hash"]) for m in metas}

    def indexed_times(self) -> dict[str, str | None]:
        metas = self._collection.get(include=["metadatas"])["metadatas"]
        return _latest((m["path"], m.get("indexed_at")) for m in metas)

    def add_name(self, path_key: str, name: str) -> bool:
        got = self._collection.get(where={"path": path_key}, include=["metadatas"])
        if not got["ids"]:
            return False
        known = json.loads(got["metadatas"][0].get(OTHER_NAMES) or "[]")
        if name in known:
            return False
        names = json.dumps(sorted([*known, name]), ensure_ascii=False)
        self._collection.update(ids=got["ids"], metadatas=[{**m, OTHER_NAMES: names} for m in got["metadatas"]])
        return True

    def other_names(self) -> dict[str, tuple[str, ...]]:
        metas = self._collection.get(where={OTHER_NAMES: {"$ne": ""}}, include=["metadatas"])["metadatas"]
        return {m["path"]: tuple(json.loads(m[OTHER_NAMES])) for m in metas}

    def all_chunks(self) -> list[Chunk]:
        got = self._collection.get(include=["documents", "metadatas"])
        chunks = [chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.source, c.start))

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(got["ids"], got["embeddings"])}

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        return {i: chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def ids_matching(self, filters: Filters) -> set[str]:
        return set(self._collection.get(where=filters.to_chroma_where(), include=[])["ids"])


def _latest(stamps: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    """path key -> its newest stamp; ISO UTC strings of one format sort as times do."""
    latest: dict[str, str | None] = {}
    for key, stamp in stamps:
        latest[key] = max(filter(None, (latest.get(key), stamp)), default=None)
    return latest


def open_store(index_dir: Path, collection: str = "regioassist") -> ChromaStore:
    return ChromaStore(Path(index_dir) / "chroma", collection)
