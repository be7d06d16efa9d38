"""The keyword index: BM25 over Dutch-stemmed tokens, persisted beside Chroma.

Built with bm25s (the engine under llama-index's ``BM25Retriever``) and the
Snowball Dutch stemmer from PyStemmer, so "besloten", "besluit" and "besluiten"
meet halfway and "verblijf" finds "Jeugdhulp met verblijf". Compounds are split
into words the indexed texts know (``compounds.py``): a passage's "gezinshuisouders"
is also indexed as "gezinshuis" and "ouders", and a question's "jeugdhulpaanbieders"
also asks for "jeugdhulp" and "aanbieders" when no passage has the whole word. The
vocabulary is saved beside the BM25 files, so a query is split with the vocabulary
its index was built with (and not at all for an index saved before). We call bm25s
directly: the llama-index retriever forgets its stemmer when it is loaded from
disk (it comes back English) and fixes its metadata filter at construction,
while we filter per query.

>>> index = KeywordIndex.build(["c1", "c2"], ["Het voorstel wordt vastgesteld", "Verblijf van jeugd"])
>>> [cid for cid, _ in index.search("verblijf", k=1)]
['c2']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from regioassist.compounds import CompoundSplitter
from regioassist.textutil import fold

IDS_FILE = "chunk_ids.json"
VOCABULARY_FILE = "compound_vocabulary.json"


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


def tokenize(texts: Sequence[str]):
    """bm25s tokens: accents dropped ('continuïteit' = 'continuiteit'), Dutch stop words out, Snowball stems."""
    import bm25s

    return bm25s.tokenize([fold(t) for t in texts], stopwords="nl", stemmer=_stemmer(), show_progress=False)


class KeywordIndex:
    """BM25 over chunk texts, addressed by chunk id."""

    def __init__(self, bm25, ids: list[str], splitter: CompoundSplitter | None = None) -> None:
        self._bm25 = bm25
        self._ids = ids
        self._position = {cid: i for i, cid in enumerate(ids)}
        self.splitter = splitter  # the vocabulary compounds were split with at build time

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], split_compounds: bool = True) -> "KeywordIndex":
        import bm25s

        bm25 = bm25s.BM25()
        splitter = CompoundSplitter.from_texts(texts) if split_compounds else None
        if ids:
            bm25.index(tokenize([splitter.expand(t) for t in texts] if splitter else texts), show_progress=False)
        return cls(bm25, list(ids), splitter)

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
        tokens = tokenize([self.splitter.expand_query(query) if self.splitter else query])
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
        vocabulary = path / VOCABULARY_FILE
        if self.splitter is not None:
            vocabulary.write_text(json.dumps(sorted(self.splitter.vocabulary)), encoding="utf-8")
        else:
            vocabulary.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> "KeywordIndex":
        import bm25s

        ids_file = path / IDS_FILE
        if not ids_file.exists():
            return cls.build([], [])
        ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if not ids:
            return cls.build([], [])
        # An index saved before compounds were split has no vocabulary: its queries are not split either.
        vocabulary = path / VOCABULARY_FILE
        splitter = None
        if vocabulary.exists():
            splitter = CompoundSplitter(json.loads(vocabulary.read_text(encoding="utf-8")))
        return cls(bm25s.BM25.load(str(path)), ids, splitter)
