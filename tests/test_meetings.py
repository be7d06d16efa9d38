"""Questions about the meetings themselves, answered from the stored outlines, not by retrieval.

Unit tests index real documents into a ``MemoryStore`` with the hash embedder; the
integration test goes through ``pipeline.load_assistant`` on the shipped documents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from regioassist.assistant import scope_from_question
from regioassist.chunking import chunk_document
from regioassist.config import Settings
from regioassist.embedding import HashEmbedder
from regioassist.evaluation.runner import faithfulness_counts
from regioassist.meetings import answer_from_structure, build_meetings, question_kind
from regioassist.models import Answer
from regioassist.readers import read_document
from regioassist.store import Filters, MemoryStore
from regioassist.structure import parse_document

DOCUMENTS = Path(__file__).parent.parent / "documents"
FIXTURES = Path(__file__).parent / "fixtures"
FEB_2023 = next(DOCUMENTS.glob("000_*.txt"))
MAR_2021 = next(DOCUMENTS.glob("001_*.txt"))
APR_2023 = FIXTURES / "resume_pfho_2023-04-13.txt"
PROGRAMME = next(DOCUMENTS.glob("002_*.txt"))


def _index(paths: list[Path]) -> MemoryStore:
    store, embedder = MemoryStore(), HashEmbedder()
    for path in paths:
        chunks = chunk_document(parse_document(read_document(path, source=path.name)))
        store.upsert(str(path), chunks, embedder.embed([c.indexed_text for c in chunks], kind="passage"))
    return store


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return _index([FEB_2023, MAR_2021, APR_2023, PROGRAMME])


@pytest.fixture(scope="module")
def meetings(store):
    return build_meetings(store.all_chunks())


def ask(meetings, question: str, filters: Filters | None = None, language: str = "nl") -> Answer | None:
    return answer_from_structure(question, language, meetings, filters or scope_from_question(question) or None)


def bullets(answer: Answer) -> list[str]:
    """The answer's statements without their markers: '- Roland Boom (Huizen, Onderwijs) [1]' -> 'Roland ...'."""
    return [re.sub(r"^- | \[\d+\]$", "", line) for line in answer.text.splitlines() if line.startswith("- ")]


def blocks(answer: Answer) -> dict[str, list[str]]:
    """Place line -> the statements under it."""
    found: dict[str, list[str]] = {}
    for block in answer.text.split("\n\n")[1:]:
        place, *lines = block.splitlines()
        found[place] = [re.sub(r"^- | \[\d+\]$", "", line) for line in lines]
    return found


# --- unit: MemoryStore + hash embedder -----------------------------------------------------

pytestmark = pytest.mark.unit


def test_one_record_per_document_newest_first(meetings) -> None:
    assert [(r.source, r.date, r.is_meeting) for r in meetings] == [
        (APR_2023.name, dt.date(2023, 4, 13), True),
        (FEB_2023.name, dt.date(2023, 2, 23), True),
        (MAR_2021.name, dt.date(2021, 3, 18), True),
        (PROGRAMME.name, None, False),
    ]
    feb = meetings[1]
    assert feb.header.outline is feb.outline and feb.header.start == min(c.start for c in feb.chunks)
    assert sum(c.outline is not None for c in feb.chunks) == 1  # stored once, on the first chunk
    assert feb.outline.kenmerk == "23.0001000" and len(feb.outline.present) == 11
    assert [a.title for a in feb.outline.agenda][:3] == [
        "Agenda en mededelingen", "Resumé van 15 december 2022", "Terugkoppeling uit de bestuurlijke overleggen"]


def test_absent_in_february_2023_is_the_header_list_cited_to_its_line(meetings) -> None:
    answer = ask(meetings, "Wie waren afwezig bij het overleg van februari 2023?")
    assert answer.answered and answer.language == "nl"
    assert answer.text.splitlines()[0] == "Deze mensen staan als afwezig in de kop van het verslag:"
    assert blocks(answer)["23 februari 2023 — Overleg portefeuillehouders sociaal domein:"] == [
        "Roland Boom (Huizen, Onderwijs)"]
    header, body = answer.citations
    assert (header.source, header.agenda_item, header.quote) == (
        FEB_2023.name, None, "Afwezig Roland Boom (Huizen, Onderwijs)")
    # The body sentence that records two more absences is quoted where it stands.
    assert (body.domain, body.agenda_item, body.quote) == (
        "Werk en Participatie", "Agenda en mededelingen", "Joke Lanphen en Maarten Hoelscher zijn afwezig.")
    assert "Omschrijving" not in answer.text and "Contactpersoon" not in answer.text  # not the header block
    assert answer.hits[0].chunk.outline is not None  # the header ranks first


