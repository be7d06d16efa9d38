"""LocalIndex: mending the keyword index on open, following other writers, the wait message.

Real Chroma directories in tmp_path with the deterministic hash embedder (no model load).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading

import pytest

from regioassist.index import GENERATION_FILE, LOCK_FILE, LiveCollection, LocalIndex, WriteLock, stored_ids
from regioassist.ingest import ingest_paths
from regioassist.keyword import KeywordIndex

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

JEUGD EN ONDERWIJS

{topic}

Het portefeuillehoudersoverleg stelt het voorstel over {word} vast.
"""


@pytest.fixture
def filled(tmp_path, fake_embedder) -> LocalIndex:
    docs = tmp_path / "docs"
    docs.mkdir()
    for topic in ("pleegzorg", "dagbesteding"):
        (docs / f"{topic}.txt").write_text(MINUTES.format(topic=topic.capitalize(), word=topic), encoding="utf-8")
    index = LocalIndex.open(tmp_path / "index")
    ingest_paths([docs], index, fake_embedder)
    return index


@pytest.mark.integration
def test_open_rebuilds_a_keyword_index_out_of_step_and_says_so(filled, caplog):
    KeywordIndex.build(["stale"], ["Een oude passage."]).save(filled.directory / "bm25")
    with caplog.at_level(logging.WARNING, logger="regioassist.index"):
        index = LocalIndex.open(filled.directory)
    assert set(index.keyword.ids) == stored_ids(index.store)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "regioassist.index"]
    assert "the keyword index was out of step with the vector store (4 chunks only in Chroma, 1 only in the " \
           "keyword index); rebuilt from its 4 chunks" in line
    assert set(KeywordIndex.load(filled.directory / "bm25").ids) == set(index.keyword.ids)  # saved as well
    caplog.clear()
    LocalIndex.open(filled.directory)
    assert [r for r in caplog.records if r.name == "regioassist.index"] == []  # in step: opened as it is


@pytest.mark.integration
def test_open_while_another_process_writes_leaves_the_mending_to_it(filled):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom pathlib import Path\nfrom regioassist.index import LOCK_FILE, WriteLock\n"
         "with WriteLock(Path(sys.argv[1]) / LOCK_FILE).hold():\n    print('locked', flush=True)\n    sys.stdin.read()\n",
         str(filled.directory)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        KeywordIndex.build(["stale"], ["Een oude passage."]).save(filled.directory / "bm25")
        index = LocalIndex.open(filled.directory)  # does not wait for the writer
        assert index.keyword.ids == ("stale",)
        (filled.directory / "bm25" / "CURRENT").write_text("gone\n", encoding="utf-8")
        index = LocalIndex.open(filled.directory)  # unreadable: rebuilt in memory only
        assert index.keyword_error and set(index.keyword.ids) == stored_ids(index.store)
    finally:
        holder.stdin.close()
        holder.wait(10)


@pytest.mark.integration
def test_a_reader_follows_another_writers_rebuild_within_a_second(filled, monkeypatch, tmp_path, fake_embedder):
    import regioassist.index as index_module

    monkeypatch.setattr(index_module, "FRESHNESS_S", 3600.0)
    reader = LocalIndex.open(filled.directory)
    before = reader.keyword
    generation = (filled.directory / GENERATION_FILE).read_text(encoding="utf-8")
    extra = tmp_path / "docs" / "jeugdhulp.txt"
    extra.write_text(MINUTES.format(topic="Jeugdhulp", word="jeugdhulp"), encoding="utf-8")
    ingest_paths([extra], filled, fake_embedder)  # another writer (its own client and lock)
    assert (filled.directory / GENERATION_FILE).read_text(encoding="utf-8") != generation
    assert reader.keyword is before  # not looked at again within FRESHNESS_S
    monkeypatch.setattr(index_module, "FRESHNESS_S", 0.0)
    assert reader.keyword is not before and "jeugdhulp" in " ".join(
        c.text for c in reader.store.get([cid for cid, _ in reader.keyword.search("jeugdhulp", k=3)]).values())
    vector = fake_embedder.embed(["jeugdhulp"], kind="query")[0]
    assert any("jeugdhulp" in c.text for c, _ in reader.store.query(vector, k=3))
    assert reader.refresh() is False  # nothing new since


@pytest.mark.unit
def test_queries_skip_rows_another_process_deleted():
    class Stale:
        def query(self, **kwargs):
            return {"ids": [["a", "gone", "b"]], "documents": [["A", None, "B"]],
                    "metadatas": [[{"x": 1}, None, {"x": 2}]], "distances": [[0.1, 0.2, 0.3]], "included": ["x"]}

    result = LiveCollection("/nowhere", "regioassist", Stale()).query(query_embeddings=[[1.0]])
    assert result["ids"] == [["a", "b"]] and result["distances"] == [[0.1, 0.3]]
    assert result["documents"] == [["A", "B"]] and result["included"] == ["x"]


@pytest.mark.unit
def test_a_waiting_writer_is_told_once(tmp_path):
    lock = WriteLock(tmp_path / LOCK_FILE)
    inside, release, told = threading.Event(), threading.Event(), []

    def hold():
        with lock.hold():
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(10)
    threading.Timer(0.2, release.set).start()
    with lock.hold(on_wait=lambda: told.append(1)):
        assert lock.depth == 1
        with lock.hold(on_wait=lambda: told.append(2)):  # nested: free at once, nobody is told
            assert lock.depth == 2
    holder.join(10)
    assert told == [1] and lock.depth == 0


@pytest.mark.integration
def test_open_upgrades_a_keyword_index_saved_without_facets_once(filled, caplog):
    chunks = filled.store.all_chunks()
    KeywordIndex.build([c.id for c in chunks], [c.indexed_text for c in chunks]).save(filled.directory / "bm25")
    assert not KeywordIndex.load(filled.directory / "bm25").updatable  # as an older version saved it

    with caplog.at_level(logging.WARNING, logger="regioassist.index"):
        index = LocalIndex.open(filled.directory)

    assert index.keyword.updatable and set(index.keyword.ids) == stored_ids(index.store)
    assert any("rebuilt the keyword index with the facets" in r.getMessage() for r in caplog.records)
    caplog.clear()
    LocalIndex.open(filled.directory)
    assert [r for r in caplog.records if r.name == "regioassist.index"] == []
