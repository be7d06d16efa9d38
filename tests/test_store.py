"""One contract, run against every VectorStore: the in-memory one and Chroma on disk."""

import dataclasses
import datetime as dt

import numpy as np
import pytest

from regioassist.models import AgendaEntry, Chunk, DocType, Mention, Outline, Person
from regioassist.store import ChromaStore, Filters, MemoryStore, domain_key


def chunk(cid, source, *, date=None, domain=None, doc_type=DocType.RESUME, text="tekst", decisions=()):
    return Chunk(
        id=cid, source=source, doc_hash="h-" + source, title="Titel " + source, doc_type=doc_type,
        text=text, context="Titel " + source, date=date, domain=domain, section="Agendapunt",
        section_kind="agenda_item", page=2, start=10, end=20, decisions=decisions,
    )


def unit(i, dim=4):
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1.0
    return v


@pytest.fixture(params=[pytest.param("memory", marks=pytest.mark.unit), pytest.param("chroma", marks=pytest.mark.integration)])
def store(request, tmp_path):
    return MemoryStore() if request.param == "memory" else ChromaStore(tmp_path / "chroma")


@pytest.fixture
def filled(store):
    store.upsert("/a", [chunk("a1", "a.txt", date=dt.date(2021, 3, 18), domain="Jeugd en Onderwijs",
                              decisions=("Het voorstel wordt vastgesteld.",)),
                        chunk("a2", "a.txt", date=dt.date(2021, 3, 18), domain="Werk en Inkomen")],
                 np.stack([unit(0), unit(1)]))
    store.upsert("/b", [chunk("b1", "b.txt", date=dt.date(2023, 2, 23), domain="JEUGD & ONDERWIJS"),
                        chunk("b2", "b.txt", doc_type=DocType.PROGRAMMA)],
                 np.stack([unit(2), unit(3)]))
    return store


def test_query_returns_cosine_best_first(filled):
    query = np.array([0.8, 0.6, 0, 0], dtype=np.float32)  # cos with a1 = 0.8, a2 = 0.6, others 0
    (first, s1), (second, s2) = filled.query(query, k=2)
    assert (first.id, second.id) == ("a1", "a2")
    assert s1 == pytest.approx(0.8, abs=1e-5) and s2 == pytest.approx(0.6, abs=1e-5)


def test_outline_round_trips_on_the_first_chunk_only(store):
    outline = Outline(
        meeting="Overleg portefeuillehouders sociaal domein", date=dt.date(2023, 2, 23), contact="Marielle Stitzinger",
        email="m.stitzinger@regiogv.nl", kenmerk="23.0001000",
        present=(Person("Joke Lanphen", "Blaricum"), Person("Jelmer Kruijt", None, "Jeugd & Onderwijs")),
        absent=(Person("Roland Boom", "Huizen", "Onderwijs"),),
        agenda=(AgendaEntry("Banenafspraak", "Werk en Participatie"), AgendaEntry("Rondvraag", None)),
        lines=(("afwezig", "Afwezig Roland Boom (Huizen, Onderwijs)"), ("kenmerk", "Kenmerk 23.0001000")),
        absences=(Mention("Joke Lanphen is afwezig.", "Werk en Participatie", "Agenda en mededelingen"),),
    )
    first = Chunk(**{**chunk("o1", "o.txt").__dict__, "outline": outline})
    store.upsert("/o", [first, chunk("o2", "o.txt")], np.stack([unit(0), unit(1)]))
    got = store.get(["o1", "o2"])
    assert got["o1"].outline == outline and got["o1"] == first
    assert got["o2"].outline is None
    assert {c.id: c.outline is not None for c in store.all_chunks()} == {"o1": True, "o2": False}


def test_round_trip_keeps_every_field(filled):
    got = filled.get(["a1"])["a1"]
    assert got == chunk("a1", "a.txt", date=dt.date(2021, 3, 18), domain="Jeugd en Onderwijs",
                        decisions=("Het voorstel wordt vastgesteld.",))


def test_round_trip_keeps_the_ocr_mark_and_the_language(store):
    import dataclasses

    scanned = dataclasses.replace(chunk("s1", "scan.pdf"), ocr=True, language="de")
    store.upsert("/scan", [scanned], np.stack([unit(0)]))
    got = store.get(["s1"])["s1"]
    assert (got.ocr, got.language) == (True, "de")
    assert got == scanned