def test_several_meetings_fit_and_none_is_named_answers_per_meeting_newest_first(meetings) -> None:
    answer = ask(meetings, "Wie waren er afwezig?")
    places = [p for p in blocks(answer) if not p.startswith("Verder")]
    assert [p[:16] for p in places] == ["13 april 2023 — ", "23 februari 2023", "18 maart 2021 — "]
    assert blocks(answer)[places[0]] == ["Flip de Groot (Laren)", "Bart Heller (Werk & Participatie)"]
    # A year narrows to its meetings.
    assert [p[:16] for p in blocks(ask(meetings, "Wie was afwezig in 2023?")) if not p.startswith("Verder")] == [
        "13 april 2023 — ", "23 februari 2023"]


def test_present_from_one_municipality(meetings) -> None:
    answer = ask(meetings, "Wie waren er aanwezig uit Huizen bij het overleg van februari 2023?")
    assert answer.text.startswith("Deze mensen uit Huizen staan als aanwezig")
    assert bullets(answer) == ["Karin van Werven (Huizen, Gezondheid & Ondersteuning en Werk & Participatie)",
                               "Fleur van der Kleij (Huizen, Jeugd)"]
    assert answer.citations[0].quote.startswith("Aanwezig Joke Lanphen (Blaricum), Flip de Groot (Laren)")
    # Nobody from Laren is absent: said so, and the whole list follows.
    nobody = ask(meetings, "Wie waren afwezig uit Laren in februari 2023?")
    assert "Uit Laren staat niemand op deze lijst; dit is de hele lijst:" in nobody.text
    assert "Roland Boom (Huizen, Onderwijs)" in bullets(nobody)


def test_who_holds_a_portfolio_is_read_from_the_portfolios_beside_the_names(meetings) -> None:
    answer = ask(meetings, "Welke wethouder gaat over jeugd in Huizen in februari 2023?")
    assert bullets(answer) == ["Fleur van der Kleij (Huizen, Jeugd)"]
    assert ask(meetings, "Wie is de wethouder onderwijs van Hilversum in februari 2023?") is not None
    # None of the place holds it: the place's people, with what they do hold.
    laren = ask(meetings, "Welke wethouder gaat over zorg in Laren in februari 2023?")
    assert bullets(laren) == ["Flip de Groot (Laren)"]
    # a portfolio no header lists, asked of a place: the same
    assert bullets(ask(meetings, "Welke wethouder gaat over sport in Laren in februari 2023?")) == ["Flip de Groot (Laren)"]
    assert question_kind("Wie gaat over de inkoop van jeugdhulp?") is None  # a task, not a portfolio


def test_an_empty_list_is_quoted_as_it_stands() -> None:
    college = build_meetings(_index([FIXTURES / "besluitenlijst_college_2022-04-12.txt"]).all_chunks())
    answer = ask(college, "Wie waren er afwezig?")
    assert bullets(answer) == ["Afwezig: geen"] and answer.citations[0].quote == "Afwezig: geen"
    assert bullets(ask(college, "Wie waren aanwezig?"))[0] == "burgemeester C. Larson (voorzitter)"


def test_a_list_that_starts_broken_off_is_flagged(meetings) -> None:
    answer = ask(meetings, "Wie waren aanwezig bij het overleg van 18 maart 2021?")
    assert bullets(answer) == ["Rosalie van Rijn (Jeugd & Gezondheid en Ondersteuning & Participatie en Werk)",
                               "Carin Ogier (Weesp, Werk en Inkomen)"]
    assert "mogelijk onvolledig" in answer.text
    assert "mogelijk onvolledig" not in ask(meetings, "Wie waren aanwezig in februari 2023?").text


