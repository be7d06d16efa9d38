"""The local index: a vector store and the keyword index beside it, in one named directory.

``index/chroma`` holds the Chroma collection, ``index/bm25`` the keyword index
rebuilt from the stored chunks whenever ingestion changes something. The
directory is named explicitly (``--index``), never derived from settings.

One writer at a time: every write (ingest, prune, remove) runs inside
:meth:`LocalIndex.writing`, an exclusive ``flock`` on ``index/.write.lock`` that
serialises processes, plus a lock that serialises the threads of this one.
Readers never wait: they read ``LocalIndex.keyword``, which a rebuild replaces
in one assignment, so a query sees the old keyword index or the new one.

Crashes. The two indexes are written one after the other, so a writer killed
half-way can leave them disagreeing (chunks stored in Chroma whose keyword index
was never rebuilt). The keyword index is derived data and cheap to rebuild
(125 chunks: 0.1 s), so :meth:`LocalIndex.open` checks it against Chroma (cheaply
when the store's state is the one saved with it in ``keyword-state.json``, else
by comparing every id: :meth:`LocalIndex.keyword_agrees`)
and, when they differ or its files cannot be read, rebuilds it from Chroma under
the write lock and says so in a log line; when another writer holds the lock it
leaves the mending to that writer, whose own rebuild ends the disagreement. Every
ingest also ends with that comparison. The keyword index itself is saved
atomically (``keyword.py``). What Chroma holds is checked and mended by
``regioassist index check [--repair]`` (``integrity.py``).

Other processes' writes. A long-running reader (the chat server) must see what
``regioassist ingest`` in another process wrote. Its keyword index is loaded
once, and chromadb keeps one client per directory whose vector index, loaded on
the first query, does not follow another process's writes (it would miss new
chunks and return deleted ones without their record). So every rebuild writes a
new token into ``index/.generation``; a reader compares it at most once a second
(one small file read, ~35 µs) and, when it changed, loads the new keyword index and
reopens its Chroma collection (~20 ms for the shipped 125 chunks; the next answer
takes ~80 ms instead of ~16 ms while the vector index and the meetings load again).
Until then its queries skip rows another process deleted.

>>> # idx = LocalIndex.open(Path("index")); idx.status().chunks
>>> # with idx.writing(timeout_s=5): ...   # raises IndexBusy after 5 s
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from regioassist.catalog import new_token
from regioassist.keyword import KeywordIndex, KeywordIndexError
from regioassist.location import bind_server, bound_server, is_server_url
from regioassist.store import ChromaStore, VectorStore

LOCK_FILE = ".write.lock"
OPEN_LOCK_FILE = ".open.lock"
GENERATION_FILE = ".generation"  # a new token after every rebuild: readers reload when it changed
KEYWORD_STATE_FILE = "keyword-state.json"  # the store's state the saved keyword index agrees with
KEYWORD_DIR = "bm25"
FRESHNESS_S = 1.0  # a reader looks at the generation at most this often

log = logging.getLogger(__name__)


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
        self._owner: int | None = None  # that thread's ident
        self._fd: int | None = None

    @property
    def depth(self) -> int:
        """How deep the calling thread nests ``hold()`` (0 when it does not hold the lock)."""
        return self._depth if self._owner == threading.get_ident() else 0

    @contextmanager
    def hold(self, timeout_s: float | None = None, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the lock; wait for it, or raise :class:`IndexBusy` after ``timeout_s`` seconds.

        ``on_wait`` is called once, before waiting, when the lock is not free at once.
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        if not self._thread_lock.acquire(blocking=False):
            if on_wait is not None:
                on_wait()
                on_wait = None
            if not self._thread_lock.acquire(timeout=-1 if timeout_s is None else max(timeout_s, 0)):
                raise IndexBusy(self.path.parent)
        try:
            if self._depth == 0:
                self._fd = self._lock_file(deadline, on_wait)
                self._owner = threading.get_ident()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None
                    if self._fd is not None:
                        fcntl.flock(self._fd, fcntl.LOCK_UN)
                        os.close(self._fd)
                        self._fd = None
        finally:
            self._thread_lock.release()

    def _lock_file(self, deadline: float | None, on_wait: Callable[[], None] | None) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
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
    language: str = "nl"  # ISO 639-1 code of the document's language, "und" when undecidable
    ocr: bool = False  # some of its text was read by OCR (a scanned page)
    other_names: tuple[str, ...] = ()  # other files with the same bytes, indexed once under ``source``


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


def read_generation(directory: Path) -> str:
    """The token of the index's last rebuild ("" before the first)."""
    try:
        return (Path(directory) / GENERATION_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def bump_generation(directory: Path, token: str | None = None) -> str:
    """Write a new token (written beside, renamed over: a reader reads the old one or the new)."""
    token = token or new_token()
    _write_atomically(Path(directory) / GENERATION_FILE, token + "\n")
    return token


def _write_atomically(path: Path, text: str) -> None:
    staged = path.with_name(f"{path.name}.{os.getpid()}")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)


