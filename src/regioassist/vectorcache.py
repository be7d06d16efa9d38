"""Sentence vectors kept on disk beside the index: ``INDEX/sentence_vectors.sqlite``.

The extractive answerer scores the sentences of the passages it reads by their similarity to the
question. Embedding them at question time was most of a warm answer (0.5 s for a factual
question whose passages had not been read before). Ingest now embeds every sentence of every
chunk once and stores its vector here; a question reads them back (about a millisecond for 50).

It is a cache, never the only copy of anything: a sentence missing from it (an index built before
it existed, or a server index ingested on another machine) is embedded when a question needs it
and stored then. Vectors are keyed by the model, the kind ("passage") and the text, so a changed
model never reads another model's vectors. SQLite in WAL mode lets the chat read while an ingest
in another process writes.

>>> import tempfile
>>> cache = VectorCache(Path(tempfile.mkdtemp()) / "v.sqlite", model="hash:4")
>>> cache.put("passage", ["Het PFHO stelt het voorstel vast."], np.eye(1, 4, dtype=np.float32))
>>> list(cache.get("passage", ["Het PFHO stelt het voorstel vast.", "Onbekend."]))
['Het PFHO stelt het voorstel vast.']
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

CACHE_FILE = "sentence_vectors.sqlite"
_BATCH = 500  # keys per SELECT, well below SQLite's limit on variables


class VectorCache:
    """Vectors by (model, kind, text) in one SQLite file; safe across threads and processes."""

    def __init__(self, path: Path, model: str) -> None:
        self.path = Path(path)
        self.model = model
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @classmethod
    def beside(cls, index_dir: Path, model: str) -> "VectorCache":
        return cls(Path(index_dir) / CACHE_FILE, model)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
            self._db = db
        return self._db

    def _key(self, kind: str, text: str) -> bytes:
        return hashlib.sha1(f"{self.model}\x00{kind}\x00{text}".encode()).digest()

    def get(self, kind: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one."""
        by_key = {self._key(kind, text): text for text in texts}
        found: dict[str, np.ndarray] = {}
        keys = list(by_key)
        with self._lock:
            db = self._connection()
            for start in range(0, len(keys), _BATCH):
                batch = keys[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                for key, blob in db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                    found[by_key[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, kind: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(self._key(kind, text), np.asarray(v, dtype=np.float32).tobytes()) for text, v in zip(texts, vectors)]
        if not rows:
            return
        with self._lock:
            db = self._connection()
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
            db.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return self._connection().execute("SELECT count(*) FROM vectors").fetchone()[0]


def model_identity(embedder: object) -> str | None:
    """What names an embedder's vectors (e.g. the model folder), or None when it cannot say."""
    return getattr(embedder, "identity", None)