def test_contact_email_and_kenmerk_with_the_users_filters(meetings) -> None:
    year_2021 = Filters(date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 12, 31))
    contact = ask(meetings, "Wie is de contactpersoon?", year_2021)
    assert bullets(contact) == ["Saloua Chaara"]
    assert contact.citations[0].quote == "Contactpersoon Saloua Chaara"
    email = ask(meetings, "Wat is het e-mailadres van de contactpersoon?", year_2021)
    assert bullets(email) == ["Saloua Chaara: s.chaara@regiogv.nl"]
    assert email.citations[0].quote == "Contactpersoon Saloua Chaara E-mail s.chaara@regiogv.nl"
    kenmerk = ask(meetings, "Wat is het kenmerk van het resumé van 23 februari 2023?")
    assert bullets(kenmerk) == ["23.0001000"] and kenmerk.citations[0].source == FEB_2023.name


def test_whether_the_minutes_are_confidential_is_read_from_the_header(meetings) -> None:
    answer = ask(meetings, "Is het resumé van 23 februari 2023 vertrouwelijk?")
    assert answer.text.startswith("Of het document vertrouwelijk is, volgens de kop ervan:")
    assert bullets(answer) == ["Nee"] and answer.citations[0].quote == "Vertrouwelijk Nee"


def test_who_represented_a_municipality_is_who_came_from_it(meetings) -> None:
    answer = ask(meetings, "Wie vertegenwoordigde Laren in het portefeuillehoudersoverleg van februari 2023?")
    assert answer.text.startswith("Deze mensen uit Laren staan als aanwezig")
    assert bullets(answer) == ["Flip de Groot (Laren)"]


def test_agenda_items_in_order_each_cited_to_its_heading(meetings) -> None:
    domain = Filters(date_from=dt.date(2021, 3, 1), date_to=dt.date(2021, 3, 31), domain="Werk en Inkomen")
    answer = ask(meetings, "Welke agendapunten had het overleg?", domain)
    assert bullets(answer) == ["Agenda, mededelingen, conformstukken", "Stand zaken WEB", "Stand zaken Tomingroep",
                               "Rondvraag"]
    assert [(c.domain, c.agenda_item) for c in answer.citations] == [("Werk en Inkomen", t) for t in bullets(answer)]
    assert all(c.quote == c.agenda_item for c in answer.citations)
    english = ask(meetings, "What was on the agenda of the meeting in February 2023?", language="en")
    assert english.language == "en" and english.text.startswith("The agenda items")
    assert len(bullets(english)) == 25 and bullets(english).count("Rondvraag") == 3


def test_which_meetings_and_which_documents(meetings) -> None:
    listed = ask(meetings, "Welke vergaderingen zijn er?")
    assert bullets(listed) == [
        "Overleg portefeuillehouders sociaal domein 13 april 2023",
        "Overleg portefeuillehouders sociaal domein 23 februari 2023",
        "Overleg portefeuillehouders sociaal domein 18 maart 2021",
    ]
    assert [c.quote for c in listed.citations] == bullets(listed)
    documents = ask(meetings, "Welke documenten zijn geïndexeerd?")
    assert bullets(documents)[-1] == "Programma Jeugd & Onderwijs 2022-2026"
    assert {c.source for c in documents.citations} == {APR_2023.name, FEB_2023.name, MAR_2021.name, PROGRAMME.name}


@pytest.mark.parametrize("question", [
    "Wanneer is de volgende vergadering?",
    "Wanneer is de volgende vergadering van het portefeuillehoudersoverleg?",
    "Wanneer vergadert het overleg weer?",
    "Wanneer is de volgende bijeenkomst van het overleg?",
])
def test_the_next_meeting_is_declined_with_the_newest_there_is(meetings, question: str) -> None:
    # Minutes record meetings held; one after the newest is not in them, and no list of the past answers it.
    answer = ask(meetings, question)
    assert not answer.answered and not answer.citations
    assert "geen volgende vergadering" in answer.text and "13 april 2023" in answer.text


def test_when_the_last_meeting_was_is_a_question_about_the_meetings(meetings) -> None:
    assert question_kind("Wanneer was de laatste vergadering?") == "meetings"
    assert question_kind("Wanneer is het overleg over de WEB?") is None  # about the WEB


