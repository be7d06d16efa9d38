"""Time phrases read as periods of document dates, against a fixed newest document (23 February 2023)."""

import datetime as dt

import pytest

from regioassist.prompts import DEFAULT_PHRASES, PromptError, load_phrases
from regioassist.timephrases import Anchors, parse_day, read_time, time_texts

pytestmark = pytest.mark.unit

D = dt.date
# The seed index: the newest document and the newest meeting are the resumé of 23 February 2023.
ANCHORS = Anchors(newest_document=D(2023, 2, 23), meetings=(D(2023, 2, 23), D(2021, 3, 18)))


def period(question, anchors=ANCHORS):
    reading = read_time(question, anchors)
    return (reading.start, reading.end) if reading else None


@pytest.mark.parametrize("question, start, end", [
    # relative to the newest document, not to today
    ("Wat is er vorig jaar besloten over verblijf?", D(2022, 1, 1), D(2022, 12, 31)),
    ("Wat is er dit jaar besloten?", D(2023, 1, 1), D(2023, 12, 31)),
    ("Wat werd twee jaar geleden afgesproken?", D(2021, 1, 1), D(2021, 12, 31)),
    ("What was decided last year?", D(2022, 1, 1), D(2022, 12, 31)),
    ("What was decided 2 years ago?", D(2021, 1, 1), D(2021, 12, 31)),
    ("Wat is er vorige maand besloten?", D(2023, 1, 1), D(2023, 1, 31)),
    # "in maart": the latest March up to 23 February 2023 is March 2022
    ("Wat is er in maart besproken?", D(2022, 3, 1), D(2022, 3, 31)),
    ("Wat is er in februari besproken?", D(2023, 2, 1), D(2023, 2, 28)),
    # 365 days up to and including the newest document
    ("Wat is besloten in de afgelopen 12 maanden?", D(2022, 2, 24), D(2023, 2, 23)),
    # open and closed ranges: "vóór" and "tot" exclude their date, "tot en met" includes it
    ("Wat is er sinds 2021 besloten?", D(2021, 1, 1), None),
    ("What was decided since 2021?", D(2021, 1, 1), None),
    ("Wat is er vanaf maart 2022 besproken in het overleg?", D(2022, 3, 1), None),
    ("Wat is er na 2021 besloten?", D(2022, 1, 1), None),
    ("Wat is vóór 2022 besloten?", None, D(2021, 12, 31)),
    ("What was decided before March 2022?", None, D(2022, 2, 28)),
    ("Wat is er tot en met 2022 besloten?", None, D(2022, 12, 31)),
    ("Wat is er t/m maart 2022 besloten?", None, D(2022, 3, 31)),
    ("Wat is er tussen maart 2021 en februari 2023 besproken?", D(2021, 3, 1), D(2023, 2, 28)),
    ("Wat is er van 2021 tot en met 2022 besloten?", D(2021, 1, 1), D(2022, 12, 31)),
    ("Wat is er van 2021 tot 2023 besloten?", D(2021, 1, 1), D(2022, 12, 31)),
    # seasons (meteorological), parts of a year, quarters
    ("Wat is er in het voorjaar van 2023 besloten?", D(2023, 3, 1), D(2023, 5, 31)),
    ("Wat is in de zomer van 2022 besloten?", D(2022, 6, 1), D(2022, 8, 31)),
    ("Wat is in het najaar van 2021 besloten?", D(2021, 9, 1), D(2021, 11, 30)),
    ("Wat is in de winter van 2022 besloten?", D(2022, 12, 1), D(2023, 2, 28)),
    ("What was decided in the spring of 2023?", D(2023, 3, 1), D(2023, 5, 31)),
    ("Wat is er in het voorjaar besloten?", D(2022, 3, 1), D(2022, 5, 31)),
    ("Wat is er in de zomer van vorig jaar besloten?", D(2022, 6, 1), D(2022, 8, 31)),
    ("Wat is begin 2023 besloten?", D(2023, 1, 1), D(2023, 4, 30)),
    ("Wat is er eind 2021 afgesproken?", D(2021, 9, 1), D(2021, 12, 31)),
    ("What was decided in early 2023?", D(2023, 1, 1), D(2023, 4, 30)),
    ("What was agreed at the end of 2021?", D(2021, 9, 1), D(2021, 12, 31)),
    ("Wat is er in het eerste kwartaal van 2023 besloten?", D(2023, 1, 1), D(2023, 3, 31)),
    ("Wat is er in Q4 2022 besloten?", D(2022, 10, 1), D(2022, 12, 31)),
    ("What was decided in the first quarter of 2023?", D(2023, 1, 1), D(2023, 3, 31)),
    # the newest meeting, and the one before it
    ("Wie was afwezig bij de laatste vergadering?", D(2023, 2, 23), D(2023, 2, 23)),
    ("Wie is contactpersoon van het laatste overleg?", D(2023, 2, 23), D(2023, 2, 23)),
    ("Wat is er besproken in de vorige vergadering?", D(2023, 2, 23), D(2023, 2, 23)),
    ("Who was absent at the last meeting?", D(2023, 2, 23), D(2023, 2, 23)),
    ("Wie was afwezig bij de voorlaatste vergadering?", D(2021, 3, 18), D(2021, 3, 18)),
    # day dates in any spelling, read by dateparser
    ("Wat is besloten na 23-02-2022?", D(2022, 2, 24), None),
    ("Wat is er sinds 1e mrt. 2022 besloten?", D(2022, 3, 1), None),
    # as before: the month of a named meeting for any question, a bare year for decisions
    ("Wie is contactpersoon van het overleg van februari 2023?", D(2023, 2, 1), D(2023, 2, 28)),
    ("Who chaired the meeting of 18 December 2022?", D(2022, 12, 1), D(2022, 12, 31)),
    ("Wat is er in 2023 besloten over verblijf?", D(2023, 1, 1), D(2023, 12, 31)),
])
def test_phrase_periods(question, start, end):
    assert period(question) == (start, end)


