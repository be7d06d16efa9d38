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

Saving is atomic for readers: each save writes a new version folder
(``bm25/v<ns>/``), flushes it, and only then replaces the one-line pointer
``bm25/CURRENT`` in a single rename. A reader loads the version the pointer
names, so it sees the old index or the new one, never half of one; a save
killed half-way leaves a folder nothing points at, which the next save
removes. The version before the current one is kept one save longer, for a
reader that read the pointer just before it moved. An index saved before the
pointer existed (its files directly in ``bm25/``) still loads.

>>> index = KeywordIndex.build(["c1", "c2"], ["Het voorstel wordt vastgesteld", "Verblijf van jeugd"])
>>> [cid for cid, _ in index.search("verblijf", k=1)]
['c2']
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from regioassist.compounds import CompoundSplitter
from regioassist.textutil import fold

IDS_FILE = "chunk_ids.json"
VOCABULARY_FILE = "compound_vocabulary.json"
CURRENT_FILE = "CURRENT"  # names the version folder readers load
LOAD_ATTEMPTS = 3  # a reader racing a save retries when the pointer moved under it


class KeywordIndexError(RuntimeError):
    """The saved keyword index cannot be read (a missing or damaged file)."""


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

    @property
    def ids(self) -> tuple[str, ...]:
        """The chunk ids this index holds, in index order."""
        return tuple(self._ids)

    def save(self, path: Path) -> None:
        """Save into a new version folder under ``path``, then point ``path/CURRENT`` at it.

        Only one process may save into ``path`` at a time (the index's write lock sees to that).
        """
        path.mkdir(parents=True, exist_ok=True)
        previous = current_version(path)
        version = f"v{time.time_ns()}"
        while (path / version).exists():  # two saves within one clock tick
            version = f"v{time.time_ns()}"
        folder = path / version
        folder.mkdir()
        self._write_files(folder)
        _fsync_folder(folder)
        point_at(path, version)
        _remove_unused(path, keep={version, previous})

    def _write_files(self, folder: Path) -> None:
        if self._ids:
            self._bm25.save(str(folder), show_progress=False)
        (folder / IDS_FILE).write_text(json.dumps(self._ids), encoding="utf-8")
        if self.splitter is not None:
            (folder / VOCABULARY_FILE).write_text(json.dumps(sorted(self.splitter.vocabulary)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "KeywordIndex":
        """The version ``path/CURRENT`` names (an empty index when nothing was saved yet).

        Raises :class:`KeywordIndexError` when the saved files cannot be read.
        """
        for attempt in range(LOAD_ATTEMPTS):
            version = current_version(path)
            try:
                return cls._load_folder(path / version if version else path, required=version is not None)
            except Exception as error:  # bm25s and json raise many kinds; all mean "cannot read"
                if attempt + 1 < LOAD_ATTEMPTS and current_version(path) != version:
                    continue  # a save moved the pointer (and cleared the old files) while we read
                where = path / version if version else path
                raise KeywordIndexError(f"{where}: {type(error).__name__}: {error}") from error
        raise AssertionError("unreachable")

    @classmethod
    def _load_folder(cls, folder: Path, required: bool) -> "KeywordIndex":
        import bm25s

        ids_file = folder / IDS_FILE
        if not ids_file.exists() and not required:
            return cls.build([], [])  # nothing saved yet
        ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if not isinstance(ids, list) or not all(isinstance(cid, str) for cid in ids):
            raise ValueError(f"{IDS_FILE} is not a list of ids")
        if not ids:
            return cls.build([], [])
        # An index saved before compounds were split has no vocabulary: its queries are not split either.
        vocabulary = folder / VOCABULARY_FILE
        splitter = None
        if vocabulary.exists():
            splitter = CompoundSplitter(json.loads(vocabulary.read_text(encoding="utf-8")))
        bm25 = bm25s.BM25.load(str(folder), show_progress=False)
        if bm25.scores["num_docs"] != len(ids):
            raise ValueError(f"{len(ids)} ids for {bm25.scores['num_docs']} indexed texts")
        return cls(bm25, ids, splitter)


def current_version(path: Path) -> str | None:
    """The version folder ``path/CURRENT`` names; None for an index saved before versions (or none)."""
    try:
        name = (path / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def point_at(path: Path, version: str) -> None:
    """Make ``version`` the current one: write the pointer beside, then rename it over the old."""
    staged = path / f".{CURRENT_FILE}.{os.getpid()}"
    with staged.open("w", encoding="utf-8") as f:
        f.write(version + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(staged, path / CURRENT_FILE)
    _fsync(path)


def _remove_unused(path: Path, keep: set[str | None]) -> None:
    """Remove versions other than ``keep``, half-written ones, and the files of the unversioned layout."""
    for entry in path.iterdir():
        if entry.name == CURRENT_FILE or entry.name in keep:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Flush a version's files and the folder itself, so the pointer never names lost data."""
    for entry in folder.iterdir():
        _fsync(entry)
    _fsync(folder)