def test_a_named_person_per_meeting(meetings) -> None:
    answer = ask(meetings, "Welke gemeente vertegenwoordigt Maarten Hoelscher?")
    assert blocks(answer)["23 februari 2023 — Overleg portefeuillehouders sociaal domein:"] == [
        "Aanwezig: Maarten Hoelscher (Wijdemeren)"]
    assert blocks(answer)["18 maart 2021 — Overleg portefeuillehouders sociaal domein:"] == [
        "Afwezig: Maarten Hoelscher (Huizen, Jeugd)"]
    assert blocks(answer)["13 april 2023 — Overleg portefeuillehouders sociaal domein:"] == [
        "Maarten Hoelscher staat niet in de lijst van aanwezigen of afwezigen."]
    assert bullets(ask(meetings, "Was Roland Boom aanwezig in februari 2023?")) == [
        "Afwezig: Roland Boom (Huizen, Onderwijs)"]


def test_english_question_gets_english_framing_and_dutch_data(meetings) -> None:
    answer = ask(meetings, "Who was absent from the meeting in March 2021?", language="en")
    assert answer.language == "en"
    assert answer.text.splitlines()[:3] == [
        "These people are listed as absent in the header of the minutes:", "",
        "18 March 2021 — Overleg portefeuillehouders sociaal domein:"]
    assert bullets(answer) == ["Maarten Hoelscher (Huizen, Jeugd)"]


def test_what_was_decided_in_a_month_lists_every_decision_of_its_meeting_item_by_item(meetings) -> None:
    answer = ask(meetings, "Wat is er in februari 2023 besloten?")
    places = list(blocks(answer))
    assert answer.text.startswith("Besluiten en afspraken, per vergadering:")
    assert all(place.startswith("23 februari 2023") for place in places)
    # every item with a decision of its own, in the order of the minutes; not the agenda or the resumé
    assert any("Verlengen en uitbreiden gezinsgerichte groep" in p for p in places)
    assert any("Inkoop poortwachtersfunctie ernstige dyslexie" in p for p in places)
    assert any("Banenafspraak" in p for p in places)
    assert not any("Resumé" in p for p in places)
    assert not any(re.search(r"\b(?:agenda|resum[eé])\b.*vastgesteld", line, re.I) for line in bullets(answer))
    assert "uitvoeringsagenda Een Thuis voor Noordje" in answer.text  # a decision that names an agenda of its own
    assert len(answer.citations) == len(places)
    # one part of the meeting
    youth = ask(meetings, "Welke besluiten nam het deel Jeugd en Onderwijs in februari 2023?")
    assert blocks(youth) and all("Jeugd en Onderwijs" in place for place in blocks(youth))


@pytest.mark.parametrize("question", [
    "Wat is besloten over verblijf?",
    "Wat heeft de stuurgroep BORN besloten?",  # a topic, though not after "over"
    "Wat is er besloten over werk?",  # a topic, though also a word of a part of the meeting
    "Wat is er in maart 2021 besloten over het beleidsplan?",
    "Wie volgt Carin Ogier op en welke portefeuille heeft zij?",  # a second question retrieval must answer
    "Wat stond er in het resumé over de agenda van de regio?",
    "Is er voldoende capaciteit aanwezig bij de aanbieders?",  # 'aanwezig' without asking who
    "Welke documenten moeten gemeenten aanleveren?",
])
def test_other_questions_are_left_to_retrieval(meetings, question: str) -> None:
    assert ask(meetings, question) is None


@pytest.mark.parametrize("question", [
    "Wie waren afwezig bij het overleg van 12 januari 2022?",  # no such meeting: retrieval declines
    "Wie is contactpersoon van het resumé van 15 december 2022?",
])
def test_a_time_without_a_meeting_is_left_to_retrieval(meetings, question: str) -> None:
    assert ask(meetings, question) is None


@pytest.mark.parametrize("question", [
    "Wie waren afwezig bij het overleg van februari 2023?", "Wie waren aanwezig?", "Wie is contactpersoon?",
    "Wat is het e-mailadres van de contactpersoon?", "Welke agendapunten waren er in maart 2021?",
    "Welke vergaderingen zijn er?", "Welke documenten zijn geïndexeerd?", "Welke gemeente vertegenwoordigt Hoelscher?",
])
def test_every_statement_is_supported_by_a_quote_from_its_document(meetings, question: str) -> None:
    answer = ask(meetings, question)
    supported, total = faithfulness_counts(answer)
    assert total and supported == total
    texts = {p.name: " ".join(read_document(p).text.split()) for p in (FEB_2023, MAR_2021, APR_2023, PROGRAMME)}
    for citation in answer.citations:
        for line in re.split(r"(?<=\S) (?=(?:Aanwezig|Afwezig|Contactpersoon|E-mail) )", citation.quote):
            assert line in texts[citation.source], line