def test_round_trip_keeps_the_heading_above_the_section(store):
    item = dataclasses.replace(chunk("m1", "m.txt"), section="KPMG-onderzoek", parent="Mededelingen")
    store.upsert("/m", [item], np.stack([unit(0)]))
    assert store.get(["m1"])["m1"].parent == "Mededelingen"


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(date_from=dt.date(2022, 1, 1)), {"b1"}),
        (Filters(date_to=dt.date(2021, 12, 31)), {"a1", "a2"}),
        (Filters(domain="jeugd & onderwijs"), {"a1", "b1"}),
        (Filters(doc_type="programma"), {"b2"}),
        (Filters(date_from=dt.date(2021, 1, 1), domain="Werk en Inkomen"), {"a2"}),
    ],
)
def test_filters(filled, filters, expected):
    assert filled.ids_matching(filters) == expected
    found = {c.id for c, _ in filled.query(unit(0), k=10, filters=filters)}
    assert found == expected


def test_delete_path_and_indexed_files(filled):
    assert set(filled.indexed_files()) == {"/a", "/b"}
    assert filled.delete_path("/a") == 2
    assert set(filled.indexed_files()) == {"/b"}
    assert [c.id for c in filled.all_chunks()] == ["b1", "b2"]


def test_upsert_same_ids_does_not_duplicate(filled):
    filled.upsert("/b", [chunk("b1", "b.txt", date=dt.date(2023, 2, 23))], np.stack([unit(2)]))
    assert len(filled.all_chunks()) == 4


def test_embeddings_lookup(filled):
    vectors = filled.embeddings(["b1", "missing"])
    assert list(vectors) == ["b1"]
    assert np.allclose(vectors["b1"], unit(2))


@pytest.mark.unit
def test_domain_key():
    assert domain_key("JEUGD & ONDERWIJS") == domain_key("Jeugd en Onderwijs") == "jeugd en onderwijs"
    assert domain_key(None) == ""


def test_indexed_times(store):
    store.upsert("/a", [chunk("a1", "a.txt")], np.stack([unit(0)]), indexed_at="2026-11-22T09:41:07+00:00")
    store.upsert("/b", [chunk("b1", "b.txt")], np.stack([unit(1)]))  # stamped now
    times = store.indexed_times()
    assert times["/a"] == "2026-11-22T09:41:07+00:00"
    stamped = dt.datetime.fromisoformat(times["/b"])
    assert stamped.tzinfo is not None and abs(dt.datetime.now(dt.timezone.utc) - stamped).total_seconds() < 60
    store.delete_path("/a")
    assert set(store.indexed_times()) == {"/b"}


@pytest.mark.integration
def test_chunks_from_before_the_stamp_have_no_time(tmp_path):
    from regioassist.store import chunk_to_metadata

    old = chunk("o1", "old.txt")
    meta = chunk_to_metadata(old, "/old")
    del meta["indexed_at"]  # written by a version that did not record it
    store = legacy_store(tmp_path / "chroma", ids=["o1"], embeddings=[unit(0)], documents=[old.indexed_text],
                         metadatas=[meta])
    assert not store.catalog_complete()
    assert store.indexed_times() == {"/old": None}  # from the chunks, until the catalog is built
    assert store.get(["o1"])["o1"] == old
    assert store.build_catalog() == 1 and store.catalog_complete()
    assert store.indexed_times() == {"/old": None}


def legacy_store(path, **rows):
    """A Chroma store as a version before the file catalog left it: chunks, no catalog."""
    from regioassist.location import chroma_client

    collection = chroma_client(path).get_or_create_collection("regioassist", embedding_function=None,
                                                              metadata={"hnsw:space": "cosine"})
    collection.upsert(**rows)
    return ChromaStore(path)


