"""Vector stores: where chunks and their embeddings live.

``ChromaStore`` keeps them in a Chroma collection on disk (``index/chroma``)
with our own embeddings: no call ever passes text without vectors, so Chroma's
default embedding function (which would try to download a model) never runs.
``MemoryStore`` is the same contract in memory, for unit tests.

We talk to chromadb directly rather than through llama-index's
``ChromaVectorStore``: that wrapper reports ``exp(-distance)`` as the score,
and the decline threshold needs the plain cosine similarity.

No Chroma call names every chunk at once. chromadb 1.5 reads the metadata of the records
a ``get`` returns with one SQL statement holding one variable per record, and SQLite
allows 32,766: from 32,767 chunks on, ``get`` of every record's metadata (``all_chunks``,
``indexed_files``, ``status``), of a broad ``where`` and of a long id list fails with
"too many SQL variables" (measured: ids alone still come back, 34,000 in 0.08 s). So reads
page with ``limit``/``offset`` and id lists go in batches of at most :data:`PAGE` (within
``client.get_max_batch_size()``, 5,461 here) -- ``tests/test_scale.py`` holds this at
34,000 chunks.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator, Protocol, Sequence

import numpy as np

from regioassist.catalog import ChromaCatalog, FileRecord, summarise_files
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
            clauses.append({"date_int": {"$gte": date_int(self.date_from)}})
        if self.date_to:
            clauses.append({"date_int": {"$lte": date_int(self.date_to)}})
        if self.date_from or self.date_to:
            clauses.append({"date_int": {"$gt": 0}})
        if self.domain:
            clauses.append({"domain_key": domain_key(self.domain)})
        if self.doc_type:
            clauses.append({"doc_type": self.doc_type})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def date_int(value: dt.date | None) -> int:
    """date(2023, 2, 23) -> 20230223, so Chroma can compare dates as numbers; 0 = no date."""
    return value.year * 10000 + value.month * 100 + value.day if value else 0



def utc_now() -> str:
    """The current time as ISO UTC to the second: '2026-11-22T09:41:07+00:00'."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# Rows per Chroma call: under SQLite's 32,766 variables and chromadb's max batch size (5,461).
