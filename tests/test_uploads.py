"""Uploads into INDEX/files/, removing documents, and one writer at a time.

The checks on one upload are unit tests; indexing goes into a real Chroma directory under
tmp_path with the deterministic fake embedder, as in test_ingest.py.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from regioassist.assistant import Assistant
from regioassist.config import Settings
from regioassist.index import IndexBusy, LocalIndex
from regioassist.ingest import ingest_paths, source_name
from regioassist.uploads import (
    MB,
    UploadError,
    add_documents,
    managed_folder,
    remove_document,
    safe_name,
    store_upload,
)

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

JEUGD EN ONDERWIJS

{topic}

Het portefeuillehoudersoverleg stelt het voorstel over {word} vast.

Rondvraag

Geen.
"""


def minutes(topic: str) -> str:
    return MINUTES.format(topic=topic.capitalize(), word=topic)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(index_dir=tmp_path / "index", upload_max_mb=50)


@pytest.fixture
def index(settings) -> LocalIndex:
    return LocalIndex.open(settings.index_dir, settings.collection)


def keyword_ids(index: LocalIndex, word: str) -> set[str]:
    """Chunk ids the keyword index (as readers see it) finds for ``word``."""
    return {cid for cid, _ in index.keyword.search(word, k=50)}


def chunk_ids(index: LocalIndex, stored: Path) -> set[str]:
    """Ids of the stored file's chunks in the vector store."""
    return {c.id for c in index.store.all_chunks() if c.source == source_name(stored)}


# -- one upload --------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "original, expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("Résumé PFHO 2023.PDF", "Résumé PFHO 2023.pdf"),
        ("C:\\Users\\jan\\notulen.docx", "notulen.docx"),
        (".verborgen.md", "verborgen.md"),
        ("..", "document"),
        ("rapport;rm -rf $HOME.txt", "rapport_rm -rf _HOME.txt"),
        ("東京.pdf", "document.pdf"),
        ("x" * 300 + ".md", "x" * 100 + ".md"),
    ],
)
def test_safe_name(original, expected):
    assert safe_name(original) == expected


@pytest.mark.unit
@pytest.mark.parametrize("name", ["a.pdf", "b.DOCX", "c.txt", "d.md"])
def test_allowed_types_are_stored(tmp_path, name):
    upload = write(tmp_path / "upload.bin", "inhoud")
    stored = store_upload(upload, name, tmp_path / "files", max_bytes=MB)
    assert stored.parent == tmp_path / "files" and stored.name == name[0] + Path(name).suffix.lower()
    assert stored.read_text(encoding="utf-8") == "inhoud"


@pytest.mark.unit
@pytest.mark.parametrize("name", ["rapport.exe", "tabel.xlsx", "README", "script.pdf.sh"])
def test_other_types_are_refused(tmp_path, name):
    upload = write(tmp_path / "upload.bin", "inhoud")
    with pytest.raises(UploadError) as refused:
        store_upload(upload, name, tmp_path / "files", max_bytes=MB)
    assert str(refused.value) == f"{name}: dit bestandstype wordt niet ondersteund (toegestaan: PDF, DOCX, TXT, MD)"
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").iterdir())


