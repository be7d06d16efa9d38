"""The local index: a vector store and the keyword index beside it, in one named directory.

``index/chroma`` holds the Chroma collection, ``index/bm25`` the keyword index
rebuilt from the stored chunks whenever ingestion changes something. The
directory is named explicitly (``--index``), never derived from settings.

>>> # idx = LocalIndex.open(Path("index")); idx.status().chunks
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from regioassist.keyword import KeywordIndex
from regioassist.store import ChromaStore, VectorStore


@dataclass(frozen=True)
class IndexedDocument:
    source: str
    title: str
    doc_type: str
    date: str | None
    chunks: int


@dataclass(frozen=True)
class IndexStatus:
    index_dir: str
    documents: tuple[IndexedDocument, ...]

    @property
    def chunks(self) -> int:
        return sum(d.chunks for d in self.documents)

    def to_json(self) -> dict:
        return {
            "index": self.index_dir,
            "documents": [d.__dict__ for d in self.documents],
            "totals": {"documents": len(self.documents), "chunks": self.chunks},
        }


class LocalIndex:
    """A vector store plus its keyword index, persisted under ``directory``."""

    def __init__(self, directory: Path, store: VectorStore, keyword: KeywordIndex) -> None:
        self.directory = directory
        self.store = store
        self.keyword = keyword

    @classmethod
    def open(cls, directory: Path, collection: str = "regioassist") -> "LocalIndex":
        directory = Path(directory)
        store = ChromaStore(directory / "chroma", collection)
        return cls(directory, store, KeywordIndex.load(directory / "bm25"))

    def rebuild_keyword(self) -> None:
        """Rebuild BM25 from every stored chunk, then swap it in on disk."""
        chunks = self.store.all_chunks()
        self.keyword = KeywordIndex.build([c.id for c in chunks], [c.indexed_text for c in chunks])
        self.keyword.save(self.directory / "bm25")

    def status(self) -> IndexStatus:
        chunks = self.store.all_chunks()
        counts = Counter(c.source for c in chunks)
        first = {}
        for c in chunks:
            first.setdefault(c.source, c)
        documents = tuple(
            IndexedDocument(
                source=source,
                title=c.title,
                doc_type=c.doc_type.value,
                date=c.date.isoformat() if c.date else None,
                chunks=counts[source],
            )
            for source, c in sorted(first.items())
        )
        return IndexStatus(str(self.directory), documents)
