"""The index past chromadb's old limit: 34,000 chunks, more than SQLite's 32,766 variables.

Before the store paged its reads, every call that fetched the metadata of more than 32,766
records at once failed with "too many SQL variables": ``all_chunks``, ``indexed_files``,
``status``, a broad ``ids_matching`` and ``get`` of a long id list. The chunks are stored
directly through the store in batches, with 8-dimensional topic vectors (no model, and
Chroma's vector index stays cheap), so the whole test takes ~40 s on 2 cores.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from regioassist.index import LocalIndex, stored_ids
from regioassist.models import Chunk, DocType
from regioassist.retrieval import HybridRetriever
from regioassist.store import Filters

CHUNKS = 34_000  # > 32,766, SQLite's variable limit that chromadb's reads ran into
PER_FILE = 500
TOPICS = ("jeugdhulp met verblijf", "dagbesteding", "pleegzorg", "schuldhulpverlening", "inburgering",
          "beschermd wonen", "leerlingenvervoer", "arbeidsmarktregio")


def file_chunks(n: int) -> list[Chunk]:
    """File n: PER_FILE short chunks; every 40th file is about Werk, the rest about Jeugd."""
    domain = "Werk & Participatie" if n % 40 == 0 else "Jeugd en Onderwijs"
    date = dt.date(2020, 1, 1) + dt.timedelta(days=n)
    topic = TOPICS[n % len(TOPICS)]
    chunks = []
    for i in range(PER_FILE):
        context = f"Resumé {date.isoformat()} | {domain} | {topic}"
        text = f"Het overleg bespreekt {topic} punt {i} van vergadering {n} en stelt het voorstel vast."
        chunks.append(Chunk(
            id=f"f{n}-c{i}", source=f"file{n}.txt", doc_hash=f"h{n}", title=f"Resumé {n}",
            doc_type=DocType.RESUME, text=text, context=context, date=date, domain=domain,
            section=f"Agendapunt {topic} {n}", start=i * 100, end=i * 100 + len(text),
        ))
    return chunks


class TopicEmbedder:
    """8 dimensions, one per topic: a text's vector points at the topics it names (cheap at 34,000)."""

    def embed(self, texts, *, kind):
        vectors = np.full((len(texts), len(TOPICS)), 0.01, dtype=np.float32)
        for row, text in enumerate(texts):
            for column, topic in enumerate(TOPICS):
                if topic in text.lower():
                    vectors[row, column] = 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.slow
@pytest.mark.integration
def test_every_command_works_past_the_sqlite_variable_limit(tmp_path):
    embedder = TopicEmbedder()
    index = LocalIndex.open(tmp_path / "index")
    files = CHUNKS // PER_FILE
    with index.writing():
        for n in range(files):
            chunks = file_chunks(n)
            index.store.upsert(f"/docs/file{n}.txt", chunks, embedder.embed([c.indexed_text for c in chunks],
                                                                           kind="passage"))
        index.rebuild_keyword()  # from an empty keyword index: every chunk is new

    assert len(stored_ids(index.store)) == CHUNKS
    assert len(index.store.all_chunks()) == CHUNKS
    assert len(index.store.indexed_files()) == files
    assert len(index.store.indexed_times()) == files
    assert index.status().chunks == CHUNKS
    jeugd = Filters(domain="Jeugd en Onderwijs")
    broad = index.store.ids_matching(jeugd)
    assert len(broad) > 32_766
    assert len(index.store.get(sorted(broad))) == len(broad)
    assert len(index.store.embeddings(sorted(broad)[:6000])) == 6000
    assert len(index.keyword) == CHUNKS and index.keyword_agrees()

    # A filter is a mask over the keyword index, agreeing with Chroma's where.
    mask = index.keyword.mask(jeugd)
    assert {cid for cid, keep in zip(index.keyword.ids, mask) if keep} == broad

    retriever = HybridRetriever(index.store, lambda: index.keyword, embedder)
    hits = retriever.retrieve("Wat is besloten over pleegzorg?", top_k=5)
    assert hits and all("pleegzorg" in h.chunk.context for h in hits)
    werk = Filters(domain="Werk & Participatie", date_from=dt.date(2020, 2, 1))
    hits = retriever.retrieve("Wat is besloten over dagbesteding?", top_k=5, filters=werk)
    assert hits and all(werk.matches(h.chunk) for h in hits)

    # Removing one file and adding it back change only that file's chunks, in both indexes.
    assert index.remove("/docs/file3.txt") == PER_FILE
    assert len(index.keyword) == CHUNKS - PER_FILE and index.keyword_agrees()
    with index.writing():
        chunks = file_chunks(3)
        index.store.upsert("/docs/file3.txt", chunks, embedder.embed([c.indexed_text for c in chunks], kind="passage"))
        index.rebuild_keyword()
    assert index.keyword_agrees()
    reopened = LocalIndex.open(index.directory)
    assert set(reopened.keyword.ids) == stored_ids(reopened.store)
    assert np.array_equal(reopened.keyword.mask(jeugd), index.keyword.mask(jeugd))
