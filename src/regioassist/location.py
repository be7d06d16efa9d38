"""Where an index lives: a directory, or a Chroma server plus a local folder.

An index is named by one value (``--index`` or ``REGIOASSIST_INDEX_DIR``): a directory,
or the address of a Chroma server, ``http://HOST:PORT`` (``https://`` too; no path: the
collection is ``REGIOASSIST_COLLECTION``). With a directory, Chroma lives in
``DIR/chroma`` as it always did. With an address, the chunks, their vectors and all
their bookkeeping (file, hash, indexing time, other names: Chroma metadata, and one record
per file in the collection ``<collection>-files``, catalog.py) live on the
server, and what is derived from them lives in a *local folder* of this machine,
``<server_cache_dir>/<host>_<port>_<collection>/`` (``~/.cache/regioassist/`` unless
``REGIOASSIST_SERVER_CACHE_DIR`` says otherwise): the BM25 keyword index, the write and
open locks, ``.generation``, the sentence-vector cache, feedback and uploaded files.

Why derived data stays local. The keyword index is rebuilt from the chunks in Chroma in
0.1 s (125 chunks), and :meth:`LocalIndex.open` already rebuilds one that disagrees with
Chroma, so any process on any machine that can reach the server can serve: it opens its
local folder, finds the keyword index missing or behind, and rebuilds it from the server.
Nothing but Chroma has to be shared, and no second network service is needed. Keeping
the keyword index *on* the server (say, as a document in a side collection) would make
every reader download and unpickle it on every write, and would still need a lock.

What that leaves per machine, said plainly:

- one writer at a time *per machine*: the ``flock`` on the local folder serialises the
  processes of one machine, not two machines. Write (ingest, uploads, removal) from one
  machine; serve from as many as you like. Two machines ingesting different files at once
  do not corrupt Chroma (chunk ids are content hashes, upserts idempotent), but each
  keyword index then lacks the other's chunks until it is reopened.
- a chat server follows writes made on its own machine within a second (``.generation``
  in the shared local folder). Dense retrieval always sees the server's current chunks;
  the keyword index of a process on another machine catches up when that process opens
  the index again (a restart), because the generation token is a local file.
- feedback and uploaded files stay on the machine that received them.
- a file is known by its absolute path on the machine that ingested it, and ``ingest
  --prune`` removes the chunks of every file missing from *this* machine: prune from the
  machine that holds the documents.

Measured on this 2-core machine with the shipped documents (125 chunks), ``chroma run`` on
127.0.0.1: a dense query for 30 hits takes p50 10.2 ms / p95 12.8 ms against 5.8 / 8.2 ms on
disk; reading every chunk 19 ms against 24 ms; opening the index 148 ms against 45 ms, and
opening it from a fresh local folder (keyword index rebuilt from the server) 206 ms. The
server starts in about 1 s. Answers and citations are the same either way
(``tests/test_server_mode.py``).

The local folder remembers its server in ``chroma.url`` (instead of a ``chroma/``
directory), so code that opens an index by its directory alone (``index check``)
reaches the same server.

>>> ServerAddress.parse("http://127.0.0.1:8000").folder_name("regioassist")
'127.0.0.1_8000_regioassist'
>>> is_server_url("index"), is_server_url("https://chroma.example.org")
(False, True)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SERVER_FILE = "chroma.url"  # in a server index's local folder: the server's address
DEFAULT_PORTS = {"http": 8000, "https": 443}  # 8000: the port `chroma run` listens on by default


class IndexAddressError(ValueError):
    """An index value that looks like an address but is not one we can use."""


def is_server_url(value: object) -> bool:
    """Does this index value name a Chroma server rather than a directory?"""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class ServerAddress:
    """A Chroma server's address: what ``chromadb.HttpClient`` needs."""

    host: str
    port: int
    ssl: bool

    @classmethod
    def parse(cls, url: str) -> "ServerAddress":
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            raise IndexAddressError(f"{url}: a Chroma server address looks like http://HOST:PORT")
        if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
            raise IndexAddressError(
                f"{url}: give only http(s)://HOST:PORT (the collection is REGIOASSIST_COLLECTION)"
            )
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError:
            raise IndexAddressError(f"{url}: the port is not a number from 1 to 65535") from None
        return cls(parts.hostname, port, scheme == "https")

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 literal
        return f"{'https' if self.ssl else 'http'}://{host}:{self.port}"

    def folder_name(self, collection: str) -> str:
        """The local folder's name: host, port and collection, safe on every file system."""
        return re.sub(r"[^A-Za-z0-9._-]", "-", f"{self.host}_{self.port}_{collection}")


def default_server_cache() -> Path:
    """``$XDG_CACHE_HOME/regioassist``, or ``~/.cache/regioassist``."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "regioassist"


def bind_server(directory: Path, url: str) -> None:
    """Record in ``directory`` that its chunks live on the server at ``url``."""
    directory = Path(directory)
    if bound_server(directory) == url:
        return
    directory.mkdir(parents=True, exist_ok=True)
    staged = directory / f"{SERVER_FILE}.{os.getpid()}"
    staged.write_text(url + "\n", encoding="utf-8")
    os.replace(staged, directory / SERVER_FILE)  # a reader sees the old address or the new one


def bound_server(directory: Path) -> str | None:
    """The server address recorded in ``directory``, or None for an index on disk."""
    try:
        return (Path(directory) / SERVER_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def chroma_client(target: Path | str):
    """A chromadb client: ``HttpClient`` for a server address, ``PersistentClient`` for a directory.

    A ``ValueError`` ("Could not connect to a Chroma server") when the server does not answer.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if is_server_url(target):
        server = ServerAddress.parse(str(target))
        return chromadb.HttpClient(host=server.host, port=server.port, ssl=server.ssl, settings=settings)
    Path(target).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(target), settings=settings)


def server_collection_exists(url: str, collection: str) -> bool:
    """Does the server at ``url`` hold ``collection``? (``ValueError`` when it does not answer.)"""
    from chromadb.errors import NotFoundError

    try:
        chroma_client(url).get_collection(collection)
    except NotFoundError:
        return False
    return True
