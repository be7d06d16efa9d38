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

Growing it (measured on synthetic corpora of ~900-character chunks from documents/, 2 cores).
Building from scratch costs, per 10,000 chunks: compound vocabulary 0.33 s, compound
expansion 1.4 s, Snowball tokenizing 0.8 s, bm25s indexing 0.5 s (100,000 chunks: 3.8 + 14
+ 7 + 6.2 s), plus reading every chunk back from Chroma. All but the last step are Python
work per chunk. So each chunk's distinct tokens and counts are kept with the index
(``postings.npz``) and :meth:`KeywordIndex.updated` tokenizes only the chunks that are new;
the BM25 matrix is then recomputed from those arrays in vectorised numpy (every score
depends on the corpus size and mean length, so it is not patched): 10,000 chunks about
0.1 s, 100,000 about 1 s. Sharding per file group was the alternative; it would keep
the Python work per shard but make every query merge shards whose idf disagree.

Two shortcuts of the incremental path, which a full :meth:`KeywordIndex.build` (``regioassist
index check --repair`` after a keyword disagreement, or ``LocalIndex.rebuild_keyword(full=True)``)
undoes: the compound vocabulary only grows (a removed file's words stay known, so a
question may still be split by them), and an old chunk keeps the compound parts its
vocabulary had when it was indexed.

Filters. Beside the tokens each position keeps its chunk's date (as 20230223), domain key,
document type and section title, so a filter becomes a boolean mask over positions
(:meth:`KeywordIndex.mask`, ~1 ms at 100,000 chunks) instead of asking Chroma for every
matching id (1.8 s for a broad filter at 94,000 chunks).

>>> index = KeywordIndex.build(["c1", "c2"], ["Het voorstel wordt vastgesteld", "Verblijf van jeugd"])
>>> [cid for cid, _ in index.search("verblijf", k=1)]
['c2']
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from regioassist.compounds import CompoundSplitter
from regioassist.models import Chunk
from regioassist.store import Filters, date_int, domain_key
from regioassist.textutil import fold

IDS_FILE = "chunk_ids.json"
VOCABULARY_FILE = "compound_vocabulary.json"
POSTINGS_FILE = "postings.npz"  # each chunk's tokens and facets, for updates without tokenizing again
FACETS_FILE = "facets.json"  # the names the facet codes stand for, and each chunk's section title
CURRENT_FILE = "CURRENT"  # names the version folder readers load
LOAD_ATTEMPTS = 3  # a reader racing a save retries when the pointer moved under it
K1, B = 1.5, 0.75  # bm25s's defaults (its "lucene" scoring), which indexes built by bm25s used


class KeywordIndexError(RuntimeError):
    """The saved keyword index cannot be read (a missing or damaged file)."""


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


def tokenize(texts: Sequence[str]):
    """bm25s tokens: accents dropped ('continuïteit' = 'continuiteit'), Dutch stop words out, Snowball stems."""
    import bm25s

    return bm25s.tokenize([fold(t) for t in texts], stopwords="nl", stemmer=_stemmer(), show_progress=False)


class ChunkFacets(NamedTuple):
    """What a filter or a title lookup needs of a chunk, kept per position beside its tokens."""

    date_int: int = 0  # 20230223; 0 = no date
    domain_key: str = ""  # store.domain_key(chunk.domain)
    doc_type: str = ""
    section: str = ""

    @classmethod
    def of(cls, chunk: Chunk) -> "ChunkFacets":
        return cls(date_int(chunk.date), domain_key(chunk.domain), chunk.doc_type.value, chunk.section or "")


