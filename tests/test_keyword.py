import pytest

from regioassist.keyword import KeywordIndex

pytestmark = pytest.mark.unit

TEXTS = {
    "a": "Het portefeuillehoudersoverleg stelt het voorstel vast over jeugdhulp met verblijf.",
    "b": "De continuïteit van de dagbesteding staat onder druk.",
    "c": "BaanTalent is een samenwerking van vier uitvoeringsorganisaties.",
}


def build():
    return KeywordIndex.build(list(TEXTS), list(TEXTS.values()))


def test_dutch_stemming_and_accent_folding():
    index = build()
    assert index.search("dagbestedingen", k=3)[0][0] == "b"  # plural stems to the singular
    assert index.search("continuiteit", k=3)[0][0] == "b"  # no diaeresis in the query


def test_allowed_ids_filter_and_no_match():
    index = build()
    assert index.search("verblijf", k=3, allowed={"b", "c"}) == []
    assert index.search("xyzzy", k=3) == []


def test_persist_round_trip(tmp_path):
    build().save(tmp_path / "bm25")
    loaded = KeywordIndex.load(tmp_path / "bm25")
    assert len(loaded) == 3
    assert loaded.search("BaanTalent", k=1)[0][0] == "c"


def test_empty_index_loads_and_answers_nothing(tmp_path):
    assert len(KeywordIndex.load(tmp_path / "missing")) == 0
    assert KeywordIndex.build([], []).search("verblijf", k=5) == []


COMPOUND_TEXTS = {
    "split": "Afspraken met jeugdhulp aanbieders over wachttijden.",
    "joined": "De gezinshuisouders krijgen een hogere vergoeding.",
    "parts": "Het gezinshuis werkt samen met de ouders.",
    "other": "De dagbesteding voor ouderen.",
}


def build_compounds():
    return KeywordIndex.build(list(COMPOUND_TEXTS), list(COMPOUND_TEXTS.values()))


def test_compound_in_the_query_meets_its_parts_in_a_passage():
    # "jeugdhulpaanbieders" is split with the index's vocabulary into jeugdhulp | aanbieders
    assert build_compounds().search("jeugdhulpaanbieders", k=4)[0][0] == "split"


def test_compound_in_a_passage_meets_its_parts_in_the_query():
    # the passage's "gezinshuisouders" was indexed with gezinshuis and ouders beside it
    # and the question's pair "gezinshuis ouders" also asks for the passage's compound, so it leads
    found = [cid for cid, _ in build_compounds().search("gezinshuis ouders", k=4)]
    assert found[:2] == ["joined", "parts"]
    assert "joined" in [cid for cid, _ in build_compounds().search("gezinshuis", k=4)]


def test_a_known_word_in_the_query_is_not_split():
    # "gezinshuisouders" stands whole in a passage: the query finds it and is not widened
    # to every passage about a "gezinshuis" or "ouders"
    assert [cid for cid, _ in build_compounds().search("gezinshuisouders", k=4)] == ["joined"]


def test_linking_s_between_parts():
    # dagbesteding +s+ aanbieders: both parts are words of the index
    found = [cid for cid, _ in build_compounds().search("dagbestedingsaanbieders", k=4)]
    assert set(found[:2]) == {"split", "other"}


def test_split_vocabulary_is_saved_and_used_after_loading(tmp_path):
    build_compounds().save(tmp_path / "bm25")
    loaded = KeywordIndex.load(tmp_path / "bm25")
    assert loaded.splitter is not None and "jeugdhulp" in loaded.splitter.vocabulary
    assert loaded.search("jeugdhulpaanbieders", k=1)[0][0] == "split"


def test_index_saved_without_vocabulary_loads_and_does_not_split_queries(tmp_path):
    # An index saved before compounds were split: no vocabulary file, tokens without parts.
    old = KeywordIndex.build(list(COMPOUND_TEXTS), list(COMPOUND_TEXTS.values()), split_compounds=False)
    old.save(tmp_path / "bm25")
    assert not (tmp_path / "bm25" / "compound_vocabulary.json").exists()
    loaded = KeywordIndex.load(tmp_path / "bm25")
    assert loaded.splitter is None
    assert loaded.search("gezinshuisouders", k=1)[0][0] == "joined"  # whole-word match still works
    assert loaded.search("jeugdhulpaanbieders", k=4) == []  # and its query is not split either