@pytest.mark.unit
def test_too_large_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "upload.bin"
    big.touch()
    os.truncate(big, 73 * MB)  # sparse: 73 MB on paper, nothing on disk
    monkeypatch.setattr("regioassist.uploads._sha256", lambda path: pytest.fail("read a too-large file"))
    with pytest.raises(UploadError, match=r"^groot\.pdf: het bestand is 73 MB; de grens is 50 MB$"):
        store_upload(big, "groot.pdf", tmp_path / "files", max_bytes=50 * MB)
    os.truncate(big, 50 * MB + MB // 10)  # 50.1 MB is rounded up, never shown as "50 MB"
    with pytest.raises(UploadError, match="het bestand is 50,1 MB; de grens is 50 MB"):
        store_upload(big, "groot.pdf", tmp_path / "files", max_bytes=50 * MB)


@pytest.mark.unit
def test_empty_and_missing_files_are_refused(tmp_path):
    empty = tmp_path / "upload.bin"
    empty.touch()
    with pytest.raises(UploadError, match=r"^leeg\.txt: het bestand is leeg$"):
        store_upload(empty, "leeg.txt", tmp_path / "files", max_bytes=MB)
    with pytest.raises(UploadError, match=r"^weg\.txt: "):
        store_upload(tmp_path / "nothing", "weg.txt", tmp_path / "files", max_bytes=MB)


@pytest.mark.unit
def test_unsafe_name_stays_inside_the_folder(tmp_path):
    upload = write(tmp_path / "upload.bin", "inhoud")
    folder = tmp_path / "deep" / "files"
    stored = store_upload(upload, "../../../etc/passwd.txt", folder, max_bytes=MB)
    assert stored == folder / "passwd.txt"
    assert [p.name for p in tmp_path.rglob("passwd.txt")] == ["passwd.txt"]


@pytest.mark.unit
def test_same_bytes_are_stored_once_and_a_taken_name_gets_a_number(tmp_path):
    folder = tmp_path / "files"
    first = store_upload(write(tmp_path / "u1", "versie 1"), "notulen.txt", folder, max_bytes=MB)
    again = store_upload(write(tmp_path / "u2", "versie 1"), "Andere naam.txt", folder, max_bytes=MB)
    other = store_upload(write(tmp_path / "u3", "versie 2"), "notulen.txt", folder, max_bytes=MB)
    third = store_upload(write(tmp_path / "u4", "versie 3"), "notulen.txt", folder, max_bytes=MB)
    assert again == first == folder / "notulen.txt"
    assert (other.name, third.name) == ("notulen (2).txt", "notulen (3).txt")
    assert sorted(p.name for p in folder.iterdir()) == ["notulen (2).txt", "notulen (3).txt", "notulen.txt"]
    assert other.read_text(encoding="utf-8") == "versie 2"


# -- adding and removing in an index -------------------------------------------------------------


@pytest.mark.integration
def test_a_bad_file_among_good_ones(tmp_path, settings, index, fake_embedder):
    shipped = write(tmp_path / "documents" / "shipped.txt", minutes("pleegzorg"))
    ingest_paths([shipped], index, fake_embedder)
    before = {c.id for c in index.store.all_chunks()}

    uploads = [
        (write(tmp_path / "tmp" / "a", minutes("dagbesteding")), "Dagbesteding.txt"),
        (write(tmp_path / "tmp" / "b", "# Notitie\n\nDe regio onderzoekt de mantelzorg verder."), "notitie.md"),
        (write(tmp_path / "tmp" / "c", "MZ...."), "virus.exe"),
        ((tmp_path / "tmp" / "d").resolve(), "leeg.txt"),
        (write(tmp_path / "tmp" / "e", "dit is geen pdf"), "kapot.pdf"),
    ]
    (tmp_path / "tmp" / "d").touch()
    seen = []
    report, errors = add_documents(settings, uploads, fake_embedder, index=index, progress=lambda p, s: seen.append(s))

    folder = managed_folder(settings)
    assert sorted(p.name for p in folder.iterdir()) == ["Dagbesteding.txt", "notitie.md"]  # kapot.pdf left again
    assert [Path(s).name for s in report.read] == ["Dagbesteding.txt", "notitie.md"]
    assert len(report.failed) == 1 and "kapot.pdf" in report.failed[0]
    assert errors == [
        "virus.exe: dit bestandstype wordt niet ondersteund (toegestaan: PDF, DOCX, TXT, MD)",
        "leeg.txt: het bestand is leeg",
    ]
    assert "failed" in seen
    after = {c.id for c in index.store.all_chunks()}
    assert before < after  # the shipped document's chunks are untouched
    assert set(index.store.indexed_files()) == {str(shipped.resolve())} | {str(p.resolve()) for p in folder.iterdir()}
    assert set() < keyword_ids(index, "dagbesteding") <= chunk_ids(index, folder / "Dagbesteding.txt")

    report, errors = add_documents(settings, uploads[:1], fake_embedder, index=index)
    assert (report.read, len(report.unchanged), errors) == ([], 1, [])  # the same upload again changes nothing
    assert {c.id for c in index.store.all_chunks()} == after


@pytest.mark.integration
def test_remove_an_upload_and_a_shipped_document(tmp_path, settings, index, fake_embedder):
    shipped = write(tmp_path / "documents" / "shipped.txt", minutes("pleegzorg"))
    ingest_paths([shipped], index, fake_embedder)
    add_documents(settings, [(write(tmp_path / "u", minutes("dagbesteding")), "dag.txt")], fake_embedder, index=index)
    stored = managed_folder(settings) / "dag.txt"
    key = str(stored.resolve())
    ids = chunk_ids(index, stored)
    assert set() < keyword_ids(index, "dagbesteding") <= ids

    assert remove_document(settings, index, key) == len(ids)
    assert key not in index.store.indexed_files() and not index.store.get(list(ids))
    assert keyword_ids(index, "dagbesteding") == set()  # gone from the keyword side too
    assert not stored.exists()
    assert len(LocalIndex.open(settings.index_dir).keyword) == len(index.store.all_chunks())  # and on disk

    assert remove_document(settings, index, str(shipped.resolve())) > 0
    assert shipped.exists()  # not an upload: only its chunks go
    assert index.store.all_chunks() == [] and len(index.keyword) == 0
    assert remove_document(settings, index, "/no/such/file.txt") == 0
    assert remove_document(settings, index, str(tmp_path / "index" / "files" / ".." / "..")) == 0
    assert tmp_path.exists()


@pytest.mark.integration
def test_status_tells_when_and_where(tmp_path, settings, index, fake_embedder):
    add_documents(settings, [(write(tmp_path / "u", minutes("dagbesteding")), "dag.txt")], fake_embedder, index=index)
    (document,) = index.status().documents
    assert document.path == str((managed_folder(settings) / "dag.txt").resolve())
    when = dt.datetime.fromisoformat(document.indexed_at)
    assert abs(dt.datetime.now(dt.timezone.utc) - when).total_seconds() < 60
    assert document.indexed_at == when.isoformat(timespec="seconds")
    as_json = index.status().to_json()["documents"][0]
    assert (as_json["path"], as_json["indexed_at"]) == (document.path, document.indexed_at)


@pytest.mark.integration
def test_the_retriever_sees_documents_added_after_it_was_built(tmp_path, settings, index, fake_embedder):
    ingest_paths([write(tmp_path / "documents" / "shipped.txt", minutes("pleegzorg"))], index, fake_embedder)
    retriever = Assistant(settings, index, fake_embedder).retriever
    assert not any(h.keyword_score for h in retriever.retrieve("zwerfkatten", top_k=5))

    add_documents(settings, [(write(tmp_path / "u", minutes("zwerfkatten")), "katten.txt")], fake_embedder, index=index)
    hits = retriever.retrieve("zwerfkatten", top_k=5)
    assert hits[0].chunk.source.endswith("katten.txt") and hits[0].keyword_score

    remove_document(settings, index, str((managed_folder(settings) / "katten.txt").resolve()))
    assert not any(h.chunk.source.endswith("katten.txt") for h in retriever.retrieve("zwerfkatten", top_k=5))


# -- one writer at a time ------------------------------------------------------------------------


class SlowEmbedder:
    """The fake embedder, slowed down, counting how many calls ever ran at once."""

    def __init__(self, inner) -> None:
        self.inner, self.dim = inner, inner.dim
        self.running = self.most = 0
        self._count = threading.Lock()

    def embed(self, texts, *, kind):
        with self._count:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.2)
        try:
            return self.inner.embed(texts, kind=kind)
        finally:
            with self._count:
                self.running -= 1