@dataclass(frozen=True)
class _Postings:
    """Each chunk's distinct tokens with their counts (flat, as CSR rows), and its facets.

    ``terms[starts[i]:starts[i + 1]]`` are chunk i's token columns, ``counts`` how often each
    occurs in it, ``lengths[i]`` its number of tokens.
    """

    terms: np.ndarray  # int32
    counts: np.ndarray  # int32
    starts: np.ndarray  # int64, one more than there are chunks
    lengths: np.ndarray  # int32
    dates: np.ndarray  # int32
    domains: np.ndarray  # int32 codes into domain_names
    types: np.ndarray  # int32 codes into type_names
    domain_names: tuple[str, ...]
    type_names: tuple[str, ...]
    sections: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.lengths)

    @classmethod
    def empty(cls) -> "_Postings":
        none = np.zeros(0, dtype=np.int32)
        return cls(none, none, np.zeros(1, dtype=np.int64), none, none, none, none, (), (), ())

    @classmethod
    def tokenized(
        cls, texts: Sequence[str], facets: Sequence[ChunkFacets], splitter: CompoundSplitter | None,
        vocab: dict[str, int],
    ) -> "_Postings":
        """The postings of ``texts``; new tokens are added to ``vocab`` (token -> column)."""
        if not texts:
            return cls.empty()
        tokens = tokenize([splitter.expand(t) for t in texts] if splitter else texts)
        column = np.zeros(max(len(tokens.vocab), 1), dtype=np.int32)  # bm25s's token id -> our column
        for token, local in tokens.vocab.items():
            column[local] = vocab.setdefault(token, len(vocab))
        terms, counts, lengths = [], [], []
        for doc in tokens.ids:
            unique, count = np.unique(column[np.asarray(doc, dtype=np.int64)], return_counts=True)
            terms.append(unique.astype(np.int32))
            counts.append(count.astype(np.int32))
            lengths.append(len(doc))
        starts = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in terms], out=starts[1:])
        domain_names = tuple(dict.fromkeys(f.domain_key for f in facets))
        type_names = tuple(dict.fromkeys(f.doc_type for f in facets))
        return cls(
            np.concatenate(terms), np.concatenate(counts), starts, np.asarray(lengths, dtype=np.int32),
            np.asarray([f.date_int for f in facets], dtype=np.int32),
            _codes([f.domain_key for f in facets], domain_names), _codes([f.doc_type for f in facets], type_names),
            domain_names, type_names, tuple(f.section for f in facets),
        )

    def select(self, keep: np.ndarray) -> "_Postings":
        """Only the chunks where the boolean ``keep`` is True."""
        per_chunk = np.diff(self.starts)
        flat = np.repeat(keep, per_chunk)
        starts = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
        np.cumsum(per_chunk[keep], out=starts[1:])
        return _Postings(
            self.terms[flat], self.counts[flat], starts, self.lengths[keep], self.dates[keep],
            self.domains[keep], self.types[keep], self.domain_names, self.type_names,
            tuple(s for s, k in zip(self.sections, keep) if k),
        )

    def append(self, other: "_Postings") -> "_Postings":
        domain_names = tuple(dict.fromkeys((*self.domain_names, *other.domain_names)))
        type_names = tuple(dict.fromkeys((*self.type_names, *other.type_names)))
        return _Postings(
            np.concatenate([self.terms, other.terms]), np.concatenate([self.counts, other.counts]),
            np.concatenate([self.starts, other.starts[1:] + self.starts[-1]]),
            np.concatenate([self.lengths, other.lengths]), np.concatenate([self.dates, other.dates]),
            np.concatenate([self.domains, _recode(other.domains, other.domain_names, domain_names)]),
            np.concatenate([self.types, _recode(other.types, other.type_names, type_names)]),
            domain_names, type_names, self.sections + other.sections,
        )

    def bm25(self, vocab: dict[str, int]):
        """A bm25s index over these postings, with bm25s's own formula, in vectorised numpy.

        idf = ln(1 + (N - df + 0.5) / (df + 0.5)); score = idf * tf / (tf + k1 * (1 - b + b * len / mean len)).
        """
        import bm25s
        import scipy.sparse as sp

        n, width = len(self), len(vocab)
        df = np.bincount(self.terms, minlength=width)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = K1 * ((1 - B) + B * self.lengths / max(float(self.lengths.mean()) if n else 1.0, 1e-9))
        tf = self.counts.astype(np.float32)
        data = idf[self.terms] * tf / (np.repeat(norm.astype(np.float32), np.diff(self.starts)) + tf)
        matrix = sp.csr_matrix((data, self.terms, self.starts), shape=(n, width)).tocsc()
        bm25 = bm25s.BM25()
        bm25.scores = {
            "data": matrix.data.astype(np.float32), "indices": matrix.indices.astype(np.int32),
            "indptr": matrix.indptr, "num_docs": n,
        }
        bm25.vocab_dict = vocab
        bm25.unique_token_ids_set = set(vocab.values())
        bm25.nonoccurrence_array = None  # the "lucene" method needs none
        return bm25

    def write(self, folder: Path) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, terms=self.terms, counts=self.counts, starts=self.starts, lengths=self.lengths,
                 dates=self.dates, domains=self.domains, types=self.types)
        (folder / POSTINGS_FILE).write_bytes(buffer.getvalue())
        names = {"domains": self.domain_names, "types": self.type_names, "sections": self.sections}
        (folder / FACETS_FILE).write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> "_Postings":
        with np.load(folder / POSTINGS_FILE) as arrays:
            a = {key: arrays[key] for key in arrays.files}
        names = json.loads((folder / FACETS_FILE).read_text(encoding="utf-8"))
        postings = cls(a["terms"], a["counts"], a["starts"], a["lengths"], a["dates"], a["domains"], a["types"],
                       tuple(names["domains"]), tuple(names["types"]), tuple(names["sections"]))
        n = len(postings)
        if len(postings.starts) != n + 1 or len(postings.sections) != n or postings.starts[-1] != len(postings.terms):
            raise ValueError(f"{POSTINGS_FILE} does not describe {n} chunks")
        return postings