# -- saving atomically -------------------------------------------------------------------------


def versions(path):
    return sorted(p.name for p in path.iterdir() if p.is_dir())


def test_each_save_is_a_new_version_and_the_one_before_is_kept_one_save_longer(tmp_path):
    from regioassist.keyword import CURRENT_FILE, current_version

    path = tmp_path / "bm25"
    build().save(path)
    first = current_version(path)
    build_compounds().save(path)
    second = current_version(path)
    assert versions(path) == sorted([first, second])  # a reader that read the pointer before still finds its files
    KeywordIndex.build(["x"], ["Het zwembad sluit."]).save(path)
    assert first not in versions(path) and len(versions(path)) == 2
    assert (path / CURRENT_FILE).read_text(encoding="utf-8").strip() == current_version(path)
    assert KeywordIndex.load(path).ids == ("x",)


def test_a_save_killed_half_way_leaves_the_old_index_readable(tmp_path, monkeypatch):
    import regioassist.keyword as keyword

    path = tmp_path / "bm25"
    build().save(path)

    def killed(*args):
        raise KeyboardInterrupt  # stands in for the kill: the pointer never moves

    monkeypatch.setattr(keyword, "point_at", killed)
    with pytest.raises(KeyboardInterrupt):
        build_compounds().save(path)
    assert len(versions(path)) == 2  # the new version is written in full, but nothing points at it
    assert KeywordIndex.load(path).ids == tuple(TEXTS)
    monkeypatch.undo()
    build_compounds().save(path)  # the next save clears the orphan away
    assert len(versions(path)) == 2 and KeywordIndex.load(path).ids == tuple(COMPOUND_TEXTS)


def test_an_index_saved_before_versions_loads_and_is_replaced_by_the_next_save(tmp_path):
    import shutil

    path = tmp_path / "bm25"
    build().save(path)
    (version,) = versions(path)
    for file in (path / version).iterdir():  # the layout before versions: the files in bm25/ itself
        shutil.move(str(file), str(path / file.name))
    (path / version).rmdir()
    (path / "CURRENT").unlink()
    assert KeywordIndex.load(path).search("BaanTalent", k=1)[0][0] == "c"
    build_compounds().save(path)
    assert sorted(p.name for p in path.iterdir() if p.is_file()) == ["CURRENT"]
    assert KeywordIndex.load(path).ids == tuple(COMPOUND_TEXTS)


def test_damaged_files_raise_one_clear_error(tmp_path):
    from regioassist.keyword import KeywordIndexError, current_version

    path = tmp_path / "bm25"
    build().save(path)
    folder = path / current_version(path)
    (folder / "chunk_ids.json").write_text('["a", "b"]', encoding="utf-8")  # 2 ids for 3 texts
    with pytest.raises(KeywordIndexError, match=r"2 ids for 3 indexed texts"):
        KeywordIndex.load(path)
    (folder / "chunk_ids.json").unlink()
    with pytest.raises(KeywordIndexError, match=str(folder)):  # a version the pointer names must be whole
        KeywordIndex.load(path)


def test_a_reader_racing_saves_always_gets_a_whole_index(tmp_path):
    import threading

    path = tmp_path / "bm25"
    indexes = [build(), build_compounds()]
    indexes[0].save(path)
    expected = {tuple(TEXTS), tuple(COMPOUND_TEXTS)}
    stop, seen, errors = threading.Event(), set(), []

    def read():
        while not stop.is_set():
            try:
                seen.add(KeywordIndex.load(path).ids)
            except Exception as error:
                errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(40):
        indexes[n % 2].save(path)
    stop.set()
    reader.join(10)
    assert errors == [] and seen <= expected and seen