PAGE = 5000

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
        "date_int": date_int(chunk.date),
        "meeting": chunk.meeting or "",
        "domain": chunk.domain or "",
        "domain_key": domain_key(chunk.domain),
        "section": chunk.section or "",
        "section_kind": chunk.section_kind,
        "parent": chunk.parent or "",
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
        parent=meta.get("parent") or None,  # indexes of pipeline version 7 and before have none
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

    def query_among(
        self, embedding: np.ndarray, k: int, ids: Sequence[str], filters: Filters
    ) -> list[tuple[Chunk, float]]:
        """The k nearest of the chunks ``ids`` (those that pass ``filters``, found by the keyword
        index's facets), with their cosine similarity, best first."""
        ...

    def upsert(
        self, path_key: str, chunks: Sequence[Chunk], embeddings: np.ndarray, indexed_at: str | None = None
    ) -> None:
        """Store a file's chunks, stamped ``indexed_at`` (ISO UTC; now when not given)."""
        ...

    def delete_path(self, path_key: str) -> int: ...

    def files(self) -> dict[str, FileRecord]:
        """path key -> the record of every indexed file (catalog.py)."""
        ...

    def state(self) -> tuple[int, str]:
        """(chunks stored, a token that changes with every write): equal states, equal contents."""
        ...

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

    def chunks_of(self, source: str) -> list[Chunk]:
        """Every chunk of the document ``source``."""
        ...

    def chunk_metadata(self) -> Iterator[dict]:
        """Every chunk's flat metadata (:func:`chunk_to_metadata`) and its ``"id"``, without its text:
        cheaper than all_chunks."""
        ...

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
        self._writes = 0

    def upsert(
        self, path_key: str, chunks: Sequence[Chunk], embeddings: np.ndarray, indexed_at: str | None = None
    ) -> None:
        stamp = indexed_at or utc_now()
        self._names.pop(path_key, None)
        for chunk, vector in zip(chunks, embeddings, strict=True):
            self._rows[chunk.id] = (path_key, chunk, np.asarray(vector, dtype=np.float32))
            self._times[chunk.id] = stamp
        self._writes += 1

    def delete_path(self, path_key: str) -> int:
        doomed = [cid for cid, (key, _, _) in self._rows.items() if key == path_key]
        for cid in doomed:
            del self._rows[cid]
            self._times.pop(cid, None)
        self._names.pop(path_key, None)
        self._writes += 1
        return len(doomed)

    def add_name(self, path_key: str, name: str) -> bool:
        known = self._names.get(path_key, ())
        if name in known or not any(key == path_key for key, _, _ in self._rows.values()):
            return False
        self._names[path_key] = tuple(sorted((*known, name)))
        self._writes += 1
        return True

    def files(self) -> dict[str, FileRecord]:
        return summarise_files(self.chunk_metadata())

    def state(self) -> tuple[int, str]:
        return len(self._rows), str(self._writes)

    def other_names(self) -> dict[str, tuple[str, ...]]:
        return dict(self._names)

    def query(self, embedding: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        rows = [(c, v) for _, c, v in self._rows.values() if not filters or filters.matches(c)]
        scored = [(c, float(np.dot(v, embedding))) for c, v in rows]
        return sorted(scored, key=lambda cs: -cs[1])[:k]

    def query_among(
        self, embedding: np.ndarray, k: int, ids: Sequence[str], filters: Filters
    ) -> list[tuple[Chunk, float]]:
        wanted = set(ids)
        scored = [(c, float(np.dot(v, embedding))) for cid, (_, c, v) in self._rows.items() if cid in wanted]
        return sorted(scored, key=lambda cs: -cs[1])[:k]

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        return {key: (c.source, c.doc_hash) for key, c, _ in self._rows.values()}

    def indexed_times(self) -> dict[str, str | None]:
        return {key: record.indexed_at for key, record in self.files().items()}

    def all_chunks(self) -> list[Chunk]:
        return sorted((c for _, c, _ in self._rows.values()), key=lambda c: (c.source, c.start))

    def chunks_of(self, source: str) -> list[Chunk]:
        return [c for c in self.all_chunks() if c.source == source]

    def chunk_metadata(self) -> Iterator[dict]:
        for cid, (key, chunk, _) in self._rows.items():
            names = self._names.get(key)
            meta = {**chunk_to_metadata(chunk, key, self._times.get(cid, "")), "id": cid}
            yield {**meta, OTHER_NAMES: json.dumps(list(names), ensure_ascii=False) if names else ""}

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

    def __init__(self, path: Path | str, collection: str = "regioassist") -> None:
        """``path``: the Chroma directory, or a Chroma server's address ``http://HOST:PORT`` (location.py)."""
        from regioassist.location import chroma_client

        self._client = chroma_client(path)
        self._collection = self._client.get_or_create_collection(
            name=collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self._catalog = ChromaCatalog(self._client, collection, self._batch)
        if not self._catalog.complete() and self._collection.count() == 0:
            self._catalog.build(iter(()))  # a new index starts with its (empty) catalog complete

    def upsert(
        self, path_key: str, chunks: Sequence[Chunk], embeddings: np.ndarray, indexed_at: str | None = None
    ) -> None:
        if not chunks:
            return
        stamp = indexed_at or utc_now()
        vectors = np.asarray(embeddings, dtype=np.float32)
        for at in range(0, len(chunks), self._batch):
            part = chunks[at : at + self._batch]
            self._collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[at : at + self._batch],
                documents=[c.indexed_text for c in part],
                metadatas=[chunk_to_metadata(c, path_key, stamp) for c in part],
            )
        # The record after the chunks (catalog.py): summarised from every chunk now under the key.
        self._catalog.put([FileRecord.summarise(path_key, self._metadatas({"path": path_key}))])

    @cached_property
    def _batch(self) -> int:
        """Rows per call: :data:`PAGE`, or less when chromadb allows less (asked once: a server
        client answers it with a request)."""
        try:
            return max(1, min(PAGE, self._client.get_max_batch_size()))
        except Exception:  # a client that cannot say (a stand-in in tests): the page size
            return PAGE

    def _pages(self, include: list[str], where: dict | None = None) -> Iterator[dict]:
        """``get`` in pages of at most :data:`PAGE` records (see the module docstring)."""
        offset = 0
        while True:
            got = self._collection.get(where=where, include=include, limit=self._batch, offset=offset)
            if not got["ids"]:
                return
            yield got
            if len(got["ids"]) < self._batch:
                return
            offset += len(got["ids"])

    def _metadatas(self, where: dict | None = None) -> Iterator[dict]:
        """Each chunk's metadata, with its id under ``"id"``."""
        for page in self._pages(["metadatas"], where):
            for cid, meta in zip(page["ids"], page["metadatas"]):
                yield {**meta, "id": cid}

    def _get_ids(self, ids: Sequence[str], include: list[str]) -> Iterator[dict]:
        """``get(ids=...)`` in batches."""
        ids = list(ids)
        for at in range(0, len(ids), self._batch):
            yield self._collection.get(ids=ids[at : at + self._batch], include=include)

    def all_ids(self) -> list[str]:
        """Every chunk id, without reading the chunks."""
        return [cid for page in self._pages([]) for cid in page["ids"]]

    def delete_path(self, path_key: str) -> int:
        self._catalog.delete(path_key)  # the record before the chunks (catalog.py)
        ids = [cid for page in self._pages([], {"path": path_key}) for cid in page["ids"]]
        for at in range(0, len(ids), self._batch):
            self._collection.delete(ids=ids[at : at + self._batch])
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
        found = [(chunk_from_record(cid, doc, meta), 1.0 - dist) for cid, doc, meta, dist in rows]
        if filters and len(found) < min(k, count):
            # Chroma's filtered vector search can come back short, even empty, when few records
            # match the filter and they lie far from the question (seen with chromadb 1.5.9: 0 of
            # 120 matching records for a domain filter). Few records (up to 5,000, one page): score them exactly.
            exact = self._exact_query(embedding, k, filters.to_chroma_where())
            if len(exact) > len(found):
                return exact
        return found

    # Past this many matching records a filter is broad, and the vector search is trusted.
    EXACT_QUERY_LIMIT = 5_000

    # query_among: up to this many chunks are scored exactly from their vectors (reading a
    # vector costs ~60 µs: 1,000 in 64 ms at 100,000 chunks); more are found among the nearest
    # neighbours of an unfiltered search, asked for OVERFETCH times the share they are expected
    # to hold (a query for 5,000 neighbours takes 65 ms there, against 0.9 s for Chroma's `where`).
    EXACT_AMONG_LIMIT = 1_000
    OVERFETCH = 2.0
    MAX_NEIGHBOURS = 20_000

    def query_among(
        self, embedding: np.ndarray, k: int, ids: Sequence[str], filters: Filters
    ) -> list[tuple[Chunk, float]]:
        """See :meth:`VectorStore.query_among`. Chroma's own ``where`` reads the metadata of every
        record that passes it, which costs ~0.9 s at 100,000 chunks, broad filter or narrow; the ids
        come from the keyword index's facet mask instead (~1 ms). Falls back to ``where`` when the
        neighbours asked for hold too few of ``ids``."""
        if not ids:
            return []
        vector = np.asarray(embedding, dtype=np.float32)
        if len(ids) <= self.EXACT_AMONG_LIMIT:
            scores = self._cosines(vector, ids)
            best = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        else:
            count = self._collection.count()
            wanted = set(ids)
            n = min(count, self.MAX_NEIGHBOURS, math.ceil(k * count / len(ids) * self.OVERFETCH))
            while True:
                got = self._collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
                best = [(cid, 1.0 - d) for cid, d in zip(got["ids"][0], got["distances"][0]) if cid in wanted][:k]
                if len(best) >= min(k, len(ids)) or n >= count:
                    break
                if n >= self.MAX_NEIGHBOURS:  # the filter's chunks lie far from the question
                    return self.query(vector, k, filters)
                n = min(count, n * 4, self.MAX_NEIGHBOURS)
        chunks = self.get([cid for cid, _ in best])
        return [(chunks[cid], score) for cid, score in best if cid in chunks]

    def _cosines(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        vectors = self.embeddings(ids)
        if not vectors:
            return {}
        keys = list(vectors)
        return dict(zip(keys, cosines(np.stack([vectors[cid] for cid in keys]), vector).tolist()))

    def _exact_query(self, embedding: np.ndarray, k: int, where: dict | None) -> list[tuple[Chunk, float]]:
        """The k nearest records matching ``where`` by exact cosine; [] when too many match."""
        ids, documents, metadatas, vectors = [], [], [], []
        for page in self._pages(["documents", "metadatas", "embeddings"], where):
            ids += page["ids"]
            documents += page["documents"]
            metadatas += page["metadatas"]
            vectors += list(page["embeddings"])
            if len(ids) > self.EXACT_QUERY_LIMIT:
                return []
        if not ids:
            return []
        scores = cosines(np.asarray(vectors, dtype=np.float32), np.asarray(embedding, dtype=np.float32))
        best = np.argsort(-scores, kind="stable")[:k]
        return [(chunk_from_record(ids[i], documents[i], metadatas[i]), float(scores[i])) for i in best]

    def catalog_complete(self) -> bool:
        """Has every file its record? False for an index built before the catalog (catalog.py)."""
        return self._catalog.complete()

    def build_catalog(self) -> int:
        """Summarise every file from its chunks into the catalog (one read of every chunk's metadata)."""
        return self._catalog.build(self._metadatas())

    def files(self) -> dict[str, FileRecord]:
        if self._catalog.complete():
            return self._catalog.records()
        return summarise_files(self._metadatas())  # an index from before the catalog, until it is built

    def state(self) -> tuple[int, str]:
        return self._collection.count(), self._catalog.revision()

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        return {key: (record.source, record.doc_hash) for key, record in self.files().items()}

    def indexed_times(self) -> dict[str, str | None]:
        return {key: record.indexed_at for key, record in self.files().items()}

    def add_name(self, path_key: str, name: str) -> bool:
        pages = list(self._pages(["metadatas"], {"path": path_key}))
        ids = [cid for page in pages for cid in page["ids"]]
        metas = [m for page in pages for m in page["metadatas"]]
        if not ids:
            return False
        known = json.loads(metas[0].get(OTHER_NAMES) or "[]")
        if name in known:
            return False
        names = json.dumps(sorted([*known, name]), ensure_ascii=False)
        updated = [{**m, OTHER_NAMES: names} for m in metas]
        for at in range(0, len(ids), self._batch):
            self._collection.update(ids=ids[at : at + self._batch], metadatas=updated[at : at + self._batch])
        self._catalog.put([FileRecord.summarise(path_key, [{**m, "id": cid} for cid, m in zip(ids, updated)])])
        return True

    def other_names(self) -> dict[str, tuple[str, ...]]:
        return {key: record.other_names for key, record in self.files().items() if record.other_names}

    def chunk_metadata(self) -> Iterator[dict]:
        return self._metadatas()

    def all_chunks(self) -> list[Chunk]:
        chunks = [
            chunk_from_record(i, d, m)
            for page in self._pages(["documents", "metadatas"])
            for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])
        ]
        return sorted(chunks, key=lambda c: (c.source, c.start))

    def chunks_of(self, source: str) -> list[Chunk]:
        return [
            chunk_from_record(i, d, m)
            for page in self._pages(["documents", "metadatas"], {"source": source})
            for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])
        ]

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return {
            cid: np.asarray(vec, dtype=np.float32)
            for got in self._get_ids(ids, ["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"])
        }

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return {
            i: chunk_from_record(i, d, m)
            for got in self._get_ids(ids, ["documents", "metadatas"])
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
        }

    def ids_matching(self, filters: Filters) -> set[str]:
        return {cid for page in self._pages([], filters.to_chroma_where()) for cid in page["ids"]}


def cosines(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row of ``matrix`` with ``vector`` (0 for a zero vector)."""
    norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(vector) or 1.0)
    return matrix @ vector / np.where(norms > 0, norms, 1.0)


def open_store(index_dir: Path, collection: str = "regioassist", server: str | None = None) -> ChromaStore:
    """The store of the index in ``index_dir``: its ``chroma/`` folder, or ``server`` (or the server it names)."""
    from regioassist.location import bound_server

    target = server or bound_server(index_dir)
    return ChromaStore(target or Path(index_dir) / "chroma", collection)
