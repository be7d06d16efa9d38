"""Ingestion into a real Chroma directory, with the deterministic fake embedder (no model load)."""

import pytest

from regioassist.index import LocalIndex
from regioassist.ingest import ingest_paths, prune_missing

pytestmark = pytest.mark.integration

MINUTES = """RESUMÉ

Overleg portefeuillehouders sociaal domein 13 april 2023

JEUGD EN ONDERWIJS

Pleegzorg

Het portefeuillehoudersoverleg stelt het voorstel over pleegzorg vast.

Rondvraag

Geen.
"""


def test_changed_file_replaces_only_its_own_chunks_and_prune(tmp_path, fake_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(MINUTES, encoding="utf-8")
    (docs / "b.txt").write_text(MINUTES.replace("Pleegzorg", "Jeugdhulp").replace("pleegzorg", "jeugdhulp"), encoding="utf-8")
    index = LocalIndex.open(tmp_path / "index")

    first = ingest_paths([docs], index, fake_embedder)
    assert (len(first.read), first.unchanged, first.failed) == (2, [], [])
    ids = {c.source: set() for c in index.store.all_chunks()}
    for c in index.store.all_chunks():
        ids[c.source].add(c.id)
    a_source, b_source = sorted(ids)

    again = ingest_paths([docs], index, fake_embedder)
    assert (again.read, len(again.unchanged), again.chunks_added) == ([], 2, 0)

    (docs / "a.txt").write_text(MINUTES.replace("vast.", "vast en vraagt om een evaluatie."), encoding="utf-8")
    changed = ingest_paths([docs], index, fake_embedder)
    assert (changed.read, changed.unchanged) == ([a_source], [b_source])
    now = {}
    for c in index.store.all_chunks():
        now.setdefault(c.source, set()).add(c.id)
    assert now[b_source] == ids[b_source]  # untouched
    assert now[a_source] != ids[a_source] and len(now[a_source]) == len(ids[a_source])  # replaced, not added
    assert any("evaluatie" in c.text for c in index.store.all_chunks())
    assert [cid for cid, _ in index.keyword.search("evaluatie", k=5)]  # keyword index rebuilt too

    (docs / "b.txt").unlink()
    assert prune_missing(index) == [b_source]
    assert {c.source for c in index.store.all_chunks()} == {a_source}
    reopened = LocalIndex.open(tmp_path / "index")  # everything persisted on disk
    assert {c.source for c in reopened.store.all_chunks()} == {a_source}
    assert len(reopened.keyword) == len(now[a_source])


def test_a_bad_file_fails_alone(tmp_path, fake_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(MINUTES, encoding="utf-8")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    (docs / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    index = LocalIndex.open(tmp_path / "index")
    report = ingest_paths([docs, tmp_path / "missing.pdf"], index, fake_embedder)
    assert len(report.read) == 1
    assert len(report.failed) == 3
    assert all(line.count("\n") == 0 for line in report.failed)
    assert any("missing.pdf: no such file or directory" in line for line in report.failed)
    assert any(".xlsx" in line for line in report.failed)


def test_an_index_from_an_older_pipeline_is_reindexed_once_by_load_assistant(tmp_path, fake_embedder, monkeypatch):
    import regioassist.ingest as ingest
    from regioassist.config import Settings
    from regioassist.pipeline import load_assistant

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(MINUTES, encoding="utf-8")
    settings = Settings().with_overrides(index_dir=tmp_path / "index")
    monkeypatch.setattr(ingest, "PIPELINE_VERSION", "old")
    ingest_paths([docs], LocalIndex.open(settings.index_dir), fake_embedder)
    monkeypatch.undo()
    index = LocalIndex.open(settings.index_dir)
    assert ingest.stale_files(index, settings.chunk_chars, settings.chunk_overlap) == [(docs / "a.txt").resolve()]

    assistant = load_assistant(settings, embedder=fake_embedder)
    assert ingest.stale_files(assistant.index, settings.chunk_chars, settings.chunk_overlap) == []
    assert [c.outline.meeting for c in assistant.index.store.all_chunks() if c.outline] == [
        "Overleg portefeuillehouders sociaal domein"]
    assert {c.source for c in assistant.index.store.all_chunks()} == {ingest.source_name(docs / "a.txt")}
