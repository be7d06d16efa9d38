"""The file catalog: one record per file in Chroma, so that questions about files read no chunk.

Real Chroma directories in tmp_path with the deterministic hash embedder (no model load).
"""

from __future__ import annotations

import dataclasses
import logging

import pytest

from regioassist.catalog import FileRecord
from regioassist.index import LocalIndex
from regioassist.ingest import ingest_paths
from regioassist.integrity import check_index, repair_index, settled_files
from regioassist.location import chroma_client
from test_index import MINUTES  # the same one-item minutes

pytestmark = pytest.mark.integration


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for topic in ("pleegzorg", "dagbesteding", "leerlingenvervoer"):
        (folder / f"{topic}.txt").write_text(MINUTES.format(topic=topic.capitalize(), word=topic), encoding="utf-8")
    return folder


@pytest.fixture
def filled(tmp_path, docs, fake_embedder) -> LocalIndex:
    index = LocalIndex.open(tmp_path / "index")
    ingest_paths([docs], index, fake_embedder)
    return index


class CountingGets:
    """Stands in for a Chroma collection and counts the chunk records ``get`` returns."""

    def __init__(self, collection) -> None:
        self._collection, self.records = collection, 0

    def get(self, *args, **kwargs):
        got = self._collection.get(*args, **kwargs)
        self.records += len(got["ids"])
        return got

    def __getattr__(self, name):
        return getattr(self._collection, name)


def test_status_and_a_reingest_of_unchanged_files_read_no_chunk(filled, docs, fake_embedder, monkeypatch):
    counting = CountingGets(filled.store._collection)
    monkeypatch.setattr(filled.store, "_collection", counting)
    monkeypatch.setattr(filled.store, "all_ids", lambda: pytest.fail("every chunk id was read"))

    status = filled.status()
    report = ingest_paths([docs], filled, fake_embedder)

    assert sorted(d.source.rsplit("/", 1)[-1] for d in status.documents) == [
        "dagbesteding.txt", "leerlingenvervoer.txt", "pleegzorg.txt"]
    assert status.chunks == filled.store._collection.count() > 0
    assert len(report.unchanged) == 3 and report.read == []
    assert counting.records == 0


def test_the_record_follows_its_file(filled, docs, fake_embedder):
    key = str((docs / "pleegzorg.txt").resolve())
    record = filled.store.files()[key]
    assert (record.chunks, record.settled, record.other_names) == (len([c for c in filled.store.all_chunks()
                                                                       if c.source == record.source]), True, ())
    (docs / "kopie.txt").write_bytes((docs / "pleegzorg.txt").read_bytes())
    ingest_paths([docs], filled, fake_embedder)
    assert [name.rsplit("/", 1)[-1] for name in filled.store.files()[key].other_names] == ["kopie.txt"]

    (docs / "pleegzorg.txt").write_text(MINUTES.format(topic="Pleegzorg", word="pleegzorg en meer"), encoding="utf-8")
    ingest_paths([docs], filled, fake_embedder)
    changed = filled.store.files()[key]
    assert changed.doc_hash != record.doc_hash and changed.other_names == ()

    filled.remove(key)
    assert key not in filled.store.files() and key not in filled.store.indexed_files()


def test_keyword_agreement_is_checked_without_reading_every_id_until_the_store_changes(filled, monkeypatch):
    ids_read = []
    real_all_ids = filled.store.all_ids
    monkeypatch.setattr(filled.store, "all_ids", lambda: ids_read.append(1) or real_all_ids())

    assert filled.keyword_agrees() and ids_read == []  # the saved state matches: no id compared
    reopened = LocalIndex.open(filled.directory)
    assert reopened.keyword_agrees()

    # Another writer stores a chunk and is killed before the keyword index is rebuilt.
    other = LocalIndex.open(filled.directory, mend=False)
    chunk = other.store.all_chunks()[0]
    other.store.upsert("/elders/extra.txt", [dataclasses.replace(chunk, id="extra", source="extra.txt")],
                       other.store.embeddings([chunk.id])[chunk.id][None, :])
    assert not filled.keyword_agrees() and ids_read == [1]


def test_an_index_from_before_the_catalog_gets_one_when_opened(filled, caplog):
    before = (filled.status().to_json(), settled_files(filled))
    chroma_client(filled.directory / "chroma").delete_collection("regioassist-files")

    with caplog.at_level(logging.WARNING, logger="regioassist.index"):
        index = LocalIndex.open(filled.directory)

    assert index.store.catalog_complete()
    assert any("built the file catalog (3 files)" in r.getMessage() for r in caplog.records)
    assert (index.status().to_json(), settled_files(index)) == before
    assert check_index(filled.directory).consistent


def test_a_damaged_file_is_not_settled_and_repair_mends_a_lost_record(filled, docs):
    key = str((docs / "dagbesteding.txt").resolve())
    chunk = next(c for c in filled.store.all_chunks() if c.source.endswith("dagbesteding.txt"))
    vector = filled.store.embeddings([chunk.id])[chunk.id][None, :]
    filled.store.upsert(key, [dataclasses.replace(chunk, id="old", doc_hash="older")], vector)  # half replaced
    assert filled.store.files()[key].problem == "chunks of 2 versions of the file (half replaced)"
    assert key not in settled_files(filled)

    lost = str((docs / "leerlingenvervoer.txt").resolve())
    filled.store._catalog.delete(lost)  # as a write cut short between the chunks and their record
    assert lost not in settled_files(filled)
    report = check_index(filled.directory)
    assert any(line.endswith("chunks without a file record (a write was cut short)") for line in report.lines())

    repaired = repair_index(filled.directory)
    assert repaired.consistent, repaired.lines()
    assert set(filled.store.files()) == {str((docs / "pleegzorg.txt").resolve())}


@pytest.mark.unit
def test_a_record_round_trips_through_chroma_metadata():
    record = FileRecord("/d/a.txt", "a.txt", "h|v7", 4, None, "Resumé", "resumé", None, "en", True, ("b.txt",), 1, 0)
    assert FileRecord.from_metadata(record.to_metadata()) == record


def test_a_catalog_of_an_older_version_is_built_again_when_opened(filled, caplog):
    from regioassist.catalog import COMPLETE_ID

    before = filled.store.files()
    catalog = filled.store._catalog._collection
    catalog.upsert(ids=[COMPLETE_ID], metadatas=[{"token": "old", "version": 1}], embeddings=[[0.0]])
    assert not filled.store.catalog_complete()
    assert filled.store.files() == before  # meanwhile summarised from the chunks

    with caplog.at_level(logging.WARNING, logger="regioassist.index"):
        index = LocalIndex.open(filled.directory)

    assert index.store.catalog_complete() and index.store.files() == before
    assert any("built the file catalog (3 files)" in r.getMessage() for r in caplog.records)