@pytest.mark.parametrize("question", [
    "Hoeveel jongeren kregen jeugdhulp in 2021?",  # a bare year dates a fact: decision questions only
    "Welke kleinschalige alternatieven voor residentiële jeugdhulp komen in 2021 en 2023 naar voren?",
    "Welke gemeenten doen mee aan het programma Jeugd & Onderwijs 2022-2026?",  # a title, not a range
    "Wat is het budget voor 2023?",  # "voor" without accent is "for", not "before"
    "Welke aanvulling had Huizen op het resumé van 15 december 2022?",  # an earlier meeting's minutes
    "Per wanneer zijn de contracten ingekocht, en vanaf wanneer speelt de nieuwe inkoop?",
])
def test_no_scope(question):
    assert read_time(question, ANCHORS) is None


def test_phrase_in_a_fact_question_is_read_and_noted_but_filters_nothing():
    # A relative year dates a fact as often as a meeting; the newest document (a proposal) is of 2025.
    reading = read_time("Op welk rapport van vorig jaar bouwt het overzicht voort?", Anchors(D(2025, 11, 27)))
    assert not reading.filters and (reading.start, reading.end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert reading.note("nl") == "'vorig jaar' gelezen als 2024 (het nieuwste document in de index is van 27 november 2025)."
    # A plan for spring 2024 told in a programme dated 2022: read, not scoped.
    reading = read_time("Wat gebeurt er in het voorjaar van 2024 met het programma?", ANCHORS)
    assert not reading.filters and reading.note("nl") == "'in het voorjaar van 2024' gelezen als maart 2024 tot en met mei 2024."


def test_first_phrase_counts_and_a_bare_year_comes_last():
    # a longer phrase over the one inside it: the season, not "van 2023"
    assert read_time("Wat is in het voorjaar van 2023 besloten?", ANCHORS).phrase == "in het voorjaar van 2023"
    # the month of a meeting over a bare year, wherever it stands
    assert period("Wat is in 2023 besloten in het overleg van februari 2023?") == (D(2023, 2, 1), D(2023, 2, 28))


def test_notes_say_how_the_phrase_was_read():
    note = read_time("Wat is er vorig jaar besloten over verblijf?", ANCHORS).note("nl")
    assert note == "'vorig jaar' gelezen als 2022 (het nieuwste document in de index is van 23 februari 2023)."
    note = read_time("What was decided last year?", ANCHORS).note("en")
    assert note == "'last year' read as 2022 (the newest document in the index is dated 23 February 2023)."
    note = read_time("Wie was afwezig bij de laatste vergadering?", ANCHORS).note("nl")
    assert note == "'de laatste vergadering' gelezen als de vergadering van 23 februari 2023, de nieuwste in de index."
    note = read_time("Wat is er in het voorjaar van 2023 besloten?", ANCHORS).note("nl")
    assert note == "'in het voorjaar van 2023' gelezen als maart 2023 tot en met mei 2023."
    assert read_time("Wat is er sinds 2021 besloten?", ANCHORS).note("nl") == "'sinds 2021' gelezen als vanaf 1 januari 2021."
    # words taken as they stand need no note
    assert read_time("Wie is contactpersoon van het overleg van februari 2023?", ANCHORS).note("nl") is None


def test_relative_phrase_without_dated_documents_scopes_nothing_and_says_so():
    reading = read_time("Wat is er vorig jaar besloten?", Anchors())
    assert not reading.filters
    assert reading.note("nl").startswith("'vorig jaar' is niet toegepast")
    assert not read_time("Wie was afwezig bij de voorlaatste vergadering?", Anchors(D(2023, 2, 23), (D(2023, 2, 23),))).filters


def test_a_period_without_documents_is_still_scoped():
    # Nothing is dated 2024: the answerer then says the documents do not answer.
    assert period("Wat is er in het eerste kwartaal van 2024 besloten?") == (D(2024, 1, 1), D(2024, 3, 31))


def test_anchors_are_looked_up_only_for_a_relative_phrase():
    calls = []

    def anchors():
        calls.append(1)
        return ANCHORS

    read_time("Wat is er sinds 2021 besloten?", anchors)
    read_time("Wat is besloten over verblijf?", anchors)
    assert calls == []
    read_time("Wat is er vorig jaar besloten?", anchors)
    assert calls == [1]


def test_parse_day_reads_common_spellings():
    assert parse_day("23 feb. 2023") == parse_day("23-02-2023") == parse_day("February 23rd, 2023") == D(2023, 2, 23)
    assert parse_day("maart 2022") is None  # a month is not a day


def test_time_texts_fall_back_to_the_shipped_file_and_check_placeholders():
    shipped = load_phrases(DEFAULT_PHRASES)
    without = {"nl": {k: v for k, v in shipped["nl"].items() if not k.startswith("time_")}}
    assert time_texts(without, "nl")["time_read"] == shipped["nl"]["time_read"]
    broken = {"nl": {**shipped["nl"], "time_relative": "'{phrase}' gelezen als {period}."}}
    with pytest.raises(PromptError, match="time_relative"):
        time_texts(broken, "nl")
