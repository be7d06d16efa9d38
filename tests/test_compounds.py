import pytest

from regioassist.compounds import CompoundSplitter

pytestmark = pytest.mark.unit

VOCABULARY = {"jeugd", "hulp", "jeugdhulp", "aanbieders", "gezin", "huis", "gezinshuis", "ouders", "dagbesteding"}


def test_splits_into_known_parts_fewest_first():
    splitter = CompoundSplitter(VOCABULARY)
    # jeugdhulp|aanbieders (2 parts) beats jeugd|hulp|aanbieders (3 parts)
    assert splitter.split("jeugdhulpaanbieders") == ("jeugdhulp", "aanbieders")
    # gezinshuis|ouders (2) beats gezin+s|huis|ouders (3)
    assert splitter.split("gezinshuisouders") == ("gezinshuis", "ouders")


def test_linking_morphemes():
    splitter = CompoundSplitter(VOCABULARY)
    # dagbesteding +s+ aanbieders; gezin +s+ huis
    assert splitter.split("dagbestedingsaanbieders") == ("dagbesteding", "aanbieders")
    assert splitter.split("gezinshuis") == ("gezin", "huis")
    # "en" between parts: boek+en+kast
    assert CompoundSplitter({"boek", "kast"}).split("boekenkast") == ("boek", "kast")


def test_no_split_without_known_parts_or_below_four_letters():
    splitter = CompoundSplitter(VOCABULARY | {"blijf", "wet"})
    assert splitter.split("verblijf") == ()  # "ver" is not a part (and too short)
    assert splitter.split("jeugdwet") == ()  # "wet" has 3 letters: parts have at least 4
    assert splitter.split("jeugdhulp") == ("jeugd", "hulp")  # a known word is still split
    assert splitter.split("jeugd") == ()  # a word is no split of itself


def test_expand_adds_each_part_once_after_the_passage():
    splitter = CompoundSplitter(VOCABULARY)
    # jeugdhulpaanbieders -> jeugdhulp (-> jeugd, hulp), aanbieders; the second "jeugdhulp" adds nothing new
    assert splitter.expand("Jeugdhulpaanbieders en jeugdhulp") == (
        "jeugdhulpaanbieders en jeugdhulp jeugdhulp jeugd hulp aanbieders"
    )


def test_expand_query_splits_only_words_the_vocabulary_lacks():
    splitter = CompoundSplitter(VOCABULARY)
    # "jeugdhulp" is known: no parts; "dagbestedingsaanbieders" is not: its top-level parts only
    assert splitter.expand_query("Jeugdhulp van dagbestedingsaanbieders") == (
        "jeugdhulp van dagbestedingsaanbieders dagbesteding aanbieders"
    )


def test_expand_query_joins_two_known_words_into_a_known_compound():
    splitter = CompoundSplitter(VOCABULARY | {"gezinshuisouders"})
    assert splitter.expand_query("de gezinshuis ouders") == "de gezinshuis ouders gezinshuisouders"
    # with a linking s: gezin +s+ huis
    assert splitter.join("gezin", "huis") == "gezinshuis"
    # "de" is no vocabulary word (stop word, under four letters), so nothing is joined with it
    assert splitter.join("ouders", "de") is None


def test_vocabulary_from_texts_folds_and_drops_stop_words_and_short_words():
    splitter = CompoundSplitter.from_texts(["De continuïteit van de dagbesteding, voor het gezin"])
    # "voor"/"van"/"het" are stop words; "de" is short; accents folded
    assert splitter.vocabulary == {"continuiteit", "dagbesteding", "gezin"}