class LiveCollection:
    """A Chroma collection that can be reopened, standing in for ``ChromaStore._collection``.

    chromadb keeps one client per directory per process, and its vector index, loaded on the
    first query, does not follow another process's writes. :meth:`reopen` drops the cached
    client so that a new one reads the collection from disk again. Until then, ids another
    process deleted come back from ``query`` without document or metadata (they are skipped),
    and asking for the vector of a chunk another process added fails (the collection is then
    reopened and asked again). Everything else is passed to the collection as it is.
    """

    def __init__(self, path: Path, name: str, collection) -> None:
        self._path, self._name = path, name
        self._collection = collection

    @classmethod
    def open(cls, path: Path | str, name: str) -> "LiveCollection":
        """``path``: the Chroma directory, or a Chroma server's address (location.py)."""
        live = cls(path, name, None)
        live.reopen()
        return live

    def reopen(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        if is_server_url(self._path):
            # A server answers every call from its current data, so there is nothing to reload;
            # the first call connects (a new HttpClient each time would leak its System).
            if self._collection is None:
                self._collection = ChromaStore(self._path, self._name)._collection
            return
        # chromadb's cache of clients, keyed by the path the client was made with; an old client
        # lives on for the queries running on it now.
        SharedSystemClient._identifier_to_system.pop(str(self._path), None)
        self._collection = ChromaStore(self._path, self._name)._collection

    def _read(self, method: str, *args, **kwargs):
        from chromadb.errors import InternalError

        try:
            return getattr(self._collection, method)(*args, **kwargs)
        except InternalError:  # "Error finding id": a vector index older than the records
            log.info("%s: reopened after a read failed on a stale vector index", self._path)
            self.reopen()
            return getattr(self._collection, method)(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self._read("get", *args, **kwargs)

    def query(self, *args, **kwargs):
        result = self._read("query", *args, **kwargs)
        rows = result.get("metadatas") or result.get("documents")
        if not rows or all(row is not None for per_query in rows for row in per_query):
            return result
        kept = dict(result)
        for key, per_query in result.items():
            if key != "included" and per_query is not None:
                kept[key] = [
                    [value for value, row in zip(values, rows[q]) if row is not None]
                    for q, values in enumerate(per_query)
                ]
        return kept

    def __getattr__(self, name: str):
        return getattr(self._collection, name)


def stored_ids(store: VectorStore) -> set[str]:
    """The ids of every chunk in ``store`` (for Chroma without reading the chunks themselves)."""
    all_ids = getattr(store, "all_ids", None)
    if all_ids is not None:
        return set(all_ids())
    return {c.id for c in store.all_chunks()}


class LocalIndex:
    """A vector store plus its keyword index, persisted under ``directory``."""

    def __init__(
        self, directory: Path, store: VectorStore, keyword: KeywordIndex, generation: str | None = None
    ) -> None:
        self.directory = Path(directory)
        self.store = store
        self._keyword = keyword  # replaced whole by rebuild_keyword; readers fetch it per query
        self._keyword_error: str | None = None  # why the saved keyword index could not be read
        self._write_lock = WriteLock(self.directory / LOCK_FILE)
        self._generation = read_generation(self.directory) if generation is None else generation
        self._checked_at = time.monotonic()
        self._reloading = threading.Lock()

    @classmethod
    def open(
        cls, directory: Path, collection: str = "regioassist", mend: bool = True, server: str | None = None
    ) -> "LocalIndex":
        """Open (or create) the index in ``directory``.

        With ``server`` (a Chroma server's address) the chunks live on that server and
        ``directory`` is the local folder of what is derived from them (location.py); the
        folder remembers the server, so later opens by the directory alone reach it too.
        With ``mend`` (the default) a keyword index that disagrees with Chroma, or cannot be
        read, is rebuilt at once (see the module docstring); ``mend=False`` opens it as it is.
        """
        directory = Path(directory)
        if server is not None:
            bind_server(directory, server)
        target = bound_server(directory) or directory / "chroma"
        generation = read_generation(directory)  # before loading: a write after it is reloaded later
        # A client of its own, not one this process made earlier: that one may predate other processes'
        # writes. Chroma cannot create one directory from two processes at once ("table collections
        # already exists"), so opening takes a lock of its own, held for those milliseconds only.
        with WriteLock(directory / OPEN_LOCK_FILE).hold():
            live = LiveCollection.open(target, collection)
            store = ChromaStore(target, collection)  # on disk: the cached client live just made
        store._collection = live
        keyword, error = _load_keyword(directory)
        index = cls(directory, store, keyword, generation)
        index._keyword_error = error
        if mend:
            index.complete_catalog()
            index.mend_keyword() or index.upgrade_keyword()
        return index

    def upgrade_keyword(self) -> bool:
        """Rebuild, once, a keyword index saved before it kept tokens and facets; True when rebuilt.

        Such an index still answers, but every filtered query then asks Chroma's ``where`` for the
        matching ids (~0.9 s at 100,000 chunks) and every write rebuilds it whole.
        """
        if self._keyword_error is not None or self._keyword.updatable or not len(self._keyword):
            return False
        try:
            with self.writing(timeout_s=0):
                started = time.perf_counter()
                self.rebuild_keyword(full=True)
        except IndexBusy:
            return False
        log.warning("%s: rebuilt the keyword index with the facets filters use (%d chunks) in %.2f s",
                    self.directory, len(self._keyword), time.perf_counter() - started)
        return True

    def complete_catalog(self) -> bool:
        """Give an index built before the file catalog its records (catalog.py); True when built.

        Once per index, reading every chunk's metadata; skipped while another process writes
        (until then the store answers from the chunks themselves).
        """
        store = self.store
        if not hasattr(store, "catalog_complete") or store.catalog_complete():
            return False
        try:
            with self.writing(timeout_s=0):
                if store.catalog_complete():
                    return False
                started = time.perf_counter()
                files = store.build_catalog()
        except IndexBusy:
            return False
        log.warning("%s: built the file catalog (%d files) in %.2f s", self.directory, files,
                    time.perf_counter() - started)
        return True

    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index to search now; another process's rebuild is loaded within a second."""
        if time.monotonic() - self._checked_at >= FRESHNESS_S:
            self.refresh()
        return self._keyword

    @property
    def keyword_error(self) -> str | None:
        """Why the saved keyword index could not be read when it was last loaded (None: it could)."""
        return self._keyword_error

    def refresh(self) -> bool:
        """Load another writer's changes when the generation moved; True when it did.

        One thread reloads; the others meanwhile go on with what they have.
        """
        if not self._reloading.acquire(blocking=False):
            return False
        try:
            self._checked_at = time.monotonic()
            generation = read_generation(self.directory)
            if generation == self._generation:
                return False
            started = time.perf_counter()
            collection = getattr(self.store, "_collection", None)
            if isinstance(collection, LiveCollection):
                collection.reopen()
            keyword, error = _load_keyword(self.directory)
            if error is None:
                self._keyword = keyword
            self._keyword_error = error
            self._generation = generation
            log.info("%s: reloaded after another writer (%.2f s)", self.directory, time.perf_counter() - started)
            return True
        finally:
            self._reloading.release()

    @contextmanager
    def writing(self, timeout_s: float | None = None, on_wait: Callable[[], None] | None = None):
        """Context manager around every write: one writer at a time across threads and processes.

        Waits for the lock by default (calling ``on_wait`` once when it must); with
        ``timeout_s`` raises :class:`IndexBusy` when it is still held after that many
        seconds. The holding thread may nest it. A writer starts from what the previous
        writer left: it reloads first when the generation moved.
        """
        with self._write_lock.hold(timeout_s, on_wait):
            if self._write_lock.depth == 1:
                self.refresh()
            yield

    def keyword_agrees(self) -> bool:
        """Does the keyword index hold exactly the chunks the vector store holds?

        Cheap when nothing changed since the keyword index was saved: the store's state (its
        chunk count and the catalog's revision token, catalog.py) is what the save recorded.
        Otherwise (another writer, a write cut short, an index saved before the record) every
        id is compared: 1.3 s at 100,000 chunks against ~15 ms.
        """
        if self._keyword_error is not None:
            return False
        state = self.store.state()
        if self._saved_state() == self._state_record(state):
            return True
        agrees = set(self._keyword.ids) == stored_ids(self.store)
        if agrees:  # remembered for the next check; the state was read before the comparison
            self._save_state(state)
        return agrees

    def _state_record(self, state: tuple[int, str]) -> dict:
        return {"generation": self._generation, "keyword_chunks": len(self._keyword), "store": list(state)}

    def _saved_state(self) -> dict | None:
        try:
            return json.loads((self.directory / KEYWORD_STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _save_state(self, state: tuple[int, str]) -> None:
        try:
            _write_atomically(self.directory / KEYWORD_STATE_FILE, json.dumps(self._state_record(state)) + "\n")
        except OSError as error:  # a read-only folder: the next check compares ids again
            log.info("%s: keyword state not saved (%s)", self.directory, error)

    def mend_keyword(self) -> bool:
        """Rebuild the keyword index when it disagrees with the vector store; True when rebuilt.

        Waits for no one: when another writer holds the lock, that writer's own rebuild ends
        the disagreement (an unreadable keyword index is meanwhile rebuilt in memory only).
        """
        if self.keyword_agrees():
            return False
        try:
            with self.writing(timeout_s=0):
                keyword, error = _load_keyword(self.directory)  # a writer may have finished meanwhile
                self._keyword, self._keyword_error = keyword, error
                if self.keyword_agrees():
                    return False
                problem = error or _difference(keyword, stored_ids(self.store))
                started = time.perf_counter()
                self.rebuild_keyword()
                log.warning(
                    "%s: the keyword index was out of step with the vector store (%s); rebuilt from its %d chunks "
                    "in %.2f s", self.directory, problem, len(self._keyword), time.perf_counter() - started,
                )
                return True
        except IndexBusy:
            if self._keyword_error is not None:
                self._keyword = KeywordIndex.from_chunks(self.store.all_chunks())
                log.warning("%s: keyword index unreadable while another process writes; built in memory", self.directory)
            return False

    def rebuild_keyword(self, full: bool = False) -> None:
        """Bring BM25 in step with the stored chunks, save it, swap it in, and tell other readers.

        Only the chunks added since the last save are read from the store and tokenized
        (``KeywordIndex.updated``); ``full``, or a keyword index that keeps no tokens (saved
        before they were kept, or unreadable), builds it from every stored chunk instead.
        """
        with self.writing():
            current = self._keyword
            if full or self._keyword_error is not None or not current.updatable:
                keyword = KeywordIndex.from_chunks(self.store.all_chunks())
            else:
                stored, held = stored_ids(self.store), set(current.ids)
                added = self.store.get(sorted(stored - held))
                keyword = current.updated(held - stored, [added[cid] for cid in sorted(added)])
            state = self.store.state()  # what the keyword index now agrees with (we hold the write lock)
            keyword.save(self.directory / KEYWORD_DIR)
            self._keyword, self._keyword_error = keyword, None
            self._generation = new_token()
            self._save_state(state)
            bump_generation(self.directory, self._generation)

    def remove(self, path_key: str) -> int:
        """Delete one file's chunks from both indexes; the number removed, 0 for an unknown key."""
        with self.writing():
            removed = self.store.delete_path(path_key)
            if removed:
                self.rebuild_keyword()
            return removed

    def status(self) -> IndexStatus:
        """One document per source, from the file catalog (no chunk read)."""
        by_source: dict[str, list] = {}
        for record in self.store.files().values():
            by_source.setdefault(record.source, []).append(record)
        documents = []
        for source, records in sorted(by_source.items()):
            record = max(records, key=lambda r: r.indexed_at or "")  # a source under two keys is a problem of its own
            documents.append(IndexedDocument(
                source=source,
                title=record.title,
                doc_type=record.doc_type,
                date=record.date,
                chunks=sum(r.chunks for r in records),
                indexed_at=record.indexed_at,
                path=record.path,
                language=record.language,
                ocr=any(r.ocr for r in records),
                other_names=record.other_names,
            ))
        return IndexStatus(str(self.directory), tuple(documents))


def _load_keyword(directory: Path) -> tuple[KeywordIndex, str | None]:
    """The saved keyword index, or an empty one and why it could not be read."""
    try:
        return KeywordIndex.load(directory / KEYWORD_DIR), None
    except KeywordIndexError as error:
        return KeywordIndex.build([], []), str(error)


def _difference(keyword: KeywordIndex, stored: set[str]) -> str:
    """'3 chunks only in Chroma, 1 only in the keyword index'."""
    ids = set(keyword.ids)
    return f"{len(stored - ids)} chunks only in Chroma, {len(ids - stored)} only in the keyword index"