@pytest.mark.integration
def test_two_threads_ingesting_at_once(tmp_path, settings, index, fake_embedder):
    shared = write(tmp_path / "shared.txt", minutes("pleegzorg"))
    mine = {
        "a": [(write(tmp_path / "a.txt", minutes("dagbesteding")), "a.txt"), (shared, "shared.txt")],
        "b": [(write(tmp_path / "b.txt", minutes("jeugdhulp")), "b.txt"), (shared, "shared.txt")],
    }
    embedder = SlowEmbedder(fake_embedder)
    reports = {}

    def work(name):
        reports[name] = add_documents(settings, mine[name], embedder, index=index)

    threads = [threading.Thread(target=work, args=(name,)) for name in mine]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert embedder.most == 1  # never two writers at once
    assert all(errors == [] for _, errors in reports.values())
    read = sorted(Path(s).name for report, _ in reports.values() for s in report.read)
    assert read == ["a.txt", "b.txt", "shared.txt"]  # the shared file is indexed once, then found unchanged
    chunks = index.store.all_chunks()
    assert len({c.id for c in chunks}) == len(chunks) == len(index.keyword)
    reference = LocalIndex.open(tmp_path / "reference")
    ingest_paths(sorted(managed_folder(settings).iterdir()), reference, fake_embedder)
    assert len(reference.store.all_chunks()) == len(chunks)


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from regioassist.index import LOCK_FILE, WriteLock

with WriteLock(Path(sys.argv[1]) / LOCK_FILE).hold():
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.integration
def test_a_writer_waits_for_another_process_or_gives_up(settings, index):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(settings.index_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(IndexBusy, match="index is being written by another process; try again"):
            with index.writing(timeout_s=0.3):
                pass
        assert 0.25 < time.monotonic() - started < 5
        assert index.status().documents == ()  # readers never wait
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    with index.writing(timeout_s=5):  # released when the other process let go
        pass


@pytest.mark.integration
def test_a_second_thread_gives_up_after_its_timeout(index):
    inside, release = threading.Event(), threading.Event()

    def hold():
        with index.writing():
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(10)
        with pytest.raises(IndexBusy):
            with index.writing(timeout_s=0.1):
                pass
        assert index.store.all_chunks() == []  # readers never wait
    finally:
        release.set()
        holder.join(10)
    with index.writing(timeout_s=1):
        with index.writing(timeout_s=0):  # the holder may nest
            pass
