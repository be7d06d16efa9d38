"""The keyword index: BM25 over Dutch-stemmed tokens, persisted beside Chroma.

Built with bm25s (the engine under llama-index's ``BM25Retriever``) and the
Snowball Dutch stemmer from PyStemmer, so "besloten", "besluit" and "besluiten"
meet halfway and "verblijf" finds "Jeugdhulp met verblijf". We call bm25s
directly: the llama-index retriever forgets its stemmer when it is loaded from
disk (it comes back English) and fixes its metadata filter at construction,
while we filter per query.

>>> index = KeywordIndex.build(["c1", "c2"], ["Het voorstel wordt vastgesteld", "Verblijf van jeugd"])
>>> [cid for cid, _ in index.search("verblijf", k=1)]
['c2']
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

IDS_FILE = "chunk_ids.json"


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


def _fold(text: str) -> str:
    """Drop accents so 'continuïteit' and 'continuiteit' are one token."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def tokenize(texts: Sequence[str]):
    import bm25s

    return bm25s.tokenize(
        [_fold(t) for t in texts], stopwords="nl", stemmer=_stemmer(), show_progress=False
    )


class KeywordIndex:
    """BM25 over chunk texts, addressed by chunk id."""

    def __init__(self, bm25, ids: list[str]) -> None:
        self._bm25 = bm25
        self._ids = ids
        self._position = {cid: i for i, cid in enumerate(ids)}

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> "KeywordIndex":
        import bm25s

        bm25 = bm25s.BM25()
        if ids:
            bm25.index(tokenize(texts), show_progress=False)
        return cls(bm25, list(ids))

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, k: int, allowed: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """Chunk ids with their BM25 score, best first; only ``allowed`` ids when given."""
        if not self._ids:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self._ids), dtype=np.float32)
            for cid in allowed:
                if cid in self._position:
                    mask[self._position[cid]] = 1.0
            if not mask.any():
                return []
        tokens = tokenize([query])
        if not tokens.vocab:
            return []
        docs, scores = self._bm25.retrieve(
            tokens, k=min(k, len(self._ids)), weight_mask=mask, show_progress=False, n_threads=1
        )
        return [
            (self._ids[int(d)], float(s))
            for d, s in zip(docs[0], scores[0])
            if s > 0
        ]

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if self._ids:
            self._bm25.save(str(path))
        (path / IDS_FILE).write_text(json.dumps(self._ids), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "KeywordIndex":
        import bm25s

        ids_file = path / IDS_FILE
        if not ids_file.exists():
            return cls.build([], [])
        ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if not ids:
            return cls.build([], [])
        return cls(bm25s.BM25.load(str(path)), ids)
