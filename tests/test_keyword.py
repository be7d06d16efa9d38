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