def test_documents_indexed_without_outline_are_left_to_retrieval(store) -> None:
    stale = build_meetings([dataclasses.replace(c, outline=None) for c in store.all_chunks()])
    assert ask(stale, "Wie waren afwezig bij het overleg van februari 2023?") is None
    assert ask(stale, "Wie is contactpersoon?") is None
    assert len(bullets(ask(stale, "Welke documenten zijn geïndexeerd?"))) == 4  # still listed, by title


@pytest.mark.parametrize("question, kind", [
    ("Wie waren afwezig bij het overleg van februari 2023?", "absent"),
    ("Who attended the meeting?", "present"),
    ("Wie is contactpersoon van het overleg van 18 maart 2021?", "contact"),
    ("Who is the contact person for the February 2023 meeting?", "contact"),
    ("Wie is de contactpersoon voor het overleg van februari 2023?", "contact"),
    ("Wie is de contactpersoon voor de Wmo-raad?", None),  # the Wmo-raad's contact, not the meeting's
    ("Wat is haar e-mailadres?", "email"),
    ("Wat is het kenmerk van het resumé?", "kenmerk"),
    ("Wat stond er op de agenda?", "agenda"),
    ("Welke onderwerpen zijn besproken in het overleg van februari 2023?", "agenda"),
    ("Welke vergaderingen zijn er?", "meetings"),
    ("Which documents are indexed?", "documents"),
    ("Welke documenten zijn er over jeugdhulp?", None),  # what they say about jeugdhulp: retrieval
    ("Welke onderwerpen zijn besproken over jeugdhulp?", None),
    ("Wanneer moet het verbeterplan uiterlijk op de agenda staan?", None),  # asks when, not which items
    ("Het resumé van welke vergadering is vastgesteld?", None),
    ("Welke mededelingen werden er gedaan?", None),
    # who came for a municipality, or sat at the meeting
    ("Wie vertegenwoordigde Laren in het overleg van februari 2023?", "present"),
    ("Wie zat er namens Weesp in het overleg van 18 maart 2021?", "present"),
    ("Welke wethouders uit Huizen zaten bij het overleg sociaal domein?", "present"),
    ("Welke wethouders waren er in maart 2021?", "present"),
    ("Welke wethouders waren er bij het overleg van februari 2023?", "present"),
    ("Welke mensen waren er bij de lancering van BaanTalent?", None),  # an event, not the meeting
    ("Welke wethouders waren er kritisch over de WEB?", None),
    ("Wie is er aangenomen als praktijkondersteuner jeugd in Huizen?", None),
    ("Wie zitten er in de stuurgroep BORN?", None),
    ("Welke punten zaten in het overleg van februari 2023?", None),
    # whether the document is confidential
    ("Is het resumé van 23 februari 2023 vertrouwelijk?", "confidential"),
    ("Are the minutes of February 2023 confidential?", "confidential"),
    ("Is the February 2023 minutes confidential?", "confidential"),
    ("Wat is er besloten over vertrouwelijke gegevens van jeugdigen?", None),
    ("Wat is besloten over openbaar vervoer?", None),
    ("What was said about public health?", None),
])
def test_question_kind(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


# --- integration: the shipped documents through load_assistant (Chroma on disk, hash embedder) ---


@pytest.mark.integration
def test_a_contact_question_about_something_the_documents_never_mention_is_declined(tmp_path: Path) -> None:
    from regioassist.pipeline import load_assistant

    assistant = load_assistant(Settings().with_overrides(index_dir=tmp_path / "index"), embedder=HashEmbedder())
    answer = assistant.ask("Wie is de contactpersoon voor de klimaatadaptatie?")
    assert not answer.answered and "contactpersoon" not in answer.text  # declined, not the meeting's contact
    meeting = assistant.ask("Wie is de contactpersoon van het overleg van februari 2023?")
    assert meeting.answered and "Marielle Stitzinger" in meeting.text


@pytest.mark.integration
def test_assistant_answers_the_absentees_of_23_february_2023_from_the_header(tmp_path: Path) -> None:
    from regioassist.pipeline import ingest_into, load_assistant

    settings = Settings().with_overrides(index_dir=tmp_path / "index")
    assistant = load_assistant(settings, embedder=HashEmbedder())
    header = re.search(r"^Afwezig (.+?)\s*$", FEB_2023.read_text(encoding="utf-8"), re.M).group(1)
    expected = [" ".join(name.split()) for name in re.sub(r"\([^)]*\)", "", header).split(",")]

    answer = assistant.ask("Wie waren afwezig bij het overleg van februari 2023?")
    listed = answer.text.split("\n\n")[1].splitlines()
    assert listed[0] == "23 februari 2023 — Overleg portefeuillehouders sociaal domein:"
    names = [re.sub(r"^- | \(.*$", "", line) for line in listed[1:]]
    assert names == expected == ["Roland Boom"]
    for line in listed[1:]:
        cited = answer.citations[int(re.search(r"\[(\d+)\]$", line).group(1)) - 1]
        assert Path(cited.source).name == FEB_2023.name and cited.agenda_item is None
        assert cited.quote == f"Afwezig {header}"
    assert answer.understood is None

    # A follow-up keeps its meeting and says how it was understood.
    earlier = ["Wie is contactpersoon van het overleg van februari 2023?"]
    email = assistant.ask("En wat is haar e-mailadres?", history=earlier)
    assert "Marielle Stitzinger: m.stitzinger@regiogv.nl" in email.text and email.understood

    # The records are built once, and again only after the index changed.
    built = assistant.meetings()
    assert assistant.meetings() is built
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(APR_2023, docs / APR_2023.name)
    ingest_into(settings, [docs], embedder=HashEmbedder(), index=assistant.index)
    assert assistant.meetings() is not built
    listed = assistant.ask("Welke vergaderingen zijn er?").text
    assert "Overleg portefeuillehouders sociaal domein 13 april 2023" in listed



def test_a_meeting_day_the_index_lacks_is_named_with_the_meetings_there_are(meetings) -> None:
    from regioassist.meetings import unknown_meeting

    missing = unknown_meeting("Wat is er in het overleg van 6 oktober besloten over de WEB?", meetings)
    assert missing == ("6 oktober", "13 april 2023, 23 februari 2023, 18 maart 2021")  # the fixtures add April 2023
    assert unknown_meeting("Wat is besloten in het portefeuillehoudersoverleg van 12 januari 2022?", meetings)[0] == (
        "12 januari 2022"
    )
    # A meeting the index holds, with or without its year, and a question naming no meeting day.
    assert unknown_meeting("Wie was afwezig bij het overleg van 23 februari?", meetings) is None
    assert unknown_meeting("Wat is besloten in de vergadering van 18 maart 2021?", meetings) is None
    assert unknown_meeting("Wat is besloten over verblijf?", meetings) is None
    assert unknown_meeting("the meeting of 6 October", meetings, "en")[0] == "6 October"


def test_ontbraken_asks_who_was_absent() -> None:
    from regioassist.meetings import question_kind

    assert question_kind("Wie ontbraken er bij het overleg van 23 februari 2023?") == "absent"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Welke documenten kan ik hier allemaal raadplegen?", "documents"),
        ("Over welke onderwerpen ging het deel Jeugd en Onderwijs van het overleg van 18 maart 2021?", "agenda"),
    ],
)
def test_more_ways_to_ask_for_the_documents_and_the_agenda(question: str, kind: str) -> None:
    from regioassist.meetings import question_kind

    assert question_kind(question) == kind