@pytest.mark.integration
def test_chunks_from_before_ocr_and_language_read_as_text_layer_and_dutch(tmp_path):
    from regioassist.store import chunk_to_metadata

    store = ChromaStore(tmp_path / "chroma")
    old = chunk("o1", "old.txt")
    meta = chunk_to_metadata(old, "/old")
    del meta["ocr"], meta["language"], meta["parent"]  # written by a version that did not record them
    store._collection.upsert(ids=["o1"], embeddings=[unit(0)], documents=[old.indexed_text], metadatas=[meta])
    got = store.get(["o1"])["o1"]
    assert (got.ocr, got.language, got.parent) == (False, "nl", None)


@pytest.mark.integration
def test_a_filtered_query_finds_the_few_matching_chunks_far_from_the_question(tmp_path, monkeypatch):
    """chromadb 1.5.9's filtered vector search returned none of the 120 chunks matching a domain
    here (4,080 chunks, the matching ones about another topic than the question); the store then
    scores the matching chunks exactly."""
    import test_scale

    monkeypatch.setattr(test_scale, "PER_FILE", 60)
    store = ChromaStore(tmp_path / "chroma")
    embedder = test_scale.TopicEmbedder()
    for n in range(68):
        chunks = test_scale.file_chunks(n)
        store.upsert(f"/k/file{n}.txt", chunks, embedder.embed([c.indexed_text for c in chunks], kind="passage"))
    werk = Filters(domain="Werk & Participatie", date_from=dt.date(2020, 2, 1))
    question = embedder.embed(["Wat is besloten over dagbesteding?"], kind="query")[0]

    found = store.query(question, 30, werk)

    assert len(found) == 30 and all(werk.matches(chunk) for chunk, _ in found)
    assert len(store.ids_matching(werk)) == 60


def nearest_among(store, question, ids, k):
    """What query_among must return: the k chunks of ``ids`` with the highest cosine, exactly."""
    vectors = store.embeddings(ids)
    scores = {cid: float(v @ question / (np.linalg.norm(v) * np.linalg.norm(question))) for cid, v in vectors.items()}
    return sorted(scores, key=lambda cid: -scores[cid])[:k]


@pytest.mark.integration
@pytest.mark.parametrize("path", ["exact", "neighbours", "where"])
def test_query_among_finds_the_nearest_of_the_given_chunks_by_each_path(tmp_path, monkeypatch, path):
    """query_among scores up to EXACT_AMONG_LIMIT chunks exactly, finds more among an unfiltered
    search's neighbours, and falls back to Chroma's where when those hold too few of them."""
    store = ChromaStore(tmp_path / "chroma")
    rng = np.random.default_rng(3)
    for n in range(6):  # 600 chunks, a third of them Werk
        domain = "Werk & Participatie" if n % 3 == 0 else "Jeugd en Onderwijs"
        chunks = [dataclasses.replace(chunk(f"f{n}-c{i}", f"file{n}.txt", domain=domain), start=i, end=i + 1)
                  for i in range(100)]
        store.upsert(f"/k/file{n}.txt", chunks, rng.standard_normal((100, 16)).astype(np.float32))
    werk = Filters(domain="Werk & Participatie")
    ids = sorted(store.ids_matching(werk))
    question = rng.standard_normal(16).astype(np.float32)
    if path != "exact":
        monkeypatch.setattr(ChromaStore, "EXACT_AMONG_LIMIT", 0)
    used_where = []
    real_query = store.query
    monkeypatch.setattr(store, "query", lambda *a, **kw: used_where.append(1) or real_query(*a, **kw))
    if path == "where":
        monkeypatch.setattr(ChromaStore, "MAX_NEIGHBOURS", 5)  # 5 neighbours cannot hold 10 of them

    found = store.query_among(question, 10, ids, werk)

    assert [chunk.id for chunk, _ in found] == nearest_among(store, question, ids, 10)
    assert all(werk.matches(chunk) for chunk, _ in found)
    assert bool(used_where) == (path == "where")


def test_query_among_an_empty_or_unknown_set_finds_nothing(store):
    store.upsert("/a", [chunk("a1", "a.txt")], np.stack([unit(0)]))
    assert store.query_among(unit(0), 5, [], Filters(domain="x")) == []
    assert store.query_among(unit(0), 5, ["gone"], Filters(domain="x")) == []
    assert [c.id for c, _ in store.query_among(unit(0), 5, ["a1", "gone"], Filters(domain="x"))] == ["a1"]
