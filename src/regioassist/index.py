"""The local index: a vector store and the keyword index beside it, in one named directory.

``index/chroma`` holds the Chroma collection, ``index/bm25`` the keyword index
rebuilt from the stored chunks whenever ingestion changes something. The
directory is named explicitly (``--index``), never derived from settings.

One writer at a time: every write (ingest, prune, remove) runs inside
:meth:`LocalIndex.writing`, an exclusive ``flock`` on ``index/.write.lock`` that
serialises processes, plus a lock that serialises the threads of this one.
Readers never wait: they read ``LocalIndex.keyword``, which a rebuild replaces
in one assignment, so a query sees the old keyword index or the new one.

>>> # idx = LocalIndex.open(Path("index")); idx.status().chunks
>>> # with idx.writing(timeout_s=5): ...   # raises IndexBusy after 5 s
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from regioassist.keyword import KeywordIndex
from regioassist.store import ChromaStore, VectorStore

LOCK_FILE = ".write.lock"


class IndexBusy(RuntimeError):
    """Another process (or thread) holds the write lock and the wait ran out."""

    def __init__(self, directory: Path) -> None:
        super().__init__(f"{directory}: index is being written by another process; try again")


class WriteLock:
    """An exclusive, re-entrant write lock on one index directory.

    ``flock`` keeps out other processes (and other open file descriptions in this one);
    the ``RLock`` keeps out other threads of this object and lets the holding thread
    nest ``hold()`` (``ingest_into`` holds it around ``ingest_paths``, which holds it too).

    >>> import tempfile
    >>> lock = WriteLock(Path(tempfile.mkdtemp()) / ".write.lock")
    >>> with lock.hold(timeout_s=1):
    ...     with lock.hold():
    ...         "nested in one thread is fine"
    'nested in one thread is fine'
    """

    POLL_S = 0.05

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0  # only touched by the thread that holds _thread_lock
        self._fd: int | None = None

    @contextmanager
    def hold(self, timeout_s: float | None = None) -> Iterator[None]:
        """Hold the lock; wait for it, or raise :class:`IndexBusy` after ``timeout_s`` seconds."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        if not self._thread_lock.acquire(timeout=-1 if timeout_s is None else max(timeout_s, 0)):
            raise IndexBusy(self.path.parent)
        try:
            if self._depth == 0:
                self._fd = self._lock_file(deadline)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._thread_lock.release()

    def _lock_file(self, deadline: float | None) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if deadline is None:
                fcntl.flock(fd, fcntl.LOCK_EX)
                return fd
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(self.path.parent) from None
                    time.sleep(self.POLL_S)
        except BaseException:
            os.close(fd)
            raise


@dataclass(frozen=True)
class IndexedDocument:
    source: str
    title: str
    doc_type: str
    date: str | None
    chunks: int
    indexed_at: str | None = None  # ISO UTC; None for files indexed before the stamp existed
    path: str = ""  # the store's path key: what LocalIndex.remove takes


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
        self.directory = Path(directory)
        self.store = store
        self.keyword = keyword  # replaced whole by rebuild_keyword; readers fetch it per query
        self._write_lock = WriteLock(self.directory / LOCK_FILE)

    @classmethod
    def open(cls, directory: Path, collection: str = "regioassist") -> "LocalIndex":
        directory = Path(directory)
        store = ChromaStore(directory / "chroma", collection)
        return cls(directory, store, KeywordIndex.load(directory / "bm25"))

    def writing(self, timeout_s: float | None = None):
        """Context manager around every write: one writer at a time across threads and processes.

        Waits for the lock by default; with ``timeout_s`` raises :class:`IndexBusy` when it
        is still held after that many seconds. The holding thread may nest it.
        """
        return self._write_lock.hold(timeout_s)

    def rebuild_keyword(self) -> None:
        """Rebuild BM25 from every stored chunk, save it, then swap it in for readers."""
        with self.writing():
            chunks = self.store.all_chunks()
            keyword = KeywordIndex.build([c.id for c in chunks], [c.indexed_text for c in chunks])
            keyword.save(self.directory / "bm25")
            self.keyword = keyword

    def remove(self, path_key: str) -> int:
        """Delete one file's chunks from both indexes; the number removed, 0 for an unknown key."""
        with self.writing():
            removed = self.store.delete_path(path_key)
            if removed:
                self.rebuild_keyword()
            return removed

    def status(self) -> IndexStatus:
        chunks = self.store.all_chunks()
        counts = Counter(c.source for c in chunks)
        first = {}
        for c in chunks:
            first.setdefault(c.source, c)
        path_of = {source: key for key, (source, _) in self.store.indexed_files().items()}
        times = self.store.indexed_times()
        documents = tuple(
            IndexedDocument(
                source=source,
                title=c.title,
                doc_type=c.doc_type.value,
                date=c.date.isoformat() if c.date else None,
                chunks=counts[source],
                indexed_at=times.get(path_of.get(source, "")),
                path=path_of.get(source, ""),
            )
            for source, c in sorted(first.items())
        )
        return IndexStatus(str(self.directory), documents)
