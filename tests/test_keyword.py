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
