"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by RRF.

>>> reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=60)[0][0]
'b'
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Sequence, Union

import numpy as np

from regioassist.embedding import Embedder
from regioassist.keyword import KeywordIndex
from regioassist.models import Hit
from regioassist.store import Filters, VectorStore

# A keyword index, or a function returning the current one: the chat server's index
# swaps in a new KeywordIndex after every upload or removal, and a retriever built
# before that must search the new one.
KeywordSource = Union[KeywordIndex, Callable[[], KeywordIndex]]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum over lists of 1 / (k + rank), rank from 1.

    Ties keep the order in which ids were first seen, so the result is deterministic.
    """
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    first_seen = {item: i for i, item in enumerate(dict.fromkeys(x for r in rankings for x in r))}
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))


class HybridRetriever:
    """Dense + keyword retrieval with filters on date, domain and document type.

    >>> # retriever = HybridRetriever(store, keyword_index, embedder)
    >>> # live = HybridRetriever(index.store, lambda: index.keyword, embedder)  # follows rebuilds
    >>> # hits = retriever.retrieve("Wat is besloten over verblijf?", top_k=5)
    """

    def __init__(
        self,
        store: VectorStore,
        keyword: KeywordSource,
        embedder: Embedder,
        candidates: int = 30,
        rrf_k: int = 60,
    ) -> None:
        self.store = store
        self._keyword = keyword
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k

    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index to search now (looked up again for every query)."""
        return self._keyword if isinstance(self._keyword, KeywordIndex) else self._keyword()

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None) -> list[Hit]:
        query_vector = self.embedder.embed([query], kind="query")[0]
        dense = self.store.query(query_vector, self.candidates, filters or None)
        chunks = {chunk.id: chunk for chunk, _ in dense}
        dense_scores = {chunk.id: score for chunk, score in dense}

        allowed = None
        if filters:
            # BM25 is filtered through the same store so both rankings obey one rule.
            allowed = self.store.ids_matching(filters)
        keyword = self.keyword.search(query, self.candidates, allowed)
        keyword_scores = dict(keyword)

        fused = reciprocal_rank_fusion([list(dense_scores), [cid for cid, _ in keyword]], k=self.rrf_k)
        top = [cid for cid, _ in fused[:top_k]]
        missing = [cid for cid in top if cid not in chunks]
        if missing:
            self._fill(missing, query_vector, chunks, dense_scores)
        fused_scores = dict(fused)
        return [
            Hit(
                chunk=chunks[cid],
                score=fused_scores[cid],
                dense_score=dense_scores.get(cid),
                keyword_score=keyword_scores.get(cid),
            )
            for cid in top
            if cid in chunks
        ]

    def _fill(self, ids: list[str], query_vector: np.ndarray, chunks: dict, dense_scores: dict) -> None:
        """Keyword-only hits still get their chunk and their cosine similarity to the query."""
        by_id = self.store.get(ids)
        vectors = self.store.embeddings(ids)
        for cid in ids:
            if cid in by_id:
                chunks[cid] = by_id[cid]
            if cid in vectors:
                dense_scores[cid] = float(np.dot(vectors[cid], query_vector))