@pytest.mark.integration
def test_the_meetings_of_a_chroma_store_read_a_documents_chunks_only_when_a_question_needs_them(tmp_path):
    from regioassist.meetings import meetings_of
    from regioassist.store import ChromaStore

    chroma, embedder = ChromaStore(tmp_path / "chroma"), HashEmbedder()
    for path in (FEB_2023, MAR_2021, PROGRAMME):
        chunks = chunk_document(parse_document(read_document(path, source=path.name)))
        chroma.upsert(str(path), chunks, embedder.embed([c.indexed_text for c in chunks], kind="passage"))
    loaded = []
    real_chunks_of = chroma.chunks_of
    chroma.chunks_of = lambda source: loaded.append(source) or real_chunks_of(source)

    lazy, eager = meetings_of(chroma), build_meetings(chroma.all_chunks())

    assert lazy == eager  # source, title, type, date, outline and domains alike, newest first
    assert [r.header for r in lazy] == [r.header for r in eager]
    assert ask(lazy, "Wie waren afwezig bij het overleg van 23 februari 2023?").text == \
        ask(eager, "Wie waren afwezig bij het overleg van 23 februari 2023?").text
    assert len(set(loaded)) <= 1  # that meeting's chunks at most, not every document's
    assert lazy[-1].chunks == eager[-1].chunks and loaded[-1] == lazy[-1].source