def _codes(values: Sequence[str], names: tuple[str, ...]) -> np.ndarray:
    code = {name: i for i, name in enumerate(names)}
    return np.asarray([code[v] for v in values], dtype=np.int32)


def _recode(codes: np.ndarray, old: tuple[str, ...], new: tuple[str, ...]) -> np.ndarray:
    position = {name: i for i, name in enumerate(new)}
    return np.asarray([position[name] for name in old], dtype=np.int32)[codes] if len(codes) else codes


class KeywordIndex:
    """BM25 over chunk texts, addressed by chunk id, with per-position facets for filters."""

    def __init__(
        self, bm25, ids: list[str], splitter: CompoundSplitter | None = None,
        postings: _Postings | None = None, faceted: bool = False,
    ) -> None:
        self._bm25 = bm25
        self._ids = ids
        self._position = {cid: i for i, cid in enumerate(ids)}
        self.splitter = splitter  # the vocabulary compounds were split with at build time
        self._postings = postings  # None for an index saved before they were kept
        self._faceted = faceted and postings is not None  # facets were given (build from chunks)

    @classmethod
    def build(
        cls, ids: Sequence[str], texts: Sequence[str], split_compounds: bool = True,
        facets: Sequence[ChunkFacets] | None = None,
    ) -> "KeywordIndex":
        """From scratch: every text tokenized, the compound vocabulary made from all of them."""
        splitter = CompoundSplitter.from_texts(texts) if split_compounds else None
        vocab: dict[str, int] = {"": 0}  # bm25s scores a query of unknown words on the empty token
        postings = _Postings.tokenized(texts, facets or [ChunkFacets()] * len(texts), splitter, vocab)
        return cls(postings.bm25(vocab), list(ids), splitter, postings, faceted=facets is not None)

    @classmethod
    def from_chunks(cls, chunks: Sequence[Chunk]) -> "KeywordIndex":
        """From scratch, with the chunks' facets, so that :meth:`mask` can filter."""
        return cls.build([c.id for c in chunks], [c.indexed_text for c in chunks],
                         facets=[ChunkFacets.of(c) for c in chunks])

    @property
    def updatable(self) -> bool:
        """Can :meth:`updated` grow it (it keeps its tokens and facets)?"""
        return self._postings is not None and (self._faceted or not self._ids)

    def updated(self, removed: Iterable[str], added: Sequence[Chunk]) -> "KeywordIndex":
        """A new index without the ``removed`` ids and with the ``added`` chunks; this one is unchanged.

        Only the added chunks are tokenized (see the module docstring). An added id already
        held replaces the chunk under it.
        """
        if not self.updatable:
            raise ValueError("this keyword index keeps no tokens or facets; build it from scratch")
        gone = set(removed) | {c.id for c in added}
        keep = np.fromiter((cid not in gone for cid in self._ids), dtype=bool, count=len(self._ids))
        texts = [c.indexed_text for c in added]
        if not self._ids:
            splitter = CompoundSplitter.from_texts(texts)
        elif self.splitter is None or not texts:
            splitter = self.splitter
        else:
            splitter = CompoundSplitter(self.splitter.vocabulary | CompoundSplitter.from_texts(texts).vocabulary)
        vocab = dict(self._bm25.vocab_dict)
        new = _Postings.tokenized(texts, [ChunkFacets.of(c) for c in added], splitter, vocab)
        postings = self._postings.select(keep).append(new)
        ids = [cid for cid, k in zip(self._ids, keep) if k] + [c.id for c in added]
        return KeywordIndex(postings.bm25(vocab), ids, splitter, postings, faceted=True)

    def __len__(self) -> int:
        return len(self._ids)

    def mask(self, filters: Filters) -> np.ndarray | None:
        """The positions that pass ``filters``, as booleans; None when this index keeps no facets."""
        if not self._faceted:
            return None
        p = self._postings
        keep = np.ones(len(p), dtype=bool)
        if filters.date_from or filters.date_to:
            keep &= p.dates > 0
        if filters.date_from:
            keep &= p.dates >= date_int(filters.date_from)
        if filters.date_to:
            keep &= p.dates <= date_int(filters.date_to)
        for value, names, codes in ((domain_key(filters.domain) if filters.domain else None, p.domain_names, p.domains),
                                    (filters.doc_type, p.type_names, p.types)):
            if value is not None:
                keep &= codes == (names.index(value) if value in names else -1)
        return keep

    def ids_in(self, mask: np.ndarray) -> list[str]:
        """The ids of ``mask``'s positions."""
        return [self._ids[i] for i in np.flatnonzero(mask)]

    def passes(self, cid: str, mask: np.ndarray | None) -> bool:
        """Is chunk ``cid`` held, and inside ``mask`` when one is given?"""
        position = self._position.get(cid)
        return position is not None and (mask is None or bool(mask[position]))

    def sections(self) -> dict[str, str] | None:
        """chunk id -> its section title, None when this index keeps no facets."""
        return dict(zip(self._ids, self._postings.sections)) if self._faceted else None

    def search(
        self, query: str, k: int, allowed: Iterable[str] | None = None, mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """Chunk ids with their BM25 score, best first; only ``allowed`` ids (or ``mask``'s positions) when given."""
        if not self._ids:
            return []
        weights = None
        if mask is not None:
            weights = mask.astype(np.float32)
        if allowed is not None:
            chosen = np.zeros(len(self._ids), dtype=np.float32)
            for cid in allowed:
                if cid in self._position:
                    chosen[self._position[cid]] = 1.0
            weights = chosen if weights is None else weights * chosen
        if weights is not None and not weights.any():
            return []
        tokens = tokenize([self.splitter.expand_query(query) if self.splitter else query])
        if not tokens.vocab:
            return []
        docs, scores = self._bm25.retrieve(
            tokens, k=min(k, len(self._ids)), weight_mask=weights, show_progress=False, n_threads=1
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
        if self._postings is not None and self._faceted:
            self._postings.write(folder)
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
            return cls.build([], [], facets=[])  # nothing saved yet
        ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if not isinstance(ids, list) or not all(isinstance(cid, str) for cid in ids):
            raise ValueError(f"{IDS_FILE} is not a list of ids")
        if not ids:
            return cls.build([], [], facets=[])
        # An index saved before compounds were split has no vocabulary: its queries are not split either.
        vocabulary = folder / VOCABULARY_FILE
        splitter = None
        if vocabulary.exists():
            splitter = CompoundSplitter(json.loads(vocabulary.read_text(encoding="utf-8")))
        bm25 = bm25s.BM25.load(str(folder), show_progress=False)
        if bm25.scores["num_docs"] != len(ids):
            raise ValueError(f"{len(ids)} ids for {bm25.scores['num_docs']} indexed texts")
        postings = None
        if (folder / POSTINGS_FILE).exists():  # saved before tokens were kept: updates rebuild it whole
            postings = _Postings.read(folder)
            if len(postings) != len(ids):
                raise ValueError(f"{len(ids)} ids for the postings of {len(postings)} chunks")
        return cls(bm25, ids, splitter, postings, faceted=postings is not None)


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