def test_the_agenda_of_the_part_of_a_meeting_a_question_names(meetings):
    answer = ask(meetings, "Welke agendapunten had het deel Werk en Participatie van het overleg van 23 februari 2023?")
    assert "Banenafspraak" in bullets(answer) and "BaanTalent" in bullets(answer)
    assert "Governance BORN" not in bullets(answer)  # a Jeugd en Onderwijs item
    whole = ask(meetings, "Welke agendapunten had het overleg van 23 februari 2023?")
    assert "Governance BORN" in bullets(whole) and "Banenafspraak" in bullets(whole)


def test_absence_in_the_part_a_question_names_leads_with_that_parts_own_statement(meetings):
    answer = ask(meetings, "Wie ontbraken er bij het deel Werk en Participatie van het overleg van 23 februari 2023?")
    assert answer.text.splitlines()[0] == "Dit staat in de documenten:"
    # the part's own sentence first (cited [1], ranked first), then the header's list as context
    assert bullets(answer) == ["Joke Lanphen en Maarten Hoelscher zijn afwezig.", "Roland Boom (Huizen, Onderwijs)"]
    assert "Deze mensen staan als afwezig in de kop van het verslag:" in answer.text
    assert "Verder in het verslag" not in answer.text  # not said twice
    first, header = answer.citations
    assert (first.domain, first.agenda_item, first.quote) == (
        "Werk en Participatie", "Agenda en mededelingen", "Joke Lanphen en Maarten Hoelscher zijn afwezig.")
    assert (header.agenda_item, header.quote) == (None, "Afwezig Roland Boom (Huizen, Onderwijs)")
    assert answer.hits[0].chunk.section == "Agenda en mededelingen" and answer.hits[1].chunk.outline is not None


def test_absence_in_a_named_part_without_its_own_statement_answers_from_the_header(meetings):
    # Jeugd en Onderwijs says nothing of its own on absence: the answer is that of the whole meeting.
    whole = ask(meetings, "Wie ontbraken er bij het overleg van 23 februari 2023?")
    part = ask(meetings, "Wie ontbraken er bij het deel Jeugd en Onderwijs van het overleg van 23 februari 2023?")
    assert part.text == whole.text
    assert part.text.splitlines()[0] == "Deze mensen staan als afwezig in de kop van het verslag:"
    assert part.hits[0].chunk.outline is not None


def test_a_header_field_of_a_document_named_by_its_topic_is_that_documents_or_none(meetings) -> None:
    programme = next(r for r in meetings if r.source == PROGRAMME.name)
    assert not programme.outline.line("contactpersoon")
    answer = ask(meetings, "Wie is de contactpersoon van het programma over jeugd en onderwijs?")
    # The programme names no contact person: declined, not answered with the minutes' contacts.
    assert answer is not None and not answer.answered and not answer.citations
    assert answer.text == f"{programme.title}: Het document vermeldt dit niet."
    # Without a named document, the meetings' contacts are listed as before.
    assert ask(meetings, "Wie is de contactpersoon?").answered


def test_a_body_and_a_day_the_index_lacks_is_no_meeting_there_is(meetings) -> None:
    from regioassist.meetings import unknown_meeting

    missing = unknown_meeting("Wat heeft de stuurgroep jeugd op 20 juni 2024 besloten over jeugdbescherming?", meetings)
    assert missing is not None and missing[0] == "20 juni 2024"
    assert unknown_meeting("Wat is in het overleg besloten over de subsidie van 3 maart?", meetings) is None


def test_which_meeting_a_thing_comes_up_in_is_no_question_about_an_agenda():
    assert question_kind("Wat stond er op de agenda van het overleg van 23 februari 2023?") == "agenda"
    assert question_kind("In welk overleg moet het verbeterplan uiterlijk op de agenda staan?") is None
    assert question_kind("Op welke vergadering komt het verbeterplan op de agenda?") is None
